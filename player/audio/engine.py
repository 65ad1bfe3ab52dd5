"""The playback Engine protocol and the plain types it speaks.

An engine plays one :class:`MediaItem` at a time. It never calls back into the
owner: it puts small event dataclasses into a thread-safe :class:`EventQueue`
that the owner drains (``drain_events`` / ``wait_event``) on its own thread, so
every decision ("play the next track") happens on the owner's side and never on
a backend thread such as libVLC's. A second implementation (a gapless engine)
only has to satisfy :class:`Engine`.
"""

from __future__ import annotations

import enum
import queue
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from player.errors import AppError

#: position ticks are emitted at least this often while playing (5 per second)
TICK_INTERVAL_MS = 200


class PlaybackState(enum.Enum):
    IDLE = "idle"
    OPENING = "opening"
    BUFFERING = "buffering"
    PLAYING = "playing"
    PAUSED = "paused"
    STOPPED = "stopped"
    ENDED = "ended"
    ERROR = "error"


@dataclass(frozen=True)
class MediaItem:
    """What to play: a local path or URL, optionally a CUE range of it (ms)."""

    location: str
    start_ms: int | None = None
    end_ms: int | None = None
    track_id: int | None = None
    title: str = ""

    @property
    def is_url(self) -> bool:
        return "://" in self.location and not self.location.startswith("file://")


class PlaybackError(AppError):
    """Playback of an item failed (missing file, dead stream, no libVLC...)."""


@dataclass(frozen=True)
class StateChanged:
    state: PlaybackState


@dataclass(frozen=True)
class PositionChanged:
    position_ms: int
    duration_ms: int | None


@dataclass(frozen=True)
class EndReached:
    item: MediaItem


@dataclass(frozen=True)
class EngineError:
    """An engine error, carrying a readable :class:`AppError`."""

    error: AppError
    item: MediaItem | None = None


@dataclass(frozen=True)
class Buffering:
    percent: float


@dataclass(frozen=True)
class MetadataChanged:
    now_playing: str | None


Event = StateChanged | PositionChanged | EndReached | EngineError | Buffering | MetadataChanged


class EventQueue:
    """A thread-safe mailbox: backends put, the owner drains on its own thread."""

    def __init__(self) -> None:
        self._queue: queue.Queue[Event] = queue.Queue()

    def put(self, event: Event) -> None:
        self._queue.put(event)

    def drain(self) -> list[Event]:
        events: list[Event] = []
        while True:
            try:
                events.append(self._queue.get_nowait())
            except queue.Empty:
                return events

    def wait(self, timeout: float | None = None) -> Event | None:
        try:
            return self._queue.get(timeout=timeout)
        except queue.Empty:
            return None


@runtime_checkable
class Engine(Protocol):
    """Plays one item at a time; positions are relative to the item's start_ms."""

    @property
    def state(self) -> PlaybackState: ...

    @property
    def volume(self) -> int: ...

    @property
    def muted(self) -> bool: ...

    def load(self, item: MediaItem) -> None: ...

    def play(self) -> None: ...

    def pause(self) -> None: ...

    def resume(self) -> None: ...

    def stop(self) -> None: ...

    def seek(self, ms: int) -> None: ...

    def position(self) -> int: ...

    def duration(self) -> int | None: ...

    def set_volume(self, percent: int) -> None: ...

    def set_muted(self, muted: bool) -> None: ...

    def drain_events(self) -> list[Event]: ...

    def wait_event(self, timeout: float | None = None) -> Event | None: ...

    def close(self) -> None: ...


def clamp_volume(percent: int) -> int:
    return max(0, min(100, int(percent)))


def missing_file_error(item: MediaItem) -> PlaybackError:
    return PlaybackError(
        f"Cannot play {item.title or item.location}: file not found",
        f"The file {item.location} does not exist or cannot be read. "
        "It may have been moved or deleted; rescan the library.",
    )
