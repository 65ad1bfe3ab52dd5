"""Database engines for SQLite (embedded default) and PostgreSQL.

SQLite runs in WAL mode with one connection per thread; write transactions
start with ``BEGIN IMMEDIATE`` so two writers queue on the busy timeout instead
of failing on a lock upgrade. PostgreSQL goes through psycopg 3.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

WRITE_OPTION = "kindred_write"
#: conn.info key: the songs a write transaction changed (for cache invalidation)
TOUCHED_SONGS = "kindred_touched_songs"


def normalize_url(url: str) -> str:
    """``postgresql://`` (or ``postgres://``) means psycopg 3."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _sqlite_engine(url: str) -> Engine:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise ValueError("the SQLite server database must be a file")
    Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": 30},
        pool_size=8,
        max_overflow=56,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get(WRITE_OPTION)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def make_engine(url: str) -> Engine:
    """An engine for ``url`` (SQLite file or PostgreSQL)."""
    url = normalize_url(url)
    if url.startswith("sqlite"):
        return _sqlite_engine(url)
    return create_engine(url, pool_size=10, max_overflow=30, pool_pre_ping=True)


class Database:
    """An engine plus read and write transactions."""

    def __init__(self, url: str) -> None:
        self.url = normalize_url(url)
        self.engine = make_engine(self.url)
        self.dialect = self.engine.dialect.name
        #: called with the songs a write changed, once it has ended
        self.after_write: Callable[[Iterable[int]], None] | None = None
        #: SQLite has one writer: queue this process's writers here, where waiting
        #: is a cheap lock hand-over, instead of in SQLite's sleeping busy handler
        self._write_lock = threading.Lock() if self.dialect == "sqlite" else nullcontext()

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read transaction (one consistent snapshot)."""
        with self.engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A write transaction: committed on success, rolled back on error."""
        with self._write_lock, self.engine.connect() as conn:
            conn.execution_options(**{WRITE_OPTION: True})
            try:
                with conn.begin():
                    yield conn
            finally:
                touched = conn.info.pop(TOUCHED_SONGS, None)
                if touched and self.after_write is not None:
                    self.after_write(touched)

    def ping(self) -> bool:
        """True when the database answers a trivial query."""
        try:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("SELECT 1").scalar()
                conn.rollback()
            return True
        except Exception:
            return False

    def close(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()
