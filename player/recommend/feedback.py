"""What the listener said about recommendations, apart from the play history.

"Not this one" keeps a track out of every recommendation list (one row per
track); "skip" on a recommended track (one row per press) only pushes the
next picks away from it. Neither is a play: the track's play and skip counts
and its "last played" stay as the listener's real listening left them. The
taste profile reads both as early skips, and restoring a dismissed track takes
its push back. Rows go when their track leaves the library. Stored in the
library (not in memory) so feedback survives a restart and the CLI's lists
honour it as much as the window's. The tables (``recommend_dismissed``,
``recommend_skips``) are created by :mod:`player.library.store.schema`.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from player.library.store import LibraryDB


@dataclass(frozen=True)
class DismissedTrack:
    """A dismissed track as a list shows it (``title`` falls back to the file name)."""

    track_id: int
    title: str
    artist: str
    album: str
    dismissed_at: float


def skip(db: LibraryDB, track_id: int, *, now: float | None = None) -> None:
    """A skip pressed on a recommended track: a push away, not a play."""
    at = time.time() if now is None else now
    with db.transaction():
        db.execute(
            "INSERT INTO recommend_skips (track_id, skipped_at) SELECT id, ? FROM tracks WHERE id = ?",
            (at, int(track_id)),
        )


def pushes(db: LibraryDB) -> dict[int, int]:
    """Per track: how many times recommendations were skipped or dismissed."""
    rows = db.execute(
        "SELECT track_id, COUNT(*) FROM (SELECT track_id FROM recommend_skips "
        "UNION ALL SELECT track_id FROM recommend_dismissed) GROUP BY track_id"
    )
    return dict(rows.fetchall())


def dismiss(db: LibraryDB, track_ids: Iterable[int], *, now: float | None = None) -> None:
    """Keep ``track_ids`` out of recommendations from now on (unknown ids are ignored)."""
    at = time.time() if now is None else now
    with db.transaction():
        db.executemany(
            "INSERT OR REPLACE INTO recommend_dismissed (track_id, dismissed_at) "
            "SELECT id, ? FROM tracks WHERE id = ?",
            [(at, int(t)) for t in track_ids],
        )


def restore(db: LibraryDB, track_ids: Iterable[int]) -> None:
    """Let ``track_ids`` be recommended again."""
    with db.transaction():
        db.executemany(
            "DELETE FROM recommend_dismissed WHERE track_id = ?", [(int(t),) for t in track_ids]
        )


def dismissed(db: LibraryDB) -> set[int]:
    """Every dismissed track id."""
    return {row[0] for row in db.execute("SELECT track_id FROM recommend_dismissed")}


def dismissed_tracks(db: LibraryDB) -> list[DismissedTrack]:
    """Every dismissed track with its title and artist, the most recently dismissed first."""
    rows = db.execute(
        "SELECT d.track_id, t.title, t.filename, t.artist, t.album, d.dismissed_at "
        "FROM recommend_dismissed d JOIN tracks t ON t.id = d.track_id "
        "ORDER BY d.dismissed_at DESC, d.track_id DESC"
    )
    return [
        DismissedTrack(int(tid), title or filename or "", artist or "", album or "", float(at))
        for tid, title, filename, artist, album, at in rows
    ]
