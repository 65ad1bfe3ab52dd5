"""Sort tags: read from every tag family by the scanner, kept in schema 9's columns,
picked up by the next scan of a library from before them, and used to order artists."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from player.library.scanner import Scanner
from player.library.search import search
from player.library.store import MIGRATIONS, SCHEMA_VERSION, LibraryDB, artist_entries, browse
from player.library.store.groups import ALBUMS_SQL
from player.library.track import TrackInfo
from player.library.trackquery import TrackSource, load_ids
from tests.audiogen import FFMPEG_FORMATS, make_audio, requires_ffmpeg, tag

SORT_TAGS = {
    "artist_sort": "Beatles, The",
    "album_artist_sort": "Bowie, David",
    "composer_sort": "Lennon, John",
    "album_sort": "Abbey Road (2019)",
}
# one format per tag family: Vorbis comments (FLAC, Ogg, Opus), ID3, MP4 atoms,
# APEv2 (WavPack and Monkey's Audio) and ASF
FORMATS = ["flac", "ogg", "opus", "mp3", "m4a", "wv", "ape", "wma"]


def _param(fmt: str) -> object:
    return pytest.param(fmt, marks=requires_ffmpeg, id=fmt) if fmt in FFMPEG_FORMATS else fmt


@pytest.mark.parametrize("fmt", [_param(f) for f in FORMATS])
def test_scanner_reads_each_formats_sort_tags(fmt: str, tmp_path: Path) -> None:
    root = tmp_path / "music"
    root.mkdir()
    path = make_audio(root / f"song.{fmt}", fmt, seconds=0.3)
    tag(
        path,
        title="Come Together",
        artists=["The Beatles"],
        album_artists=["David Bowie"],
        composer="John Lennon",
        album="Abbey Road",
        **SORT_TAGS,
    )
    with LibraryDB(tmp_path / "lib.db") as db:
        summary = Scanner(db, workers=1).scan([root])
        assert summary.added == 1 and summary.errors == []
        row = db.conn.execute(
            "SELECT artist_sort, album_artist_sort, composer_sort, album_sort FROM tracks"
        ).fetchone()
        assert dict(zip(SORT_TAGS, row, strict=True)) == SORT_TAGS
        # the Artists view files the album artist under B (its sort tag), not D
        [bowie] = [e for e in artist_entries(db, "album_artist") if e.name]
        assert (bowie.name, bowie.sort_key, bowie.letter) == ("David Bowie", "bowie, david", "B")


@requires_ffmpeg
def test_multi_valued_sort_tags_join_like_the_names(tmp_path: Path) -> None:
    root = tmp_path / "music"
    root.mkdir()
    path = make_audio(root / "duet.flac", "flac", seconds=0.3)
    tag(path, artists=["David Bowie", "Queen"], artist_sort=["Bowie, David", "Queen"])
    with LibraryDB(tmp_path / "lib.db") as db:
        Scanner(db, workers=1).scan([root])
        assert db.conn.execute("SELECT artist, artist_sort FROM tracks").fetchone() == (
            "David Bowie; Queen",
            "Bowie, David; Queen",
        )
        entries = artist_entries(db)
        assert [(e.name, e.letter) for e in entries] == [("David Bowie", "B"), ("Queen", "Q")]


# ---- the order of artists -------------------------------------------------------------


def _track(path: str, artist: str, sort: str = "", **more: object) -> TrackInfo:
    return TrackInfo(path=path, title=path, artists=[artist], artist_sort=sort, **more)


@pytest.fixture
def db(tmp_path: Path) -> LibraryDB:
    with LibraryDB(tmp_path / "lib.db") as database:
        database.upsert_tracks(
            [
                _track("/m/1.flac", "The Beatles", "Beatles, The"),
                _track("/m/2.flac", "Cher"),
                _track("/m/3.flac", "David Bowie", "Bowie, David"),
                _track("/m/4.flac", "Aaron Neville"),  # no sort tag: the name itself
                _track("/m/5.flac", "The Doors"),  # no sort tag: "The " dropped
                # two names, two sort names: each pairs with its own
                _track("/m/6.flac", "Ellie Goulding; Zedd", "Goulding, Ellie; Zedd"),
                # two names, one sort name: it pairs with neither, both fall back
                _track("/m/7.flac", "Eve / Yann Tiersen", "Tiersen, Yann"),
                _track(
                    "/m/8.flac",
                    "Someone",
                    composer="Wolfgang Amadeus Mozart",
                    composer_sort="Mozart, Wolfgang Amadeus",
                ),
            ]
        )
        yield database


def test_artists_sort_and_file_by_their_sort_tags(db: LibraryDB) -> None:
    entries = [e for e in artist_entries(db) if e.name]
    assert [(e.name, e.letter) for e in entries] == [
        ("Aaron Neville", "A"),
        ("The Beatles", "B"),
        ("David Bowie", "B"),
        ("Cher", "C"),
        ("The Doors", "D"),
        ("Eve", "E"),
        ("Ellie Goulding", "G"),
        ("Someone", "S"),
        ("Yann Tiersen", "Y"),
        ("Zedd", "Z"),
    ]
    beatles = entries[1]
    assert beatles.sort_key == "beatles, the"
    # the letter strip: B holds The Beatles first, D no longer holds David Bowie
    assert [e.name for e in entries if e.letter == "B"] == ["The Beatles", "David Bowie"]
    assert [e.name for e in entries if e.letter == "D"] == ["The Doors"]


def test_album_artists_without_a_tag_of_their_own_use_the_artists_sort_tag(
    db: LibraryDB,
) -> None:
    db.upsert_tracks(
        [
            _track("/m/9.flac", "Tom Waits", "Waits, Tom", album_artists=["Tom Waits"]),
        ]
    )
    entries = {e.name: e for e in artist_entries(db, "album_artist")}
    # no album-artist tag: the album artist is the artist, and so is its sort tag
    assert entries["David Bowie"].letter == "B"
    # an album artist of its own without an album-artist sort tag: the name itself
    assert entries["Tom Waits"].letter == "T"
    composers = [e for e in artist_entries(db, "composer") if e.name]
    assert [(e.name, e.letter) for e in composers] == [("Wolfgang Amadeus Mozart", "M")]


def test_browser_tree_and_track_list_order_artists_by_sort_name(db: LibraryDB) -> None:
    top = [key[0] for key, _ in browse.groups(db, "artist_album")]
    assert top[:5] == ["Aaron Neville", "The Beatles", "David Bowie", "Cher", "The Doors"]
    ids = browse.group_track_ids(db, "artist_album", ())
    paths = [db.get_track(i).path for i in ids]
    assert paths[:5] == ["/m/4.flac", "/m/1.flac", "/m/3.flac", "/m/2.flac", "/m/5.flac"]
    rows = search(db, "", order="artist")
    assert [r["artist"] for r in rows[:5]] == [
        "Aaron Neville",
        "The Beatles",
        "David Bowie",
        "Cher",
        "The Doors",
    ]
    descending = search(db, "", order="-artist")
    assert [r["artist"] for r in descending[-3:]] == ["David Bowie", "The Beatles", "Aaron Neville"]
    # the track list's Artist column, both ways
    everything = TrackSource("All", "1", ())
    up = [db.get_track(i).artist for i in load_ids(db, everything, sort="artist")]
    assert up[:5] == ["Aaron Neville", "The Beatles", "David Bowie", "Cher", "The Doors"]
    down = [db.get_track(i).artist for i in load_ids(db, everything, "artist", descending=True)]
    assert down[-3:] == ["David Bowie", "The Beatles", "Aaron Neville"]


# ---- migration from version 8 ---------------------------------------------------------


def _version_8_library(path: Path, audio: Path) -> None:
    """A library as Kindred wrote it at schema version 8, holding one scanned file."""
    conn = sqlite3.connect(path, isolation_level=None)
    for migration in MIGRATIONS[:8]:
        migration(conn)
    st = os.stat(audio)
    conn.execute(
        "INSERT INTO tracks (path, title, artists, artist, album_artist, album, folder, "
        "size, mtime_ns, added_at, updated_at) VALUES (?, 'Come Together', "
        "'[\"The Beatles\"]', 'The Beatles', 'The Beatles', 'Abbey Road', ?, ?, ?, 1, 1)",
        (str(audio), str(audio.parent), st.st_size, st.st_mtime_ns),
    )
    conn.execute("PRAGMA user_version = 8")
    conn.close()


def test_version_8_library_migrates_and_the_next_scan_reads_sort_tags(tmp_path: Path) -> None:
    root = tmp_path / "music"
    root.mkdir()
    audio = make_audio(root / "song.ape", "ape", seconds=0.3)  # hand-made: no ffmpeg needed
    tag(audio, title="Come Together", artists=["The Beatles"], album="Abbey Road", **SORT_TAGS)
    _version_8_library(tmp_path / "old.db", audio)
    raw = sqlite3.connect(tmp_path / "old.db")
    columns = {r[1] for r in raw.execute("PRAGMA table_info(tracks)")}
    assert "artist_sort" not in columns  # version 1's table, as it always was
    raw.close()

    with LibraryDB(tmp_path / "old.db") as db:
        assert db.version() == SCHEMA_VERSION >= 9
        columns = {r[1] for r in db.conn.execute("PRAGMA table_info(tracks)")}
        assert columns >= {"artist_sort", "album_artist_sort", "composer_sort", "album_sort"}
        assert "tracks_album_owner" in {
            r[0] for r in db.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
        }
        [(track_id, sort)] = db.conn.execute("SELECT id, artist_sort FROM tracks").fetchall()
        assert sort is None  # read before sort tags were kept
        # although size and mtime match, the file counts as changed until read again
        assert db.file_index()[str(audio)][1] == -1
        summary = Scanner(db, workers=1).scan([root])
        assert (summary.updated, summary.added, summary.unchanged) == (1, 0, 0)
        row = db.conn.execute("SELECT id, artist_sort, album_sort, mtime_ns FROM tracks").fetchone()
        assert row == (track_id, "Beatles, The", "Abbey Road (2019)", os.stat(audio).st_mtime_ns)
        # read once: the scan after skips it again
        again = Scanner(db, workers=1).scan([root])
        assert (again.updated, again.unchanged) == (0, 1)
        assert db.integrity_check() == "ok"


def test_files_without_sort_tags_are_not_read_again(tmp_path: Path) -> None:
    root = tmp_path / "music"
    root.mkdir()
    audio = make_audio(root / "plain.ape", "ape", seconds=0.3)
    tag(audio, title="Plain", artists=["Nobody"])
    with LibraryDB(tmp_path / "lib.db") as db:
        Scanner(db, workers=1).scan([root])
        assert db.conn.execute("SELECT artist_sort FROM tracks").fetchone() == ("",)
        assert Scanner(db, workers=1).scan([root]).unchanged == 1


def test_albums_are_grouped_over_the_album_owner_index(db: LibraryDB) -> None:
    plan = db.conn.execute(f"EXPLAIN QUERY PLAN {ALBUMS_SQL}").fetchall()
    detail = " ".join(str(r[-1]) for r in plan)
    assert "COVERING INDEX tracks_album_owner" in detail
    assert "TEMP B-TREE" not in detail


@pytest.mark.parametrize("role", ["artist", "album_artist", "composer"])
def test_artists_of_each_role_are_read_from_one_index(db: LibraryDB, role: str) -> None:
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)  # what SQLite is asked to run
    try:
        artist_entries(db, role)
        browse.groups(db, f"{role}_album")
    finally:
        db.conn.set_trace_callback(None)
    plans = [
        " ".join(str(r[-1]) for r in db.conn.execute(f"EXPLAIN QUERY PLAN {sql}"))
        for sql in statements
        if sql.lstrip().upper().startswith("SELECT")
    ]
    assert len(plans) == 2
    for plan in plans:  # each walks its index in name order: no sorting of the table
        assert f"COVERING INDEX tracks_{role}_sort" in plan, plan
        assert "FOR GROUP BY" not in plan, plan


def test_cue_tracks_keep_the_audio_files_sort_tags_where_they_keep_its_names(
    tmp_path: Path,
) -> None:
    from player.library.cue import cue_tracks

    sheet = tmp_path / "album.cue"
    sheet.write_text(
        'FILE "album.flac" WAVE\n'
        "  TRACK 01 AUDIO\n"
        '    TITLE "One"\n'
        "    INDEX 01 00:00:00\n"
        "  TRACK 02 AUDIO\n"
        '    TITLE "Two"\n'
        '    PERFORMER "Guest Star"\n'
        "    INDEX 01 01:00:00\n",
        encoding="utf-8",
    )
    audio = TrackInfo(
        path=str(tmp_path / "album.flac"),
        artists=["David Bowie"],
        artist_sort="Bowie, David",
        album="Low",
        album_sort="Low (1977)",
        duration=120.0,
    )
    one, two = cue_tracks(sheet, audio)
    assert (one.artist, one.artist_sort, one.album_sort) == (
        "David Bowie",
        "Bowie, David",
        "Low (1977)",
    )
    assert (two.artist, two.artist_sort) == ("Guest Star", "")
