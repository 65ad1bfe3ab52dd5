"""Which comments of a page a reader liked: the one query of a signed-in cached read.

``likes WHERE user_id = ? AND comment_id IN (...)`` runs for every signed-in
page view served from the read cache (:mod:`.signedin`), so it skips what a
pooled SQLAlchemy connection costs per use (statement handling, a liveness
ping, BEGIN and ROLLBACK) and the hop to a worker thread:

* on PostgreSQL a few autocommit async connections owned by the event loop
  (psycopg prepares the statement after a few uses);
* on SQLite one autocommit connection on the event loop that never waits for
  a lock: when it is busy the query runs in a worker thread instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import threading
from typing import Any

from fastapi.concurrency import run_in_threadpool
from sqlalchemy.engine import make_url

_PG_SQL = "SELECT comment_id FROM likes WHERE user_id = %s AND comment_id = ANY(%s)"
#: event-loop connections to PostgreSQL (each runs one query at a time)
PG_CONNECTIONS = 4


def _sqlite_sql(count: int) -> str:
    marks = ",".join("?" * count)
    return f"SELECT comment_id FROM likes WHERE user_id = ? AND comment_id IN ({marks})"


class LikedQuery:
    """The liked ids among a page's comments, for one reader."""

    def __init__(self, url: str) -> None:
        parsed = make_url(url)
        self.postgres = parsed.get_backend_name() == "postgresql"
        self._target = (
            parsed.set(drivername="postgresql").render_as_string(hide_password=False)
            if self.postgres
            else str(parsed.database)
        )
        self._sqlite_loop: sqlite3.Connection | None = None
        self._local = threading.local()
        self._opened: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._pg_slots: asyncio.Semaphore | None = None
        self._pg_idle: list[Any] = []

    async def fetch(self, user_id: int, ids: tuple[int, ...]) -> frozenset[int]:
        """The ids among ``ids`` that ``user_id`` liked."""
        if self.postgres:
            return await self._pg_fetch(user_id, ids)
        found = self._sqlite_inline(user_id, ids)
        if found is None:
            found = await run_in_threadpool(self._sqlite_threaded, user_id, ids)
        return found

    # PostgreSQL: a small pool of async connections on the event loop

    async def _pg_fetch(self, user_id: int, ids: tuple[int, ...]) -> frozenset[int]:
        import psycopg

        if self._pg_slots is None:
            self._pg_slots = asyncio.Semaphore(PG_CONNECTIONS)
        async with self._pg_slots:
            if self._pg_idle:
                conn = self._pg_idle.pop()
            else:
                conn = await psycopg.AsyncConnection.connect(self._target, autocommit=True)
            try:
                cursor = await conn.execute(_PG_SQL, (user_id, list(ids)))
                rows = await cursor.fetchall()
            except BaseException:
                with contextlib.suppress(Exception):  # broken or cancelled: never reuse it
                    await conn.close()
                raise
            self._pg_idle.append(conn)
        return frozenset(row[0] for row in rows)

    # SQLite: inline on the loop when free, else a thread's own connection

    def _sqlite_connect(self, busy_ms: int) -> sqlite3.Connection:
        conn = sqlite3.connect(self._target, isolation_level=None, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout={int(busy_ms)}")
        conn.execute("PRAGMA query_only=ON")
        with self._lock:
            self._opened.append(conn)
        return conn

    def _sqlite_inline(self, user_id: int, ids: tuple[int, ...]) -> frozenset[int] | None:
        if self._sqlite_loop is None:
            self._sqlite_loop = self._sqlite_connect(0)
        try:
            rows = self._sqlite_loop.execute(_sqlite_sql(len(ids)), (user_id, *ids)).fetchall()
        except sqlite3.Error:
            return None
        return frozenset(row[0] for row in rows)

    def _sqlite_threaded(self, user_id: int, ids: tuple[int, ...]) -> frozenset[int]:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._sqlite_connect(30_000)
        rows = conn.execute(_sqlite_sql(len(ids)), (user_id, *ids)).fetchall()
        return frozenset(row[0] for row in rows)

    async def aclose(self) -> None:
        """Close every connection opened here (at shutdown, on the event loop)."""
        pg, self._pg_idle, self._pg_slots = self._pg_idle, [], None
        for conn in pg:
            with contextlib.suppress(Exception):
                await conn.close()
        with self._lock:
            opened, self._opened = self._opened, []
        for lite in opened:
            with contextlib.suppress(Exception):
                lite.close()
        self._sqlite_loop = None
        self._local = threading.local()
