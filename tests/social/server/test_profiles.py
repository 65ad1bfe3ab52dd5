"""Profiles, suspensions, the moderation log, and the account's own page (password,
export, deletion), on SQLite and PostgreSQL."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import or_, select

from player.social.server.db import Database
from player.social.server.schema import metadata

from .conftest import Api


def _profile(api: Api, name: str, who: dict[str, Any] | None = None) -> Any:
    return api.get(f"/api/v1/users/{name}", headers=(who or {}).get("headers", {}))


def test_a_profile_counts_what_others_may_see(api: Api) -> None:
    alice, bob, mod = api.user(), api.user(), api.moderator()
    song = api.song(alice, artist="周杰伦", title="晴天", duration_ms=269_000)
    first = api.comment(alice, song, "the intro")
    api.comment(alice, song, "the solo")
    hidden = api.comment(alice, song, "rude")
    api.put(f"/api/v1/comments/{first['id']}/like", headers=bob["headers"])
    api.put(f"/api/v1/comments/{first['id']}/like", headers=mod["headers"])
    assert (
        api.post(f"/api/v1/comments/{hidden['id']}/hide", headers=mod["headers"]).status_code == 200
    )

    anon = _profile(api, alice["username"].upper())  # any case finds the account
    assert anon.status_code == 200, anon.text
    body = anon.json()
    assert body["username"] == alice["username"] and body["id"] == alice["id"]
    assert (body["comment_count"], body["likes_received"]) == (2, 2)
    assert body["joined_at"].endswith("Z") and body["suspension"] is None
    assert body["muted_by_me"] is False
    assert _profile(api, alice["username"], alice).json()["comment_count"] == 3
    assert _profile(api, alice["username"], mod).json()["comment_count"] == 3
    assert _profile(api, "nobody_here").status_code == 404
    assert _profile(api, "[deleted user]").status_code == 404


def test_a_profile_pages_comments_with_their_songs(api: Api) -> None:
    alice, bob = api.user(), api.user()
    sunny = api.song(
        alice,
        artist="周杰伦",
        title="晴天",
        duration_ms=269_000,
        mbid="a1b2c3d4-0000-4000-8000-000000000001",
    )
    other = api.song(alice, artist="Nujabes", title="Aruarian Dance")
    made = [api.comment(alice, sunny if i % 2 else other, f"note {i}") for i in range(5)]
    reply = api.comment(alice, other, "and a reply", parent_id=api.comment(bob, other)["id"])
    seen, cursor = [], None
    while True:
        page = api.get(
            f"/api/v1/users/{alice['username']}/comments",
            params={"limit": 2, **({"cursor": cursor} if cursor else {})},
        ).json()
        seen += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert [c["id"] for c in seen] == [reply["id"], *(c["id"] for c in reversed(made))]
    by_id = {c["id"]: c for c in seen}
    song = by_id[made[1]["id"]]["song"]
    assert (song["id"], song["artist"], song["title"]) == (sunny, "周杰伦", "晴天")
    kinds = {a["kind"]: a["value"] for a in song["aliases"]}
    assert kinds["mbid"] == "a1b2c3d4-0000-4000-8000-000000000001" and "key" in kinds
    assert by_id[reply["id"]]["parent_id"] is not None
    bad = api.get(f"/api/v1/users/{alice['username']}/comments", params={"cursor": "xyz"})
    assert bad.status_code == 400


def test_a_suspension_stops_tokens_sign_in_and_the_name(
    server_factory: Callable[..., Api],
) -> None:
    here = server_factory(token_cache_s=0.5)
    there = server_factory(token_cache_s=0.5)  # another instance behind the same balancer
    troll, mod, bystander = here.user(), here.moderator(), here.user()
    song = here.song(troll)
    # the other instance has the token in its memo
    assert (
        there.get("/api/v1/users/" + troll["username"], headers=troll["headers"]).status_code == 200
    )
    before = there.comment(troll, song, "before")

    name = troll["username"]
    assert (
        here.post(
            f"/api/v1/users/{name}/suspend", json={"reason": "spam"}, headers=bystander["headers"]
        ).status_code
        == 403
    )
    done = here.post(
        f"/api/v1/users/{name}/suspend", json={"reason": "spam", "days": 7}, headers=mod["headers"]
    )
    assert done.status_code == 200, done.text
    assert (
        done.json()["suspension"]["for_good"] is False
        and done.json()["suspension"]["reason"] == "spam"
    )
    # refused here at once, and on the other instance once its memo runs out
    assert here.post_comment(troll, song, "after").status_code == 401
    time.sleep(0.6)
    assert there.post_comment(troll, song, "after").status_code == 401
    assert (
        there.put(f"/api/v1/comments/{before['id']}/like", headers=troll["headers"]).status_code
        == 401
    )
    again = here.post("/api/v1/tokens", json={"username": name, "password": "correct horse"})
    assert again.status_code == 403 and "suspended until" in again.json()["error"]["message"]
    assert "spam" in again.json()["error"]["message"]
    taken = here.post("/api/v1/users", json={"username": name.upper(), "password": "correct horse"})
    assert taken.status_code == 409
    # moderators and the user see the suspension; others do not
    assert _profile(here, name, mod).json()["suspension"]["reason"] == "spam"
    assert _profile(here, name, bystander).json()["suspension"] is None
    # for good, then lifted
    forever = here.post(
        f"/api/v1/users/{name}/suspend", json={"reason": "again"}, headers=mod["headers"]
    )
    assert forever.json()["suspension"] == {"until": None, "for_good": True, "reason": "again"}
    assert here.delete(f"/api/v1/users/{name}/suspend", headers=mod["headers"]).status_code == 204
    back = here.post("/api/v1/tokens", json={"username": name, "password": "correct horse"})
    assert back.status_code == 201
    # moderators cannot be suspended (nor suspend themselves)
    other_mod = here.moderator()
    assert (
        here.post(
            f"/api/v1/users/{other_mod['username']}/suspend",
            json={"reason": "x"},
            headers=mod["headers"],
        ).status_code
        == 403
    )


def test_the_log_lists_every_hide_dismissal_and_suspension(api: Api) -> None:
    mod, troll, me = api.moderator(), api.user(), api.user()
    song = api.song(me)
    bad = api.comment(troll, song, "spam")
    meh = api.comment(troll, song, "meh")
    report = api.post(
        f"/api/v1/comments/{meh['id']}/reports", json={"reason": "dull"}, headers=me["headers"]
    ).json()
    api.post(f"/api/v1/comments/{bad['id']}/hide", headers=mod["headers"])
    api.post(f"/api/v1/comments/{bad['id']}/hide", headers=mod["headers"])  # once in the log
    api.post(f"/api/v1/reports/{report['id']}/dismiss", headers=mod["headers"])
    api.post(
        f"/api/v1/users/{troll['username']}/suspend",
        json={"reason": "spam", "days": 1},
        headers=mod["headers"],
    )
    api.delete(f"/api/v1/users/{troll['username']}/suspend", headers=mod["headers"])
    assert api.get("/api/v1/moderation/log", headers=me["headers"]).status_code == 403
    assert api.get("/api/v1/moderation/log").status_code == 401
    items, cursor = [], None
    while True:
        page = api.get(
            "/api/v1/moderation/log",
            params={"limit": 2, **({"cursor": cursor} if cursor else {})},
            headers=mod["headers"],
        ).json()
        items += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert [i["action"] for i in items] == ["unsuspend", "suspend", "dismiss", "hide"]
    assert all(i["moderator"] == {"id": mod["id"], "username": mod["username"]} for i in items)
    assert all(i["target"]["id"] == troll["id"] for i in items)
    assert items[1]["reason"] == "spam" and items[1]["until"] and not items[1]["for_good"]
    assert (items[2]["comment_id"], items[3]["comment_id"]) == (meh["id"], bad["id"])


def test_a_new_password_signs_out_every_other_session(api: Api) -> None:
    me = api.user(password="correct horse")
    laptop = api.post(
        "/api/v1/tokens", json={"username": me["username"], "password": "correct horse"}
    ).json()
    laptop_headers = {"Authorization": f"Bearer {laptop['token']}"}
    wrong = api.post(
        "/api/v1/me/password",
        json={"current_password": "nope nope", "new_password": "battery staple"},
        headers=me["headers"],
    )
    assert wrong.status_code == 403
    short = api.post(
        "/api/v1/me/password",
        json={"current_password": "correct horse", "new_password": "short"},
        headers=me["headers"],
    )
    assert short.status_code == 422
    ok = api.post(
        "/api/v1/me/password",
        json={"current_password": "correct horse", "new_password": "battery staple"},
        headers=me["headers"],
    )
    assert ok.status_code == 204
    assert api.get(f"/api/v1/users/{me['username']}", headers=me["headers"]).status_code == 200
    assert api.get(f"/api/v1/users/{me['username']}", headers=laptop_headers).status_code == 401
    old = api.post("/api/v1/tokens", json={"username": me["username"], "password": "correct horse"})
    new = api.post(
        "/api/v1/tokens", json={"username": me["username"], "password": "battery staple"}
    )
    assert (old.status_code, new.status_code) == (401, 201)


def test_the_export_holds_what_the_server_keeps(api: Api) -> None:
    me, other = api.user(), api.user()
    song = api.song(me, artist="Björk", title="Jóga")
    mine = api.comment(me, song, "goosebumps at 2:10", position_ms=130_000)
    theirs = api.comment(other, song, "same")
    api.put(f"/api/v1/comments/{theirs['id']}/like", headers=me["headers"])
    api.post(
        f"/api/v1/comments/{theirs['id']}/reports", json={"reason": "copy"}, headers=me["headers"]
    )
    assert api.get("/api/v1/me/export").status_code == 401
    doc = api.get("/api/v1/me/export", headers=me["headers"])
    assert doc.status_code == 200
    data = doc.json()
    assert data["user"]["username"] == me["username"]
    (comment,) = data["comments"]
    assert (comment["id"], comment["body"], comment["position_ms"]) == (
        mine["id"],
        "goosebumps at 2:10",
        130_000,
    )
    assert (comment["song"]["artist"], comment["song"]["title"]) == ("Björk", "Jóga")
    assert [like["comment_id"] for like in data["likes"]] == [theirs["id"]]
    assert data["reports"][0]["reason"] == "copy"
    assert len(data["sessions"]) == 1 and "token" not in str(data["sessions"])
    assert other["username"] not in doc.text.replace(str(theirs["id"]), "")


def _rows_naming(url: str, user_id: int, username: str) -> dict[str, int]:
    """Rows of every table that still name a user, by a reference to its id or by its name."""
    db = Database(url)
    found: dict[str, int] = {}
    try:
        with db.read() as conn:
            for table in metadata.sorted_tables:
                conds: list[Any] = [
                    col == user_id
                    for col in table.columns
                    if any(fk.column.table.name == "users" for fk in col.foreign_keys)
                    or (table.name == "users" and col.name == "id")
                ]
                conds += [
                    col.contains(username) for col in table.columns if col.type.python_type is str
                ]
                if conds and (n := len(conn.execute(select(table).where(or_(*conds))).all())):
                    found[table.name] = n
    finally:
        db.close()
    return found


def test_deleting_an_account_leaves_no_row_that_names_it(api: Api, database_url: str) -> None:
    me, other, mod = api.user(), api.user(), api.moderator()
    song = api.song(me)
    answered = api.comment(me, song, "kept: it has an answer")
    lonely = api.comment(me, song, "goes: nobody answered")
    answer = api.comment(other, song, "an answer", parent_id=answered["id"])
    my_reply = api.comment(me, song, "my own reply", parent_id=answer["parent_id"])
    theirs = api.comment(other, song, "liked by me")
    api.put(f"/api/v1/comments/{theirs['id']}/like", headers=me["headers"])
    api.put(f"/api/v1/comments/{theirs['id']}/like", headers=mod["headers"])
    assert api.put(f"/api/v1/me/mutes/{mod['username']}", headers=me["headers"]).status_code < 300
    api.post(
        f"/api/v1/comments/{theirs['id']}/reports", json={"reason": "x"}, headers=me["headers"]
    )
    hidden = api.comment(me, song, "hidden by a moderator")
    api.post(f"/api/v1/comments/{hidden['id']}/hide", headers=mod["headers"])
    api.post("/api/v1/tokens", json={"username": me["username"], "password": "wrong password"})
    assert _rows_naming(database_url, me["id"], me["username"])  # the check sees them at first

    refused = api.request(
        "DELETE", "/api/v1/me", json={"password": "not mine"}, headers=me["headers"]
    )
    assert refused.status_code == 403
    gone = api.request(
        "DELETE", "/api/v1/me", json={"password": "correct horse"}, headers=me["headers"]
    )
    assert gone.status_code == 204, gone.text
    assert _rows_naming(database_url, me["id"], me["username"]) == {}
    assert api.get(f"/api/v1/users/{me['username']}").status_code == 404
    assert api.get(f"/api/v1/users/{me['username']}", headers=me["headers"]).status_code == 401

    page = api.get(f"/api/v1/songs/{song}/comments").json()["items"]
    by_id = {c["id"]: c for c in page}
    assert set(by_id) == {answered["id"], theirs["id"]}
    assert by_id[answered["id"]]["author"]["username"] == "[deleted user]"
    assert by_id[answered["id"]]["body"] == "kept: it has an answer"
    assert by_id[answered["id"]]["reply_count"] == 1  # my own reply went, the other's stays
    assert by_id[theirs["id"]]["like_count"] == 1  # the moderator's like stays
    inbox = api.get("/api/v1/me/notifications", headers=other["headers"]).json()["items"]
    (group,) = [n for n in inbox if n["kind"] == "like"]
    assert group["actor_count"] == 1 and group["actors"] == [
        {"id": mod["id"], "username": mod["username"]}
    ]
    assert lonely["id"] not in by_id and my_reply["id"] not in by_id
    counts = api.get("/api/v1/songs/counts", params={"ids": str(song)}).json()["counts"]
    assert counts[str(song)] == 3  # answered, its answer, theirs
    # a second deletion reuses the stand-in; the name can be registered again
    again = api.user(me["username"])
    kept = api.comment(again, song, "new me", parent_id=theirs["id"])
    assert kept["author"]["username"] == me["username"]


def test_a_suspended_account_cannot_delete_itself_free(api: Api) -> None:
    troll, mod = api.user(), api.moderator()
    token = troll["headers"]
    api.post(
        f"/api/v1/users/{troll['username']}/suspend",
        json={"reason": "spam"},
        headers=mod["headers"],
    )
    refused = api.request("DELETE", "/api/v1/me", json={"password": "correct horse"}, headers=token)
    assert refused.status_code == 401  # its tokens went with the suspension
    assert (
        api.post(
            "/api/v1/users", json={"username": troll["username"], "password": "correct horse"}
        ).status_code
        == 409
    )
