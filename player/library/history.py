"""What the listener did with the library's tracks, read back: plays, ratings and likes.

The store writes them (:meth:`~player.library.store.LibraryDB.record_play`,
:meth:`~player.library.store.LibraryDB.set_rating`); these reads serve the
recommender's taste profile, the For You shelves and the like button.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from player.library.store import LibraryDB


def play_totals(db: LibraryDB, early_ms: int) -> list[tuple[int, int, int, int, float]]:
    """Per played track: (id, finished plays, skips before ``early_ms``, plays, last played)."""
    return db.query(
        "SELECT track_id, SUM(finished), SUM(skipped AND listened_ms < ?), "
        "SUM(NOT skipped), MAX(played_at) FROM plays GROUP BY track_id",
        (early_ms,),
    )


def finished_days(db: LibraryDB) -> dict[int, int]:
    """Per track: on how many different (local) days it was played to the end."""
    rows = db.query(
        "SELECT track_id, COUNT(DISTINCT date(played_at, 'unixepoch', 'localtime')) "
        "FROM plays WHERE finished GROUP BY track_id"
    )
    return {int(tid): int(days) for tid, days in rows}


def ratings(db: LibraryDB) -> list[tuple[int, int | None, int]]:
    """(track id, rating, liked) of every rated or liked track."""
    return db.query("SELECT track_id, rating, liked FROM ratings")


def is_liked(db: LibraryDB, track_id: int) -> bool:
    """True when the listener liked ``track_id``."""
    return bool(liked_among(db, [track_id]))


def liked_among(db: LibraryDB, track_ids: Sequence[int]) -> list[int]:
    """The liked tracks among ``track_ids``."""
    marks = ",".join("?" * len(track_ids))
    return [
        row[0]
        for row in db.query(
            f"SELECT track_id FROM ratings WHERE liked = 1 AND track_id IN ({marks})",
            track_ids,
        )
    ]


def recently_liked(db: LibraryDB, limit: int) -> list[int]:
    """The ``limit`` most recently liked (or re-rated liked) tracks, newest first."""
    return [
        row[0]
        for row in db.query(
            "SELECT track_id FROM ratings WHERE liked = 1 ORDER BY updated_at DESC LIMIT ?",
            (limit,),
        )
    ]


def most_finished(db: LibraryDB, limit: int) -> list[int]:
    """The ``limit`` tracks played to the end most often (the latest first among equals)."""
    return [
        row[0]
        for row in db.query(
            "SELECT track_id FROM plays WHERE finished = 1 GROUP BY track_id "
            "ORDER BY COUNT(*) DESC, MAX(played_at) DESC LIMIT ?",
            (limit,),
        )
    ]


def last_played(db: LibraryDB) -> int | None:
    """The track of the latest play (None before the first)."""
    return db.scalar("SELECT track_id FROM plays ORDER BY played_at DESC LIMIT 1")
