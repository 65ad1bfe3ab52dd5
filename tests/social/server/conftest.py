"""Fixtures: the real app on SQLite and on PostgreSQL, and a small API helper.

Each backend's database is created and migrated once per session, then
emptied before every test; ``server_factory`` builds further app instances on
the same database (several instances, as behind a load balancer).
"""

from __future__ import annotations

import uuid
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette: "install httpx2" (not in the lock file)
    from fastapi.testclient import TestClient

from player.social.server.app import create_app
from player.social.server.config import ServerConfig
from player.social.server.db import Database
from player.social.server.migrate import upgrade

from . import dbs

#: cheap hashing and no login pause: tests run hundreds of sign-ups
FAST = {
    "rate_scale": None,
    "argon2_time_cost": 1,
    "argon2_memory_kib": 256,
    "login_failure_delay_s": 0.0,
}


def _migrated(url: str) -> str:
    db = Database(url)
    try:
        upgrade(db)
    finally:
        db.close()
    return url


@pytest.fixture(scope="session")
def sqlite_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    return _migrated(dbs.sqlite_url(tmp_path_factory.mktemp("server-db")))


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """The admin URL: ``KINDRED_TEST_POSTGRES_URL``, or a cluster of this session's own."""
    with dbs.postgres_server() as url:
        yield url


@pytest.fixture(scope="session")
def postgres_db(postgres_server: str) -> Iterator[str]:
    with dbs.postgres_database(postgres_server) as url:
        yield _migrated(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> str:
    """An empty, migrated database of each backend."""
    url = request.getfixturevalue("sqlite_db" if request.param == "sqlite" else "postgres_db")
    dbs.wipe(url)
    return url


class Api:
    """A TestClient plus the few steps most tests repeat."""

    def __init__(self, client: TestClient) -> None:
        self.client = client

    def __getattr__(self, name: str) -> Any:
        return getattr(self.client, name)

    @property
    def state(self) -> Any:
        return self.client.app.state.server  # type: ignore[attr-defined]

    def user(self, name: str | None = None, password: str = "correct horse") -> dict[str, Any]:
        """Register and sign in; returns {id, username, token, headers}."""
        name = name or f"u_{uuid.uuid4().hex[:10]}"
        made = self.client.post("/api/v1/users", json={"username": name, "password": password})
        assert made.status_code == 201, made.text
        token = self.client.post("/api/v1/tokens", json={"username": name, "password": password})
        assert token.status_code == 201, token.text
        tok = token.json()["token"]
        return {**made.json(), "token": tok, "headers": {"Authorization": f"Bearer {tok}"}}

    def moderator(self) -> dict[str, Any]:
        from player.social.server.accounts import set_moderator

        user = self.user()
        assert set_moderator(self.state, user["username"])
        return user

    def song(self, who: dict[str, Any], **ids: Any) -> int:
        ids = ids or {"artist": "Artist", "title": f"Song {uuid.uuid4().hex[:8]}"}
        resp = self.client.post("/api/v1/songs/resolve", json=ids, headers=who["headers"])
        assert resp.status_code == 200, resp.text
        return resp.json()["song_id"]

    def post_comment(
        self,
        who: dict[str, Any],
        song_id: int,
        body: str = "nice",
        key: str | None = None,
        **extra: Any,
    ) -> Any:
        headers = {**who["headers"], "Idempotency-Key": key or str(uuid.uuid4())}
        return self.client.post(
            f"/api/v1/songs/{song_id}/comments", json={"body": body, **extra}, headers=headers
        )

    def comment(self, who: dict[str, Any], song_id: int, body: str = "nice", **extra: Any) -> dict:
        resp = self.post_comment(who, song_id, body, **extra)
        assert resp.status_code == 201, resp.text
        return resp.json()


@pytest.fixture
def server_factory(database_url: str) -> Iterator[Callable[..., Api]]:
    """Builds app instances on the test database; ``**config`` overrides settings."""
    clients: list[TestClient] = []

    def make(**config: Any) -> Api:
        settings = ServerConfig(database_url=database_url, **{**FAST, **config})
        client = TestClient(create_app(settings))
        client.__enter__()
        clients.append(client)
        return Api(client)

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def api(server_factory: Callable[..., Api]) -> Api:
    """The app with rate limits off, on each backend."""
    return server_factory()
