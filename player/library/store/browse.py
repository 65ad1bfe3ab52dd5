"""The library browser's queries: groups of tracks (artist, album artist, genre, year,
composer, album) one tree level at a time, a group's tracks, and the folder tree.

A *grouping* is a list of levels, outermost first (``("genre", "artist", "album")``);
a node of the tree is the values of its levels so far (its *path*). Every query
takes an optional filter (``where``/``params`` over ``tracks t LEFT JOIN ratings r``,
as :func:`player.library.query.compile_query` makes) so the tree shows only the
groups and tracks that match. Groups are read with ``GROUP BY`` over the indexed
columns (artist, album artist + album, year, folder); the order every query returns
is the order the tree shows, so a group's tracks (:func:`group_track_ids`) come in
the order of its expanded children. Artist, album-artist and composer levels sort by
sort name (:func:`~player.library.store.groups.sort_key_sql`: the files' sort tag,
else the name without a leading "The ").
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from player.library.store.database import LibraryDB
from player.library.store.groups import sort_key_sql

FROM = "tracks t LEFT JOIN ratings r ON r.track_id = t.id"

#: each level's columns (the album is told apart by its album artist)
LEVELS: dict[str, tuple[str, ...]] = {
    "artist": ("t.artist",),
    "album_artist": ("t.album_artist",),
    "genre": ("t.genre",),
    "year": ("t.year",),
    "composer": ("t.composer",),
    "album": ("t.album", "t.album_artist"),
}

#: the groupings the listener can pick (key: its levels, outermost first)
GROUPINGS: dict[str, tuple[str, ...]] = {
    "artist_album": ("artist", "album"),
    "album_artist_album": ("album_artist", "album"),
    "genre_artist_album": ("genre", "artist", "album"),
    "year_album": ("year", "album"),
    "composer_album": ("composer", "album"),
}

#: a track row of the tree: id, title, artist, track number, duration
TrackRow = tuple[int, str, str, int | None, float | None]

_TRACK_COLUMNS = "t.id, t.title, t.artist, t.track_number, t.duration"
_TRACK_ORDER = "t.disc_number, t.track_number, t.path, t.subtrack"


#: the levels of names that sort by sort name (the sort tag, else without "The ")
_SORTED_BY_NAME = {"t.artist": "artist", "t.album_artist": "album_artist", "t.composer": "composer"}


def _sort(column: str, level: str = "", grouped: bool = False) -> str:
    """The ORDER BY terms of one level's *column*; *grouped* for a ``GROUP BY`` query."""
    if column == "t.year":
        return "t.year IS NULL, t.year"
    role = _SORTED_BY_NAME.get(column)
    if role is not None and level != "album":
        key = sort_key_sql(role, "t.")
        # a group's sort name: the first of its tracks' (one value's tags rarely differ)
        key = f"MIN({key})" if grouped else key
        return f"{column} = '', {key} COLLATE NOCASE, {column} COLLATE NOCASE"
    return f"{column} = '', {column} COLLATE NOCASE"


def _order(levels: Sequence[str]) -> str:
    keys = [_sort(column, level) for level in levels for column in LEVELS[level]]
    return ", ".join([*keys, _TRACK_ORDER])


def _where(
    grouping: str, path: Sequence[Sequence[Any]], where: str, params: Sequence[Any]
) -> tuple[str, list[Any], tuple[str, ...]]:
    """The condition of the node *path* (and the filter), and the levels below it."""
    levels = GROUPINGS[grouping]
    if len(path) > len(levels):
        raise ValueError(f"{grouping} has {len(levels)} levels, not {len(path)}")
    parts, values = [f"({where})"], list(params)
    for level, key in zip(levels, path, strict=False):
        for column, value in zip(LEVELS[level], key, strict=True):
            parts.append(f"{column} IS ?")
            values.append(value)
    return " AND ".join(parts), values, levels[len(path) :]


def _text(value: Any) -> Any:
    return value.decode("utf-8", "surrogateescape") if isinstance(value, bytes) else value


