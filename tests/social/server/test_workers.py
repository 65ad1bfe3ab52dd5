"""``kindred-server --workers 2``: a real multi-process server on each database."""

from __future__ import annotations

import os
import sys
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from .procs import ServerProcess, sign_up

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="finds the worker processes in /proc (Linux)"
)


def _parent_of(pid: int) -> int:
    """The parent pid of a process (Linux /proc)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat.rsplit(")", 1)[1].split()[1])


def test_two_workers_both_answer(database_url: str, tmp_path: Path) -> None:
    server = ServerProcess(
        database_url,
        tmp_path / "workers.log",
        "--workers",
        "2",
        KINDRED_SERVER_WORKER_HEADER="1",
    )
    try:
        server.start(timeout=120)  # two processes import the app: slow on a busy machine
        with httpx.Client(base_url=server.base, timeout=10) as c:
            me = sign_up(c, f"w_{uuid.uuid4().hex[:8]}")
            song = c.post(
                "/api/v1/songs/resolve", json={"isrc": "USRC17607839"}, headers=me
            ).json()["song_id"]

            def post(i: int) -> tuple[int, str]:
                # a fresh connection each time, so the kernel may hand it to either worker
                resp = httpx.post(
                    f"{server.base}/api/v1/songs/{song}/comments",
                    json={"body": f"from a worker {i}"},
                    headers={**me, "Idempotency-Key": str(uuid.uuid4())},
                    timeout=10,
                )
                return resp.status_code, resp.headers["x-kindred-worker"]

            answers: list[tuple[int, str]] = []
            with ThreadPoolExecutor(8) as pool:
                for _round in range(10):  # stop as soon as both workers have answered
                    answers += pool.map(post, range(len(answers), len(answers) + 40))
                    if len({pid for _, pid in answers}) >= 2:
                        break
            assert {status for status, _ in answers} == {201}
            workers = {int(pid) for _, pid in answers}
            assert len(workers) == 2
            assert server.proc is not None
            # both are uvicorn's children of the one kindred-server process, not strays
            assert all(_parent_of(pid) == server.proc.pid for pid in workers)
            assert server.proc.pid not in workers and os.getpid() not in workers
            # every write landed in the one shared database
            counts = c.get(f"/api/v1/songs/counts?ids={song}").json()["counts"][str(song)]
            assert counts == len(answers)
    finally:
        server.stop()
