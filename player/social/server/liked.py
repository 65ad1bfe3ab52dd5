"""The queries of the fast signed-in paths, on connections of their own.

Which comments of a page a reader liked and which of its authors they muted
(one query, ``likes ... UNION ALL mutes ...``) runs for every signed-in page
view served from the read cache (:mod:`.signedin`); a reader's unread count
(:mod:`.inbox`) for every poll of the inbox badge. Both skip what a pooled
SQLAlchemy connection costs per use (statement handling, a liveness ping,
BEGIN and ROLLBACK) and the hop to a worker thread:

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

_PG_MARKS = (
    "SELECT 0, comment_id FROM likes WHERE user_id = %s AND comment_id = ANY(%s)"
    " UNION ALL SELECT 1, muted_id FROM mutes WHERE user_id = %s AND muted_id = ANY(%s)"
)
#: unread notifications, counted up to this many (a badge shows "999+" beyond)
UNREAD_CAP = 1000
_UNREAD = (
    "SELECT count(*) FROM (SELECT 1 FROM notifications WHERE user_id = {p} AND id >"
    " coalesce((SELECT read_up_to FROM notification_reads WHERE user_id = {p}), 0)"
    f" LIMIT {UNREAD_CAP}) AS unread"
)
_PG_UNREAD = _UNREAD.format(p="%s")
#: the same count as a SQLAlchemy text query (parameter ``u``), for the full path
UNREAD_SQL = _UNREAD.format(p=":u")
_SQLITE_UNREAD = _UNREAD.format(p="?")
#: event-loop connections to PostgreSQL (each runs one query at a time)
PG_CONNECTIONS = 4


def _sqlite_marks(ids: int, authors: int) -> str:
    return (
        f"SELECT 0, comment_id FROM likes WHERE user_id = ? AND comment_id IN ({','.join('?' * ids)})"
        " UNION ALL SELECT 1, muted_id FROM mutes WHERE user_id = ?"
        f" AND muted_id IN ({','.join('?' * authors)})"
    )


class LikedQuery:
    """A reader's likes and mutes on a page, and their unread count."""

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

    async def fetch(
        self, user_id: int, ids: tuple[int, ...], authors: tuple[int, ...] = ()
    ) -> tuple[frozenset[int], frozenset[int]]:
        """The ids among ``ids`` that ``user_id`` liked, and whom of ``authors`` they muted."""
        if self.postgres:
            rows = await self._pg_rows(_PG_MARKS, (user_id, list(ids), user_id, list(authors)))
        else:
            # an empty IN () is valid in SQLite; 0 is never an id
            sql = _sqlite_marks(len(ids), len(authors) or 1)
            rows = await self._sqlite_rows(sql, (user_id, *ids, user_id, *(authors or (0,))))
        liked = frozenset(row[1] for row in rows if row[0] == 0)
        return liked, frozenset(row[1] for row in rows if row[0] == 1)

    async def unread(self, user_id: int) -> int:
        """How many notifications ``user_id`` has not read (at most :data:`UNREAD_CAP`)."""
        if self.postgres:
            rows = await self._pg_rows(_PG_UNREAD, (user_id, user_id))
        else:
            rows = await self._sqlite_rows(_SQLITE_UNREAD, (user_id, user_id))
        return int(rows[0][0])

    async def _sqlite_rows(self, sql: str, params: tuple[Any, ...]) -> list[Any]:
        found = self._sqlite_inline(sql, params)
        if found is None:
            found = await run_in_threadpool(self._sqlite_threaded, sql, params)
        return found

    # PostgreSQL: a small pool of async connections on the event loop

    async def _pg_rows(self, sql: str, params: tuple[Any, ...]) -> list[Any]:
        import psycopg

        if self._pg_slots is None:
            self._pg_slots = asyncio.Semaphore(PG_CONNECTIONS)
        async with self._pg_slots:
            if self._pg_idle:
                conn = self._pg_idle.pop()
            else:
                conn = await psycopg.AsyncConnection.connect(self._target, autocommit=True)
            try:
                cursor = await conn.execute(sql, params)
                rows = await cursor.fetchall()
            except BaseException:
                with contextlib.suppress(Exception):  # broken or cancelled: never reuse it
                    await conn.close()
                raise
            self._pg_idle.append(conn)
        return rows

    # SQLite: inline on the loop when free, else a thread's own connection

    def _sqlite_connect(self, busy_ms: int) -> sqlite3.Connection:
        conn = sqlite3.connect(self._target, isolation_level=None, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout={int(busy_ms)}")
        conn.execute("PRAGMA query_only=ON")
        with self._lock:
            self._opened.append(conn)
        return conn

    def _sqlite_inline(self, sql: str, params: tuple[Any, ...]) -> list[Any] | None:
        if self._sqlite_loop is None:
            self._sqlite_loop = self._sqlite_connect(0)
        try:
            return self._sqlite_loop.execute(sql, params).fetchall()
        except sqlite3.Error:
            return None

    def _sqlite_threaded(self, sql: str, params: tuple[Any, ...]) -> list[Any]:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._sqlite_connect(30_000)
        return conn.execute(sql, params).fetchall()

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