def groups(
    db: LibraryDB,
    grouping: str,
    path: Sequence[Sequence[Any]] = (),
    where: str = "1",
    params: Sequence[Any] = (),
) -> list[tuple[tuple[Any, ...], int]]:
    """The groups under the node *path*: ``(values of the level, track count)`` in tree order.

    Raises ValueError when *path* is already at the tracks.
    """
    condition, values, below = _where(grouping, path, where, params)
    if not below:
        raise ValueError("the node holds tracks, not groups")
    columns = LEVELS[below[0]]
    names = ", ".join(columns)
    order = ", ".join(_sort(column, below[0], grouped=True) for column in columns)
    sql = (
        f"SELECT {names}, COUNT(*) FROM {FROM} WHERE {condition} GROUP BY {names} ORDER BY {order}"
    )
    out = []
    for row in db.execute(sql, values):
        out.append((tuple(_text(v) for v in row[:-1]), row[-1]))
    return out


def tracks(
    db: LibraryDB,
    grouping: str,
    path: Sequence[Sequence[Any]],
    where: str = "1",
    params: Sequence[Any] = (),
) -> list[TrackRow]:
    """The tracks of the node *path* as the tree lists them (below its last level)."""
    condition, values, below = _where(grouping, path, where, params)
    sql = f"SELECT {_TRACK_COLUMNS} FROM {FROM} WHERE {condition} ORDER BY {_order(below)}"
    return [
        (i, _text(title), _text(artist), n, d) for i, title, artist, n, d in db.execute(sql, values)
    ]


def group_track_ids(
    db: LibraryDB,
    grouping: str,
    path: Sequence[Sequence[Any]],
    where: str = "1",
    params: Sequence[Any] = (),
) -> list[int]:
    """Every track id under the node *path*, in the order of the expanded tree."""
    condition, values, below = _where(grouping, path, where, params)
    sql = f"SELECT t.id FROM {FROM} WHERE {condition} ORDER BY {_order(below)}"
    return [row[0] for row in db.execute(sql, values)]


# ---- folders ------------------------------------------------------------------------------
def folder_prefix(folder: str, sep: str = os.sep) -> str:
    """*folder* ending in the separator the scanner stores paths with (``os.sep``)."""
    return folder if folder.endswith(sep) else f"{folder}{sep}"


def folder_range(folder: str, sep: str = os.sep) -> list[str]:
    """``[folder, low, high]``: *folder* itself and the index range of every path below it.

    Every path below starts with ``<folder><sep>``; the range ends at the
    character right after the separator (``"0"`` after ``/``, ``"]"`` after ``\\``).
    """
    prefix = folder_prefix(folder, sep)
    return [folder.rstrip(sep) or sep, prefix, prefix[:-1] + chr(ord(sep) + 1)]


def _under(folder: str) -> tuple[str, list[Any]]:
    """The condition for *folder* and everything below it (an index range on ``folder``)."""
    return "(t.folder = ? OR (t.folder >= ? AND t.folder < ?))", folder_range(folder)


def folder_count(db: LibraryDB, folder: str, where: str = "1", params: Sequence[Any] = ()) -> int:
    """How many tracks are in *folder* and the folders below it."""
    under, values = _under(folder)
    sql = f"SELECT COUNT(*) FROM {FROM} WHERE {under} AND ({where})"
    return int(db.execute(sql, [*values, *params]).fetchone()[0])


def loose_roots(db: LibraryDB, roots: Sequence[str]) -> list[str]:
    """Where the tracks under none of *roots* lie (files added one by one, a library
    folder since removed): their outermost folders, or the one folder those share."""

    def under(folder: str, root: str) -> bool:
        return folder == root or folder.startswith(folder_prefix(root.rstrip(os.sep)))

    folders = (_text(row[0]) for row in _outside(db, roots))
    # by path segment: a folder's subfolders come right after it ("/m/a" before "/m 2")
    loose = [f for f in folders if f and not any(under(f, r) for r in roots)]
    loose.sort(key=lambda f: f.replace(os.sep, "\0"))
    tops: list[str] = []
    for folder in loose:
        if not tops or not under(folder, tops[-1]):
            tops.append(folder)
    if len(tops) > 1:
        shared = os.path.commonpath(tops)
        if shared not in ("", "/", os.sep) and not any(under(r, shared) for r in roots):
            return [shared]
    return tops


