"""The library's tables for comments: the outbox, the comment cache and song ids.

They live in the library database so that what a listener writes survives a
crash in the same transaction-safe file as their library. The logic that uses
them is in :mod:`player.social`; only the schema is here (the library may not
depend on the social layer, and migrations belong to the library).
"""

from __future__ import annotations

from typing import Any

STATEMENTS = (
    # every post, edit, delete, like and report, written before it is sent
    """
    CREATE TABLE IF NOT EXISTS outbox (
      id INTEGER PRIMARY KEY,
      server TEXT NOT NULL,
      kind TEXT NOT NULL,
      payload TEXT NOT NULL,
      idempotency_key TEXT NOT NULL UNIQUE,
      state TEXT NOT NULL DEFAULT 'pending',
      created_at REAL NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0,
      next_attempt_at REAL NOT NULL DEFAULT 0,
      last_error TEXT NOT NULL DEFAULT '',
      result TEXT
    )
    """,
    "CREATE INDEX IF NOT EXISTS outbox_pending ON outbox(server, state, id)",
    # the server's song id for a track, resolved once
    """
    CREATE TABLE IF NOT EXISTS song_ids (
      track_id INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
      server TEXT NOT NULL,
      song_id INTEGER NOT NULL,
      resolved_at REAL NOT NULL,
      PRIMARY KEY (track_id, server)
    )
    """,
    # recently read comment pages, shown (marked as possibly out of date) offline
    """
    CREATE TABLE IF NOT EXISTS comment_cache (
      server TEXT NOT NULL,
      song_id INTEGER NOT NULL,
      sort TEXT NOT NULL,
      page TEXT NOT NULL,
      etag TEXT,
      fetched_at REAL NOT NULL,
      PRIMARY KEY (server, song_id, sort)
    )
    """,
    "CREATE INDEX IF NOT EXISTS comment_cache_age ON comment_cache(fetched_at)",
)


def create(db: Any) -> None:
    """Create the tables (inside the caller's migration transaction)."""
    for statement in STATEMENTS:
        db.execute(statement)
