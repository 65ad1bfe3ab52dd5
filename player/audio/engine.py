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
    duration_ms: int | None = None  # the item's length as the engine knew it (None: a live stream)
    #: the preloaded item the engine went straight on with (None: it stopped at the end)
    next_item: MediaItem | None = None


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


@dataclass(frozen=True)
class DeviceChanged:
    """The output device in use changed; ``message`` says why when it was not asked for."""

    device_id: str | None
    message: str | None = None


Event = (
    StateChanged
    | PositionChanged
    | EndReached
    | EngineError
    | Buffering
    | MetadataChanged
    | DeviceChanged
)

#: centre frequencies of the 10 equalizer bands (Hz): libVLC 3's octave bands
#: (31.25 and 62.5 Hz rounded down)
EQ_BANDS_HZ = (31, 62, 125, 250, 500, 1000, 2000, 4000, 8000, 16000)


@dataclass(frozen=True)
class Equalizer:
    """A 10-band graphic equalizer; every value in dB, 0 everywhere = unity."""

    preamp_db: float = 0.0
    bands_db: tuple[float, ...] = (0.0,) * len(EQ_BANDS_HZ)
    preset: str | None = None

    def __post_init__(self) -> None:
        if len(self.bands_db) != len(EQ_BANDS_HZ):
            raise ValueError(f"an equalizer has {len(EQ_BANDS_HZ)} bands, not {len(self.bands_db)}")

    @property
    def is_flat(self) -> bool:
        return self.preamp_db == 0 and not any(self.bands_db)


@dataclass(frozen=True)
class OutputDevice:
    id: str
    description: str


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

    @property
    def gain_db(self) -> float: ...

    def set_gain_db(self, db: float) -> None:
        """Extra gain (ReplayGain and its preamp, decided by the caller) for
        the current and following items; 0.0 = none."""
        ...

    @property
    def equalizer(self) -> Equalizer | None: ...

    def set_equalizer(self, eq: Equalizer | None) -> None:
        """None turns the equalizer off (the signal is then untouched)."""
        ...

    def equalizer_presets(self) -> dict[str, Equalizer]: ...

    def output_devices(self) -> list[OutputDevice]: ...

    @property
    def output_device(self) -> str | None: ...

    def set_output_device(self, device_id: str | None) -> None:
        """None = the system default. An unknown or vanished device falls back
        to the default and emits :class:`DeviceChanged` with a message."""
        ...

    def preload(self, item: MediaItem) -> None:
        """Prepare *item* to follow the current one with as small a gap as possible.

        An engine may start *item* by itself the moment the current one ends
        (the libVLC engine and the output stage do): ``EndReached`` for the old
        item then names it in ``next_item`` and is followed by the new item's
        state events, and the owner's usual ``load(item)`` + ``play()`` find it
        playing and change nothing. A ``load`` of any other item drops the
        preload. A second ``preload`` before the engine has started on the first
        replaces it; after that (see :attr:`wants_next`) it follows the first.
        """
        ...

    @property
    def wants_next(self) -> MediaItem | None:
        """The item the engine has prepared to its end with nothing to follow it yet.

        An engine that decodes ahead of what is heard (the output stage) asks
        here, as soon as it has, for the item after this one: it may be an
        item already preloaded, not yet heard, so that tracks shorter than the
        sound card's buffer still join without a gap. A ``preload`` answers it
        (the item after *this* one). None: nothing is wanted, or the engine
        only takes one item ahead (the owner preloads near the end instead).
        """
        ...

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


def file_duration_ms(item: MediaItem) -> int | None:
    """The length of a local file from its header (mutagen), or None."""
    if item.is_url:
        return None
    try:
        import mutagen

        audio = mutagen.File(item.location.removeprefix("file://"))
    except Exception:  # an unreadable header just means "unknown"
        return None
    if audio is None or getattr(audio.info, "length", None) is None:
        return None
    return round(audio.info.length * 1000)
