"""Muting: pages without the muted (cached and full paths alike), no notifications, access."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .conftest import Api
from .test_notifications import inbox, like

MUTES = "/api/v1/me/mutes"


def mute(api: Api, who: dict[str, Any], name: str, on: bool = True) -> None:
    method = api.put if on else api.delete
    resp = method(f"{MUTES}/{name}", headers=who["headers"])
    assert resp.status_code == 204, resp.text


def ids(resp: Any) -> list[int]:
    assert resp.status_code == 200, resp.text
    return [c["id"] for c in resp.json()["items"]]


def test_muted_comments_leave_my_pages_with_the_read_cache_on(
    server_factory: Callable[..., Api],
) -> None:
    cached, plain = server_factory(read_cache_s=3600), server_factory(read_cache_s=0)
    me, loud, fine = cached.user(), cached.user(), cached.user()
    song = cached.song(me)
    made = [cached.comment(loud if i % 2 else fine, song, f"c{i}") for i in range(6)]
    top = made[0]  # fine's
    replies = [
        cached.comment(loud if i % 2 else fine, song, f"r{i}", parent_id=top["id"])
        for i in range(4)
    ]
    like(cached, fine, made[2]["id"])
    like(cached, me, made[2]["id"])
    pages = (
        f"/api/v1/songs/{song}/comments?sort=new",
        f"/api/v1/songs/{song}/comments?sort=hot",
        f"/api/v1/songs/{song}/comments?sort=new&limit=3",
        f"/api/v1/comments/{top['id']}/replies",
    )
    answers = {url: cached.get(url, headers=me["headers"]) for url in pages}
    before = {url: resp.json() for url, resp in answers.items()}
    tags = {url: resp.headers["etag"] for url, resp in answers.items()}
    mute(cached, me, loud["username"].upper())  # names match without case
    loud_ids = {c["id"] for c in made + replies if c["author"]["id"] == loud["id"]}
    for url in pages:
        assert cached.get(url).status_code == 200  # the anonymous page is cached
        mine = cached.get(url, headers=me["headers"])
        full = plain.get(url, headers=me["headers"])
        assert mine.json() == full.json()
        assert set(ids(mine)) == {c["id"] for c in before[url]["items"]} - loud_ids
        assert mine.json()["next_cursor"] == before[url]["next_cursor"]
        # the ETag I held before muting is stale now
        held = {**me["headers"], "If-None-Match": tags[url]}
        assert cached.get(url, headers=held).status_code == 200
        assert plain.get(url, headers=held).status_code == 200
        # everyone else still sees them
        theirs = set(ids(cached.get(url, headers=fine["headers"])))
        assert theirs == {c["id"] for c in before[url]["items"]}
    liked = [
        c for c in cached.get(pages[0], headers=me["headers"]).json()["items"] if c["liked_by_me"]
    ]
    assert [c["id"] for c in liked] == [made[2]["id"]]
    # counts stay true for everyone
    assert cached.get(f"/api/v1/songs/counts?ids={song}").json()["counts"][str(song)] == 10
    parent = [
        c
        for c in cached.get(pages[0], headers=me["headers"]).json()["items"]
        if c["id"] == top["id"]
    ]
    assert parent[0]["reply_count"] == 4
    # unmuting brings them back, on both paths; a 304 is never stale across a mute
    tag = cached.get(pages[0], headers=me["headers"]).headers["etag"]
    mute(cached, me, loud["username"], on=False)
    again = cached.get(pages[0], headers={**me["headers"], "If-None-Match": tag})
    assert again.status_code == 200
    assert set(ids(again)) == {c["id"] for c in before[pages[0]]["items"]}
    full_tag = plain.get(pages[3], headers=me["headers"]).headers["etag"]
    mute(cached, me, loud["username"])
    assert (
        plain.get(pages[3], headers={**me["headers"], "If-None-Match": full_tag}).status_code == 200
    )


def test_the_muted_never_notify_me(api: Api) -> None:
    me, loud = api.user(), api.user()
    song = api.song(me)
    mine = api.comment(me, song)
    mute(api, me, loud["username"])
    api.comment(loud, song, "hey", parent_id=mine["id"])
    api.comment(loud, song, f"@{me['username']} look")
    like(api, loud, mine["id"])
    assert inbox(api, me) == []
    # they still hear from me, and the like counted for everyone
    assert api.get(f"/api/v1/comments/{mine['id']}/replies").json()["items"][0]["body"] == "hey"
    top = api.get(f"/api/v1/songs/{song}/comments").json()["items"]
    assert [c["like_count"] for c in top if c["id"] == mine["id"]] == [1]
    their = api.comment(loud, song, "theirs")
    api.comment(me, song, "answer", parent_id=their["id"])
    assert [n["kind"] for n in inbox(api, loud)] == ["reply"]


def test_the_mute_list_is_mine_alone(api: Api) -> None:
    me, you, a, b = api.user(), api.user(), api.user(), api.user()
    mute(api, me, a["username"])
    mute(api, me, b["username"])
    mute(api, me, a["username"])  # twice is fine
    listed = api.get(MUTES, headers=me["headers"])
    assert listed.json() == {
        "items": [
            {"id": b["id"], "username": b["username"]},
            {"id": a["id"], "username": a["username"]},
        ]
    }
    assert api.get(MUTES, headers=you["headers"]).json() == {"items": []}
    mute(api, me, a["username"], on=False)
    mute(api, me, a["username"], on=False)  # twice is fine
    assert [u["id"] for u in api.get(MUTES, headers=me["headers"]).json()["items"]] == [b["id"]]
    nobody = api.put(f"{MUTES}/no_such_user_here", headers=me["headers"])
    assert nobody.status_code == 404 and nobody.json()["error"]["code"] == "not_found"
    myself = api.put(f"{MUTES}/{me['username']}", headers=me["headers"])
    assert myself.status_code == 422 and myself.json()["error"]["code"] == "cannot_mute_self"


def test_at_most_a_thousand_mutes(api: Api) -> None:
    from player.social.server.schema import mutes, users

    me, last = api.user(), api.user()
    with api.state.db.write() as conn:
        made = conn.execute(
            users.insert().returning(users.c.id),
            [
                {
                    "username": f"m{i}",
                    "username_key": f"m{i}",
                    "password_hash": "x",
                    "is_moderator": False,
                    "created_us": 1,
                }
                for i in range(1000)
            ],
        ).scalars()
        conn.execute(
            mutes.insert(), [{"user_id": me["id"], "muted_id": m, "created_us": 1} for m in made]
        )
    refused = api.put(f"{MUTES}/{last['username']}", headers=me["headers"])
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "too_many_mutes"
    assert len(api.get(MUTES, headers=me["headers"]).json()["items"]) == 1000
