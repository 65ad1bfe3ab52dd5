"""Merging songs: one resolve request carrying aliases of two songs makes them one."""

from __future__ import annotations

from .conftest import Api

MBID = "b1a9c0e9-d987-4042-ae91-78d6a3267d69"
OTHER_MBID = "0f6b9a3e-2d6c-4f0e-9d55-7a1c3c1f2e10"
TAGS = {"artist": "Portishead", "title": "Roads", "duration_ms": 305_000}


def resolve(api: Api, who: dict | None, **ids: object) -> dict:
    resp = api.post("/api/v1/songs/resolve", json=ids, headers=who["headers"] if who else {})
    assert resp.status_code == 200, resp.text
    return resp.json()


def counts(api: Api, *ids: int) -> dict[str, int]:
    return api.get(f"/api/v1/songs/counts?ids={','.join(map(str, ids))}").json()["counts"]


def thread(api: Api, song: int, who: dict | None = None) -> list[int]:
    resp = api.get(f"/api/v1/songs/{song}/comments", headers=who["headers"] if who else {})
    assert resp.status_code == 200, resp.text
    return [c["id"] for c in resp.json()["items"]]


def test_a_request_tying_two_songs_merges_them(api: Api) -> None:
    me = api.user()
    strong = resolve(api, me, mbid=MBID)["song_id"]
    weak = resolve(api, me, **TAGS)["song_id"]
    assert strong != weak
    on_strong = [api.comment(me, strong, f"s{i}")["id"] for i in range(2)]
    on_weak = [api.comment(me, weak, f"w{i}")["id"] for i in range(3)]
    api.comment(me, weak, "a reply", parent_id=on_weak[0])
    assert counts(api, strong, weak) == {str(strong): 2, str(weak): 4}
    assert thread(api, weak) == list(reversed(on_weak))  # now in the read cache
    # an anonymous look-up links nothing and merges nothing
    assert resolve(api, None, mbid=MBID, **TAGS) == {"song_id": strong, "comment_count": 2}
    assert counts(api, weak) == {str(weak): 4}
    merged = resolve(api, me, mbid=MBID, **TAGS)
    assert merged == {"song_id": strong, "comment_count": 6}  # the MBID's song survives
    # both ids show one thread with every comment, and count the same
    expected = sorted(on_strong + on_weak, reverse=True)
    assert thread(api, strong) == expected
    assert thread(api, weak) == expected
    assert thread(api, weak, me) == expected
    assert counts(api, strong, weak) == {str(strong): 6, str(weak): 6}
    replies = api.get(f"/api/v1/comments/{on_weak[0]}/replies").json()["items"]
    assert [r["song_id"] for r in replies] == [strong]
    # every alias now resolves to the survivor; posting to the old id lands there too
    assert resolve(api, me, **TAGS)["song_id"] == strong
    assert resolve(api, None, **TAGS)["song_id"] == strong
    posted = api.comment(me, weak, "late")
    assert posted["song_id"] == strong
    assert counts(api, strong, weak) == {str(strong): 7, str(weak): 7}
    assert thread(api, weak)[0] == posted["id"]


def test_the_strongest_identity_survives_and_old_merges_follow(api: Api) -> None:
    me = api.user()
    by_tags = resolve(api, me, **TAGS)["song_id"]  # oldest, weakest
    by_print = resolve(api, me, fingerprint="AQADtMmybfGO8NCN")["song_id"]
    api.comment(me, by_tags, "tags")
    api.comment(me, by_print, "print")
    assert resolve(api, me, fingerprint="AQADtMmybfGO8NCN", **TAGS)["song_id"] == by_print
    by_isrc = resolve(api, me, isrc="USRC17607839")["song_id"]
    api.comment(me, by_isrc, "isrc")
    survivor = resolve(api, me, isrc="USRC17607839", fingerprint="AQADtMmybfGO8NCN")
    assert survivor == {"song_id": by_isrc, "comment_count": 3}
    # the first merged song now points straight at the final survivor
    assert counts(api, by_tags, by_print, by_isrc) == {
        str(by_tags): 3,
        str(by_print): 3,
        str(by_isrc): 3,
    }
    assert len(thread(api, by_tags)) == 3
    assert resolve(api, me, **TAGS)["song_id"] == by_isrc


def test_different_recordings_are_never_merged(api: Api) -> None:
    me = api.user()
    first = resolve(api, me, mbid=MBID)["song_id"]
    second = resolve(api, me, mbid=OTHER_MBID, **TAGS)["song_id"]
    api.comment(me, first, "one")
    # the tags belong to the second recording; an MBID of the first wins and merges nothing
    assert resolve(api, me, mbid=MBID, **TAGS)["song_id"] == first
    assert counts(api, first, second) == {str(first): 1, str(second): 0}
    assert resolve(api, me, mbid=OTHER_MBID)["song_id"] == second
