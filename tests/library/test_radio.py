"""Radio stations in the library store: CRUD, M3U/PLS import and export, migration."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from player.errors import LibraryError
from player.library.playlist_files import read_playlist
from player.library.radio import RadioStations
from player.library.store import MIGRATIONS, SCHEMA_VERSION, LibraryDB
from player.library.track import TrackInfo


@pytest.fixture
def radio(tmp_path: Path) -> RadioStations:
    db = LibraryDB(tmp_path / "lib.db")
    yield RadioStations(db)
    db.close()


def test_add_list_rename_remove(radio: RadioStations) -> None:
    jazz = radio.add("http://jazz.example/live.mp3", "Jazz FM", genre="jazz", now=10.0)
    rock = radio.add("https://rock.example/stream.pls", "  all   rock  ", now=11.0)
    assert rock.name == "all rock"
    assert [s.name for s in radio.list_stations()] == ["all rock", "Jazz FM"]
    assert radio.get(jazz.id) == jazz
    assert jazz.genre == "jazz" and jazz.added_at == 10.0

    renamed = radio.rename(jazz.id, "Smooth Jazz")
    assert renamed.name == "Smooth Jazz" and renamed.url == jazz.url
    assert radio.find("smooth") == [renamed]
    assert radio.find(str(rock.id)) == [rock]

    assert radio.remove(rock.id) is True
    assert radio.remove(rock.id) is False
    assert radio.list_stations() == [renamed]


def test_a_station_needs_a_stream_url(radio: RadioStations) -> None:
    for bad in ("", "/home/me/song.mp3", "file:///x.mp3", "not a url", "http://"):
        with pytest.raises(LibraryError, match="Not a stream address"):
            radio.add(bad, "x")
    station = radio.add("http://example.org:8000/live")
    assert station.name == "example.org:8000/live"  # no name given: the address


def test_duplicate_urls_are_refused_readably(radio: RadioStations) -> None:
    radio.add("http://a.example/live", "A")
    with pytest.raises(LibraryError) as info:
        radio.add("http://a.example/live", "Again")
    assert info.value.short == "Already in your stations: A"
    b = radio.add("http://b.example/live", "B")
    with pytest.raises(LibraryError, match="already uses"):
        radio.update(b.id, url="http://a.example/live")
    assert radio.update(b.id, url="http://b2.example/live").url == "http://b2.example/live"
    with pytest.raises(LibraryError, match="No radio station"):
        radio.rename(9999, "x")


def test_import_m3u_takes_names_from_extinf(radio: RadioStations, tmp_path: Path) -> None:
    m3u = tmp_path / "stations.m3u"
    m3u.write_text(
        "#EXTM3U\n"
        "#EXTINF:-1,Radio Paradise - Main Mix\n"
        "http://stream.example/rp.mp3\n"
        "http://noname.example/live\n"
        "#EXTINF:-1,A local file\n"
        "music/song.flac\n"
        "#EXTINF:-1,Again\n"
        "http://stream.example/rp.mp3\n",
        encoding="utf-8",
    )
    result = radio.import_playlist(m3u)
    assert [(s.name, s.url) for s in result.added] == [
        ("Radio Paradise - Main Mix", "http://stream.example/rp.mp3"),
        ("noname.example/live", "http://noname.example/live"),
    ]
    assert len(result.skipped) == 2
    assert "local file" in result.skipped[0] and "already saved" in result.skipped[1]


def test_import_pls_takes_names_from_titles(radio: RadioStations, tmp_path: Path) -> None:
    pls = tmp_path / "stations.pls"
    pls.write_text(
        "[playlist]\nFile1=http://one.example/a\nTitle1=(#1 - 12/500) One FM\nLength1=-1\n"
        "File2=https://two.example/b.aac\nTitle2=Two\nLength2=-1\n"
        "NumberOfEntries=2\nVersion=2\n",
        encoding="latin-1",
    )
    added = radio.import_playlist(pls).added
    assert [s.name for s in added] == ["(#1 - 12/500) One FM", "Two"]


@pytest.mark.parametrize("fmt", ["m3u", "pls", "xspf"])
def test_export_then_import_round_trips(radio: RadioStations, tmp_path: Path, fmt: str) -> None:
    radio.add("http://a.example/live.mp3", "Ärger Radio")
    radio.add("https://b.example/x.pls?id=3&q=1", "B - Jazz")
    out = radio.export_playlist(tmp_path / f"mine.{fmt}")
    entries = read_playlist(out).entries
    assert [(e.location, e.display_title) for e in entries] == [  # in name order
        ("https://b.example/x.pls?id=3&q=1", "B - Jazz"),
        ("http://a.example/live.mp3", "Ärger Radio"),
    ]
    with LibraryDB(tmp_path / "other.db") as db:
        again = RadioStations(db)
        again.import_playlist(out)
        assert [(s.name, s.url) for s in again.list_stations()] == [
            (s.name, s.url) for s in radio.list_stations()
        ]


def test_export_needs_a_known_format(radio: RadioStations, tmp_path: Path) -> None:
    with pytest.raises(LibraryError, match="format"):
        radio.export_playlist(tmp_path / "stations.txt")


def test_version_1_database_migrates_and_keeps_its_data(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with LibraryDB(path) as db:  # build a version 1 library by hand
        db.conn.execute("DROP TABLE radio_stations")
        db.conn.execute("PRAGMA user_version = 1")
        [track_id] = db.upsert_tracks([TrackInfo(path="/m/a.flac", title="Kept")])
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == 1
    assert "radio_stations" not in {r[0] for r in raw.execute("SELECT name FROM sqlite_master")}
    raw.close()

    with LibraryDB(path) as db:
        assert db.version() == SCHEMA_VERSION == len(MIGRATIONS)
        assert db.get_track(track_id).title == "Kept"
        station = RadioStations(db).add("http://x.example/live", "X")
        assert RadioStations(db).list_stations() == [station]
        assert db.integrity_check() == "ok"


def test_fresh_v1_schema_from_migrations_upgrades(tmp_path: Path) -> None:
    """A database made by the version 1 migration alone (as Kindred 1 wrote it)."""
    path = tmp_path / "v1.db"
    conn = sqlite3.connect(path, isolation_level=None)
    MIGRATIONS[0](conn)
    conn.execute("PRAGMA user_version = 1")
    conn.close()
    with LibraryDB(path) as db:
        assert db.version() == SCHEMA_VERSION
        assert "radio_stations" in db.table_names()


def test_titles_a_station_played_are_kept_newest_first(radio: RadioStations) -> None:
    from player.library import radio as radio_module

    jazz = radio.add("http://jazz.example/live.mp3", "Jazz FM")
    rock = radio.add("http://rock.example/live.mp3", "Rock")
    assert radio.record_title(jazz.id, "Miles Davis - So What", now=1.0)
    assert not radio.record_title(jazz.id, "  Miles Davis -  So What ", now=2.0)  # a repeat
    assert not radio.record_title(jazz.id, "   ", now=3.0)
    assert radio.record_title(jazz.id, "Nina Simone - Sinnerman", now=4.0)
    assert radio.record_title(rock.id, "Queen - Bohemian Rhapsody", now=5.0)
    assert not radio.record_title(9999, "Nobody", now=6.0)
    assert [(t.title, t.heard_at) for t in radio.recent_titles(jazz.id)] == [
        ("Nina Simone - Sinnerman", 4.0),
        ("Miles Davis - So What", 1.0),
    ]
    for i in range(radio_module.KEEP_TITLES + 5):
        radio.record_title(rock.id, f"Song {i}", now=10.0 + i)
    kept = radio.recent_titles(rock.id, limit=1000)
    assert len(kept) == radio_module.KEEP_TITLES
    assert kept[0].title == f"Song {radio_module.KEEP_TITLES + 4}"
    assert radio.remove(jazz.id)
    assert radio.recent_titles(jazz.id) == []
    assert radio.db.query("SELECT COUNT(*) FROM radio_titles WHERE station_id = ?", (jazz.id,)) == [
        (0,)
    ]
