"""Signed-in reads from the cached anonymous page: likes overlaid, ETags per reader, fallbacks."""

from __future__ import annotations

from collections.abc import Callable

from .conftest import Api


def _like(api: Api, who: dict, comment_id: int) -> None:
    resp = api.put(f"/api/v1/comments/{comment_id}/like", headers=who["headers"])
    assert resp.status_code == 200, resp.text


def test_overlaid_pages_equal_the_full_path(server_factory: Callable[..., Api]) -> None:
    cached, plain = server_factory(read_cache_s=3600), server_factory(read_cache_s=0)
    me, other = cached.user(), cached.user()
    song = cached.song(me)
    made = [cached.comment(other, song, f"c{i}") for i in range(5)]
    # a body that looks like the flag itself must not confuse the overlay
    tricky = cached.comment(other, song, '"liked_by_me":false and {"liked_by_me":false}')
    for c in (made[1], made[3], tricky):
        _like(cached, me, c["id"])
    for query in ("sort=new", "sort=hot", "sort=new&limit=2"):
        url = f"/api/v1/songs/{song}/comments?{query}"
        assert cached.get(url).status_code == 200  # the anonymous page is now cached
        mine = cached.get(url, headers=me["headers"])
        assert mine.status_code == 200
        assert mine.json() == plain.get(url, headers=me["headers"]).json()
        assert cached.get(url, headers=other["headers"]).json() == plain.get(url).json()
    liked = {
        c["id"]
        for c in cached.get(f"/api/v1/songs/{song}/comments", headers=me["headers"]).json()["items"]
        if c["liked_by_me"]
    }
    assert liked == {made[1]["id"], made[3]["id"], tricky["id"]}


def test_etags_are_per_reader_and_follow_likes_made_elsewhere(
    server_factory: Callable[..., Api],
) -> None:
    cached, other_instance = server_factory(read_cache_s=3600), server_factory()
    me, you = cached.user(), cached.user()
    song = cached.song(me)
    first, second = cached.comment(you, song, "one"), cached.comment(you, song, "two")
    url = f"/api/v1/songs/{song}/comments"
    anon_etag = cached.get(url).headers["etag"]
    mine = cached.get(url, headers=me["headers"])
    yours = cached.get(url, headers=you["headers"])
    assert len({anon_etag, mine.headers["etag"], yours.headers["etag"]}) == 3
    assert (
        cached.get(
            url, headers={**me["headers"], "If-None-Match": mine.headers["etag"]}
        ).status_code
        == 304
    )
    # someone else's ETag is no good for me
    assert (
        cached.get(
            url, headers={**me["headers"], "If-None-Match": yours.headers["etag"]}
        ).status_code
        == 200
    )
    # a like through another instance leaves this instance's page cached, yet my view changes
    _like(other_instance, me, first["id"])
    after = cached.get(url, headers={**me["headers"], "If-None-Match": mine.headers["etag"]})
    assert after.status_code == 200
    flags = {c["id"]: c["liked_by_me"] for c in after.json()["items"]}
    assert flags == {first["id"]: True, second["id"]: False}
    assert after.headers["etag"] != mine.headers["etag"]


def test_authors_of_hidden_comments_and_moderators_see_them(
    server_factory: Callable[..., Api],
) -> None:
    api = server_factory(read_cache_s=3600)
    me, troll, mod = api.user(), api.user(), api.moderator()
    song = api.song(me)
    keep = api.comment(me, song, "fine")
    bad = api.comment(troll, song, "nasty")
    assert api.post(f"/api/v1/comments/{bad['id']}/hide", headers=mod["headers"]).status_code == 200
    url = f"/api/v1/songs/{song}/comments"
    assert [c["id"] for c in api.get(url).json()["items"]] == [keep["id"]]  # cached now
    assert [c["id"] for c in api.get(url, headers=me["headers"]).json()["items"]] == [keep["id"]]
    for who in (troll, mod):
        items = api.get(url, headers=who["headers"]).json()["items"]
        assert [c["id"] for c in items] == [bad["id"], keep["id"]]
        assert items[0]["hidden"] is True


def test_a_revoked_token_is_refused_at_once_here_and_soon_elsewhere(
    server_factory: Callable[..., Api],
) -> None:
    here = server_factory(read_cache_s=3600)
    trusting = server_factory(read_cache_s=3600, token_cache_s=3600)
    strict = server_factory(read_cache_s=3600, token_cache_s=0)
    me = here.user()
    song = here.song(me)
    here.comment(me, song)
    url = f"/api/v1/songs/{song}/comments"
    for instance in (here, trusting, strict):
        assert instance.get(url).status_code == 200
        assert instance.get(url, headers=me["headers"]).status_code == 200
    assert here.delete("/api/v1/tokens/current", headers=me["headers"]).status_code == 204
    refused = here.get(url, headers=me["headers"])
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "unauthorized"
    assert strict.get(url, headers=me["headers"]).status_code == 401
    # an instance that checked the token lately trusts it until its token cache expires
    assert trusting.get(url, headers=me["headers"]).status_code == 200


def test_bad_tokens_and_unknown_songs_still_fail_properly(api: Api) -> None:
    me = api.user()
    song = api.song(me)
    api.comment(me, song)
    url = f"/api/v1/songs/{song}/comments"
    assert api.get(url).status_code == 200
    bad = api.get(url, headers={"Authorization": "Bearer nonsense"})
    assert bad.status_code == 401
    assert api.get("/api/v1/songs/999999/comments", headers=me["headers"]).status_code == 404
    assert api.get(f"{url}?sort=sideways", headers=me["headers"]).status_code == 422
    assert api.get(f"{url}?cursor=%%%", headers=me["headers"]).status_code == 400
