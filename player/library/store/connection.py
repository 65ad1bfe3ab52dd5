"""Opening the library database: one SQLite connection (WAL) per thread.

:class:`Store` owns one ``sqlite3`` connection: it sets the pragmas (write-ahead
log, a 30 s busy timeout, foreign keys), brings the schema forward
(:mod:`player.library.store.schema`) unless opened read-only, and offers the
few helpers the domain modules run their SQL through (:meth:`Store.execute`,
:meth:`Store.query`, :meth:`Store.transaction`...). A connection belongs to
one thread: each thread opens its own (:func:`player.library.store.reader`
keeps one read-only connection per thread and database for the workers).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, TypeVar

from player.errors import LibraryError
from player.library.store.bulkload import restore_indexes
from player.library.store.schema import MIGRATIONS, SCHEMA_VERSION
from player.library.store.transactions import transaction as immediate_transaction

Params = Iterable[Any]
_S = TypeVar("_S", bound="Store")


def connect(path: Path, *, readonly: bool) -> sqlite3.Connection:
    """A connection to ``path`` with the store's pragmas (WAL unless read-only)."""
    conn = sqlite3.connect(str(path), timeout=30, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA busy_timeout = 30000")
    mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    if mode != "wal" and not readonly:
        conn.execute("PRAGMA journal_mode = wal")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA cache_size = -32000")
    return conn


class Store:
    """One connection to the library database (use one per thread)."""

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        self.path = Path(path)
        self._functions: set[str] = set()  # names given to define_function
        try:
            if not readonly:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            elif not self.path.exists():
                raise LibraryError(
                    "The library database does not exist", f"No database at {self.path}."
                )
            self.conn: sqlite3.Connection = connect(self.path, readonly=readonly)
            if not readonly:
                restore_indexes(self.conn)  # a first scan that stopped half-way
                self.migrate()
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

    def change_stamp(self) -> tuple[int, int]:
        """A value that moves whenever the database may have changed: another
        connection's commit (``PRAGMA data_version``) or a write of this one."""
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0]), self.conn.total_changes

    def table_names(self) -> list[str]:
        """The database's tables, in creation order."""
        rows = self.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid"
        )
        return [row[0] for row in rows]

    def migrate(self) -> None:
        """Apply the migrations this file lacks, each in its own transaction."""
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

    def __enter__(self: _S) -> _S:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        """``BEGIN IMMEDIATE`` ... ``COMMIT``; rolled back on any exception."""
        return immediate_transaction(self.conn)

    @property
    def in_transaction(self) -> bool:
        """True while a transaction is open on this connection."""
        return self.conn.in_transaction

    def integrity_check(self) -> str:
        return str(self.conn.execute("PRAGMA integrity_check").fetchone()[0])

    # ---- running SQL (for the domain modules) ------------------------------
    def define_function(self, name: str, nargs: int, function: Callable[..., Any]) -> None:
        """Make ``function`` callable from this connection's SQL (not deterministic:
        called for every row). A name is defined once: a later call with it keeps the
        first function, since redefining one makes SQLite prepare every cached
        statement again."""
        if name not in self._functions:
            self.conn.create_function(name, nargs, function)
            self._functions.add(name)

    def execute(self, sql: str, params: Params = ()) -> sqlite3.Cursor:
        """Run one statement; the cursor iterates its rows (``rowcount``, ``lastrowid``)."""
        if not isinstance(params, tuple | list | dict):
            params = tuple(params)
        return self.conn.execute(sql, params)

    def executemany(self, sql: str, rows: Iterable[Params]) -> sqlite3.Cursor:
        """Run one statement for each parameter row."""
        return self.conn.executemany(sql, rows)

    def query(self, sql: str, params: Params = ()) -> list[tuple[Any, ...]]:
        """Every row of a query."""
        return self.execute(sql, params).fetchall()

    def query_one(self, sql: str, params: Params = ()) -> tuple[Any, ...] | None:
        """The first row of a query, or None."""
        return self.execute(sql, params).fetchone()

    def scalar(self, sql: str, params: Params = ()) -> Any:
        """The first column of the first row (None when there is no row)."""
        row = self.query_one(sql, params)
        return None if row is None else row[0]
