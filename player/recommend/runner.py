"""Analyse the whole library in worker processes, resumably.

:func:`analyse_library` plans from the store (tracks without a current
analysis), analyses them in a process pool (one worker per core; the decoder
and numpy are CPU-bound and the GIL would serialise threads) and writes the
results in small transactions as they arrive. Cancelling, a crash or a closed
laptop lose at most one batch: the next run finds the rest cached. When the
batch ends, computed gains, BPM and key are copied to tracks that lack them.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from player.library.store import LibraryDB
from player.library.workpool import as_cancel, run_in_pool
from player.recommend.analysis import (
    FEATURE_VERSION,
    AnalysisJob,
    AnalysisResult,
    analyse,
    prepare_worker,
)
from player.recommend.store import AnalysisRecord, AnalysisStore, PendingTrack

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]

#: Results written per transaction.
BATCH = 16


@dataclass
class AnalyseSummary:
    """What a run did; ``errors`` lists (path, reason) for files that failed this time.

    ``cached`` counts every track left as an earlier run found it, and
    ``failed_before`` those of them that could not be analysed then.
    """

    analysed: int = 0
    cached: int = 0
    failed: int = 0
    failed_before: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    audio_seconds: float = 0.0
    cpu_seconds: float = 0.0
    tags_filled: int = 0
    cancelled: bool = False

    def to_dict(self) -> dict[str, object]:
        return {
            "analysed": self.analysed,
            "cached": self.cached,
            "failed": self.failed,
            "failed_before": self.failed_before,
            "seconds": round(self.seconds, 3),
            "audio_minutes": round(self.audio_seconds / 60.0, 2),
            "cpu_s_per_audio_minute": (
                round(self.cpu_seconds / (self.audio_seconds / 60.0), 4)
                if self.audio_seconds
                else None
            ),
            "tags_filled": self.tags_filled,
            "cancelled": self.cancelled,
            "error_files": [{"path": p, "reason": r} for p, r in self.errors],
        }


def _job(track: PendingTrack) -> AnalysisJob:
    return AnalysisJob(
        track.track_id, track.path, track.size, track.mtime_ns, track.subtrack,
        track.start_ms, track.end_ms,
    )  # fmt: skip


def _record(result: AnalysisResult) -> AnalysisRecord:
    job = result.job
    return AnalysisRecord(
        path=job.path,
        subtrack=job.subtrack,
        size=job.size,
        mtime_ns=job.mtime_ns,
        version=FEATURE_VERSION,
        ok=result.ok,
        reason=result.error,
        features=None if result.vector is None else result.vector.astype("<f4").tobytes(),
        seconds=result.seconds,
        bpm=result.bpm,
        key=result.key,
        lufs=result.lufs,
        peak=result.peak,
        gated_power=result.gated_power,
        gated_blocks=result.gated_blocks,
    )


def _worker_init() -> None:
    """One BLAS thread per worker (two pools of threads only fight for the cores),
    and freed memory kept for the next track (:func:`prepare_worker`)."""
    prepare_worker()


def _run_parallel(
    jobs: list[AnalysisJob], workers: int, cancel: Cancel
) -> Iterator[AnalysisResult]:
    yield from run_in_pool(
        analyse, jobs, workers, cancel, ahead=workers * 2,
        preload=("player.recommend.analysis",), initializer=_worker_init,
    )  # fmt: skip


def _run_serial(jobs: list[AnalysisJob], cancel: Cancel) -> Iterator[AnalysisResult]:
    for job in jobs:
        yield analyse(job)
        if cancel():
            return


def analyse_library(
    db: LibraryDB,
    *,
    workers: int | None = None,
    progress: Progress | None = None,
    cancel: Cancel | threading.Event | None = None,
    retry_failed: bool = False,
    limit: int | None = None,
) -> AnalyseSummary:
    """Analyse every track without a current analysis; see the module docstring."""
    started = time.perf_counter()
    is_cancelled = as_cancel(cancel)
    store = AnalysisStore(db)
    plan = store.plan(FEATURE_VERSION, retry_failed=retry_failed)
    summary = AnalyseSummary(cached=plan.cached, failed_before=plan.cached_failed)
    todo = plan.pending[:limit] if limit is not None else plan.pending
    jobs = [_job(t) for t in todo]
    workers = max(1, workers or min(os.cpu_count() or 1, 8))
    total = len(jobs)
    if progress:
        progress(0, total)
    results = (
        _run_parallel(jobs, workers, is_cancelled)
        if workers > 1 and len(jobs) > 1
        else _run_serial(jobs, is_cancelled)
    )
    batch: list[AnalysisResult] = []
    done = 0
    for result in results:
        batch.append(result)
        done += 1
        if len(batch) >= BATCH:
            _write(store, batch, summary)
            batch = []
        if progress:
            progress(done, total)
    if batch:
        _write(store, batch, summary)
    summary.cancelled = is_cancelled() and done < total
    with db.transaction():
        summary.tags_filled = store.apply_tags()
    summary.seconds = time.perf_counter() - started
    return summary


def _write(store: AnalysisStore, batch: list[AnalysisResult], summary: AnalyseSummary) -> None:
    with store.db.transaction():
        store.write(_record(r) for r in batch)
    for result in batch:
        if result.ok:
            summary.analysed += 1
            summary.audio_seconds += result.seconds
            summary.cpu_seconds += result.cpu_s
        else:
            summary.failed += 1
            summary.errors.append((result.job.path, result.error))
