"""Running queries of the search language against the library store.

:func:`search` returns track rows for a result list (the columns a list line
shows, :data:`RESULT_COLUMNS`; ``full=True`` or :func:`fetch_rows` for whole
rows), :func:`search_ids` just the ids (for lazy table models that fetch rows
as they scroll into view) and :func:`count` the number of matches. Results are ranked by relevance when the
query has free words (bm25; a one- or two-character CJK word, which no index
can score, by the length of the text it was found in), otherwise listed by
album: album artist, album, disc, track, path.

Both orders are planned here rather than left to SQLite, because its default
plans are far off for a music library (tens of milliseconds instead of a few):

* ranked results are scored straight from the full-text index, which every
  match must satisfy (see :class:`~player.library.query.CompiledQuery`); only
  the ids of the best page are sorted, whole rows are read for that page alone.
  A very broad query (more than :data:`RANK_MAX` matches, e.g. one letter) is
  listed by album instead, since scoring every match would be slow and
  meaningless. Counting the matches first costs as much as finding them again
  for several words (each a prefix the index expands), so those are ranked
  straight away while a guard counts the matches the ranking passes: past
  :data:`RANK_MAX`, or sooner when the matches seen so far, spread over the
  ids, promise far more, it stops the statement and the query is counted and
  planned as any other;
* album order either walks the album index and stops after one page, or
  gathers all matches and sorts them, whichever costs less for the expected
  share of matches. That share is estimated from the size of the full-text
  match and from a small evenly spread sample of rows. When the match is one
  short prefix (one or two letters, which the word index keeps ready-made) and
  matches a large share of the library, the walk asks about each track it
  passes instead of first gathering every match into a set: for a prefix of
  ASCII letters or digits, a track whose indexed text is all ASCII is checked
  by looking for the prefix at a word start in that text (the word index's
  content, split as its tokenizer splits ASCII: letters and digits make words),
  about 2 µs instead of 6 µs for asking the index, which still answers for
  any other track.

Every plan lists the same tracks in the same order: the album order ends in
path and subtrack, which identify a track.
"""

from __future__ import annotations

import functools
import json
import math
import os
import re
import sqlite3
import weakref
from collections.abc import Callable, Sequence
from typing import Any

from player.errors import QueryError
from player.library.query import FTS_TABLE, CompiledQuery, compile_query
from player.library.store import FTS_COLUMNS, TRACK_COLUMNS, LibraryDB, sort_key_sql
from player.library.track import MULTI_VALUE_FIELDS

#: Weights of the word index columns for bm25: title, artist, album,
#: album artist, genre, composer. Names count more than genres; the album
#: artist is usually the artist again, so it adds little.
FTS_WEIGHTS = (4.0, 3.0, 2.0, 1.0, 1.0, 1.0)
#: Above this many full-text matches results are listed by album, not ranked.
RANK_MAX = 5000
#: Matches counted, at most, to plan a query listed by album (beyond them the
#: count is estimated from how densely the first ids match): reading more of a
#: large match only sharpens an estimate the plans need roughly.
ESTIMATE_CAP = 1024
#: The guard of a ranking (see the module's docstring) stops it once this many
#: matches promise more than ``GUARD_FACTOR * RANK_MAX``.
GUARD_SAMPLE = 128
GUARD_FACTOR = 1.5
_GUARD_FUNCTION = "kindred_rank_guard"
#: Rows read to estimate how many tracks match a filter.
SAMPLE_SIZE = 128
#: Costs in row lookups (a seek into ``tracks``, about 1.5 µs): one row of a
#: full scan, and one entry of the album index checked against a set of ids.
SCAN_COST = 0.3
ENTRY_COST = 0.3
#: Costs of the two ways to test album-index entries against a full-text match:
#: asking the index about one track (a short prefix, read from its prefix
#: index), and putting one match into the set the walk looks entries up in.
PROBE_COST = 4.0
SET_COST = 0.08
#: Cost of checking one track's indexed text for an ASCII prefix at a word
#: start (:func:`_word_start`): a seek into the word index's content and a
#: Python call.
CHECK_COST = 1.7
_CHECK_FUNCTION = "kindred_word_start"
#: A MATCH the index answers for one track cheaply: one prefix of one or two
#: letters (see ``FTS_PREFIXES`` in store/schema.py).
_SHORT_PREFIX = re.compile(r'"[^\W_]{1,2}"\*')
#: A short prefix of ASCII letters and digits, which :func:`_word_start` can check.
_ASCII_PREFIX = re.compile(r'"([0-9A-Za-z]{1,2})"\*')
#: The word index's own copy of the text it indexed, by rowid (an FTS5 table
#: keeps it in ``<name>_content``, columns ``c0`` … in FTS_COLUMNS order).
_FTS_CONTENT = f"{FTS_TABLE}_content"
#: That text's columns as bytes (UTF-8), the arguments of :func:`_word_start`.
_CONTENT_TEXT = ", ".join(f"CAST(c.c{i} AS BLOB)" for i in range(len(FTS_COLUMNS)))

