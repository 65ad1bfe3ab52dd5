"""The "Loudness" column shows the measured integrated loudness (LUFS) where a track is analysed.

Track rows carry the ReplayGain gain, not the loudness; deriving one from the
other is only as right as the tool that wrote the gain. This keeps a map of
track id to LUFS (:meth:`~player.recommend.store.AnalysisStore.loudness`),
read off the UI thread at start and after each analysis, and serves it to
every track list's loudness cells.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from player.library.store import LibraryDB
from player.recommend.store import AnalysisStore
from player.ui.kit.qtfix import emit
from player.ui.kit.tasks import TaskRunner
from player.ui.tracks.model import serve_column

COLUMN_KEY = "loudness"

log = logging.getLogger(__name__)


def read_loudness(db_path: str | Path) -> dict[int, float]:
    """track id -> LUFS, on its own connection (runs on a worker)."""
    with LibraryDB(db_path) as db:
        return AnalysisStore(db).loudness()


class LoudnessCells(QObject):
    """Text of the loudness cells by track id; ``changed()`` after each re-read."""

    changed = Signal()

    def __init__(self, runner: TaskRunner, db_path: str | Path, parent: QObject | None = None):
        super().__init__(parent)
        self.runner, self.db_path = runner, db_path
        self.values: dict[int, float] = {}
        self.loaded = False
        self.wanted = False  # the column has been shown: keep its values current
        self.reading = False

    def text(self, track_id: int) -> str:
        if not self.wanted:  # the first cell painted asks for the values (a hidden column never does)
            self.wanted = True
            self.reload()
        value = self.values.get(track_id)
        return f"{value:.1f} LUFS" if value is not None else ""

    def reload(self) -> None:
        """Read the values again, if the column has ever been shown (else on its first paint)."""
        if not self.wanted or self.reading:
            return
        self.reading = True
        task = self.runner.submit(read_loudness, self.db_path, name="loudness")
        task.done.connect(self._read)

    def _read(self, values: dict[int, float] | None, error: object) -> None:
        self.reading = False
        if error is not None or values is None:  # the column keeps what it showed
            log.warning("loudness values could not be read: %s", error)
            return
        self.values, self.loaded = values, True
        emit(self.changed)

    def attach(self, views: list[Any]) -> None:
        """Serve the loudness column of every track list in *views* that has one."""
        serve_column(views, COLUMN_KEY, self.text, self.changed)
