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

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QWidget

from player.ui.foryou.session import run_analysis
from player.ui.kit.scanstatus import TaskStatus
from player.ui.kit.tasks import Task, TaskRunner


class AnalysisStatus(TaskStatus):
    """Status-bar widget for one analysis run at a time."""

    WORDING = (
        QT_TRANSLATE_NOOP("TaskStatus", "Analysis progress"),
        QT_TRANSLATE_NOOP("TaskStatus", "Stop"),
        QT_TRANSLATE_NOOP("TaskStatus", "Stop the audio analysis"),
        QT_TRANSLATE_NOOP("TaskStatus", "Stopping the analysis…"),
    )

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
            self.tr("Analysing the sound of your music…"),
            functools.partial(run_analysis, workers=self.workers),
            self.db_path, name="analysis",
        )  # fmt: skip

    def _progress(self, done: int, total: int) -> None:
        if total:
            text = self.tr("Analysing {done} of {total} tracks")
            self._show_progress(done, total, text.format(done=f"{done:,}", total=f"{total:,}"))

    def _failed_text(self) -> str:
        return self.tr("Analysis failed")

    def _done_text(self, result: object) -> str:
        summary: Any = result
        if summary.cancelled:
            return self.tr("Analysis stopped: it resumes after the next scan")
        if not (summary.analysed or summary.failed):
            return ""
        text = self.tr("Analysed %Ln tracks", "", summary.analysed)
        if summary.failed:
            text += self.tr(" · %Ln could not be read", "", summary.failed)
        return text