ALBUM_ORDER = "t.album_artist, t.album, t.disc_number, t.track_number, t.path, t.subtrack"
_ALBUM_INDEX = "tracks_album"  # album order, then path, subtrack, year: see store/schema.py

#: Sort keys ``order`` accepts (comma-separated, ``-`` prefix for descending).
ORDER_KEYS: dict[str, str] = {
    "relevance": "",
    "album": ALBUM_ORDER,
    # by sort name: the sort tag, else the name without a leading "The "
    "artist": f"{sort_key_sql('artist', 't.')} COLLATE NOCASE, t.artist COLLATE NOCASE",
    "albumartist": (
        f"{sort_key_sql('album_artist', 't.')} COLLATE NOCASE, t.album_artist COLLATE NOCASE"
    ),
    "title": "t.title COLLATE NOCASE",
    "year": "t.year",
    "added": "t.added_at",
    "played": "t.last_played",
    "plays": "t.play_count",
    "rating": "COALESCE(r.rating, 0)",
    "duration": "t.duration",
    "bitrate": "t.bitrate",
    "path": "t.path",
    "random": "random()",
}

#: What a result row carries: everything a track list shows. Long or internal
#: columns (lyrics, comment, identity keys, MusicBrainz ids) stay out of lists;
#: :meth:`LibraryDB.get_track` gives the whole record.
LIST_COLUMNS: tuple[str, ...] = tuple(
    c
    for c in TRACK_COLUMNS
    if c
    not in {
        "lyrics",
        "comment",
        "content_key",
        "song_key",
        "mb_recording_id",
        "mb_release_id",
        "mb_artist_id",
        "mb_release_group_id",
        "original_date",
        "filename",
        "artist_sort",
        "album_artist_sort",
        "composer_sort",
        "album_sort",
    }
)
_ROW_COLUMNS = (
    "t.id, "
    + ", ".join(f"t.{c}" for c in LIST_COLUMNS)
    + ", t.added_at, t.play_count, t.skip_count, t.last_played"
    + ", COALESCE(r.rating, 0) AS rating, COALESCE(r.liked, 0) AS liked"
)
_FROM = "tracks t LEFT JOIN ratings r ON r.track_id = t.id"
_CHUNK = 500  # ids per statement when reading rows
#: What a search result row carries by default: what a result line shows (the
#: track list's default columns, the CLI's line and its format badge) and what
#: identifies the file. Reading these 20 instead of the 52 of :func:`fetch_rows`
#: is most of the cost of a page of results saved; whoever acts on a track
#: (plays, edits, queues, drags it) reads it whole by id.
RESULT_COLUMNS: tuple[str, ...] = (
    "id",
    "path",
    "subtrack",
    "title",
    "artist",
    "album",
    "album_artist",
    "track_number",
    "disc_number",
    "year",
    "genre",
    "duration",
    "format",
    "codec",
    "bitrate",
    "sample_rate",
    "bit_depth",
    "lossless",
    "rating",
    "liked",
)
_RESULT_SQL = ", ".join(
    f"COALESCE(r.{c}, 0) AS {c}" if c in ("rating", "liked") else f"t.{c}" for c in RESULT_COLUMNS
)
#: Columns the album index holds (``t.id`` is its rowid).
_ALBUM_INDEX_COLUMNS = {
    ("t", c)
    for c in (
        "id",
        "album_artist",
        "album",
        "disc_number",
        "track_number",
        "path",
        "subtrack",
        "year",
    )
}


