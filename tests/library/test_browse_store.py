"""Artists and albums as the store counts them (one definition for the window and
``kindred stats``), without Qt."""

from __future__ import annotations

from pathlib import Path

from player.library.store import LibraryDB, album_groups, artist_entries, split_names
from player.library.store.groups import jump_letter, sort_name
from player.library.trackquery import album_source, albums, artist_source, load_ids
from tests.ui.pages import browse_library


def test_split_names() -> None:
    assert split_names("A; B") == ["A", "B"]
    assert split_names("A / B") == ["A", "B"]
    assert split_names("A feat. B") == ["A", "B"]
    assert split_names("A ft. B; C") == ["A", "B", "C"]
    assert split_names("A (feat. B)") == ["A", "B"]
    assert split_names("AC/DC") == ["AC/DC"]  # no spaces: one name
    assert split_names("Simon & Garfunkel") == ["Simon & Garfunkel"]
    assert split_names("") == []


def test_sort_names_and_letters() -> None:
    assert sort_name("The Beatles") == "beatles"
    assert sort_name("Theatre of Tragedy") == "theatre of tragedy"
    assert jump_letter("The Beatles") == "B"
    assert jump_letter("2Pac") == "#"
    assert jump_letter("") == "?"


def test_artists_albums_and_stats_agree(tmp_path: Path) -> None:
    path = browse_library.build(tmp_path / "lib.db")
    with LibraryDB(path) as db:
        entries = artist_entries(db, "artist")
        named = [e for e in entries if e.name]
        assert [e.name for e in named][:4] == ["Alpha Band", "Ana Ruiz", "The Beatles", "Beck"]
        zoe = next(e for e in named if e.name == "Zoe Quinn")
        assert len(load_ids(db, artist_source(zoe))) == zoe.tracks == 2
        composers = [e.name for e in artist_entries(db, "composer") if e.name]
        assert composers == sorted(browse_library.COMPOSERS)
        groups = album_groups(db)
        ost = next(g for g in groups if g.album == browse_library.SOUNDTRACK)
        assert ost.tracks == 15 and ost.various
        listed = albums(db)
        for album in listed:
            assert len(load_ids(db, album_source(album))) == album.tracks
        stats = db.stats()
        assert stats["albums"] == len(listed) == 5
        assert stats["artists"] == len(named) == 9


def test_folders_of_one_artist_join(tmp_path: Path) -> None:
    from player.library.track import TrackInfo

    with LibraryDB(tmp_path / "lib.db") as db:
        db.upsert_tracks(
            [
                TrackInfo(path=f"/m/Live/CD{d}/{i}.flac", artists=["Band"], album="Live",
                          disc_number=d)
                for d in (1, 2) for i in range(2)
            ]
        )  # fmt: skip
        (live,) = album_groups(db)
        assert (live.tracks, live.discs, live.artist) == (4, 2, "Band")
        (info,) = albums(db)
        assert len(load_ids(db, album_source(info))) == 4
    with LibraryDB(tmp_path / "untagged.db") as db:  # no disc numbers: a folder is a disc
        db.upsert_tracks(
            [
                TrackInfo(path=f"/m/Box/CD{d}/1.flac", artists=["Band"], album="Box")
                for d in (1, 2, 3)
            ]
        )
        (box,) = album_groups(db)
        assert (box.tracks, box.discs) == (3, 3)
