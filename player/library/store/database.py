"""The library's own tables: tracks and their word indexes, ratings, plays, roots, scan errors.

:class:`LibraryDB` is the store's public class: a :class:`~player.library.store.connection.Store`
(one connection, use one per thread) with the track library's reads and
writes. The two full-text indexes are maintained here, next to the rows they
index:

* ``tracks_fts`` (FTS5, ``unicode61 remove_diacritics 2``) for words and prefixes
  in any script that separates words with spaces (with ready-made lists for
  one- and two-letter prefixes since schema 13);
* ``tracks_cjk`` (FTS5, ``trigram``) holding only tracks whose text contains
  CJK characters, for substring search in Chinese and Japanese.

Writes are batched inside transactions; only one connection (the scanner or
the UI's writer) writes. :func:`reader` gives each thread its own read-only
connection.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from player.library.paths import (
    Flavour,
    current_flavour,
    fold_case,
    normalise,
    path_key,
    same_path,
    under_folder,
)
from player.library.store.bulkload import deferred_indexes
from player.library.store.connection import Store
from player.library.store.groups import album_count, artist_count
from player.library.store.rows import (
    FTS_COLUMNS,
    TRACK_COLUMNS,
    Prepared,
    as_row,
    clean_text,
    decode_row,
    fold,
    from_sql_path,
    has_cjk,
    prepare,
    row_to_track,
    sql_path,
)
from player.library.track import TrackInfo

_INSERT_TRACK = (
    f"INSERT INTO tracks (id, {', '.join(TRACK_COLUMNS)}, added_at, updated_at) "
    f"VALUES ({', '.join('?' for _ in range(len(TRACK_COLUMNS) + 3))})"
)
_INSERT_FTS = (
    f"INSERT INTO tracks_fts (rowid, {', '.join(FTS_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in range(len(FTS_COLUMNS) + 1))})"
)

#: Windows only: lets a path be found whatever its (ASCII) case. Made with IF NOT
#: EXISTS when a writer opens the file, so it needs no schema version; SQLite
#: keeps it up to date on any OS.
NOCASE_INDEX = "CREATE INDEX IF NOT EXISTS tracks_path_nocase ON tracks(path COLLATE NOCASE)"


class LibraryDB(Store):
    """One connection to the library database (use one per thread).

    ``flavour`` names the OS whose path rules the library follows (default: the
    running one). On Windows (``"nt"``) a path is found whatever its case or
    separators (:func:`player.library.paths.path_key`): the lookups fall back to
    an index on ``path COLLATE NOCASE`` (:data:`NOCASE_INDEX`, made when a
    writer opens the file) and compare identity keys. On POSIX nothing of this
    runs: paths are found exactly, as before.
    """

    def __init__(
        self, path: str | Path, *, readonly: bool = False, flavour: Flavour | None = None
    ) -> None:
        super().__init__(path, readonly=readonly)
        self.flavour: Flavour = flavour or current_flavour()
        if self.flavour == "nt" and not readonly:
            self.conn.execute(NOCASE_INDEX)
        #: the file and error indexes as last read, with the :meth:`change_stamp`
        #: they were read at (see :meth:`file_index`)
        self._kept: tuple[tuple[int, int], dict[str, Any], dict[str, Any]] | None = None

    def _spellings(self, path: str, column: str = "path") -> list[str | bytes]:
        """On Windows, the stored spellings (in ``column``) of the file ``path`` names."""
        canonical = normalise(path, "nt")
        key = fold_case(canonical)
        cut = next((i for i, c in enumerate(canonical) if not c.isascii()), len(canonical))
        if cut == len(canonical):
            rows = self.conn.execute(
                f"SELECT DISTINCT {column} FROM tracks WHERE {column} = ? COLLATE NOCASE",
                (canonical,),
            )
        else:  # NOCASE folds ASCII only: take the ASCII prefix's range, then compare keys
            prefix = canonical[:cut]
            rows = self.conn.execute(
                f"SELECT DISTINCT {column} FROM tracks"
                f" WHERE {column} >= ? COLLATE NOCASE AND {column} < ? COLLATE NOCASE",
                (prefix, prefix + "\U0010ffff"),
            )
        return [p for (p,) in rows if fold_case(from_sql_path(p)) == key]

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
            row = as_row(info)
            row["updated_at"] = now
            existing = conn.execute(
                "SELECT id FROM tracks WHERE path = ? AND subtrack = ?",
                (row["path"], row["subtrack"]),
            ).fetchone()
            if existing is None and self.flavour == "nt":
                existing = self._find_nt(from_sql_path(row["path"]), row["subtrack"])
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

    def bulk_load(self) -> AbstractContextManager[bool]:
        """Around a first scan: the tracks' secondary indexes are built once at the
        end when the library is empty (:mod:`~player.library.store.bulkload`)."""
        return deferred_indexes(self.conn)

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
        row = as_row(info)
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
        """Remember library folders; on Windows a folder already there under another
        spelling (``c:/music`` for ``C:\\Music``) is not added twice."""
        now = time.time()
        if self.flavour == "nt":
            seen = {path_key(root, "nt") for root in self.roots()}
            kept = []
            for path in paths:
                if path_key(path, "nt") not in seen:
                    seen.add(path_key(path, "nt"))
                    kept.append(normalise(path, "nt"))
            paths = kept
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
        nt = self.flavour == "nt"
        prefix = folder.rstrip("/\\") + os.sep
        with self.transaction() as conn:
            spellings = [folder]
            if nt:  # the folder as stored, whatever spelling names it
                spellings += [r for r in self.roots() if same_path(r, folder, "nt")]
            conn.executemany("DELETE FROM library_roots WHERE path = ?", [(f,) for f in spellings])
            if not drop_tracks:
                return 0
            ids = [
                track_id
                for track_id, path, _sub, _key in self.track_keys()
                if (
                    under_folder(path, folder, "nt")
                    if nt
                    else path == folder or path.startswith(prefix)
                )
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
        """path -> (size, mtime_ns, cue_path) for every file the library holds.

        A file read before the library kept sort tags (``artist_sort`` is NULL,
        see schema ``_v9``) reports mtime -1, so the next scan reads it again.

        Kept between calls until :meth:`change_stamp` moves (another
        connection's commit or a write of this one): a rescan with nothing
        changed reads no rows. Each call returns its own copy.
        """
        return self._indexes()[1].copy()

    def error_index(self) -> dict[str, tuple[int | None, int | None, str]]:
        """path -> (size, mtime_ns, reason) of every file that failed to read
        (kept like :meth:`file_index`)."""
        return self._indexes()[2].copy()

    def keep_indexes(self) -> None:
        """Read the file and error indexes now if they moved, so that the next
        :meth:`file_index` finds them kept (a scan that wrote calls this at its end)."""
        self._indexes()

    def _indexes(self) -> tuple[tuple[int, int], dict[str, Any], dict[str, Any]]:
        stamp = self.change_stamp()
        kept = self._kept
        if kept is not None and kept[0] == stamp:
            return kept
        self._kept = None
        files: dict[str, tuple[int, int, str]] = {}
        # every row of a file (its CUE tracks) carries the same size, mtime and sheet
        for path, size, mtime, cue in self.conn.execute(
            "SELECT path, size, CASE WHEN artist_sort IS NULL THEN -1 ELSE mtime_ns END, "
            "cue_path FROM tracks"
        ):
            if path.__class__ is bytes:
                path = os.fsdecode(path)
            files[path] = (size, mtime, cue if cue.__class__ is str else os.fsdecode(cue))
        errors = {
            from_sql_path(path): (size, mtime, reason)
            for path, size, mtime, reason in self.conn.execute(
                "SELECT path, size, mtime_ns, reason FROM scan_errors"
            )
        }
        kept = (stamp, files, errors)
        # inside a transaction the rows may yet be rolled back, which moves no stamp
        if not self.conn.in_transaction:
            self._kept = kept
        return kept

    def track_count(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM tracks").fetchone()[0])

    def has_tracks(self) -> bool:
        """True when the library holds at least one track."""
        return self.conn.execute("SELECT EXISTS(SELECT 1 FROM tracks)").fetchone()[0] == 1

    def track_ids(self) -> set[int]:
        """The id of every track."""
        return {row[0] for row in self.conn.execute("SELECT id FROM tracks")}

    def track_value(self, track_id: int, column: str) -> Any:
        """One column of one track (None when the track is gone)."""
        if column not in TRACK_COLUMNS:
            raise ValueError(f"not a track column: {column!r}")
        row = self.conn.execute(f"SELECT {column} FROM tracks WHERE id = ?", (track_id,)).fetchone()
        return None if row is None else row[0]

    def tracks_changed_since(self, after: float, columns: Iterable[str]) -> list[tuple[Any, ...]]:
        """``columns`` of the tracks added or updated after ``after`` (epoch seconds)."""
        names = ", ".join(columns)
        return self.conn.execute(
            f"SELECT {names} FROM tracks WHERE updated_at > ?", (after,)
        ).fetchall()

    def get_track(self, track_id: int) -> TrackInfo | None:
        row = self.conn.execute("SELECT * FROM tracks WHERE id = ?", (track_id,)).fetchone()
        return None if row is None else row_to_track(self._dict(row))

    def track_id(self, path: str, subtrack: int = 0) -> int | None:
        """The track at ``path`` (found by identity key on Windows), or None."""
        row = self.conn.execute(
            "SELECT id FROM tracks WHERE path = ? AND subtrack = ?", (sql_path(path), subtrack)
        ).fetchone()
        if row is None and self.flavour == "nt":
            row = self._find_nt(path, subtrack)
        return None if row is None else int(row[0])

    def _find_nt(self, path: str, subtrack: int) -> tuple[int] | None:
        for spelling in self._spellings(path):
            row = self.conn.execute(
                "SELECT id FROM tracks WHERE path = ? AND subtrack = ?", (spelling, subtrack)
            ).fetchone()
            if row is not None:
                return (int(row[0]),)
        return None

    def tracks_at(self, path: str, column: str = "path") -> list[tuple[int, int, str]]:
        """(id, subtrack, title) of the tracks of the file ``path`` (``column="cue_path"``:
        of the CUE sheet ``path``), by subtrack; found by identity key on Windows."""
        if column not in ("path", "cue_path"):
            raise ValueError(f"not a path column: {column!r}")
        sql = f"SELECT id, subtrack, title FROM tracks WHERE {column} = ? ORDER BY subtrack"
        rows = self.conn.execute(sql, (sql_path(path),)).fetchall()
        if rows or self.flavour != "nt":
            return rows
        spellings = self._spellings(path, column)
        for spelling in spellings:
            rows = self.conn.execute(sql, (spelling,)).fetchall()
            if rows:
                return rows
        return []

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
        """What the library holds; artists and albums counted as the window's views count
        them (:mod:`player.library.store.groups`)."""
        conn = self.conn
        row = conn.execute(
            "SELECT COUNT(*),"
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
            "artists": artist_count(self),
            "albums": album_count(self),
            "bytes": row[1],
            "duration_s": round(row[2], 1),
            "lossless": row[3],
            "formats": formats,
            "playlists": conn.execute("SELECT COUNT(*) FROM playlists").fetchone()[0],
            "plays": conn.execute("SELECT COUNT(*) FROM plays").fetchone()[0],
            "scan_errors": conn.execute("SELECT COUNT(*) FROM scan_errors").fetchone()[0],
            "roots": self.roots(),
        }


_local = threading.local()


def thread_db(db_path: str | Path, *, readonly: bool = False) -> LibraryDB:
    """This thread's connection to the library (one per thread, database and mode)."""
    conns: dict[tuple[str, bool], LibraryDB] = getattr(_local, "conns", None) or {}
    _local.conns = conns
    key = (str(db_path), readonly)
    if key not in conns:
        conns[key] = LibraryDB(db_path, readonly=readonly)
    return conns[key]


def reader(db_path: str | Path) -> LibraryDB:
    """This thread's read-only connection to the library (one per thread and database)."""
    return thread_db(db_path, readonly=True)
