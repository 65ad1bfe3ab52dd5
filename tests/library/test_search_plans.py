"""Every plan of the search lists the same tracks in the same order.

The planner picks between ranking, gathering and sorting, walking the album
index against the set of matches, and walking it asking the word index about
each track (short prefixes matching much of the library). Each is checked
against the plain statement: the whole condition, sorted by album order.
Ranking several words under a guard (no count first) is checked against
counting every match and sorting them all by bm25. The check of a track's
ASCII text for a prefix is checked against the word index on awkward text.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from player.library import search as search_module
from player.library.query import compile_query
from player.library.search import (
    ALBUM_ORDER,
    FTS_WEIGHTS,
    count,
    fetch_rows,
    search,
    search_ids,
)
from player.library.store import FTS_COLUMNS, SCHEMA_VERSION, LibraryDB
from player.library.track import TrackInfo

WORDS = ["love", "night", "summer", "star", "song", "silence", "moon", "river", "rain",
         "Ölfusá", "Élan", "über", "niño", "Straße", "light", "écho", "dream", "ghost"]  # fmt: skip
ARTISTS = ["Sigur Rós", "Mogwai", "Radiohead", "Massive Attack", "Björk", "Nick Drake",
           "Slowdive", "Low", "Stars of the Lid", "Múm"]  # fmt: skip
GENRES = ["Rock", "Electronic", "Ambient", "Post-Rock", "Jazz"]
SHORT_PREFIXES = ["s", "m", "l", "r", "é", "e", "ni", "st", "sü"]
QUERIES = [*SHORT_PREFIXES, "s -live", "genre:rock", "genre:rock year:1990..2010", "n s", "x"]


def library_tracks(count: int) -> list[TrackInfo]:
    rng = random.Random(5)
    tracks = []
    for i in range(count):
        artist = rng.choice(ARTISTS)
        tracks.append(
            TrackInfo(
                path=f"/m/{artist}/{i // 10:03d}/{i:05d}.flac",
                title=" ".join(rng.sample(WORDS, rng.randint(1, 3))).title(),
                artists=[artist],
                album=f"{rng.choice(WORDS).title()} {i // 10}",
                album_artists=[artist],
                genres=[rng.choice(GENRES)],
                year=rng.randint(1960, 2025),
                track_number=i % 10 + 1,
                duration=200.0,
            )
        )
    rng.shuffle(tracks)  # ids in no album order
    return tracks


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LibraryDB]:
    library = LibraryDB(tmp_path_factory.mktemp("plans") / "lib.db")
    with library.transaction():
        library.upsert_tracks(library_tracks(1500))
    yield library
    library.close()


def reference(db: LibraryDB, query: str) -> list[int]:
    """The matches in album order, by the plainest statement there is."""
    compiled = compile_query(query)
    sql = (
        "SELECT t.id FROM tracks t LEFT JOIN ratings r ON r.track_id = t.id "
        f"WHERE {compiled.where} ORDER BY {ALBUM_ORDER}"
    )
    return [row[0] for row in db.conn.execute(sql, compiled.params)]


def statements(db: LibraryDB, query: str, **kw: object) -> tuple[list[int], list[str]]:
    """``search_ids`` of ``query`` and the statements it ran."""
    ran: list[str] = []
    db.conn.set_trace_callback(ran.append)
    try:
        ids = search_ids(db, query, **kw)  # type: ignore[arg-type]
    finally:
        db.conn.set_trace_callback(None)
    return ids, ran


@pytest.mark.parametrize("query", ["genre:rock", "genre:rock year:1990..2010", "artist:mogwai"])
def test_album_order_plans_from_a_short_count_and_lists_the_same_page(
    db: LibraryDB, monkeypatch: pytest.MonkeyPatch, query: str
) -> None:
    """A query listed by album counts its matches only up to ESTIMATE_CAP (or
    four pages past the offset) to plan; the page is the plain statement's."""
    monkeypatch.setattr(search_module, "ESTIMATE_CAP", 16)
    expected = reference(db, query)
    assert len(expected) > 100
    for limit, offset in [(3, 0), (10, 5), (50, 0), (7, 200)]:
        ids, ran = statements(db, query, limit=limit, offset=offset)
        assert ids == expected[offset : offset + limit], (limit, offset)
        cap = max(16, 4 * (limit + offset)) + 1
        counts = [sql for sql in ran if sql.startswith("SELECT COUNT(*), MAX(rowid)")]
        assert len(counts) == 1 and counts[0].endswith(f"LIMIT {cap})"), counts


