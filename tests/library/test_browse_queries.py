"""The library browser's queries: groups per level in tree order, a group's tracks in
that order, composers and unknown values, filtering, and the folder tree."""

from __future__ import annotations

from pathlib import Path

from player.library.query import compile_query
from player.library.store import LibraryDB, browse
from player.library.track import TrackInfo


def _library(tmp_path: Path) -> LibraryDB:
    db = LibraryDB(tmp_path / "library.db")
    rows = [
        # path, title, artist, album, number, year, genre, composer
        (
            "/m/Bach/Goldberg/02.flac",
            "Variation 1",
            "Gould",
            "Goldberg",
            2,
            1981,
            "Classical",
            "Bach",
        ),
        ("/m/Bach/Goldberg/01.flac", "Aria", "Gould", "Goldberg", 1, 1981, "Classical", "Bach"),
        (
            "/m/Bach/Cello/01.flac",
            "Prelude",
            "Casals",
            "Cello Suites",
            1,
            1939,
            "Classical",
            "Bach",
        ),
        ("/m/abba/Gold/01.mp3", "Dancing Queen", "ABBA", "Gold", 1, 1992, "Pop", ""),
        ("/m/abba/Gold/CD2/01.mp3", "Waterloo", "ABBA", "Gold", 1, None, "Pop", ""),
        ("/m/Loose.mp3", "Loose", "", "", None, None, "", ""),
    ]
    infos = []
    for path, title, artist, album, number, year, genre, composer in rows:
        infos.append(
            TrackInfo(
                path=path,
                title=title,
                artists=[artist] if artist else [],
                album_artists=[artist] if artist else [],
                album=album,
                track_number=number,
                year=year,
                genres=[genre] if genre else [],
                composer=composer,
                duration=100.0,
            )
        )
    db.insert_tracks(infos)
    return db


def _titles(db: LibraryDB, ids: list[int]) -> list[str]:
    return [db.get_track(i).title for i in ids]  # type: ignore[union-attr]


def test_levels_in_tree_order_and_unknowns_last(tmp_path: Path) -> None:
    db = _library(tmp_path)
    top = browse.groups(db, "artist_album")
    # case-insensitive by name, the unknown artist last
    assert top == [(("ABBA",), 2), (("Casals",), 1), (("Gould",), 2), (("",), 1)]
    assert browse.groups(db, "artist_album", [("Gould",)]) == [(("Goldberg", "Gould"), 2)]
    tracks = browse.tracks(db, "artist_album", [("Gould",), ("Goldberg", "Gould")])
    assert [t[1] for t in tracks] == ["Aria", "Variation 1"]  # by track number
    # a group's tracks in the order of its expanded children
    ids = browse.group_track_ids(db, "genre_artist_album", [("Classical",)])
    assert _titles(db, ids) == ["Prelude", "Aria", "Variation 1"]  # Casals before Gould
    years = browse.groups(db, "year_album")
    assert [k for k, _ in years] == [(1939,), (1981,), (1992,), (None,)]  # no year last
    # within "no year": the album Gold, then the tracks without an album
    assert _titles(db, browse.group_track_ids(db, "year_album", [(None,)])) == [
        "Waterloo",
        "Loose",
    ]
    composers = browse.groups(db, "composer_album")
    assert composers == [(("Bach",), 3), (("",), 3)]
    works = browse.groups(db, "composer_album", [("Bach",)])
    assert [k[0] for k, _ in works] == ["Cello Suites", "Goldberg"]


def test_filter_narrows_every_level(tmp_path: Path) -> None:
    db = _library(tmp_path)
    query = compile_query("genre:pop")
    assert browse.groups(db, "artist_album", (), query.where, query.params) == [(("ABBA",), 2)]
    query = compile_query("aria")
    assert browse.groups(db, "genre_artist_album", (), query.where, query.params) == [
        (("Classical",), 1)
    ]
    ids = browse.group_track_ids(
        db, "genre_artist_album", [("Classical",)], query.where, query.params
    )
    assert _titles(db, ids) == ["Aria"]


