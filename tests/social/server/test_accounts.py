"""Accounts and tokens: sign-up rules, Argon2id, bearer tokens that expire and revoke."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from player.social.server.schema import tokens, users

from .conftest import Api


def test_sign_up_and_sign_in(api: Api) -> None:
    made = api.post("/api/v1/users", json={"username": "alice", "password": "secret123"})
    assert made.status_code == 201
    assert made.json() == {"id": made.json()["id"], "username": "alice"}
    token = api.post("/api/v1/tokens", json={"username": "ALICE", "password": "secret123"})
    assert token.status_code == 201
    body = token.json()
    assert len(body["token"]) >= 40 and body["expires_at"].endswith("Z")


def test_taken_names_conflict_case_insensitively(api: Api) -> None:
    assert (
        api.post("/api/v1/users", json={"username": "Bob", "password": "x" * 8}).status_code == 201
    )
    again = api.post("/api/v1/users", json={"username": "bob", "password": "y" * 8})
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "username_taken"


@pytest.mark.parametrize(
    ("username", "ok"),
    [
        ("ab", False),
        ("a" * 33, False),
        ("has space", False),
        ("semi;colon", False),
        ("dash-name", False),
        ("周杰伦粉丝", True),
        ("user_01", True),
        ("a" * 32, True),
    ],
)
def test_username_rules(api: Api, username: str, ok: bool) -> None:
    resp = api.post("/api/v1/users", json={"username": username, "password": "password"})
    assert resp.status_code == (201 if ok else 422), resp.text
    if ok:
        assert resp.json()["username"] == username


@pytest.mark.parametrize(("length", "status"), [(7, 422), (8, 201), (256, 201), (257, 422)])
def test_password_length(api: Api, length: int, status: int) -> None:
    resp = api.post("/api/v1/users", json={"username": f"pw{length}", "password": "p" * length})
    assert resp.status_code == status


def test_passwords_are_argon2id_and_tokens_stored_as_hashes(api: Api) -> None:
    alice = api.user("alice", "secret123")
    with api.state.db.read() as conn:
        stored = conn.execute(select(users.c.password_hash)).scalar_one()
        hashes = conn.execute(select(tokens.c.token_hash)).scalars().all()
    assert stored.startswith("$argon2id$") and "secret123" not in stored
    assert alice["token"] not in hashes and len(hashes) == 1 and len(hashes[0]) == 64


def test_wrong_password_and_unknown_user_fail_alike(api: Api) -> None:
    api.user("carol", "secret123")
    wrong = api.post("/api/v1/tokens", json={"username": "carol", "password": "nope-nope"})
    nobody = api.post("/api/v1/tokens", json={"username": "nobody", "password": "nope-nope"})
    assert wrong.status_code == nobody.status_code == 401
    assert wrong.json() == nobody.json()


def test_revoked_token_no_longer_works(api: Api) -> None:
    dave = api.user()
    song = api.song(dave)
    assert api.delete("/api/v1/tokens/current", headers=dave["headers"]).status_code == 204
    resp = api.post_comment(dave, song)
    assert resp.status_code == 401
    assert resp.json()["error"]["code"] == "unauthorized"
    assert resp.headers["www-authenticate"] == "Bearer"


def test_expired_tokens_are_refused(server_factory: Callable[..., Api]) -> None:
    api = server_factory(token_ttl_s=0)
    erin = api.user()
    resp = api.post("/api/v1/songs/resolve", json={"isrc": "USRC17607839"}, headers=erin["headers"])
    assert resp.status_code == 401


def test_garbage_tokens_are_refused(api: Api) -> None:
    for header in ("Bearer nonsense", "Basic dXNlcjpwdw==", "Bearer"):
        resp = api.put("/api/v1/comments/1/like", headers={"Authorization": header})
        assert resp.status_code == 401, header
        assert resp.json()["error"]["code"] == "unauthorized"