def test_a_ranked_query_still_counts_to_rank_max(db: LibraryDB) -> None:
    _ids, ran = statements(db, "love", limit=10)
    counts = [sql for sql in ran if sql.startswith("SELECT COUNT(*), MAX(rowid)")]
    assert len(counts) == 1 and counts[0].endswith(f"LIMIT {search_module.RANK_MAX + 1})")


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("plan", ["chosen", "check", "probe", "set", "gather"])
def test_every_album_plan_lists_the_same_page(
    db: LibraryDB, monkeypatch: pytest.MonkeyPatch, query: str, plan: str
) -> None:
    monkeypatch.setattr(search_module, "RANK_MAX", 20)  # broad: listed by album
    if plan in ("check", "probe", "set"):  # walk the album index, asking about each track
        monkeypatch.setattr(search_module, "_walk_is_cheaper", lambda *args: True)
        cost = 1e9 if plan == "set" else 0.0
        monkeypatch.setattr(search_module, "PROBE_COST", cost)
        monkeypatch.setattr(search_module, "CHECK_COST", cost)
        if plan == "probe":  # the index alone answers, even for an ASCII prefix
            monkeypatch.setattr(search_module, "_ascii_needle", lambda query: None)
    elif plan == "gather":
        monkeypatch.setattr(search_module, "_walk_is_cheaper", lambda *args: False)
    expected = reference(db, query)
    assert len(expected) > 20 or query == "x"
    for limit, offset in [(50, 0), (50, 30), (7, 200), (3000, 0)]:
        ids, ran = statements(db, query, limit=limit, offset=offset)
        assert ids == expected[offset : offset + limit], (limit, offset)
        probed = any("EXISTS (" in sql for sql in ran)
        checked = any("kindred_word_start(" in sql for sql in ran)
        if plan in ("set", "gather"):
            assert not probed and not checked
        elif plan == "probe":  # one prefix of one or two letters, and something matches
            assert probed == (query in SHORT_PREFIXES) and not checked
        elif plan == "check":  # ASCII prefixes are checked, others probed
            assert probed == (query in SHORT_PREFIXES)
            assert checked == (query in SHORT_PREFIXES and query.isascii())
    assert [row["id"] for row in search(db, query, limit=40)] == expected[:40]


def test_short_broad_prefixes_probe_the_index_and_narrow_ones_do_not(
    db: LibraryDB, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_module, "RANK_MAX", 200)
    share = {q: len(reference(db, q)) / 1500 for q in ("s", "gh", "summer")}
    assert share["s"] > 0.5 and share["gh"] < 0.2 and share["summer"] > 0.1
    # Five of 1,500: the walk passes a few tracks, the set would hold a thousand.
    ids, ran = statements(db, "s", limit=5)
    assert any("EXISTS (" in sql for sql in ran) and ids == reference(db, "s")[:5]
    assert any("kindred_word_start(" in sql for sql in ran)  # ASCII text checked first
    ids, ran = statements(db, "é", limit=5)  # a prefix only the index can answer for
    assert any("EXISTS (" in sql for sql in ran) and ids == reference(db, "é")[:5]
    assert not any("kindred_word_start(" in sql for sql in ran)
    monkeypatch.setattr(search_module, "RANK_MAX", 20)
    for query in ("gh", "summer"):  # a small share, or a prefix the index keeps no list for
        ids, ran = statements(db, query, limit=5)
        assert not any("EXISTS (" in sql for sql in ran) and ids == reference(db, query)[:5]


