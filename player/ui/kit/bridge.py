"""The bridge from the playback controller to Qt signals.

The controller is plain Python and must be pumped on its owner's thread; the
bridge owns a :class:`QTimer` that calls :meth:`PlaybackController.pump` about
every 50 ms on the UI thread and re-emits each report as a Qt signal, so widgets
observe playback without knowing the engine. Commands from widgets go through
the bridge too, which pumps right away so the reaction shows without waiting
for the next tick.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from player.audio.controller import PlaybackController
from player.audio.controller_events import ItemFailed, QueueEnded, SleepEnded, TrackStarted
from player.audio.engine import (
    DeviceChanged,
    EngineError,
    MetadataChanged,
    PlaybackState,
    PositionChanged,
    StateChanged,
)
from player.audio.queue import Change, QueueItem, RepeatMode, ShuffleMode
from player.errors import AppError
from player.ui.kit.qtfix import emit

log = logging.getLogger(__name__)

PUMP_INTERVAL_MS = 50


class PlayerBridge(QObject):
    """Pumps a :class:`PlaybackController` and tells the window what happened."""

    stateChanged = Signal(object)  # PlaybackState
    positionChanged = Signal(int, int)  # position ms, duration ms (0 = unknown)
    trackChanged = Signal(object)  # QueueItem | None: the item now loaded
    metadataChanged = Signal(str)  # a stream's "now playing"
    queueChanged = Signal()
    modesChanged = Signal()
    volumeChanged = Signal(int)
    sleepChanged = Signal()  # the sleep timer was set, cancelled or ran out
    seekRequested = Signal(int)  # a seek to this position (ms) is about to be made
    error = Signal(object)  # AppError

    def __init__(self, controller: PlaybackController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self._item: QueueItem | None = None
        self._last_position = (-1, -1)
        controller.queue.on_change = self._queue_changed
        self.timer = QTimer(self)
        self.timer.setInterval(PUMP_INTERVAL_MS)
        self.timer.timeout.connect(self.pump)
        self.timer.start()

    # ---- observing -----------------------------------------------------------
    @property
    def state(self) -> PlaybackState:
        return self.controller.state

    @property
    def playing_item(self) -> QueueItem | None:
        return self.controller.playing_item

    def pump(self) -> None:
        """Drain the controller's reports and re-emit them (the timer calls this)."""
        try:
            reports = self.controller.pump()
        except Exception as exc:  # the window must survive a controller bug
            log.exception("pumping the controller failed")
            short = QCoreApplication.translate("PlayerBridge", "Playback hit an internal error")
            emit(self.error, AppError(short, str(exc)))
            return
        failures: list[AppError] = []
        for report in reports:
            if isinstance(report, StateChanged):
                emit(self.stateChanged, report.state)
            elif isinstance(report, MetadataChanged):
                emit(self.metadataChanged, report.now_playing or "")
            elif isinstance(report, ItemFailed):
                failures.append(report.error)
            elif isinstance(report, EngineError):
                pass  # the controller answers with ItemFailed, shown once
            elif isinstance(report, DeviceChanged) and report.message:
                emit(self.error, AppError(report.message))
            elif isinstance(report, SleepEnded):
                emit(self.sleepChanged)
            elif isinstance(report, TrackStarted | QueueEnded | PositionChanged):
                pass  # covered by the checks below
        if failures:
            emit(self.error, summarize(failures))
        self._check_item()
        self._check_position()

    def _check_item(self) -> None:
        item = self.controller.playing_item
        if item is not self._item:
            self._item = item
            emit(self.trackChanged, item)
            emit(self.queueChanged)

    def _check_position(self) -> None:
        current = (self.controller.position(), self.controller.duration() or 0)
        if current != self._last_position:
            self._last_position = current
            emit(self.positionChanged, *current)

    def _queue_changed(self, kind: Change) -> None:
        if kind is Change.MODES:
            emit(self.modesChanged)
        else:
            emit(self.queueChanged)

    # ---- commands --------------------------------------------------------------
    def _do(self, action: str, *args: object) -> None:
        try:
            getattr(self.controller, action)(*args)
        except AppError as exc:
            emit(self.error, exc)
        except Exception as exc:
            log.exception("%s failed", action)
            short = QCoreApplication.translate("PlayerBridge", "Could not {action}")
            emit(self.error, AppError(short.format(action=action), str(exc)))
        self.pump()

    def play(self) -> None:
        self._do("play")

    def pause(self) -> None:
        self._do("pause")

    def toggle(self) -> None:
        self._do("toggle")

    def stop(self) -> None:
        self._do("stop")

    def next(self) -> None:
        self._do("next")

    def previous(self) -> None:
        self._do("previous")

    def seek(self, ms: int) -> None:
        emit(self.seekRequested, int(ms))
        self._do("seek", int(ms))

    def jump(self, item_id: str) -> None:
        self._do("jump", item_id)

    def set_volume(self, percent: int) -> None:
        self._do("set_volume", int(percent))
        emit(self.volumeChanged, self.controller.volume)

    # the queue reports mode changes itself (on_change -> modesChanged)
    def set_shuffle(self, mode: ShuffleMode) -> None:
        self.controller.queue.set_shuffle(mode)

    def set_repeat(self, mode: RepeatMode) -> None:
        self.controller.queue.set_repeat(mode)

    def set_stop_after_current(self, on: bool) -> None:
        self.controller.queue.set_stop_after_current(on)

    def set_sleep_timer(self, seconds: float | None) -> None:
        """Fade out and pause in ``seconds``; None cancels the timer."""
        self._do("set_sleep_timer", seconds)
        emit(self.sleepChanged)

    def play_items(self, items: list[QueueItem], start: int = 0) -> None:
        """Replace the queue with *items* and play the one at *start*."""
        if not items:
            return
        queue = self.controller.queue
        queue.clear()
        queue.add(items)
        self._do("jump", items[max(0, min(start, len(items) - 1))].id)

    def play_next(self, items: list[QueueItem]) -> None:
        self.controller.queue.play_next(items)

    def retag(self, tags: dict[int, dict[str, str]]) -> None:
        """Tracks were re-tagged: the queue and the now-playing bar show the new tags."""
        playing = self.controller.playing_item
        self.controller.queue.retag(tags, also=[playing] if playing is not None else [])
        if playing is not None and playing.track_id in tags:
            emit(self.trackChanged, playing)

    def enqueue(self, items: list[QueueItem]) -> None:
        self.controller.queue.add(items)

    def shutdown(self) -> None:
        """Stop pumping and save the queue with the position (for the next start)."""
        self.timer.stop()
        try:
            self.controller.save_state()
        except (AppError, OSError) as exc:
            log.warning("could not save the queue: %s", exc)


def summarize(errors: list[AppError], shown: int = 5) -> AppError:
    """One notice for the items that failed in one go (a folder of moved files fails at once)."""
    if len(errors) == 1:
        return errors[0]
    lines = [error.short for error in errors[:shown]]
    if len(errors) > shown:
        more = QCoreApplication.translate("PlayerBridge", "… and {count} more")
        lines.append(more.format(count=len(errors) - shown))
    short = QCoreApplication.translate("PlayerBridge", "{count} tracks could not be played")
    return AppError(short.format(count=len(errors)), "\n".join(lines))
