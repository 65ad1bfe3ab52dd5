"""Posting and reading comments: shape, keyset cursors, hot, replies, idempotency."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from .conftest import Api


def pages(api: Api, url: str, limit: int, headers: dict | None = None, between=None) -> list[dict]:
    """Every item of a cursor-paged list; ``between()`` runs after each page."""
    items: list[dict] = []
    cursor = None
    while True:
        params = {"limit": limit, **({"cursor": cursor} if cursor else {})}
        resp = api.get(url, params=params, headers=headers or {})
        assert resp.status_code == 200, resp.text
        items += resp.json()["items"]
        cursor = resp.json()["next_cursor"]
        if cursor is None:
            return items
        if between:
            between()


def test_a_comment_has_every_field(api: Api) -> None:
    me = api.user("poster")
    song = api.song(me)
    made = api.post_comment(me, song, "  first!\nsecond line  ", position_ms=61_500)
    assert made.status_code == 201
    c = made.json()
    assert set(c) >= {
        "id", "song_id", "author", "body", "position_ms", "parent_id", "reply_to",
        "like_count", "liked_by_me", "reply_count", "created_at", "edited_at", "deleted",
    }  # fmt: skip
    assert c["author"] == {"id": me["id"], "username": "poster"}
    assert c["body"] == "first!\nsecond line"
    assert (c["position_ms"], c["song_id"], c["parent_id"], c["reply_to"]) == (
        61_500,
        song,
        None,
        None,
    )
    assert (c["like_count"], c["reply_count"], c["liked_by_me"], c["deleted"]) == (
        0,
        0,
        False,
        False,
    )
    assert c["edited_at"] is None and c["created_at"].endswith("Z")
    listed = api.get(f"/api/v1/songs/{song}/comments").json()
    assert listed == {"items": [c], "next_cursor": None}


def test_new_cursor_stays_correct_while_comments_arrive(api: Api) -> None:
    me = api.user()
    song = api.song(me)
    original = [api.comment(me, song, f"c{i}")["id"] for i in range(23)]
    added: list[int] = []

    def someone_posts() -> None:
        added.append(api.comment(me, song, "late")["id"])

    seen = pages(api, f"/api/v1/songs/{song}/comments?sort=new", 5, between=someone_posts)
    ids = [c["id"] for c in seen]
    assert ids == list(reversed(original))  # all, in order, no duplicates
    assert len(added) == 4
    # a fresh read starts with the newcomers, newest first
    top = api.get(f"/api/v1/songs/{song}/comments", params={"limit": 4}).json()["items"]
    assert [c["id"] for c in top] == list(reversed(added))


def test_cursor_deep_in_a_long_thread(api: Api) -> None:
    me = api.user()
    song = api.song(me)
    ids = [api.comment(me, song, f"n{i}")["id"] for i in range(60)]
    seen = pages(api, f"/api/v1/songs/{song}/comments", 7)
    assert [c["id"] for c in seen] == list(reversed(ids))


def test_hot_ranks_by_likes_and_recency_and_is_short(server_factory: Callable[..., Api]) -> None:
    api = server_factory(hot_limit=3)
    me = api.user()
    song = api.song(me)
    old = api.comment(me, song, "old but loved")
    quiet = [api.comment(me, song, f"quiet {i}") for i in range(3)]
    fans = [api.user() for _ in range(3)]
    for fan in fans:
        assert (
            api.put(f"/api/v1/comments/{old['id']}/like", headers=fan["headers"]).status_code == 200
        )
    api.put(f"/api/v1/comments/{quiet[0]['id']}/like", headers=fans[0]["headers"])
    hot = api.get(f"/api/v1/songs/{song}/comments", params={"sort": "hot", "limit": 50}).json()
    assert [c["id"] for c in hot["items"]] == [old["id"], quiet[0]["id"], quiet[2]["id"]]
    assert hot["next_cursor"] is None
    assert hot["items"][0]["like_count"] == 3


def test_replies_are_one_level_deep_and_name_whom_they_answer(api: Api) -> None:
    ann, ben, cat = api.user("ann"), api.user("ben"), api.user("cat")
    song = api.song(ann)
    top = api.comment(ann, song, "top")
    r1 = api.comment(ben, song, "reply to ann", parent_id=top["id"])
    r2 = api.comment(cat, song, "reply to ben", parent_id=r1["id"])
    assert r1["parent_id"] == r2["parent_id"] == top["id"]
    assert r1["reply_to"] == {"id": ann["id"], "username": "ann"}
    assert r2["reply_to"] == {"id": ben["id"], "username": "ben"}
    listed = api.get(f"/api/v1/songs/{song}/comments").json()["items"]
    assert [c["id"] for c in listed] == [top["id"]]  # top level only
    assert listed[0]["reply_count"] == 2
    replies = pages(api, f"/api/v1/comments/{top['id']}/replies", 1)
    assert [c["id"] for c in replies] == [r1["id"], r2["id"]]  # oldest first


def test_replies_cursor_while_replies_arrive(api: Api) -> None:
    me = api.user()
    song = api.song(me)
    top = api.comment(me, song, "top")
    first = [api.comment(me, song, f"r{i}", parent_id=top["id"])["id"] for i in range(9)]
    late: list[int] = []
    seen = pages(
        api,
        f"/api/v1/comments/{top['id']}/replies",
        4,
        between=lambda: late.append(api.comment(me, song, "late", parent_id=top["id"])["id"]),
    )
    assert [c["id"] for c in seen] == first + late  # oldest first: newcomers join the end


def test_a_reply_must_belong_to_the_same_song(api: Api) -> None:
    me = api.user()
    one, two = api.song(me), api.song(me)
    top = api.comment(me, one)
    assert api.post_comment(me, two, "x", parent_id=top["id"]).status_code == 404
    assert api.post_comment(me, one, "x", parent_id=10**6).status_code == 404
    assert api.post_comment(me, 10**6, "x").status_code == 404
    assert api.get("/api/v1/songs/999999/comments").status_code == 404
    assert api.get("/api/v1/comments/999999/replies").status_code == 404


def test_idempotency_key_returns_the_original_and_never_duplicates(api: Api) -> None:
    me, other = api.user(), api.user()
    song = api.song(me)
    key = str(uuid.uuid4())
    first = api.post_comment(me, song, "only once", key=key, position_ms=5)
    again = api.post_comment(me, song, "only once", key=key, position_ms=5)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    changed = api.post_comment(me, song, "something else", key=key, position_ms=5)
    assert changed.status_code == 409
    assert changed.json()["error"]["code"] == "idempotency_conflict"
    # keys belong to their user: another user's same key is a new comment
    theirs = api.post_comment(other, song, "only once", key=key, position_ms=5)
    assert theirs.status_code == 201 and theirs.json()["id"] != first.json()["id"]
    assert api.get(f"/api/v1/songs/counts?ids={song}").json()["counts"][str(song)] == 2
    # a missing or malformed key is refused
    no_key = api.post(f"/api/v1/songs/{song}/comments", json={"body": "x"}, headers=me["headers"])
    assert no_key.status_code == 422
    bad = api.post_comment(me, song, "x", key="not-a-uuid")
    assert bad.status_code == 422


def test_likes_are_idempotent(api: Api) -> None:
    me, fan = api.user(), api.user()
    song = api.song(me)
    c = api.comment(me, song)
    url = f"/api/v1/comments/{c['id']}/like"
    for _ in range(2):
        resp = api.put(url, headers=fan["headers"])
        assert resp.json() == {"like_count": 1, "liked_by_me": True}
    listed = api.get(f"/api/v1/songs/{song}/comments", headers=fan["headers"]).json()["items"]
    assert listed[0]["liked_by_me"] is True and listed[0]["like_count"] == 1
    assert (
        api.get(f"/api/v1/songs/{song}/comments", headers=me["headers"]).json()["items"][0][
            "liked_by_me"
        ]
        is False
    )
    for _ in range(2):
        assert api.delete(url, headers=fan["headers"]).json() == {
            "like_count": 0,
            "liked_by_me": False,
        }
    assert api.put("/api/v1/comments/999999/like", headers=fan["headers"]).status_code == 404
    assert api.put(url).status_code == 401
