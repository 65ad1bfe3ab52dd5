"""Audio analysis in the background (worker processes via the core runner), in the status bar.

Started after a scan: the core's :func:`~player.recommend.runner.analyse_library`
runs on a task-runner thread, which feeds a pool of worker processes; progress
and Cancel show in the status bar. ``progressed`` lets the For You page improve
as results arrive; ``finished(summary)`` when the run ends.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from player.ui.qtfix import emit
from player.ui.recommend_session import run_analysis
from player.ui.tasks import Task, TaskRunner


class AnalysisStatus(QWidget):
    """Status-bar widget for one analysis run at a time."""

    progressed = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)

    def __init__(
        self,
        runner: TaskRunner,
        db_path: str | Path,
        parent: QWidget | None = None,
        *,
        workers: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner, self.db_path, self.workers = runner, db_path, workers
        self.task: Task | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 6, 0)
        self.label = QLabel("", self)
        self.bar = QProgressBar(self)
        self.bar.setTextVisible(False)
        self.bar.setAccessibleName("Analysis progress")
        self.cancel_button = QPushButton("Stop", self)
        self.cancel_button.setAccessibleName("Stop the audio analysis")
        self.cancel_button.clicked.connect(self.cancel)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        self._busy(False)

    @property
    def running(self) -> bool:
        return self.task is not None

    def _busy(self, on: bool) -> None:
        self.bar.setVisible(on)
        self.cancel_button.setVisible(on)
        self.cancel_button.setEnabled(on)

    def start(self, *_: object) -> Task | None:
        """Analyse what is not analysed yet; ignored while a run is going."""
        if self.task is not None:
            return None
        self.label.setText("Analysing the sound of your music…")
        self.bar.setRange(0, 0)
        self._busy(True)
        task = self.runner.submit(
            run_analysis, self.db_path, workers=self.workers, name="analysis",
            with_progress=True, with_cancel=True,
        )  # fmt: skip
        task.progress.connect(self._progress)
        task.done.connect(self._done)
        self.task = task
        return task

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.label.setText("Stopping the analysis…")
            self.cancel_button.setEnabled(False)

    def _progress(self, done: int, total: int) -> None:
        if total == 0:
            return
        self.bar.setRange(0, total)
        self.bar.setValue(done)
        self.label.setText(f"Analysing {done:,} of {total:,} tracks")
        emit(self.progressed, done, total)

    def _done(self, summary: Any, error: object) -> None:
        self.task = None
        self._busy(False)
        if error is not None or summary is None:
            self.label.setText("Analysis failed")
            emit(self.failed, error)
            return
        if summary.cancelled:
            text = "Analysis stopped: it resumes after the next scan"
        elif summary.analysed or summary.failed:
            text = f"Analysed {summary.analysed:,} tracks"
            if summary.failed:
                text += f" · {summary.failed:,} could not be read"
        else:
            text = ""
        self.label.setText(text)
        emit(self.finished, summary)
