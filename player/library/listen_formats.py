"""Reading listening-history exports: ListenBrainz (JSON, JSONL, .zip) and Last.fm CSV.

ListenBrainz exports each listen as an object with ``listened_at`` (unix
seconds) and ``track_metadata`` (``artist_name``, ``track_name``,
``release_name``, ``additional_info`` and ``mbid_mapping``, either may carry
``recording_mbid``); its archive holds JSON Lines files (``listens/2024/1.jsonl``)
or, in older exports, one JSON array. Last.fm exporters write CSV either with
a header (``uts,utc_time,artist,artist_mbid,album,album_mbid,track,track_mbid``)
or without one (``artist,album,track,date``, dates such as ``31 Jan 2024 18:20``,
UTC); :func:`read_history` tells them apart.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from player.errors import AppError
from player.library.listen_import import Listen


class HistoryFormatError(AppError):
    """A file is not a listening history Kindred can read."""


def read_history(path: Path) -> Iterator[Listen]:
    """Every listen of an export file (the format told by its name and content)."""
    if not path.is_file():
        raise HistoryFormatError(f"No such file: {path}")
    if zipfile.is_zipfile(path):
        return _zip_listens(path)
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    head = text.lstrip()[:1]
    if head in ("[", "{"):
        return _listenbrainz_text(text, str(path))
    return lastfm_csv(text)


# ---- ListenBrainz ---------------------------------------------------------------
def _zip_listens(path: Path) -> Iterator[Listen]:
    with zipfile.ZipFile(path) as archive:
        names = sorted(n for n in archive.namelist() if n.lower().endswith((".json", ".jsonl")))
        for name in names:
            text = archive.read(name).decode("utf-8", errors="replace")
            yield from _listenbrainz_text(text, name, strict=False)


def _listenbrainz_text(text: str, name: str, *, strict: bool = True) -> Iterator[Listen]:
    """Listens of a JSON document (array, or ``{"payload": {"listens": [...]}}``) or JSON Lines.

    ``strict``: a file holding no listens is an error (outside an archive,
    whose other files — user.json, feedback — are passed over).
    """
    stripped = text.strip()
    items: Iterable[Any]
    try:
        doc = json.loads(stripped) if stripped else []
        items = _listen_items(doc)
    except ValueError:
        items = _json_lines(stripped, name)
    found = False
    for item in items:
        listen = listenbrainz_listen(item)
        if listen is not None:
            found = True
            yield listen
    if strict and not found:
        raise HistoryFormatError(
            f"{name} holds no listens",
            "Expected a ListenBrainz export (objects with listened_at and track_metadata).",
        )


def _listen_items(doc: Any) -> list[Any]:
    if isinstance(doc, list):
        return doc
    if isinstance(doc, dict):
        payload = doc.get("payload")
        if isinstance(payload, dict) and isinstance(payload.get("listens"), list):
            return payload["listens"]
        if isinstance(doc.get("listens"), list):
            return doc["listens"]
        return [doc]
    return []


def _json_lines(text: str, name: str) -> Iterator[Any]:
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            yield json.loads(line)
        except ValueError as exc:
            raise HistoryFormatError(f"{name}, line {number}: not JSON ({exc})") from exc


def listenbrainz_listen(item: Any) -> Listen | None:
    """One ListenBrainz listen object as a :class:`Listen` (None: not a listen)."""
    if not isinstance(item, dict):
        return None
    meta = item.get("track_metadata")
    when = item.get("listened_at")
    if not isinstance(meta, dict) or not isinstance(when, int | float | str):
        return None
    artist, title = str(meta.get("artist_name") or ""), str(meta.get("track_name") or "")
    if not artist or not title:
        return None
    info = meta.get("additional_info") if isinstance(meta.get("additional_info"), dict) else {}
    mapping = meta.get("mbid_mapping") if isinstance(meta.get("mbid_mapping"), dict) else {}
    mbid = str(mapping.get("recording_mbid") or info.get("recording_mbid") or "")
    duration = None
    if isinstance(info.get("duration_ms"), int | float) and info["duration_ms"] > 0:
        duration = info["duration_ms"] / 1000
    elif isinstance(info.get("duration"), int | float) and info["duration"] > 0:
        duration = float(info["duration"])
    try:
        listened_at = int(float(when))
    except ValueError:
        return None
    return Listen(
        artist=artist,
        title=title,
        listened_at=listened_at,
        source="listenbrainz",
        album=str(meta.get("release_name") or ""),
        mbid=mbid,
        duration_s=duration,
    )


# ---- Last.fm CSV ----------------------------------------------------------------
_DATE_FORMATS = ("%d %b %Y %H:%M", "%d %b %Y, %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")


def lastfm_date(text: str) -> int | None:
    """Unix seconds of an exporter's date ("31 Jan 2024 18:20", UTC, or a unix time)."""
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        return int(text)
    for fmt in _DATE_FORMATS:
        try:
            return int(dt.datetime.strptime(text, fmt).replace(tzinfo=dt.UTC).timestamp())
        except ValueError:
            continue
    return None


