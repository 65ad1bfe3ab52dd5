"""Run core functions off the UI thread and hand back ``(result, error)`` on it.

The one rule of the window is that it never waits: scans, id lists of a large
library, cover thumbnails and lyrics files are read on a :class:`QThreadPool`.
:meth:`TaskRunner.submit` returns a :class:`Task` whose ``done`` signal fires on
the main thread with the function's result, or with the exception it raised
(an :class:`~player.errors.AppError` when the core failed in a readable way).
A function that accepts ``progress`` gets a callable it may call from the
worker; the counts arrive on the main thread through ``Task.progress``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from player.errors import AppError
from player.ui.kit.qtfix import emit

log = logging.getLogger(__name__)


class Task(QObject):
    """One submitted job: ``done(result, error)`` and ``progress(done, total)`` signals."""

    done = Signal(object, object)
    progress = Signal(int, int)

    def __init__(self, name: str = "") -> None:
        super().__init__()
        self.name = name
        self.cancel_event = threading.Event()
        self.finished = False
        self.result: Any = None
        self.error: BaseException | None = None

    def cancel(self) -> None:
        """Ask the job to stop (it sees ``cancel_event``); its result is still delivered."""
        self.cancel_event.set()

    def _finish(self, result: Any, error: BaseException | None) -> None:
        self.finished = True
        self.result, self.error = result, error
        emit(self.done, result, error)


class _Relay(QObject):
    """Lives on the main thread; queued signals from workers land here."""

    finished = Signal(object, object, object)  # task, result, error

    def __init__(self) -> None:
        super().__init__()
        self.closed = False
        self.finished.connect(self._deliver)

    def _deliver(self, task: Task, result: Any, error: BaseException | None) -> None:
        if self.closed:  # the window is gone: nobody is left to show the result
            return
        task._finish(result, error)


class _Job(QRunnable):
    def __init__(
        self, relay: _Relay, task: Task, fn: Callable[..., Any], args: tuple, kwargs: dict[str, Any]
    ) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self.relay, self.task, self.fn, self.args, self.kwargs = relay, task, fn, args, kwargs

    def run(self) -> None:
        try:
            result = self.fn(*self.args, **self.kwargs)
        except AppError as exc:
            self._report(None, exc)
        except Exception as exc:  # a bug: logged, and still a value for the caller
            log.exception("background task %s failed", self.task.name or self.fn)
            self._report(None, exc)
        else:
            self._report(result, None)

    def _report(self, result: Any, error: BaseException | None) -> None:
        try:
            emit(self.relay.finished, self.task, result, error)
        except RuntimeError:  # the relay went with the application: nobody is left to tell
            log.debug("background task %s ended after its window", self.task.name)


class TaskRunner(QObject):
    """Submits functions to a thread pool; keeps each task alive until it is done."""

    def __init__(self, pool: QThreadPool | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = pool or QThreadPool.globalInstance()
        self._relay = _Relay()
        self._running: set[Task] = set()

    def submit(
        self,
        fn: Callable[..., Any],
        *args: Any,
        name: str = "",
        with_progress: bool = False,
        with_cancel: bool = False,
        **kwargs: Any,
    ) -> Task:
        """Run ``fn(*args, **kwargs)`` in the pool.

        ``with_progress`` passes ``progress=callable(done, total)``; ``with_cancel``
        passes ``cancel=threading.Event`` that :meth:`Task.cancel` sets.
        """
        task = Task(name)
        if self._relay.closed:  # after close(): a timer that fired late starts nothing
            log.debug("task %s not started: its runner is closed", name or fn)
            return task
        if with_progress:
            kwargs["progress"] = lambda done, total: emit(task.progress, int(done), int(total))
        if with_cancel:
            kwargs["cancel"] = task.cancel_event
        self._running.add(task)
        task.done.connect(lambda *_: self._running.discard(task))
        self.pool.start(_Job(self._relay, task, fn, args, kwargs))
        return task

    @property
    def running(self) -> int:
        return len(self._running)

    def wait(self, msecs: int = 30000) -> bool:
        """Block until the pool is idle (shutdown and tests only)."""
        return self.pool.waitForDone(msecs)

    @classmethod
    def own_pool(cls, threads: int, parent: QObject) -> TaskRunner:
        """A runner with threads of its own, so slow work (network, image decoding) never
        holds up the shared pool that library reads and recommendations use."""
        pool = QThreadPool(parent)
        pool.setMaxThreadCount(threads)
        return cls(pool, parent)

    def close(self, msecs: int = 30000) -> bool:
        """Wait for running jobs, then deliver nothing more and start nothing new (their
        receivers are going away, and a job still running at exit would outlive Python)."""
        self._relay.closed = True
        idle = self.wait(msecs)
        self._running.clear()
        return idle
