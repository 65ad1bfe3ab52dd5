"""Errors a person can read.

Every failure that reaches a person is an :class:`AppError` (or a child): a short
message for a status line and a longer one that explains what to do. Core code
raises these; the CLI prints ``short`` (and ``detail`` when useful) without a
traceback, and the UI shows them.
"""

from __future__ import annotations


class AppError(Exception):
    """Base class for errors that are safe to show to a person."""

    def __init__(self, short: str, detail: str = "") -> None:
        super().__init__(short)
        self.short = short
        self.detail = detail or short

    def __str__(self) -> str:
        return self.short


class ConfigError(AppError):
    """The settings file or a configured directory is unusable."""


class LibraryError(AppError):
    """The library database cannot be opened or written."""


class TagError(AppError):
    """A file's tags cannot be read or written."""


class SoundDeviceError(AppError):
    """No sound device can be opened: every track would fail the same way, so playback
    stops and says it once instead of trying the next track."""


class QueryError(AppError):
    """A search or smart-playlist query is malformed.

    ``position`` is the 0-based character offset where the problem starts.
    """

    def __init__(self, message: str, query: str, position: int) -> None:
        self.query = query
        self.position = max(0, min(position, len(query)))
        pointer = " " * self.position + "^"
        super().__init__(
            f"{message} (at character {self.position + 1})",
            f"{message}\n  {query}\n  {pointer}",
        )
        self.message = message


class PlaylistError(AppError):
    """A playlist file is malformed or cannot be written."""
