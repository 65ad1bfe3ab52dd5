"""Health and failure: /healthz tells whether the database answers; a crash is still JSON."""

from __future__ import annotations

import warnings
from pathlib import Path

from player.social.server.app import create_app
from player.social.server.config import ServerConfig

from .conftest import FAST, Api
from .procs import free_port

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


def test_healthz_when_the_database_answers(api: Api) -> None:
    resp = api.get("/healthz")
    assert resp.status_code == 200 and resp.json() == {"status": "ok", "database": True}


def test_healthz_when_the_database_is_gone() -> None:
    url = f"postgresql://kindred:kindred@127.0.0.1:{free_port()}/nothing"  # nobody listens there
    with TestClient(create_app(ServerConfig(database_url=url, **FAST))) as client:
        resp = client.get("/healthz")
    assert resp.status_code == 503 and resp.json() == {"status": "unavailable", "database": False}


def test_an_unexpected_failure_is_a_json_500_without_a_trace(tmp_path: Path) -> None:
    # a database that was never migrated: every query fails inside the server
    config = ServerConfig(database_url=f"sqlite:///{tmp_path / 'empty.sqlite3'}", **FAST)
    with TestClient(create_app(config), raise_server_exceptions=False) as client:
        resp = client.get("/api/v1/songs/counts?ids=1")
    assert resp.status_code == 500
    assert resp.headers["content-type"].startswith("application/json")
    assert resp.json() == {
        "error": {"code": "internal", "message": "Something went wrong on the server."}
    }
    assert "Traceback" not in resp.text and "sqlite" not in resp.text.lower()
