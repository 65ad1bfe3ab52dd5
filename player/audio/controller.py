"""The playback controller: the engine plays, the queue orders, this decides.

Plain Python, driven from its owner's thread: the owner calls :meth:`pump`
from its loop or timer, the controller drains the engine's events and reacts
(next track at the end, skip a failed item, resume position, preload what
follows: :mod:`.controller_ahead`) and returns what happened so observers can
show it. Every decision happens here, never on an engine thread.

Preferences (volume, output device, equalizer, ReplayGain mode) live in
:class:`~player.config.AudioSettings`; the controller changes them and calls
``on_settings_changed`` so the owner can save them.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import Executor
from pathlib import Path
from typing import TYPE_CHECKING

from player.audio.controller_ahead import PRELOAD_MS
from player.audio.controller_events import (
    QueueEnded,
    Report,
    media_for,
)
from player.audio.controller_prefs import AudioPreferences
from player.audio.controller_reactions import EngineReactions
from player.audio.controller_sleep import SleepControl
from player.audio.engine import (
    Engine,
    Event,
    MediaItem,
    PlaybackError,
    PlaybackState,
)
from player.audio.listening import ListenTracker
from player.audio.playback_rules import (
    PlaybackRules,
    Resolver,
    Resolving,
    direct_location,
    needs_resolving,
)
from player.audio.queue import Action, PlayQueue, QueueItem, Step
from player.audio.sleep import SleepTimer
from player.audio.watchdog import StreamWatchdog
from player.config import AudioSettings, Paths, Settings
from player.errors import AppError

if TYPE_CHECKING:
    from player.library.store import LibraryDB

log = logging.getLogger(__name__)

#: how many rounds of engine events one pump handles: each failing item (a
#: missing file fails at once) starts the next, and a queue of hundreds of
#: missing files must not hold a window's event loop for seconds
MAX_ROUNDS_PER_PUMP = 8

_ACTIVE = (PlaybackState.OPENING, PlaybackState.BUFFERING, PlaybackState.PLAYING)


class PlaybackController(EngineReactions, SleepControl, AudioPreferences):
    """Owns an Engine and a PlayQueue; call :meth:`pump` regularly on the owner's thread."""

    def __init__(
        self,
        engine: Engine,
        queue: PlayQueue,
        settings: AudioSettings,
        *,
        library: LibraryDB | None = None,
        on_error: Callable[[QueueItem, AppError], None] | None = None,
        on_settings_changed: Callable[[], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
        resolve: Resolver | None = None,
        watchdog: StreamWatchdog | None = None,
        executor: Executor | None = None,
    ) -> None:
        self.engine = engine
        self.queue = queue
        self.settings = settings
        self.library = library if library is not None else queue.library
        self.on_error = on_error
        self.on_settings_changed = on_settings_changed
        self.clock = clock
        self.errors: list[tuple[QueueItem, AppError]] = []
        self.device_message: str | None = None  # why the saved device is not in use
        self.gain_db = 0.0  # the gain applied to the item now playing
        self.rules = PlaybackRules(
            engine,
            queue,
            settings,
            clock,
            library=self.library,
            resolve=resolve,
            watchdog=watchdog,
            executor=executor,
        )
        self._init_ahead()
        self._resolving: Resolving | None = None
        self._item: QueueItem | None = None  # the queue item loaded in the engine
        self._media: MediaItem | None = None
        self._alternatives: list[str] = []  # further locations of a resolved stream
        self._generation = 0  # bumped on every load: later events of a batch are stale
        self._outbox: list[Report] = []
        self._muted = settings.muted
        self._failures = 0  # items failed in a row
        self.sleep = SleepTimer(clock)
        self._faded_to: int | None = None
        self._reset_listen()
        self.apply_settings()

    # ---- reading -----------------------------------------------------------
    @property
    def state(self) -> PlaybackState:
        return self.engine.state

    @property
    def playing_item(self) -> QueueItem | None:
        """The item loaded in the engine (None when stopped)."""
        return self._item

    @property
    def playing_media(self) -> MediaItem | None:
        """What the engine was asked to play for :attr:`playing_item` (a resolved stream)."""
        return self._media

    @property
    def active(self) -> bool:
        """True while an item is loaded (playing, paused or opening)."""
        return self._item is not None

    def position(self) -> int:
        """Position in the playing item (ms), including a seek not yet applied."""
        if self._resolving is not None:
            return self._resolving.seek_to
        if self._pending_seek is not None:
            return self._pending_seek
        return self.engine.position() if self._item is not None else self.queue.position_ms

    def duration(self) -> int | None:
        return self.engine.duration() or self._listen.duration_ms

    # ---- transport -----------------------------------------------------------
    def play(self) -> None:
        """Play: resume when paused, else start the current item (or the first)."""
        self._failures = 0
        if self._resolving is not None:
            return  # already on its way
        if self._item is not None:
            if self._pending_pause:
                self._pending_pause = False
                self.engine.set_muted(self._muted)
            if self.engine.state == PlaybackState.PAUSED:
                self.engine.resume()
                return
            if self.engine.state in _ACTIVE:
                return
        current = self.queue.current
        if current is None:
            self._carry_out(self.queue.next())
        else:
            self._carry_out(Step(Action.PLAY, current), seek_to=self.queue.position_ms)

    def pause(self) -> None:
        if self.engine.state == PlaybackState.PLAYING:
            self.engine.pause()

    def toggle(self) -> None:
        if self.engine.state == PlaybackState.PLAYING:
            self.pause()
        else:
            self.play()

    def stop(self) -> None:
        """Stop; the current item stays current and plays from its start next time."""
        self._leave_current()
        self._unload()
        self.queue.position_ms = 0

    def next(self) -> None:
        self._failures = 0
        step = self.queue.next()
        self._leave_current()
        self._drop_pending()
        self._carry_out(step)

    def previous(self) -> None:
        """Previous item, or back to the start of this one when more than 3 s played."""
        self._failures = 0
        step = self.queue.previous(self.position())
        if step.action is not Action.RESTART:
            self._leave_current()
            self._drop_pending()
        self._carry_out(step)

    def jump(self, item_id: str) -> None:
        """Play the queue item with this id now."""
        self._failures = 0
        step = self.queue.jump(item_id)
        self._leave_current()
        self._drop_pending()
        self._carry_out(step)

    def seek(self, ms: int) -> None:
        ms = max(0, int(ms))
        if self._resolving is not None:
            self._resolving.seek_to = ms
            return
        if self._pending_seek is not None:
            self._pending_seek = ms
            return
        if self._item is None:
            self.queue.position_ms = ms
            return
        self._seek_engine(ms)
        self._listen.jumped(ms)
        self.queue.position_ms = ms
        duration = self.duration()
        if duration is None or duration - ms > PRELOAD_MS:
            self._preloaded = False

    # ---- the owner's loop ------------------------------------------------------
    def pump(self, timeout: float = 0.0) -> list[Report]:
        """Handle every pending engine event; returns them with what was decided.

        With ``timeout`` > 0 it first waits up to that long for an event, so a
        command-line loop can call it without spinning.
        """
        self._poll_resolution()
        out: list[Report] = self._take_outbox()
        first = self.engine.wait_event(timeout) if timeout > 0 else None
        batch: list[Event] = ([first] if first is not None else []) + self.engine.drain_events()
        rounds = 0
        while batch:
            generation = self._generation
            for event in batch:
                out.append(event)
                if generation == self._generation and not self.rules.swallows(event):
                    self._react(event)
                out.extend(self._take_outbox())
            rounds += 1
            if rounds >= MAX_ROUNDS_PER_PUMP:
                break  # a long run of failing items: the rest waits for the next pump
            batch = self.engine.drain_events()
        self._poll_resolution()
        self._follow_up()
        stalled = self.rules.check(self.clock(), self._media)
        if stalled is not None:
            self.fail_current(stalled)
        ended = self._check_sleep()
        out.extend(self._take_outbox())
        if ended is not None:
            out.append(ended)
        return out

    def close(self) -> None:
        """Record the play in progress and release the engine."""
        self._leave_current()
        self._resolving = None
        self.rules.close()
        self.engine.close()

    # ---- resume ----------------------------------------------------------------
    def save_state(self, path: str | Path | None = None) -> Path:
        """Save the queue with the position in the current item (for the next start)."""
        if self._item is not None:
            self.queue.position_ms = self.position()
        return self.queue.save(path)

    def restore_state(
        self, path: str | Path | None = None, *, play: bool = False
    ) -> AppError | None:
        """Load the saved queue and return to the saved item and position.

        With ``play`` False the item is loaded and left paused at the position.
        Returns the warning when the saved file was unreadable (the queue is then empty).
        """
        loaded = PlayQueue.load(path)
        self._unload()
        self.queue.restore(loaded.to_dict())
        current = self.queue.current
        if current is not None:
            self._carry_out(
                Step(Action.PLAY, current), seek_to=self.queue.position_ms, paused=not play
            )
        return loaded.warning

    # ---- doing what the queue decided ----------------------------------------------
    def _carry_out(self, step: Step, *, seek_to: int = 0, paused: bool = False) -> None:
        if step.action is Action.STOP or step.item is None:
            self._unload(ended=True)
        elif (
            step.action is Action.RESTART
            and self._item is step.item
            and self.engine.state in (PlaybackState.PLAYING, PlaybackState.PAUSED)
        ):
            self._seek_engine(0)
            self._listen.jumped(0)
        else:
            self._start(step.item, seek_to=seek_to, paused=paused)

    def _start(self, item: QueueItem, *, seek_to: int = 0, paused: bool = False) -> None:
        """Load and play *item* (a URL that may be a playlist is looked up first)."""
        self._item = item
        self._reset_listen()
        self._alternatives = []
        if not needs_resolving(item):
            self._begin(item, [direct_location(item)], seek_to, paused)
            return
        self._media = None
        self._forget_ahead()
        if self.engine.state not in (PlaybackState.IDLE, PlaybackState.STOPPED):
            self.engine.stop()  # the previous item does not play on while the lookup runs
        self._resolving = self.rules.resolve_later(item, seek_to, paused)

    def _poll_resolution(self) -> None:
        """Play a looked-up URL item, or fail it, once its lookup has finished."""
        pending = self._resolving
        if pending is None or not pending.future.done():
            return
        self._resolving = None
        if pending.item is not self._item:
            return  # the listener moved on meanwhile
        try:
            locations = [media.location for media in pending.future.result()]
        except AppError as error:
            step = self._note_failure(error)
        except Exception as exc:  # a resolver bug: still a readable failure, never stuck
            log.exception("looking up %s failed", pending.item.location)
            step = self._note_failure(
                PlaybackError(f"Cannot play {pending.item.location}", str(exc))
            )
        else:
            self._begin(
                pending.item, locations or [pending.item.location], pending.seek_to, pending.paused
            )
            return
        if step is not None:
            self._carry_out(step)

    def _begin(self, item: QueueItem, locations: list[str], seek_to: int, paused: bool) -> None:
        self._alternatives = locations[1:]
        self._apply_gain(item)
        self._pending_seek = seek_to or None
        self._pending_pause = paused
        if paused:
            self.engine.set_muted(True)  # silent until paused at the saved position
        self._load(item, locations[0])

    def _load(self, item: QueueItem, location: str) -> None:
        self._media = media_for(item, location)
        self._listen = ListenTracker()
        self._announced = False
        self._forget_ahead()  # a load drops the engine's preloads
        self.engine.load(self._media)
        self.engine.play()
        self.rules.loaded(self._media)

    def _take_over(self, item: QueueItem, media: MediaItem) -> None:
        """The engine went on with *item* by itself (preloaded): it is the current item
        now, and what was preloaded after it stays."""
        self._item = item
        self._reset_listen()
        self._alternatives = []
        self._apply_gain(item)
        self._media = media
        self.rules.loaded(media)

    def _seek_engine(self, ms: int) -> None:
        self.engine.seek(ms)
        self._after_seek()

    def _unload(self, *, ended: bool = False) -> None:
        """Stop the engine and forget the loaded item; ``ended``: nothing more will play."""
        self._drop_pending()
        self._forget_ahead()
        was_loaded = self._item is not None
        self.rules.watchdog.forget()
        self._resolving = None
        self.engine.stop()
        self._item = self._media = None
        self._alternatives = []
        self._reset_listen()
        if ended and was_loaded:
            self._outbox.append(QueueEnded())

    def _drop_pending(self) -> None:
        """Before a change the listener asked for: events still queued belong to the old
        item, so they are passed on to observers but not acted on.

        (At a natural end nothing is dropped: an engine that already went on to the
        preloaded item has queued that item's events, which must be acted on.)
        """
        self._outbox.extend(self.engine.drain_events())
        self._generation += 1

    def _apply_gain(self, item: QueueItem) -> None:
        self.gain_db = self.rules.gain_db(item)
        self.engine.set_gain_db(self.gain_db)

    # ---- history -------------------------------------------------------------------
    def _reset_listen(self) -> None:
        if getattr(self, "_pending_pause", False):
            self.engine.set_muted(self._muted)
        self._listen = ListenTracker()
        self._announced = False
        self._preloaded = False
        self._pending_seek: int | None = None
        self._pending_pause = False

    def _leave_current(self) -> None:
        """The playing item stops being current: record how long it was listened."""
        item = self._item
        if item is None or not self._listen.started:
            return
        if self.engine.state in (PlaybackState.PLAYING, PlaybackState.PAUSED):
            self._listen.tick(self.engine.position())
        outcome = self._listen.outcome(item.duration_ms)
        self.queue.record(item, self._listen.listened_ms, outcome.finished, outcome.skipped)
        self._listen = ListenTracker()

    # ---- helpers -------------------------------------------------------------------
    def _take_outbox(self) -> list[Report]:
        out, self._outbox = self._outbox, []
        return out


def controller_for(
    engine: Engine,
    settings: Settings,
    *,
    library: LibraryDB | None = None,
    queue: PlayQueue | None = None,
    paths: Paths | None = None,
    remember: bool = True,
) -> PlaybackController:
    """A controller over *engine* with the settings' audio preferences; with
    ``remember`` a change to them (volume, equalizer, ...) is saved at once."""

    def save() -> None:
        settings.save(paths)

    return PlaybackController(
        engine,
        queue if queue is not None else PlayQueue(library=library),
        settings.audio,
        library=library,
        on_settings_changed=save if remember else None,
    )
