"""The library's own playlists: stored, edited, imported and exported.

Playlists live in the store (``playlists`` and ``playlist_items``); a smart
playlist stores a query instead of items. An imported entry whose file is
missing is kept (with no track) and reported, never dropped: the file may be on
a disk that is not mounted today. Reading and writing the files themselves
(M3U/M3U8, PLS, XSPF) is :mod:`player.library.playlist_files`; its public names
are re-exported here.
"""

from __future__ import annotations

import os
import time
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from player.errors import PlaylistError
from player.library.paths import current_flavour, is_absolute, path_key
from player.library.playlist_files import (
    FORMATS,
    MAX_PLAYLIST_BYTES,
    XSPF_NS,
    Playlist,
    PlaylistEntry,
    _is_under,
    _one_line,
    _split_display,
    file_uri_to_path,
    is_url,
    is_windows_path,
    parse_playlist,
    playlist_format,
    read_playlist,
    resolve_location,
    write_playlist,
)
from player.library.query import compile_query
from player.library.store import LibraryDB, clean_text, from_sql_path, sql_path

__all__ = [
    "FORMATS",
    "MAX_PLAYLIST_BYTES",
    "XSPF_NS",
    "ExportResult",
    "ImportResult",
    "Playlist",
    "PlaylistEntry",
    "PlaylistInfo",
    "PlaylistItem",
    "add_to_playlist",
    "create_playlist",
    "delete_playlist",
    "export_playlist",
    "file_uri_to_path",
    "find_track",
    "get_playlist",
    "import_playlist",
    "is_url",
    "is_windows_path",
    "list_playlists",
    "move_items",
    "parse_playlist",
    "playlist_entries",
    "playlist_format",
    "read_playlist",
    "remove_from_playlist",
    "rename_playlist",
    "resolve_location",
    "set_playlist_query",
    "write_playlist",
]


# ---- records ------------------------------------------------------------------------
@dataclass
class PlaylistInfo:
    """One row of the library's ``playlists``; smart when ``query`` is set."""

    id: int
    name: str
    query: str | None
    created_at: float
    updated_at: float

    @property
    def is_smart(self) -> bool:
        return self.query is not None


@dataclass
class PlaylistItem:
    """One stored playlist entry, with the track's current tags when it is linked."""

    item_id: int
    position: int
    track_id: int | None
    location: str
    title: str = ""
    artist: str = ""
    album: str = ""
    duration: float | None = None
    is_url: bool = False
    subtrack: int = 0

    def to_entry(self) -> PlaylistEntry:
        return PlaylistEntry(
            self.location, self.title, self.duration, self.is_url, self.artist, self.album
        )


@dataclass
class ImportResult:
    """What :func:`import_playlist` did; ``missing`` lists locations found nowhere."""

    playlist_id: int
    added: int
    missing: list[str] = field(default_factory=list)
    urls: int = 0
    warnings: list[str] = field(default_factory=list)
    linked: int = 0
    name: str = ""


@dataclass
class ExportResult:
    """What :func:`export_playlist` wrote; ``missing`` entries were written anyway."""

    path: Path
    format: str
    written: int
    missing: list[str] = field(default_factory=list)


# ---- the library's playlists ---------------------------------------------------------------
@contextmanager
def _writing(db: LibraryDB) -> Iterator[None]:
    """A write transaction, or the caller's when one is already open."""
    if db.in_transaction:
        yield
    else:
        with db.transaction():
            yield


def list_playlists(db: LibraryDB) -> list[PlaylistInfo]:
    """Every playlist, by name."""
    rows = db.execute(
        "SELECT id, name, query, created_at, updated_at FROM playlists ORDER BY name COLLATE NOCASE, id"
    )
    return [PlaylistInfo(*row) for row in rows]


def playlist_sizes(db: LibraryDB) -> list[tuple[int, str, str | None, int]]:
    """(id, name, query, stored items) of every playlist, by name (for the CLI's list)."""
    return db.query(
        "SELECT p.id, p.name, p.query, COUNT(i.id) FROM playlists p "
        "LEFT JOIN playlist_items i ON i.playlist_id = p.id GROUP BY p.id ORDER BY p.name"
    )


