"""Tag batches without Qt: read the stored tracks, write the same change into every file."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import mutagen

from player.library.scanner import Scanner
from player.library.store import LibraryDB
from player.library.tagbatch import read_tracks, write_batch
from tests.audiogen import make_audio, tag


def _library(tmp_path: Path) -> tuple[Path, list[int], list[Path]]:
    folder = tmp_path / "music"
    folder.mkdir()
    files = []
    for name, title in (("a", "Alpha"), ("b", "Beta")):
        path = make_audio(folder / f"{name}.flac", "flac", seconds=0.3)
        tag(path, title=title, artists=["Ann"], album="Old")
        files.append(path)
    db_path = tmp_path / "lib.db"
    with LibraryDB(db_path) as db:
        Scanner(db, workers=1).scan([folder])
        ids = [db.track_id(str(p)) for p in files]
    return db_path, ids, files


def test_read_tracks_in_order_skipping_removed(tmp_path: Path) -> None:
    db_path, (a, b), _files = _library(tmp_path)
    assert [(tid, info.title) for tid, info in read_tracks(db_path, [b, 999, a])] == [
        (b, "Beta"),
        (a, "Alpha"),
    ]


def test_write_batch_writes_files_and_the_library(tmp_path: Path) -> None:
    db_path, ids, files = _library(tmp_path)
    tracks = read_tracks(db_path, ids)
    seen: list[tuple[int, int]] = []
    result = write_batch(db_path, tracks, {"album": "New"}, progress=lambda d, n: seen.append((d, n)))
    assert result.written == ids and result.errors == []
    assert seen == [(1, 2), (2, 2)]
    for path in files:
        assert mutagen.File(path, easy=True)["album"] == ["New"]
    with LibraryDB(db_path) as db:
        assert [db.get_track(t).album for t in ids] == ["New", "New"]  # type: ignore[union-attr]
    assert write_batch(db_path, tracks, {}).written == []  # nothing to change


def test_write_batch_reports_failures_and_goes_on(tmp_path: Path) -> None:
    db_path, ids, files = _library(tmp_path)
    tracks = read_tracks(db_path, ids)
    os.chmod(files[0], 0o444)
    try:
        result = write_batch(db_path, tracks, {"album": "New"})
    finally:
        os.chmod(files[0], 0o644)
    assert result.written == [ids[1]]
    assert [(path, err.short) for path, err in result.errors] == [
        (str(files[0]), "The file is read-only")
    ]
    cancel = threading.Event()
    cancel.set()
    assert write_batch(db_path, tracks, {"album": "Other"}, cancel=cancel).written == []
