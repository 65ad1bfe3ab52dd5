"""The columns a track list can show: title, width, alignment and how to print them.

Kept apart from the model so the window's header menu and saved layouts can
list them. How a column sorts is the library's business: a column is sortable
when :data:`player.library.trackquery.SORT_ORDERS` has its key.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt

from player.library.trackquery import SORT_ORDERS


def duration_text(seconds: float | None) -> str:
    """``3:07`` or ``1:02:03``; empty for an unknown length."""
    if not seconds or seconds <= 0:
        return ""
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _khz(rate: int | None) -> str:
    if not rate:
        return ""
    value = rate / 1000
    return f"{value:g} kHz"


def _sample(row: dict[str, Any]) -> str:
    """``24/96 kHz`` (bit depth / rate) or ``44.1 kHz`` when the depth is unknown (lossy)."""
    rate = _khz(row.get("sample_rate"))
    depth = row.get("bit_depth")
    return f"{depth}/{rate}" if depth and rate else rate


def _bitrate(row: dict[str, Any]) -> str:
    value = row.get("bitrate") or 0
    return f"{round(value / 1000)} kbps" if value else ""


def _gain(row: dict[str, Any]) -> str:
    value = row.get("rg_track_gain")
    return f"{value:+.1f} dB" if value is not None else ""


def _bpm(row: dict[str, Any]) -> str:
    value = row.get("bpm")
    return f"{value:.0f}" if value else ""


def _loudness(row: dict[str, Any]) -> str:
    """Integrated loudness from the track gain (ReplayGain 2 reference: -18 LUFS).

    Only a fallback: the window fills this column with the analysis' measured
    loudness where there is one (``player.ui.foryou.loudness``).
    """
    gain = row.get("rg_track_gain")
    return f"{-18.0 - gain:.1f} LUFS" if gain is not None else ""


def _stars(row: dict[str, Any]) -> str:
    rating = int(row.get("rating") or 0)
    return "★" * rating + "☆" * (5 - rating) if rating else ""


def _date(stamp: float | None) -> str:
    if not stamp:
        return ""
    return _dt.datetime.fromtimestamp(stamp).strftime("%Y-%m-%d")


def _when(stamp: float | None) -> str:
    """Local date and time to the minute: when a track was last played."""
    if not stamp:
        return ""
    return _dt.datetime.fromtimestamp(stamp).strftime("%Y-%m-%d %H:%M")


def _track_no(row: dict[str, Any]) -> str:
    number = row.get("track_number")
    return str(number) if number else ""


@dataclass(frozen=True)
class Column:
    """One choosable column of a track list."""

    key: str
    title: str
    text: Callable[[dict[str, Any]], str]
    width: int = 120
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft
    visible: bool = True

    @property
    def sortable(self) -> bool:
        """Whether the library can order a list by this column."""
        return self.key in SORT_ORDERS


_RIGHT = Qt.AlignmentFlag.AlignRight

COLUMNS: tuple[Column, ...] = (
    Column("track", "#", _track_no, 44, _RIGHT),
    Column(
        "title",
        "Title",
        lambda r: r["title"] or r["path"].rsplit("/", 1)[-1],
        280,
    ),
    Column("artist", "Artist", lambda r: r["artist"], 170),
    Column("album", "Album", lambda r: r["album"], 190),
    Column("year", "Year", lambda r: str(r["year"] or ""), 60, _RIGHT),
    Column("genre", "Genre", lambda r: r["genre"], 100),
    Column("duration", "Time", lambda r: duration_text(r["duration"]), 64, _RIGHT),
    Column(
        "format",
        "Format",
        lambda r: r["format"] or r["codec"].upper(),
        80,
        visible=False,
    ),
    Column("sample", "Sample rate", _sample, 120, visible=False),
    Column("bitrate", "Bitrate", _bitrate, 84, _RIGHT, visible=False),
    Column("gain", "ReplayGain", _gain, 90, _RIGHT, visible=False),
    Column(
        "plays",
        "Plays",
        lambda r: str(r["play_count"] or ""),
        60,
        _RIGHT,
        visible=False,
    ),
    Column("rating", "Rating", _stars, 90, visible=False),
    Column("added", "Added", lambda r: _date(r["added_at"]), 96, visible=False),
    Column("path", "Path", lambda r: r["path"], 320, visible=False),
    # filled from the tags, or by audio analysis where the tags have none
    Column("bpm", "BPM", _bpm, 60, _RIGHT, visible=False),
    Column("key", "Key", lambda r: r.get("initial_key") or "", 60, visible=False),
    Column("loudness", "Loudness", _loudness, 96, _RIGHT, visible=False),
    # drawn as a heart that a click toggles (player.ui.tracks.ratings)
    Column("liked", "Liked", lambda r: "♥" if r.get("liked") else "", 70),
    # counted by the comment server (player.ui.comments.counts fills it); not sortable in SQL
    Column("comments", "Comments", lambda r: "", 104, _RIGHT, visible=False),
    # new columns go last: a saved header layout maps its sections by position
    Column(
        "skips",
        "Skips",
        lambda r: str(r.get("skip_count") or ""),
        60,
        _RIGHT,
        visible=False,
    ),
    Column(
        "played",
        "Last played",
        lambda r: _when(r.get("last_played")),
        140,
        visible=False,
    ),
)
#: how many of COLUMNS a layout saved before the window kept their keys had
LEGACY_COLUMNS = 19

COLUMN_KEYS = tuple(c.key for c in COLUMNS)
#: The titles above, marked for translation: views show
#: ``QCoreApplication.translate("Columns", column.title)`` (a new column adds its title here).
_TITLES = (
    QT_TRANSLATE_NOOP("Columns", "Title"),
    QT_TRANSLATE_NOOP("Columns", "Artist"),
    QT_TRANSLATE_NOOP("Columns", "Album"),
    QT_TRANSLATE_NOOP("Columns", "Year"),
    QT_TRANSLATE_NOOP("Columns", "Genre"),
    QT_TRANSLATE_NOOP("Columns", "Time"),
    QT_TRANSLATE_NOOP("Columns", "Format"),
    QT_TRANSLATE_NOOP("Columns", "Sample rate"),
    QT_TRANSLATE_NOOP("Columns", "Bitrate"),
    QT_TRANSLATE_NOOP("Columns", "ReplayGain"),
    QT_TRANSLATE_NOOP("Columns", "Plays"),
    QT_TRANSLATE_NOOP("Columns", "Rating"),
    QT_TRANSLATE_NOOP("Columns", "Added"),
    QT_TRANSLATE_NOOP("Columns", "Path"),
    QT_TRANSLATE_NOOP("Columns", "BPM"),
    QT_TRANSLATE_NOOP("Columns", "Key"),
    QT_TRANSLATE_NOOP("Columns", "Loudness"),
    QT_TRANSLATE_NOOP("Columns", "Liked"),
    QT_TRANSLATE_NOOP("Columns", "Comments"),
    QT_TRANSLATE_NOOP("Columns", "Skips"),
    QT_TRANSLATE_NOOP("Columns", "Last played"),
)


def column(key: str) -> Column:
    return COLUMNS[COLUMN_KEYS.index(key)]
