"""LRCLIB lookups against a strict local LRCLIB, the library's lyrics cache and
offsets, saving a ``.lrc`` beside the audio, and bilingual LRC."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from player.library import lyrics_cache
from player.library.lrclib import (
    INSTRUMENTAL,
    NONE,
    PLAIN,
    SYNCED,
    USER_AGENT,
    LrclibClient,
    TrackQuery,
)
from player.library.lyrics import parse_lrc
from player.library.lyrics_online import LyricsOptions, find_track_lyrics, save_lrc
from player.library.store import LibraryDB
from player.library.track import TrackInfo
from tests.lrclib_server import LrclibServer, Record

SYNCED_TEXT = "[00:01.00]hello\n[00:03.00]world\n"
PLAIN_TEXT = "hello\nworld\n"


def track(tmp_path: Path, name: str = "song.flac", **kw: object) -> TrackInfo:
    path = tmp_path / name
    path.write_bytes(b"\0" * 16)
    values: dict[str, object] = {
        "artists": ["Ana"],
        "title": "Song",
        "album": "Disc",
        "duration": 200.4,
    }
    values.update(kw)
    return TrackInfo(path=str(path), **values)  # type: ignore[arg-type]


@pytest.fixture
def db(tmp_path: Path) -> LibraryDB:
    with LibraryDB(tmp_path / "lib.db") as db:
        yield db


def add(db: LibraryDB, info: TrackInfo) -> int:
    with db.transaction():
        return db.upsert_tracks([info])[0]


# ---- the client against the strict server --------------------------------------------------
def test_get_first_with_all_four_parameters_and_a_user_agent() -> None:
    records = [Record("Song", "Ana", "Disc", 201, synced=SYNCED_TEXT, plain=PLAIN_TEXT)]
    with LrclibServer(records) as server, LrclibClient(server.url) as client:
        found = client.lookup(TrackQuery("ana", "song", "disc", 200.4))
    assert found.kind == SYNCED and found.text == SYNCED_TEXT  # synced preferred
    assert server.paths() == ["/api/get"]
    sent = server.requests[0]
    assert sent.params == {
        "artist_name": "ana",
        "track_name": "song",
        "album_name": "disc",
        "duration": "200",
    }
    assert sent.headers["User-Agent"] == USER_AGENT and "Kindred" in USER_AGENT
    assert server.refused == 0


def test_search_after_a_404_and_plain_when_nothing_is_synced() -> None:
    # the album differs, so /api/get says TrackNotFound and search finds it
    records = [Record("Song", "Ana", "Other album", 200, plain=PLAIN_TEXT)]
    with LrclibServer(records) as server, LrclibClient(server.url) as client:
        found = client.lookup(TrackQuery("Ana", "Song", "Disc", 200))
    assert server.paths() == ["/api/get", "/api/search"]
    assert server.requests[1].params == {"track_name": "Song", "artist_name": "Ana"}
    assert found.kind == PLAIN and found.text == PLAIN_TEXT
    assert server.refused == 0


def test_search_prefers_synced_results_within_the_duration_slack() -> None:
    records = [
        Record("Song", "Ana", "A", 200, plain=PLAIN_TEXT),
        Record("Song", "Ana", "B", 260, synced="[00:01.00]far off\n"),
        Record("Song", "Ana", "C", 201, synced=SYNCED_TEXT),
    ]
    with LrclibServer(records) as server, LrclibClient(server.url) as client:
        found = client.lookup(TrackQuery("Ana", "Song", "", 200))
    assert server.paths() == ["/api/search"]  # no album: /api/get would be refused
    assert found.kind == SYNCED and found.text == SYNCED_TEXT


def test_title_only_searches_with_q() -> None:
    records = [Record("Song", "Ana", "A", 200, plain=PLAIN_TEXT)]
    with LrclibServer(records) as server, LrclibClient(server.url) as client:
        found = client.lookup(TrackQuery("", "Song"))
    assert server.requests[0].params == {"q": "Song"} and found.kind == PLAIN


def test_instrumental_means_no_lyrics() -> None:
    records = [Record("Song", "Ana", "Disc", 200, instrumental=True)]
    with LrclibServer(records) as server, LrclibClient(server.url) as client:
        found = client.lookup(TrackQuery("Ana", "Song", "Disc", 200))
    assert found.kind == INSTRUMENTAL and not found.has_lyrics


def test_the_server_refuses_what_lrclib_would() -> None:
    import httpx

    with LrclibServer([]) as server, httpx.Client() as http:
        missing = http.get(f"{server.url}/api/get", params={"track_name": "x"})
        unknown = http.get(f"{server.url}/api/lyrics")
        posted = http.post(f"{server.url}/api/get")
        absent = http.get(
            f"{server.url}/api/get",
            params={"track_name": "x", "artist_name": "y", "album_name": "z", "duration": "1"},
        )
    assert missing.status_code == 400 and unknown.status_code == 404
    assert posted.status_code == 405
    assert absent.status_code == 404
    assert absent.json() == {
        "code": 404,
        "name": "TrackNotFound",
        "message": "Failed to find specified track",
    }


# ---- finding a track's lyrics: local, cache, online ----------------------------------------
def test_nothing_is_sent_when_the_setting_is_off(tmp_path: Path, db: LibraryDB) -> None:
    info = track(tmp_path)
    track_id = add(db, info)
    with LrclibServer([Record("Song", "Ana", "Disc", 200, synced=SYNCED_TEXT)]) as server:
        result = find_track_lyrics(
            db, info.path, track_id, options=LyricsOptions(online=False, server=server.url)
        )
    assert result.lyrics is None and server.requests == []
    assert lyrics_cache.cache_size(db) == 0


def test_local_lyrics_win_and_send_nothing(tmp_path: Path, db: LibraryDB) -> None:
    info = track(tmp_path)
    Path(info.path).with_suffix(".lrc").write_text("[00:02.00]mine\n", encoding="utf-8")
    track_id = add(db, info)
    with LrclibServer([Record("Song", "Ana", "Disc", 200, synced=SYNCED_TEXT)]) as server:
        result = find_track_lyrics(
            db, info.path, track_id, options=LyricsOptions(online=True, server=server.url)
        )
    assert result.origin == "file" and result.lyrics and result.lyrics.lines[0].text == "mine"
    assert server.requests == []


def test_cached_answer_sends_no_second_request(tmp_path: Path, db: LibraryDB) -> None:
    info = track(tmp_path)
    track_id = add(db, info)
    with LrclibServer([Record("Song", "Ana", "Disc", 200, synced=SYNCED_TEXT)]) as server:
        options = LyricsOptions(online=True, server=server.url)
        first = find_track_lyrics(db, info.path, track_id, options=options)
        second = find_track_lyrics(db, info.path, track_id, options=options)
    assert first.origin == "online" and first.kind == SYNCED
    assert second.origin == "cache" and second.lyrics is not None
    assert [line.text for line in second.lyrics.lines] == ["hello", "world"]
    assert server.paths() == ["/api/get"]


def test_none_found_is_asked_again_after_the_ttl(tmp_path: Path, db: LibraryDB) -> None:
    info = track(tmp_path)
    track_id = add(db, info)
    clock = 1_000_000.0
    with LrclibServer([]) as server:
        options = LyricsOptions(online=True, server=server.url)
        first = find_track_lyrics(db, info.path, track_id, options=options, now=clock)
        assert first.kind == NONE and server.paths() == ["/api/get", "/api/search"]
        day_13 = clock + 13 * 24 * 3600
        again = find_track_lyrics(db, info.path, track_id, options=options, now=day_13)
        assert again.origin == "cache" and len(server.requests) == 2
        server.records.append(Record("Song", "Ana", "Disc", 200, synced=SYNCED_TEXT, id=7))
        day_15 = clock + 15 * 24 * 3600
        later = find_track_lyrics(db, info.path, track_id, options=options, now=day_15)
    assert later.origin == "online" and later.kind == SYNCED
    assert len(server.requests) == 3


def test_found_lyrics_are_saved_beside_the_file_without_overwriting(
    tmp_path: Path, db: LibraryDB
) -> None:
    first, second = track(tmp_path, "one.flac"), track(tmp_path, "two.flac", title="Two")
    ids = [add(db, first), add(db, second)]
    records = [
        Record("Song", "Ana", "Disc", 200, synced=SYNCED_TEXT),
        Record("Two", "Ana", "Disc", 200, synced=SYNCED_TEXT),
    ]
    with LrclibServer(records) as server:
        options = LyricsOptions(online=True, server=server.url, save_lrc=True)
        saved = find_track_lyrics(db, first.path, ids[0], options=options)
        assert saved.saved_to == str(tmp_path / "one.lrc")
        assert (tmp_path / "one.lrc").read_text(encoding="utf-8") == SYNCED_TEXT
        # a file appearing meanwhile (after the lookup began) is never replaced
        assert save_lrc(first.path, "[00:00.00]other\n") is None
        assert (tmp_path / "one.lrc").read_text(encoding="utf-8") == SYNCED_TEXT
    assert not [n for n in os.listdir(tmp_path) if n.endswith(".tmp")]  # no leftovers


def test_save_never_overwrites_a_file_in_another_case(tmp_path: Path) -> None:
    audio = tmp_path / "Song.flac"
    audio.write_bytes(b"")
    (tmp_path / "SONG.LRC").write_text("[00:01.00]mine\n", encoding="utf-8")
    assert save_lrc(audio, SYNCED_TEXT) is None
    assert not (tmp_path / "Song.lrc").exists() or os.path.samefile(
        tmp_path / "Song.lrc", tmp_path / "SONG.LRC"
    )
    assert (tmp_path / "SONG.LRC").read_text(encoding="utf-8") == "[00:01.00]mine\n"


def test_force_asks_even_when_the_setting_is_off(tmp_path: Path, db: LibraryDB) -> None:
    info = track(tmp_path)
    track_id = add(db, info)
    with LrclibServer([Record("Song", "Ana", "Disc", 200, plain=PLAIN_TEXT)]) as server:
        result = find_track_lyrics(
            db, info.path, track_id, options=LyricsOptions(server=server.url), force=True
        )
    assert result.kind == PLAIN and result.requests == 1


# ---- offsets ----------------------------------------------------------------------------------
def test_offsets_are_saved_per_track_and_clamped(tmp_path: Path, db: LibraryDB) -> None:
    a, b = add(db, track(tmp_path, "a.flac")), add(db, track(tmp_path, "b.flac"))
    assert lyrics_cache.set_offset(db, a, 500) == 500
    assert lyrics_cache.set_offset(db, b, -(10**9)) == -lyrics_cache.MAX_OFFSET_MS
    assert lyrics_cache.offset_of(db, a) == 500
    lyrics_cache.set_offset(db, a, 0)
    assert lyrics_cache.offset_of(db, a) == 0
    with db.transaction():
        db.delete_tracks([b])
    assert db.scalar("SELECT COUNT(*) FROM lyrics_offsets") == 0


# ---- bilingual LRC ------------------------------------------------------------------------------
def test_second_line_at_the_same_stamp_is_the_translation() -> None:
    lyrics = parse_lrc(
        "[offset:+200]\n"
        "[00:12.00]月亮代表我的心\n[00:12.00]The moon speaks for my heart\n"
        "[00:15.50]你问我爱你有多深\n[00:15.50]You ask how deep my love is\n"
        "[00:20.00]no translation here\n"
    )
    assert lyrics.has_translation
    assert [(x.time_ms, x.text, x.translation) for x in lyrics.lines] == [
        (11800, "月亮代表我的心", "The moon speaks for my heart"),
        (15300, "你问我爱你有多深", "You ask how deep my love is"),
        (19800, "no translation here", ""),
    ]
    assert lyrics.line_at(15400) == 1


def test_a_file_without_repeated_stamps_has_no_translation() -> None:
    lyrics = parse_lrc("[00:01.00]a\n[00:02.00]b\n[00:01.00][00:03.00]c\n")
    assert not lyrics.has_translation
    # a chorus line sung at several times is a line of its own, not a translation
    assert [(x.time_ms, x.text) for x in lyrics.lines] == [
        (1000, "a"),
        (1000, "c"),
        (2000, "b"),
        (3000, "c"),
    ]
