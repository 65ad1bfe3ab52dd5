"""The per-item rules the playback controller applies around the engine.

Kept apart from the controller's state machine: which gain an item gets
(ReplayGain, from the library or the file's tags), where a URL item really
plays from (a radio playlist is resolved to its streams first), what plays
after the current item (for preloading), and the stream watchdog that turns
a stalled or silent stream into a reconnect or a failure.

Built from what the rules need (the engine, the queue, the audio settings, the
library and the clock), not from the controller, so they import nothing of it.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from player.audio import item_gain, replaygain
from player.audio.engine import Engine, Event, MediaItem
from player.audio.icy import live_location
from player.audio.queue import PlayQueue, QueueItem, RepeatMode, ShuffleMode
from player.audio.watchdog import ActionKind, StreamWatchdog
from player.config import AudioSettings
from player.errors import AppError
from player.library.playlist_files import playlist_format

if TYPE_CHECKING:
    from player.library.store import LibraryDB

log = logging.getLogger(__name__)

Resolver = Callable[[str], list[MediaItem]]


def resolve_streams(target: str) -> list[MediaItem]:
    """:func:`player.audio.streams.resolve`, imported at the first URL to look up.

    Trades: the stream resolver (its HTTP client, TLS and the playlist readers) is
    imported when a URL first plays, not at start-up.
    """
    from player.audio import streams

    return streams.resolve(target)


def same_album(a: QueueItem | None, b: QueueItem | None) -> bool:
    """Two items of one album, which play gapless, never crossfaded."""
    if a is None or b is None:
        return False
    if a.album_key and a.album_key == b.album_key:
        return True
    return bool(a.album) and a.album.casefold() == b.album.casefold()


@dataclass
class Resolving:
    """A URL item whose streams are being looked up in the background."""

    item: QueueItem
    future: Future[list[MediaItem]]
    seek_to: int = 0
    paused: bool = False


def is_url(location: str) -> bool:
    return "://" in location and not location.startswith("file://")


def needs_resolving(item: QueueItem) -> bool:
    """True for an http(s) URL that may name a radio playlist rather than a stream.

    A saved radio station's URL without a playlist extension is known to be a
    live stream: it opens at once, without a look-up (which would cost a
    connection to the station before libVLC's own).
    """
    if not item.location[:8].lower().startswith(("http://", "https://")):
        return False
    return not item.live or playlist_format(urlsplit(item.location).path) is not None


def direct_location(item: QueueItem) -> str:
    """Where an item that needs no look-up plays from."""
    return live_location(item.location) if item.live else item.location


class PlaybackRules:
    """ReplayGain, stream resolution, preload look-ahead and the stream watchdog."""

    def __init__(
        self,
        engine: Engine,
        queue: PlayQueue,
        settings: AudioSettings,
        clock: Callable[[], float],
        *,
        library: LibraryDB | None = None,
        resolve: Resolver | None = None,
        watchdog: StreamWatchdog | None = None,
        executor: Executor | None = None,
    ) -> None:
        self.engine = engine
        self.queue = queue
        self.settings = settings
        self.library = library
        self.clock = clock
        self.resolve: Resolver = resolve or resolve_streams
        self._executor = executor
        self._own_executor = executor is None
        self.watchdog = watchdog or StreamWatchdog(clock=clock)
        preload = engine.preload
        self._preload_takes_gain = "gain_db" in inspect.signature(preload).parameters
        self._preload_takes_crossfade = "crossfade" in inspect.signature(preload).parameters

    # ---- gain --------------------------------------------------------------
    def gain_db(self, item: QueueItem) -> float:
        """The gain (dB) ReplayGain asks for *item* under the current settings."""
        settings = replaygain.ReplayGainSettings.from_audio_settings(self.settings)
        if settings.mode == "off":
            return 0.0
        info = item_gain.track_info_for(item, self.library)
        in_order = item_gain.album_in_order(self.queue, item)
        return float(replaygain.compute_gain(info, settings, album_in_order=in_order).db)

    # ---- where an item plays from ----------------------------------------------
    def resolve_later(self, item: QueueItem, seek_to: int = 0, paused: bool = False) -> Resolving:
        """Start looking up the streams of a URL item off the owner's thread.

        An http(s) URL may be a radio playlist (.m3u, .pls, .xspf, or served as
        one) naming the real streams, tried in order. Fetching it is network
        work, so it never blocks the owner (a window stays responsive while a
        dead server times out).
        """
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="resolve")
        return Resolving(item, self._executor.submit(self.resolve, item.location), seek_to, paused)

    def close(self) -> None:
        if self._own_executor and self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None

    # ---- what plays next ---------------------------------------------------------
    def peek_next(self, after: QueueItem | None = None) -> QueueItem | None:
        """The item that will follow *after* (the current item by default) at its end,
        without moving the queue. *after* may be an item that itself follows the current
        one (an engine decoding ahead asks that far)."""
        queue = self.queue
        if queue.stop_after_current:
            return None  # nothing after the current item, nor after anything later
        after = after if after is not None else queue.current
        if queue.repeat is RepeatMode.ONE:
            return after
        order = queue.play_order()
        if not order:
            return None
        if after is None:
            return order[0]
        ids = [it.id for it in order]
        i = ids.index(after.id) if after.id in ids else -1
        if 0 <= i < len(order) - 1:
            return order[i + 1]
        if queue.repeat is RepeatMode.ALL and queue.shuffle is ShuffleMode.OFF:
            return order[0]
        return None  # the end, or a new shuffled cycle not drawn yet

    def preload(self, media: MediaItem, item: QueueItem, after: QueueItem | None = None) -> None:
        """Let the engine prepare *item* to follow *after* (the current item by default),
        with its gain when the engine takes it."""
        engine = self.engine
        kwargs: dict[str, object] = {}
        if self._preload_takes_gain:
            kwargs["gain_db"] = self.gain_db(item)
        if self._preload_takes_crossfade:
            before = after if after is not None else self.queue.current
            kwargs["crossfade"] = not same_album(before, item)
        engine.preload(media, **kwargs)  # type: ignore[arg-type]

    # ---- the stream watchdog -------------------------------------------------------
    def loaded(self, media: MediaItem) -> None:
        """*media* was just asked to play: watch it when it is a stream."""
        if media.is_url:
            self.watchdog.watch(media, self.clock())
        else:
            self.watchdog.forget()

    def swallows(self, event: Event) -> bool:
        """Show *event* to the watchdog; True when the controller must not act on it."""
        return self.watchdog.observe(event, self.clock())

    def check(self, now: float, playing: MediaItem | None) -> AppError | None:
        """Carry out what the watchdog says about *playing* (what the engine was asked
        to play): reconnect a stalled stream, or return the error to fail it with."""
        action = self.watchdog.check(now)
        if action is None or playing != action.item:
            return None  # nothing to do, or about an item that is no longer playing
        if action.kind is ActionKind.RECONNECT:
            log.info("reconnecting to %s (attempt %d)", action.item.location, action.attempt)
            self.watchdog.apply(self.engine, action)
            return None
        return action.error
