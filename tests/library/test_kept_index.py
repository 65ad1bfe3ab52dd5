"""The store's file and error indexes kept between scans until the library changes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from player.library.scanner import Scanner
from player.library.store import LibraryDB
from player.library.tagbatch import read_tracks, write_batch
from player.library.track import TrackInfo
from player.library.walk import Listings
from tests.audiogen import make_audio, requires_ffmpeg, tag


def track(path: str, size: int = 10, mtime: int = 5) -> TrackInfo:
    return TrackInfo(path=path, title="t", size=size, mtime_ns=mtime, artist_sort="a")


def track_reads(db: LibraryDB) -> list[str]:
    """Start recording the statements that read the tracks or scan_errors tables."""
    seen: list[str] = []

    def trace(sql: str) -> None:
        if sql.lstrip().upper().startswith("SELECT") and (
            " FROM tracks" in sql or "scan_errors" in sql
        ):
            seen.append(sql)

    db.conn.set_trace_callback(trace)
    return seen


@pytest.fixture
def db(tmp_path: Path) -> Iterator[LibraryDB]:
    with LibraryDB(tmp_path / "lib.db") as database:
        yield database


def test_index_is_read_once_while_nothing_changes(db: LibraryDB) -> None:
    with db.transaction():
        db.upsert_tracks([track("/m/a.flac"), track("/m/b.flac")])
        db.record_errors([("/m/bad.mp3", "Broken", 3, 4)])
    first = db.file_index()
    assert first == {"/m/a.flac": (10, 5, ""), "/m/b.flac": (10, 5, "")}
    reads = track_reads(db)
    first["/m/c.flac"] = (1, 1, "")  # each caller gets its own copy
    assert db.file_index() == {"/m/a.flac": (10, 5, ""), "/m/b.flac": (10, 5, "")}
    assert db.error_index() == {"/m/bad.mp3": (3, 4, "Broken")}
    assert reads == []


def test_own_writes_move_the_index(db: LibraryDB) -> None:
    with db.transaction():
        (a,) = db.upsert_tracks([track("/m/a.flac")])
    assert db.file_index() == {"/m/a.flac": (10, 5, "")}
    with db.transaction():
        db.upsert_tracks([track("/m/a.flac", size=20, mtime=7)])  # a tag edit
    assert db.file_index() == {"/m/a.flac": (20, 7, "")}
    with db.transaction():
        db.delete_tracks([a])
        db.record_errors([("/m/a.flac", "Broken", 20, 7)])
    assert db.file_index() == {}
    assert db.error_index() == {"/m/a.flac": (20, 7, "Broken")}
    with db.transaction():
        db.clear_errors(["/m/a.flac"])
    assert db.error_index() == {}


def test_rolled_back_writes_are_not_kept(db: LibraryDB) -> None:
    with db.transaction():
        db.upsert_tracks([track("/m/a.flac")])
    assert db.file_index() == {"/m/a.flac": (10, 5, "")}
    with pytest.raises(RuntimeError), db.transaction():
        db.upsert_tracks([track("/m/b.flac")])
        assert set(db.file_index()) == {"/m/a.flac", "/m/b.flac"}  # read inside: not kept
        raise RuntimeError("undo")
    assert db.file_index() == {"/m/a.flac": (10, 5, "")}


def test_another_connections_commit_moves_the_index(db: LibraryDB, tmp_path: Path) -> None:
    with db.transaction():
        db.upsert_tracks([track("/m/a.flac")])
    assert db.file_index() == {"/m/a.flac": (10, 5, "")}
    with LibraryDB(tmp_path / "lib.db") as other, other.transaction():
        other.upsert_tracks([track("/m/a.flac", size=30, mtime=9), track("/m/b.flac")])
        other.record_errors([("/m/c.mp3", "Broken", 1, 2)])
    assert db.file_index() == {"/m/a.flac": (30, 9, ""), "/m/b.flac": (10, 5, "")}
    assert db.error_index() == {"/m/c.mp3": (1, 2, "Broken")}


# ---- the scanner on real files ---------------------------------------------------
@pytest.fixture
def music(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "music"
    folder.mkdir()
    files = []
    for name in ("a", "b", "c"):
        path = make_audio(folder / f"{name}.flac", "flac", seconds=0.3)
        tag(path, title=name.upper(), artists=["Ann"], album="Old")
        files.append(path)
    return files


@requires_ffmpeg
def test_rescan_reads_no_index_rows_when_nothing_changed(db: LibraryDB, music: list[Path]) -> None:
    folder = music[0].parent
    listings = Listings()
    assert Scanner(db, workers=1, listings=listings).scan([folder]).added == 3
    reads = track_reads(db)
    summary = Scanner(db, workers=1, listings=listings).scan([folder])
    assert (summary.unchanged, summary.added, summary.updated) == (3, 0, 0)
    assert reads == []


@requires_ffmpeg
@pytest.mark.parametrize("writer", ["another connection", "this connection"])
def test_rescan_sees_a_deleted_row(
    db: LibraryDB, music: list[Path], tmp_path: Path, writer: str
) -> None:
    folder = music[0].parent
    listings = Listings()
    Scanner(db, workers=1, listings=listings).scan([folder])
    with ExitStack() as stack:
        if writer == "another connection":
            deleting = stack.enter_context(LibraryDB(tmp_path / "lib.db"))
        else:
            deleting = db
        stack.enter_context(deleting.transaction())
        track_id = deleting.track_id(str(music[1]))
        assert track_id is not None
        deleting.delete_tracks([track_id])
    summary = Scanner(db, workers=1, listings=listings).scan([folder])
    assert (summary.added, summary.unchanged) == (1, 2)
    assert db.track_id(str(music[1])) is not None


@requires_ffmpeg
def test_rescan_after_a_tag_edit_finds_the_file_unchanged(
    db: LibraryDB, music: list[Path], tmp_path: Path
) -> None:
    folder = music[0].parent
    listings = Listings()
    Scanner(db, workers=1, listings=listings).scan([folder])
    ids = [db.track_id(str(p)) for p in music[:1]]
    assert None not in ids
    # the tag editor writes the file and its row through a connection of its own
    result = write_batch(
        tmp_path / "lib.db", read_tracks(tmp_path / "lib.db", ids), {"album": "New"}
    )  # type: ignore[arg-type]
    assert result.written == ids
    summary = Scanner(db, workers=1, listings=listings).scan([folder])
    # a kept index from before the edit would hold the old mtime and read the file again
    assert (summary.updated, summary.unchanged) == (0, 3)
    assert db.get_track(ids[0]).album == "New"  # type: ignore[arg-type, union-attr]


@requires_ffmpeg
def test_a_scan_that_wrote_leaves_its_index_kept(db: LibraryDB, music: list[Path]) -> None:
    folder = music[0].parent
    listings = Listings()
    Scanner(db, workers=1, listings=listings).scan([folder])
    reads = track_reads(db)
    assert set(db.file_index()) == {str(p) for p in music}
    assert reads == []
