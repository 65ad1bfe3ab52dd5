"""What an engine implementation shares whatever makes the sound.

:class:`EngineCore` keeps the state and its events, the sound settings
(volume, gain, equalizer, chosen device) and a small worker thread: a backend
such as libVLC calls us on its own threads, where calling it back deadlocks,
so it only forwards a tag (``_forward_tag``); the worker turns tags into
Engine events on our side, emits position ticks and lets the backend do its
housekeeping. The span helpers turn a media time into a position within a
CUE range. Plain Python, no libVLC.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from player.audio.engine import (
    TICK_INTERVAL_MS,
    Buffering,
    DeviceChanged,
    EndReached,
    EngineError,
    Event,
    MediaItem,
    PlaybackError,
    PlaybackState,
    PositionChanged,
    missing_file_error,
)
from player.audio.engine_state import EngineState
from player.errors import AppError

log = logging.getLogger(__name__)

#: states in which an item is on its way or sounding
ACTIVE = (PlaybackState.OPENING, PlaybackState.BUFFERING, PlaybackState.PLAYING)
_GONE = (PlaybackState.ERROR, PlaybackState.STOPPED)


def span_duration(item: MediaItem, length_ms: int | None) -> int | None:
    """Length of *item*'s range given the media's length (None or <=0 = unknown)."""
    start = item.start_ms or 0
    end = item.end_ms
    if length_ms and length_ms > 0:
        end = length_ms if end is None else min(end, length_ms)
    return None if end is None else max(0, end - start)


def span_position(item: MediaItem, time_ms: int | None, duration_ms: int | None) -> int:
    """Position within *item*'s range for a media time (clamped to the range)."""
    if time_ms is None or time_ms < 0:
        return 0
    pos = max(0, time_ms - (item.start_ms or 0))
    return pos if duration_ms is None else min(pos, duration_ms)


@dataclass(frozen=True)
class Prepared:
    """An item opened ahead of time to follow the current one."""

    item: MediaItem
    media: Any
    gain_db: float | None


class EngineCore(EngineState):
    """State, events, settings and the worker thread; subclasses make the sound."""

    backend = "the player"

    def __init__(self) -> None:
        super().__init__()
        self._prepared: Prepared | None = None
        self._continued: MediaItem | None = None  # the item we moved on to by ourselves
        self._raw: queue.Queue[tuple[str, Any]] = queue.Queue()
        self._closed = False
        self._worker = threading.Thread(target=self._run, name="engine-worker", daemon=True)

    # --- hooks for the backend ---------------------------------------------
    def _media_time(self) -> int | None:
        """Where the backend is in the whole media (ms), None or <0 when unknown."""
        raise NotImplementedError

    def _media_length(self) -> int | None:
        """The whole media's length (ms), None or <=0 when unknown."""
        raise NotImplementedError

    def _source_error(self) -> AppError | None:
        """Why the current item's input failed, when the backend knows better than
        its decoder (a live stream Kindred reads itself: "not found (404)")."""
        return None

    # --- position within the item's range -----------------------------------
    def position(self) -> int:
        if self._item is None:
            return 0
        if self._state == PlaybackState.ENDED:
            return self.duration() or 0
        return span_position(self._item, self._media_time(), self.duration())

    def duration(self) -> int | None:
        if self._item is None:
            return None
        return span_duration(self._item, self._media_length())

    def _on_playing(self) -> None:
        """The backend reports sound: apply what it ignored until now."""

    def _switch(self, nxt: Prepared | None) -> None:
        """The current item ended: finish it and, if given, start *nxt* at once
        (with its ``gain_db`` when it has one)."""

    def _moved_on(self, nxt: Prepared) -> None:
        """Bookkeeping once *nxt* became the current item."""

    def _on_end(self, item: MediaItem | None) -> None:
        """End of an item: go straight on with a preloaded one, then tell the owner."""
        length = self.duration() if item is not None else None
        nxt, self._prepared = self._prepared, None
        self._switch(nxt)
        self._set_state(PlaybackState.ENDED)
        if item is not None:
            self._events.put(EndReached(item, length or None, nxt.item if nxt else None))
        if nxt is not None:
            self._item, self._continued = nxt.item, nxt.item
            self._moved_on(nxt)
            self._set_state(PlaybackState.OPENING)

    def _housekeeping(self, now: float) -> None:
        """Called by the worker about every 50 ms."""

    # --- the worker ----------------------------------------------------------
    def _forward_tag(self, tag: str, arg: Any = None) -> None:
        """Safe on any thread, including the backend's callback threads."""
        self._raw.put((tag, arg))

    def _run(self) -> None:
        last_tick = 0.0
        while not self._closed:
            try:
                tag, arg = self._raw.get(timeout=0.05)
            except queue.Empty:
                tag, arg = "", None
            if tag:
                self._handle(tag, arg)
            now = time.monotonic()
            if self._state == PlaybackState.PLAYING and now - last_tick >= TICK_INTERVAL_MS / 1000:
                last_tick = now
                self._events.put(PositionChanged(self.position(), self.duration()))
            self._housekeeping(now)

    def _handle(self, tag: str, arg: Any) -> None:
        with self._lock:
            state, item = self._state, self._item
            if tag == "opening" and state not in _GONE:
                self._set_state(PlaybackState.OPENING)
            elif tag == "playing" and state not in _GONE:
                self._on_playing()
                self._set_state(PlaybackState.PLAYING)
            elif tag == "paused" and state == PlaybackState.PLAYING:
                self._set_state(PlaybackState.PAUSED)
            elif tag in ("end", "error") and state not in _GONE and self._source_error():
                self._fail(self._source_error())  # type: ignore[arg-type]
            elif tag == "end" and state not in _GONE:
                self._on_end(item)
            elif tag == "error" and item is not None and state != PlaybackState.STOPPED:
                self._fail(
                    PlaybackError(
                        f"Cannot play {item.title or item.location}",
                        f"{self.backend} could not open or decode {item.location}. The file may "
                        "be damaged or in an unsupported format, or the stream is unreachable.",
                    )
                )
            elif tag == "buffering" and arg is not None:
                self._events.put(Buffering(float(arg)))

    # --- events ----------------------------------------------------------------
    def _fail(self, error: AppError) -> None:
        self._set_state(PlaybackState.ERROR)
        self._events.put(EngineError(error, self._item))

    def _fail_if_missing(self, item: MediaItem) -> bool:
        """A local file that is not there: report it (quickly) and return True."""
        if item.is_url or Path(item.location.removeprefix("file://")).is_file():
            return False
        self._set_state(PlaybackState.OPENING)
        self._fail(missing_file_error(item))
        return True

    def _report_fallback(self, device_id: str) -> None:
        self._device = None
        log.info("output device %s is not available; using the default", device_id)
        self._events.put(
            DeviceChanged(
                None,
                f"The output device {device_id!r} is not available (unplugged or renamed); "
                "playing on the system default device instead.",
            )
        )

    def wait_event(self, timeout: float | None = None) -> Event | None:
        return self._events.wait(timeout)
