"""The scanner on real files: formats, incremental rescans, moves, hostile input."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from player.library import scanner as scanner_mod
from player.library import walk as walk_mod
from player.library import workpool
from player.library.scanner import Scanner
from player.library.store import LibraryDB
from player.library.walk import Listings
from tests.audiogen import make_audio, requires_ffmpeg, tag

pytestmark = requires_ffmpeg

BASE_FORMATS = ["mp3", "flac", "ogg", "opus", "m4a", "wav", "wv"]


@pytest.fixture(scope="session")
def base_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One short untagged file per format, made once per test session."""
    folder = tmp_path_factory.mktemp("base-audio")
    return {fmt: make_audio(folder / f"base.{fmt}", fmt, seconds=0.5) for fmt in BASE_FORMATS}


def add_track(
    base: dict[str, Path], folder: Path, name: str, fmt: str = "mp3", **tags: object
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.{fmt}"
    shutil.copyfile(base[fmt], path)
    if tags:
        tag(path, **tags)
    return path


def make_library(base: dict[str, Path], root: Path, count: int) -> list[Path]:
    paths = []
    for i in range(count):
        fmt = BASE_FORMATS[i % len(BASE_FORMATS)]
        paths.append(
            add_track(
                base,
                root / f"artist{i % 5}" / f"album{i % 3}",
                f"{i:03d} song",
                fmt,
                title=f"Song {i}",
                artists=[f"Artist {i % 5}"],
                album=f"Album {i % 3}",
                track_number=i + 1,
            )
        )
    return paths


def library_state(db: LibraryDB) -> set[tuple]:
    rows = db.conn.execute(
        "SELECT path, subtrack, title, artist, album, track_number, codec, size, mtime_ns "
        "FROM tracks"
    ).fetchall()
    return set(rows)


@pytest.fixture
def db(tmp_path: Path) -> LibraryDB:
    with LibraryDB(tmp_path / "lib.db") as database:
        yield database


def test_scan_reads_every_format_and_its_tags(
    base_files: dict[str, Path], tmp_path: Path, db: LibraryDB
) -> None:
    root = tmp_path / "music"
    for fmt in BASE_FORMATS:
        add_track(
            base_files, root / fmt, "t", fmt, title=f"Title {fmt}", artists=["Björk", "逃跑计划"]
        )
    progress: list[tuple[int, int]] = []
    summary = Scanner(db).scan([root], progress=lambda d, t: progress.append((d, t)))
    assert summary.added == len(BASE_FORMATS)
    assert summary.errors == []
    assert progress[0] == (0, len(BASE_FORMATS)) and progress[-1] == (len(BASE_FORMATS),) * 2
    rows = db.tracks()
    assert {r["title"] for r in rows} == {f"Title {f}" for f in BASE_FORMATS}
    assert all(r["artists"] == ["Björk", "逃跑计划"] for r in rows)
    assert {r["codec"] for r in rows} >= {"mp3", "flac", "vorbis", "opus", "aac", "pcm", "wavpack"}
    assert all(r["duration"] == pytest.approx(0.5, abs=0.1) for r in rows)


def test_rescan_of_unchanged_files_opens_nothing(
    base_files: dict[str, Path], tmp_path: Path, db: LibraryDB, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "music"
    make_library(base_files, root, 10)
    Scanner(db).scan([root])

    def explode(path: str) -> None:
        raise AssertionError(f"read {path} although it did not change")

    monkeypatch.setattr(scanner_mod, "read_tags", explode)
    summary = Scanner(db).scan([root])
    assert summary.unchanged == 10
    assert (summary.added, summary.updated, summary.removed) == (0, 0, 0)


def test_changed_added_and_deleted_files(
    base_files: dict[str, Path], tmp_path: Path, db: LibraryDB
) -> None:
    root = tmp_path / "music"
    paths = make_library(base_files, root, 6)
    Scanner(db).scan([root])
    tag(paths[0], title="Renamed title")
    paths[1].unlink()
    add_track(base_files, root / "new", "fresh", "flac", title="Fresh")
    summary = Scanner(db).scan([root])
    assert (summary.updated, summary.removed, summary.added, summary.unchanged) == (1, 1, 1, 4)
    titles = {r["title"] for r in db.tracks()}
    assert "Renamed title" in titles and "Fresh" in titles and "Song 1" not in titles
    hits = db.conn.execute(
        "SELECT rowid FROM tracks_fts WHERE tracks_fts MATCH 'renamed'"
    ).fetchall()
    assert len(hits) == 1


@pytest.mark.skipif(os.name == "nt", reason="no folder listings on Windows")
def test_a_rescan_in_the_same_process_sees_files_rewritten_in_place(
    base_files: dict[str, Path], tmp_path: Path, db: LibraryDB, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Folders unchanged since the last scan are not listed again; their files are
    still compared one by one (rewriting a file does not move its folder's mtime)."""
    monkeypatch.setattr(walk_mod, "SETTLE_NS", -(10**18))  # remember every listing
    root = tmp_path / "music"
    paths = make_library(base_files, root, 6)
    assert Scanner(db).listings is scanner_mod.LISTINGS  # shared by every scan of a process
    listings = Listings()
    Scanner(db, listings=listings).scan([root])
    tag(paths[2], title="Rewritten in place")

    def scandir(path: str) -> None:
        raise AssertionError(f"listed {path} although it did not change")

    monkeypatch.setattr(os, "scandir", scandir)
    summary = Scanner(db, listings=listings).scan([root])
    assert (summary.updated, summary.unchanged) == (1, 5)
    assert "Rewritten in place" in {r["title"] for r in db.tracks()}


def test_moved_file_keeps_plays_rating_and_playlist_entries(
    base_files: dict[str, Path], tmp_path: Path, db: LibraryDB
) -> None:
    root = tmp_path / "music"
    paths = make_library(base_files, root, 4)
    Scanner(db).scan([root])
    track_id = db.track_id(str(paths[2]))
    assert track_id is not None
    db.record_play(track_id, listened_ms=30_000, finished=True)
    db.set_rating(track_id, rating=4, liked=True)
    db.conn.execute(
        "INSERT INTO playlists (id, name, created_at, updated_at) VALUES (1, 'p', 0, 0)"
    )
    db.conn.execute(
        "INSERT INTO playlist_items (playlist_id, position, track_id, location) VALUES (1, 0, ?, ?)",
        (track_id, str(paths[2])),
    )
    target = root / "elsewhere" / "renamed.ogg"
    target.parent.mkdir()
    os.rename(paths[2], target)
    summary = Scanner(db).scan([root])
    assert (summary.moved, summary.removed, summary.added) == (1, 0, 0)
    assert db.track_id(str(target)) == track_id
    assert db.conn.execute(
        "SELECT play_count FROM tracks WHERE id = ?", (track_id,)
    ).fetchone() == (1,)
    assert db.conn.execute(
        "SELECT rating, liked FROM ratings WHERE track_id = ?", (track_id,)
    ).fetchone() == (4, 1)
    assert db.conn.execute("SELECT location FROM playlist_items").fetchone() == (str(target),)


def test_missing_root_keeps_its_tracks(
    base_files: dict[str, Path], tmp_path: Path, db: LibraryDB
) -> None:
    root = tmp_path / "usb-drive"
    make_library(base_files, root, 3)
    Scanner(db).scan([root])
    shutil.rmtree(root)  # an unplugged drive looks like this
    summary = Scanner(db).scan([root])
    assert summary.missing_roots == {str(root): "Folder not found"}
    assert summary.removed == 0 and db.track_count() == 3


def test_parallel_pool_gives_the_same_library_as_one_process(
    base_files: dict[str, Path], tmp_path: Path
) -> None:
    root = tmp_path / "music"
    make_library(base_files, root, scanner_mod.POOL_THRESHOLD + 20)
    (root / "bad.flac").write_bytes(b"garbage" * 100)
    with LibraryDB(tmp_path / "one.db") as one, LibraryDB(tmp_path / "two.db") as two:
        s1 = Scanner(one, workers=1).scan([root])
        s2 = Scanner(two, workers=2).scan([root])
        assert s1.added == s2.added == scanner_mod.POOL_THRESHOLD + 20
        assert len(s1.errors) == len(s2.errors) == 1
        assert library_state(one) == library_state(two)
        ids = [r[0] for r in two.conn.execute("SELECT rowid FROM tracks_fts")]
        assert sorted(ids) == sorted(r[0] for r in two.conn.execute("SELECT id FROM tracks"))


def test_cancel_stops_early_and_the_next_scan_completes(
    base_files: dict[str, Path], tmp_path: Path, db: LibraryDB
) -> None:
    root = tmp_path / "music"
    make_library(base_files, root, 100)
    stop = threading.Event()

    def progress(done: int, total: int) -> None:
        if done >= 32:
            stop.set()

    first = Scanner(db, workers=1).scan([root], progress=progress, cancel=stop)
    assert first.cancelled
    assert 0 < db.track_count() < 100
    assert db.integrity_check() == "ok"
    second = Scanner(db).scan([root])
    assert not second.cancelled
    assert db.track_count() == 100
    assert second.added == 100 - first.added


HOSTILE_NAMES = {
    "zero.mp3": b"",
    "random.flac": os.urandom(64 * 1024),
    "random.mp3": os.urandom(3000),
    "truncated.m4a": b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00M4A mp42isom\x00\x00",
    "textfile.ogg": b"OggS this is not really an ogg file" * 10,
}


def build_hostile_corpus(base: dict[str, Path], root: Path) -> tuple[set[str], set[str]]:
    """Good files and bad files side by side; returns (good paths, bad paths)."""
    good: set[str] = set()
    bad: set[str] = set()
    root.mkdir(parents=True)
    for name, data in HOSTILE_NAMES.items():
        (root / name).write_bytes(data)
        bad.add(str(root / name))
    truncated = root / "cut.flac"
    truncated.write_bytes(base["flac"].read_bytes()[:60])
    bad.add(str(truncated))
    (root / "folder.mp3").mkdir()  # a directory with an audio extension
    good.add(str(add_track(base, root / "folder.mp3", "inside", "mp3", title="Inside")))
    loop = root / "loop"
    loop.mkdir()
    (loop / "back").symlink_to(root, target_is_directory=True)  # a symlink cycle
    (loop / "self").symlink_to(loop, target_is_directory=True)
    (root / "dangling.mp3").symlink_to(root / "nowhere.mp3")
    cover = add_track(
        base, root, "big cover", "mp3", title="Big cover", cover=os.urandom(8 * 1024 * 1024)
    )
    good.add(str(cover))
    long_dir = root / ("d" * 200)
    good.add(str(add_track(base, long_dir, "n" * 245, "flac", title="Long name")))
    cjk_name = "長" * 80  # 240 bytes in UTF-8, near the file-name limit
    good.add(str(add_track(base, long_dir, cjk_name, "opus", title="CJK name")))
    weird = os.fsdecode(b"caf\xe9-\xff\xfe")  # not UTF-8
    good.add(str(add_track(base, root, weird, "ogg", title="Latin-1 name")))
    untagged = add_track(base, root, "No tags at all", "wav")
    good.add(str(untagged))
    for i in range(3):
        good.add(str(add_track(base, root / "ok", f"ok{i}", BASE_FORMATS[i], title=f"OK {i}")))
    return good, bad


def test_hostile_files_are_reported_and_good_ones_indexed(
    base_files: dict[str, Path], tmp_path: Path, db: LibraryDB
) -> None:
    root = tmp_path / "hostile"
    good, bad = build_hostile_corpus(base_files, root)
    assert len(str(max(good, key=len))) > 450
    summary = Scanner(db, workers=2).scan([root])
    indexed = {r["path"] for r in db.tracks()}
    assert indexed == good
    errors = {e["path"]: e["reason"] for e in db.scan_errors()}
    assert set(errors) == bad
    assert all(reason and len(reason) < 300 for reason in errors.values())
    assert {p for p, _ in summary.errors} == bad
    assert "Empty file" in errors[str(root / "zero.mp3")]
    titles = {r["title"] for r in db.tracks()}
    assert "No tags at all" in titles
    # a rescan does not retry unchanged failures and does not lose them
    again = Scanner(db).scan([root])
    assert again.unchanged == len(good)
    assert {e["path"] for e in db.scan_errors()} == bad
    # fixing a file clears its error
    shutil.copyfile(base_files["mp3"], root / "zero.mp3")
    Scanner(db).scan([root])
    assert str(root / "zero.mp3") not in {e["path"] for e in db.scan_errors()}


def test_cue_sheet_splits_an_album_file(
    base_files: dict[str, Path], tmp_path: Path, db: LibraryDB
) -> None:
    root = tmp_path / "music"
    root.mkdir()
    album = root / "album.flac"
    make_audio(album, "flac", seconds=3.0)
    (root / "album.cue").write_text(
        'PERFORMER "Band"\nTITLE "One File Album"\nFILE "album.wav" WAVE\n'
        '  TRACK 01 AUDIO\n    TITLE "First"\n    INDEX 01 00:00:00\n'
        '  TRACK 02 AUDIO\n    TITLE "Second"\n    INDEX 01 00:01:37\n',
        encoding="utf-8",
    )
    Scanner(db).scan([root])
    rows = sorted(db.tracks(), key=lambda r: r["subtrack"])
    assert [(r["subtrack"], r["title"], r["album"]) for r in rows] == [
        (1, "First", "One File Album"),
        (2, "Second", "One File Album"),
    ]
    assert rows[1]["start_ms"] == 1000 + round(37 * 1000 / 75)
    assert rows[0]["end_ms"] == rows[1]["start_ms"]
    assert Scanner(db).scan([root]).unchanged == 1
    (root / "album.cue").unlink()
    Scanner(db).scan([root])
    assert [(r["subtrack"], r["title"]) for r in db.tracks()] == [(0, "album")]


KILL_SCRIPT = """
import sys
from player.library.store import LibraryDB
from player.library.scanner import Scanner
db = LibraryDB(sys.argv[1])
def progress(done, total):
    print(done, total, flush=True)
Scanner(db, workers=2).scan([sys.argv[2]], progress=progress)
print("finished", flush=True)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="kills a process group (POSIX)")
def test_scan_killed_half_way_leaves_a_consistent_db_and_resumes(
    base_files: dict[str, Path], tmp_path: Path
) -> None:
    root = tmp_path / "music"
    make_library(base_files, root, 1200)
    killed_db = tmp_path / "killed.db"
    proc = subprocess.Popen(
        [sys.executable, "-c", KILL_SCRIPT, str(killed_db), str(root)],
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    assert proc.stdout is not None
    killed_at = None
    for line in proc.stdout:
        parts = line.split()
        if parts[0] != "finished" and int(parts[0]) >= 400:
            killed_at = int(parts[0])
            os.killpg(proc.pid, signal.SIGKILL)  # the scanner and its workers, mid-scan
            break
    proc.wait(timeout=60)
    assert killed_at is not None, "the scan finished before it could be killed"
    with LibraryDB(killed_db) as db:
        assert db.integrity_check() == "ok"
        assert 0 < db.track_count() < 1200
        Scanner(db).scan([root])
        resumed = library_state(db)
        fts = db.conn.execute("SELECT COUNT(*) FROM tracks_fts").fetchone()[0]
    with LibraryDB(tmp_path / "clean.db") as db:
        Scanner(db).scan([root])
        assert resumed == library_state(db)
        assert fts == db.track_count() == 1200


def wait_for(condition: Callable[[], bool], timeout: float = 15.0) -> bool:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def test_cue_sheet_naming_a_missing_file_is_reported_until_fixed(
    base_files: dict[str, Path], tmp_path: Path, db: LibraryDB
) -> None:
    root = tmp_path / "music"
    root.mkdir()
    cue = root / "album.cue"
    cue.write_text(
        'FILE "gone.flac" WAVE\n  TRACK 01 AUDIO\n    INDEX 01 00:00:00\n', encoding="utf-8"
    )
    summary = Scanner(db).scan([root])
    [(path, reason)] = summary.errors
    assert path == str(cue) and "gone.flac" in reason
    assert [e["path"] for e in db.scan_errors()] == [str(cue)]
    make_audio(root / "gone.flac", "flac", seconds=1.0)
    Scanner(db).scan([root])
    assert db.scan_errors() == []
    assert [(r["subtrack"], r["path"]) for r in db.tracks()] == [(1, str(root / "gone.flac"))]


def test_resource_forks_and_nas_metadata_are_not_music(
    base_files: dict[str, Path], tmp_path: Path, db: LibraryDB
) -> None:
    root = tmp_path / "music"
    add_track(base_files, root, "real", "mp3", title="Real")
    (root / "._real.mp3").write_bytes(b"\x00\x05\x16\x07" + b"\x00" * 4000)  # AppleDouble
    add_track(base_files, root / "@eaDir", "thumb", "mp3", title="Copy")
    add_track(base_files, root / ".Trash-1000" / "files", "deleted", "mp3", title="Deleted")
    summary = Scanner(db).scan([root])
    assert summary.errors == []
    assert [r["title"] for r in db.tracks()] == ["Real"]


def test_scan_from_a_background_thread_uses_a_thread_safe_pool(
    base_files: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The window scans off its UI thread; forking a threaded process is unsafe there."""
    root = tmp_path / "music"
    make_library(base_files, root, scanner_mod.POOL_THRESHOLD + 8)
    contexts: list[str] = []
    real_context = workpool.pool_context

    def spy(preload: tuple[str, ...] = ()) -> object:
        ctx = real_context(preload)
        contexts.append(ctx.get_start_method())
        return ctx

    monkeypatch.setattr(workpool, "pool_context", spy)
    monkeypatch.delenv(workpool.START_METHOD_ENV, raising=False)  # the default is under test
    outcome: dict[str, object] = {}

    def work() -> None:
        with LibraryDB(tmp_path / "lib.db") as db:
            outcome["summary"] = Scanner(db, workers=2).scan([root])
            outcome["count"] = db.track_count()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(timeout=120)
    assert contexts == ["forkserver"]
    assert outcome["count"] == scanner_mod.POOL_THRESHOLD + 8


def test_unreadable_folder_is_reported_and_its_tracks_kept(
    base_files: dict[str, Path], tmp_path: Path, db: LibraryDB, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "music"
    make_library(base_files, root, 6)  # artist0..artist4 folders
    Scanner(db).scan([root])
    locked = str(root / "artist1")
    real_scandir = os.scandir

    def scandir(path: str) -> object:
        if os.fspath(path) == locked:
            raise PermissionError(13, "Permission denied", locked)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    summary = Scanner(db).scan([root])
    assert summary.missing_roots == {locked: "Permission denied"}
    assert summary.removed == 0
    assert db.track_count() == 6


def test_library_moved_to_another_drive_keeps_its_history(
    base_files: dict[str, Path], tmp_path: Path, db: LibraryDB
) -> None:
    old_root, new_root = tmp_path / "old-drive" / "Music", tmp_path / "new-drive" / "Music"
    paths = make_library(base_files, old_root, 4)
    Scanner(db).scan([old_root])
    track_id = db.track_id(str(paths[1]))
    assert track_id is not None
    db.record_play(track_id, listened_ms=30_000, finished=True)
    db.set_rating(track_id, rating=3)
    shutil.move(old_root, new_root)  # the old folder is now missing
    summary = Scanner(db).scan([old_root, new_root])
    assert (summary.moved, summary.added, summary.removed) == (4, 0, 0)
    assert summary.missing_roots == {str(old_root): "Folder not found"}
    moved_to = new_root / paths[1].relative_to(old_root)
    assert db.track_id(str(moved_to)) == track_id and db.track_count() == 4
    assert db.scalar("SELECT play_count FROM tracks WHERE id = ?", (track_id,)) == 1
    assert db.scalar("SELECT rating FROM ratings WHERE track_id = ?", (track_id,)) == 3


def test_a_copy_on_another_drive_leaves_the_original_alone(
    base_files: dict[str, Path], tmp_path: Path, db: LibraryDB
) -> None:
    old_root, new_root = tmp_path / "old" / "Music", tmp_path / "backup" / "Music"
    paths = make_library(base_files, old_root, 3)
    Scanner(db).scan([old_root])
    ids = [db.track_id(str(p)) for p in paths]
    shutil.copytree(old_root, new_root)
    summary = Scanner(db).scan([new_root])  # the old folder is not scanned, but still there
    assert (summary.moved, summary.added, summary.removed) == (0, 3, 0)
    assert [db.track_id(str(p)) for p in paths] == ids and db.track_count() == 6
