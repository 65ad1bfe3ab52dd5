"""The real comment server app on a loopback port, in a thread of the test process."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path
from types import TracebackType

import uvicorn

from player.social.server.app import create_app
from player.social.server.config import ServerConfig


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LiveServer:
    """``with LiveServer(tmp_path) as server:`` -> ``server.url`` answers the API."""

    def __init__(self, folder: Path, *, port: int | None = None, **config: object) -> None:
        settings = {
            "database_url": f"sqlite:///{folder / 'comments.sqlite3'}",
            "rate_scale": None,
            "login_failure_delay_s": 0.0,
            "argon2_time_cost": 1,
            "argon2_memory_kib": 8192,
            **config,
        }
        self.app = create_app(ServerConfig(**settings), migrate=True)  # type: ignore[arg-type]
        self.port = port or free_port()  # a given port: the same server back after a stop
        self._server = uvicorn.Server(
            uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning")
        )
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> LiveServer:
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the comment server did not start")
            time.sleep(0.02)
        return self

    def __exit__(
        self, _t: type[BaseException] | None, _e: BaseException | None, _tb: TracebackType | None
    ) -> None:
        self._server.should_exit = True
        self._thread.join(10)
