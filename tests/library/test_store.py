"""The store package: its helpers, one connection per thread, and one schema for every table."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from player.library.store import SCHEMA_VERSION, LibraryDB, reader
from player.library.track import TrackInfo


@pytest.fixture
def db(tmp_path: Path):
    with LibraryDB(tmp_path / "lib.db") as library:
        library.ids = library.upsert_tracks(
            [
                TrackInfo(path="/m/a.flac", title="One", track_number=3, lyrics="la la"),
                TrackInfo(path="/m/b.flac", title="Two"),
            ]
        )
        yield library


def test_helpers_run_sql_on_the_stores_connection(db: LibraryDB) -> None:
    first, second = db.ids
    assert db.query("SELECT id FROM tracks ORDER BY id") == [(first,), (second,)]
    assert db.query_one("SELECT title FROM tracks WHERE id = ?", (first,)) == ("One",)
    assert db.query_one("SELECT title FROM tracks WHERE id = ?", (999,)) is None
    assert db.scalar("SELECT COUNT(*) FROM tracks") == 2
    assert db.scalar("SELECT id FROM tracks WHERE id = ?", (999,)) is None
    assert [row[0] for row in db.execute("SELECT title FROM tracks ORDER BY id")] == ["One", "Two"]
    assert db.execute("UPDATE tracks SET title = ? WHERE id = ?", ("Uno", first)).rowcount == 1
    db.executemany("UPDATE tracks SET year = ? WHERE id = ?", [(2001, first), (2002, second)])
    assert db.query("SELECT title, year FROM tracks ORDER BY id") == [("Uno", 2001), ("Two", 2002)]
    # a generator of parameters works as a sequence would
    assert db.scalar("SELECT ? + ?", (n for n in (2, 3))) == 5


def test_transaction_commits_or_rolls_back(db: LibraryDB) -> None:
    assert not db.in_transaction
    with db.transaction():
        assert db.in_transaction
        db.execute("DELETE FROM tracks WHERE id = ?", (db.ids[0],))
    assert db.track_count() == 1
    with pytest.raises(RuntimeError), db.transaction():
        db.execute("DELETE FROM tracks")
        raise RuntimeError("undo")
    assert db.track_count() == 1
    assert not db.in_transaction


def test_track_reads(db: LibraryDB) -> None:
    first, second = db.ids
    assert db.has_tracks()
    assert db.track_ids() == {first, second}
    assert db.track_value(first, "lyrics") == "la la"
    assert db.track_value(first, "track_number") == 3
    assert db.track_value(999, "lyrics") is None
    with pytest.raises(ValueError):
        db.track_value(first, "id; DROP TABLE tracks")
    changed = db.tracks_changed_since(0.0, ("id", "title"))
    assert sorted(changed) == [(first, "One"), (second, "Two")]
    latest = db.scalar("SELECT MAX(updated_at) FROM tracks")
    assert db.tracks_changed_since(latest, ("id",)) == []
    db.delete_tracks([first, second])
    assert not db.has_tracks() and db.track_ids() == set()


def test_reader_keeps_one_read_only_connection_per_thread(db: LibraryDB) -> None:
    mine = reader(db.path)
    assert reader(db.path) is mine
    assert mine.track_count() == 2
    theirs: list[LibraryDB] = []
    worker = threading.Thread(target=lambda: theirs.append(reader(db.path)))
    worker.start()
    worker.join()
    assert theirs and theirs[0] is not mine
    assert theirs[0].track_count() == 2


def test_one_schema_creates_every_table(tmp_path: Path) -> None:
    with LibraryDB(tmp_path / "lib.db") as db:
        assert db.version() == SCHEMA_VERSION
        assert {
            "tracks", "ratings", "plays", "playlists", "playlist_items", "scan_errors",
            "library_roots", "radio_stations", "analysis", "outbox", "song_ids",
            "comment_cache", "recommend_dismissed", "recommend_skips",
        } <= set(db.table_names())  # fmt: skip
        indexes = {row[0] for row in db.query("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"plays_time", "plays_track", "recommend_skips_track", "outbox_pending"} <= indexes


def test_the_store_imports_none_of_its_users() -> None:
    code = (
        "import sys, player.library.store\n"
        "users = [m for m in sys.modules if m.startswith(('player.recommend', 'player.social',"
        " 'player.ui', 'PySide6')) or m in ('player.library.listening_stats',"
        " 'player.library.playlists', 'player.library.radio', 'player.library.search')]\n"
        "print(users)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
