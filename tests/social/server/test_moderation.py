"""Reports and hiding: moderators only; hidden comments vanish for everyone else."""

from __future__ import annotations

from .conftest import Api


def test_reports_reach_moderators_only(api: Api) -> None:
    me, troll, mod = api.user(), api.user(), api.moderator()
    song = api.song(me)
    bad = api.comment(troll, song, "spam spam")
    first = api.post(
        f"/api/v1/comments/{bad['id']}/reports", json={"reason": "spam"}, headers=me["headers"]
    )
    again = api.post(
        f"/api/v1/comments/{bad['id']}/reports", json={"reason": "spam!"}, headers=me["headers"]
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert (
        api.post(
            f"/api/v1/comments/{bad['id']}/reports", json={"reason": ""}, headers=me["headers"]
        ).status_code
        == 422
    )
    assert (
        api.post(f"/api/v1/comments/{bad['id']}/reports", json={"reason": "x"}).status_code == 401
    )
    assert api.get("/api/v1/reports", headers=me["headers"]).status_code == 403
    assert api.get("/api/v1/reports").status_code == 401
    listed = api.get("/api/v1/reports", headers=mod["headers"])
    assert listed.status_code == 200
    (item,) = listed.json()["items"]
    assert item["reason"] == "spam" and item["comment"]["id"] == bad["id"]
    assert item["reporter"] == {"id": me["id"], "username": me["username"]}


def test_reports_page_by_cursor(api: Api) -> None:
    mod = api.moderator()
    song = api.song(mod)
    reporters = [api.user() for _ in range(5)]
    c = api.comment(mod, song)
    for r in reporters:
        api.post(
            f"/api/v1/comments/{c['id']}/reports", json={"reason": "meh"}, headers=r["headers"]
        )
    seen, cursor = [], None
    while True:
        page = api.get(
            "/api/v1/reports",
            params={"limit": 2, **({"cursor": cursor} if cursor else {})},
            headers=mod["headers"],
        ).json()
        seen += [i["reporter"]["id"] for i in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == [r["id"] for r in reversed(reporters)]


def test_hidden_comments_vanish_except_for_author_and_moderators(api: Api) -> None:
    me, troll, mod = api.user(), api.user(), api.moderator()
    song = api.song(me)
    keep = api.comment(me, song, "fine")
    bad = api.comment(troll, song, "nasty")
    api.post(
        f"/api/v1/comments/{bad['id']}/reports", json={"reason": "rude"}, headers=me["headers"]
    )
    assert api.post(f"/api/v1/comments/{bad['id']}/hide", headers=me["headers"]).status_code == 403
    hidden = api.post(f"/api/v1/comments/{bad['id']}/hide", headers=mod["headers"])
    assert hidden.status_code == 200 and hidden.json()["hidden"] is True
    url = f"/api/v1/songs/{song}/comments"
    assert [c["id"] for c in api.get(url).json()["items"]] == [keep["id"]]
    assert [c["id"] for c in api.get(url, headers=me["headers"]).json()["items"]] == [keep["id"]]
    assert [c["id"] for c in api.get(url, headers=troll["headers"]).json()["items"]] == [
        bad["id"],
        keep["id"],
    ]
    assert [c["id"] for c in api.get(url, headers=mod["headers"]).json()["items"]] == [
        bad["id"],
        keep["id"],
    ]
    assert api.get(f"/api/v1/songs/counts?ids={song}").json()["counts"][str(song)] == 1
    # nobody else can touch it; the report is resolved
    assert api.put(f"/api/v1/comments/{bad['id']}/like", headers=me["headers"]).status_code == 404
    assert api.post_comment(me, song, "re", parent_id=bad["id"]).status_code == 404
    assert api.get("/api/v1/reports", headers=mod["headers"]).json()["items"] == []
    # hiding twice changes nothing
    assert api.post(f"/api/v1/comments/{bad['id']}/hide", headers=mod["headers"]).status_code == 200
    assert api.get(f"/api/v1/songs/counts?ids={song}").json()["counts"][str(song)] == 1


def test_hidden_replies_leave_the_count(api: Api) -> None:
    me, troll, mod = api.user(), api.user(), api.moderator()
    song = api.song(me)
    top = api.comment(me, song)
    reply = api.comment(troll, song, "bad reply", parent_id=top["id"])
    api.post(f"/api/v1/comments/{reply['id']}/hide", headers=mod["headers"])
    assert api.get(f"/api/v1/songs/{song}/comments").json()["items"][0]["reply_count"] == 0
    assert api.get(f"/api/v1/comments/{top['id']}/replies").json()["items"] == []
    assert (
        len(
            api.get(f"/api/v1/comments/{top['id']}/replies", headers=troll["headers"]).json()[
                "items"
            ]
        )
        == 1
    )


def test_moderators_dismiss_reports_without_hiding(api: Api) -> None:
    me, other, author, mod = api.user(), api.user(), api.user(), api.moderator()
    song = api.song(me)
    fine = api.comment(author, song, "an honest opinion")
    reports = [
        api.post(
            f"/api/v1/comments/{fine['id']}/reports", json={"reason": "meh"}, headers=who["headers"]
        ).json()["id"]
        for who in (me, other)
    ]
    assert (
        api.post(f"/api/v1/reports/{reports[0]}/dismiss", headers=me["headers"]).status_code == 403
    )
    assert api.post(f"/api/v1/reports/{reports[0]}/dismiss").status_code == 401
    missing = api.post("/api/v1/reports/999999/dismiss", headers=mod["headers"])
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"

    def listed() -> list[int]:
        page = api.get("/api/v1/reports", headers=mod["headers"]).json()
        return [i["id"] for i in page["items"]]

    assert listed() == list(reversed(reports))
    for _ in range(2):  # dismissing twice is harmless
        assert (
            api.post(f"/api/v1/reports/{reports[0]}/dismiss", headers=mod["headers"]).status_code
            == 204
        )
    assert listed() == [reports[1]]
    # the comment stays visible to everyone
    items = api.get(f"/api/v1/songs/{song}/comments").json()["items"]
    assert [c["id"] for c in items] == [fine["id"]] and items[0]["hidden"] is False
    assert (
        api.post(f"/api/v1/reports/{reports[1]}/dismiss", headers=mod["headers"]).status_code == 204
    )
    assert listed() == []
    assert "/api/v1/reports/{report_id}/dismiss" in api.get("/openapi.json").json()["paths"]
