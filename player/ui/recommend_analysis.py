"""Audio analysis in the background (worker processes via the core runner), in the status bar.

Started after a scan: the core's :func:`~player.recommend.runner.analyse_library`
runs on a task-runner thread, which feeds a pool of worker processes; progress
and Cancel show in the status bar. ``progressed`` lets the For You page improve
as results arrive; ``finished(summary)`` when the run ends.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QWidget

from player.ui.recommend_session import run_analysis
from player.ui.scanstatus import TaskStatus
from player.ui.tasks import Task, TaskRunner


class AnalysisStatus(TaskStatus):
    """Status-bar widget for one analysis run at a time."""

    WORDING = ("Analysis progress", "Stop", "Stop the audio analysis", "Stopping the analysis…")

    def __init__(
        self,
        runner: TaskRunner,
        db_path: str | Path,
        parent: QWidget | None = None,
        *,
        workers: int | None = None,
    ) -> None:
        super().__init__(runner, db_path, parent)
        self.workers = workers

    def start(self, *_: object) -> Task | None:
        """Analyse what is not analysed yet; ignored while a run is going."""
        if self.task is not None:
            return None
        return self._launch(
            "Analysing the sound of your music…", functools.partial(run_analysis, workers=self.workers),
            self.db_path, name="analysis",
        )  # fmt: skip

    def _progress(self, done: int, total: int) -> None:
        if total:
            self._show_progress(done, total, f"Analysing {done:,} of {total:,} tracks")

    def _failed_text(self) -> str:
        return "Analysis failed"

    def _done_text(self, result: object) -> str:
        summary: Any = result
        if summary.cancelled:
            return "Analysis stopped: it resumes after the next scan"
        if not (summary.analysed or summary.failed):
            return ""
        text = f"Analysed {summary.analysed:,} tracks"
        if summary.failed:
            text += f" · {summary.failed:,} could not be read"
        return text
