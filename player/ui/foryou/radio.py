"""Keeps a playing radio going: observes playback and hands what it sees to the core.

Each time the playing item changes, the plays that ended since (from the
queue's recent history, as the library records them: finished or skipped)
go to the live station, which steers by them; then, if a radio track is
playing and fewer than :data:`~player.recommend.station.LOW_WATER` items are
left after it, the station's next picks are appended to the queue. The
decisions are :class:`~player.recommend.shelves.Shelves`'; this only watches
the bridge and runs them on the task runner.

After a restart, :meth:`RadioFollower.resume` takes up the radio kept on disk
when the restored queue still holds it; it then waits until something plays
before its first top-up, so start-up does not load the model.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal

from player.audio.engine import PlaybackState
from player.audio.queue import PlayRecord, QueueItem
from player.ui.foryou.session import RecommendSession, ShelfItem
from player.ui.kit.bridge import PlayerBridge
from player.ui.kit.qtfix import emit
from player.ui.kit.tasks import TaskRunner

log = logging.getLogger(__name__)


class RadioFollower(QObject):
    """Feeds real playback to the live radio and tops the queue up. ``extended(count)``."""

    extended = Signal(int)

    def __init__(
        self,
        bridge: PlayerBridge,
        runner: TaskRunner,
        session: RecommendSession,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.bridge, self.runner, self.session = bridge, runner, session
        self._seen: set[tuple[str, float]] = set()
        self._busy = False
        self._again = False
        self._dormant = False  # a resumed radio, waiting for playback to start
        self._mark_history()
        bridge.trackChanged.connect(self.follow)
        bridge.stateChanged.connect(self._state_changed)

    def resume(self) -> bool:
        """The queue was restored: take up the radio kept from the last run if it still plays.

        Call before the restored item is announced. True when the radio is live again.
        """
        queue = self.bridge.controller.queue
        current = queue.current
        resumed = self.session.resume(
            [it.track_id for it in queue.items], current.track_id if current else None
        )
        self._dormant = resumed
        return resumed

    def _state_changed(self, state: object) -> None:
        if self._dormant and state is PlaybackState.PLAYING:
            self.follow()

    def _mark_history(self) -> None:
        """Plays before now were never this radio's: only later ones count."""
        self._seen = {(r.item.id, r.played_at) for r in self.bridge.controller.queue.history}

    def _new_plays(self) -> list[PlayRecord]:
        fresh = []
        for record in reversed(self.bridge.controller.queue.history):  # oldest first
            key = (record.item.id, record.played_at)
            if key not in self._seen:
                self._seen.add(key)
                fresh.append(record)
        return fresh

    def follow(self, _item: object = None) -> None:
        """The playing item changed: report the plays that ended, top up if needed."""
        if self._dormant:
            if self.bridge.state is not PlaybackState.PLAYING:
                return
            self._dormant = False
        if self._busy:
            self._again = True
            return
        heard = [(r.item.track_id, r.finished, r.skipped) for r in self._new_plays()]
        queue = self.bridge.controller.queue
        current = queue.current
        if current is None and not heard:
            return
        order = [it.id for it in queue.play_order()]
        remaining = (
            len(order) - order.index(current.id) - 1 if current and current.id in order else 0
        )
        current_id = current.track_id if current is not None else None
        self._busy = True
        task = self.runner.submit(self._work, heard, current_id, remaining, name="radio")
        task.done.connect(self._done)

    def _work(
        self, heard: list[tuple[int | None, bool, bool]], current_id: int | None, remaining: int
    ) -> list[ShelfItem]:
        for track_id, finished, skipped in heard:
            self.session.hear(track_id, finished, skipped)
        return self.session.top_up(current_id, remaining)

    def _done(self, items: list[ShelfItem] | None, error: object) -> None:
        self._busy = False
        if error is not None:
            log.warning("the radio could not go on: %s", error)
        elif items:
            queued = queue_items(items)
            if queued:
                self.bridge.enqueue(queued)
                emit(self.extended, len(queued))
        if self._again:
            self._again = False
            self.follow()


def queue_items(items: list[ShelfItem]) -> list[QueueItem]:
    """Queue items for shelf items that have a file."""
    return [QueueItem.from_row(i.row) for i in items if i.row.get("path")]
