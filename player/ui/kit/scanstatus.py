"""Library scans in the background, with progress and Cancel in the status bar.

The scan is :class:`player.library.scanner.Scanner` on a worker thread with its
own database connection (the one writer); the window stays live and refreshes
its views when the scan ends.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from player.library.store import LibraryDB
from player.ui.kit.qtfix import emit
from player.ui.kit.tasks import Task, TaskRunner

if TYPE_CHECKING:
    from player.library.scanner import ScanSummary


def run_scan(
    db_path: str | Path,
    roots: list[str],
    progress: Callable[[int, int], None],
    cancel: threading.Event,
) -> ScanSummary:
    """Scan *roots* into the library at *db_path* (worker thread, own connection)."""
    from player.library.scanner import Scanner  # tag readers load on first scan, not at start-up

    with LibraryDB(db_path) as db:
        db.add_roots(roots)
        return Scanner(db).scan(roots, progress=progress, cancel=cancel)


class TaskStatus(QWidget):
    """A background task in the status bar: label, progress bar and a stop button.

    Subclasses say what runs (:meth:`_submit`) and how progress and the end
    read; ``progressed(done, total)``, ``finished(result)`` and ``failed(error)``
    report to the window. One task at a time.
    """

    finished = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int)

    #: (what the bar is, stop button text, its accessible name, label while stopping),
    #: marked for translation in the "TaskStatus" context and translated when shown
    WORDING = (
        QT_TRANSLATE_NOOP("TaskStatus", "Progress"),
        QT_TRANSLATE_NOOP("TaskStatus", "Cancel"),
        QT_TRANSLATE_NOOP("TaskStatus", "Cancel"),
        QT_TRANSLATE_NOOP("TaskStatus", "Cancelling…"),
    )

    def __init__(
        self, runner: TaskRunner, db_path: str | Path, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.runner, self.db_path = runner, db_path
        self.task: Task | None = None
        bar_name, button, button_name, _ = (self._wording(i) for i in range(4))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 6, 0)
        self.label = QLabel("", self)
        self.bar = QProgressBar(self)
        self.bar.setTextVisible(False)
        self.bar.setAccessibleName(bar_name)
        self.cancel_button = QPushButton(button, self)
        self.cancel_button.setAccessibleName(button_name)
        self.cancel_button.clicked.connect(self.cancel)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        self._busy(False)

    def _wording(self, index: int) -> str:
        return QCoreApplication.translate("TaskStatus", self.WORDING[index])

    @property
    def running(self) -> bool:
        return self.task is not None

    def _busy(self, on: bool) -> None:
        self.bar.setVisible(on)
        self.cancel_button.setVisible(on)
        self.cancel_button.setEnabled(on)

    def _launch(self, text: str, fn: Callable[..., object], *args: object, name: str) -> Task:
        """Run *fn* on the task runner with progress and cancel, showing *text*."""
        self.label.setText(text)
        self.bar.setRange(0, 0)
        self._busy(True)
        task = self.runner.submit(fn, *args, name=name, with_progress=True, with_cancel=True)
        task.progress.connect(self._progress)
        task.done.connect(self._finish)
        self.task = task
        return task

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.label.setText(self._wording(3))
            self.cancel_button.setEnabled(False)

    def _show_progress(self, done: int, total: int, text: str) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        self.label.setText(text)
        emit(self.progressed, done, total)

    def _progress(self, done: int, total: int) -> None:
        raise NotImplementedError

    def _finish(self, result: object, error: object) -> None:
        self.task = None
        self._busy(False)
        if error is not None or result is None:
            self.label.setText(self._failed_text())
            emit(self.failed, error)
            return
        self.label.setText(self._done_text(result))
        emit(self.finished, result)

    def _failed_text(self) -> str:
        return QCoreApplication.translate("TaskStatus", "Failed")

    def _done_text(self, result: object) -> str:
        return ""


class ScanStatus(TaskStatus):
    """Status-bar widget; ``finished(summary)`` when a scan ends, ``failed(error)``."""

    WORDING = (
        QT_TRANSLATE_NOOP("TaskStatus", "Scan progress"),
        QT_TRANSLATE_NOOP("TaskStatus", "Cancel"),
        QT_TRANSLATE_NOOP("TaskStatus", "Cancel the scan"),
        QT_TRANSLATE_NOOP("TaskStatus", "Cancelling…"),
    )

    def start(self, roots: list[str]) -> Task | None:
        """Scan *roots*; ignored while a scan runs."""
        if self.task is not None or not roots:
            return None
        return self._launch(
            self.tr("Looking for music…"), run_scan, self.db_path, list(roots), name="scan"
        )

    def _progress(self, done: int, total: int) -> None:
        text = self.tr("Scanning {done} of {total} files").format(
            done=f"{done:,}", total=f"{total:,}"
        )
        self._show_progress(done, total, text)

    def _failed_text(self) -> str:
        return self.tr("Scan failed")

    def _done_text(self, result: object) -> str:
        summary: ScanSummary = result  # type: ignore[assignment]
        added = getattr(summary, "added", 0)
        word = self.tr("Scan cancelled") if summary.cancelled else self.tr("Scan finished")
        if not isinstance(added, int):
            return word
        return self.tr("{status} · {count} new").format(status=word, count=f"{added:,}")
