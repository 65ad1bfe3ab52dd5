"""A compact description of how a track sounds, from one short-time Fourier transform.

Every spectral feature comes from the same STFT (Hann, 2048 points, hop 1024
at 22.05 kHz, about 46 ms per frame: enough for tempo, which is read from the
autocorrelation of the whole onset envelope), computed in blocks so a ten-minute track
never holds its whole spectrogram. Mel bands, MFCC and chroma are matrix
products with filterbanks built once per process. A straightforward librosa
pipeline recomputes the STFT per feature and costs about four times as much.

The vector (:data:`DIM` float32 values) groups into timbre (MFCC statistics and
their deltas), texture (spectral centroid, bandwidth, roll-off, flatness, flux,
contrast, zero-crossing rate), dynamics, harmony (chroma rotated to the
estimated tonic, mode, key clarity), rhythm (tempo, tempo strength, onset
statistics) and space (the stereo image, :mod:`player.recommend.stereo`). :data:`GROUPS` names the slices, so a recommendation can say what
two tracks share. Tempo comes from the autocorrelation of the onset strength,
key from the Krumhansl-Schmuckler profiles over the mean chroma.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import scipy.fft as sfft

from player.recommend import stereo
from player.recommend.melscale import mel_filterbank, mel_frequencies

N_FFT = 2048
HOP = 1024
N_MELS = 40
N_MFCC = 13
BLOCK_FRAMES = 256
CONTRAST_EDGES = (0.0, 200.0, 400.0, 800.0, 1600.0, 3200.0, 6400.0)
NOTE_NAMES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")
# Krumhansl-Kessler key profiles (C major / C minor)
_MAJOR = np.array([6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88])
_MINOR = np.array([6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17])

#: Names and slices of the feature vector (see the module docstring).
GROUPS: dict[str, slice] = {
    "timbre": slice(0, 39),
    "texture": slice(39, 58),
    "dynamics": slice(58, 62),
    "harmony": slice(62, 76),
    "tempo": slice(76, 81),
    "space": slice(81, 87),
}
DIM = 87
#: How much each group counts in the audio similarity, relative to its size.
#: The stereo image has few values but says much about a recording's production.
GROUP_WEIGHTS: dict[str, float] = {"space": 2.0}


@dataclass
class Features:
    """The feature vector plus the values shown to a person."""

    vector: np.ndarray  # float32, DIM values
    bpm: float | None
    key: str  # "A", "F#m", or "" when no pitch content
    key_clarity: float


@lru_cache(maxsize=4)
def _filterbanks(rate: int) -> tuple:
    """(window, mel^T, DCT^T, chroma^T, bin and mel-band frequencies, chroma bins); built once."""
    window = 0.5 - 0.5 * np.cos(2.0 * np.pi * np.arange(N_FFT) / N_FFT)  # periodic Hann
    mel = mel_filterbank(rate, N_FFT, N_MELS, 30.0, min(rate / 2, 11025.0))
    mel_hz = mel_frequencies(N_MELS + 2, 30.0, min(rate / 2, 11025.0))[2:]
    n = np.arange(N_MELS)
    dct = np.cos(np.pi / N_MELS * (n[None, :] + 0.5) * np.arange(N_MFCC)[:, None])
    dct *= math.sqrt(2.0 / N_MELS)
    dct[0] /= math.sqrt(2.0)
    freqs = np.arange(N_FFT // 2 + 1) * rate / N_FFT
    chroma = np.zeros((12, freqs.size))
    usable = (freqs >= 55.0) & (freqs <= 4200.0)
    pitch = 12.0 * np.log2(np.where(usable, freqs, 1.0) / 440.0) + 69.0  # MIDI number
    for pc in range(12):
        # distance in semitones to the nearest note of pitch class pc, Gaussian weight
        dist = (pitch - pc + 6.0) % 12.0 - 6.0
        chroma[pc] = np.where(usable, np.exp(-0.5 * (dist / 0.35) ** 2), 0.0)
    # Weights beyond 1.5 semitones are below 1e-4 and would be float32 denormals,
    # which make the matrix product several times slower: they are dropped, and
    # only the bins inside the chroma range take part (see :func:`compute`).
    chroma[chroma < 1e-4] = 0.0
    bins = np.flatnonzero(chroma.any(axis=0))
    chroma_bins = slice(int(bins[0]), int(bins[-1]) + 1)
    return (
        window.astype(np.float32),
        mel.T.astype(np.float32),
        dct.T.astype(np.float32),
        np.ascontiguousarray(chroma.T[chroma_bins], dtype=np.float32),
        freqs.astype(np.float32),
        mel_hz.astype(np.float32),
        chroma_bins,
    )


def compute(mono: np.ndarray, rate: int, channels: np.ndarray | None = None) -> Features:
    """Features of mono float32 audio at ``rate`` (at least one frame long).

    ``channels`` (n_channels, n_samples) gives the stereo image; without it
    the track counts as mono.
    """
    window, mel_t, dct_t, chroma_t, freqs, mel_hz, chroma_bins = _filterbanks(rate)
    x = np.ascontiguousarray(mono, dtype=np.float32)
    if x.size < N_FFT:
        x = np.pad(x, (0, N_FFT - x.size))
    frames_all = np.lib.stride_tricks.sliding_window_view(x, N_FFT)[::HOP]
    n_frames = frames_all.shape[0]
    edges = [int(np.searchsorted(freqs, f)) for f in CONTRAST_EDGES] + [freqs.size]
    edges = np.array(edges)

    mels = np.empty((n_frames, N_MELS), np.float32)
    chroma = np.empty((n_frames, 12), np.float32)
    shape = np.empty((n_frames, 3), np.float32)  # centroid, bandwidth, energy
    contrast = np.empty((n_frames, len(edges) - 1), np.float32)
    freqs2 = freqs**2
    for start in range(0, n_frames, BLOCK_FRAMES):
        block = frames_all[start : start + BLOCK_FRAMES] * window
        spec = sfft.rfft(block, axis=1, overwrite_x=True)
        pairs = spec.view(np.float32)  # (re, im) pairs: square in place, add the halves
        np.square(pairs, out=pairs)
        power = pairs[:, 0::2] + pairs[:, 1::2]
        stop = start + power.shape[0]
        mels[start:stop] = power @ mel_t
        chroma[start:stop] = power[:, chroma_bins] @ chroma_t
        total = power.sum(axis=1)
        safe = total + 1e-10
        centroid = (power @ freqs) / safe
        spread = (power @ freqs2) / safe - centroid**2
        shape[start:stop] = np.stack([centroid, np.sqrt(np.maximum(spread, 0.0)), total], 1)
        peaks = np.maximum.reduceat(power, edges[:-1], axis=1)
        means = np.add.reduceat(power, edges[:-1], axis=1) / np.diff(edges)
        contrast[start:stop] = np.log10((peaks + 1e-10) / (means + 1e-10))

    # roll-off (85 % of the energy) and flatness from the mel bands: cheap and close
    cum = np.cumsum(mels, axis=1)
    rolloff = mel_hz[np.minimum((cum < 0.85 * cum[:, -1:]).sum(axis=1), N_MELS - 1)]
    log_mels = np.log(mels + 1e-10)
    flatness = np.exp(log_mels.mean(axis=1)) / (mels.mean(axis=1) + 1e-10)
    log_mel = 10.0 * np.log10(np.maximum(mels, 1e-10))
    log_mel = np.maximum(log_mel, log_mel.max() - 80.0)
    mfcc = log_mel @ dct_t
    delta = np.diff(mfcc, axis=0) if n_frames > 1 else np.zeros_like(mfcc)
    onset = np.maximum(np.diff(log_mel, axis=0), 0.0).mean(axis=1) if n_frames > 1 else np.zeros(1)

    frame_rate = rate / HOP
    bpm, strength = estimate_tempo(onset, frame_rate)
    key, clarity, _tonic, minor, rotated = estimate_key(chroma, shape[:, 2])

    energy_db = 10.0 * np.log10(shape[:, 2] / N_FFT + 1e-10)
    loud = energy_db[energy_db > energy_db.max() - 60.0]
    rms = math.sqrt(float(np.dot(x, x)) / x.size)
    crest = 20.0 * math.log10((max(float(x.max()), -float(x.min())) + 1e-9) / (rms + 1e-9))
    signs = np.signbit(x)
    usable = (x.size - 1) // HOP * HOP
    crossings = signs[1 : 1 + usable] != signs[:usable]
    zcr = crossings.reshape(-1, HOP).mean(axis=1) if usable else np.zeros(1)

    flux_mean = float(onset.mean())
    peaks = np.count_nonzero(
        (onset[1:-1] > onset[:-2]) & (onset[1:-1] >= onset[2:]) & (onset[1:-1] > 2 * flux_mean)
    ) if onset.size > 2 else 0  # fmt: skip
    vector = np.concatenate(
        [
            mfcc.mean(0), mfcc.std(0), delta.std(0),
            _mean_std(shape[:, 0] / 1000.0), _mean_std(shape[:, 1] / 1000.0),
            _mean_std(rolloff / 1000.0), _mean_std(np.log10(flatness + 1e-10)),
            _mean_std(onset), contrast.mean(0), _mean_std(zcr),
            [loud.mean(), loud.std(), np.percentile(loud, 95) - np.percentile(loud, 10), crest],
            rotated, [0.0 if minor else 1.0, clarity],
            [math.log2(bpm / 120.0) if bpm else 0.0, strength, flux_mean, float(onset.std()),
             peaks / max(onset.size / frame_rate, 1e-3)],
            stereo.image(mono[None, :] if channels is None else channels),
        ]
    ).astype(np.float32)  # fmt: skip
    vector = np.nan_to_num(vector, nan=0.0, posinf=0.0, neginf=0.0)
    return Features(vector, bpm, key, round(float(clarity), 3))


def _mean_std(values: np.ndarray) -> list[float]:
    return [float(values.mean()), float(values.std())]


_BPM_GRID = np.arange(50.0, 220.0, 0.25)


def estimate_tempo(onset: np.ndarray, frame_rate: float) -> tuple[float | None, float]:
    """(BPM, strength 0..1) from the onset envelope's autocorrelation.

    Each candidate tempo on a 0.25 BPM grid scores the autocorrelation at its
    first four beat multiples (interpolated between frames, so tempi whose beat
    falls between frames are not penalised), weighted by a log-normal
    preference around 120 BPM that settles the usual half/double ambiguity.
    """
    env = onset - onset.mean()
    env = np.convolve(env, np.array([0.25, 0.5, 0.25]), mode="same")
    n = env.size
    if n < 16 or not np.any(env):
        return None, 0.0
    size = 1 << math.ceil(math.log2(2 * n))
    spec = np.fft.rfft(env, size)
    acf = np.fft.irfft(spec.real**2 + spec.imag**2, size)[:n]
    if acf[0] <= 0:
        return None, 0.0
    acf /= acf[0]
    lags = 60.0 * frame_rate / _BPM_GRID
    multiples = lags[None, :] * np.arange(1, 5)[:, None]
    usable = multiples[-1] < n - 1
    if not usable.any():
        return None, 0.0
    heard = np.interp(multiples[:, usable], np.arange(n), acf)
    harmonic = heard.mean(axis=0)
    grid = _BPM_GRID[usable]
    prior = np.exp(-0.5 * (np.log2(grid / 120.0)) ** 2)
    best = int(np.argmax(harmonic * prior))
    strength = float(max(0.0, np.interp(lags[usable][best], np.arange(n), acf)))
    if strength < 0.1:
        return None, strength
    return round(float(grid[best]), 1), strength


def estimate_key(
    chroma: np.ndarray, energy: np.ndarray
) -> tuple[str, float, int, bool, np.ndarray]:
    """(key name, clarity, tonic, minor, chroma rotated so the tonic comes first)."""
    norms = chroma.sum(axis=1, keepdims=True) + 1e-10
    loud = energy > energy.max() * 1e-4 if energy.size else np.ones(0, bool)
    profile = (chroma / norms)[loud].mean(axis=0) if loud.any() else np.zeros(12)
    if not np.any(profile > 0) or float(profile.max() - profile.min()) < 1e-3:
        return "", 0.0, 0, False, np.full(12, 1.0 / 12, np.float32)
    scores = np.empty(24)
    for tonic in range(12):
        rolled = np.roll(profile, -tonic)
        scores[tonic] = np.corrcoef(rolled, _MAJOR)[0, 1]
        scores[12 + tonic] = np.corrcoef(rolled, _MINOR)[0, 1]
    best = int(np.argmax(scores))
    tonic, minor = best % 12, best >= 12
    ordered = np.sort(scores)
    clarity = float(ordered[-1] - ordered[-2])
    name = NOTE_NAMES[tonic] + ("m" if minor else "")
    rotated = np.roll(profile, -tonic) / (profile.sum() + 1e-10)
    return name, clarity, tonic, minor, rotated.astype(np.float32)
