"""Who and what the library holds, counted one way: artists and albums.

The Artists view, the Albums view and ``kindred stats`` all ask here, so the
window and the command line give the same numbers.

* **Artists** are names taken from the track artists, the album artists or the
  composers (a *role*). A tag holding several names ("A; B", "A / B",
  "A feat. B") counts for each of them. They sort by a sort name: the files'
  sort tag (ARTISTSORT, ALBUMARTISTSORT, COMPOSERSORT: "Beatles, The"), else
  the name with a leading "The " ignored ("The Beatles" sorts under B either
  way). A sort tag that splits into as many names as its tag pairs with them
  name by name; one that does not is ignored, and each name falls back.
* **Albums** are tracks with the same album title and the same owner: the album
  artist where the files name one, else one group for a compilation, else the
  folder they lie in (a soundtrack with five composers and no album-artist tag
  is one album). Folders of one album without an album-artist tag ("CD1",
  "CD2") join when their tracks share one artist.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Protocol


class LibraryDB(Protocol):
    """What these functions need of the store: running a query."""

    def execute(self, sql: str, params: Any = ()) -> Any: ...


#: the tracks column each artist role reads
ARTIST_ROLES = {"artist": "artist", "album_artist": "album_artist", "composer": "composer"}
#: what separates several names inside one tag value
_SPLIT = re.compile(
    r"\s*;\s*|\s+/\s+|\s*\x00\s*|\s+(?:feat\.?|ft\.|featuring)\s+|\s*\((?:feat\.?|ft\.)\s+",
    re.IGNORECASE,
)


def split_names(value: str) -> list[str]:
    """The names one artist tag value holds, in order, without duplicates."""
    parts = (part.strip(" )") for part in _SPLIT.split(value or ""))
    return list(dict.fromkeys(part for part in parts if part))


def sort_name(name: str) -> str:
    """How an artist sorts: case-folded, a leading "The " ignored."""
    folded = name.casefold().strip()
    if folded.startswith("the ") and len(folded) > 4:
        folded = folded[4:].lstrip()
    return folded


def jump_letter(name: str) -> str:
    """The letter an artist is filed under (``#`` for digits and signs, ``?`` for none)."""
    return key_letter(sort_name(name))


def key_letter(key: str) -> str:
    """The letter a sort key is filed under (``#`` for digits and signs, ``?`` for none)."""
    if not key:
        return "?"
    first = key[0].upper()
    return first if first.isalpha() else "#"


def sort_tag_sql(role: str, table: str = "") -> str:
    """SQL for the sort tag of *role*'s column (NULL or "" when the files have none).

    The album-artist column holds the track artist when the files name no album
    artist, so its sort tag is then the track artist's.
    """
    if role == "album_artist":
        return (
            f"CASE WHEN {table}album_artists IN ('', '[]') THEN {table}artist_sort "
            f"ELSE {table}album_artist_sort END"
        )
    return f"{table}{ARTIST_ROLES[role]}_sort"


def sort_key_sql(role: str, table: str = "") -> str:
    """SQL for how a whole tag value of *role* sorts: its sort tag, else the value
    with a leading "The " dropped (compare it ``COLLATE NOCASE``). Written without
    ", " so an ``ORDER BY`` list can still be split on it."""
    column = f"{table}{ARTIST_ROLES[role]}"
    return (
        f"COALESCE(NULLIF({sort_tag_sql(role, table)},''),"
        f"CASE WHEN {column} LIKE 'the _%' THEN ltrim(substr({column},5)) ELSE {column} END)"
    )


@dataclass(frozen=True)
class ArtistEntry:
    """One name of the Artists view: how many tracks carry it, and the raw tag values
    that hold it (what a track list of this artist selects)."""

    name: str  # "" for the tracks that name nobody
    tracks: int
    values: tuple[str, ...]
    sort_key: str = ""

    @property
    def letter(self) -> str:
        """The letter the sort name files it under (the letter strip's)."""
        return key_letter(self.sort_key or sort_name(self.name))


def artist_entries(db: LibraryDB, role: str = "artist") -> list[ArtistEntry]:
    """Every artist of *role* (``artist``, ``album_artist`` or ``composer``), by sort
    name (see the module's note); the unnamed ones last. One grouped query over the
    role's index (names with their sort tags, schema ``_v9``); the splitting runs
    over the distinct tag values only, each with one sort tag (the least, should
    a name's files disagree)."""
    column = ARTIST_ROLES[role]
    counts: dict[str, int] = {}
    values: dict[str, list[str]] = {}
    display: dict[str, str] = {}
    sorts: dict[str, str] = {}
    sql = (
        f"SELECT {column}, MIN(NULLIF({sort_tag_sql(role)}, '')), COUNT(*) "
        f"FROM tracks GROUP BY {column}"
    )
    for raw, raw_sort, count in db.execute(sql):
        text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw or "")
        names = split_names(text) or [""]
        sort_names = split_names(str(raw_sort)) if raw_sort else []
        paired = len(sort_names) == len(names)
        for i, name in enumerate(names):
            key = name.casefold()
            counts[key] = counts.get(key, 0) + count
            values.setdefault(key, []).append(text)
            display.setdefault(key, name)
            if paired and name and key not in sorts:
                sorts[key] = sort_names[i].casefold()
    entries = [
        ArtistEntry(
            display[key],
            counts[key],
            tuple(values[key]),
            sorts.get(key) or sort_name(display[key]),
        )
        for key in counts
    ]
    entries.sort(key=lambda e: (e.name == "", e.sort_key, e.name))
    return entries


