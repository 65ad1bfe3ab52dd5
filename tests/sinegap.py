"""Measure how a sine cut into files and played back to back joins at a device.

A continuous sine is cut into N files; a player plays them in order into a
sink that is recorded. :func:`measure_sine_gaps` takes that recording and
says what a listener would hear at the joins:

* the *played region* runs from the first to the last sample above the
  silence threshold (-80 dBFS unless told);
* a *silent run* is a stretch inside it where every channel stays below the
  threshold for at least ``min_silence_ms`` (0.1 ms: a sine crossing zero
  dips under -80 dBFS for a sample or two, which is not silence);
* the *phase* is fitted by least squares over short blocks, with the sine's
  known frequency and the silent runs cut out, so it compares what was played
  with one continuous sine: samples lost, repeated or added at a join show as
  a phase jump between neighbouring blocks even when no silence is heard. A
  resampler (libVLC's PulseAudio output stretches time to follow the sink's
  clock) shows as a slow drift instead: ``drift_ppm``, and the largest
  distance from the ideal sine, ``max_phase_deviation_deg``. Blocks much
  quieter than the sine (encoder padding, a fade) give no phase; they show
  in ``level_dip_db``.

A phase is only known modulo one period: a jump of exactly whole periods is
invisible, so pick a frequency whose period is not a divisor of the offsets
you expect (441 Hz at 44.1 kHz has a period of 100 samples).
Plain numpy, no pytest: the benchmark uses it too.
"""

from __future__ import annotations

import math
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = ["Join", "SineGaps", "continuous_sine", "measure_sine_gaps", "write_wav"]


@dataclass(frozen=True)
class Join:
    """One silent run inside the played region."""

    at_ms: float  # where it starts, from the start of the played region
    silence_ms: float
    phase_jump_deg: float  # the sine after the silence vs before it, the silence cut out


@dataclass(frozen=True)
class SineGaps:
    """What the recording of a cut sine says about its joins."""

    played_ms: float  # first to last audible sample
    longest_silence_ms: float  # 0.0 when there is no silent run
    total_silence_ms: float
    joins: tuple[Join, ...]
    max_phase_jump_deg: float  # largest phase step between neighbouring blocks, 0..180
    max_phase_deviation_deg: float  # largest distance from one continuous sine (drift included)
    drift_ppm: float  # the played sine's frequency against the true one (a resampler shows here)
    level_dip_db: float  # quietest block against the sine's level (0 = steady, negative = dip)
    frequency_hz: float
    rate: int
    lost_ms: float | None = None  # source length minus what was heard (a cut-off end shows)

    @property
    def phase_jump_samples(self) -> float:
        """``max_phase_jump_deg`` as samples of the sine's period (modulo one period)."""
        return self.max_phase_jump_deg / 360.0 * self.rate / self.frequency_hz


