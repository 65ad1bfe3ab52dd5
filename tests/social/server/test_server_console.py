"""``kindred-server`` says where it serves, from which database, with how many workers,
and prints one line per request with ``--access-log``."""

from __future__ import annotations

import time
from pathlib import Path

import httpx

from player.social.server.cli import shown_url
from tests.social.server.procs import ServerProcess


def _wait_for(log: Path, text: str, timeout: float = 10.0) -> str:
    deadline = time.monotonic() + timeout
    while True:
        content = log.read_text(encoding="utf-8", errors="replace")
        if text in content or time.monotonic() > deadline:
            return content
        time.sleep(0.05)


def test_start_line_and_access_log(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'c.db'}"
    log = tmp_path / "server.log"
    server = ServerProcess(url, log, "--access-log").start()
    try:
        httpx.get(server.base + "/api/v1/songs/counts?ids=1", timeout=10)
        content = _wait_for(log, "/api/v1/songs/counts")
    finally:
        server.stop()
    assert f"serving {server.base} · database {url} · 1 worker · access log on" in content
    assert '"GET /api/v1/songs/counts?ids=1 HTTP/1.1" 200' in content


def test_no_access_log_by_default(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'c.db'}"
    log = tmp_path / "server.log"
    server = ServerProcess(url, log).start()
    try:
        httpx.get(server.base + "/api/v1/songs/counts?ids=1", timeout=10)
        time.sleep(0.3)
    finally:
        server.stop()
    content = log.read_text(encoding="utf-8")
    assert f"serving {server.base} · database {url} · 1 worker" in content
    assert "/api/v1/songs/counts" not in content and "access log" not in content


def test_a_password_in_the_database_url_is_not_printed() -> None:
    assert shown_url("postgresql://kindred:s3cret@db.example/k") == (
        "postgresql://kindred:***@db.example/k"
    )
