"""Play a whole track list from one row, at any size, without stalling the window.

Activating one row of a list of 100,000 tracks must start that track at once
and queue the whole list. Reading every row and making 100,000 queue items
takes longer than one frame, so it happens in two steps: the rows around the
clicked one (read in one small query) become the queue and play immediately;
a worker then builds the items for the rest of the list, and the main thread
only splices those ready-made items in before and after. If the queue was
changed in between (another list started, the queue cleared), the late items
are dropped rather than mixed into a queue the listener has moved on from.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject

from player.audio.queue import QueueItem, ShuffleMode
from player.library.trackquery import queue_rows
from player.ui.kit.bridge import PlayerBridge
from player.ui.kit.qtfix import emit
from player.ui.kit.tasks import TaskRunner

log = logging.getLogger(__name__)

#: the rows queued at once around the clicked one: this many before it and after it
FIRST_BEFORE, FIRST_AFTER = 100, 400

def queue_items_for(db_path: str | Path, ids: list[int]) -> list[QueueItem]:
    """Queue items for *ids* in that order, read in one query (removed tracks are skipped).

    Runs on a worker thread through that thread's own read connection
    (:func:`player.library.trackquery.queue_rows`).
    """
    return [QueueItem.from_row(row) for row in queue_rows(db_path, ids)]


class WholeListPlayer(QObject):
    """Starts a list at one row and queues the rest of it in the background."""

    def __init__(
        self, bridge: PlayerBridge, runner: TaskRunner, db_path: str | Path, parent: QObject
    ) -> None:
        super().__init__(parent)
        self.bridge, self.runner, self.db_path = bridge, runner, db_path
        self._generation = 0
        self.pending = False  # True while the rest of the list is being read

    def play(self, ids: list[int], start: int, first: list[QueueItem]) -> None:
        """Play *first* (the items of ``ids[low:high]`` around *start*) now; queue the rest later.

        *first* must hold the clicked track; ``ids`` is the whole list in its shown order.
        """
        self._generation += 1
        if not first:
            return
        track_id = ids[start]
        at = next((i for i, it in enumerate(first) if it.track_id == track_id), 0)
        self.bridge.play_items(first, at)
        low, high = max(0, start - FIRST_BEFORE), min(len(ids), start + FIRST_AFTER)
        head, tail = ids[:low], ids[high:]
        if not head and not tail:
            self.pending = False
            return
        generation = self._generation
        shown = [it.id for it in self.bridge.controller.queue.items]
        self.pending = True
        task = self.runner.submit(self._read_rest, self.db_path, head, tail, name="whole list")
        task.done.connect(lambda result, error: self._splice(generation, shown, result, error))

    @staticmethod
    def _read_rest(
        db_path: str | Path, head: list[int], tail: list[int]
    ) -> tuple[list[QueueItem], list[QueueItem]]:
        return queue_items_for(db_path, head), queue_items_for(db_path, tail)

    def _splice(
        self,
        generation: int,
        shown: list[str],
        result: tuple[list[QueueItem], list[QueueItem]] | None,
        error: object,
    ) -> None:
        if generation != self._generation:
            return  # a newer list was started
        self.pending = False
        queue = self.bridge.controller.queue
        if error is not None or result is None:
            log.warning("could not queue the rest of the list: %s", error)
            return  # the rows around the chosen one stay queued
        if [it.id for it in queue.items] != shown:
            return  # the queue changed meanwhile: the listener's edits win
        head, tail = result
        mode, current = queue.shuffle, queue.current
        # one pass over the whole list; the item playing stays the same object, so the
        # engine plays on undisturbed. The queue panel and MPRIS hear of it once.
        blocked = self.bridge.blockSignals(True)
        try:
            if mode is not ShuffleMode.OFF:  # a new cycle over the whole list, led by it
                queue.set_shuffle(ShuffleMode.OFF)
            everything = [*head, *queue.items, *tail]
            queue.clear()
            queue.add(everything)
            if current is not None:
                queue.jump(current.id)
            if mode is not ShuffleMode.OFF:
                queue.set_shuffle(mode)
        finally:
            self.bridge.blockSignals(blocked)
        emit(self.bridge.queueChanged)
        if mode is not ShuffleMode.OFF:
            emit(self.bridge.modesChanged)
