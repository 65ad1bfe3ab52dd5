"""Conditional GET: comment lists answer If-None-Match with 304 until something changes."""

from __future__ import annotations

from .conftest import Api


def test_unchanged_list_is_304_and_any_change_is_a_new_etag(api: Api) -> None:
    me, fan = api.user(), api.user()
    song = api.song(me)
    c = api.comment(me, song)
    url = f"/api/v1/songs/{song}/comments"
    first = api.get(url)
    etag = first.headers["etag"]
    again = api.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert api.get(url, headers={"If-None-Match": '"other", ' + etag}).status_code == 304
    assert api.get(url, headers={"If-None-Match": '"other"'}).status_code == 200
    tags = {etag}
    for change in (
        lambda: api.put(f"/api/v1/comments/{c['id']}/like", headers=fan["headers"]),
        lambda: api.patch(
            f"/api/v1/comments/{c['id']}", json={"body": "edited"}, headers=me["headers"]
        ),
        lambda: api.comment(fan, song, "reply", parent_id=c["id"]),
        lambda: api.comment(fan, song, "new"),
    ):
        change()
        resp = api.get(url, headers={"If-None-Match": etag})
        assert resp.status_code == 200
        etag = resp.headers["etag"]
        assert etag not in tags
        tags.add(etag)


def test_etag_depends_on_viewer_and_query(api: Api) -> None:
    me = api.user()
    song = api.song(me)
    api.comment(me, song)
    url = f"/api/v1/songs/{song}/comments"
    anon = api.get(url).headers["etag"]
    mine = api.get(url, headers=me["headers"]).headers["etag"]
    hot = api.get(url, params={"sort": "hot"}).headers["etag"]
    assert len({anon, mine, hot}) == 3
    assert api.get(url, headers={**me["headers"], "If-None-Match": anon}).status_code == 200


def test_replies_carry_etags_too(api: Api) -> None:
    me = api.user()
    song = api.song(me)
    top = api.comment(me, song)
    url = f"/api/v1/comments/{top['id']}/replies"
    etag = api.get(url).headers["etag"]
    assert api.get(url, headers={"If-None-Match": etag}).status_code == 304
    api.comment(me, song, "reply", parent_id=top["id"])
    assert api.get(url, headers={"If-None-Match": etag}).status_code == 200
