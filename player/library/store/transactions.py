"""Transactions on a store connection: ``BEGIN IMMEDIATE`` ... ``COMMIT``.

Connections run in autocommit mode (``isolation_level=None``), so a statement
outside :func:`transaction` commits on its own; writes are batched inside one.
``BEGIN IMMEDIATE`` takes the write lock at once, so two writers wait on each
other (up to the busy timeout) instead of failing half-way.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` ... ``COMMIT``; rolled back on any exception."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