def search(
    db: LibraryDB,
    query: str | CompiledQuery,
    *,
    limit: int | None = 200,
    offset: int = 0,
    order: str | None = None,
    now: float | None = None,
    full: bool = False,
) -> list[dict[str, Any]]:
    """Tracks matching ``query`` as dicts of :data:`RESULT_COLUMNS` (``rating``
    0 when unrated, ``liked`` a bool); with ``full=True`` whole rows as
    :func:`fetch_rows` gives them.

    ``order`` is ``None`` (relevance for free words, else album order) or sort
    keys from :data:`ORDER_KEYS`, e.g. ``"-year,title"``. ``limit=None``
    returns every match; ``now`` (unix seconds, default the current time)
    anchors ``played:`` and ``added:``. Raises :class:`QueryError` for a
    malformed query or an unknown sort key.
    """
    ids = search_ids(db, query, limit=limit, offset=offset, order=order, now=now)
    return fetch_rows(db, ids) if full else result_rows(db, ids)


def search_ids(
    db: LibraryDB,
    query: str | CompiledQuery,
    *,
    limit: int | None = None,
    offset: int = 0,
    order: str | None = None,
    now: float | None = None,
) -> list[int]:
    """The ids of the matching tracks, in the order :func:`search` lists them."""
    compiled = query if isinstance(query, CompiledQuery) else compile_query(query, now=now)
    keys = _order_keys(order)
    page = " LIMIT ? OFFSET ?"
    page_params = [-1 if limit is None else limit, offset]
    ranked = keys[0][0] == "relevance" and compiled.has_text
    substring = compiled.rank_substring is not None  # cheap to rank, costly to count
    wanted = not substring and (ranked or limit is not None)
    # Counting stops past RANK_MAX (ranked) or ESTIMATE_CAP (listed by album,
    # where only the plan depends on it): beyond it, how densely the first ids
    # match gives an estimate that is enough to plan.
    cap = RANK_MAX + 1 if ranked else max(ESTIMATE_CAP, 4 * ((limit or 0) + offset)) + 1
    if ranked and len(keys) == 1 and _guard_pays(compiled):
        ids = _guarded_ranking(db, compiled, page_params)
        if ids is not None:
            return ids
    matched, last = _match_extent(db, compiled, cap) if wanted else (None, None)
    estimate = _estimate(db, matched, last) if matched == cap else matched
    if ranked and (substring or (matched is not None and matched <= RANK_MAX)):
        sql, params = _ranked(compiled, keys[1:])
        return _ids(db, sql + page, [*params, *page_params])
    keys = [key for key in keys if key[0] != "relevance"] or [("album", False)]
    if keys == [("album", False)]:
        # "+" keeps SQLite from walking the album index when gathering is cheaper.
        sql = f"SELECT t.id FROM {_FROM} WHERE {compiled.where} ORDER BY +{ALBUM_ORDER}"
        if limit is not None and _walk_is_cheaper(db, compiled, estimate, limit + offset, sql):
            needle = _ascii_needle(compiled)
            if needle is not None and _probe_is_cheaper(
                db, compiled, estimate, limit + offset, CHECK_COST
            ):
                _define_word_start(db)
                check = (
                    f"SELECT t.id FROM tracks t INDEXED BY {_ALBUM_INDEX} "
                    f"CROSS JOIN {_FTS_CONTENT} c ON c.id = t.id "
                    f"WHERE ifnull({_CHECK_FUNCTION}(?, {_CONTENT_TEXT}), EXISTS ("
                    f"SELECT 1 FROM {FTS_TABLE} f WHERE f.{FTS_TABLE} MATCH ? AND f.rowid = t.id"
                    f")) ORDER BY {ALBUM_ORDER}"
                )
                try:
                    return _ids(db, check + page, [needle, compiled.rank_match, *page_params])
                except sqlite3.OperationalError as exc:  # another schema
                    if "no such" not in str(exc):
                        raise
            if _probe_is_cheaper(db, compiled, estimate, limit + offset, PROBE_COST):
                probe = (
                    f"SELECT t.id FROM tracks t INDEXED BY {_ALBUM_INDEX} WHERE EXISTS ("
                    f"SELECT 1 FROM {FTS_TABLE} f WHERE f.{FTS_TABLE} MATCH ? AND f.rowid = t.id"
                    f") ORDER BY {ALBUM_ORDER}"
                )
                try:
                    return _ids(db, probe + page, [compiled.rank_match, *page_params])
                except sqlite3.OperationalError as exc:  # a schema without that index
                    if "no such index" not in str(exc):
                        raise
            where, params = _walk_where(compiled)
            walk = (
                f"SELECT t.id FROM tracks t INDEXED BY {_ALBUM_INDEX} "
                f"LEFT JOIN ratings r ON r.track_id = t.id "
                f"WHERE {where} ORDER BY {ALBUM_ORDER}"
            )
            try:
                return _ids(db, walk + page, [*params, *page_params])
            except sqlite3.OperationalError as exc:  # a schema without that index
                if "no such index" not in str(exc):
                    raise
    else:
        sql = f"SELECT t.id FROM {_FROM} WHERE {compiled.where} ORDER BY {_order_sql(keys)}"
    return _ids(db, sql + page, [*compiled.params, *page_params])


