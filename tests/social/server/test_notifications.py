"""Notifications: each kind, like groups, read marks, exactly once, removal, access."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

from .conftest import Api
from .dbs import wipe
from .procs import ServerProcess, sign_in, sign_up

INBOX = "/api/v1/me/notifications"
UNREAD = "/api/v1/me/notifications/unread-count"


def inbox(api: Api, who: dict[str, Any], **params: Any) -> list[dict[str, Any]]:
    resp = api.get(INBOX, headers=who["headers"], params=params)
    assert resp.status_code == 200, resp.text
    return resp.json()["items"]


def unread(api: Api, who: dict[str, Any]) -> int:
    resp = api.get(UNREAD, headers=who["headers"])
    assert resp.status_code == 200, resp.text
    return resp.json()["unread"]


def like(api: Api, who: dict[str, Any], comment_id: int, on: bool = True) -> None:
    method = api.put if on else api.delete
    resp = method(f"/api/v1/comments/{comment_id}/like", headers=who["headers"])
    assert resp.status_code == 200, resp.text


def test_a_reply_notifies_the_author_once_even_when_retried(api: Api) -> None:
    me, you = api.user(), api.user()
    song = api.song(me)
    mine = api.comment(me, song, "my thoughts")
    key = str(uuid.uuid4())
    first = api.post_comment(you, song, "an answer", key=key, parent_id=mine["id"])
    again = api.post_comment(you, song, "an answer", key=key, parent_id=mine["id"])
    assert (first.status_code, again.status_code) == (201, 200)
    items = inbox(api, me)
    assert len(items) == 1
    note = items[0]
    assert note["kind"] == "reply"
    assert note["song_id"] == song
    assert note["comment"]["id"] == first.json()["id"]
    assert note["comment"]["parent_id"] == mine["id"]
    assert note["actors"] == [{"id": you["id"], "username": you["username"]}]
    assert (note["actor_count"], note["read"], note["reason"]) == (1, False, None)
    # answering myself, or my own reply, notifies nobody
    api.comment(me, song, "and more", parent_id=mine["id"])
    assert len(inbox(api, me)) == 1
    assert inbox(api, you) == []
    # a reply to a reply notifies whom it answers
    api.comment(me, song, "thanks", parent_id=first.json()["id"])
    assert [n["kind"] for n in inbox(api, you)] == ["reply"]


def test_mentions_notify_existing_users_first_five_only(api: Api) -> None:
    me = api.user()
    named = [api.user(f"fan_{i}_{uuid.uuid4().hex[:6]}") for i in range(7)]
    song = api.song(me)
    names = " ".join(f"@{u['username'].upper()}" for u in named)  # names match without case
    posted = api.comment(me, song, f"hey @nobody_here_x {names} @{me['username']} mail@x.org")
    got = [len(inbox(api, u)) for u in named]
    assert got == [1, 1, 1, 1, 0, 0, 0]  # @nobody_here_x took one of the five
    note = inbox(api, named[0])[0]
    assert (note["kind"], note["comment"]["id"]) == ("mention", posted["id"])
    assert note["actors"][0]["id"] == me["id"]
    assert inbox(api, me) == []  # never notify yourself
    # a repeated name counts once; a user answered and mentioned gets the reply only
    top = api.comment(named[5], song, "top")
    api.comment(me, song, f"@{named[5]['username']} @{named[5]['username']}", parent_id=top["id"])
    assert [n["kind"] for n in inbox(api, named[5])] == ["reply"]


def test_likes_group_into_one_notification(api: Api) -> None:
    me = api.user()
    fans = [api.user() for _ in range(5)]
    song = api.song(me)
    mine = api.comment(me, song, "like me")
    like(api, me, mine["id"])  # my own like notifies nobody
    assert inbox(api, me) == []
    for fan in fans:
        like(api, fan, mine["id"])
    like(api, fans[0], mine["id"])  # liking twice counts once
    items = inbox(api, me)
    assert len(items) == 1
    group = items[0]
    assert (group["kind"], group["actor_count"], group["comment"]["id"]) == ("like", 5, mine["id"])
    assert [a["id"] for a in group["actors"]] == [fans[4]["id"], fans[3]["id"], fans[2]["id"]]
    # unliking takes you out of the group
    like(api, fans[4], mine["id"], on=False)
    group = inbox(api, me)[0]
    assert group["actor_count"] == 4
    assert [a["id"] for a in group["actors"]] == [fans[3]["id"], fans[2]["id"], fans[1]["id"]]
    for fan in fans[:4]:
        like(api, fan, mine["id"], on=False)
    assert inbox(api, me) == []


def test_read_marks_unread_counts_and_etags(api: Api) -> None:
    me, you, them = api.user(), api.user(), api.user()
    song = api.song(me)
    mine = api.comment(me, song)
    assert unread(api, me) == 0
    api.comment(you, song, "r1", parent_id=mine["id"])
    like(api, you, mine["id"])
    assert unread(api, me) == 2
    first = api.get(UNREAD, headers=me["headers"])
    tag = first.headers["etag"]
    second = api.get(UNREAD, headers={**me["headers"], "If-None-Match": tag})
    assert second.status_code == 304 and second.headers["etag"] == tag
    newest = inbox(api, me)[0]
    marked = api.post(f"{INBOX}/read", json={"up_to": newest["id"]}, headers=me["headers"])
    assert marked.status_code == 200 and marked.json() == {"unread": 0}
    assert all(n["read"] for n in inbox(api, me))
    changed = api.get(UNREAD, headers={**me["headers"], "If-None-Match": tag})
    assert changed.status_code == 200 and changed.json() == {"unread": 0}
    # the mark never moves back
    api.post(f"{INBOX}/read", json={"up_to": 0}, headers=me["headers"])
    assert unread(api, me) == 0
    # a like group that grows comes back to the top, unread
    like(api, them, mine["id"])
    items = inbox(api, me)
    assert (items[0]["kind"], items[0]["actor_count"], items[0]["read"]) == ("like", 2, False)
    assert unread(api, me) == 1


def test_fast_and_full_unread_count_agree(server_factory: Callable[..., Api]) -> None:
    api = server_factory(token_cache_s=3600)
    me, you = api.user(), api.user()
    song = api.song(me)
    api.comment(you, song, "r", parent_id=api.comment(me, song)["id"])
    state = api.state
    state.tokens._entries.clear()  # the route answers (and remembers the token)
    full = api.get(UNREAD, headers=me["headers"])
    assert state.tokens._entries  # now the middleware answers
    fast = api.get(UNREAD, headers=me["headers"])
    assert full.json() == fast.json() == {"unread": 1}
    assert full.headers["etag"] == fast.headers["etag"]
    assert fast.headers["content-type"] == "application/json"


def test_paging_newest_first(api: Api) -> None:
    me, you = api.user(), api.user()
    song = api.song(me)
    mine = api.comment(me, song)
    replies = [api.comment(you, song, f"r{i}", parent_id=mine["id"]) for i in range(5)]
    seen: list[int] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = api.get(INBOX, headers=me["headers"], params=params).json()
        seen += [n["comment"]["id"] for n in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [r["id"] for r in reversed(replies)]
    bad = api.get(INBOX, headers=me["headers"], params={"cursor": "nonsense"})
    assert bad.status_code == 400


def test_deleting_or_hiding_takes_notifications_away(api: Api) -> None:
    me, you, fan = api.user(), api.user(), api.user()
    mod = api.moderator()
    song = api.song(me)
    mine = api.comment(me, song, "mine")
    reply = api.comment(you, song, f"hi @{me['username']}", parent_id=mine["id"])
    mention = api.comment(you, song, f"look @{me['username']}")
    assert [n["kind"] for n in inbox(api, me)] == ["mention", "reply"]
    assert api.delete(f"/api/v1/comments/{reply['id']}", headers=you["headers"]).status_code == 204
    assert [n["kind"] for n in inbox(api, me)] == ["mention"]
    hidden = api.post(f"/api/v1/comments/{mention['id']}/hide", headers=mod["headers"])
    assert hidden.status_code == 200
    assert inbox(api, me) == []
    # you hear why your comment was hidden; nothing else about it is left
    assert [(n["kind"], n["reason"], n["actors"]) for n in inbox(api, you)] == [
        ("hidden", None, [])
    ]
    like(api, fan, mine["id"])
    assert [n["kind"] for n in inbox(api, me)] == ["like"]
    why = {"reason": "Spoilers for the last track"}
    hid = api.post(f"/api/v1/comments/{mine['id']}/hide", json=why, headers=mod["headers"])
    assert hid.status_code == 200
    items = inbox(api, me)
    assert [(n["kind"], n["reason"]) for n in items] == [("hidden", why["reason"])]
    assert items[0]["comment"]["hidden"] is True
    assert unread(api, me) == 1
    # hiding twice notifies once
    api.post(f"/api/v1/comments/{mine['id']}/hide", json=why, headers=mod["headers"])
    assert len(inbox(api, me)) == 1


def test_each_reads_only_their_own_inbox(api: Api) -> None:
    me, you = api.user(), api.user()
    song = api.song(me)
    api.comment(you, song, "r", parent_id=api.comment(me, song)["id"])
    assert len(inbox(api, me)) == 1
    assert inbox(api, you) == []
    assert unread(api, you) == 0
    # marking read is per user too
    api.post(f"{INBOX}/read", json={"up_to": 2**31 - 1}, headers=you["headers"])
    assert unread(api, me) == 1
    for method, path in (
        ("GET", INBOX),
        ("GET", UNREAD),
        ("POST", f"{INBOX}/read"),
        ("GET", "/api/v1/me/mutes"),
        ("PUT", f"/api/v1/me/mutes/{me['username']}"),
        ("DELETE", f"/api/v1/me/mutes/{me['username']}"),
    ):
        resp = api.request(method, path, json={"up_to": 1} if method == "POST" else None)
        assert resp.status_code == 401, (method, path)
        assert resp.json()["error"]["code"] == "unauthorized"
        bad = api.request(method, path, headers={"Authorization": "Bearer nope"})
        assert bad.status_code == 401, (method, path)


def test_exactly_once_across_two_instances(server_factory: Callable[..., Api]) -> None:
    first, second = server_factory(), server_factory()
    me, you = first.user(), first.user()
    song = first.song(me)
    mine = first.comment(me, song)
    key = str(uuid.uuid4())

    def post(api: Api) -> int:
        resp = api.post_comment(you, song, "same reply", key=key, parent_id=mine["id"])
        return resp.status_code

    with ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(post, [first, second] * 6))
    assert sorted(set(codes)) == [200, 201] and codes.count(201) == 1
    assert len(inbox(first, me)) == len(inbox(second, me)) == 1
    # likes from both instances at once land in one group
    fans = [first.user() for _ in range(6)]
    with ThreadPoolExecutor(6) as pool:
        list(pool.map(lambda i: like((first, second)[i % 2], fans[i], mine["id"]), range(6)))
    groups = [n for n in inbox(second, me) if n["kind"] == "like"]
    assert len(groups) == 1 and groups[0]["actor_count"] == 6


def test_exactly_once_across_two_server_processes(postgres_db: str, tmp_path: Path) -> None:
    wipe(postgres_db)
    one = ServerProcess(postgres_db, tmp_path / "one.log")
    two = ServerProcess(postgres_db, tmp_path / "two.log")
    with one, two, httpx.Client(base_url=one.base) as a, httpx.Client(base_url=two.base) as b:
        me, you = sign_up(a, "inbox_owner"), sign_up(a, "replier")
        you_b = sign_in(b, "replier")
        song = a.post("/api/v1/songs/resolve", json={"isrc": "USRC17607839"}, headers=me).json()[
            "song_id"
        ]
        mine = a.post(
            f"/api/v1/songs/{song}/comments",
            json={"body": "mine"},
            headers={**me, "Idempotency-Key": str(uuid.uuid4())},
        ).json()
        key = str(uuid.uuid4())

        def post(i: int) -> int:
            client, headers = (a, you) if i % 2 else (b, you_b)
            return client.post(
                f"/api/v1/songs/{song}/comments",
                json={"body": "a reply, sent again and again", "parent_id": mine["id"]},
                headers={**headers, "Idempotency-Key": key},
            ).status_code

        with ThreadPoolExecutor(6) as pool:
            codes = list(pool.map(post, range(12)))
        assert codes.count(201) == 1 and set(codes) == {200, 201}
        for client in (a, b):
            items = client.get(INBOX, headers=me).json()["items"]
            assert [n["kind"] for n in items] == ["reply"]
        assert b.get(UNREAD, headers=sign_in(b, "inbox_owner")).json() == {"unread": 1}


def test_edits_notify_nobody(api: Api) -> None:
    me, you = api.user(), api.user()
    song = api.song(me)
    mine = api.comment(me, song, "plain")
    edited = api.patch(
        f"/api/v1/comments/{mine['id']}",
        json={"body": f"now @{you['username']}"},
        headers=me["headers"],
    )
    assert edited.status_code == 200 and edited.json()["body"].startswith("now @")
    assert inbox(api, you) == []


def test_the_unread_count_stops_at_a_thousand(api: Api) -> None:
    from player.social.server.schema import notifications

    me, you = api.user(), api.user()
    song = api.song(me)
    mine = api.comment(me, song)
    rows = [
        {
            "user_id": me["id"],
            "kind": "reply",
            "comment_id": mine["id"],
            "actor_id": you["id"],
            "actor_count": 1,
            "created_us": 1,
        }
        for _ in range(1001)
    ]
    with api.state.db.write() as conn:
        conn.execute(notifications.insert(), rows)
    assert unread(api, me) == 1000
    assert len(inbox(api, me, limit=100)) == 100
