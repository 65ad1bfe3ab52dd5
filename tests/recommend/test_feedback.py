"""Dismissals and skips pressed on recommendations, stored beside (not in) the play history."""

from __future__ import annotations

from pathlib import Path

import pytest

from player.library.store import LibraryDB
from player.library.track import TrackInfo
from player.recommend import feedback


@pytest.fixture
def db(tmp_path: Path):
    with LibraryDB(tmp_path / "lib.db") as library:
        library.ids = library.upsert_tracks(
            [
                TrackInfo(path="/m/a.flac", title="Alpha", artists=["Ann"], album="One"),
                TrackInfo(path="/m/untitled.flac"),
                TrackInfo(path="/m/c.flac", title="Gamma"),
            ]
        )
        yield library


def test_dismiss_and_restore(db: LibraryDB) -> None:
    a, b, c = db.ids
    feedback.dismiss(db, [a, 999], now=10.0)  # unknown ids are ignored
    feedback.dismiss(db, [b], now=20.0)
    assert feedback.dismissed(db) == {a, b}
    assert feedback.dismissed_tracks(db) == [
        feedback.DismissedTrack(b, "untitled.flac", "", "", 20.0),
        feedback.DismissedTrack(a, "Alpha", "Ann", "One", 10.0),
    ]
    feedback.restore(db, [a])
    assert feedback.dismissed(db) == {b}
    assert c not in feedback.pushes(db)


def test_skips_push_without_playing(db: LibraryDB) -> None:
    a, b, _c = db.ids
    feedback.skip(db, a, now=5.0)
    feedback.skip(db, a)
    feedback.skip(db, 999)  # gone from the library: nothing stored
    feedback.dismiss(db, [a, b])
    assert feedback.pushes(db) == {a: 3, b: 1}
    assert db.query("SELECT play_count, skip_count, last_played FROM tracks WHERE id = ?", (a,)) == [
        (0, 0, None)
    ]
    feedback.restore(db, [a])
    assert feedback.pushes(db) == {a: 2, b: 1}
    db.delete_tracks([a])
    assert feedback.pushes(db) == {b: 1}  # rows go with their track
