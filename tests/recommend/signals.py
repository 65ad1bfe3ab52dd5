"""Generated test audio for the recommender: clicks, tones, chords, noise, "styles"."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile as sf

RATE = 44100


def write(path: Path, audio: np.ndarray, rate: int = RATE) -> Path:
    """Write mono (n,) or stereo (n, 2) float audio as WAV/FLAC by the path's extension."""
    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(str(path), np.clip(audio, -1.0, 1.0).astype(np.float32), rate, subtype="PCM_16")
    return path


def clicks(bpm: float, seconds: float = 20.0, rate: int = RATE) -> np.ndarray:
    """A click track: short decaying noise bursts on every beat."""
    out = np.zeros(int(seconds * rate), np.float32)
    rng = np.random.default_rng(7)
    burst = rng.normal(0, 0.6, int(0.03 * rate)) * np.exp(-np.arange(int(0.03 * rate)) / 200.0)
    period = 60.0 / bpm
    t = 0.0
    while t * rate + burst.size < out.size:
        start = int(t * rate)
        out[start : start + burst.size] += burst
        t += period
    return out


def tone(
    freqs: list[float], seconds: float = 10.0, amp: float = 0.3, rate: int = RATE
) -> np.ndarray:
    """A sum of sines (with two soft harmonics each), like a sustained chord."""
    t = np.arange(int(seconds * rate)) / rate
    out = np.zeros_like(t)
    for f in freqs:
        out += np.sin(2 * np.pi * f * t) + 0.3 * np.sin(4 * np.pi * f * t)
    return (amp * out / max(1, len(freqs))).astype(np.float32)


def noise(seconds: float = 10.0, amp: float = 0.2, seed: int = 0, rate: int = RATE) -> np.ndarray:
    return np.random.default_rng(seed).normal(0, amp, int(seconds * rate)).astype(np.float32)


def style(kind: str, seed: int, seconds: float = 8.0, rate: int = RATE) -> np.ndarray:
    """Three clearly different "styles", each with random variation between tracks.

    ``noisy``: filtered noise washes; ``tonal``: slow chords of sines; ``percussive``:
    drum-like hits at a random tempo over silence.
    """
    rng = np.random.default_rng(seed)
    n = int(seconds * rate)
    t = np.arange(n) / rate
    if kind == "noisy":
        x = rng.normal(0, 1, n)
        k = int(rng.integers(1, 6))
        x = np.convolve(x, np.ones(k) / k, mode="same")
        return (0.25 * x * (0.7 + 0.3 * np.sin(2 * np.pi * rng.uniform(0.1, 0.5) * t))).astype(
            np.float32
        )
    if kind == "tonal":
        root = 110.0 * 2 ** ((seed % 12) / 12)  # distinct seeds mod 12: distinct chords
        chord = [root, root * 2 ** (4 / 12), root * 2 ** (7 / 12)]
        x = sum(np.sin(2 * np.pi * f * t + rng.uniform(0, 6)) for f in chord)
        swell = 0.8 + 0.2 * np.sin(2 * np.pi * rng.uniform(0.1, 0.4) * t)
        return (rng.uniform(0.12, 0.25) * x * swell).astype(np.float32)
    if kind == "percussive":
        bpm = rng.uniform(90, 150)
        x = clicks(bpm, seconds, rate) * rng.uniform(0.6, 1.0)
        kick = np.sin(2 * np.pi * 60 * t[: int(0.1 * rate)]) * np.exp(-t[: int(0.1 * rate)] * 30)
        for beat in np.arange(0, seconds, 120.0 / bpm):
            s = int(beat * rate)
            x[s : s + kick.size] += kick[: max(0, min(kick.size, n - s))]
        return x.astype(np.float32)
    raise ValueError(kind)


def progression(chords: list[list[float]], seconds_each: float = 1.5) -> np.ndarray:
    """Chords one after another (a cadence defines a key; one chord alone is ambiguous)."""
    return np.concatenate([tone(c, seconds_each) for c in chords])


def triad(root_hz: float, minor: bool = False) -> list[float]:
    third = 3 if minor else 4
    return [root_hz, root_hz * 2 ** (third / 12), root_hz * 2 ** (7 / 12), root_hz / 2]
