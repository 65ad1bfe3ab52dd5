from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from player.errors import LibraryError
from player.library.store import MIGRATIONS, SCHEMA_VERSION, LibraryDB, fold, has_cjk
from player.library.track import TrackInfo


def make(path: str, **kw: object) -> TrackInfo:
    return TrackInfo(path=path, **kw)  # type: ignore[arg-type]


def test_new_database_is_wal_and_current(tmp_path: Path) -> None:
    with LibraryDB(tmp_path / "lib.db") as db:
        assert db.version() == SCHEMA_VERSION == len(MIGRATIONS)
        assert db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = set(db.table_names())
        assert {
            "tracks",
            "plays",
            "ratings",
            "playlists",
            "playlist_items",
            "scan_errors",
        } <= tables
        assert db.integrity_check() == "ok"


def test_migrations_run_on_open_and_only_once(tmp_path: Path) -> None:
    path = tmp_path / "lib.db"
    LibraryDB(path).close()
    with LibraryDB(path) as db:  # opening again must not re-run v1 (tables exist)
        assert db.version() == SCHEMA_VERSION


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "lib.db"
    LibraryDB(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    with pytest.raises(LibraryError, match="newer"):
        LibraryDB(path)


def test_not_a_database_is_a_readable_error(tmp_path: Path) -> None:
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(LibraryError) as info:
        LibraryDB(path)
    assert "cannot be opened" in info.value.short


def test_upsert_updates_in_place_and_indexes(tmp_path: Path) -> None:
    with LibraryDB(tmp_path / "lib.db") as db:
        [tid] = db.upsert_tracks([make("/m/a.flac", title="Creep", artists=["Radiohead"])])
        [again] = db.upsert_tracks([make("/m/a.flac", title="Creep (Live)", artists=["Radiohead"])])
        assert tid == again
        assert db.track_count() == 1
        hits = db.conn.execute(
            "SELECT rowid FROM tracks_fts WHERE tracks_fts MATCH 'live'"
        ).fetchall()
        assert hits == [(tid,)]
        stale = db.conn.execute(
            "SELECT rowid FROM tracks_fts WHERE tracks_fts MATCH 'creep' AND title = 'Creep'"
        ).fetchall()
        assert stale == []


def test_cjk_rows_go_to_the_trigram_index_only(tmp_path: Path) -> None:
    with LibraryDB(tmp_path / "lib.db") as db:
        a, _b = db.upsert_tracks(
            [
                make("/m/1.mp3", title="夜空中最亮的星", artists=["逃跑计划"]),
                make("/m/2.mp3", title="Plain", artists=["Latin"]),
            ]
        )
        rows = db.conn.execute("SELECT rowid FROM tracks_cjk").fetchall()
        assert rows == [(a,)]
    assert has_cjk("ひらがな") and has_cjk("한국어") and not has_cjk("Björk")
    assert fold("Beyoncé ＡＢＣ") == "beyonce abc"


def test_non_utf8_path_round_trips(tmp_path: Path) -> None:
    import os

    weird = os.fsdecode(b"/m/caf\xe9-\xff.mp3")
    with LibraryDB(tmp_path / "lib.db") as db:
        [tid] = db.upsert_tracks([make(weird, title=os.path.basename(weird))])
        track = db.get_track(tid)
        assert track is not None and track.path == weird
        assert db.track_id(weird) == tid
        assert weird in db.file_index()
        assert "\ufffd" in track.title


def test_plays_and_ratings_follow_a_moved_track(tmp_path: Path) -> None:
    with LibraryDB(tmp_path / "lib.db") as db:
        [tid] = db.upsert_tracks([make("/m/old.mp3", title="T")])
        db.record_play(tid, listened_ms=1000, finished=True)
        db.set_rating(tid, rating=5, liked=True)
        db.move_track(tid, make("/m/new/old.mp3", title="T"))
        assert db.track_id("/m/new/old.mp3") == tid
        assert db.conn.execute("SELECT play_count FROM tracks WHERE id=?", (tid,)).fetchone() == (
            1,
        )
        assert db.conn.execute("SELECT rating, liked FROM ratings").fetchone() == (5, 1)
        db.delete_tracks([tid])
        assert db.conn.execute("SELECT COUNT(*) FROM plays").fetchone() == (0,)


def test_transaction_rolls_back_on_error(tmp_path: Path) -> None:
    with LibraryDB(tmp_path / "lib.db") as db:
        with pytest.raises(RuntimeError), db.transaction():
            db.upsert_tracks([make("/m/x.mp3")])
            raise RuntimeError("boom")
        assert db.track_count() == 0


@pytest.mark.parametrize("drop", [False, True])
def test_remove_root_keeps_or_drops_its_tracks(tmp_path: Path, drop: bool) -> None:
    with LibraryDB(tmp_path / "lib.db") as db:
        db.add_roots(["/m/rock", "/m/rockabilly"])
        db.upsert_tracks(
            [make("/m/rock/a.flac"), make("/m/rock/sub/b.flac"), make("/m/rockabilly/c.flac")]
        )
        removed = db.remove_root("/m/rock", drop_tracks=drop)
        assert db.roots() == ["/m/rockabilly"]
        assert removed == (2 if drop else 0)
        left = {row[0] for row in db.conn.execute("SELECT path FROM tracks")}
        expected = {"/m/rockabilly/c.flac"} | (set() if drop else {"/m/rock/a.flac", "/m/rock/sub/b.flac"})
        assert left == expected