def lastfm_csv(text: str) -> Iterator[Listen]:
    """Listens of a Last.fm export CSV, with or without its header row."""
    rows = csv.reader(io.StringIO(text))
    first = next(rows, None)
    if first is None:
        return
    lowered = [c.strip().lower() for c in first]
    if "artist" in lowered and "track" in lowered:
        col = {name: i for i, name in enumerate(lowered)}
        body: Iterable[list[str]] = rows
    else:  # headerless: artist, album, track, date
        col = {"artist": 0, "album": 1, "track": 2, "date": 3}
        body = _chain([first], rows)
    for number, row in enumerate(body, 1):
        if not row or not any(c.strip() for c in row):
            continue
        listen = _csv_listen(row, col)
        if listen is None:
            if number == 1 and "date" in col and len(row) < 4:
                raise HistoryFormatError(
                    "Not a Last.fm export",
                    "Expected CSV rows of artist,album,track,date (or a header with uts, "
                    "artist, album, track).",
                )
            continue
        yield listen


def _chain(*parts: Iterable[list[str]]) -> Iterator[list[str]]:
    for part in parts:
        yield from part


def _cell(row: list[str], col: dict[str, int], name: str) -> str:
    i = col.get(name)
    return row[i].strip() if i is not None and i < len(row) else ""


def _csv_listen(row: list[str], col: dict[str, int]) -> Listen | None:
    when = None
    if "uts" in col:
        when = lastfm_date(_cell(row, col, "uts"))
    for name in ("utc_time", "date", "time"):
        if when is None and name in col:
            when = lastfm_date(_cell(row, col, name))
    artist, title = _cell(row, col, "artist"), _cell(row, col, "track")
    if when is None or not artist or not title:
        return None  # a "now playing" row has no date
    return Listen(
        artist=artist,
        title=title,
        listened_at=when,
        source="lastfm",
        album=_cell(row, col, "album"),
        mbid=_cell(row, col, "track_mbid"),
    )


def lastfm_api_listen(item: Any) -> Listen | None:
    """One track of ``user.getRecentTracks`` (None: the one playing now, or not a track)."""
    if not isinstance(item, dict):
        return None
    attr = item.get("@attr")
    if isinstance(attr, dict) and attr.get("nowplaying") in ("true", True):
        return None
    date = item.get("date")
    when = lastfm_date(str(date.get("uts", ""))) if isinstance(date, dict) else None

    def text(value: Any) -> str:
        if isinstance(value, dict):
            return str(value.get("#text") or value.get("name") or "")
        return str(value or "")

    artist, title = text(item.get("artist")), text(item.get("name"))
    if when is None or not artist or not title:
        return None
    return Listen(
        artist=artist,
        title=title,
        listened_at=when,
        source="lastfm",
        album=text(item.get("album")),
        mbid=str(item.get("mbid") or ""),
    )
