"""Notice the stream failures an engine cannot report by itself, and recover radio.

libVLC reports a refused connection or a 404 as an error, but some failures
never produce an event: a server that accepts and never answers leaves the
player Opening for good, a stalled stream stays Playing with a frozen clock, a
response of garbage bytes plays nothing and simply "ends", and a radio station
whose source drops just reaches its end, with no reconnection.

:class:`StreamWatchdog` watches the events of whichever engine plays and the
time that passes, and says what to do. It never touches the engine itself
(engines are driven from the owner's thread only), so the owner's loop is::

    for event in engine.drain_events():
        if watchdog.observe(event):
            continue  # the watchdog deals with it (e.g. a radio end it will reconnect)
        ...  # the usual handling
    action = watchdog.check()
    if action is not None:
        watchdog.apply(engine, action)  # reconnect, or stop; then show action.error

The clock is injectable so the rules can be tested with fake time.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable
from dataclasses import dataclass

from player.audio.engine import (
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

OPEN_TIMEOUT_S = 8.0
STALL_TIMEOUT_S = 8.0
MAX_RECONNECTS = 3
#: wait before reconnect attempt 1, 2, 3... (the last value repeats)
BACKOFF_S = (0.5, 1.0, 2.0)
#: once a reconnected stream has played this much, the attempt counter resets
HEALTHY_AFTER_MS = 5000
#: an end this soon after Playing, with no position and no duration, means the
#: data was not audio (libVLC takes ~20 ms to give up on garbage bytes)
NOT_AUDIO_WINDOW_S = 0.5


class ActionKind(enum.Enum):
    RECONNECT = "reconnect"  # stop and play the same item again
    FAIL = "fail"  # give up on the item; show ``error``


@dataclass(frozen=True)
class WatchdogAction:
    """What the owner should do now about ``item``."""

    kind: ActionKind
    item: MediaItem
    error: PlaybackError | None = None  # set for FAIL
    attempt: int = 0  # for RECONNECT: 1 for the first attempt


class _Phase(enum.Enum):
    IDLE = "idle"  # nothing watched
    OPENING = "opening"  # asked to play, no audio yet
    PLAYING = "playing"
    PAUSED = "paused"
    WAITING = "waiting"  # a reconnect is due at ``_due``
    RECONNECTING = "reconnecting"  # a reconnect was handed out; its events follow


class StreamWatchdog:
    """Turns missing or misleading engine events into reconnects and readable failures.

    Call :meth:`watch` when an item starts playing and :meth:`forget` when the
    person stops or changes item; feed every engine event to :meth:`observe`
    and call :meth:`check` regularly (every tick is plenty).
    """

    def __init__(
        self,
        *,
        open_timeout: float = OPEN_TIMEOUT_S,
        stall_timeout: float = STALL_TIMEOUT_S,
        max_reconnects: int = MAX_RECONNECTS,
        backoff: tuple[float, ...] = BACKOFF_S,
        healthy_after_ms: int = HEALTHY_AFTER_MS,
        not_audio_window: float = NOT_AUDIO_WINDOW_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.open_timeout = open_timeout
        self.stall_timeout = stall_timeout
        self.max_reconnects = max_reconnects
        self.backoff = backoff or (0.0,)
        self.healthy_after_ms = healthy_after_ms
        self.not_audio_window = not_audio_window
        self._clock = clock
        self._item: MediaItem | None = None
        self._phase = _Phase.IDLE
        self._since = 0.0  # when the current phase (or the last progress) started
        self._due = 0.0  # when the next reconnect is due (WAITING)
        self._started = False  # the engine has reported this (re)start of the item
        self._playing_at: float | None = None  # when this (re)start reached Playing
        self._position = 0
        self._progress_ms = 0  # audio played since the last (re)start
        self._duration: int | None = None
        self._attempts = 0
        self._pending: WatchdogAction | None = None

    # ---- what is watched -----------------------------------------------------------
    @property
    def item(self) -> MediaItem | None:
        return self._item

    @property
    def reconnect_attempts(self) -> int:
        """Reconnects made since the stream last played steadily."""
        return self._attempts

    def watch(self, item: MediaItem, now: float | None = None) -> None:
        """Start watching ``item``, which the owner has just asked the engine to play."""
        self._item = item
        self._attempts = 0
        self._duration = None
        self._pending = None
        self._start(self._now(now))

    def forget(self) -> None:
        """Stop watching (the person stopped, paused for good or chose another item)."""
        self._item = None
        self._phase = _Phase.IDLE
        self._pending = None

    @property
    def is_live(self) -> bool:
        """True when the watched item is a stream without a known end (radio)."""
        return self._item is not None and self._item.is_url and not self._duration

    # ---- events ------------------------------------------------------------------------
    def observe(self, event: Event, now: float | None = None) -> bool:
        """Take note of an engine event; True when the owner must not act on it.

        True is returned for the end of a radio stream that will be reconnected,
        for the end of a stream that turned out not to be audio (:meth:`check`
        then reports it) and for errors of a reconnect attempt.
        """
        if self._item is None:
            return False
        at = self._now(now)
        if isinstance(event, PositionChanged):
            self._on_position(event, at)
        elif isinstance(event, StateChanged):
            self._on_state(event.state, at)
        elif isinstance(event, EndReached):
            return self._on_end(event, at)
        elif isinstance(event, EngineError):
            return self._on_error(event, at)
        return False

    def _on_position(self, event: PositionChanged, at: float) -> None:
        if event.duration_ms:
            self._duration = event.duration_ms
        if event.position_ms != self._position:
            if event.position_ms > self._position:
                self._progress_ms += event.position_ms - self._position
            self._position = event.position_ms
            if self._phase == _Phase.PLAYING:
                self._since = at
        if self._attempts and self._progress_ms >= self.healthy_after_ms:
            self._attempts = 0

    def _on_state(self, state: PlaybackState, at: float) -> None:
        phase = self._phase
        if phase == _Phase.WAITING:
            return  # the engine has ended or failed; a reconnect is due
        if state == PlaybackState.PLAYING:
            self._started = True
            if self._playing_at is None:
                self._playing_at = at
            if phase != _Phase.PLAYING:
                self._phase, self._since = _Phase.PLAYING, at
        elif state == PlaybackState.PAUSED:
            self._started = True
            self._phase, self._since = _Phase.PAUSED, at
        elif state in (PlaybackState.OPENING, PlaybackState.BUFFERING):
            if phase in (_Phase.PAUSED, _Phase.RECONNECTING):
                self._start(at)
            self._started = True
        elif state in (PlaybackState.STOPPED, PlaybackState.IDLE) and self._started:
            # a stop after the item started is the person's; an earlier one is left
            # over from loading the item, or is the stop that begins a reconnect
            self.forget()

    def _on_end(self, event: EndReached, at: float) -> bool:
        if event.item != self._item:
            return False
        if self._duration or event.duration_ms or not event.item.is_url:
            self.forget()  # a file or a finite stream ended: the owner plays the next
            return False
        played_for = at - (self._playing_at if self._playing_at is not None else at)
        if self._progress_ms <= 0 and not self._attempts and played_for <= self.not_audio_window:
            self._fail(_not_audio(event.item))
            return True
        return self._schedule_reconnect(at, "the stream ended")

    def _on_error(self, event: EngineError, at: float) -> bool:
        if self._phase == _Phase.WAITING:
            return True  # a late echo of the failure a reconnect is already due for
        if self._attempts or (self.is_live and self._progress_ms > 0):
            return self._schedule_reconnect(at, event.error.short)
        self.forget()  # the engine's own error is already readable
        return False

    # ---- time --------------------------------------------------------------------------
    def check(self, now: float | None = None) -> WatchdogAction | None:
        """The action due now, if any (each action is handed out once)."""
        if self._pending is not None:
            action, self._pending = self._pending, None
            return action
        item = self._item
        if item is None:
            return None
        at = self._now(now)
        phase = self._phase
        if phase == _Phase.WAITING and at >= self._due:
            self._attempts += 1
            self._start(at, phase=_Phase.RECONNECTING)
            return WatchdogAction(ActionKind.RECONNECT, item, attempt=self._attempts)
        if phase in (_Phase.OPENING, _Phase.RECONNECTING) and at - self._since > self.open_timeout:
            if self._attempts:
                self._schedule_reconnect(at, "the server does not answer")
                return self._pending_or_none()
            self._fail(_no_answer(item, self.open_timeout))
            return self._pending_or_none()
        if phase == _Phase.PLAYING and at - self._since > self.stall_timeout:
            if self.is_live:
                self._schedule_reconnect(at, "the stream stalled")
                return self._pending_or_none()
            self._fail(_stalled(item, self.stall_timeout))
            return self._pending_or_none()
        return None

    def apply(self, engine: Engine, action: WatchdogAction) -> None:
        """Carry out ``action`` on ``engine`` (call on the engine owner's thread).

        RECONNECT stops and plays the same item again; FAIL stops the engine.
        Showing ``action.error`` and moving on is left to the owner.
        """
        if action.kind == ActionKind.RECONNECT:
            if engine.state not in (PlaybackState.IDLE, PlaybackState.STOPPED):
                engine.stop()
            engine.play()
        else:
            engine.stop()

    # ---- helpers -----------------------------------------------------------------------
    def _now(self, now: float | None) -> float:
        return self._clock() if now is None else now

    def _start(self, at: float, phase: _Phase = _Phase.OPENING) -> None:
        self._phase, self._since = phase, at
        self._position = 0
        self._progress_ms = 0
        self._started = False
        self._playing_at = None

    def _schedule_reconnect(self, at: float, reason: str) -> bool:
        item = self._item
        assert item is not None
        if self._attempts >= self.max_reconnects:
            self._fail(_station_gone(item, self._attempts, reason))
            return True
        wait = self.backoff[min(self._attempts, len(self.backoff) - 1)]
        self._phase, self._due = _Phase.WAITING, at + wait
        return True

    def _fail(self, error: PlaybackError) -> None:
        item = self._item
        assert item is not None
        self._pending = WatchdogAction(ActionKind.FAIL, item, error=error)
        self._item = None
        self._phase = _Phase.IDLE

    def _pending_or_none(self) -> WatchdogAction | None:
        action, self._pending = self._pending, None
        return action


# ---- messages ----------------------------------------------------------------------------
def _name(item: MediaItem) -> str:
    return item.title or item.location


def _no_answer(item: MediaItem, seconds: float) -> PlaybackError:
    return PlaybackError(
        f"Cannot play {_name(item)}: the server does not answer",
        f"{item.location} accepted the connection but sent nothing for {seconds:.0f} s. "
        "The server may be overloaded or broken; try again later.",
    )


def _stalled(item: MediaItem, seconds: float) -> PlaybackError:
    return PlaybackError(
        f"Playback of {_name(item)} stalled: the server stopped sending",
        f"No audio arrived from {item.location} for {seconds:.0f} s, so playback was "
        "stopped. The connection may have been lost.",
    )


def _not_audio(item: MediaItem) -> PlaybackError:
    return PlaybackError(
        f"Cannot play {_name(item)}: not an audio stream",
        f"{item.location} sent data that is not audio in a known format (perhaps a web "
        "page or a broken stream).",
    )


def _station_gone(item: MediaItem, attempts: int, reason: str) -> PlaybackError:
    tries = "1 attempt" if attempts == 1 else f"{attempts} attempts"
    return PlaybackError(
        f"{_name(item)}: the station stopped sending",
        f"The stream {item.location} stopped ({reason}) and {tries} to reconnect failed. "
        "The station may be off the air; try again later.",
    )