def _outside(db: LibraryDB, roots: Sequence[str]) -> list[tuple[Any, ...]]:
    """The distinct folders of the tracks in the index ranges between *roots*, each once
    (a few index ranges, not every folder of the library: most lie under the library
    folders). The ranges may hold some folders below a root as well (nested roots); the
    caller checks each folder it gets."""
    pieces: list[tuple[str, str, str]] = []  # (low, its operator for the gap after, high)
    for root in roots:
        folder = root.rstrip(os.sep) or os.sep
        pieces.append((folder, ">", folder))  # the folder itself
        low, high = folder_prefix(folder), folder_prefix(folder)[:-1] + chr(ord(os.sep) + 1)
        pieces.append((low, ">=", high))  # everything below it
    pieces.sort()
    rows: list[tuple[Any, ...]] = []
    sql = "SELECT DISTINCT folder FROM tracks WHERE {}"
    after: tuple[str, str] | None = None  # the end of the piece before (operator, value)
    for low, op, high in pieces:
        if after is None:
            rows += db.execute(sql.format("folder < ?"), [low]).fetchall()
        else:
            rows += db.execute(sql.format(f"folder {after[0]} ? AND folder < ?"), [after[1], low])
        after = (op, high)
    if after is None:
        return db.execute(sql.format("1")).fetchall()
    rows += db.execute(sql.format(f"folder {after[0]} ?"), [after[1]]).fetchall()
    return rows


def subfolders(
    db: LibraryDB, folder: str, where: str = "1", params: Sequence[Any] = ()
) -> list[tuple[str, str, int, bool]]:
    """The folders right below *folder* that hold tracks (at any depth): ``(name, full
    path, track count below it, whether it has such folders of its own)``, by name."""
    under, values = _under(folder)
    prefix = folder_prefix(folder)
    sql = f"SELECT t.folder, COUNT(*) FROM {FROM} WHERE {under} AND ({where}) GROUP BY t.folder"
    counts: dict[str, int] = {}
    deeper: set[str] = set()
    for name, count in db.execute(sql, [*values, *params]):
        name = _text(name)
        if not name.startswith(prefix):
            continue  # the folder itself
        first, _, rest = name[len(prefix) :].partition(os.sep)
        counts[first] = counts.get(first, 0) + count
        if rest:
            deeper.add(first)
    return [
        (name, prefix + name, counts[name], name in deeper)
        for name in sorted(counts, key=lambda n: (n.casefold(), n))
    ]


def folder_tracks(
    db: LibraryDB, folder: str, where: str = "1", params: Sequence[Any] = ()
) -> list[TrackRow]:
    """The tracks right in *folder* (not below), by disc, number and file."""
    sql = (
        f"SELECT {_TRACK_COLUMNS} FROM {FROM} WHERE t.folder = ? AND ({where}) "
        f"ORDER BY {_TRACK_ORDER}"
    )
    rows = db.execute(sql, [folder_range(folder)[0], *params])
    return [(i, _text(title), _text(artist), n, d) for i, title, artist, n, d in rows]


def folder_track_ids(
    db: LibraryDB, folder: str, where: str = "1", params: Sequence[Any] = ()
) -> list[int]:
    """Every track id in *folder* and below, in the order of the expanded tree (each
    folder's own tracks before its subfolders', subfolders by name)."""
    under, values = _under(folder)
    sql = (
        f"SELECT t.id, t.folder FROM {FROM} WHERE {under} AND ({where}) "
        f"ORDER BY t.folder, {_TRACK_ORDER}"
    )
    rows = [(i, _text(f)) for i, f in db.execute(sql, [*values, *params])]
    # the tree orders names case-insensitively, one path segment at a time

    def key(folder_name: str) -> list[tuple[str, str]]:
        return [(part.casefold(), part) for part in folder_name.split(os.sep)]

    order = {f: n for n, f in enumerate(sorted({f for _, f in rows}, key=key))}
    return [i for i, _ in sorted(rows, key=lambda r: order[r[1]])]
