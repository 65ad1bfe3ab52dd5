"""Searching a real library database with the query language."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from player.errors import QueryError
from player.library import search as search_module
from player.library.search import (
    RESULT_COLUMNS,
    count,
    fetch_rows,
    result_rows,
    search,
    search_ids,
)
from player.library.store import LibraryDB
from player.library.track import TrackInfo

DAY = 86400.0
NOW = time.time()

TRACKS = [
    TrackInfo("/m/Radiohead/Pablo Honey/02 Creep.mp3", title="Creep", artists=["Radiohead"],
              album="Pablo Honey", track_number=2, disc_number=1, year=1993,
              genres=["Alternative Rock"], codec="mp3", format="MP3", bitrate=320000,
              sample_rate=44100, duration=238.6),
    TrackInfo("/m/Radiohead/OK Computer/02 Paranoid Android.flac", title="Paranoid Android",
              artists=["Radiohead"], album="OK Computer", track_number=2, disc_number=1,
              year=1997, genres=["Alternative Rock"], codec="flac", format="FLAC", lossless=True,
              bit_depth=24, sample_rate=96000, bitrate=2900000, duration=387.0),
    TrackInfo("/m/Beyonce/Halo.m4a", title="Halo", artists=["Beyoncé"],
              album="I Am... Sasha Fierce", track_number=3, year=2008, genres=["Pop"],
              codec="aac", format="MP4", bitrate=256000, sample_rate=44100, duration=261.0),
    TrackInfo("/m/Pink Floyd/The Wall/2-06 Comfortably Numb.flac", title="Comfortably Numb",
              artists=["Pink Floyd"], album="The Wall", track_number=6, disc_number=2,
              year=1979, genres=["Progressive Rock"], composer="David Gilmour; Roger Waters",
              codec="flac", format="FLAC", lossless=True, bit_depth=16, sample_rate=44100,
              bitrate=1000000, duration=382.0),
    TrackInfo("/m/live/Pink Floyd - Pulse/Comfortably Numb (Live).mp3",
              title="Comfortably Numb (Live)", artists=["Pink Floyd"], album="Pulse",
              track_number=9, year=1995, genres=["Rock"], codec="mp3", format="MP3",
              bitrate=192000, sample_rate=44100, duration=563.0),
    TrackInfo("/m/逃跑计划/世界/01 夜空中最亮的星.flac", title="夜空中最亮的星", artists=["逃跑计划"],
              album="世界", track_number=1, year=2011, genres=["Rock"], codec="flac",
              format="FLAC", lossless=True, bit_depth=16, sample_rate=44100, duration=252.0),
    TrackInfo("/m/いきものがかり/ありがとう.mp3", title="ありがとう", artists=["いきものがかり"],
              album="ハジマリノウタ", year=2010, genres=["J-Pop"], codec="mp3", format="MP3",
              bitrate=256000, duration=275.0),
    TrackInfo("/m/Sigur Ros/Hoppipolla.ogg", title="Hoppípolla", artists=["Sigur Rós"],
              album="Takk...", year=2005, genres=["Post-Rock"], codec="vorbis",
              format="Ogg Vorbis", bitrate=224000, duration=268.0, bpm=120.0),
    TrackInfo("/m/!!!/Heart of Hearts.mp3", title="Heart of Hearts", artists=["!!!"],
              album="Myth Takes", year=2007, genres=["Dance-Punk"], codec="mp3", format="MP3",
              bitrate=192000, duration=300.0),
    TrackInfo("/m/Miles Davis/Kind of Blue/01 So What.flac", title="So What",
              artists=["Miles Davis"], album="Kind of Blue", track_number=1, year=1959,
              genres=["Jazz"], codec="flac", format="FLAC", lossless=True, bit_depth=24,
              sample_rate=192000, duration=562.0, bpm=136.0, initial_key="Dm"),
    TrackInfo("/m/Classical/Bach Cello Suite 1.flac", title="Cello Suite No. 1 in G major",
              artists=["Yo-Yo Ma"], album="Bach: Cello Suites", track_number=1,
              genres=["Classical"], composer="Johann Sebastian Bach", codec="flac",
              format="FLAC", lossless=True, bit_depth=16, sample_rate=44100, duration=150.0),
]  # fmt: skip


def make_library(path: Path) -> LibraryDB:
    library = LibraryDB(path)
    with library.transaction():
        library.upsert_tracks(TRACKS[:-1], now=NOW - 400 * DAY)
        library.upsert_tracks(TRACKS[-1:], now=NOW - 2 * DAY)  # added recently
    return library


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LibraryDB]:
    """One library shared by the tests that only read."""
    library = make_library(tmp_path_factory.mktemp("search") / "lib.db")
    yield library
    library.close()


@pytest.fixture
def fresh_db(tmp_path: Path) -> Iterator[LibraryDB]:
    """A library of its own, for tests that rate or play tracks."""
    library = make_library(tmp_path / "lib.db")
    yield library
    library.close()


def ids_of(db: LibraryDB, *titles: str) -> set[int]:
    wanted = set(titles)
    rows = db.tracks()
    assert wanted <= {row["title"] for row in rows}
    return {row["id"] for row in rows if row["title"] in wanted}


def titles(db: LibraryDB, query: str, **kw: object) -> list[str]:
    return [row["title"] for row in search(db, query, **kw)]  # type: ignore[arg-type]


def found(db: LibraryDB, query: str) -> set[str]:
    return set(titles(db, query, limit=None))


# ---- words -----------------------------------------------------------------------------


def test_empty_query_lists_every_track_in_album_order(db: LibraryDB) -> None:
    rows = search(db, "", limit=None)
    assert len(rows) == len(TRACKS) == count(db, "")
    keys = [
        (r["album_artist"], r["album"], r["disc_number"] or 0, r["track_number"] or 0, r["path"])
        for r in rows
    ]
    assert keys == sorted(keys)


def test_case_and_diacritics_do_not_matter(db: LibraryDB) -> None:
    assert found(db, "RADIOHEAD") == {"Creep", "Paranoid Android"}
    assert found(db, "beyonce") == {"Halo"}
    assert found(db, "Beyoncé") == {"Halo"}
    assert found(db, "sigur ros hoppipolla") == {"Hoppípolla"}


def test_words_are_prefixes_and_all_must_match(db: LibraryDB) -> None:
    assert found(db, "radioh") == {"Creep", "Paranoid Android"}
    assert found(db, "radiohead parano") == {"Paranoid Android"}
    assert found(db, "radiohead halo") == set()


def test_words_match_album_genre_and_composer(db: LibraryDB) -> None:
    assert found(db, "sasha") == {"Halo"}
    assert found(db, "jazz") == {"So What"}
    assert found(db, "gilmour") == {"Comfortably Numb"}


def test_phrases_keep_word_order(db: LibraryDB) -> None:
    assert found(db, '"comfortably numb"') == {"Comfortably Numb", "Comfortably Numb (Live)"}
    assert found(db, '"numb comfortably"') == set()
    assert found(db, '"comfortably nu"') == set()  # phrases are whole words


def test_punctuation_only_words_still_find_something(db: LibraryDB) -> None:
    assert found(db, "!!!") == {"Heart of Hearts"}


# ---- Chinese, Japanese ----------------------------------------------------------------


def test_cjk_substrings_of_two_and_more_characters(db: LibraryDB) -> None:
    assert found(db, "最亮") == {"夜空中最亮的星"}
    assert found(db, "最亮的") == {"夜空中最亮的星"}
    assert found(db, "中最亮的星") == {"夜空中最亮的星"}
    assert found(db, "逃跑") == {"夜空中最亮的星"}  # in the artist
    assert found(db, "最暗") == set()
    assert found(db, "亮") == {"夜空中最亮的星"}


def test_short_cjk_words_rank_the_most_focused_text_first(tmp_path: Path) -> None:
    with LibraryDB(tmp_path / "cjk.db") as db:
        db.upsert_tracks(
            [
                TrackInfo(
                    "/a.mp3", title="晴天", artists=["周杰伦"], album="叶惠美", genres=["流行"]
                ),
                TrackInfo("/b.mp3", title="晴天", artists=["周杰伦"]),
                TrackInfo("/c.mp3", title="雨天", artists=["孙燕姿"]),
            ]
        )
        assert [r["path"] for r in search(db, "晴天")] == ["/b.mp3", "/a.mp3"]
        assert [r["path"] for r in search(db, "晴天", order="path")] == ["/a.mp3", "/b.mp3"]
        assert [r["path"] for r in search(db, "晴天", limit=1, offset=1)] == ["/a.mp3"]
        assert count(db, "晴天") == 2 and count(db, "天") == 3


def test_japanese_kana(db: LibraryDB) -> None:
    assert found(db, "がかり") == {"ありがとう"}
    assert found(db, "あり") == {"ありがとう"}
    assert found(db, "ハジマリ") == {"ありがとう"}
    assert found(db, "ありがとう rock") == set()


def test_cjk_mixed_with_filters_and_words(db: LibraryDB) -> None:
    assert found(db, "逃跑 year:2011") == {"夜空中最亮的星"}
    assert found(db, "逃跑 year:2010") == set()
    assert found(db, "最亮 rock") == {"夜空中最亮的星"}


# ---- field filters ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("artist:radiohead", {"Creep", "Paranoid Android"}),
        ('artist:"pink floyd"', {"Comfortably Numb", "Comfortably Numb (Live)"}),
        ("artist:beyonce", {"Halo"}),
        ("title:radiohead", set()),
        ("title:creep", {"Creep"}),
        ('album:"ok computer"', {"Paranoid Android"}),
        ("albumartist:miles", {"So What"}),
        ("genre:rock", {"Creep", "Paranoid Android", "Comfortably Numb",
                        "Comfortably Numb (Live)", "夜空中最亮的星", "Hoppípolla"}),
        ('genre:"progressive rock"', {"Comfortably Numb"}),
        ("composer:bach", {"Cello Suite No. 1 in G major"}),
        ("artist:逃跑", {"夜空中最亮的星"}),
        ("artist:がかり", {"ありがとう"}),
        ("title:逃跑", set()),
        ("year:1997", {"Paranoid Android"}),
        ("year:1990..1999", {"Creep", "Paranoid Android", "Comfortably Numb (Live)"}),
        ("year:>=2010", {"夜空中最亮的星", "ありがとう"}),
        ("year:<1960", {"So What"}),
        ("year:..1979", {"So What", "Comfortably Numb"}),
        ("codec:FLAC", {"Paranoid Android", "Comfortably Numb", "夜空中最亮的星", "So What",
                        "Cello Suite No. 1 in G major"}),
        ("format:mp4", {"Halo"}),
        ("format:ogg", {"Hoppípolla"}),
        ("lossless:no genre:rock", {"Creep", "Comfortably Numb (Live)", "Hoppípolla"}),
        ("samplerate:>=96k", {"Paranoid Android", "So What"}),
        ("samplerate:192000", {"So What"}),
        ("bitdepth:24", {"Paranoid Android", "So What"}),
        ("bitrate:>=256 lossless:no", {"Creep", "Halo", "ありがとう"}),
        ("bitrate:320", {"Creep"}),
        ("duration:>9m", {"Comfortably Numb (Live)", "So What"}),
        ("duration:<3:30", {"Cello Suite No. 1 in G major"}),
        ("duration:238..239", {"Creep"}),
        ("path:/m/live/", {"Comfortably Numb (Live)"}),
        ("folder:classical", {"Cello Suite No. 1 in G major"}),
        ("filename:.ogg", {"Hoppípolla"}),
        ("track:2 disc:1", {"Creep", "Paranoid Android"}),
        ("disc:2", {"Comfortably Numb"}),
        ("bpm:130..140", {"So What"}),
        ("bpm:120", {"Hoppípolla"}),
        ("key:dm", {"So What"}),
    ],
)  # fmt: skip
def test_field_filters(db: LibraryDB, query: str, expected: set[str]) -> None:
    assert found(db, query) == expected
    assert count(db, query) == len(expected)


def test_ratings_and_likes(fresh_db: LibraryDB) -> None:
    db = fresh_db
    creep, halo, numb = sorted(ids_of(db, "Creep", "Halo", "Comfortably Numb"))
    db.set_rating(creep, rating=5)
    db.set_rating(halo, rating=4, liked=True)
    db.set_rating(numb, rating=2)
    assert found(db, "rating:>=4") == {"Creep", "Halo"}
    assert found(db, "rating:2") == {"Comfortably Numb"}
    assert count(db, "rating:0") == len(TRACKS) - 3  # unrated counts as 0
    assert found(db, "liked:yes") == {"Halo"}
    assert count(db, "liked:no") == len(TRACKS) - 1
    [row] = search(db, "halo")
    assert (row["rating"], row["liked"]) == (4, True)
    [row] = search(db, "so what")
    assert (row["rating"], row["liked"]) == (0, False)


def test_play_history(fresh_db: LibraryDB) -> None:
    db = fresh_db
    [creep] = ids_of(db, "Creep")
    [halo] = ids_of(db, "Halo")
    for _ in range(3):
        db.record_play(creep, listened_ms=200_000, finished=True, played_at=NOW - 2 * DAY)
    db.record_play(halo, listened_ms=200_000, finished=True, played_at=NOW - 500 * DAY)
    assert found(db, "played:<30d") == {"Creep"}
    assert found(db, "played:<2y") == {"Creep", "Halo"}
    assert found(db, "plays:>2") == {"Creep"}
    assert found(db, "played:ever") == {"Creep", "Halo"}
    never_or_old = found(db, "played:>1y")
    assert "Halo" in never_or_old and "So What" in never_or_old  # never played counts
    assert "Creep" not in never_or_old
    assert count(db, "played:never") == len(TRACKS) - 2
    assert found(db, "played:1d..7d") == {"Creep"}


def test_added(db: LibraryDB) -> None:
    assert found(db, "added:<7d") == {"Cello Suite No. 1 in G major"}
    assert count(db, "added:>1y") == len(TRACKS) - 1
    assert found(db, "added:<7d") == set(titles(db, "added:<7d", now=NOW))
    assert found(db, "added:<1d") == set()


# ---- negation, OR, grouping ---------------------------------------------------------------


def test_negation(db: LibraryDB) -> None:
    assert found(db, "pink floyd -live") == {"Comfortably Numb"}
    assert found(db, "numb -path:live") == {"Comfortably Numb"}
    assert "Creep" not in found(db, "-genre:rock")
    assert count(db, "-genre:rock") == len(TRACKS) - 6


def test_negated_filter_keeps_tracks_without_the_value(db: LibraryDB) -> None:
    without_1979 = found(db, "-year:1979")
    assert "Cello Suite No. 1 in G major" in without_1979  # has no year at all
    assert "Comfortably Numb" not in without_1979
    assert len(without_1979) == len(TRACKS) - 1


def test_negation_alone_lists_everything_else(db: LibraryDB) -> None:
    assert count(db, "-radiohead") == len(TRACKS) - 2
    assert count(db, "-最亮") == len(TRACKS) - 1


def test_or_and_grouping(db: LibraryDB) -> None:
    assert found(db, "creep OR halo") == {"Creep", "Halo"}
    assert found(db, "creep | year:1959") == {"Creep", "So What"}
    assert found(db, "(radiohead OR beyonce) year:>=2000") == {"Halo"}
    assert found(db, "radiohead year:>=2000 OR beyonce") == {"Halo"}
    assert found(db, "-(radiohead OR genre:rock) lossless:yes") == {
        "So What",
        "Cello Suite No. 1 in G major",
    }
    assert found(db, "逃跑 OR がかり") == {"夜空中最亮的星", "ありがとう"}


def test_injection_attempts_are_only_text(db: LibraryDB) -> None:
    assert search(db, 'artist:"x\' OR 1=1 --"') == []
    assert search(db, "'; DROP TABLE tracks; --x") == []
    assert search(db, 'title:"creep"" OR ""1"') == []
    assert db.track_count() == len(TRACKS)


def test_malformed_query_raises(db: LibraryDB) -> None:
    with pytest.raises(QueryError, match="did you mean 'artist'"):
        search(db, "artst:radiohead")
    with pytest.raises(QueryError):
        count(db, '"unclosed')


# ---- ordering, paging, rows ---------------------------------------------------------------


def test_relevance_puts_names_before_genres(tmp_path: Path) -> None:
    with LibraryDB(tmp_path / "rank.db") as db:
        db.upsert_tracks(
            [
                TrackInfo("/a.mp3", title="Something", artists=["Halo Benders"]),
                TrackInfo("/b.mp3", title="Zebra", artists=["B"], genres=["Halo Rock"]),
                TrackInfo("/c.mp3", title="Halo", artists=["C"]),
                # bm25 needs the word to be rare to weigh it at all
                *(TrackInfo(f"/f{i}.mp3", title=f"Filler {i}", artists=["D"]) for i in range(10)),
            ]
        )
        assert titles(db, "halo") == ["Halo", "Something", "Zebra"]
        assert titles(db, "halo", order="title") == ["Halo", "Something", "Zebra"]
        assert titles(db, "halo", order="-title") == ["Zebra", "Something", "Halo"]


def test_broad_queries_fall_back_to_album_order(
    db: LibraryDB, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_module, "RANK_MAX", 1)
    rows = search(db, "rock")
    keys = [(r["album_artist"], r["album"]) for r in rows]
    assert len(rows) == 6 and keys == sorted(keys)


def test_order_keys(db: LibraryDB) -> None:
    years = [row["year"] for row in search(db, "year:>0", order="-year")]
    assert years == sorted(years, reverse=True) and len(years) == len(TRACKS) - 1
    assert titles(db, "radiohead", order="year") == ["Creep", "Paranoid Android"]
    assert titles(db, "radiohead", order="-year") == ["Paranoid Android", "Creep"]
    with pytest.raises(QueryError, match="Unknown sort order 'loudness'"):
        search(db, "", order="year,loudness")


@pytest.mark.parametrize("walk", [True, False])
@pytest.mark.parametrize("query", ["", "genre:rock", "year:1990..2010", "lossless:yes", "逃跑"])
def test_both_album_plans_give_the_same_page(
    db: LibraryDB, monkeypatch: pytest.MonkeyPatch, walk: bool, query: str
) -> None:
    expected = search_ids(db, query, order="album", limit=None)
    monkeypatch.setattr(search_module, "_walk_is_cheaper", lambda *args: walk)
    assert search_ids(db, query, limit=3, offset=1) == expected[1:4]


def test_walking_survives_a_schema_without_the_album_index(
    fresh_db: LibraryDB, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = search_ids(fresh_db, "genre:rock", order="album", limit=None)
    fresh_db.conn.execute("DROP INDEX tracks_album")
    monkeypatch.setattr(search_module, "_walk_is_cheaper", lambda *args: True)
    assert search_ids(fresh_db, "genre:rock", limit=10) == expected


def test_limit_offset_and_ids_agree(db: LibraryDB) -> None:
    everything = search(db, "", limit=None)
    ids = [row["id"] for row in everything]
    assert search_ids(db, "") == ids
    assert [r["id"] for r in search(db, "", limit=4)] == ids[:4]
    assert [r["id"] for r in search(db, "", limit=4, offset=4)] == ids[4:8]
    assert search(db, "", limit=4, offset=len(ids)) == []
    ranked = search_ids(db, "rock")
    assert search_ids(db, "rock", limit=2, offset=1) == ranked[1:3]
    assert count(db, "rock") == len(ranked) == 6


def test_non_utf8_paths_come_back_as_text(db: LibraryDB) -> None:
    import os

    weird = os.fsdecode(b"/music/caf\xe9-\xff.flac")
    db.upsert_tracks([TrackInfo(path=weird, title="Undecodable name")])
    [row] = search(db, "undecodable")
    assert row["path"] == weird
    [whole] = search(db, "undecodable", full=True)
    assert whole["path"] == weird and whole["folder"] == "/music"


def test_result_rows_carry_what_a_result_line_shows(fresh_db: LibraryDB) -> None:
    db = fresh_db
    [row] = search(db, "paranoid")
    assert tuple(row) == RESULT_COLUMNS
    [whole] = search(db, "paranoid", full=True)
    assert row == {k: whole[k] for k in RESULT_COLUMNS}  # the same values as a whole row
    assert result_rows(db, [row["id"], 999_999]) == [row]
    # a rated, liked track: the same shape as fetch_rows gives
    db.set_rating(row["id"], rating=3, liked=True)
    [rated] = search(db, "paranoid")
    assert (rated["rating"], rated["liked"]) == (3, True)
    assert rated == {k: fetch_rows(db, [row["id"]])[0][k] for k in RESULT_COLUMNS}


def test_rows_look_like_library_rows(db: LibraryDB) -> None:
    [row] = search(db, "paranoid", full=True)
    [plain] = db.tracks("id = ?", [row["id"]])
    assert row["artists"] == ["Radiohead"] and row["genres"] == ["Alternative Rock"]
    listed = {k: v for k, v in row.items() if k not in ("rating", "liked")}
    assert listed == {k: v for k, v in plain.items() if k in listed}
    assert "lyrics" not in row and "content_key" not in row  # lists stay light
    assert {
        "path",
        "title",
        "artist",
        "album",
        "year",
        "genre",
        "duration",
        "codec",
        "sample_rate",
        "bit_depth",
        "lossless",
        "play_count",
        "added_at",
    } <= set(row)
    assert fetch_rows(db, [row["id"], 999_999]) == [row]