def find_playlist(db: LibraryDB, ref: str) -> int | None:
    """The id of the playlist ``ref`` names: its id (all digits) or else its exact name."""
    found = None
    if ref.isdigit():
        found = db.scalar("SELECT id FROM playlists WHERE id = ?", (int(ref),))
    if found is None:
        found = db.scalar("SELECT id FROM playlists WHERE name = ?", (ref,))
    return None if found is None else int(found)


def get_playlist(db: LibraryDB, playlist_id: int) -> PlaylistInfo:
    row = db.execute(
        "SELECT id, name, query, created_at, updated_at FROM playlists WHERE id = ?",
        (playlist_id,),
    ).fetchone()
    if row is None:
        raise PlaylistError("The playlist no longer exists", f"No playlist with id {playlist_id}.")
    return PlaylistInfo(*row)


def _clean_name(name: str) -> str:
    name = _one_line(name)
    if not name:
        raise PlaylistError("A playlist needs a name", "The name is empty.")
    return name


def create_playlist(db: LibraryDB, name: str, query: str | None = None) -> int:
    """Create a playlist (a smart one when ``query`` is given); return its id."""
    now = time.time()
    with _writing(db):
        cur = db.execute(
            "INSERT INTO playlists (name, query, created_at, updated_at) VALUES (?, ?, ?, ?)",
            (_clean_name(name), None if query is None else query.strip(), now, now),
        )
    return int(cur.lastrowid or 0)


def rename_playlist(db: LibraryDB, playlist_id: int, name: str) -> None:
    get_playlist(db, playlist_id)
    with _writing(db):
        db.execute(
            "UPDATE playlists SET name = ?, updated_at = ? WHERE id = ?",
            (_clean_name(name), time.time(), playlist_id),
        )


def set_playlist_query(db: LibraryDB, playlist_id: int, query: str) -> None:
    """Change a smart playlist's query; a malformed query raises QueryError and changes nothing."""
    info = get_playlist(db, playlist_id)
    if not info.is_smart:
        raise PlaylistError(
            f"“{info.name}” is not a smart playlist",
            f"“{info.name}” lists chosen tracks; only a smart playlist has a query.",
        )
    compile_query(query)
    with _writing(db):
        db.execute(
            "UPDATE playlists SET query = ?, updated_at = ? WHERE id = ?",
            (query.strip(), time.time(), playlist_id),
        )


def delete_playlist(db: LibraryDB, playlist_id: int) -> None:
    get_playlist(db, playlist_id)
    with _writing(db):
        db.execute("DELETE FROM playlist_items WHERE playlist_id = ?", (playlist_id,))
        db.execute("DELETE FROM playlists WHERE id = ?", (playlist_id,))


def _static(db: LibraryDB, playlist_id: int) -> PlaylistInfo:
    info = get_playlist(db, playlist_id)
    if info.is_smart:
        raise PlaylistError(
            f"“{info.name}” is a smart playlist",
            f"The tracks of “{info.name}” come from its query ({info.query}); "
            "edit the query, or copy the results into a normal playlist.",
        )
    return info


def _touch(db: LibraryDB, playlist_id: int) -> None:
    db.execute("UPDATE playlists SET updated_at = ? WHERE id = ?", (time.time(), playlist_id))