def count(db: LibraryDB, query: str | CompiledQuery, *, now: float | None = None) -> int:
    """How many tracks match ``query``."""
    compiled = query if isinstance(query, CompiledQuery) else compile_query(query, now=now)
    if compiled.rank_table is not None and compiled.rest_where == "1":
        return _match_count(db, compiled) or 0
    sql = f"SELECT COUNT(*) FROM {_FROM} WHERE {compiled.where}"
    return int(db.execute(sql, compiled.params).fetchone()[0])


def fetch_rows(db: LibraryDB, ids: Sequence[int]) -> list[dict[str, Any]]:
    """Rows (as :func:`search` gives them) for ``ids``, in that order; gone ids are skipped."""

    def whole(names: list[str], values: tuple[Any, ...]) -> dict[str, Any]:
        row = dict(zip(names, values, strict=True))
        for name in MULTI_VALUE_FIELDS:  # as db.decode_row, but names repeat a lot
            row[name] = list(_json_list(row[name]))
        row["liked"] = bool(row["liked"])
        for name in ("path", "cue_path", "folder"):
            if row[name].__class__ is bytes:  # a file name that is not UTF-8
                row[name] = os.fsdecode(row[name])
        return row

    return _rows_by_id(db, _ROW_COLUMNS, ids, whole)


def result_rows(db: LibraryDB, ids: Sequence[int]) -> list[dict[str, Any]]:
    """Rows of :data:`RESULT_COLUMNS` for ``ids``, in that order; gone ids are skipped."""

    def light(_names: list[str], values: tuple[Any, ...]) -> dict[str, Any]:
        row = dict(zip(RESULT_COLUMNS, values, strict=True))
        row["liked"] = bool(row["liked"])
        if row["path"].__class__ is bytes:  # a file name that is not UTF-8
            row["path"] = os.fsdecode(row["path"])
        return row

    return _rows_by_id(db, _RESULT_SQL, ids, light)


def _rows_by_id(
    db: LibraryDB,
    columns: str,
    ids: Sequence[int],
    make: Callable[[list[str], tuple[Any, ...]], dict[str, Any]],
) -> list[dict[str, Any]]:
    """``make(column names, values)`` of each track in ``ids``, read ``_CHUNK`` at a
    time, in the order of ``ids``; gone ids are skipped."""
    rows: dict[int, dict[str, Any]] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = list(ids[start : start + _CHUNK])
        marks = ", ".join("?" for _ in chunk)
        cursor = db.execute(f"SELECT {columns} FROM {_FROM} WHERE t.id IN ({marks})", chunk)
        names = [d[0] for d in cursor.description]
        for values in cursor.fetchall():
            row = make(names, values)
            rows[row["id"]] = row
    return [rows[i] for i in ids if i in rows]


@functools.lru_cache(maxsize=4096)
def _json_list(text: str) -> tuple[Any, ...]:
    return tuple(json.loads(text))


# ---- planning -------------------------------------------------------------------


def _ids(db: LibraryDB, sql: str, params: list[Any]) -> list[int]:
    return [row[0] for row in db.execute(sql, params)]


def _order_keys(order: str | None) -> list[tuple[str, bool]]:
    """``"-year,title"`` as ``[("year", True), ("title", False)]``."""
    if not order or not order.strip():
        return [("relevance", False)]
    keys = []
    pos = 0
    for part in order.split(","):
        name = part.strip()
        descending = name.startswith("-")
        name = name.lstrip("-").strip().lower()
        if name not in ORDER_KEYS:
            known = ", ".join(ORDER_KEYS)
            raise QueryError(f"Unknown sort order '{name}' (use one of {known})", order, pos)
        keys.append((name, descending))
        pos += len(part) + 1
    return keys


