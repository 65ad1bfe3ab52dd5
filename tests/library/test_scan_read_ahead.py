"""Tags read while the walk goes on: the library comes out as if read after the plan."""

from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path

import pytest

from player.library import scanner as scanner_mod
from player.library.scanner import Scanner, ScanSummary
from player.library.store import LibraryDB
from tests.audiogen import make_audio, requires_ffmpeg, tag
from tests.library.test_scanner import add_track, base_files, library_state, make_library

pytestmark = requires_ffmpeg
__all__ = ["base_files"]  # the session fixture, shared with the scanner's tests


def counts(summary: ScanSummary) -> tuple:
    return (
        summary.added,
        summary.updated,
        summary.removed,
        summary.moved,
        summary.unchanged,
        sorted(summary.errors),
        summary.cancelled,
    )


def errors(db: LibraryDB) -> list[tuple[str, str]]:
    return sorted((e["path"], e["reason"]) for e in db.scan_errors())


def sheet(target: str, *titles: str) -> str:
    text = f'PERFORMER "Band"\nTITLE "Split"\nFILE "{target}" WAVE\n'
    for n, title in enumerate(titles, 1):
        text += f'  TRACK {n:02d} AUDIO\n    TITLE "{title}"\n    INDEX 01 00:0{n - 1}:00\n'
    return text


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file found goes to a worker at once (a test library is small)."""
    monkeypatch.setattr(scanner_mod, "CHUNK", 1)


def build_cue_library(base: dict[str, Path], root: Path) -> list[Path]:
    """Album files that sheets split, each sent to a worker as a plain file before
    the plan: one in a root walked before the folder of its sheet, one in a
    subfolder of the sheet's folder (which has no sheet of its own). Returns the
    roots to scan, in that order."""
    make_library(base, root / "lib", 24)
    (root / "disc").mkdir()
    (root / "box" / "cd").mkdir(parents=True)
    make_audio(root / "disc" / "one.flac", "flac", seconds=3.0)
    (root / "album.cue").write_text(sheet("disc/one.flac", "First", "Second"), encoding="utf-8")
    make_audio(root / "box" / "cd" / "two.flac", "flac", seconds=3.0)
    (root / "box" / "two.cue").write_text(sheet("cd/two.flac", "Third", "Fourth"), "utf-8")
    (root / "lib" / "broken.mp3").write_bytes(b"not audio" * 50)
    return [root / "disc", root]


def test_a_sheet_claims_files_already_read_as_plain_ones(
    base_files: dict[str, Path], tmp_path: Path, small_chunks: None
) -> None:
    root = tmp_path / "music"
    roots = build_cue_library(base_files, root)
    with LibraryDB(tmp_path / "ahead.db") as ahead, LibraryDB(tmp_path / "after.db") as after:
        scanner = Scanner(ahead, workers=2, pool_from=4)
        first = scanner.scan(roots)
        plain = Scanner(after, workers=2, pool_from=4, read_ahead=False)
        reference = plain.scan(roots)
        assert plain.ahead_reads == (0, 0)
        assert counts(first) == counts(reference)
        assert first.added == 26 and [p for p, _ in first.errors] == [
            str(root / "lib" / "broken.mp3")
        ]
        assert library_state(ahead) == library_state(after)
        assert errors(ahead) == errors(after)
        albums = {str(root / "disc" / "one.flac"), str(root / "box" / "cd" / "two.flac")}
        split = {
            (r["path"], r["subtrack"], r["title"]) for r in ahead.tracks() if r["path"] in albums
        }
        assert split == {
            (str(root / "disc" / "one.flac"), 1, "First"),
            (str(root / "disc" / "one.flac"), 2, "Second"),
            (str(root / "box" / "cd" / "two.flac"), 1, "Third"),
            (str(root / "box" / "cd" / "two.flac"), 2, "Fourth"),
        }
        assert ahead.integrity_check() == "ok"
        assert scanner.ahead_reads == (27, 2)  # both album files read whole, then dropped


def test_rescans_with_moves_changes_and_errors_match_reading_after_the_plan(
    base_files: dict[str, Path], tmp_path: Path, small_chunks: None
) -> None:
    root = tmp_path / "music"
    paths = make_library(base_files, root, 40)
    (root / "bad.flac").write_bytes(b"garbage" * 100)
    dbs = LibraryDB(tmp_path / "ahead.db"), LibraryDB(tmp_path / "after.db")
    scanners = [
        Scanner(dbs[0], workers=2, pool_from=4),
        Scanner(dbs[1], workers=2, pool_from=4, read_ahead=False),
    ]
    try:

        def both() -> tuple[tuple, tuple]:
            a, b = (s.scan([root]) for s in scanners)
            assert library_state(dbs[0]) == library_state(dbs[1])
            assert errors(dbs[0]) == errors(dbs[1])
            return counts(a), counts(b)

        first = both()
        assert first[0] == first[1] and first[0][0] == 40
        for db in dbs:
            track_id = db.track_id(str(paths[3]))
            assert track_id is not None
            db.set_rating(track_id, rating=5, liked=True)
        # a move, an edit, a new file, a deletion, a fixed file, a new broken one
        moved = root / "elsewhere" / "moved.mp3"
        moved.parent.mkdir()
        os.rename(paths[3], moved)
        tag(paths[5], title="Edited")
        add_track(base_files, root / "new", "fresh", "flac", title="Fresh")
        paths[7].unlink()
        shutil.copyfile(base_files["flac"], root / "bad.flac")
        (root / "new" / "worse.ogg").write_bytes(b"OggS nope" * 20)
        a, b = both()
        assert a == b
        assert a[:5] == (2, 1, 1, 1, 37)  # added (fresh, the fixed one), updated, removed, moved
        assert scanners[0].ahead_reads[0] >= 3  # the new and changed files went ahead
        for db in dbs:
            assert db.conn.execute(
                "SELECT t.path FROM ratings r JOIN tracks t ON t.id = r.track_id"
            ).fetchall() == [(str(moved),)]
        # unchanged now: nothing is read ahead, the known unreadable file is not retried
        again = both()
        assert again[0] == again[1] and again[0][4] == 41
        assert scanners[0].ahead_reads == (0, 0)
    finally:
        for db in dbs:
            db.close()


def test_cancel_during_the_walk_writes_nothing_and_stops_the_workers(
    base_files: dict[str, Path], tmp_path: Path, small_chunks: None
) -> None:
    root = tmp_path / "music"
    for n in range(30):
        make_library(base_files, root / f"folder{n:02d}", 3)
    stop = threading.Event()
    calls = 0

    def cancel() -> bool:
        nonlocal calls
        calls += 1
        if calls == 40:  # the walk asks once a folder: part-way through it
            stop.set()
        return stop.is_set()

    with LibraryDB(tmp_path / "lib.db") as db:
        scanner = Scanner(db, workers=2, pool_from=4)
        progress: list[tuple[int, int]] = []
        threads = threading.active_count()
        started = time.perf_counter()
        summary = scanner.scan([root], cancel=cancel, progress=lambda d, t: progress.append((d, t)))
        assert time.perf_counter() - started < 10
        assert summary.cancelled
        assert scanner.ahead_reads[0] > 0  # workers had files when the cancel came
        assert db.track_count() == 0 and progress == []
        assert threading.active_count() == threads  # the pool's threads are gone
        resumed = Scanner(db, workers=2, pool_from=4).scan(
            [root], progress=lambda d, t: progress.append((d, t))
        )
        assert not resumed.cancelled and resumed.added == db.track_count() == 90
        assert progress[0] == (0, 90) and progress[-1] == (90, 90)
        assert all(done <= total for done, total in progress)


def test_a_small_scan_stays_in_this_process(
    base_files: dict[str, Path], tmp_path: Path, small_chunks: None
) -> None:
    root = tmp_path / "music"
    make_library(base_files, root, 6)
    with LibraryDB(tmp_path / "lib.db") as db:
        scanner = Scanner(db, workers=2)  # pool_from: POOL_THRESHOLD
        assert scanner.scan([root]).added == 6
        assert scanner.ahead_reads == (0, 0)


def test_with_workers_a_first_scan_builds_the_indexes_before_its_last_rows(
    base_files: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    small_chunks: None,
) -> None:
    from tests.library.test_bulk_load import track_indexes

    monkeypatch.setattr(scanner_mod, "BATCH", 4)
    root = tmp_path / "music"
    make_library(base_files, root, 40)
    with LibraryDB(tmp_path / "fresh.db") as fresh:
        expected = track_indexes(fresh)
    with LibraryDB(tmp_path / "lib.db") as db:
        seen: list[tuple[int, bool]] = []
        Scanner(db, workers=2, pool_from=4, bulk_from=1).scan(
            [root], progress=lambda done, total: seen.append((done, bool(track_indexes(db))))
        )
        assert seen[-1][0] == 40
        assert any(not built for done, built in seen if done)  # dropped for the first rows
        assert all(built for done, built in seen if done >= 30)  # back for the last quarter
        assert track_indexes(db) == expected
        assert db.integrity_check() == "ok"
