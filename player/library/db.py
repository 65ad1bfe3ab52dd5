"""The library store: one SQLite database (WAL) reached through the standard sqlite3.

The schema carries a version (``PRAGMA user_version``); :data:`MIGRATIONS` are
applied in order when a database is opened, each inside one transaction, so an
old library is brought forward and a crash mid-migration leaves the old version.

Writes are batched inside transactions. Each thread opens its own
:class:`LibraryDB`; only one of them (the scanner or the UI's writer) writes.
The two full-text indexes are maintained here, next to the rows they index:

* ``tracks_fts`` (FTS5, ``unicode61 remove_diacritics 2``) for words and prefixes
  in any script that separates words with spaces;
* ``tracks_cjk`` (FTS5, ``trigram``) holding only tracks whose text contains
  CJK characters, for substring search in Chinese and Japanese.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import fields
from pathlib import Path
from typing import Any, NamedTuple

from player.errors import LibraryError
from player.library import listening_stats, recommend_feedback, social_tables
from player.library.track import MULTI_VALUE_FIELDS, TrackInfo
from player.songid import song_key

SCHEMA_VERSION = 7

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
_INSERT_TRACK = (
    f"INSERT INTO tracks (id, {', '.join(TRACK_COLUMNS)}, added_at, updated_at) "
    f"VALUES ({', '.join('?' for _ in range(len(TRACK_COLUMNS) + 3))})"
)
_INSERT_FTS = (
    f"INSERT INTO tracks_fts (rowid, {', '.join(FTS_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in range(len(FTS_COLUMNS) + 1))})"
)

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


def run_script(conn: sqlite3.Connection, sql: str) -> None:
    """Run several statements inside the open transaction.

    ``Connection.executescript`` would COMMIT first, breaking the one-transaction
    migration; each complete statement is executed on its own instead.
    """
    statement = ""
    for line in sql.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            conn.execute(statement)
            statement = ""
    if statement.strip():
        conn.execute(statement)


def _v1(db: sqlite3.Connection) -> None:
    columns = ",\n  ".join(_column_sql(name) for name in TRACK_FIELDS if name != "path")
    run_script(
        db,
        f"""
        CREATE TABLE tracks (
          id INTEGER PRIMARY KEY,
          path TEXT NOT NULL,
          {columns},
          artist TEXT NOT NULL DEFAULT '',
          album_artist TEXT NOT NULL DEFAULT '',
          genre TEXT NOT NULL DEFAULT '',
          folder TEXT NOT NULL DEFAULT '',
          filename TEXT NOT NULL DEFAULT '',
          content_key TEXT NOT NULL DEFAULT '',
          song_key TEXT NOT NULL DEFAULT '',
          added_at REAL NOT NULL,
          updated_at REAL NOT NULL,
          play_count INTEGER NOT NULL DEFAULT 0,
          skip_count INTEGER NOT NULL DEFAULT 0,
          last_played REAL,
          UNIQUE (path, subtrack)
        );
        CREATE INDEX tracks_folder ON tracks(folder);
        CREATE INDEX tracks_album
          ON tracks(album_artist, album, disc_number, track_number, path, subtrack, year);
        CREATE INDEX tracks_artist ON tracks(artist);
        CREATE INDEX tracks_added ON tracks(added_at);
        CREATE INDEX tracks_year ON tracks(year);
        CREATE INDEX tracks_last_played ON tracks(last_played);

        CREATE TABLE ratings (
          track_id INTEGER PRIMARY KEY REFERENCES tracks(id) ON DELETE CASCADE,
          rating INTEGER CHECK (rating IS NULL OR rating BETWEEN 0 AND 5),
          liked INTEGER NOT NULL DEFAULT 0,
          updated_at REAL NOT NULL
        );

        CREATE TABLE plays (
          id INTEGER PRIMARY KEY,
          track_id INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
          played_at REAL NOT NULL,
          listened_ms INTEGER NOT NULL DEFAULT 0,
          finished INTEGER NOT NULL DEFAULT 0,
          skipped INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX plays_track ON plays(track_id, played_at);

        CREATE TABLE playlists (
          id INTEGER PRIMARY KEY,
          name TEXT NOT NULL,
          query TEXT,
          created_at REAL NOT NULL,
          updated_at REAL NOT NULL
        );

        CREATE TABLE playlist_items (
          id INTEGER PRIMARY KEY,
          playlist_id INTEGER NOT NULL REFERENCES playlists(id) ON DELETE CASCADE,
          position INTEGER NOT NULL,
          track_id INTEGER REFERENCES tracks(id) ON DELETE SET NULL,
          location TEXT NOT NULL,
          title TEXT NOT NULL DEFAULT '',
          duration REAL
        );
        CREATE INDEX playlist_items_order ON playlist_items(playlist_id, position);

        CREATE TABLE scan_errors (
          path TEXT PRIMARY KEY,
          reason TEXT NOT NULL,
          size INTEGER,
          mtime_ns INTEGER,
          seen_at REAL NOT NULL
        );

        CREATE TABLE library_roots (
          path TEXT PRIMARY KEY,
          added_at REAL NOT NULL,
          last_scan REAL
        );

        CREATE VIRTUAL TABLE tracks_fts USING fts5(
          {", ".join(FTS_COLUMNS)},
          tokenize = "unicode61 remove_diacritics 2"
        );
        CREATE VIRTUAL TABLE tracks_cjk USING fts5(text, tokenize = "trigram");
        """
    )


def _column_sql(name: str) -> str:
    kind = {f.name: f.type for f in fields(TrackInfo)}[name]
    kind = str(kind)
    if name in MULTI_VALUE_FIELDS:
        return f"{name} TEXT NOT NULL DEFAULT '[]'"
    if kind in ("str",):
        return f"{name} TEXT NOT NULL DEFAULT ''"
    if kind in ("bool",):
        return f"{name} INTEGER NOT NULL DEFAULT 0"
    if kind in ("int",):
        return f"{name} INTEGER NOT NULL DEFAULT 0"
    if kind in ("float",):
        return f"{name} REAL NOT NULL DEFAULT 0"
    if "int" in kind:
        return f"{name} INTEGER"
    return f"{name} REAL"


def _v2(db: sqlite3.Connection) -> None:
    """Internet radio stations the listener keeps (see :mod:`player.library.radio`).

    Plain statements rather than a script: a script would commit the
    migration's transaction half-way.
    """
    db.execute(
        """
        CREATE TABLE radio_stations (
          id INTEGER PRIMARY KEY,
          name TEXT NOT NULL,
          url TEXT NOT NULL UNIQUE,
          genre TEXT NOT NULL DEFAULT '',
          homepage TEXT NOT NULL DEFAULT '',
          added_at REAL NOT NULL,
          last_played REAL
        )
        """
    )
    db.execute("CREATE INDEX radio_stations_name ON radio_stations(name COLLATE NOCASE)")


def _v3(db: sqlite3.Connection) -> None:
    """Audio analysis results (see :mod:`player.library.analysis_store`).

    One row per file range (path + subtrack), valid while the file's size and
    mtime and the feature version match; failures are kept with their reason so
    a bad file is not retried until it changes.
    """
    db.execute(
        """
        CREATE TABLE IF NOT EXISTS analysis (
          path TEXT NOT NULL,
          subtrack INTEGER NOT NULL DEFAULT 0,
          size INTEGER NOT NULL,
          mtime_ns INTEGER NOT NULL,
          version INTEGER NOT NULL,
          analysed_at REAL NOT NULL,
          ok INTEGER NOT NULL,
          reason TEXT NOT NULL DEFAULT '',
          features BLOB,
          seconds REAL,
          bpm REAL,
          musical_key TEXT NOT NULL DEFAULT '',
          loudness_lufs REAL,
          sample_peak REAL,
          gated_power REAL NOT NULL DEFAULT 0,
          gated_blocks INTEGER NOT NULL DEFAULT 0,
          track_gain REAL,
          album_gain REAL,
          album_peak REAL,
          PRIMARY KEY (path, subtrack)
        )
        """
    )
    db.execute("CREATE INDEX IF NOT EXISTS analysis_time ON analysis(analysed_at)")


#: Forward migrations; index ``i`` brings version ``i`` to ``i + 1``.
def _v4(db: sqlite3.Connection) -> None:
    """Comments: the outbox, song ids and the comment cache (see :mod:`player.library.social_tables`)."""
    social_tables.create(db)


def _v5(db: sqlite3.Connection) -> None:
    """Tracks dismissed from recommendations (see :mod:`player.library.recommend_feedback`)."""
    recommend_feedback.create(db)


def _v6(db: sqlite3.Connection) -> None:
    """Skips pressed on recommendations, kept apart from plays (see ``recommend_feedback``)."""
    recommend_feedback.create_skips(db)


def _v7(db: sqlite3.Connection) -> None:
    """Plays by time, for listening statistics (see :mod:`player.library.listening_stats`)."""
    listening_stats.create_index(db)


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_v1, _v2, _v3, _v4, _v5, _v6, _v7]


class LibraryDB:
    """One connection to the library database (use one per thread)."""

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        self.path = Path(path)
        try:
            if not readonly:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            elif not self.path.exists():
                raise LibraryError(
                    "The library database does not exist", f"No database at {self.path}."
                )
            conn = sqlite3.connect(
                str(self.path), timeout=30, isolation_level=None, check_same_thread=False
            )
            conn.execute("PRAGMA busy_timeout = 30000")
            self.conn: sqlite3.Connection = conn
            mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
            if mode != "wal" and not readonly:
                conn.execute("PRAGMA journal_mode = wal")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA temp_store = MEMORY")
            conn.execute("PRAGMA cache_size = -32000")
            if not readonly:
                self._migrate()
            elif self.version() != SCHEMA_VERSION:
                raise LibraryError(
                    "The library database is from another version",
                    f"{self.path} has schema version {self.version()}, expected {SCHEMA_VERSION}.",
                )
        except sqlite3.DatabaseError as exc:
            raise LibraryError(
                "The library database cannot be opened",
                f"{self.path}: {exc}. If the file is not a Kindred library, choose another path.",
            ) from exc

    # ---- housekeeping --------------------------------------------------
    def version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def table_names(self) -> list[str]:
        """The database's tables, in creation order."""
        rows = self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid")
        return [row[0] for row in rows]

    def _migrate(self) -> None:
        current = self.version()
        if current > SCHEMA_VERSION:
            raise LibraryError(
                "The library database is newer than this Kindred",
                f"{self.path} has schema version {current}; this build knows up to "
                f"{SCHEMA_VERSION}. Update Kindred or choose another database.",
            )
        for version in range(current, SCHEMA_VERSION):
            with self.transaction():
                MIGRATIONS[version](self.conn)
                self.conn.execute(f"PRAGMA user_version = {version + 1}")

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> LibraryDB:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """``BEGIN IMMEDIATE`` ... ``COMMIT``; rolled back on any exception."""
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def integrity_check(self) -> str:
        return str(self.conn.execute("PRAGMA integrity_check").fetchone()[0])

    # ---- tracks: writing -------------------------------------------------
    def upsert_tracks(
        self, infos: Iterable[TrackInfo | Prepared], *, now: float | None = None
    ) -> list[int]:
        """Insert or update tracks (matched by path + subtrack); return their ids.

        Call inside :meth:`transaction` for a batch; a single call is atomic anyway
        because it runs in one statement set on one connection.
        """
        now = time.time() if now is None else now
        ids = []
        conn = self.conn
        for info in infos:
            row = _as_row(info)
            row["updated_at"] = now
            existing = conn.execute(
                "SELECT id FROM tracks WHERE path = ? AND subtrack = ?",
                (row["path"], row["subtrack"]),
            ).fetchone()
            if existing:
                track_id = existing[0]
                sets = ", ".join(f"{k} = ?" for k in row)
                conn.execute(f"UPDATE tracks SET {sets} WHERE id = ?", [*row.values(), track_id])
            else:
                row["added_at"] = now
                names = ", ".join(row)
                marks = ", ".join("?" for _ in row)
                cur = conn.execute(
                    f"INSERT INTO tracks ({names}) VALUES ({marks})", list(row.values())
                )
                track_id = int(cur.lastrowid or 0)
            self._index(track_id, row)
            ids.append(track_id)
        return ids

    def insert_tracks(self, infos: Iterable[TrackInfo], *, now: float | None = None) -> list[int]:
        """Insert tracks known to be new (a scan's fast path); return their ids.

        Ids are assigned here so rows and both indexes go in with ``executemany``.
        Call inside :meth:`transaction`: the id range is only safe for one writer.
        """
        return self.insert_rows([prepare(info) for info in infos], now=now)

    def insert_rows(self, rows: list[Prepared], *, now: float | None = None) -> list[int]:
        """:meth:`insert_tracks` for rows made by :func:`prepare` (in a worker process)."""
        now = time.time() if now is None else now
        if not rows:
            return []
        conn = self.conn
        first = int(conn.execute("SELECT COALESCE(MAX(id), 0) FROM tracks").fetchone()[0]) + 1
        ids = range(first, first + len(rows))
        conn.executemany(
            _INSERT_TRACK,
            [(tid, *row.values, now, now) for tid, row in zip(ids, rows, strict=True)],
        )
        conn.executemany(_INSERT_FTS, [(tid, *row.fts) for tid, row in zip(ids, rows, strict=True)])
        cjk = [(tid, row.cjk) for tid, row in zip(ids, rows, strict=True) if row.cjk]
        if cjk:
            conn.executemany("INSERT INTO tracks_cjk (rowid, text) VALUES (?, ?)", cjk)
        return list(ids)

    def _index(self, track_id: int, row: dict[str, Any]) -> None:
        conn = self.conn
        conn.execute("DELETE FROM tracks_fts WHERE rowid = ?", (track_id,))
        conn.execute("DELETE FROM tracks_cjk WHERE rowid = ?", (track_id,))
        values = [row.get(col, "") or "" for col in FTS_COLUMNS]
        conn.execute(
            f"INSERT INTO tracks_fts (rowid, {', '.join(FTS_COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [track_id, *values],
        )
        text = "\n".join(v for v in values if v)
        if has_cjk(text):
            conn.execute(
                "INSERT INTO tracks_cjk (rowid, text) VALUES (?, ?)", (track_id, fold(text))
            )

    def move_track(self, track_id: int, info: TrackInfo | Prepared) -> None:
        """Point an existing track at a new path (a moved or renamed file).

        The row keeps its id, so play history, ratings and playlist entries follow.
        """
        row = _as_row(info)
        row["updated_at"] = time.time()
        sets = ", ".join(f"{k} = ?" for k in row)
        self.conn.execute(f"UPDATE tracks SET {sets} WHERE id = ?", [*row.values(), track_id])
        self.conn.execute(
            "UPDATE playlist_items SET location = ? WHERE track_id = ?", (row["path"], track_id)
        )
        self._index(track_id, row)

    def delete_tracks(self, ids: Iterable[int]) -> int:
        """Remove tracks (their plays and ratings go with them)."""
        count = 0
        for track_id in ids:
            self.conn.execute("DELETE FROM tracks_fts WHERE rowid = ?", (track_id,))
            self.conn.execute("DELETE FROM tracks_cjk WHERE rowid = ?", (track_id,))
            count += self.conn.execute("DELETE FROM tracks WHERE id = ?", (track_id,)).rowcount
        return count

    def delete_other_subtracks(self, path: str, keep: Iterable[int]) -> int:
        """Remove rows of ``path`` whose subtrack is not in ``keep`` (a CUE sheet changed)."""
        keep = set(keep)
        stale = [
            track_id
            for track_id, subtrack in self.conn.execute(
                "SELECT id, subtrack FROM tracks WHERE path = ?", (sql_path(path),)
            )
            if subtrack not in keep
        ]
        return self.delete_tracks(stale)

    def track_keys(self) -> list[tuple[int, str, int, str]]:
        """(id, path, subtrack, content_key) of every track."""
        return [
            (tid, from_sql_path(path), sub, key)
            for tid, path, sub, key in self.conn.execute(
                "SELECT id, path, subtrack, content_key FROM tracks"
            )
        ]

    # ---- scan errors -----------------------------------------------------
    def record_errors(self, errors: Iterable[tuple[str, str, int | None, int | None]]) -> None:
        """Remember files that could not be read: (path, reason, size, mtime_ns)."""
        now = time.time()
        self.conn.executemany(
            "INSERT OR REPLACE INTO scan_errors (path, reason, size, mtime_ns, seen_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [
                (sql_path(path), clean_text(reason), size, mtime, now)
                for path, reason, size, mtime in errors
            ],
        )

    def clear_errors(self, paths: Iterable[str]) -> None:
        self.conn.executemany(
            "DELETE FROM scan_errors WHERE path = ?", [(sql_path(p),) for p in paths]
        )

    def scan_errors(self) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT path, reason, size, mtime_ns, seen_at FROM scan_errors ORDER BY path"
        ).fetchall()
        return [
            {"path": from_sql_path(p), "reason": r, "size": s, "mtime_ns": m, "seen_at": t}
            for p, r, s, m, t in rows
        ]

    # ---- roots -------------------------------------------------------------
    def add_roots(self, paths: Iterable[str]) -> None:
        now = time.time()
        self.conn.executemany(
            "INSERT OR IGNORE INTO library_roots (path, added_at) VALUES (?, ?)",
            [(p, now) for p in paths],
        )

    def roots(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT path FROM library_roots ORDER BY path")]

    def remove_root(self, folder: str, *, drop_tracks: bool) -> int:
        """Stop treating *folder* as a library folder; return how many tracks were deleted.

        With *drop_tracks* the tracks below it leave the library too (their plays,
        ratings and playlist entries with them); otherwise they stay playable.
        """
        prefix = folder.rstrip("/\\") + os.sep
        with self.transaction() as conn:
            conn.execute("DELETE FROM library_roots WHERE path = ?", (folder,))
            if not drop_tracks:
                return 0
            ids = [
                track_id
                for track_id, path, _sub, _key in self.track_keys()
                if path == folder or path.startswith(prefix)
            ]
            return self.delete_tracks(ids)

    # ---- ratings and plays ----------------------------------------------------
    def set_rating(
        self, track_id: int, rating: int | None = None, liked: bool | None = None
    ) -> None:
        now = time.time()
        current = self.conn.execute(
            "SELECT rating, liked FROM ratings WHERE track_id = ?", (track_id,)
        ).fetchone()
        old_rating, old_liked = current if current else (None, 0)
        self.conn.execute(
            "INSERT OR REPLACE INTO ratings (track_id, rating, liked, updated_at) VALUES (?,?,?,?)",
            (
                track_id,
                old_rating if rating is None else rating,
                old_liked if liked is None else int(liked),
                now,
            ),
        )

    def record_play(
        self,
        track_id: int,
        *,
        listened_ms: int,
        finished: bool,
        skipped: bool = False,
        played_at: float | None = None,
    ) -> None:
        played_at = time.time() if played_at is None else played_at
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO plays (track_id, played_at, listened_ms, finished, skipped) "
                "VALUES (?, ?, ?, ?, ?)",
                (track_id, played_at, listened_ms, int(finished), int(skipped)),
            )
            conn.execute(
                "UPDATE tracks SET play_count = play_count + ?, skip_count = skip_count + ?, "
                "last_played = MAX(COALESCE(last_played, 0), ?) WHERE id = ?",
                (int(not skipped), int(skipped), played_at, track_id),
            )

    # ---- tracks: reading --------------------------------------------------------
    def file_index(self) -> dict[str, tuple[int, int, str]]:
        """path -> (size, mtime_ns, cue_path) for every file the library holds."""
        index: dict[str, tuple[int, int, str]] = {}
        # every row of a file (its CUE tracks) carries the same size, mtime and sheet
        for path, size, mtime, cue in self.conn.execute(
            "SELECT path, size, mtime_ns, cue_path FROM tracks"
        ):
            if path.__class__ is bytes:
                path = os.fsdecode(path)
            index[path] = (size, mtime, cue if cue.__class__ is str else os.fsdecode(cue))
        return index

    def error_index(self) -> dict[str, tuple[int | None, int | None, str]]:
        """path -> (size, mtime_ns, reason) of every file that failed to read."""
        return {
            from_sql_path(path): (size, mtime, reason)
            for path, size, mtime, reason in self.conn.execute(
                "SELECT path, size, mtime_ns, reason FROM scan_errors"
            )
        }

    def track_count(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM tracks").fetchone()[0])

    def get_track(self, track_id: int) -> TrackInfo | None:
        row = self.conn.execute("SELECT * FROM tracks WHERE id = ?", (track_id,)).fetchone()
        return None if row is None else row_to_track(self._dict(row))

    def track_id(self, path: str, subtrack: int = 0) -> int | None:
        row = self.conn.execute(
            "SELECT id FROM tracks WHERE path = ? AND subtrack = ?", (sql_path(path), subtrack)
        ).fetchone()
        return None if row is None else int(row[0])

    def tracks(self, where: str = "1", params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        """Rows of ``tracks`` (as dicts with decoded lists) matching a SQL condition."""
        cur = self.conn.execute(
            f"SELECT * FROM tracks WHERE {where} ORDER BY path, subtrack", list(params)
        )
        return [decode_row(self._dict(row, cur)) for row in cur.fetchall()]

    def _dict(self, row: tuple, cur: sqlite3.Cursor | None = None) -> dict[str, Any]:
        if cur is None:
            cur = self.conn.execute("SELECT * FROM tracks LIMIT 0")
        return {d[0]: v for d, v in zip(cur.description, row, strict=True)}

    def stats(self) -> dict[str, Any]:
        conn = self.conn
        row = conn.execute(
            "SELECT COUNT(*), COUNT(DISTINCT artist), COUNT(DISTINCT album_artist || '\x1f' || album),"
            " COALESCE(SUM(CASE WHEN subtrack = 0 THEN size ELSE 0 END), 0),"
            " COALESCE(SUM(duration), 0), COALESCE(SUM(lossless), 0) FROM tracks"
        ).fetchone()
        formats = dict(
            conn.execute(
                "SELECT format, COUNT(*) FROM tracks GROUP BY format ORDER BY COUNT(*) DESC"
            ).fetchall()
        )
        return {
            "tracks": row[0],
            "artists": row[1],
            "albums": row[2],
            "bytes": row[3],
            "duration_s": round(row[4], 1),
            "lossless": row[5],
            "formats": formats,
            "playlists": conn.execute("SELECT COUNT(*) FROM playlists").fetchone()[0],
            "plays": conn.execute("SELECT COUNT(*) FROM plays").fetchone()[0],
            "scan_errors": conn.execute("SELECT COUNT(*) FROM scan_errors").fetchone()[0],
            "roots": self.roots(),
        }


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
    """Everything the store derives from a track, computed once (in a scan worker)."""
    values: list[Any] = []
    for name in TRACK_FIELDS:
        value = getattr(info, name)
        if name in MULTI_VALUE_FIELDS:
            value = json.dumps([clean_text(v) for v in value], ensure_ascii=False)
        elif value.__class__ is bool:
            value = int(value)
        elif value.__class__ is str:
            value = clean_text(value)
        values.append(value)
    values[_PATH_INDEX] = sql_path(info.path)
    values[_CUE_INDEX] = sql_path(info.cue_path)
    artist, album_artist, genre = (
        clean_text(info.artist),
        clean_text(info.album_artist),
        clean_text(info.genre),
    )
    folder, _, filename = info.path.rpartition(os.sep)
    key = content_key(info)
    values += [
        artist,
        album_artist,
        genre,
        sql_path(folder),
        clean_text(filename),
        key,
        clean_text(song_key(info.artist, info.title, info.duration)),
    ]
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


def _as_row(track: TrackInfo | Prepared) -> dict[str, Any]:
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
