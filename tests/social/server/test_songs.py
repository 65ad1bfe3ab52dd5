"""Song identity: aliases, strongest identifier first, normalisation, counts."""

from __future__ import annotations

import pytest

from .conftest import Api

MBID = "b1a9c0e9-d987-4042-ae91-78d6a3267d69"


def resolve(api: Api, who: dict | None, **ids: object) -> dict:
    headers = who["headers"] if who else {}
    resp = api.post("/api/v1/songs/resolve", json=ids, headers=headers)
    assert resp.status_code == 200, resp.text
    return resp.json()


def test_each_identifier_resolves_to_a_stable_song(api: Api) -> None:
    me = api.user()
    for ids in (
        {"mbid": MBID},
        {"isrc": "USRC17607839"},
        {"fingerprint": "AQADtMmybfGO8NCNEESLnzHyXNOHeHnG"},
        {"artist": "Nina Simone", "title": "Feeling Good", "duration_ms": 172000},
    ):
        first = resolve(api, me, **ids)
        assert first["comment_count"] == 0 and first["song_id"] > 0
        assert resolve(api, me, **ids)["song_id"] == first["song_id"]
    assert (
        len(
            {
                resolve(api, me, mbid=MBID)["song_id"],
                resolve(api, me, isrc="USRC17607839")["song_id"],
            }
        )
        == 2
    )


def test_a_request_links_its_aliases_to_one_song(api: Api) -> None:
    me = api.user()
    by_tags = resolve(api, me, artist="Portishead", title="Roads", duration_ms=305_000)["song_id"]
    # a second listener's file has the same tags plus an MBID and an ISRC
    linked = resolve(
        api,
        me,
        mbid=MBID,
        isrc="gb-aaa-94-00001",
        artist="portishead",
        title="Roads",
        duration_ms=306_000,
    )["song_id"]
    assert linked == by_tags
    # from now on each alias alone lands there too
    assert resolve(api, me, mbid=MBID.upper())["song_id"] == by_tags
    assert resolve(api, me, isrc="GBAAA9400001")["song_id"] == by_tags
    # a request tying a known alias to one of another song merges the two (test_merge.py):
    # the song with the strongest identifier survives
    other = resolve(api, me, artist="Someone Else", title="Other")["song_id"]
    assert other != by_tags
    assert resolve(api, me, mbid=MBID, artist="Someone Else", title="Other")["song_id"] == by_tags
    assert resolve(api, me, artist="Someone Else", title="Other")["song_id"] == by_tags


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (("The Beatles", "Let It Be (Remastered 2009)"), ("the  beatles", "Let It Be")),
        (
            ("Daft Punk feat. Pharrell Williams", "Get Lucky"),
            ("Daft Punk", "Get Lucky (feat. Pharrell)"),
        ),
        (("ＡＢＢＡ", "Ｗａｔｅｒｌｏｏ"), ("abba", "waterloo")),
        (("周杰倫", "晴天"), ("周杰倫", "晴天 - 2003 Remaster")),
    ],
)
def test_normalised_tags_meet(api: Api, a: tuple[str, str], b: tuple[str, str]) -> None:
    me = api.user()
    first = resolve(api, me, artist=a[0], title=a[1], duration_ms=200_000)["song_id"]
    second = resolve(api, me, artist=b[0], title=b[1], duration_ms=201_000)["song_id"]
    assert first == second


def test_chinese_is_never_transliterated_and_durations_differ(api: Api) -> None:
    me = api.user()
    hanzi = resolve(api, me, artist="周杰倫", title="晴天", duration_ms=269_000)["song_id"]
    pinyin = resolve(api, me, artist="Zhou Jielun", title="Qing Tian", duration_ms=269_000)[
        "song_id"
    ]
    simplified = resolve(api, me, artist="周杰伦", title="晴天", duration_ms=269_000)["song_id"]
    longer = resolve(api, me, artist="周杰倫", title="晴天", duration_ms=400_000)["song_id"]
    assert len({hanzi, pinyin, simplified, longer}) == 4


def test_anonymous_lookups_create_nothing(api: Api) -> None:
    assert resolve(api, None, isrc="USRC17607839") == {"song_id": None, "comment_count": 0}
    me = api.user()
    song = resolve(api, me, isrc="USRC17607839")["song_id"]
    assert resolve(api, None, isrc="USRC17607839")["song_id"] == song
    assert resolve(api, None, mbid=MBID, isrc="USRC17607839")["song_id"] == song
    assert resolve(api, me, mbid=MBID)["song_id"] != song  # the anonymous call linked nothing


def test_unrecognised_identifiers_are_refused(api: Api) -> None:
    me = api.user()
    for ids in ({}, {"mbid": "not-a-uuid"}, {"isrc": "??"}, {"artist": "only an artist"}):
        resp = api.post("/api/v1/songs/resolve", json=ids, headers=me["headers"])
        assert resp.status_code == 422, ids
        assert resp.json()["error"]["code"] in ("no_identifier", "invalid")


def test_counts_for_many_songs(api: Api) -> None:
    me = api.user()
    one, two = api.song(me), api.song(me)
    for _ in range(3):
        api.comment(me, one)
    api.comment(me, two)
    resp = api.get(f"/api/v1/songs/counts?ids={one},{two},999999")
    assert resp.status_code == 200
    assert resp.json() == {"counts": {str(one): 3, str(two): 1, "999999": 0}}
    assert resolve(api, me, artist="Artist", title="x")["comment_count"] == 0
    assert api.get("/api/v1/songs/counts?ids=1,x").status_code == 422
    many = ",".join(str(i) for i in range(1, 502))
    assert api.get(f"/api/v1/songs/counts?ids={many}").status_code == 422
