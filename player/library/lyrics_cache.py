"""The library's lyrics tables: answers of the lyrics server, and per-track offsets.

``lyrics_cache`` keeps one answer per question (server + artist + title +
album + whole seconds, folded): the lyrics found, "instrumental", or "none".
A "none" is asked again once it is :data:`NONE_TTL_S` old (lyrics get added
to LRCLIB all the time); found lyrics and "instrumental" are kept.
``lyrics_offsets`` holds the listener's timing correction of a track in
milliseconds (positive: the lines come earlier, like LRC's ``[offset:]``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Protocol

from player.library.lrclib import NONE, Found, TrackQuery

#: how long "no lyrics found" is believed before the server is asked again
NONE_TTL_S = 14 * 24 * 3600.0
#: the offset the lyrics view allows, either way
MAX_OFFSET_MS = 60_000


class Database(Protocol):
    def execute(self, sql: str, params: Any = ()) -> Any: ...
    def transaction(self) -> Any: ...


@dataclass(frozen=True)
class Cached:
    found: Found
    fetched_at: float


def query_key(server: str, query: TrackQuery) -> str:
    """The cache key of asking *server* about *query* (case and spacing folded)."""
    seconds = "" if not query.duration_s else str(round(query.duration_s))
    parts = (server.rstrip("/"), query.artist, query.title, query.album, seconds)
    return "\x1f".join(" ".join(p.split()).casefold() for p in parts)


def cached(db: Database, key: str, *, now: float | None = None) -> Cached | None:
    """The stored answer for *key*, unless it is a "none" older than :data:`NONE_TTL_S`."""
    row = db.execute(
        "SELECT kind, text, source, fetched_at FROM lyrics_cache WHERE query_key = ?", (key,)
    ).fetchone()
    if row is None:
        return None
    kind, text, source, fetched_at = row
    now = time.time() if now is None else now
    if kind == NONE and now - float(fetched_at) >= NONE_TTL_S:
        return None
    return Cached(Found(str(kind), str(text), str(source)), float(fetched_at))


def store(db: Database, key: str, found: Found, *, now: float | None = None) -> None:
    """Keep *found* as the answer for *key* (replacing an older one)."""
    now = time.time() if now is None else now
    with db.transaction():
        db.execute(
            "INSERT OR REPLACE INTO lyrics_cache (query_key, kind, text, source, fetched_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (key, found.kind, found.text, found.source, now),
        )


def cache_size(db: Database) -> int:
    return int(db.execute("SELECT COUNT(*) FROM lyrics_cache").fetchone()[0])


def offset_of(db: Database, track_id: int | None) -> int:
    """The listener's lyrics offset of a track in ms (0 when none was set)."""
    if track_id is None:
        return 0
    row = db.execute(
        "SELECT offset_ms FROM lyrics_offsets WHERE track_id = ?", (track_id,)
    ).fetchone()
    return 0 if row is None else int(row[0])


def set_offset(db: Database, track_id: int, offset_ms: int) -> int:
    """Save a track's lyrics offset (clamped; 0 removes it); returns what was saved."""
    offset_ms = max(-MAX_OFFSET_MS, min(MAX_OFFSET_MS, int(offset_ms)))
    with db.transaction():
        if offset_ms == 0:
            db.execute("DELETE FROM lyrics_offsets WHERE track_id = ?", (track_id,))
        else:
            db.execute(
                "INSERT OR REPLACE INTO lyrics_offsets (track_id, offset_ms) VALUES (?, ?)",
                (track_id, offset_ms),
            )
    return offset_ms