def _order_sql(keys: list[tuple[str, bool]]) -> str:
    parts = []
    for name, descending in keys:
        for column in ORDER_KEYS[name].split(", "):
            parts.append(f"{column} DESC" if descending else column)
    return ", ".join([*parts, ALBUM_ORDER])


def _ranked(
    query: CompiledQuery, keys: list[tuple[str, bool]], *, guard: bool = False
) -> tuple[str, list[Any]]:
    """Ids by relevance, read from the full-text table (joined to tracks only when needed).

    Word matches rank by bm25; short CJK substrings (no index, no bm25) by the
    length of the text they were found in, so that the most focused match
    comes first. ``guard``: each match passes :class:`_RankGuard` first (only
    for a query whose ranking reads the full-text table alone).
    """
    table = query.rank_table
    assert table is not None
    condition, param = _lead(query)
    if guard:
        assert query.rest_where == "1" and not keys
        condition += f" AND {_GUARD_FUNCTION}({table}.rowid)"
    if query.rank_substring is not None:
        rank = f"length({table}.text)"
    elif table == FTS_TABLE:
        rank = f"bm25({table}, {', '.join(str(w) for w in FTS_WEIGHTS)})"
    else:
        rank = f"bm25({table})"
    then = [_order_sql(keys)] if keys else []
    order_sql = ", ".join([rank, *then, f"{table}.rowid"])
    if query.rest_where == "1" and not keys:
        return f"SELECT rowid FROM {table} WHERE {condition} ORDER BY {order_sql}", [param]
    sql = (
        f"SELECT t.id FROM {table} JOIN tracks t ON t.id = {table}.rowid "
        f"LEFT JOIN ratings r ON r.track_id = t.id "
        f"WHERE {condition} AND {query.rest_where} ORDER BY {order_sql}"
    )
    return sql, [param, *query.rest_params]


def _guard_pays(query: CompiledQuery) -> bool:
    """Whether ranking under a guard beats counting first: several words (each
    expanded by the index twice otherwise) and nothing else to check."""
    return (
        query.rank_table == FTS_TABLE
        and query.rank_substring is None
        and query.rest_where == "1"
        and ") AND (" in (query.rank_match or "")
    )


class _Broad(Exception):
    """Raised by :class:`_RankGuard` to stop a ranking statement."""


class _RankGuard:
    """Called by a ranking statement for each full-text match (SQL function
    ``kindred_rank_guard(rowid)``, always true); raises :class:`_Broad` past
    :data:`RANK_MAX` matches, or once :data:`GUARD_SAMPLE` matches, which the
    index yields by rowid, promise more than ``GUARD_FACTOR * RANK_MAX``."""

    def __init__(self) -> None:
        self.seen = 0
        self.low = 0
        self.span = 1
        self.stopped = False

    def start(self, low: int, high: int) -> None:
        self.seen, self.low, self.span, self.stopped = 0, low, max(1, high - low + 1), False

    def __call__(self, rowid: int) -> int:
        self.seen = seen = self.seen + 1
        if seen > RANK_MAX or (
            seen >= GUARD_SAMPLE
            and seen * self.span > GUARD_FACTOR * RANK_MAX * (rowid - self.low + 1)
        ):
            self.stopped = True
            raise _Broad
        return 1


_GUARDS: weakref.WeakKeyDictionary[LibraryDB, _RankGuard] = weakref.WeakKeyDictionary()


def _guarded_ranking(db: LibraryDB, query: CompiledQuery, page: list[Any]) -> list[int] | None:
    """The page of ``query`` ranked, or None when its guard stopped it (broad)."""
    guard = _GUARDS.get(db)
    if guard is None:
        guard = _GUARDS[db] = _RankGuard()
        db.define_function(_GUARD_FUNCTION, 1, guard)
    sql, params = _ranked(query, [], guard=True)
    _total, low, high = _extent(db)
    guard.start(low, high)
    try:
        return _ids(db, sql + " LIMIT ? OFFSET ?", [*params, *page])
    except sqlite3.OperationalError:
        if guard.stopped:
            return None
        raise


