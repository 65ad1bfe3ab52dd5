"""The "Comments" column of track lists: how many comments each song has, fetched in batches.

A track list asks :meth:`CommentCounts.text` only for the cells it paints, so
only the visible rows are ever counted. Unknown counts answer "" at once and
are collected; a short timer then sends one batch to the task runner
(:meth:`~player.social.service.CommentsService.counts`: one request for
the tracks whose song id is known, plus a few look-ups of the others). When
the server cannot be reached, the column stays empty and is not asked again
for a while: one warning in the log, no error storm. Counts are refreshed when
they are older than :data:`MAX_AGE_S`.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from player.social.service import CommentsService
from player.ui.kit.qtfix import emit
from player.ui.kit.tasks import TaskRunner
from player.ui.tracks.model import serve_column
from player.ui.tracks.view import TracksWindow

log = logging.getLogger(__name__)

COLUMN_KEY = "comments"
BATCH = 60
DELAY_MS = 120
#: how many asked-for tracks are remembered (the oldest are no longer on screen)
MAX_WANTED = 400
MAX_AGE_S = 300.0
#: after the server failed, the column is not asked again for this long
QUIET_S = 60.0


class CommentCounts(QObject):
    """Counts per track id for the column; ``changed`` after each batch that brought some."""

    changed = Signal()

    def __init__(
        self,
        backend: CommentsService,
        runner: TaskRunner,
        parent: QObject | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent)
        self.backend, self.runner, self.clock = backend, runner, clock
        self.counts: dict[int, tuple[int | None, float]] = {}  # track id -> (count, when)
        self._wanted: OrderedDict[int, None] = OrderedDict()
        self._busy = False
        self._quiet_until = 0.0
        self._quiet_server: str | None = None  # the server that could not be reached
        self._asked: str | None = None  # the server the batch under way went to
        self.failures = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DELAY_MS)
        self._timer.timeout.connect(self._fetch)

    def text(self, track_id: int) -> str:
        """The cell's text: the count, or "" (unknown yet, none, or the server is away)."""
        known = self.counts.get(track_id)
        if known is None or self.clock() - known[1] > MAX_AGE_S:
            self._want(track_id)
        count = known[0] if known else None
        return str(count) if count else ""

    def clear(self) -> None:
        """Forget every count (another server, another account).

        A server that could not be reached stays left alone for the rest of
        :data:`QUIET_S` when only the account changed (the kept sign-in being
        read at start-up is such a change); another server is asked at once.
        """
        self.counts.clear()
        self._wanted.clear()
        if self.backend.server != self._quiet_server:
            self._quiet_until = 0.0
        emit(self.changed)

    def _want(self, track_id: int) -> None:
        self._wanted[track_id] = None
        self._wanted.move_to_end(track_id)
        while len(self._wanted) > MAX_WANTED:
            self._wanted.popitem(last=False)
        if not self._busy and not self._timer.isActive() and self.clock() >= self._quiet_until:
            self._timer.start()

    def _fetch(self) -> None:
        if self._busy or not self._wanted:
            return
        ids = list(self._wanted)[-BATCH:]  # the latest asked for: what is on screen now
        self._busy = True
        self._asked = self.backend.server
        task = self.runner.submit(self.backend.counts, ids, name="comment counts")
        task.done.connect(self._done)

    def _done(self, result: dict[int, int | None] | None, error: Any) -> None:
        self._busy = False
        if result is None:
            self.failures += 1
            self._quiet_until = self.clock() + QUIET_S
            self._quiet_server = self._asked
            if self.failures == 1:
                log.warning("comment counts are not available: %s", getattr(error, "short", error))
            return
        now = self.clock()
        for track_id, count in result.items():
            self.counts[track_id] = (count, now)
            self._wanted.pop(track_id, None)
        if result:
            emit(self.changed)
        if self._wanted:
            self._timer.start()  # the rest of this screen (look-ups go a few at a time)


def attach_counts(window: TracksWindow, backend: CommentsService) -> CommentCounts:
    """Fill the "Comments" column of every track list of *window* (when it has one)."""
    counts = CommentCounts(backend, window.net_runner, window.window())
    window.each_track_view(
        lambda view: serve_column([view], COLUMN_KEY, counts.text, counts.changed)
    )
    return counts
