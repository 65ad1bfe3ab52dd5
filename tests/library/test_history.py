"""Plays, ratings and likes read back for recommendations and the like button."""

from __future__ import annotations

from pathlib import Path

import pytest

from player.library import history
from player.library.store import LibraryDB
from player.library.track import TrackInfo


@pytest.fixture
def db(tmp_path: Path):
    with LibraryDB(tmp_path / "lib.db") as library:
        library.ids = library.upsert_tracks([TrackInfo(path=f"/m/{n}.flac") for n in "abcd"])
        yield library


def test_play_totals_and_last_played(db: LibraryDB) -> None:
    a, b, c, _d = db.ids
    assert history.last_played(db) is None
    db.record_play(a, listened_ms=200_000, finished=True, played_at=100.0)
    db.record_play(a, listened_ms=5_000, finished=False, skipped=True, played_at=200.0)
    db.record_play(b, listened_ms=50_000, finished=False, skipped=True, played_at=300.0)
    db.record_play(c, listened_ms=90_000, finished=False, played_at=150.0)
    totals = {row[0]: row[1:] for row in history.play_totals(db, 30_000)}
    assert totals == {a: (1, 1, 1, 200.0), b: (0, 0, 0, 300.0), c: (0, 0, 1, 150.0)}
    assert history.last_played(db) == b


def test_ratings_and_likes(db: LibraryDB) -> None:
    a, b, c, d = db.ids
    db.set_rating(a, liked=True)
    db.set_rating(b, rating=4)
    db.set_rating(c, liked=True)
    db.execute("UPDATE ratings SET updated_at = 1 WHERE track_id = ?", (a,))
    assert sorted(history.ratings(db)) == [(a, None, 1), (b, 4, 0), (c, None, 1)]
    assert history.is_liked(db, a) and not history.is_liked(db, b) and not history.is_liked(db, d)
    assert sorted(history.liked_among(db, [a, b, d])) == [a]
    assert history.liked_among(db, []) == []
    assert history.recently_liked(db, 5) == [c, a]
    assert history.recently_liked(db, 1) == [c]


def test_most_finished(db: LibraryDB) -> None:
    a, b, c, _d = db.ids
    for track, at in ((a, 1.0), (b, 2.0), (b, 3.0), (c, 4.0), (c, 5.0)):
        db.record_play(track, listened_ms=1000, finished=True, played_at=at)
    db.record_play(a, listened_ms=1000, finished=False, played_at=6.0)
    assert history.most_finished(db, 5) == [c, b, a]
    assert history.most_finished(db, 1) == [c]
