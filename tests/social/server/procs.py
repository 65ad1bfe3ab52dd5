"""Real ``kindred-server`` processes on loopback ports, for the process-level tests."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from tests.processes import stop_process

SCRIPT = shutil.which("kindred-server", path=str(Path(sys.executable).parent)) or "kindred-server"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_cli(
    *args: str, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """Run ``kindred-server ARGS`` to completion."""
    return subprocess.run(
        [SCRIPT, *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )


class ServerProcess:
    """``kindred-server`` in a child process; a context manager that stops it."""

    def __init__(self, database_url: str, log: Path, *args: str, **env: str) -> None:
        self.database_url = database_url
        self.log = log
        #: extra command-line options, e.g. ("--workers", "2")
        self.args = args
        self.env = {
            **os.environ,
            "KINDRED_RATE_LIMITS": "off",
            "KINDRED_LOGIN_FAILURE_DELAY": "0",
            **env,
        }
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> ServerProcess:
        """Start and wait until /healthz says the database is reachable."""
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                [
                    SCRIPT,
                    "--database-url",
                    self.database_url,
                    "--port",
                    str(self.port),
                    *self.args,
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
                env=self.env,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"kindred-server exited: {self.log.read_text()}")
            try:
                resp = httpx.get(f"{self.base}/healthz", timeout=1)
                if resp.status_code == 200 and resp.json()["database"] is True:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"kindred-server did not start: {self.log.read_text()}")

    def kill(self) -> None:
        """SIGKILL (TerminateProcess on Windows): no shutdown code runs."""
        assert self.proc is not None
        self.proc.kill()
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc is not None:
            stop_process(self.proc, timeout=10)

    def __enter__(self) -> ServerProcess:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()


def sign_up(client: httpx.Client, name: str, password: str = "password123") -> dict[str, str]:
    """Register ``name`` and return auth headers."""
    made = client.post("/api/v1/users", json={"username": name, "password": password})
    assert made.status_code == 201, made.text
    return sign_in(client, name, password)


def sign_in(client: httpx.Client, name: str, password: str = "password123") -> dict[str, str]:
    resp = client.post("/api/v1/tokens", json={"username": name, "password": password})
    assert resp.status_code == 201, resp.text
    return {"Authorization": f"Bearer {resp.json()['token']}"}
