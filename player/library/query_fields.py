"""The fields of the search language: every ``field:`` a query may name, what
it compares, and how its value is read (numbers, ranges of them, durations,
ages, bitrates, sample rates, yes/no). :mod:`player.library.query` parses and
compiles queries with these and re-exports the public names.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Callable


class BadValue(Exception):
    """A value that does not parse; the caller adds the position."""


@dataclasses.dataclass(frozen=True)
class FieldSpec:
    """One ``field:`` the language knows: how its value parses and what it compares.

    ``kind`` is ``words`` (word index column), ``substring``, ``exact``,
    ``number``, ``bool`` or ``age``. ``fuzz`` widens ``=`` and ranges for
    measured quantities (``bitrate:320`` matches 319.5-320.5 kbps).
    """

    name: str
    kind: str
    column: str
    help: str
    example: str
    aliases: tuple[str, ...] = ()
    parse: Callable[[str], float] | None = None
    fuzz: float = 0.0
    nullable: bool = False
    bounds: tuple[float, float] | None = None
    fts_column: str = ""


_NUM = re.compile(r"\d+(?:\.\d+)?|\.\d+")
_AGE_UNITS = {
    "h": 3600.0, "hour": 3600.0, "hours": 3600.0,
    "d": 86400.0, "day": 86400.0, "days": 86400.0,
    "w": 7 * 86400.0, "week": 7 * 86400.0, "weeks": 7 * 86400.0,
    "m": 30 * 86400.0, "month": 30 * 86400.0, "months": 30 * 86400.0,
    "y": 365 * 86400.0, "year": 365 * 86400.0, "years": 365 * 86400.0,
}  # fmt: skip
_DURATION_UNITS = {"h": 3600.0, "m": 60.0, "min": 60.0, "s": 1.0, "sec": 1.0, "": 1.0}
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)([a-z]*)")
_YES = frozenset({"yes", "y", "true", "1", "on"})
_NO = frozenset({"no", "n", "false", "0", "off"})


def _number(text: str) -> float:
    if not _NUM.fullmatch(text):
        raise BadValue(f"'{text}' is not a number")
    return float(text)


def _whole(text: str) -> float:
    if not (text.isascii() and text.isdigit()):
        raise BadValue(f"'{text}' is not a whole number")
    return int(text)


def _strip_suffix(text: str, suffixes: tuple[str, ...]) -> tuple[str, str]:
    low = text.lower()
    for suffix in suffixes:
        if low.endswith(suffix) and len(low) > len(suffix):
            return text[: -len(suffix)], suffix
    return text, ""


def _bits(text: str) -> float:
    return _whole(_strip_suffix(text, ("bits", "bit"))[0])


def _kbps(text: str) -> float:
    """Kilobits per second in the query, bits per second in the database."""
    return _number(_strip_suffix(text, ("kbit/s", "kb/s", "kbps", "kbit", "k"))[0]) * 1000


def _hertz(text: str) -> float:
    """``96000``, ``96k``, ``44.1khz``; a bare number under 1000 means kHz."""
    value, suffix = _strip_suffix(text, ("khz", "k", "hz"))
    number = _number(value)
    return number * 1000 if suffix in ("khz", "k") or (not suffix and number < 1000) else number


def _seconds(text: str) -> float:
    """``3:30``, ``1:02:03``, ``210``, ``90s``, ``5m``, ``1h30m``, ``5m30``."""
    low = text.lower()
    problem = f"'{text}' is not a duration (try 3:30, 1:02:03, 90, 90s, 5m or 1h)"
    if ":" in low:
        parts = low.split(":")
        if len(parts) > 3 or not all(_NUM.fullmatch(p) for p in parts):
            raise BadValue(problem)
        return sum(float(part) * 60**i for i, part in enumerate(reversed(parts)))
    total, end = 0.0, 0
    for match in _DURATION_PART.finditer(low):
        unit = match.group(2)
        if match.start() != end or unit not in _DURATION_UNITS:
            raise BadValue(problem)
        total += float(match.group(1)) * _DURATION_UNITS[unit]
        end = match.end()
    if end == 0 or end != len(low):
        raise BadValue(problem)
    return total


def parse_age(text: str) -> float:
    """An age such as ``30d``: h, d, w, m (30-day months) or y."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)([a-z]*)", text.lower())
    if not match:
        raise BadValue(f"'{text}' is not a time span like 30d")
    number, unit = match.groups()
    if not unit:
        raise BadValue(f"Give a time unit after {number}: h, d, w, m (months) or y")
    if unit not in _AGE_UNITS:
        raise BadValue(f"Unknown time unit '{unit}' — use h, d, w, m (months) or y")
    return float(number) * _AGE_UNITS[unit]


def parse_bool(text: str) -> bool:
    """``yes``/``no`` and their kin (``y``, ``true``, ``1``, ``on``, ...), any case."""
    low = text.lower()
    if low not in _YES and low not in _NO:
        raise BadValue(f"'{text}' is not yes or no")
    return low in _YES