def artist_count(db: LibraryDB, role: str = "artist") -> int:
    """How many named artists of *role* the library holds."""
    return sum(1 for entry in artist_entries(db, role) if entry.name)


def album_key_sql(table: str = "") -> str:
    """SQL for a track's album owner: its album-artist tag, else "a compilation", else
    its folder; *table* is the alias of ``tracks`` (``"t."``) or empty."""
    return (
        f"CASE WHEN {table}album_artists NOT IN ('', '[]') THEN 'a' || {table}album_artist "
        f"WHEN {table}compilation THEN 'c' ELSE 'f' || {table}folder END"
    )


ALBUM_KEY_SQL = album_key_sql()


@dataclass(slots=True)  # made 80,000 times for a large library
class AlbumGroup:
    """One album: title, owner keys (see :data:`ALBUM_KEY_SQL`) and what the card shows."""

    album: str
    keys: list[str]
    artist: str  # the album artist, the one artist, or "" for various artists
    year: int | None
    tracks: int
    discs: int
    cover_path: str
    folders: list[str] = field(default_factory=list)

    @property
    def various(self) -> bool:
        return not self.artist


#: every album's title, owner key and what its card shows, one row per (title, owner);
#: it walks the ``tracks_album_owner`` index (schema ``_v9``), which holds the title,
#: :data:`ALBUM_KEY_SQL` and every column read here, in this order
ALBUMS_SQL = (
    f"SELECT album, {ALBUM_KEY_SQL} AS k, MIN(artist), MAX(artist), "
    "MAX(year), COUNT(*), MAX(disc_number), MAX(disc_total), "
    "COALESCE(MIN(CASE WHEN has_cover THEN path END), MIN(path)), MIN(folder) "
    "FROM tracks WHERE album != '' GROUP BY album, k"
)


def album_groups(db: LibraryDB) -> list[AlbumGroup]:
    """Every album (see the module's note on what makes one), by artist then title."""
    sql = ALBUMS_SQL
    groups: list[AlbumGroup] = []
    # folder groups without an album artist join when title and single artist match
    by_artist: dict[tuple[str, str], AlbumGroup] = {}
    for (
        album,
        key,
        low,
        high,
        year,
        count,
        discs,
        disc_total,
        path,
        folder,
    ) in db.execute(sql).fetchall():
        if path.__class__ is bytes:
            path = path.decode("utf-8", "surrogateescape")
        if folder.__class__ is bytes:
            folder = folder.decode("utf-8", "surrogateescape")
        if key[0] == "a":
            artist = key[1:]  # the owner key holds the album artist
        elif key == "c":
            artist = ""
        else:
            artist = low if low == high else ""
        tagged = discs is not None
        discs = max(discs or 1, disc_total or 0)
        if artist and key[0] == "f":
            known = by_artist.get((album, artist))
            if known is not None:
                known.keys.append(key)
                known.tracks += count
                # tagged disc numbers say how many; untagged folders count one each
                known.discs = max(known.discs, discs) if tagged else known.discs + 1
                known.year = max(filter(None, (known.year, year)), default=None)
                known.folders.append(folder)
                continue
        group = AlbumGroup(album, [key], artist, year, count, discs, path, [folder])
        if artist and key[0] == "f":
            by_artist[(album, artist)] = group
        groups.append(group)
    names: dict[str, str] = {}  # artist -> sort name, worked out once per artist
    for group in groups:
        if group.artist not in names:
            names[group.artist] = sort_name(group.artist)

    def order(g: AlbumGroup) -> tuple[bool, str, str, int]:
        return (not g.artist, names[g.artist], g.album.casefold(), g.year or 0)

    groups.sort(key=order)
    return groups


def album_count(db: LibraryDB) -> int:
    """How many albums the library holds (what the Albums view shows)."""
    return len(album_groups(db))
