"""The track listings the window shows, run without Qt: ids in order, categories, albums, play-all rows."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from player.library.store import LibraryDB
from player.library.track import TrackInfo
from player.library.trackquery import (
    SORT_ORDERS,
    UNKNOWN_TITLES,
    TrackSource,
    album_source,
    albums,
    categories,
    category_source,
    load_ids,
    queue_rows,
)


@pytest.fixture
def db(tmp_path: Path):
    with LibraryDB(tmp_path / "lib.db") as library:
        library.ids = library.upsert_tracks(
            [
                TrackInfo(path="/m/b/2.flac", title="Beta", artists=["Zed"], album="Later",
                          album_artists=["Zed"], track_number=2, year=2001, genres=["Rock"],
                          duration=120.0),
                TrackInfo(path="/m/b/1.flac", title="Alpha", artists=["Zed"], album="Later",
                          album_artists=["Zed"], track_number=1, year=2000, genres=["Rock"],
                          duration=90.0),
                TrackInfo(path="/m/a/x.mp3", title="Gamma", artists=["abba"], album="First",
                          album_artists=["abba"], genres=["Pop"]),
                TrackInfo(path="/m/loose.ogg"),
            ]
        )  # fmt: skip
        yield library


def test_load_ids_in_album_order_or_sorted(db: LibraryDB) -> None:
    beta, alpha, gamma, loose = db.ids
    everything = TrackSource()
    assert load_ids(db, everything) == [loose, alpha, beta, gamma]  # album artist, binary order
    assert load_ids(db.path, everything, "title") == [loose, alpha, beta, gamma]
    assert load_ids(db, everything, "title", descending=True) == [gamma, beta, alpha, loose]


def test_every_sort_order_runs_and_an_unknown_column_is_refused(db: LibraryDB) -> None:
    for key in SORT_ORDERS:
        assert sorted(load_ids(db, TrackSource(), key, descending=True)) == sorted(db.ids), key
    assert load_ids(db, TrackSource(), "year", descending=True)[:2] == [db.ids[0], db.ids[1]]
    with pytest.raises(ValueError, match="comments"):
        load_ids(db, TrackSource(), "comments")


def test_load_ids_of_a_search_and_of_fixed_ids(db: LibraryDB) -> None:
    beta, alpha, gamma, _loose = db.ids
    assert set(load_ids(db, TrackSource(query="zed"))) == {alpha, beta}
    assert load_ids(db, TrackSource(query="zed"), "title", descending=True) == [beta, alpha]
    fixed = TrackSource(ids=(gamma, beta, alpha))
    assert load_ids(db, fixed) == [gamma, beta, alpha]
    assert load_ids(db, fixed, "title") == [alpha, beta, gamma]


def test_categories_and_their_sources(db: LibraryDB) -> None:
    beta, alpha, gamma, loose = db.ids
    assert categories(db, "artist") == [("abba", 1), ("Zed", 2), ("", 1)]
    assert categories(db.path, "genre") == [("Pop", 1), ("Rock", 2), ("", 1)]
    assert categories(db, "folder") == [("/m", 1), ("/m/a", 1), ("/m/b", 2)]
    zed = category_source("artist", "Zed")
    assert (zed.title, zed.kind) == ("Zed", "artist")
    assert set(load_ids(db, zed)) == {alpha, beta}
    unknown = category_source("genre", "")
    assert unknown.title == UNKNOWN_TITLES["genre"] == "Unknown genre"  # the window translates it
    assert load_ids(db, unknown) == [loose]
    assert category_source("folder", "").title == "Unknown folder"
    assert category_source("artist", "").title == "Unknown artist"
    assert load_ids(db, category_source("folder", "/m/a")) == [gamma]


def test_albums(db: LibraryDB) -> None:
    beta, alpha, _gamma, _loose = db.ids
    found = albums(db)
    assert [(a.album_artist, a.album, a.year, a.tracks) for a in found] == [
        ("abba", "First", None, 1),
        ("Zed", "Later", 2001, 2),
    ]
    assert found[1].cover_path == "/m/b/1.flac"  # no cover anywhere: the first file
    source = album_source(found[1])
    assert (source.title, source.kind) == ("Later", "album")
    assert load_ids(db.path, source) == [alpha, beta]


def test_queue_rows_in_the_given_order(db: LibraryDB) -> None:
    beta, alpha, gamma, _loose = db.ids
    assert queue_rows(db, []) == []
    rows = queue_rows(db.path, [beta, 999, alpha])
    assert [row["id"] for row in rows] == [beta, alpha]  # unknown ids are skipped
    assert rows[0] == {
        "id": beta, "path": "/m/b/2.flac", "title": "Beta", "artist": "Zed",
        "album": "Later", "album_artist": "Zed", "duration": 120.0,
        "start_ms": None, "end_ms": None,
    }  # fmt: skip
    assert [row["id"] for row in queue_rows(db, [gamma, beta])] == [gamma, beta]


def test_listings_need_no_qt() -> None:
    code = "import sys, player.library.trackquery, player.library.tagbatch\nprint('PySide6' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
