"""A first scan into an empty library: the tracks' secondary indexes built once, late.

Every row inserted into ``tracks`` also goes into each of its secondary indexes
(folder, album, artist, the sort-tag indexes of schema v9...), one B-tree insert
each. When the library is empty, building those indexes once from the finished
table (a sort per index) costs less than keeping them up to date row by row:
:func:`deferred_indexes` drops them for the duration of the load and creates
them again when it is left (the scanner leaves it before its last rows when
worker processes still read: those rows go into the indexes one by one),
whether the load finished, was cancelled or failed.

The trade: while the first scan runs, queries that would use those indexes (the
browser, the Albums and Artists views) read the table without them, which is
slower but still correct; the word indexes and ``UNIQUE (path, subtrack)`` are
kept all along. The dropped definitions are written to ``deferred_indexes`` in
the same transaction that drops them, so a process that dies half-way leaves
them on record: :func:`restore_indexes` (run by every writer that opens the file)
creates them again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from player.library.store.transactions import transaction

_TABLE = "deferred_indexes"


def _secondary_indexes(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the indexes on ``tracks`` that SQL created
    (not the automatic ones behind UNIQUE and PRIMARY KEY constraints)."""
    return conn.execute(
        "SELECT name, sql FROM sqlite_master"
        " WHERE type = 'index' AND tbl_name = 'tracks' AND sql IS NOT NULL ORDER BY name"
    ).fetchall()


def restore_indexes(conn: sqlite3.Connection) -> int:
    """Create the indexes a :func:`deferred_indexes` left on record; return how many."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (_TABLE,)
    ).fetchone()
    if not exists:
        return 0
    with transaction(conn):
        have = {name for name, _sql in _secondary_indexes(conn)}
        pending = conn.execute(f"SELECT name, sql FROM {_TABLE}").fetchall()
        for name, sql in pending:
            if name not in have:
                conn.execute(sql)
        conn.execute(f"DROP TABLE {_TABLE}")
    return len(pending)


@contextmanager
def deferred_indexes(conn: sqlite3.Connection) -> Iterator[bool]:
    """Without the tracks' secondary indexes while the body runs, if ``tracks`` is empty.

    Yields True when the indexes were dropped (the table was empty), False when
    nothing changed. Call outside any transaction: the body commits its own.
    """
    with transaction(conn):
        empty = conn.execute("SELECT NOT EXISTS (SELECT 1 FROM tracks)").fetchone()[0] == 1
        indexes = _secondary_indexes(conn) if empty else []
        if indexes:
            conn.execute(f"CREATE TABLE IF NOT EXISTS {_TABLE} (name TEXT PRIMARY KEY, sql TEXT)")
            conn.executemany(f"INSERT OR REPLACE INTO {_TABLE} VALUES (?, ?)", indexes)
            for name, _sql in indexes:
                conn.execute('DROP INDEX "{}"'.format(name.replace('"', '""')))
    try:
        yield bool(indexes)
    finally:
        if indexes:
            restore_indexes(conn)
