"""The query language: parsing, value units, errors with positions, SQL compilation."""

from __future__ import annotations

import sqlite3

import pytest

from player.errors import QueryError
from player.library.query import (
    CJK_TABLE,
    FIELDS,
    FTS_TABLE,
    And,
    Filter,
    Not,
    Or,
    Text,
    compile_query,
    complete_field,
    find_field,
    parse,
)

DAY = 86400.0
NOW = 1_700_000_000.0


# ---- structure ------------------------------------------------------------------


def test_empty_and_blank_queries_match_everything() -> None:
    assert parse("") == And(())
    assert parse("   \t ") == And(())
    compiled = compile_query("")
    assert (compiled.where, compiled.params, compiled.has_text) == ("1", [], False)


def test_words_are_an_implicit_and_with_positions() -> None:
    node = parse("radioh  ok")
    assert node == And((Text("radioh"), Text("ok")))
    assert isinstance(node, And)
    assert [child.pos for child in node.children] == [0, 8]  # type: ignore[union-attr]


def test_single_word_is_not_wrapped() -> None:
    assert parse("creep") == Text("creep")


def test_quoted_phrase_and_doubled_quote_inside() -> None:
    assert parse('"pink floyd" numb') == And((Text("pink floyd", phrase=True), Text("numb")))
    assert parse('"say ""hi"""') == Text('say "hi"', phrase=True)


def test_or_binds_looser_than_and() -> None:
    assert parse("a b OR c d") == Or((And((Text("a"), Text("b"))), And((Text("c"), Text("d")))))
    assert parse("a | b") == Or((Text("a"), Text("b")))
    assert parse("a|b") == Or((Text("a"), Text("b")))


def test_lowercase_or_is_a_word() -> None:
    assert parse("this or that") == And((Text("this"), Text("or"), Text("that")))


def test_explicit_and_keyword_is_accepted() -> None:
    assert parse("a AND b") == parse("a b")


def test_parentheses_group() -> None:
    assert parse("(a OR b) c") == And((Or((Text("a"), Text("b"))), Text("c")))
    assert parse("((a))") == Text("a")


def test_negation_binds_tightest() -> None:
    assert parse("-live a") == And((Not(Text("live")), Text("a")))
    assert parse("-genre:rock") == Not(Filter("genre", "~", "rock"))
    assert parse("-(a OR b)") == Not(Or((Text("a"), Text("b"))))
    assert parse('-"live at"') == Not(Text("live at", phrase=True))


def test_hyphen_inside_a_word_is_not_negation() -> None:
    assert parse("jay-z") == Text("jay-z")


