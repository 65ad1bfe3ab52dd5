"""How the playback controller reacts to what the engine reports.

A mixin of :class:`~player.audio.controller.PlaybackController`, split out so
each file stays readable: the reactions to the engine's events (an item
started, a position tick, the end of an item, an error) and the failure rule
(keep the error, record nothing, move on; stop once every item has failed).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from player.audio.controller_ahead import UpNext
from player.audio.controller_events import (
    ItemFailed,
    Report,
    TrackStarted,
    display_name,
)
from player.audio.engine import (
    DeviceChanged,
    EndReached,
    Engine,
    EngineError,
    Event,
    MediaItem,
    PlaybackError,
    PlaybackState,
    PositionChanged,
    StateChanged,
)
from player.audio.listening import ListenTracker
from player.audio.playback_rules import PlaybackRules
from player.audio.queue import Action, PlayQueue, QueueItem, Step
from player.errors import AppError, SoundDeviceError

log = logging.getLogger(__name__)


class EngineReactions(UpNext):
    """Reactions to engine events; the state lives in the controller."""

    engine: Engine
    queue: PlayQueue
    rules: PlaybackRules
    on_error: Callable[[QueueItem, AppError], None] | None
    errors: list[tuple[QueueItem, AppError]]
    device_message: str | None
    _item: QueueItem | None
    _media: MediaItem | None
    _alternatives: list[str]
    _outbox: list[Report]
    _listen: ListenTracker
    _announced: bool
    _preloaded: bool
    _pending_seek: int | None
    _pending_pause: bool
    _failures: int
    _muted: bool

    def _carry_out(self, step: Step, *, seek_to: int = 0, paused: bool = False) -> None:
        raise NotImplementedError

    def _load(self, item: QueueItem, location: str) -> None:
        raise NotImplementedError

    def _unload(self, *, ended: bool = False) -> None:
        raise NotImplementedError

    def _take_over(self, item: QueueItem, media: MediaItem) -> None:
        raise NotImplementedError

    def _drop_pending(self) -> None:
        raise NotImplementedError

    def _seek_engine(self, ms: int) -> None:
        raise NotImplementedError

    def _react(self, event: Event) -> None:
        if isinstance(event, DeviceChanged):
            if event.message:
                self.device_message = event.message  # the saved choice stays in the settings
            return
        if self._media is None or self._item is None:
            return  # nothing loaded (stopped, or a URL still being looked up)
        if isinstance(event, PositionChanged):
            self._on_position(event.position_ms, event.duration_ms)
        elif isinstance(event, StateChanged):
            self._on_state(event.state)
        elif isinstance(event, EndReached) and event.item == self._media:
            self._on_end(event.duration_ms, event.next_item)
        elif isinstance(event, EngineError) and event.item in (None, self._media):
            self.fail_current(event.error)

    def _on_state(self, state: PlaybackState) -> None:
        if self._item is None:
            return
        if state == PlaybackState.PLAYING and not self._listen.started:
            self._listen.started = True
            if self._pending_seek:
                self._seek_engine(self._pending_seek)
                self._listen.jumped(self._pending_seek)
                self.queue.position_ms = self._pending_seek
            self._pending_seek = None
            if self._pending_pause:
                self.engine.pause()
            self._listen.duration_ms = self.engine.duration() or self._listen.duration_ms
            if self._listen.duration_ms or (self._media is not None and self._media.is_url):
                self._announce()  # a file without a length is not trusted until it plays
            self._offer_near_end(self._listen.last_pos)  # a short item: at once
        elif state == PlaybackState.PAUSED and self._pending_pause:
            self._pending_pause = False
            self.engine.set_muted(self._muted)

    def _on_position(self, position_ms: int, duration_ms: int | None) -> None:
        if self._item is None:
            return
        self._listen.tick(position_ms, duration_ms)
        self.queue.position_ms = position_ms
        if position_ms > 0 and self._listen.started:
            self._failures = 0
            self._announce()
        self._offer_near_end(position_ms)

    def _on_end(self, ended_ms: int | None, went_on: MediaItem | None = None) -> None:
        """The item ended; ``ended_ms`` is its length as the engine knew it; ``went_on``
        the preloaded item the engine already moved on to (None: it stopped)."""
        item = self._item
        assert item is not None
        duration = ended_ms or self._listen.duration_ms
        if not self._listen.produced_audio(duration or item.duration_ms):
            self.fail_current(
                PlaybackError(
                    f"Cannot play {display_name(item)}: damaged or not audio",
                    f"{item.location} ended without playing any audio. The file may be "
                    "damaged or not an audio file, or the stream sent nothing.",
                )
            )
            return
        self._listen.reached_end(duration or item.duration_ms)
        self._announce()
        self.queue.record(item, self._listen.listened_ms, finished=True, skipped=False)
        self._failures = 0
        step = self.queue.advance_on_end()
        if step.action is Action.RESTART:  # repeat one: the engine has ended, load again
            step = Step(Action.PLAY, item)
        if went_on is not None and step.action is Action.PLAY and step.item is not None:
            media = self._went_on_with(step.item, went_on)
            if media is not None:  # what the queue plays next already plays: leave it
                self._take_over(step.item, media)
                return
            self._drop_pending()  # it went on with what the queue no longer plays next
        self._carry_out(step)

    def fail_current(self, error: AppError) -> None:
        """The playing item failed: note it, record no play, move on (never get stuck)."""
        if self._item is None:
            return
        if self._alternatives:  # a stream with further mirrors: try the next one
            location = self._alternatives.pop(0)
            log.info("trying %s after %s", location, error.short)
            self._load(self._item, location)
            return
        step = self._note_failure(error)
        if step is not None:
            self._carry_out(step)

    def _note_failure(self, error: AppError) -> Step | None:
        """Keep the error and say what plays instead (None: every item failed, stopped)."""
        item = self._item
        assert item is not None
        log.info("%s: %s", error.short, error.detail)  # shown through ItemFailed/on_error
        self.errors.append((item, error))
        self._outbox.append(ItemFailed(item, error))
        if self.on_error is not None:
            try:
                self.on_error(item, error)
            except Exception:  # an observer's bug must not break playback
                log.exception("playback on_error callback failed")
        self._failures += 1
        self._listen = ListenTracker()  # nothing to record for this item
        if self._failures >= max(1, len(self.queue)) or isinstance(error, SoundDeviceError):
            # no sound device: the next item would fail the same way; say it once and stop
            self._unload(ended=True)
            return None
        return self.queue.next()

    def _announce(self) -> None:
        """Report the item as started once it shows it really plays (a length or a position)."""
        if not self._announced and self._item is not None:
            self._announced = True
            self._outbox.append(TrackStarted(self._item))
