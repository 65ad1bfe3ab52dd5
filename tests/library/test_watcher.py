"""The file-system watcher keeps the library current while the app runs."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from player.library.scanner import Scanner
from player.library.store import LibraryDB
from player.library.watcher import LibraryWatcher
from tests.audiogen import requires_ffmpeg, tag
from tests.library.test_scanner import add_track, base_files, wait_for  # noqa: F401

pytestmark = requires_ffmpeg


def titles(db_path: Path) -> set[str]:
    with LibraryDB(db_path) as db:
        return {r["title"] for r in db.tracks()}


def test_added_changed_moved_and_removed_files_are_picked_up(
    base_files: dict[str, Path],  # noqa: F811
    tmp_path: Path,
) -> None:
    root = tmp_path / "music"
    first = add_track(base_files, root / "a", "one", "mp3", title="One")
    db_path = tmp_path / "lib.db"
    with LibraryDB(db_path) as db:
        Scanner(db).scan([root])
        first_id = db.track_id(str(first))
        assert first_id is not None
        db.record_play(first_id, listened_ms=1000, finished=True)
    changes = []
    with LibraryWatcher(db_path, [root], on_change=changes.append, debounce=0.3):
        # added: copy in a new album folder
        album = tmp_path / "staging"
        add_track(base_files, album, "two", "flac", title="Two")
        shutil.move(str(album), str(root / "b"))
        assert wait_for(lambda: "Two" in titles(db_path)), titles(db_path)
        # changed in place
        tag(first, title="One (edited)")
        assert wait_for(lambda: "One (edited)" in titles(db_path)), titles(db_path)
        # moved between folders keeps its identity and history
        moved = root / "b" / "one-moved.mp3"
        os.rename(first, moved)
        with LibraryDB(db_path) as db:
            assert wait_for(lambda: db.track_id(str(moved)) == first_id)
            plays = db.conn.execute(
                "SELECT play_count FROM tracks WHERE id = ?", (first_id,)
            ).fetchone()
            assert plays == (1,)
        # removed, folder and all
        shutil.rmtree(root / "b")
        assert wait_for(lambda: titles(db_path) == set()), titles(db_path)
    assert changes, "on_change was never called"


def test_watcher_ignores_missing_roots(tmp_path: Path) -> None:
    watcher = LibraryWatcher(tmp_path / "lib.db", [tmp_path / "nope"], debounce=0.1)
    watcher.start()
    watcher.stop()
    assert watcher.scans == 0


@pytest.mark.parametrize("count", [1])
def test_outermost_folders(count: int) -> None:
    from player.library.watcher import _outermost

    assert _outermost({"/a", "/a/b", "/a/b/c", "/d"}) == ["/a", "/d"]
    assert len(_outermost({"/x"})) == count


def test_reading_the_folders_is_not_watched(tmp_path: Path) -> None:
    """Only changes reach the watcher: the folders opened by its own walk (and a track
    read while it plays) would otherwise flood the kernel's event queue on a big library."""
    from watchdog.observers.inotify_c import InotifyConstants as C

    root = tmp_path / "music"
    (root / "a" / "b").mkdir(parents=True)
    watcher = LibraryWatcher(tmp_path / "lib.db", [root])
    with watcher:
        emitters = list(watcher._observer.emitters)
        assert len(emitters) == 1
        mask = emitters[0].get_event_mask_from_filter()
    assert not mask & (C.IN_OPEN | C.IN_CLOSE_NOWRITE | C.IN_ACCESS)
    for wanted in (C.IN_CREATE, C.IN_DELETE, C.IN_MOVED_FROM, C.IN_MOVED_TO, C.IN_CLOSE_WRITE,
                   C.IN_MODIFY, C.IN_DELETE_SELF):  # fmt: skip
        assert mask & wanted, wanted