def _words(name: str, fts: str, what: str, example: str, *aliases: str) -> FieldSpec:
    return FieldSpec(name, "words", f"t.{fts}", what, example, aliases, fts_column=fts)


def _text(kind: str, name: str, column: str, what: str, example: str, *aliases: str) -> FieldSpec:
    return FieldSpec(name, kind, column, what, example, aliases)


#: Every field the language knows, in the order help lists them.
FIELDS: tuple[FieldSpec, ...] = (
    _words("title", "title", "Words in the title", "title:creep"),
    _words("artist", "artist", "Words in the track artists", 'artist:"pink floyd"'),
    _words("album", "album", "Words in the album title", "album:ok"),
    _words("albumartist", "album_artist", "Words in the album artist", "albumartist:radiohead",
           "album_artist"),
    _words("genre", "genre", "Words in the genres", "genre:rock"),
    _words("composer", "composer", "Words in the composer", "composer:bach"),
    FieldSpec("year", "number", "t.year", "Release year", "year:1990..1999",
              parse=_whole, nullable=True),
    FieldSpec("track", "number", "t.track_number", "Track number", "track:1",
              ("tracknumber",), _whole, nullable=True),
    FieldSpec("disc", "number", "t.disc_number", "Disc number", "disc:2",
              ("discnumber",), _whole, nullable=True),
    FieldSpec("rating", "number", "COALESCE(r.rating, 0)", "Stars, 0-5 (unrated is 0)",
              "rating:>=4", parse=_whole, bounds=(0, 5)),
    _text("bool", "liked", "COALESCE(r.liked, 0)", "Liked: yes or no", "liked:yes"),
    FieldSpec("plays", "number", "t.play_count", "Times played", "plays:>10",
              ("playcount",), _whole),
    FieldSpec("skips", "number", "t.skip_count", "Times skipped", "skips:0",
              ("skipcount",), _whole),
    FieldSpec("played", "age", "t.last_played",
              "Last played within (<) or longer ago than (>) a time span; never, ever",
              "played:<30d", nullable=True),
    _text("age", "added", "t.added_at", "Added within (<) or longer ago than (>) a time span",
          "added:<7d"),
    _text("exact", "codec", "t.codec", "Audio codec: flac, mp3, aac, alac, opus, ...",
          "codec:flac"),
    _text("exact", "format", "t.format", "Container: mp3, flac, mp4, ogg, ...", "format:mp3"),
    _text("bool", "lossless", "t.lossless", "Lossless audio: yes or no", "lossless:yes"),
    FieldSpec("samplerate", "number", "t.sample_rate", "Sample rate in Hz or kHz",
              "samplerate:>=96k", ("sample_rate",), _hertz),
    FieldSpec("bitdepth", "number", "t.bit_depth", "Bits per sample", "bitdepth:24",
              ("bit_depth", "bits"), _bits, nullable=True),
    FieldSpec("bitrate", "number", "t.bitrate", "Average bitrate in kbps", "bitrate:>=256",
              parse=_kbps, fuzz=500),
    FieldSpec("channels", "number", "t.channels", "Number of channels", "channels:>2",
              parse=_whole),
    FieldSpec("duration", "number", "t.duration", "Length: seconds, 3:30, 5m, 1h",
              "duration:>5m", ("length", "time"), _seconds, fuzz=0.5),
    FieldSpec("bpm", "number", "t.bpm", "Beats per minute", "bpm:120..130",
              parse=_number, fuzz=0.5, nullable=True),
    _text("exact", "key", "t.initial_key", "Musical key as tagged", "key:Am", "initialkey"),
    _text("substring", "path", "t.path", "Text anywhere in the file path", "path:live/"),
    _text("substring", "folder", "t.folder", "Text in the folder path", "folder:vinyl", "dir"),
    _text("substring", "filename", "t.filename", "Text in the file name", "filename:.dsf",
          "file"),
    _text("substring", "comment", "t.comment", "Text in the comment tag", "comment:promo"),
    _text("bool", "compilation", "t.compilation", "Part of a compilation: yes or no",
          "compilation:no"),
)  # fmt: skip

_BY_NAME: dict[str, FieldSpec] = {}
for _spec in FIELDS:
    for _name in (_spec.name, *_spec.aliases):
        _BY_NAME[_name] = _spec


def find_field(name: str) -> FieldSpec | None:
    """The field called ``name`` (or one of its aliases), any case."""
    return _BY_NAME.get(name.lower())


def complete_field(prefix: str) -> list[str]:
    """Field names starting with ``prefix``, for completion in the search field."""
    return [spec.name for spec in FIELDS if spec.name.startswith(prefix.lower())]


def closest_field(name: str) -> FieldSpec | None:
    """The field whose name (or alias) looks most like ``name``, for "did you mean"."""
    close = difflib.get_close_matches(name.lower(), list(_BY_NAME), n=1, cutoff=0.6)
    return _BY_NAME[close[0]] if close else None
