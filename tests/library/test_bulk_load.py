"""A first scan builds the tracks' secondary indexes once, at the end, and never loses them."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from player.library.scanner import Scanner
from player.library.store import LibraryDB
from tests.audiogen import requires_ffmpeg
from tests.library.test_scanner import base_files, library_state, make_library

pytestmark = requires_ffmpeg
__all__ = ["base_files"]  # the session fixture, shared with the scanner's tests


def track_indexes(db: LibraryDB) -> list[tuple[str, str]]:
    return db.conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'tracks'"
        " AND sql IS NOT NULL ORDER BY name"
    ).fetchall()


def has_record_table(db: LibraryDB) -> bool:
    return bool(
        db.conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'deferred_indexes'").fetchone()
    )


@pytest.fixture
def expected(tmp_path: Path) -> list[tuple[str, str]]:
    """The indexes a new library has."""
    with LibraryDB(tmp_path / "fresh.db") as fresh:
        indexes = track_indexes(fresh)
    assert len(indexes) >= 10  # folder, album, artist, ..., the sort-tag indexes
    return indexes


def test_bulk_first_scan_gives_the_same_library_and_indexes(
    base_files: dict[str, Path], tmp_path: Path, expected: list[tuple[str, str]]
) -> None:
    root = tmp_path / "music"
    make_library(base_files, root, 30)
    with LibraryDB(tmp_path / "bulk.db") as bulk, LibraryDB(tmp_path / "rows.db") as rows:
        during: list[list[tuple[str, str]]] = []
        Scanner(bulk, workers=1, bulk_from=1).scan(
            [root], progress=lambda done, total: during.append(track_indexes(bulk))
        )
        Scanner(rows, workers=1, bulk_from=10**9).scan([root])
        assert library_state(bulk) == library_state(rows)
        assert len(library_state(bulk)) == 30
        assert during and during[-1] == []  # the rows went in without them...
        assert track_indexes(bulk) == expected  # ...and they are all back
        assert track_indexes(rows) == expected
        assert not has_record_table(bulk)
        assert bulk.integrity_check() == "ok"
        plan = bulk.conn.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM tracks WHERE artist = 'Artist 1'"
        ).fetchall()
        assert "tracks_artist" in " ".join(str(step) for step in plan)


def test_rescan_and_a_non_empty_library_keep_their_indexes(
    base_files: dict[str, Path], tmp_path: Path, expected: list[tuple[str, str]]
) -> None:
    root = tmp_path / "music"
    make_library(base_files, root, 12)
    with LibraryDB(tmp_path / "lib.db") as db:
        Scanner(db, workers=1, bulk_from=1).scan([root])
        make_library(base_files, tmp_path / "more", 12)
        during: list[list[tuple[str, str]]] = []
        summary = Scanner(db, workers=1, bulk_from=1).scan(
            [root, tmp_path / "more"],
            progress=lambda done, total: during.append(track_indexes(db)),
        )
        assert summary.added == 12
        assert during and all(indexes == expected for indexes in during)
        with db.bulk_load() as dropped:
            assert dropped is False
            assert track_indexes(db) == expected


def test_cancelled_first_scan_leaves_the_indexes_built(
    base_files: dict[str, Path], tmp_path: Path, expected: list[tuple[str, str]]
) -> None:
    root = tmp_path / "music"
    make_library(base_files, root, 100)
    stop = threading.Event()
    with LibraryDB(tmp_path / "lib.db") as db:
        first = Scanner(db, workers=1, bulk_from=1).scan(
            [root], progress=lambda done, total: done >= 32 and stop.set(), cancel=stop
        )
        assert first.cancelled and 0 < db.track_count() < 100
        assert track_indexes(db) == expected
        assert not has_record_table(db)


DIE_HALF_WAY = """
import os, sys
from player.library.store import LibraryDB
db = LibraryDB(sys.argv[1])
with db.bulk_load() as dropped:
    print(dropped, flush=True)
    os._exit(0)  # dies inside the load: no cleanup runs
"""


def test_indexes_dropped_by_a_process_that_died_come_back_on_open(
    tmp_path: Path, expected: list[tuple[str, str]]
) -> None:
    path = tmp_path / "lib.db"
    LibraryDB(path).close()
    out = subprocess.run(
        [sys.executable, "-c", DIE_HALF_WAY, str(path)],
        capture_output=True, text=True, check=True, cwd=Path(__file__).parents[2],
    )  # fmt: skip
    assert out.stdout.strip() == "True"
    with LibraryDB(
        path, readonly=True
    ) as reader:  # dropped and on record; a reader changes nothing
        assert track_indexes(reader) == []
        assert has_record_table(reader)
    with LibraryDB(path) as writer:
        assert track_indexes(writer) == expected
        assert not has_record_table(writer)
        assert writer.integrity_check() == "ok"
