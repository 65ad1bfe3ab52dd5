"""The read cache: anonymous pages from memory, own writes seen at once, one refresh at a time."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import event

from player.social.server.readcache import REFRESH_GRACE_S, ReadCache

from .conftest import Api


def test_own_writes_are_seen_at_once_and_other_instances_after_the_cache(
    server_factory: Callable[..., Api],
) -> None:
    cached = server_factory(read_cache_s=3600)  # long enough never to expire in this test
    other = server_factory()
    me = cached.user()
    song = cached.song(me)
    url = f"/api/v1/songs/{song}/comments"
    cached.comment(me, song, "one")
    assert [c["body"] for c in cached.get(url).json()["items"]] == ["one"]
    # another instance's write: this instance's anonymous page is still the cached one ...
    other.comment(me, song, "two")
    assert [c["body"] for c in cached.get(url).json()["items"]] == ["one"]
    # ... for signed-in readers too (their likes are overlaid), but not for moderators ...
    assert [c["body"] for c in cached.get(url, headers=me["headers"]).json()["items"]] == ["one"]
    mod = cached.moderator()
    assert [c["body"] for c in cached.get(url, headers=mod["headers"]).json()["items"]] == [
        "two",
        "one",
    ]
    # ... and a write through this instance drops the song's pages at once
    cached.comment(me, song, "three")
    assert [c["body"] for c in cached.get(url).json()["items"]] == ["three", "two", "one"]
    etag = cached.get(url).headers["etag"]
    assert cached.get(url, headers={"If-None-Match": etag}).status_code == 304


def test_no_cache_when_switched_off(server_factory: Callable[..., Api]) -> None:
    plain, other = server_factory(read_cache_s=0), server_factory()
    me = plain.user()
    song = plain.song(me)
    url = f"/api/v1/songs/{song}/comments"
    assert plain.get(url).json()["items"] == []
    other.comment(me, song, "elsewhere")
    assert [c["body"] for c in plain.get(url).json()["items"]] == ["elsewhere"]


def test_an_expired_page_is_refreshed_by_one_request_at_a_time() -> None:
    cache = ReadCache(ttl_s=1.0)
    key = ("/api/v1/songs/1/comments", b"")
    cache.put(key, 1, 'W/"a"', b"old", mark=(time.monotonic() - 1.5, 0))  # expired, within grace
    assert cache.get(key) is None  # the first caller renders it again
    stale = cache.get(key)
    assert stale is not None and stale.body == b"old"  # the rest keep the old page meanwhile
    cache.put(key, 1, 'W/"b"', b"new", mark=cache.mark())
    assert cache.get(key).body == b"new"
    cache.put(key, 1, 'W/"c"', b"older", mark=(time.monotonic() - 1.0 - REFRESH_GRACE_S - 1, 0))
    assert cache.get(key) is None  # past the grace nobody gets it
    cache.invalidate([1])
    assert cache._entries == {}


def test_a_page_read_before_a_write_is_not_kept() -> None:
    cache = ReadCache(ttl_s=60)
    key = ("/api/v1/songs/7/comments", b"")
    mark = cache.mark()  # a request starts reading song 7 ...
    cache.invalidate([7])  # ... a write to song 7 commits meanwhile ...
    cache.put(key, 7, 'W/"a"', b"maybe stale", mark)
    assert cache.get(key) is None  # ... so its page is not cached
    cache.put(key, 7, 'W/"b"', b"fresh", cache.mark())
    assert cache.get(key).body == b"fresh"
    other = ("/api/v1/songs/8/comments", b"")
    cache.put(other, 8, 'W/"c"', b"unrelated", mark)  # writes to other songs do not matter
    assert cache.get(other).body == b"unrelated"


def test_a_page_nobody_holds_is_read_once_for_all_who_ask_at_once(
    server_factory: Callable[..., Api],
) -> None:
    """A cold page (a song just written to) asked for by many readers at once,
    anonymous and signed in, is read from the database by one of them."""
    api = server_factory(read_cache_s=60)
    me, reader = api.user(), api.user()
    song, other = api.song(me), api.song(me)
    url = f"/api/v1/songs/{song}/comments"
    assert api.get(f"/api/v1/songs/{other}/comments", headers=reader["headers"]).status_code == 200
    api.comment(me, song, "one")  # drops the song's pages
    reads: list[str] = []

    def slow_database(_conn, _cursor, statement, _params, _context, _many) -> None:  # type: ignore[no-untyped-def]
        if "FROM comments" in statement and "created_us DESC" in statement:
            reads.append(statement)
            time.sleep(0.3)  # a slow read, so that every request arrives while it runs

    engine = api.state.db.engine
    event.listen(engine, "before_cursor_execute", slow_database)
    try:
        with ThreadPoolExecutor(12) as pool:
            answers = list(
                pool.map(
                    lambda i: api.get(url, headers=reader["headers"] if i % 2 else {}), range(12)
                )
            )
    finally:
        event.remove(engine, "before_cursor_execute", slow_database)
    assert [a.status_code for a in answers] == [200] * 12
    assert all([c["body"] for c in a.json()["items"]] == ["one"] for a in answers)
    assert len(reads) == 1
    # and a write still shows at once afterwards
    api.comment(me, song, "two")
    assert [c["body"] for c in api.get(url).json()["items"]] == ["two", "one"]