def test_the_word_start_check_answers_as_the_word_index(tmp_path: Path) -> None:
    """The check of a track's text for an ASCII prefix agrees with the word index's
    MATCH for every track it answers for (all-ASCII text: punctuation, digits,
    underscores, apostrophes, control characters), and leaves the others to it."""
    rng = random.Random(8)
    pieces = ["m", "M", "ma", "mo", "ni", "Ni", "nI", "s", "1", "12", "a1", "_m", "m_", "'m",
              "o'ma", "x-m", "x.m", "(mi)", "\tmu", "\x01m", "@m", "^m", "`m", "~s", "xm",
              "xni", "9m", "méa", "Émile", "ßm", "ｍa", "ṁo", "мы", "n\u0303i", "最m"]  # fmt: skip
    tracks = [
        TrackInfo(
            path=f"/w/{i:04d}.flac",
            title=" ".join(rng.choices(pieces, k=rng.randint(0, 4))),
            artists=["".join(rng.choices(pieces, k=rng.randint(1, 3)))],
            album=rng.choice(pieces),
            genres=[rng.choice(["Rock", "Hip-Hop", "M.O.R.", ""])],
            composer=rng.choice(["", "Mozart", "x_m"]),
        )
        for i in range(600)
    ]
    with LibraryDB(tmp_path / "lib.db") as library:
        with library.transaction():
            library.upsert_tracks(tracks)
        search_module._define_word_start(library)
        answered = unknown = 0
        for prefix in ["m", "M", "ma", "mo", "ni", "s", "1", "12", "a", "x", "o"]:
            needle = search_module._ascii_needle(compile_query(prefix))
            assert needle is not None
            checks = library.conn.execute(
                f"SELECT c.id, kindred_word_start(?, {search_module._CONTENT_TEXT}) "
                f"FROM {search_module._FTS_CONTENT} c",
                [needle],
            ).fetchall()
            matched = {
                row[0]
                for row in library.conn.execute(
                    "SELECT rowid FROM tracks_fts WHERE tracks_fts MATCH ?",
                    [compile_query(prefix).rank_match],
                )
            }
            for track_id, answer in checks:
                if answer is None:
                    unknown += 1
                else:
                    answered += 1
                    assert bool(answer) == (track_id in matched), (prefix, track_id)
        assert answered > 1000 and unknown > 1000
    for query in ("é", "sü", "ñ", "m*", '"m"', "m n", "mog"):  # not one ASCII prefix
        assert search_module._ascii_needle(compile_query(query)) is None
    # A column without text (NULL) separates the others as an empty one does.
    word_start = search_module._word_start
    assert word_start(b" mo", None, b"x", b"", b"Moon", None, b"") is True
    assert word_start(b" xm", b"x", None, b"moon", b"", b"", None) is False
    assert word_start(b" mo", None, b"\xc3\x89mo", b"", b"", b"", b"") is None


def test_ranked_results_and_counts_are_unchanged(db: LibraryDB) -> None:
    for query in ("summer night", "sigur", "straße", "echo", "mogwai -live"):
        ids = search_ids(db, query)
        assert sorted(ids) == sorted(reference(db, query)) and count(db, query) == len(ids)
    rows = fetch_rows(db, search_ids(db, "s", limit=5))
    assert [row["id"] for row in rows] == search_ids(db, "s", limit=5)


def plain_ranking(db: LibraryDB, query: str) -> list[int] | None:
    """The matches by relevance, by the plainest statements: every full-text
    match counted, then all sorted by bm25; None when there are too many to rank."""
    match = compile_query(query).rank_match
    fts = "SELECT {} FROM tracks_fts WHERE tracks_fts MATCH ?"
    if db.conn.execute(fts.format("COUNT(*)"), [match]).fetchone()[0] > search_module.RANK_MAX:
        return None
    weights = ", ".join(str(w) for w in FTS_WEIGHTS)
    order = f" ORDER BY bm25(tracks_fts, {weights}), rowid"
    return [row[0] for row in db.conn.execute(fts.format("rowid") + order, [match])]


SEVERAL_WORDS = ["summer night", "love song", "s m", "n s", "st mo", "night dream river", "é s"]


@pytest.mark.parametrize("query", SEVERAL_WORDS)
@pytest.mark.parametrize("rank_max", [20, 150, 5000])
def test_ranking_under_a_guard_lists_what_counting_first_lists(
    db: LibraryDB, monkeypatch: pytest.MonkeyPatch, query: str, rank_max: int
) -> None:
    monkeypatch.setattr(search_module, "RANK_MAX", rank_max)
    ranked = plain_ranking(db, query)
    expected = ranked if ranked is not None else reference(db, query)
    assert expected
    for limit, offset in [(50, 0), (50, 30), (7, 200), (3000, 0)]:
        ids, ran = statements(db, query, limit=limit, offset=offset)
        assert ids == expected[offset : offset + limit], (limit, offset)
        assert "kindred_rank_guard(" in ran[0] or "kindred_rank_guard(" in ran[1]
        counted = any("COUNT(*)" in sql for sql in ran)
        assert counted or ranked is not None  # a broad query is counted after the guard stops
    assert count(db, query) == len(reference(db, query))


