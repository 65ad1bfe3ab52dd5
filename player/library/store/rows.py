"""Row helpers of the library store: how a track becomes a row and back.

:func:`prepare` turns a :class:`~player.library.track.TrackInfo` into column
values (lists as JSON, text made safe for SQLite, paths that are not UTF-8 as
bytes), the word-index values and the folded text of the CJK index;
:func:`row_to_track` and :func:`decode_row` read a row back. :func:`fold` and
:func:`has_cjk` are the text rules the search shares with the indexes.
"""

from __future__ import annotations

import json
import os
import unicodedata
from dataclasses import fields
from operator import attrgetter
from typing import Any, NamedTuple

from player.library.track import MULTI_VALUE_FIELDS, TrackInfo
from player.songid import song_key

#: Columns of ``tracks`` that mirror :class:`TrackInfo` fields, in order.
TRACK_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(TrackInfo))
#: Columns that feed the word index, in index column order.
FTS_COLUMNS = ("title", "artist", "album", "album_artist", "genre", "composer")
#: Every column a scan writes, in the order of :class:`Prepared` values.
TRACK_COLUMNS: tuple[str, ...] = (
    *TRACK_FIELDS,
    "artist",
    "album_artist",
    "genre",
    "folder",
    "filename",
    "content_key",
    "song_key",
)
_PATH_INDEX = TRACK_FIELDS.index("path")
_CUE_INDEX = TRACK_FIELDS.index("cue_path")
_TITLE_INDEX = TRACK_FIELDS.index("title")
_ALBUM_INDEX = TRACK_FIELDS.index("album")
_COMPOSER_INDEX = TRACK_FIELDS.index("composer")
_CJK_RANGES = (
    (0x2E80, 0x2FDF),  # radicals
    (0x3000, 0x30FF),  # CJK punctuation, hiragana, katakana
    (0x3100, 0x31FF),  # bopomofo, katakana extensions
    (0x3400, 0x4DBF),  # extension A
    (0x4E00, 0x9FFF),  # unified ideographs
    (0xAC00, 0xD7AF),  # hangul syllables
    (0xF900, 0xFAFF),  # compatibility ideographs
    (0xFF66, 0xFF9F),  # half-width katakana
    (0x20000, 0x2FA1F),  # extensions B..
)


def has_cjk(text: str) -> bool:
    """True when ``text`` holds a Chinese, Japanese or Korean character."""
    if text.isascii():
        return False
    for ch in text:
        code = ord(ch)
        if code < 0x2E80:
            continue
        for low, high in _CJK_RANGES:
            if low <= code <= high:
                return True
    return False


