"""Internet radio stations kept in the library store.

A station is a name and a stream URL (the URL may be the station's own
``.m3u``/``.pls`` playlist; it is resolved when played, so a station that moves
its stream keeps working). Stations travel between players as M3U or PLS files,
with the station names in ``#EXTINF`` lines / ``TitleN`` keys; reading and
writing those files is :mod:`player.library.playlist_files`' job.
"""

from __future__ import annotations

import os
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from player.errors import LibraryError
from player.library.playlist_files import (
    PlaylistEntry,
    is_url,
    playlist_format,
    read_playlist,
    write_playlist,
)
from player.library.store import LibraryDB, clean_text

#: URL schemes a station may use (what libVLC can play as a network stream)
STREAM_SCHEMES = ("http", "https", "icyx", "icyxs", "mms", "mmsh", "rtsp", "rtmp", "udp", "rtp")


@dataclass(frozen=True)
class RadioStation:
    id: int
    name: str
    url: str
    genre: str = ""
    homepage: str = ""
    added_at: float = 0.0
    last_played: float | None = None


@dataclass
class ImportResult:
    """What an import did: stations added, and entries skipped with the reason."""

    added: list[RadioStation] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


_COLUMNS = "id, name, url, genre, homepage, added_at, last_played"
#: titles kept per station (the oldest go first)
KEEP_TITLES = 200


@dataclass(frozen=True)
class HeardTitle:
    """A "now playing" title a station announced, and when."""

    title: str
    heard_at: float


def check_url(url: str) -> str:
    """``url`` stripped, or a LibraryError saying why it cannot be a station."""
    text = url.strip()
    scheme = urlsplit(text).scheme.lower() if is_url(text) else ""
    if scheme not in STREAM_SCHEMES or not urlsplit(text).netloc:
        raise LibraryError(
            f"Not a stream address: {text or '(empty)'}",
            "A radio station needs a network address such as "
            "http://example.org/stream.mp3 or https://example.org/radio.pls.",
        )
    return text


def default_name(url: str) -> str:
    """A name for a station that has none: its host and path."""
    parts = urlsplit(url)
    return (parts.netloc + parts.path).rstrip("/") or url


