"""A comment server on this computer: ``kindred-server`` in a child process.

``kindred demo`` runs one for its session (SQLite in the demo folder), and the
Comments tab's "Start a local server" runs one with its database in Kindred's
data folder. :class:`LocalServer` starts the process on a free loopback port
(or the one asked for), waits until ``/healthz`` says the database answers, and
stops it (SIGTERM, then SIGKILL) on :meth:`LocalServer.stop` or when the
object is used as a context manager.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from player.errors import AppError

#: the server's own SQLite file, in the folder handed to :class:`LocalServer`
DATABASE_FILE = "comments.db"
START_TIMEOUT_S = 30.0


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LocalServer:
    """``kindred-server`` with its SQLite database in *folder*, on 127.0.0.1:*port*."""

    def __init__(self, folder: str | Path, port: int | None = None) -> None:
        self.folder = Path(folder)
        self.port = port or free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def database(self) -> Path:
        return self.folder / DATABASE_FILE

    @property
    def log(self) -> Path:
        return self.folder / "server.log"

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def start(self, timeout: float = START_TIMEOUT_S) -> LocalServer:
        """Start the server and wait until it answers; AppError when it does not."""
        self.launch()
        return self.wait(timeout)

    def launch(self) -> None:
        """Start the process without waiting (it takes seconds to answer: do other work)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        command = [
            sys.executable, "-m", "player.social.server.cli",
            "--database-url", f"sqlite:///{self.database}",
            "--host", "127.0.0.1", "--port", str(self.port),
        ]  # fmt: skip
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                command,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env={**os.environ, "KINDRED_LOGIN_FAILURE_DELAY": "0"},
            )

    def wait(self, timeout: float = START_TIMEOUT_S) -> LocalServer:
        """Wait until the launched server answers; AppError (and stopped) when it does not."""
        if self.proc is None:
            raise AppError("The local comment server was not started")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.proc = None
                raise AppError("The local comment server stopped at once", self._tail())
            if answers(self.url):
                return self
            time.sleep(0.05)
        self.stop()
        raise AppError("The local comment server did not start", self._tail())

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the process (and wait for it); nothing when it is not running."""
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=timeout)

    def _tail(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-800:]
        except OSError:
            return ""

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()


def answers(url: str, timeout: float = 1.0) -> bool:
    """True when a comment server at *url* says its database is reachable."""
    import httpx  # not at import: the window module stays free of it until needed

    try:
        resp = httpx.get(f"{url.rstrip('/')}/healthz", timeout=timeout)
        return resp.status_code == 200 and resp.json().get("database") is True
    except (httpx.HTTPError, ValueError):
        return False


__all__ = ["DATABASE_FILE", "LocalServer", "answers", "free_port"]