def find_track(
    db: LibraryDB, location: str, title: str = "", used: Collection[int] = ()
) -> int | None:
    """The library track a local location points to, or None.

    Tries the path as written and its real path. A file split by a CUE sheet
    has several tracks: the one whose title matches wins, else the first not
    in ``used`` (the tracks earlier entries of the same path took), so a
    playlist listing the image once per track gets each track in turn. A
    ``.cue`` location points to its first track.
    """
    if is_url(location) or not is_absolute(location, db.flavour):
        return None
    candidates = [location]
    if db.flavour == current_flavour():
        try:
            real = os.path.realpath(location)
        except (OSError, ValueError):
            real = location
        if real != location:
            candidates.append(real)
    for path in candidates:
        rows = db.tracks_at(path)
        if not rows and path.lower().endswith(".cue"):
            rows = db.tracks_at(path, "cue_path")
        if not rows:
            continue
        if rows[0][1] == 0 or len(rows) == 1:
            return int(rows[0][0])
        rows = [r for r in rows if r[0] not in used] + [r for r in rows if r[0] in used]
        wanted = title.casefold().strip()
        for track_id, _subtrack, track_title in rows:
            if wanted and track_title.casefold() in (wanted, wanted.rsplit(" - ", 1)[-1]):
                return int(track_id)
        return int(rows[0][0])
    return None


def add_to_playlist(
    db: LibraryDB,
    playlist_id: int,
    items: Iterable[int | str | os.PathLike[str] | PlaylistEntry],
    position: int | None = None,
) -> list[int]:
    """Insert tracks (by id), locations or entries at ``position`` (None = the end).

    Locations are linked to library tracks where the path matches; relative
    paths resolve against the current folder. Returns the new item ids.
    """
    _static(db, playlist_id)
    rows: list[tuple[int | None, str, str, float | None]] = []
    used: dict[str, set[int]] = {}
    for item in items:
        if isinstance(item, int):
            track = db.get_track(item)
            if track is None:
                raise PlaylistError("A track is no longer in the library", f"No track {item}.")
            entry = PlaylistEntry(track.path, track.title, track.duration, False, track.artist)
            rows.append((item, track.path, entry.display_title, track.duration or None))
            continue
        if isinstance(item, PlaylistEntry):
            entry = item
        else:
            location, url = resolve_location(os.fspath(item), os.getcwd())
            entry = PlaylistEntry(location, is_url=url)
        taken = used.setdefault(path_key(entry.location, db.flavour), set())
        track_id = None if entry.is_url else find_track(db, entry.location, entry.title, taken)
        if track_id is not None:
            taken.add(track_id)
        rows.append((track_id, entry.location, entry.display_title, entry.duration))
    with _writing(db):
        count = db.execute(
            "SELECT COUNT(*) FROM playlist_items WHERE playlist_id = ?", (playlist_id,)
        ).fetchone()[0]
        start = count if position is None else max(0, min(position, count))
        db.execute(
            "UPDATE playlist_items SET position = position + ? "
            "WHERE playlist_id = ? AND position >= ?",
            (len(rows), playlist_id, start),
        )
        ids = []
        for offset, (track_id, location, title, duration) in enumerate(rows):
            cur = db.execute(
                "INSERT INTO playlist_items (playlist_id, position, track_id, location, title, "
                "duration) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    playlist_id,
                    start + offset,
                    track_id,
                    sql_path(location),
                    clean_text(title),
                    duration,
                ),
            )
            ids.append(int(cur.lastrowid or 0))
        _touch(db, playlist_id)
    return ids


def _item_ids(db: LibraryDB, playlist_id: int) -> list[int]:
    return [
        row[0]
        for row in db.execute(
            "SELECT id FROM playlist_items WHERE playlist_id = ? ORDER BY position, id",
            (playlist_id,),
        )
    ]


def _renumber(db: LibraryDB, playlist_id: int, order: list[int]) -> None:
    db.executemany(
        "UPDATE playlist_items SET position = ? WHERE id = ? AND playlist_id = ?",
        [(position, item_id, playlist_id) for position, item_id in enumerate(order)],
    )


def move_items(db: LibraryDB, playlist_id: int, item_ids: Sequence[int], to: int) -> None:
    """Move items (kept in their current order) so the first lands at index ``to``."""
    _static(db, playlist_id)
    with _writing(db):
        order = _item_ids(db, playlist_id)
        moving = set(item_ids)
        unknown = moving - set(order)
        if unknown:
            raise PlaylistError(
                "Some entries are not in this playlist", f"Unknown items: {sorted(unknown)}."
            )
        rest = [i for i in order if i not in moving]
        to = max(0, min(to, len(rest)))
        _renumber(db, playlist_id, rest[:to] + [i for i in order if i in moving] + rest[to:])
        _touch(db, playlist_id)


