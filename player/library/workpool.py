"""Work spread over worker processes, a few jobs ahead, in the order they finish.

Shared by the scanner (tags) and the audio analysis: both read many files with
CPU-bound code that must use every core, stop promptly on cancel, and never
queue the whole library at once.

``KINDRED_START_METHOD`` (``fork``, ``forkserver`` or ``spawn``) overrides how
every pool starts its workers; it is read here only, when a pool starts. Windows
has only ``spawn`` and macOS defaults to it, so Linux can run the same way.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
import os
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, as_completed, wait
from typing import Generic, TypeVar

from player.errors import AppError

Job = TypeVar("Job")
Result = TypeVar("Result")


def as_cancel(cancel: Callable[[], bool] | threading.Event | None) -> Callable[[], bool]:
    """A cancel flag in any of the forms callers pass, as a function."""
    if cancel is None:
        return lambda: False
    if isinstance(cancel, threading.Event):
        return cancel.is_set
    return cancel


START_METHOD_ENV = "KINDRED_START_METHOD"


def start_method_override() -> str | None:
    """The start method ``KINDRED_START_METHOD`` asks for, or None when unset."""
    value = os.environ.get(START_METHOD_ENV, "").strip().lower()
    if not value:
        return None
    available = multiprocessing.get_all_start_methods()
    if value not in available:
        raise AppError(
            f"{START_METHOD_ENV}={value!r} is not a start method here",
            f"{START_METHOD_ENV} may be one of: {', '.join(available)} (or unset).",
        )
    return value


def pool_context(preload: Sequence[str] = ()) -> multiprocessing.context.BaseContext:
    """``KINDRED_START_METHOD`` when set; otherwise fork while this process has
    one thread (fastest, everything imported); forkserver on Linux once other
    threads exist (fork is unsafe then, e.g. in the window or beside the
    watcher), with *preload* imported once; spawn elsewhere."""
    override = start_method_override()
    if override is not None:
        ctx = multiprocessing.get_context(override)
        if override == "forkserver":
            ctx.set_forkserver_preload(list(preload))
        return ctx
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if sys.platform.startswith("linux"):
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(list(preload))
        return ctx
    return multiprocessing.get_context("spawn")


def _executor(
    workers: int, preload: Sequence[str], initializer: Callable[[], None] | None
) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        max_workers=workers, mp_context=pool_context(preload), initializer=initializer
    )


def run_in_pool(
    fn: Callable[[Job], Result],
    jobs: Iterable[Job],
    workers: int,
    cancel: Callable[[], bool],
    *,
    ahead: int,
    preload: Sequence[str] = (),
    initializer: Callable[[], None] | None = None,
) -> Iterator[Result]:
    """``fn(job)`` for every job in *workers* processes, at most *ahead* submitted at once.

    Results come in the order they finish. After ``cancel()`` turns true no
    new job starts, the ones not started are dropped, and the generator ends.
    """
    executor = _executor(workers, preload, initializer)
    try:
        queue = iter(jobs)
        pending: set[Future[Result]] = set()

        def top_up() -> None:
            for job in queue:
                pending.add(executor.submit(fn, job))
                if len(pending) >= ahead:
                    break

        top_up()
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                yield future.result()
            if cancel():
                return
            top_up()
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


class Pool(Generic[Job, Result]):
    """Worker processes fed as the caller goes: :meth:`submit` whenever a job is
    ready (a walk still under way, say), :meth:`results` once they are all in.

    Unlike :func:`run_in_pool` it holds every submitted job until it is done, so
    it suits callers whose jobs are all in memory anyway. The workers start at
    the first :meth:`submit`. :meth:`close` (or leaving the ``with``) drops the
    jobs not started and waits for the running ones.
    """

    def __init__(
        self,
        fn: Callable[[Job], Result],
        workers: int,
        *,
        preload: Sequence[str] = (),
        initializer: Callable[[], None] | None = None,
    ) -> None:
        self._fn = fn
        self._executor = _executor(workers, preload, initializer)
        self._pending: set[Future[Result]] = set()

    def submit(self, job: Job) -> None:
        self._pending.add(self._executor.submit(self._fn, job))

    def results(self, cancel: Callable[[], bool]) -> Iterator[Result]:
        """The submitted jobs' results in the order they finish; after ``cancel()``
        turns true the generator ends (the jobs not started stay undone)."""
        for future in as_completed(self._pending):  # one waiter for them all
            self._pending.discard(future)
            yield future.result()
            if cancel():
                return

    def close(self) -> None:
        self._pending = set()
        self._executor.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> Pool[Job, Result]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