def continuous_sine(
    seconds: float, freq: float, rate: int = 44100, amplitude: float = 0.5, channels: int = 2
) -> np.ndarray:
    """A sine as float frames (frames, channels), starting at phase 0."""
    n = np.arange(round(seconds * rate))
    wave = amplitude * np.sin(2 * np.pi * freq * n / rate)
    return np.repeat(wave[:, None], channels, axis=1)


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) of each run of True in a 1-D boolean array."""
    padded = np.concatenate(([False], mask, [False])).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))


def _wrap_deg(angle: np.ndarray | float) -> np.ndarray:
    return (np.asarray(angle) + 180.0) % 360.0 - 180.0


def measure_sine_gaps(
    frames: np.ndarray,
    freq: float,
    rate: int = 44100,
    *,
    silence_dbfs: float = -80.0,
    min_silence_ms: float = 0.1,
    block_ms: float = 5.0,
    source_frames: int | None = None,
) -> SineGaps:
    """Silent runs and phase jumps in a recording of a cut sine (float frames in [-1, 1]).

    *frames* is (frames,) or (frames, channels); *freq* is the sine's exact
    frequency; *source_frames*, the length of the whole sine before it was
    cut, gives ``lost_ms``. Raises ValueError when nothing audible was recorded.
    """
    data = np.asarray(frames, dtype=np.float64)
    if data.ndim == 1:
        data = data[:, None]
    peak = np.max(np.abs(data), axis=1)
    threshold = 10 ** (silence_dbfs / 20)
    loud = np.flatnonzero(peak > threshold)
    if loud.size == 0:
        raise ValueError("the recording is silent")
    first, last = int(loud[0]), int(loud[-1]) + 1
    region = data[first:last].mean(axis=1)
    quiet = peak[first:last] <= threshold
    min_frames = max(1, math.ceil(min_silence_ms * rate / 1000))
    silences = [(s, e) for s, e in _runs(quiet) if e - s >= min_frames]

    keep = np.ones(region.size, dtype=bool)
    for start, end in silences:
        keep[start:end] = False
    spliced = region[keep]
    # where each silence sits in the spliced signal
    cuts = [int(np.count_nonzero(keep[:start])) for start, _ in silences]

    block = max(8, round(block_ms * rate / 1000))
    hop = max(1, block // 2)
    starts, phases, levels = _block_phases(spliced, 2 * np.pi * freq / rate, block, hop)
    if levels.size:
        level = float(np.median(levels))
        steady = levels >= 0.5 * level
        dip = float(20 * np.log10(max(float(levels.min()), 1e-12) / level))
    else:
        steady, dip = levels.astype(bool), 0.0
    good_starts, good_phases = starts[steady], phases[steady]
    max_jump = max_deviation = drift = 0.0
    if good_phases.size:
        max_deviation = float(np.abs(_wrap_deg(good_phases - good_phases[0])).max())
        # each block against the first steady block at least half a block past its end,
        # so that some pair has a whole block on either side of any discontinuity
        later = np.searchsorted(good_starts, good_starts + block + hop)
        pairs = later < good_starts.size
        if pairs.any():
            steps = _wrap_deg(good_phases[later[pairs]] - good_phases[pairs])
            max_jump = float(np.abs(steps).max())
            spans = good_starts[later[pairs]] - good_starts[pairs]
            per_sample = float(np.median(steps / spans))
            drift = per_sample / (360.0 * freq / rate) * 1e6

    joins = []
    for (start, end), cut in zip(silences, cuts, strict=True):
        before = good_phases[good_starts + block <= cut]
        after = good_phases[good_starts >= cut]
        jump = float(_wrap_deg(after[0] - before[-1])) if before.size and after.size else 0.0
        joins.append(Join(at_ms=start * 1000 / rate, silence_ms=(end - start) * 1000 / rate,
                          phase_jump_deg=round(jump, 3)))  # fmt: skip
    lengths = [j.silence_ms for j in joins]
    return SineGaps(
        played_ms=(last - first) * 1000 / rate,
        longest_silence_ms=max(lengths, default=0.0),
        total_silence_ms=float(sum(lengths)),
        joins=tuple(joins),
        max_phase_jump_deg=round(max_jump, 3),
        max_phase_deviation_deg=round(max_deviation, 3),
        drift_ppm=round(drift, 2),
        level_dip_db=round(dip, 2),
        frequency_hz=freq,
        rate=rate,
        lost_ms=None if source_frames is None else (source_frames - spliced.size) * 1000 / rate,
    )


def _block_phases(
    signal: np.ndarray, omega: float, block: int, hop: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Block starts, phases (degrees) and amplitudes of a least-squares sine fit per block.

    The phase is that of ``A·sin(omega·n + phase)`` with n counted from the
    signal's first sample, so a continuous sine gives the same phase in every block.
    """
    if signal.size < block:
        return np.zeros(0, dtype=int), np.zeros(0), np.zeros(0)
    n = np.arange(signal.size)
    cos, sin = np.cos(omega * n), np.sin(omega * n)
    starts = np.arange(0, signal.size - block + 1, hop)

    def sums(values: np.ndarray) -> np.ndarray:
        total = np.concatenate(([0.0], np.cumsum(values)))
        return total[starts + block] - total[starts]

    cc, ss, cs = sums(cos * cos), sums(sin * sin), sums(cos * sin)
    yc, ys = sums(signal * cos), sums(signal * sin)
    det = cc * ss - cs * cs
    a = (yc * ss - ys * cs) / det  # coefficient of cos = A·sin(phase)
    b = (ys * cc - yc * cs) / det  # coefficient of sin = A·cos(phase)
    return starts, np.degrees(np.arctan2(a, b)), np.hypot(a, b)


def write_wav(path: str | Path, frames: np.ndarray, rate: int = 44100) -> Path:
    """Write float frames (frames, channels) as a 16-bit PCM WAV file."""
    data = np.asarray(frames, dtype=np.float64)
    if data.ndim == 1:
        data = data[:, None]
    pcm = np.clip(np.round(data * 32767), -32768, 32767).astype("<i2")
    path = Path(path)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(data.shape[1])
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm.tobytes())
    return path
