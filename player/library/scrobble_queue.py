"""The scrobble queue: every finished listen waits here until its service has it.

A listen is written to the library database (one row per service) the moment
the scrobbling rules call it done, before anything is sent, so a crash, a
closed laptop or a week offline loses nothing. Rows leave the queue only when
the service answered: ``sent`` (accepted) or ``dropped`` (the service refused
that very listen, with its reason kept). Rows go out oldest first.

Retries are safe: a row's ``listened_at`` (the moment the track started, the
timestamp both services use) is fixed when it is written, so a listen sent
again after a lost answer is the same listen, which the services keep once
(ListenBrainz and Last.fm both treat a repeated user + track + timestamp as
one listen).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from player.library.store import LibraryDB

STATES = ("pending", "sent", "dropped")


@dataclass(frozen=True)
class Listen:
    """What a service is told about one listen."""

    artist: str
    title: str
    listened_at: int  # Unix seconds: when the track started playing
    album: str = ""
    album_artist: str = ""
    duration_ms: int = 0
    track_number: int = 0


@dataclass(frozen=True)
class QueuedListen:
    """A row of the queue."""

    id: int
    service: str
    listen: Listen
    state: str
    attempts: int
    next_attempt_at: float
    last_error: str


class ScrobbleQueue:
    """The durable queue of scrobbles in one library."""

    def __init__(self, library: LibraryDB, *, clock: Callable[[], float] = time.time) -> None:
        self.library = library
        self.clock = clock

    def add(self, services: Iterable[str], listen: Listen) -> list[int]:
        """Queue *listen* for each service, in one transaction; return the row ids."""
        ids = []
        with self.library.transaction():
            for service in services:
                cursor = self.library.execute(
                    "INSERT INTO scrobbles (service, artist, title, album, album_artist, "
                    "duration_ms, track_number, listened_at, created_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        service,
                        listen.artist,
                        listen.title,
                        listen.album,
                        listen.album_artist,
                        int(listen.duration_ms),
                        int(listen.track_number),
                        int(listen.listened_at),
                        self.clock(),
                    ),
                )
                ids.append(int(cursor.lastrowid or 0))
        return ids

    def pending(self, service: str, limit: int = 1000) -> list[QueuedListen]:
        """The service's pending rows, oldest first."""
        rows = self.library.execute(
            "SELECT * FROM scrobbles WHERE service = ? AND state = 'pending' ORDER BY id LIMIT ?",
            (service, int(limit)),
        ).fetchall()
        return [_row(r) for r in rows]

    def rows(self, service: str, state: str | None = None) -> list[QueuedListen]:
        sql = "SELECT * FROM scrobbles WHERE service = ?"
        args: list[Any] = [service]
        if state is not None:
            sql += " AND state = ?"
            args.append(state)
        return [_row(r) for r in self.library.execute(sql + " ORDER BY id", args).fetchall()]

    def counts(self, service: str) -> dict[str, int]:
        """How many rows of the service are in each state."""
        found = dict(
            self.library.execute(
                "SELECT state, COUNT(*) FROM scrobbles WHERE service = ? GROUP BY state",
                (service,),
            ).fetchall()
        )
        return {state: int(found.get(state, 0)) for state in STATES}

    def due_at(self, service: str) -> float:
        """When the oldest pending row may be tried again (0: now)."""
        row = self.library.execute(
            "SELECT next_attempt_at FROM scrobbles WHERE service = ? AND state = 'pending' "
            "ORDER BY id LIMIT 1",
            (service,),
        ).fetchone()
        return float(row[0]) if row else 0.0

    def mark_sent(self, ids: Sequence[int]) -> None:
        self._finish(ids, "sent", "")

    def drop(self, row_id: int, reason: str) -> None:
        """The service refused this listen for good: keep it out of the queue, with why."""
        self._finish([row_id], "dropped", reason)

    def retry_later(self, ids: Sequence[int], at: float, error: str) -> None:
        with self.library.transaction():
            self.library.executemany(
                "UPDATE scrobbles SET attempts = attempts + 1, next_attempt_at = ?, "
                "last_error = ? WHERE id = ?",
                [(at, error, i) for i in ids],
            )

    def clear_wait(self, service: str) -> None:
        """Signed in again: pending rows may go at once."""
        with self.library.transaction():
            self.library.execute(
                "UPDATE scrobbles SET next_attempt_at = 0 WHERE service = ? AND state = 'pending'",
                (service,),
            )

    def _finish(self, ids: Sequence[int], state: str, error: str) -> None:
        now = self.clock()
        with self.library.transaction():
            self.library.executemany(
                "UPDATE scrobbles SET state = ?, last_error = ?, attempts = attempts + 1, "
                "done_at = ? WHERE id = ?",
                [(state, error, now, i) for i in ids],
            )


def _row(row: Any) -> QueuedListen:
    keys = ("id", "service", "artist", "title", "album", "album_artist", "duration_ms",
            "track_number", "listened_at", "state", "attempts", "next_attempt_at",
            "last_error", "created_at", "done_at")  # fmt: skip
    data = dict(zip(keys, row, strict=True))
    listen = Listen(
        artist=str(data["artist"]),
        title=str(data["title"]),
        listened_at=int(data["listened_at"]),
        album=str(data["album"]),
        album_artist=str(data["album_artist"]),
        duration_ms=int(data["duration_ms"]),
        track_number=int(data["track_number"]),
    )
    return QueuedListen(
        id=int(data["id"]),
        service=str(data["service"]),
        listen=listen,
        state=str(data["state"]),
        attempts=int(data["attempts"]),
        next_attempt_at=float(data["next_attempt_at"]),
        last_error=str(data["last_error"]),
    )