# ---- fields and values ------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("artist:radiohead", Filter("artist", "~", "radiohead")),
        ('artist:"pink floyd"', Filter("artist", "~", "pink floyd", phrase=True)),
        ("ARTIST:x", Filter("artist", "~", "x")),
        ("album:ok", Filter("album", "~", "ok")),
        ("albumartist:various", Filter("albumartist", "~", "various")),
        ("album_artist:various", Filter("albumartist", "~", "various")),
        ("title:creep", Filter("title", "~", "creep")),
        ("genre:rock", Filter("genre", "~", "rock")),
        ("composer:bach", Filter("composer", "~", "bach")),
        ("year:1994", Filter("year", "=", 1994)),
        ("year:=1994", Filter("year", "=", 1994)),
        ("year:1990..1999", Filter("year", "between", (1990, 1999))),
        ("year:>=2000", Filter("year", ">=", 2000)),
        ("year:>2000", Filter("year", ">", 2000)),
        ("year:<1970", Filter("year", "<", 1970)),
        ("year:<=1970", Filter("year", "<=", 1970)),
        ("year:..2000", Filter("year", "<=", 2000)),
        ("year:1990..", Filter("year", ">=", 1990)),
        ("rating:>=4", Filter("rating", ">=", 4)),
        ("rating:0", Filter("rating", "=", 0)),
        ("liked:yes", Filter("liked", "=", True)),
        ("liked:no", Filter("liked", "=", False)),
        ("lossless:true", Filter("lossless", "=", True)),
        ("lossless:0", Filter("lossless", "=", False)),
        ("compilation:n", Filter("compilation", "=", False)),
        ("codec:flac", Filter("codec", "=", "flac")),
        ("format:mp3", Filter("format", "=", "mp3")),
        ("key:Am", Filter("key", "=", "Am")),
        ("samplerate:>=96000", Filter("samplerate", ">=", 96000)),
        ("samplerate:96k", Filter("samplerate", "=", 96000)),
        ("samplerate:44.1khz", Filter("samplerate", "=", 44100)),
        ("samplerate:48", Filter("samplerate", "=", 48000)),
        ("samplerate:8000hz", Filter("samplerate", "=", 8000)),
        ("bitdepth:24", Filter("bitdepth", "=", 24)),
        ("bitdepth:>=24bit", Filter("bitdepth", ">=", 24)),
        ("bitrate:>=256", Filter("bitrate", ">=", 256000)),
        ("bitrate:320k", Filter("bitrate", "=", 320000)),
        ("bitrate:128..192kbps", Filter("bitrate", "between", (128000, 192000))),
        ("duration:>5m", Filter("duration", ">", 300)),
        ("duration:<3:30", Filter("duration", "<", 210)),
        ("duration:1:02:03", Filter("duration", "=", 3723)),
        ("duration:90", Filter("duration", "=", 90)),
        ("duration:90s", Filter("duration", "=", 90)),
        ("duration:1h30m", Filter("duration", "=", 5400)),
        ("duration:5m30", Filter("duration", "=", 330)),
        ("length:2:00..4:00", Filter("duration", "between", (120, 240))),
        ("plays:>10", Filter("plays", ">", 10)),
        ("skips:0", Filter("skips", "=", 0)),
        ("played:<30d", Filter("played", "<", 30 * DAY)),
        ("played:30d", Filter("played", "<", 30 * DAY)),
        ("played:>1y", Filter("played", ">", 365 * DAY)),
        ("played:<12h", Filter("played", "<", 12 * 3600.0)),
        ("played:<2w", Filter("played", "<", 14 * DAY)),
        ("played:>6m", Filter("played", ">", 180 * DAY)),
        ("played:7d..30d", Filter("played", "between", (7 * DAY, 30 * DAY))),
        ("played:never", Filter("played", "never", None)),
        ("played:ever", Filter("played", "ever", None)),
        ("added:<7d", Filter("added", "<", 7 * DAY)),
        ("added:<3days", Filter("added", "<", 3 * DAY)),
        ("path:live/", Filter("path", "~", "live/")),
        ('folder:"my music"', Filter("folder", "~", "my music", phrase=True)),
        ("filename:.dsf", Filter("filename", "~", ".dsf")),
        ("comment:promo", Filter("comment", "~", "promo")),
        ("track:3", Filter("track", "=", 3)),
        ("disc:2", Filter("disc", "=", 2)),
        ("channels:>2", Filter("channels", ">", 2)),
        ("bpm:120..130", Filter("bpm", "between", (120, 130))),
        ("bpm:128.5", Filter("bpm", "=", 128.5)),
    ],
)
def test_filter_values(query: str, expected: Filter) -> None:
    assert parse(query) == expected


def test_filter_records_its_position() -> None:
    node = parse("a year:1994")
    assert isinstance(node, And)
    assert node.children[1].pos == 2  # type: ignore[union-attr]


def test_every_field_has_help_and_a_working_example() -> None:
    names = set()
    for spec in FIELDS:
        assert spec.help and spec.example.startswith(f"{spec.name}:")
        parse(spec.example)  # must not raise
        compile_query(spec.example, now=NOW)
        names.add(spec.name)
    required = {
        "artist", "album", "albumartist", "title", "genre", "composer", "year", "rating",
        "liked", "codec", "format", "lossless", "samplerate", "bitdepth", "bitrate",
        "duration", "plays", "played", "added", "path", "folder", "track", "disc", "bpm", "key",
    }  # fmt: skip
    assert required <= names


def test_find_and_complete_fields() -> None:
    assert find_field("Album_Artist") is find_field("albumartist")
    assert find_field("nope") is None
    assert complete_field("al") == ["album", "albumartist"]
    assert complete_field("zz") == []


# ---- errors -------------------------------------------------------------------------


def error(query: str) -> QueryError:
    with pytest.raises(QueryError) as info:
        parse(query)
    assert info.value.query == query
    return info.value


def test_unknown_field_suggests_the_closest() -> None:
    err = error("love artst:radiohead")
    assert err.message == "Unknown field 'artst' — did you mean 'artist'?"
    assert err.position == 5
    assert "^" in err.detail and "(at character 6)" in err.short


def test_unknown_field_without_a_close_match_says_how_to_search_for_it() -> None:
    err = error("http://example")
    assert "Unknown field 'http'" in err.message and "quotes" in err.message
    assert parse('"http://example"') == Text("http://example", phrase=True)