def remove_from_playlist(db: LibraryDB, playlist_id: int, item_ids: Iterable[int]) -> int:
    """Remove items; return how many went."""
    _static(db, playlist_id)
    with _writing(db):
        removed = 0
        for item_id in item_ids:
            removed += db.execute(
                "DELETE FROM playlist_items WHERE id = ? AND playlist_id = ?",
                (item_id, playlist_id),
            ).rowcount
        _renumber(db, playlist_id, _item_ids(db, playlist_id))
        _touch(db, playlist_id)
    return removed


def playlist_entries(db: LibraryDB, playlist_id: int) -> list[PlaylistItem]:
    """The items of a normal playlist in order, with linked tracks' current tags."""
    _static(db, playlist_id)
    rows = db.execute(
        "SELECT i.id, i.position, i.track_id, i.location, i.title, i.duration, "
        "t.path, t.title, t.artist, t.album, t.duration, t.subtrack "
        "FROM playlist_items i LEFT JOIN tracks t ON t.id = i.track_id "
        "WHERE i.playlist_id = ? ORDER BY i.position, i.id",
        (playlist_id,),
    )
    items = []
    for item_id, position, track_id, stored, title, duration, *track in rows:
        path, t_title, t_artist, t_album, t_duration, subtrack = track
        item = PlaylistItem(item_id, position, None, from_sql_path(stored), duration=duration)
        if path is None:
            item.is_url = is_url(item.location)
            item.artist, item.title = _split_display(title, item.is_url)
        else:
            item.track_id, item.location, item.subtrack = track_id, from_sql_path(path), subtrack
            item.title, item.artist, item.album = t_title, t_artist, t_album
            item.duration = t_duration or duration
        items.append(item)
    return items


def import_playlist(
    db: LibraryDB, file: str | os.PathLike[str], name: str | None = None
) -> ImportResult:
    """Read a playlist file into a new library playlist.

    Entries matching a library track are linked to it. Entries whose file is
    neither in the library nor on disk are kept (unlinked) and listed in
    ``missing``. The whole import is one transaction.
    """
    parsed = read_playlist(file, flavour=db.flavour)
    title = name or parsed.name or Path(file).stem
    result = ImportResult(0, 0, warnings=list(parsed.warnings), name=title)
    with _writing(db):
        result.playlist_id = create_playlist(db, title)
        ids = add_to_playlist(db, result.playlist_id, parsed.entries)
        linked = dict(
            db.execute(
                "SELECT id, track_id FROM playlist_items WHERE playlist_id = ?",
                (result.playlist_id,),
            ).fetchall()
        )
    result.added = len(ids)
    for item_id, entry in zip(ids, parsed.entries, strict=True):
        if entry.is_url:
            result.urls += 1
        elif linked.get(item_id) is not None:
            result.linked += 1
        elif not os.path.exists(entry.location):
            result.missing.append(entry.location)
    return result


def export_playlist(
    db: LibraryDB,
    playlist_id: int,
    file: str | os.PathLike[str],
    fmt: str | None = None,
    relative: bool = True,
) -> ExportResult:
    """Write a library playlist to a file.

    With ``relative`` the paths under the library folder that holds the file
    (or under the file's own folder) are written relative, so the playlist
    keeps working when the music folder moves; others are absolute.
    """
    info = get_playlist(db, playlist_id)
    items = playlist_entries(db, playlist_id)
    target = Path(os.path.abspath(file))
    fmt = (fmt or playlist_format(target) or "").lower()
    relative_to = None
    for root in db.roots():
        if _is_under(str(target.parent), os.path.normpath(root)):
            relative_to = root
            break
    written = write_playlist(
        target, [i.to_entry() for i in items], fmt, relative_to, name=info.name, relative=relative
    )
    missing = [i.location for i in items if not i.is_url and not os.path.exists(i.location)]
    return ExportResult(written, fmt, len(items), missing)