def _lead(query: CompiledQuery) -> tuple[str, Any]:
    """The condition on ``rank_table`` every match satisfies, and its parameter."""
    table = query.rank_table
    if query.rank_substring is not None:
        return f"instr({table}.text, ?) > 0", query.rank_substring
    return f"{table} MATCH ?", query.rank_match


def _match_extent(
    db: LibraryDB, query: CompiledQuery, cap: int | None
) -> tuple[int | None, int | None]:
    """:func:`_match_count`, and the largest rowid among the matches counted.

    The index yields matches by rowid, so where counting stopped at ``cap``
    tells how densely the first ids match.
    """
    if query.rank_table is None:
        return None, None
    if cap is None:
        return _match_count(db, query), None
    condition, param = _lead(query)
    sql = (
        f"SELECT COUNT(*), MAX(rowid) FROM "
        f"(SELECT rowid FROM {query.rank_table} WHERE {condition} LIMIT ?)"
    )
    found, last = db.execute(sql, [param, cap]).fetchone()
    return int(found), last


def _match_count(db: LibraryDB, query: CompiledQuery, cap: int | None = None) -> int | None:
    """Rows of the full-text table every result is among, up to ``cap`` (None without one)."""
    if query.rank_table is None:
        return None
    condition, param = _lead(query)
    if cap is None:
        sql, params = f"SELECT COUNT(*) FROM {query.rank_table} WHERE {condition}", [param]
    else:
        sql = f"SELECT COUNT(*) FROM (SELECT 1 FROM {query.rank_table} WHERE {condition} LIMIT ?)"
        params = [param, cap]
    return int(db.execute(sql, params).fetchone()[0])


def _walk_is_cheaper(
    db: LibraryDB, query: CompiledQuery, matched: int | None, need: int, gather_sql: str
) -> bool:
    """Whether walking the album index until ``need`` matches beats gathering and sorting.

    Walking reads about ``need / share`` index entries and looks up the rows
    of those that pass the full-text match (all of them without one).
    Gathering looks up the rows of the full-text match, or what an index on a
    filtered column yields (about the matches), or, when SQLite would scan,
    reads the whole table at a lower cost per row.
    """
    if query.where == "1":
        return True
    if query.cjk_bound or (matched is not None and matched <= need * 4):
        return False
    total = _extent(db)[0]
    if total == 0:
        return False
    share = _sampled_share(db, query.rest_where, query.rest_params, total)
    if matched is not None:
        share *= matched / total
    if share == 0:
        return False
    if matched is not None:
        gather = float(matched)
    elif _scans(db, gather_sql, query.params):
        gather = total * SCAN_COST
    else:
        gather = share * total
    looked_up = 1.0 if matched is None else matched / total
    return need / share * (ENTRY_COST + looked_up) < gather


def _scans(db: LibraryDB, sql: str, params: list[Any]) -> bool:
    """Whether SQLite would read every row of ``tracks`` for ``sql``."""
    details = [str(row[-1]) for row in db.execute(f"EXPLAIN QUERY PLAN {sql}", params)]
    return any(d == "SCAN t" or (d.startswith("SCAN t ") and "COVERING" not in d) for d in details)


def _sampled_share(db: LibraryDB, where: str, params: list[Any], total: int) -> float:
    """The share of tracks matching ``where``, from rows spread evenly over the ids."""
    if where == "1":
        return 1.0
    _total, low, high = _extent(db)
    step = max(1, math.ceil((high - low + 1) / min(SAMPLE_SIZE, total)))
    sql = (
        "WITH RECURSIVE s(x) AS (SELECT ? UNION ALL SELECT x + ? FROM s WHERE x + ? <= ?) "
        f"SELECT COUNT(*), TOTAL(CASE WHEN {where} THEN 1 ELSE 0 END) "
        "FROM s CROSS JOIN tracks t ON t.id = s.x LEFT JOIN ratings r ON r.track_id = t.id"
    )
    seen, hits = db.execute(sql, [low, step, step, high, *params]).fetchone()
    return hits / seen if seen else 0.0


