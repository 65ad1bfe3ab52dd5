"""Which tracks a list shows, in which order: plain SQL, run on a worker thread.

A :class:`TrackSource` describes a list (the whole library, one artist, one
folder, a search, a playlist); :func:`load_ids` returns the ids of its tracks
sorted in SQL. Only ids cross threads: the window reads rows page by page as
they scroll into view (see :mod:`player.ui.tracks.model`). :func:`categories`
and :func:`albums` list the artists, genres, folders and albums to browse, and
:func:`queue_rows` reads what a queue needs of many tracks at once (the
play-all query). Titles are English; the window translates the "Unknown ..."
ones (:data:`UNKNOWN_TITLES`) itself.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from player.library.query import compile_query
from player.library.search import ALBUM_ORDER, search_ids
from player.library.store import (
    ARTIST_ROLES,
    ArtistEntry,
    LibraryDB,
    album_groups,
    artist_entries,
    from_sql_path,
    reader,
    sort_key_sql,
)
from player.library.store.browse import folder_range
from player.library.store.groups import album_key_sql

_FROM = "tracks t LEFT JOIN ratings r ON r.track_id = t.id"


@dataclass(frozen=True)
class TrackSource:
    """A list of tracks: a SQL condition, a search text, or fixed ids (a playlist)."""

    title: str = "All tracks"
    where: str = "1"
    params: tuple[Any, ...] = ()
    query: str | None = None
    ids: tuple[int, ...] | None = field(default=None, repr=False)
    kind: str = "tracks"


#: SQL for a track's loudness in LUFS over ``tracks t``: the analysis where it is
#: current, else the track's ReplayGain (reference -18 LUFS).
LOUDNESS_SQL = (
    "COALESCE((SELECT a.loudness_lufs FROM analysis a WHERE a.path = t.path "
    "AND a.subtrack = t.subtrack AND a.ok = 1 AND a.size = t.size AND a.mtime_ns = t.mtime_ns),"
    "-18.0 - t.rg_track_gain)"
)

#: how a track list is ordered by each column that can sort it (by the column's
#: key): the SQL sort keys over ``tracks t LEFT JOIN ratings r``, most significant first
SORT_ORDERS: dict[str, tuple[str, ...]] = {
    "track": ("t.disc_number", "t.track_number"),
    "title": ("t.title COLLATE NOCASE",),
    # by sort name: the sort tag, else the name without a leading "The "
    "artist": (f"{sort_key_sql('artist', 't.')} COLLATE NOCASE", "t.artist COLLATE NOCASE"),
    "album": ("t.album COLLATE NOCASE",),
    "year": ("t.year",),
    "genre": ("t.genre COLLATE NOCASE",),
    "duration": ("t.duration",),
    "format": ("t.format", "t.codec"),
    "sample": ("t.sample_rate", "t.bit_depth"),
    "bitrate": ("t.bitrate",),
    "gain": ("t.rg_track_gain",),
    "plays": ("t.play_count",),
    "rating": ("COALESCE(r.rating, 0)",),
    "added": ("t.added_at",),
    "path": ("t.path",),
    "bpm": ("t.bpm",),
    "key": ("t.initial_key",),
    "loudness": (LOUDNESS_SQL,),
    "liked": ("COALESCE(r.liked, 0)",),
    "skips": ("t.skip_count",),
    "played": ("t.last_played",),
}


#: the tracks column each browse-by kind lists
CATEGORY_COLUMNS = {"artist": "album_artist", "genre": "genre", "folder": "folder"}


def load_ids(
    db: LibraryDB | str | Path,
    source: TrackSource,
    sort: str | None = None,
    descending: bool = False,
) -> list[int]:
    """The ids of *source*'s tracks; sorted by the column *sort* (a key of
    :data:`SORT_ORDERS`) when given, else in their natural order.

    The natural order is relevance for a search with words, album order
    otherwise, and the stored order for fixed ids. Raises QueryError for a bad
    search text, ValueError for a column that cannot sort.
    """
    if sort is not None and sort not in SORT_ORDERS:
        raise ValueError(f"no sort order for the column {sort!r}")
    sort_keys = SORT_ORDERS[sort] if sort is not None else None
    library = db if isinstance(db, LibraryDB) else reader(db)
    where, params = source.where, list(source.params)
    if source.query is not None and source.query.strip():
        compiled = compile_query(source.query)
        if sort_keys is None:
            return search_ids(library, compiled)
        where, params = f"({where}) AND ({compiled.where})", [*params, *compiled.params]
    if source.ids is not None:
        if sort_keys is None:
            return list(source.ids)
        where = f"({where}) AND t.id IN (SELECT value FROM json_each(?))"
        params.append(json.dumps(list(source.ids)))
    order = ALBUM_ORDER
    if sort_keys:
        direction = " DESC" if descending else ""
        order = ", ".join(part + direction for part in sort_keys) + ", " + ALBUM_ORDER
    sql = f"SELECT t.id FROM {_FROM} WHERE {where} ORDER BY {order}"
    return [row[0] for row in library.execute(sql, params)]


def categories(db: LibraryDB | str | Path, kind: str) -> list[tuple[str, int]]:
    """``(name, track count)`` for ``artist``, ``genre`` or ``folder``, by name."""
    library = db if isinstance(db, LibraryDB) else reader(db)
    column = CATEGORY_COLUMNS[kind]
    sql = (
        f"SELECT {column}, COUNT(*) FROM tracks GROUP BY {column} "
        f"ORDER BY {column} = '', {column} COLLATE NOCASE"
    )
    out = []
    for name, count in library.execute(sql):
        if isinstance(name, bytes):
            name = name.decode("utf-8", "surrogateescape")
        out.append((name, count))
    return out


#: the (English) title of the tracks with an empty artist, genre or folder
UNKNOWN_TITLES = {
    "artist": "Unknown artist",
    "genre": "Unknown genre",
    "folder": "Unknown folder",
}


def category_source(kind: str, name: str) -> TrackSource:
    """The tracks of one artist, genre or folder."""
    column = CATEGORY_COLUMNS[kind]
    title = name or UNKNOWN_TITLES[kind]
    return TrackSource(title, f"t.{column} = ?", (name,), kind=kind)


def folder_source(folder: str, title: str = "") -> TrackSource:
    """The tracks of *folder* and of every folder below it."""
    return TrackSource(
        title or folder,
        "(t.folder = ? OR (t.folder >= ? AND t.folder < ?))",
        tuple(folder_range(folder)),
        kind="folder",
    )


def artists(db: LibraryDB | str | Path, role: str = "artist") -> list[ArtistEntry]:
    """The artists of *role* (``artist``, ``album_artist``, ``composer``), several names
    of one tag split, by sort name (see :mod:`player.library.store.groups`)."""
    library = db if isinstance(db, LibraryDB) else reader(db)
    return artist_entries(library, role)


def artist_source(entry: ArtistEntry, role: str = "artist") -> TrackSource:
    """The tracks whose *role* tag names *entry* (alone or among others)."""
    column = ARTIST_ROLES[role]
    title = entry.name or UNKNOWN_TITLES["artist"]
    where = f"t.{column} IN (SELECT value FROM json_each(?))"
    return TrackSource(title, where, (json.dumps(list(entry.values)),), kind="artist")


@dataclass(frozen=True)
class AlbumInfo:
    """One album of the grid: its names, year, size and a file to take the cover from.

    ``keys`` are the album's owner keys (:data:`player.library.store.groups.ALBUM_KEY_SQL`);
    an album opened by name alone has none and is found by album artist and title.
    ``various`` marks an album of several artists without an album-artist tag.
    """

    album_artist: str
    album: str
    year: int | None
    tracks: int
    cover_path: str
    keys: tuple[str, ...] = ()
    various: bool = False
    discs: int = 1
    folder: str = ""


def albums(db: LibraryDB | str | Path) -> list[AlbumInfo]:
    """Every album, by artist then title (one definition with ``kindred stats``)."""
    library = db if isinstance(db, LibraryDB) else reader(db)
    return [
        AlbumInfo(
            g.artist,
            g.album,
            g.year,
            g.tracks,
            g.cover_path,
            tuple(g.keys),
            g.various,
            g.discs,
            g.folders[0] if g.folders else "",
        )
        for g in album_groups(library)
    ]


def album_source(album: AlbumInfo) -> TrackSource:
    if album.keys:
        return TrackSource(
            album.album,
            f"t.album = ? AND ({album_key_sql('t.')}) IN (SELECT value FROM json_each(?))",
            (album.album, json.dumps(list(album.keys))),
            kind="album",
        )
    return TrackSource(
        album.album,
        "t.album_artist = ? AND t.album = ?",
        (album.album_artist, album.album),
        kind="album",
    )


_QUEUE_SQL = (
    "SELECT t.id, t.path, t.title, t.artist, t.album, t.album_artist, t.duration, "
    "t.start_ms, t.end_ms FROM json_each(?) j JOIN tracks t ON t.id = j.value ORDER BY j.key"
)
_QUEUE_NAMES = (
    "id",
    "path",
    "title",
    "artist",
    "album",
    "album_artist",
    "duration",
    "start_ms",
    "end_ms",
)


def queue_rows(db: LibraryDB | str | Path, ids: list[int]) -> list[dict[str, Any]]:
    """What a queue item needs of each of *ids*, in that order, read in one query.

    Ids of removed tracks are skipped. Given a path, runs on this thread's own
    read connection.
    """
    if not ids:
        return []
    library = db if isinstance(db, LibraryDB) else reader(db)
    rows = []
    for values in library.execute(_QUEUE_SQL, (json.dumps(ids),)):
        row = dict(zip(_QUEUE_NAMES, values, strict=True))
        if not row["path"]:
            continue
        row["path"] = from_sql_path(row["path"])
        rows.append(row)
    return rows