class RadioStations:
    """Add, rename, remove, list, import and export the listener's stations."""

    def __init__(self, db: LibraryDB) -> None:
        self.db = db

    # ---- reading -------------------------------------------------------------------
    def list_stations(self) -> list[RadioStation]:
        """Every station, by name (case-insensitive)."""
        rows = self.db.execute(
            f"SELECT {_COLUMNS} FROM radio_stations ORDER BY name COLLATE NOCASE, id"
        ).fetchall()
        return [RadioStation(*row) for row in rows]

    def get(self, station_id: int) -> RadioStation | None:
        row = self.db.execute(
            f"SELECT {_COLUMNS} FROM radio_stations WHERE id = ?", (station_id,)
        ).fetchone()
        return None if row is None else RadioStation(*row)

    def by_url(self, url: str) -> RadioStation | None:
        row = self.db.execute(
            f"SELECT {_COLUMNS} FROM radio_stations WHERE url = ?", (url.strip(),)
        ).fetchone()
        return None if row is None else RadioStation(*row)

    def find(self, text: str) -> list[RadioStation]:
        """Stations whose name contains ``text`` (case-insensitive), or whose id it is."""
        if text.strip().isdigit():
            station = self.get(int(text))
            if station is not None:
                return [station]
        needle = text.strip().casefold()
        return [s for s in self.list_stations() if needle in s.name.casefold()]

    # ---- writing -------------------------------------------------------------------
    def add(
        self,
        url: str,
        name: str = "",
        *,
        genre: str = "",
        homepage: str = "",
        now: float | None = None,
    ) -> RadioStation:
        """Add a station; a URL that is already a station raises LibraryError."""
        url = check_url(url)
        name = clean_text(" ".join(name.split())) or default_name(url)
        try:
            cur = self.db.execute(
                "INSERT INTO radio_stations (name, url, genre, homepage, added_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (name, url, clean_text(genre.strip()), homepage.strip(), _now(now)),
            )
        except sqlite3.IntegrityError as exc:
            existing = self.by_url(url)
            raise LibraryError(
                f"Already in your stations: {existing.name if existing else url}",
                f"{url} is already saved as a radio station.",
            ) from exc
        return self._must_get(int(cur.lastrowid or 0))

    def rename(self, station_id: int, name: str) -> RadioStation:
        clean = clean_text(" ".join(name.split()))
        if not clean:
            raise LibraryError("A station needs a name", "The new name is empty.")
        self._must_get(station_id)
        self.db.execute("UPDATE radio_stations SET name = ? WHERE id = ?", (clean, station_id))
        return self._must_get(station_id)

    def update(
        self,
        station_id: int,
        *,
        url: str | None = None,
        genre: str | None = None,
        homepage: str | None = None,
    ) -> RadioStation:
        """Change a station's address, genre or home page (None keeps a field)."""
        current = self._must_get(station_id)
        new_url = current.url if url is None else check_url(url)
        try:
            self.db.execute(
                "UPDATE radio_stations SET url = ?, genre = ?, homepage = ? WHERE id = ?",
                (
                    new_url,
                    current.genre if genre is None else clean_text(genre.strip()),
                    current.homepage if homepage is None else homepage.strip(),
                    station_id,
                ),
            )
        except sqlite3.IntegrityError as exc:
            raise LibraryError(
                "Another station already uses that address", f"{new_url} is already saved."
            ) from exc
        return self._must_get(station_id)

    def remove(self, station_id: int) -> bool:
        """Delete a station; False when there was none with that id."""
        with self.db.transaction():
            self.db.execute("DELETE FROM radio_titles WHERE station_id = ?", (station_id,))
            cur = self.db.execute("DELETE FROM radio_stations WHERE id = ?", (station_id,))
        return cur.rowcount > 0

    # ---- what the stations played ------------------------------------------------------
    def record_title(self, station_id: int, title: str, *, now: float | None = None) -> bool:
        """Keep a title the station announced; False when it repeats the last one (or is empty).

        Only the newest :data:`KEEP_TITLES` of a station are kept.
        """
        text = clean_text(" ".join(title.split()))
        if not text or self.get(station_id) is None:
            return False
        last = self.db.execute(
            "SELECT title FROM radio_titles WHERE station_id = ? ORDER BY id DESC LIMIT 1",
            (station_id,),
        ).fetchone()
        if last is not None and last[0] == text:
            return False
        with self.db.transaction():
            self.db.execute(
                "INSERT INTO radio_titles (station_id, title, heard_at) VALUES (?, ?, ?)",
                (station_id, text, _now(now)),
            )
            self.db.execute(
                "DELETE FROM radio_titles WHERE station_id = ? AND id NOT IN "
                "(SELECT id FROM radio_titles WHERE station_id = ? ORDER BY id DESC LIMIT ?)",
                (station_id, station_id, KEEP_TITLES),
            )
        return True

    def recent_titles(self, station_id: int, limit: int = 20) -> list[HeardTitle]:
        """The station's titles, newest first."""
        rows = self.db.execute(
            "SELECT title, heard_at FROM radio_titles WHERE station_id = ? "
            "ORDER BY id DESC LIMIT ?",
            (station_id, limit),
        ).fetchall()
        return [HeardTitle(*row) for row in rows]

    def mark_played(self, station_id: int, *, now: float | None = None) -> None:
        self.db.execute(
            "UPDATE radio_stations SET last_played = ? WHERE id = ?", (_now(now), station_id)
        )

    # ---- files ---------------------------------------------------------------------
    def import_playlist(
        self, path: str | os.PathLike[str], *, now: float | None = None
    ) -> ImportResult:
        """Add the stream URLs of an M3U/PLS/XSPF file as stations.

        Names come from ``#EXTINF`` / ``TitleN`` (else the address); local files
        and URLs already saved are skipped, and the result says so.
        """
        playlist = read_playlist(path)
        result = ImportResult()
        with self.db.transaction():
            for entry in playlist.entries:
                if not entry.is_url:
                    result.skipped.append(f"{entry.location}: a local file, not a stream")
                    continue
                existing = self.by_url(entry.location)
                if existing is not None:
                    result.skipped.append(f"{entry.location}: already saved as {existing.name}")
                    continue
                try:
                    result.added.append(self.add(entry.location, entry.display_title, now=now))
                except LibraryError as exc:
                    result.skipped.append(f"{entry.location}: {exc.short}")
        return result

    def export_playlist(
        self,
        path: str | os.PathLike[str],
        stations: list[RadioStation] | None = None,
        fmt: str | None = None,
    ) -> Path:
        """Write stations (default: all) as an M3U or PLS (or XSPF) file."""
        chosen = self.list_stations() if stations is None else stations
        if fmt is None and playlist_format(path) is None:
            raise LibraryError(
                f"Cannot tell the playlist format of {Path(path).name}",
                "Use a name ending in .m3u, .m3u8, .pls or .xspf.",
            )
        entries = [PlaylistEntry(s.url, title=s.name, is_url=True) for s in chosen]
        return write_playlist(path, entries, fmt, name="Radio stations")

    def _must_get(self, station_id: int) -> RadioStation:
        station = self.get(station_id)
        if station is None:
            raise LibraryError(
                f"No radio station with id {station_id}",
                "It may have been removed; list the stations to see their ids.",
            )
        return station


def _now(now: float | None) -> float:
    return time.time() if now is None else now