@pytest.mark.parametrize(
    ("query", "needle", "position"),
    [
        ("year:199x", "not a whole number", 5),
        ("a year:1999..19x0", "not a whole number", 13),
        ("year:2000..1990", "starts after it ends", 5),
        ("year:..", "Empty range", 5),
        ("year:>=1990..2000", "range or a comparison", 5),
        ("year:>=", "Missing value", 7),
        ("played:<30x", "Unknown time unit 'x'", 8),
        ("played:<30", "Give a time unit", 8),
        ("added:never", "only with 'played'", 6),
        ("duration:abc", "not a duration", 9),
        ("duration:1:2:3:4", "not a duration", 9),
        ("bitrate:fast", "not a number", 8),
        ("rating:6", "goes from 0 to 5", 7),
        ("liked:maybe", "yes or no", 6),
        ("artist:>3", "takes text", 7),
        ('x "open', "Unclosed quote", 2),
        ('artist:"open', "Unclosed quote", 7),
        ("(a OR b", "Unclosed '('", 0),
        ("a (b", "Unclosed '('", 2),
        ("a)", "Unmatched ')'", 1),
        (")", "Unmatched ')'", 0),
        ("a ()", "Empty parentheses", 2),
        ("a OR", "'OR' needs a term", 2),
        ("OR a", "'OR' needs a term", 0),
        ("a OR OR b", "'OR' needs a term", 2),
        ("a | ", "'OR' needs a term", 2),
        ("(a OR) b", "'OR' needs a term", 3),
        ("a AND", "'AND' needs a term", 2),
        ("a -", "'-' must be followed", 2),
        ("a - b", "'-' must be followed", 2),
        ("Radiohead - Creep", "'-' must be followed", 10),
        ("-) a", "'-' must be followed", 0),
        ("artist:", "Empty value for 'artist'", 7),
        ("artist: pink", "Empty value for 'artist'", 7),
        ('artist:""', "Empty value for 'artist'", 7),
        ('""', "Empty quotes", 0),
    ],
)
def test_malformed_queries_report_message_and_position(
    query: str, needle: str, position: int
) -> None:
    err = error(query)
    assert needle in err.message
    assert err.position == position


def test_compile_query_raises_the_same_errors() -> None:
    with pytest.raises(QueryError):
        compile_query("artst:x")


# ---- compilation --------------------------------------------------------------------


def test_positive_words_share_one_match() -> None:
    compiled = compile_query("radioh ok")
    assert compiled.where.count("MATCH") == 1
    assert compiled.params == ['("radioh"*) AND ("ok"*)']
    assert compiled.has_text
    assert (compiled.rank_table, compiled.rank_match) == (FTS_TABLE, compiled.params[0])
    assert compiled.rest_where == "1"


def test_phrases_are_not_prefixes_and_negations_join_the_match() -> None:
    compiled = compile_query('"pink floyd" -live')
    assert compiled.params == ['("pink floyd") NOT ("live"*)']


def test_field_words_become_column_filters() -> None:
    compiled = compile_query('artist:"pink floyd" album:wall')
    assert compiled.params == ['({artist} : "pink floyd") AND ({album} : "wall"*)']
    assert not compiled.has_text


def test_or_of_words_is_one_match() -> None:
    compiled = compile_query("creep OR halo")
    assert compiled.params == ['("creep"*) OR ("halo"*)']
    assert compiled.rank_table == FTS_TABLE


def test_only_negative_words_exclude_through_not_in() -> None:
    compiled = compile_query("-live -demo")
    assert "NOT IN" in compiled.where
    assert compiled.params == ['("live"*) OR ("demo"*)']
    assert not compiled.has_text and compiled.rank_table is None


def test_mixed_filters_keep_the_match_separate_from_the_rest() -> None:
    compiled = compile_query("genre:rock year:1990..1999", now=NOW)
    assert compiled.rank_match == '{genre} : "rock"*'
    assert compiled.rest_params == [1990, 1999]
    assert compiled.params == [compiled.rank_match, 1990, 1999]
    assert "BETWEEN" in compiled.rest_where and "MATCH" not in compiled.rest_where


def test_cjk_words_use_the_trigram_table_or_instr() -> None:
    long = compile_query("夜空中最亮")
    assert (long.rank_table, long.rank_match) == (CJK_TABLE, '"夜空中最亮"')
    short = compile_query("最亮")
    assert (short.rank_table, short.rank_match, short.rank_substring) == (CJK_TABLE, None, "最亮")
    assert "instr(text, ?)" in short.where and short.rest_where == "1"
    assert short.params == ["最亮"] and short.cjk_bound
    assert not compile_query("radiohead").cjk_bound


