"""What the playback controller reports besides the engine's own events.

:meth:`PlaybackController.pump` returns the engine events it handled followed
by these, so an observer (the CLI, the window) sees what was decided: which
queue item started, which one failed and why, when playback ran out, and
when the sleep timer ended it.
"""

from __future__ import annotations

from dataclasses import dataclass

from player.audio.engine import Event, MediaItem
from player.audio.queue import QueueItem
from player.errors import AppError


@dataclass(frozen=True)
class TrackStarted:
    """*item* really plays: the engine is Playing it and reports its length or a position."""

    item: QueueItem


@dataclass(frozen=True)
class ItemFailed:
    """*item* could not be played; the controller moved on to the next one."""

    item: QueueItem
    error: AppError


@dataclass(frozen=True)
class QueueEnded:
    """Nothing more plays: the queue ran out, stop-after-current, or every item failed."""


@dataclass(frozen=True)
class SleepEnded:
    """The sleep timer ran out: playback paused (a live stream stopped) if it was playing."""

    paused: bool


ControllerEvent = TrackStarted | ItemFailed | QueueEnded | SleepEnded
Report = Event | ControllerEvent


def media_for(item: QueueItem, location: str | None = None) -> MediaItem:
    """The engine's view of a queue item (optionally at a resolved stream location)."""
    return MediaItem(
        location=location or item.location,
        start_ms=item.start_ms,
        end_ms=item.end_ms,
        track_id=item.track_id,
        title=item.title or display_name(item),
    )


def display_name(item: QueueItem) -> str:
    """``Artist - Title`` when known, else the file name or URL."""
    if item.artist and item.title:
        return f"{item.artist} - {item.title}"
    if item.title:
        return item.title
    if "://" in item.location:
        return item.location
    return item.location.replace("\\", "/").rsplit("/", 1)[-1]