def _walk_where(query: CompiledQuery) -> tuple[str, list[Any]]:
    """The condition for walking the album index: the rest first when the index
    holds every column it reads (a year range), so that most entries are passed
    over before they are looked up in the set of full-text matches."""
    rest = query.rest_where
    if query.rank_table is None or query.rank_substring is not None or rest == "1":
        return query.where, query.params
    columns = set(re.findall(r"\b(\w+)\.(\w+)", rest))
    if "SELECT" in rest or not columns or not columns <= _ALBUM_INDEX_COLUMNS:
        return query.where, query.params
    condition, param = _lead(query)
    lead = f"t.id IN (SELECT rowid FROM {query.rank_table} WHERE {condition})"
    return f"({rest}) AND {lead}", [*query.rest_params, param]


def _estimate(db: LibraryDB, found: int, last: int | None) -> int:
    """How many tracks match, when counting stopped after ``found`` at id ``last``."""
    total, low, high = _extent(db)
    if last is None or high <= low or total == 0:
        return found
    covered = (last - low + 1) / (high - low + 1) * total
    return max(found, min(total, round(found * total / max(covered, 1.0))))


def _probe_is_cheaper(
    db: LibraryDB, query: CompiledQuery, matched: int | None, need: int, cost: float
) -> bool:
    """Whether the walk should ask about each track (a short prefix matching a
    large share), at ``cost`` a track, rather than look it up in the set of all
    matches (about ``matched``)."""
    if (
        query.rank_table != FTS_TABLE
        or query.rank_substring is not None
        or query.rest_where != "1"
        or matched is None
        or not _SHORT_PREFIX.fullmatch(query.rank_match or "")
    ):
        return False
    total = _extent(db)[0]
    if total == 0 or matched == 0:
        return False
    walked = need * total / matched
    estimate = float(matched)
    return walked * cost < estimate * SET_COST + walked * ENTRY_COST


def _ascii_needle(query: CompiledQuery) -> bytes | None:
    """For a query that is one short prefix of ASCII letters and digits, what
    :func:`_word_start` looks for: a space and the prefix in lower case."""
    if query.rank_table != FTS_TABLE or query.rank_substring is not None:
        return None
    found = _ASCII_PREFIX.fullmatch(query.rank_match or "")
    return None if found is None else b" " + found[1].lower().encode("ascii")


#: ASCII as the word index's tokenizer (unicode61) splits it: letters (folded to
#: lower case) and digits make words, every other byte separates them.
_WORDS_ONLY = bytes(
    c + 32 if 65 <= c <= 90 else c if 48 <= c <= 57 or 97 <= c <= 122 else 32 for c in range(256)
)


_JOINED = b" %b" * len(FTS_COLUMNS)


def _word_start(needle: bytes, *columns: bytes | None) -> bool | None:
    """Whether a word of ``columns`` (a track's indexed text) starts with
    ``needle`` (a space and an ASCII prefix in lower case), as the word index
    would answer; None when the text is not all ASCII, where its tokenizer's
    Unicode rules (other letters, diacritics folded away) decide."""
    try:
        text = _JOINED % columns  # each column after a space: words never span two
    except TypeError:  # a NULL column
        text = b" " + b" ".join(c for c in columns if c is not None)
    if not text.isascii():
        return None
    return needle in text.translate(_WORDS_ONLY)


def _define_word_start(db: LibraryDB) -> None:
    db.define_function(_CHECK_FUNCTION, 1 + len(FTS_COLUMNS), _word_start)


_EXTENTS: weakref.WeakKeyDictionary[
    sqlite3.Connection, tuple[tuple[int, int], tuple[int, int, int]]
]
_EXTENTS = weakref.WeakKeyDictionary()


def _extent(db: LibraryDB) -> tuple[int, int, int]:
    """How many tracks there are, and the lowest and highest id (0, 0 when none).

    Kept until the database changes: ``PRAGMA data_version`` moves when another
    connection commits, ``total_changes`` when this one writes.
    """
    key = db.change_stamp()
    cached = _EXTENTS.get(db)
    if cached is not None and cached[0] == key:
        return cached[1]
    total, low, high = db.execute(  # each subquery is one index walk or seek
        "SELECT (SELECT COUNT(*) FROM tracks), (SELECT MIN(id) FROM tracks), "
        "(SELECT MAX(id) FROM tracks)"
    ).fetchone()
    extent = (int(total), int(low or 0), int(high or 0))
    _EXTENTS[db] = (key, extent)
    return extent