def test_the_guard_stops_a_broad_ranking_early_and_a_misjudged_one_is_ranked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tracks = library_tracks(400)
    for i, track in enumerate(tracks):
        track.title = "Alpha Beta" if i < 30 else "Gamma"  # the first ids match, then none
        track.artists = track.album_artists = ["Beta Band"] if i % 2 else ["Delta"]
    monkeypatch.setattr(search_module, "GUARD_SAMPLE", 10)
    with LibraryDB(tmp_path / "lib.db") as db:
        with db.transaction():
            db.upsert_tracks(tracks)
        guard_ran = "kindred_rank_guard("
        # 200 tracks have "beta", spread over the ids: ten of them promise far more than 50
        monkeypatch.setattr(search_module, "RANK_MAX", 50)
        ids, ran = statements(db, "b be", limit=20)
        assert search_module._GUARDS[db].seen == 10 and search_module._GUARDS[db].stopped
        assert ids == reference(db, "b be")[:20] and any("COUNT(*)" in sql for sql in ran)
        # 30 matches, all among the first ids: ten promise too many, but counting says 30
        ids, ran = statements(db, "alpha beta", limit=20)
        assert search_module._GUARDS[db].stopped and any(guard_ran in sql for sql in ran)
        assert ids == (plain_ranking(db, "alpha beta") or [])[:20] and len(ids) == 20
        monkeypatch.setattr(search_module, "RANK_MAX", 5000)
        ids, ran = statements(db, "alpha beta", limit=20)
        assert not search_module._GUARDS[db].stopped and not any("COUNT(*)" in s for s in ran)
        assert ids == (plain_ranking(db, "alpha beta") or [])[:20]


def test_the_track_count_follows_other_connections(tmp_path: Path) -> None:
    path = tmp_path / "lib.db"
    tracks = library_tracks(60)
    with LibraryDB(path) as first, LibraryDB(path) as second:
        with first.transaction():
            first.upsert_tracks(tracks[:30])
        assert search_module._extent(first)[0] == 30
        with second.transaction():
            second.upsert_tracks(tracks[30:])
        assert search_module._extent(first)[0] == 60
        with first.transaction():
            first.conn.execute("DELETE FROM tracks WHERE id IN (SELECT id FROM tracks LIMIT 5)")
        assert search_module._extent(first)[0] == 55 == first.track_count()


def test_migration_keeps_the_word_index_and_adds_prefix_lists(tmp_path: Path) -> None:
    path = tmp_path / "lib.db"
    with LibraryDB(path) as db:
        with db.transaction():
            db.upsert_tracks(library_tracks(300))
        before = {q: search_ids(db, q) for q in ("s", "ni", "summer night", "é", "rock")}
    # The word index as schema version 12 had it: no prefix lists.
    conn = sqlite3.connect(path, isolation_level=None)
    columns = ", ".join(FTS_COLUMNS)
    conn.executescript(
        f"""
        BEGIN;
        CREATE VIRTUAL TABLE old_fts USING fts5({columns},
          tokenize = "unicode61 remove_diacritics 2");
        INSERT INTO old_fts (rowid, {columns}) SELECT rowid, {columns} FROM tracks_fts;
        DROP TABLE tracks_fts;
        ALTER TABLE old_fts RENAME TO tracks_fts;
        PRAGMA user_version = 12;
        COMMIT;
        """
    )
    old_sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'tracks_fts'").fetchone()
    assert "prefix" not in old_sql[0]
    conn.close()
    with LibraryDB(path) as db:
        assert db.version() == SCHEMA_VERSION >= 13
        sql = db.conn.execute("SELECT sql FROM sqlite_master WHERE name = 'tracks_fts'").fetchone()
        assert "prefix = '1 2'" in sql[0]
        assert {q: search_ids(db, q) for q in before} == before
        assert db.conn.execute("SELECT COUNT(*) FROM tracks_fts").fetchone()[0] == 300
