"""Editing and deleting: only what is yours, edits within the window, thread shape kept."""

from __future__ import annotations

from collections.abc import Callable

from .conftest import Api


def test_author_edits_within_the_window(api: Api) -> None:
    me, other = api.user(), api.user()
    song = api.song(me)
    c = api.comment(me, song, "typo")
    resp = api.patch(f"/api/v1/comments/{c['id']}", json={"body": "fixed"}, headers=me["headers"])
    assert resp.status_code == 200
    assert resp.json()["body"] == "fixed" and resp.json()["edited_at"] is not None
    theirs = api.patch(
        f"/api/v1/comments/{c['id']}", json={"body": "mine"}, headers=other["headers"]
    )
    assert theirs.status_code == 403
    assert api.patch(f"/api/v1/comments/{c['id']}", json={"body": "x"}).status_code == 401
    bad = api.patch(f"/api/v1/comments/{c['id']}", json={"body": "\u202e"}, headers=me["headers"])
    assert bad.status_code == 422
    assert api.get(f"/api/v1/songs/{song}/comments").json()["items"][0]["body"] == "fixed"


def test_no_edits_after_the_window(server_factory: Callable[..., Api]) -> None:
    api = server_factory(edit_window_s=0)
    me = api.user()
    c = api.comment(me, api.song(me), "final")
    resp = api.patch(f"/api/v1/comments/{c['id']}", json={"body": "changed"}, headers=me["headers"])
    assert resp.status_code == 403
    assert resp.json()["error"]["code"] == "edit_window_closed"


def test_delete_by_author_or_moderator_only(api: Api) -> None:
    me, other, mod = api.user(), api.user(), api.moderator()
    song = api.song(me)
    a, b = api.comment(me, song, "a"), api.comment(me, song, "b")
    assert api.delete(f"/api/v1/comments/{a['id']}", headers=other["headers"]).status_code == 403
    assert api.delete(f"/api/v1/comments/{a['id']}").status_code == 401
    assert api.delete(f"/api/v1/comments/{a['id']}", headers=me["headers"]).status_code == 204
    assert api.delete(f"/api/v1/comments/{b['id']}", headers=mod["headers"]).status_code == 204
    assert api.delete(f"/api/v1/comments/{b['id']}", headers=mod["headers"]).status_code == 204
    assert api.get(f"/api/v1/songs/{song}/comments").json()["items"] == []
    assert api.get(f"/api/v1/songs/counts?ids={song}").json()["counts"][str(song)] == 0
    assert api.delete("/api/v1/comments/999999", headers=me["headers"]).status_code == 404


def test_deleted_comment_with_replies_keeps_the_thread(api: Api) -> None:
    me, friend = api.user(), api.user()
    song = api.song(me)
    top = api.comment(me, song, "regrettable")
    reply = api.comment(friend, song, "answer", parent_id=top["id"])
    api.delete(f"/api/v1/comments/{top['id']}", headers=me["headers"])
    items = api.get(f"/api/v1/songs/{song}/comments").json()["items"]
    assert len(items) == 1
    shell = items[0]
    assert shell["deleted"] is True and shell["body"] == "[deleted]" and shell["author"] is None
    assert shell["reply_count"] == 1
    replies = api.get(f"/api/v1/comments/{top['id']}/replies").json()["items"]
    assert [r["id"] for r in replies] == [reply["id"]]
    # nobody can edit, like or answer the shell
    assert (
        api.patch(
            f"/api/v1/comments/{top['id']}", json={"body": "x"}, headers=me["headers"]
        ).status_code
        == 404
    )
    assert (
        api.put(f"/api/v1/comments/{top['id']}/like", headers=friend["headers"]).status_code == 404
    )
    # once its last reply goes, the shell goes too
    api.delete(f"/api/v1/comments/{reply['id']}", headers=friend["headers"])
    assert api.get(f"/api/v1/songs/{song}/comments").json()["items"] == []
