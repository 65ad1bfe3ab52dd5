"""Input safety: body rules, the 16 KiB limit, JSON errors, no writes without a token."""

from __future__ import annotations

import pytest

from .conftest import Api


@pytest.mark.parametrize(
    ("body", "stored"),
    [
        ("  hello  ", "hello"),
        ("e\u0301", "\u00e9"),  # NFC
        ("x" * 2000, "x" * 2000),
        ("\n".join("l" * 21), "\n".join("l" * 21)),  # 20 line breaks
        ("q\u0300\u0301\u0302\u0303\u0304\u0305\u0306\u0307", None),  # 8 marks: fine
        ("我喜欢这首歌 🎵", None),
        ("<script>alert(1)</script> **bold**", None),  # plain text, kept verbatim
        ("'); DROP TABLE comments; --", None),
    ],
)
def test_bodies_accepted(api: Api, body: str, stored: str | None) -> None:
    me = api.user()
    resp = api.post_comment(me, api.song(me), body)
    assert resp.status_code == 201, resp.text
    assert resp.json()["body"] == (stored if stored is not None else body)


@pytest.mark.parametrize(
    "body",
    [
        "",
        "   \n  ",
        "x" * 2001,
        "bell\x07",
        "tab\tchar",
        "nul\x00",
        "evil \u202e txt",
        "isolate \u2066x\u2069",
        "q" + "\u0300" * 9,
        "\n".join("l" * 22),
    ],
)
def test_bodies_refused(api: Api, body: str) -> None:
    me = api.user()
    resp = api.post_comment(me, api.song(me), body)
    assert resp.status_code == 422
    assert resp.json()["error"]["code"] == "invalid_body"


def test_large_bodies_are_refused_before_reading(api: Api) -> None:
    me = api.user()
    song = api.song(me)
    headers = {**me["headers"], "Idempotency-Key": "6f1c1d6e-4a39-4c7e-9f7a-0e7e8f5f4b11"}
    big = b'{"body": "' + b"x" * 17000 + b'"}'
    resp = api.post(
        f"/api/v1/songs/{song}/comments",
        content=big,
        headers={**headers, "Content-Type": "application/json"},
    )
    assert resp.status_code == 413
    assert resp.json()["error"]["code"] == "too_large"

    def chunks():  # no Content-Length: counted while streaming
        for _ in range(40):
            yield b"x" * 1024

    streamed = api.post(
        f"/api/v1/songs/{song}/comments",
        content=chunks(),
        headers={**headers, "Content-Type": "application/json"},
    )
    assert streamed.status_code == 413
    assert streamed.json()["error"]["code"] == "too_large"
    assert api.get(f"/api/v1/songs/counts?ids={song}").json()["counts"][str(song)] == 0


def test_errors_are_json_never_html(api: Api) -> None:
    me = api.user()
    cases = [
        api.get("/api/v1/nowhere"),
        api.delete("/api/v1/songs/resolve"),
        api.post(
            "/api/v1/users", content=b"{not json", headers={"Content-Type": "application/json"}
        ),
        api.post("/api/v1/users", json={"username": "x"}),
        api.post("/api/v1/users", json={"username": "abc", "password": "12345678", "extra": 1}),
        api.get("/api/v1/songs/abc/comments"),
        api.get("/api/v1/songs/1/comments", params={"sort": "random"}),
        api.get("/api/v1/songs/1/comments", params={"limit": 0}),
        api.post("/api/v1/songs/1/comments", json={"body": "x"}),
    ]
    song = api.song(me)
    cases.append(api.get(f"/api/v1/songs/{song}/comments", params={"cursor": "garbage"}))
    statuses = [r.status_code for r in cases]
    assert statuses == [404, 405, 422, 422, 422, 422, 422, 422, 401, 400]
    for resp in cases:
        assert resp.headers["content-type"].startswith("application/json")
        err = resp.json()["error"]
        assert isinstance(err["code"], str) and isinstance(err["message"], str) and err["message"]


def test_a_cursor_of_another_list_is_refused(api: Api) -> None:
    me = api.user()
    song = api.song(me)
    top = api.comment(me, song)
    for i in range(3):
        api.comment(me, song, f"r{i}", parent_id=top["id"])
    cursor = api.get(f"/api/v1/comments/{top['id']}/replies", params={"limit": 1}).json()[
        "next_cursor"
    ]
    assert cursor
    resp = api.get(f"/api/v1/songs/{song}/comments", params={"cursor": cursor})
    assert resp.status_code == 400 and resp.json()["error"]["code"] == "bad_cursor"


def test_every_write_needs_a_token(api: Api) -> None:
    me = api.user()
    song = api.song(me)
    c = api.comment(me, song)
    writes = [
        api.post(
            f"/api/v1/songs/{song}/comments",
            json={"body": "x"},
            headers={"Idempotency-Key": "6f1c1d6e-4a39-4c7e-9f7a-0e7e8f5f4b11"},
        ),
        api.patch(f"/api/v1/comments/{c['id']}", json={"body": "x"}),
        api.delete(f"/api/v1/comments/{c['id']}"),
        api.put(f"/api/v1/comments/{c['id']}/like"),
        api.delete(f"/api/v1/comments/{c['id']}/like"),
        api.post(f"/api/v1/comments/{c['id']}/reports", json={"reason": "x"}),
        api.post(f"/api/v1/comments/{c['id']}/hide"),
        api.delete("/api/v1/tokens/current"),
    ]
    assert [w.status_code for w in writes] == [401] * len(writes)
    assert api.get(f"/api/v1/songs/{song}/comments").json()["items"][0]["body"] == "nice"


def test_bytes_no_database_can_store_are_refused_not_crashing(api: Api) -> None:
    me = api.user()
    song = api.song(me)
    # found by the schemathesis run on PostgreSQL: NUL and lone surrogates
    assert (
        api.post("/api/v1/tokens", json={"username": "\x00", "password": "whatever1"}).status_code
        == 401
    )
    assert (
        api.post("/api/v1/users", json={"username": "ab\x00c", "password": "whatever1"}).status_code
        == 422
    )
    lone = b'{"username": "fine_name", "password": "pass\\ud800word"}'
    for path in ("/api/v1/users", "/api/v1/tokens"):
        resp = api.post(path, content=lone, headers={"Content-Type": "application/json"})
        assert resp.status_code == 422, resp.text
    body = b'{"body": "hi \\udfff"}'
    resp = api.post(
        f"/api/v1/songs/{song}/comments",
        content=body,
        headers={
            **me["headers"],
            "Content-Type": "application/json",
            "Idempotency-Key": "6f1c1d6e-4a39-4c7e-9f7a-0e7e8f5f4b12",
        },
    )
    assert resp.status_code == 422
    tagged = api.post(
        "/api/v1/songs/resolve", json={"artist": "A\x00", "title": "T\x00"}, headers=me["headers"]
    )
    assert tagged.status_code == 200
    assert tagged.json()["song_id"] == api.song(me, artist="A", title="T")
