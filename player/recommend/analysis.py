"""Analyse one track: decode once, then features, tempo, key and loudness in one pass.

:func:`analyse` is what a worker process runs for each track. It never raises
for a bad file: the result carries the reason instead, so a batch goes on.
:data:`FEATURE_VERSION` is stored with every result; raising it makes the next
``kindred analyze`` recompute every track.
"""

from __future__ import annotations

import ctypes
import sys
import time
from dataclasses import dataclass

import numpy as np

from player.errors import AppError
from player.recommend import features as feat
from player.recommend import loudness
from player.recommend.decode import MAX_SECONDS, RATE, decode

#: Bump when the features or their meaning change: cached results are then stale.
FEATURE_VERSION = 2
#: glibc's ``mallopt`` parameters, and the sizes :func:`prepare_worker` sets.
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
_KEEP_BYTES, _MMAP_FROM_BYTES = 512 << 20, 64 << 20


@dataclass
class AnalysisJob:
    """One track to analyse: the file, its identity, and the range (CUE tracks)."""

    track_id: int
    path: str
    size: int
    mtime_ns: int
    subtrack: int = 0
    start_ms: int | None = None
    end_ms: int | None = None


@dataclass
class AnalysisResult:
    """What :func:`analyse` found. ``error`` is set (and the rest empty) on failure."""

    job: AnalysisJob
    vector: np.ndarray | None = None
    bpm: float | None = None
    key: str = ""
    lufs: float | None = None
    peak: float | None = None
    gated_power: float = 0.0
    gated_blocks: int = 0
    seconds: float = 0.0  # audio analysed
    bad_packets: int = 0
    cpu_s: float = 0.0
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error

    @property
    def track_gain(self) -> float | None:
        return None if self.lufs is None else loudness.gain_for(self.lufs)


def prepare_worker() -> None:
    """Set up a process that does little but analyse: one BLAS thread, memory reused.

    Every track allocates the same large arrays (decoded batches, spectra).
    By default glibc hands large freed blocks back to the kernel, which zeroes
    fresh pages when the next track asks again: 200 to 6,000 page faults and
    3 to 10 ms of system CPU per minute of audio in a run of two-minute files.
    Here freed memory stays in the process for the next track (under 110
    faults, 0 to 4 ms): a worker keeps the peak of its largest track (about
    150 MB for a two-minute one, 10 to 20 MB more than before) until the pool
    ends. Only blocks over 64 MB (the decoded audio of tracks over six
    minutes) still come from the kernel each time.
    """
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)
    except Exception:  # threadpoolctl is optional; the work is correct either way
        pass
    if not sys.platform.startswith("linux"):
        return
    try:
        mallopt = ctypes.CDLL("libc.so.6").mallopt
    except (OSError, AttributeError):  # not glibc (musl): its allocator is left alone
        return
    # A fixed trim threshold also fixes the mmap threshold, at 128 KiB unless
    # set too; so the trim threshold is only set once a large one is accepted
    # (glibc caps it, at 32 MB in some versions).
    if mallopt(_M_MMAP_THRESHOLD, _MMAP_FROM_BYTES) or mallopt(_M_MMAP_THRESHOLD, 32 << 20):
        mallopt(_M_TRIM_THRESHOLD, _KEEP_BYTES)


def analyse(job: AnalysisJob, *, max_seconds: float = MAX_SECONDS) -> AnalysisResult:
    """Analyse ``job``'s audio; failures come back as ``result.error``, never raised."""
    started = time.process_time()
    try:
        result = _analyse(job, max_seconds)
    except AppError as exc:
        detail = exc.detail if exc.detail != exc.short else ""
        reason = exc.short + (f": {detail.split(': ', 1)[-1]}" if detail else "")
        result = AnalysisResult(job, error=reason[:300])
    except MemoryError:
        result = AnalysisResult(job, error="Out of memory while analysing")
    except Exception as exc:  # a decoder's surprise must not stop the batch
        result = AnalysisResult(job, error=f"Unexpected error: {type(exc).__name__}: {exc}"[:300])
    result.cpu_s = time.process_time() - started
    return result


def _analyse(job: AnalysisJob, max_seconds: float) -> AnalysisResult:
    start = (job.start_ms or 0) / 1000.0
    end = job.end_ms / 1000.0 if job.end_ms else None
    audio = decode(job.path, rate=RATE, start_s=start, end_s=end, max_seconds=max_seconds)
    if audio.seconds < 0.5:
        return AnalysisResult(job, error="Too short to analyse (under half a second)")
    found = feat.compute(audio.mono, audio.rate, audio.channels)
    level = loudness.measure(audio.channels, audio.rate)
    return AnalysisResult(
        job,
        vector=found.vector,
        bpm=found.bpm,
        key=found.key,
        lufs=level.lufs,
        peak=round(audio.sample_peak, 6),
        gated_power=level.gated_power,
        gated_blocks=level.gated_blocks,
        seconds=round(audio.seconds, 3),
        bad_packets=audio.bad_packets,
    )