def test_folder_tree(tmp_path: Path) -> None:
    db = _library(tmp_path)
    assert browse.folder_count(db, "/m") == 6
    assert browse.subfolders(db, "/m") == [
        ("abba", "/m/abba", 2, True),
        ("Bach", "/m/Bach", 3, True),
    ]
    assert browse.subfolders(db, "/m/abba") == [("Gold", "/m/abba/Gold", 2, True)]
    assert browse.subfolders(db, "/m/abba/Gold") == [("CD2", "/m/abba/Gold/CD2", 1, False)]
    assert [t[1] for t in browse.folder_tracks(db, "/m")] == ["Loose"]
    # a folder's own tracks, then its subfolders' by name
    assert _titles(db, browse.folder_track_ids(db, "/m")) == [
        "Loose",
        "Dancing Queen",
        "Waterloo",
        "Prelude",
        "Aria",
        "Variation 1",
    ]
    # a sibling whose name only starts the same is not inside
    assert browse.folder_count(db, "/m/Bach/Cello") == 1
    query = compile_query("waterloo")
    assert browse.subfolders(db, "/m", query.where, query.params) == [("abba", "/m/abba", 1, True)]


def test_tracks_under_no_library_folder_still_have_a_root(tmp_path: Path) -> None:
    """Files added one by one (or a library folder since removed) are not lost from the
    Folders tree: their outermost folders, or the one folder they share, become roots."""
    db = _library(tmp_path)
    assert browse.loose_roots(db, ["/m"]) == []
    assert browse.loose_roots(db, []) == ["/m"]  # the folder all of them share
    assert browse.loose_roots(db, ["/m/Bach"]) == ["/m"]  # /m/abba and /m hold the rest
    assert browse.loose_roots(db, ["/m/abba", "/m/Bach"]) == ["/m"]  # Loose.mp3 lies in /m
    alone = LibraryDB(tmp_path / "alone.db")
    alone.insert_tracks([TrackInfo(path="/x/a/1.mp3"), TrackInfo(path="/y/b/2.mp3")])
    assert browse.loose_roots(alone, []) == ["/x/a", "/y/b"]  # nothing shared but "/"
    # folders whose names only start like a library folder's, beside it in the index
    beside = LibraryDB(tmp_path / "beside.db")
    paths = ["/music/a/1.mp3", "/music-old/2.mp3", "/music 2/3.mp3", "/music/sub/4.mp3",
             "/musicals/5.mp3", "/a/6.mp3", "/music/7.mp3", "/zz/8.mp3"]  # fmt: skip
    beside.insert_tracks([TrackInfo(path=path) for path in paths])
    loose = ["/a", "/music 2", "/music-old", "/musicals", "/zz"]
    assert browse.loose_roots(beside, ["/music", "/music/sub"]) == loose
    assert browse.loose_roots(beside, ["/music/sub", "/music/"]) == loose
    # /music/a lies in /music, which "/music 2" and "/music-old" sort between
    everything = ["/a", "/music", "/music 2", "/music-old", "/musicals", "/zz"]
    assert browse.loose_roots(beside, ["/music/sub"]) == everything
    assert browse.loose_roots(beside, ["/"]) == []


def test_folder_range_follows_the_separator_paths_are_stored_with() -> None:
    """Windows stores ``C:\\Music\\A``: the range of "below C:\\Music" must hold every
    such path and nothing beside it (a "/" prefix would hold none of them)."""
    folder, low, high = browse.folder_range("C:\\Music", "\\")
    assert (folder, low, high) == ("C:\\Music", "C:\\Music\\", "C:\\Music]")
    inside = ["C:\\Music\\A", "C:\\Music\\A\\B", "C:\\Music\\~zz"]
    beside = ["C:\\Music2", "C:\\Music 2", "C:\\Musicals", "C:\\Music"]
    assert all(low <= path < high for path in inside)
    assert not any(low <= path < high for path in beside)
    assert browse.folder_range("/m/abba/", "/") == ["/m/abba", "/m/abba/", "/m/abba0"]