def fold(text: str) -> str:
    """Normalise text for substring matching: NFKC, case-folded, no diacritics."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKC", text).casefold()
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped)


def sql_path(path: str) -> str | bytes:
    """A file-system path as stored: text, or raw bytes for names that are not UTF-8.

    SQLite text must be valid UTF-8; a Linux file name can be any bytes. Such
    names are stored as BLOBs so they still round-trip exactly.
    """
    if path.isascii():
        return path
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(path)
    return path


def from_sql_path(value: str | bytes) -> str:
    """The inverse of :func:`sql_path`."""
    return os.fsdecode(value) if isinstance(value, bytes) else value


def clean_text(text: str) -> str:
    """Text safe for SQLite: undecodable bytes (lone surrogates) become U+FFFD."""
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return text


class Prepared(NamedTuple):
    """A track ready for the store: column values, word-index values, CJK text."""

    values: tuple[Any, ...]  # in TRACK_COLUMNS order
    fts: tuple[str, ...]  # in FTS_COLUMNS order
    cjk: str | None  # folded text for the trigram index, when the track has CJK text
    content_key: str


def prepare(info: TrackInfo) -> Prepared:
    """Everything the store derives from a track, computed once (in a scan worker).

    Runs once per file of a scan, so it works on the whole record at once: the
    fields are read in one call, and text is only checked one value at a time
    when the record holds something that is not valid UTF-8 (rare: a damaged tag
    or a file name that is not UTF-8).
    """
    values: list[Any] = list(_GET_FIELDS(info))
    for i in _MULTI_INDEXES:
        values[i] = _json_list(values[i])
    for i in _BOOL_INDEXES:
        value = values[i]
        if value.__class__ is bool:
            values[i] = int(value)
    path, cue_path = info.path, info.cue_path
    folder, _, filename = path.rpartition(os.sep)
    artist, album_artist, genre = info.artist, info.album_artist, info.genre
    key = content_key(info)
    values += [
        artist,
        album_artist,
        genre,
        folder,
        filename,
        key,
        song_key(artist, info.title, info.duration),
    ]
    if not _utf8_safe(values):  # clean every text value, one at a time
        values = [v if v.__class__ is not str else clean_text(v) for v in values]
        artist, album_artist, genre = values[_ARTIST_INDEX : _ARTIST_INDEX + 3]
    values[_PATH_INDEX] = sql_path(path)
    values[_CUE_INDEX] = sql_path(cue_path)
    values[_FOLDER_INDEX] = sql_path(folder)
    fts = (
        values[_TITLE_INDEX],
        artist,
        values[_ALBUM_INDEX],
        album_artist,
        genre,
        values[_COMPOSER_INDEX],
    )
    text = "\n".join(v for v in fts if v)
    cjk = fold(text) if has_cjk(text) else None
    return Prepared(tuple(values), fts, cjk, key)


_GET_FIELDS = attrgetter(*TRACK_FIELDS)
_MULTI_INDEXES = tuple(TRACK_FIELDS.index(name) for name in MULTI_VALUE_FIELDS)
_BOOL_INDEXES = tuple(
    i for i, f in enumerate(fields(TrackInfo)) if f.type in ("bool", bool)
)  # fmt: skip
_ARTIST_INDEX = TRACK_COLUMNS.index("artist")
_FOLDER_INDEX = TRACK_COLUMNS.index("folder")
_quote = json.encoder.encode_basestring  # a JSON string literal, non-ASCII kept


def _json_list(items: list[str]) -> str:
    """``json.dumps(items, ensure_ascii=False)`` for a list of text, without its
    per-call set-up (three lists per track of a scan)."""
    if all(item.__class__ is str for item in items):
        return "[" + ", ".join(map(_quote, items)) + "]"
    return json.dumps(items, ensure_ascii=False)


def _utf8_safe(values: list[Any]) -> bool:
    """True when every text value in *values* is valid UTF-8 (no lone surrogates)."""
    text = "\x00".join([v for v in values if v.__class__ is str])
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def as_row(track: TrackInfo | Prepared) -> dict[str, Any]:
    prepared = track if isinstance(track, Prepared) else prepare(track)
    return dict(zip(TRACK_COLUMNS, prepared.values, strict=True))


def track_row(info: TrackInfo) -> dict[str, Any]:
    """Column values for a track as a dict (lists as JSON, display strings added)."""
    return dict(zip(TRACK_COLUMNS, prepare(info).values, strict=True))


def content_key(info: TrackInfo) -> str:
    """What identifies a file's content across a move: size, duration and tags."""
    return clean_text(
        "\x1f".join(
            [
                str(info.size),
                str(round(info.duration, 1)),
                fold(info.title),
                fold(info.artist),
                fold(info.album),
                str(info.track_number or ""),
                str(info.subtrack),
            ]
        )
    )


def decode_row(row: dict[str, Any]) -> dict[str, Any]:
    for name in ("path", "cue_path", "folder"):
        if isinstance(row.get(name), bytes):
            row[name] = os.fsdecode(row[name])
    for name in MULTI_VALUE_FIELDS:
        if isinstance(row.get(name), str):
            row[name] = json.loads(row[name])
    return row


def row_to_track(row: dict[str, Any]) -> TrackInfo:
    row = decode_row(dict(row))
    row["path"] = from_sql_path(row["path"])
    row["cue_path"] = from_sql_path(row["cue_path"])
    kwargs = {}
    for f in fields(TrackInfo):
        value = row.get(f.name)
        if f.type == "bool" or str(f.type) == "bool":
            value = bool(value)
        kwargs[f.name] = value
    return TrackInfo(**kwargs)