def test_short_cjk_word_is_kept_out_of_the_rest_only_once() -> None:
    compiled = compile_query("最亮 逃跑 year:2011", now=NOW)
    assert compiled.rank_substring == "最亮"
    assert compiled.rest_params == ["逃跑", 2011]
    assert compiled.params == ["最亮", "逃跑", 2011]
    words = compile_query("最亮 rock")
    assert (words.rank_table, words.rank_substring) == (FTS_TABLE, None)
    assert words.rest_params == ["最亮"]


def test_cjk_text_is_folded_for_the_substring_table() -> None:
    assert compile_query("ｶﾀｶﾅ").rank_match == '"カタカナ"'  # half-width → full-width


def test_cjk_field_filter_checks_the_column() -> None:
    compiled = compile_query("artist:逃跑")
    assert "t.artist LIKE ?" in compiled.where and "tracks_cjk" in compiled.where
    assert compiled.params == ["逃跑", "%逃跑%"]


def test_punctuation_only_words_fall_back_to_like() -> None:
    compiled = compile_query("!!!")
    assert "MATCH" not in compiled.where and "t.artist LIKE ?" in compiled.where
    assert "%!!!%" in compiled.params


def test_like_patterns_escape_wildcards() -> None:
    compiled = compile_query("path:100%_done")
    assert compiled.params == ["%100\\%\\_done%"]


def test_played_and_added_are_anchored_at_now() -> None:
    recent = compile_query("played:<30d", now=NOW)
    assert recent.params == [NOW - 30 * DAY]
    assert "IS NOT NULL" in recent.where
    stale = compile_query("played:>1y", now=NOW)
    assert stale.params == [NOW - 365 * DAY]
    assert "IS NULL OR" in stale.where  # never played counts as "long ago"
    assert compile_query("added:<7d", now=NOW).params == [NOW - 7 * DAY]
    assert compile_query("played:never").where == "t.last_played IS NULL"


def test_measured_values_match_within_rounding() -> None:
    assert compile_query("bitrate:320").params == [319500, 320500]
    assert compile_query("duration:3:30").params == [209.5, 210.5]


def test_has_text_ignores_negated_words() -> None:
    assert compile_query("a -b").has_text
    assert not compile_query("-b year:1990").has_text
    assert compile_query("-(-b)").has_text


INJECTIONS = [
    'artist:"x\' OR 1=1 --"',
    "'; DROP TABLE tracks; --x",
    '"a"" OR ""b"',
    'title:"x"" OR 1=1 --"',
    "path:'%'",
    "(x*) OR (y NEAR z)",
    "{title}:x",
    'key:"\'); DELETE FROM tracks; --"',
    "folder:\\",
]


@pytest.mark.parametrize("query", INJECTIONS)
def test_user_text_never_becomes_sql(query: str) -> None:
    compiled = compile_query(query, now=NOW)
    assert "'" not in compiled.where.replace("ESCAPE '\\'", "")
    assert "DROP" not in compiled.where and "DELETE" not in compiled.where
    # The condition and its MATCH strings run as they are, and find nothing.
    conn = sqlite3.connect(":memory:")
    conn.executescript(
        """
        CREATE TABLE tracks (id INTEGER PRIMARY KEY, title, artist, album, album_artist, genre,
          composer, path, folder, filename, comment, codec, format, initial_key, year,
          last_played, added_at);
        CREATE TABLE ratings (track_id INTEGER PRIMARY KEY, rating, liked);
        CREATE VIRTUAL TABLE tracks_fts USING fts5(title, artist, album, album_artist, genre,
          composer, tokenize = "unicode61 remove_diacritics 2");
        CREATE VIRTUAL TABLE tracks_cjk USING fts5(text, tokenize = "trigram");
        INSERT INTO tracks (id, title, artist, path) VALUES (1, 'Creep', 'Radiohead', '/m/c.mp3');
        INSERT INTO tracks_fts (rowid, title, artist) VALUES (1, 'Creep', 'Radiohead');
        """
    )
    sql = (
        f"SELECT t.id FROM tracks t LEFT JOIN ratings r ON r.track_id = t.id WHERE {compiled.where}"
    )
    assert conn.execute(sql, compiled.params).fetchall() == []
    assert conn.execute("SELECT COUNT(*) FROM tracks").fetchone()[0] == 1
