"""The comment wall, GET /comments/top, on SQLite and PostgreSQL: order, periods,
what is left out, mutes, and its cache."""

from __future__ import annotations

import time
from typing import Any

from player.social.server.clock import now_us
from player.social.server.db import Database
from player.social.server.schema import comments

from .conftest import Api

TOP = "/api/v1/comments/top"
DAY_US = 86_400 * 1_000_000


def _like(api: Api, comment: dict[str, Any], *people: dict[str, Any]) -> None:
    for who in people:
        resp = api.put(f"/api/v1/comments/{comment['id']}/like", headers=who["headers"])
        assert resp.status_code == 200, resp.text


def _age(url: str, comment: dict[str, Any], days: float) -> None:
    db = Database(url)
    try:
        with db.write() as conn:
            conn.execute(
                comments.update()
                .where(comments.c.id == comment["id"])
                .values(created_us=now_us() - int(days * DAY_US))
            )
    finally:
        db.close()


def _ids(api: Api, who: dict[str, Any] | None = None, **params: Any) -> list[int]:
    resp = api.get(TOP, params=params, headers=(who or {}).get("headers", {}))
    assert resp.status_code == 200, resp.text
    return [c["id"] for c in resp.json()["items"]]


def test_the_wall_orders_by_likes_then_recency_with_songs(api: Api) -> None:
    alice, bob, carol = api.user(), api.user(), api.user()
    sunny = api.song(alice, artist="周杰伦", title="晴天", duration_ms=269_000)
    other = api.song(alice, artist="Nujabes", title="Aruarian Dance")
    one = api.comment(alice, sunny, "the intro")
    two = api.comment(bob, other, "the beat")
    reply = api.comment(carol, sunny, "agreed", parent_id=one["id"])
    older_tie = api.comment(alice, other, "tie, older")
    newer_tie = api.comment(bob, other, "tie, newer")
    _like(api, two, alice, carol)
    _like(api, reply, alice, bob, carol)
    _like(api, one, bob)
    _like(api, older_tie, carol)
    _like(api, newer_tie, carol)
    _age(api.state.db.url, older_tie, 1)

    page = api.get(TOP, params={"period": "week", "limit": 10})
    assert page.status_code == 200, page.text
    body = page.json()
    assert body["period"] == "week"
    assert [c["id"] for c in body["items"]] == [
        reply["id"],
        two["id"],
        newer_tie["id"],
        one["id"],
        older_tie["id"],
    ]
    first = body["items"][0]
    assert first["parent_id"] == one["id"] and first["like_count"] == 3
    song = first["song"]
    assert (song["id"], song["artist"], song["title"]) == (sunny, "周杰伦", "晴天")
    assert any(a["kind"] == "key" for a in song["aliases"])
    assert _ids(api, limit=2) == [reply["id"], two["id"]]  # week is the default
    assert api.get(TOP, params={"limit": 0}).status_code == 422
    assert api.get(TOP, params={"limit": 51}).status_code == 422
    assert api.get(TOP, params={"period": "year"}).status_code == 422


def test_periods_cut_off_older_comments(api: Api) -> None:
    alice, bob = api.user(), api.user()
    song = api.song(alice)
    fresh = api.comment(alice, song, "this week")
    weeks = api.comment(alice, song, "two weeks ago")
    ancient = api.comment(alice, song, "last year")
    _like(api, weeks, bob)
    _like(api, ancient, alice, bob)
    _age(api.state.db.url, weeks, 14)
    _age(api.state.db.url, ancient, 365)
    assert _ids(api, period="week") == [fresh["id"]]
    assert _ids(api, period="month") == [weeks["id"], fresh["id"]]
    assert _ids(api, period="all") == [ancient["id"], weeks["id"], fresh["id"]]


def test_hidden_and_deleted_comments_never_show(api: Api) -> None:
    alice, bob, mod = api.user(), api.user(), api.moderator()
    song = api.song(alice)
    kept = api.comment(alice, song, "kept")
    hidden = api.comment(alice, song, "rude")
    gone = api.comment(bob, song, "regret")
    api.comment(alice, song, "a reply keeps the shell", parent_id=gone["id"])
    _like(api, hidden, bob, mod)
    _like(api, gone, alice, mod)
    assert set(_ids(api)) >= {kept["id"], hidden["id"], gone["id"]}
    assert (
        api.post(f"/api/v1/comments/{hidden['id']}/hide", headers=mod["headers"]).status_code == 200
    )
    assert api.delete(f"/api/v1/comments/{gone['id']}", headers=bob["headers"]).status_code == 204
    # the local writes drop the cached wall at once
    for who in (None, alice, bob, mod):
        ids = _ids(api, who)
        assert kept["id"] in ids
        assert hidden["id"] not in ids and gone["id"] not in ids


def test_a_signed_in_wall_leaves_out_the_muted_and_knows_my_likes(server_factory: Any) -> None:
    api = server_factory()
    me, loud, quiet = api.user(), api.user(), api.user()
    song = api.song(me)
    noisy = api.comment(loud, song, "LOUD")
    calm = api.comment(quiet, song, "calm")
    _like(api, noisy, me, quiet)
    _like(api, calm, me)
    assert _ids(api) == [noisy["id"], calm["id"]]
    resp = api.put(f"/api/v1/me/mutes/{loud['username']}", headers=me["headers"])
    assert resp.status_code in (200, 204), resp.text
    mine = api.get(TOP, headers=me["headers"]).json()["items"]  # the fast path
    assert [c["id"] for c in mine] == [calm["id"]] and mine[0]["liked_by_me"] is True
    fresh = server_factory()  # the token is new to it: the full path
    assert fresh.get(TOP, headers=me["headers"]).json()["items"] == mine
    assert fresh.get(TOP, params={"limit": 5}, headers=me["headers"]).json()["items"] == mine
    assert api.get(TOP, params={"limit": 5}, headers=me["headers"]).json()["items"] == mine
    assert _ids(api, quiet) == [noisy["id"], calm["id"]]
    assert _ids(api) == [noisy["id"], calm["id"]]  # others still see everything


def test_other_instances_see_a_change_once_the_wall_expires(server_factory: Any) -> None:
    a, b = server_factory(), server_factory()
    alice, bob = a.user(), a.user()
    song = a.song(alice)
    first = a.comment(alice, song, "first")
    assert _ids(b) == [first["id"]]
    second = a.comment(alice, song, "second")
    _like(a, second, bob)
    assert _ids(a) == [second["id"], first["id"]]  # this instance dropped its wall
    assert _ids(b) == [first["id"]]  # the other serves its cached wall ...
    b.state.wall.clear()
    b.state.wall.ttl_s = 2.0
    assert _ids(b) == [second["id"], first["id"]]
    third = a.comment(alice, song, "third")
    time.sleep(1.2)
    # another query string is answered from the same wall, which is not renewed by it
    assert _ids(b, limit=5) == [second["id"], first["id"]]
    time.sleep(1.2)
    assert _ids(b) == [second["id"], third["id"], first["id"]]  # ... until it expires
