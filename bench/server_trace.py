"""The comment server with a recorder, for ``bench/server_load.py --trace``.

Runs the same app as ``kindred-server`` (uvicorn, uvloop, httptools, one
process) and records, per segment of the benchmark, what happens *inside* the
process, so a latency tail seen by wrk can be placed:

* ``app``: each request's time from the outermost middleware's start to its
  last byte handed to the server (cache hits and full renders alike);
* ``lag``: how late a 10 ms timer on the event loop fires (the loop was busy,
  or the process was not scheduled);
* ``gc``: each garbage collection's pause, and how many were full ones.

The benchmark names the segment before each wrk run (``POST /__trace/segment``
with the name as body) and reads the figures at the end (``GET /__trace``):
p50/p99/max in ms and counts, one object per segment. Both paths are answered
here and never reach the app.

Usage: ``python bench/server_trace.py PORT`` with ``KINDRED_SERVER_DATABASE_URL``
set (the database already migrated).
"""

from __future__ import annotations

import asyncio
import gc
import json
import statistics
import sys
import time
from array import array
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from player.social.server.app import app_from_env  # noqa: E402

HEARTBEAT_S = 0.01


def _summary(values: array) -> dict[str, float]:
    if not values:
        return {"n": 0}
    ordered = sorted(values)
    pick = lambda q: ordered[min(len(ordered) - 1, int(len(ordered) * q))]  # noqa: E731
    return {
        "n": len(ordered),
        "p50_ms": round(pick(0.5) * 1000, 3),
        "p99_ms": round(pick(0.99) * 1000, 3),
        "max_ms": round(ordered[-1] * 1000, 3),
        "mean_ms": round(statistics.fmean(ordered) * 1000, 3),
    }


class Recorder:
    def __init__(self) -> None:
        self.name = "start"
        self.done: dict[str, Any] = {}
        self._fresh()
        self._gc_started = 0.0
        gc.callbacks.append(self._on_gc)

    def _fresh(self) -> None:
        self.app, self.lag, self.gc = array("f"), array("f"), array("f")
        self.full_gcs = 0

    def _on_gc(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._gc_started = time.perf_counter()
            return
        self.gc.append(time.perf_counter() - self._gc_started)
        if info.get("generation") == 2:
            self.full_gcs += 1

    def close_segment(self, name: str) -> None:
        self.done.setdefault(self.name, []).append(
            {
                "app": _summary(self.app),
                "lag": _summary(self.lag),
                "gc": {**_summary(self.gc), "full": self.full_gcs},
            }
        )
        self.name = name
        self._fresh()


def traced() -> Any:
    inner = app_from_env()
    rec = Recorder()
    beating: list[asyncio.Task[None]] = []

    async def heartbeat() -> None:
        while True:
            began = time.perf_counter()
            await asyncio.sleep(HEARTBEAT_S)
            rec.lag.append(time.perf_counter() - began - HEARTBEAT_S)

    async def reply(send: Any, body: bytes) -> None:
        headers = [(b"content-type", b"application/json")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await inner(scope, receive, send)
            return
        if not beating:
            beating.append(asyncio.get_running_loop().create_task(heartbeat()))
        if scope["path"] == "/__trace/segment":
            message = await receive()
            rec.close_segment(message.get("body", b"").decode() or "unnamed")
            await reply(send, b"{}")
            return
        if scope["path"] == "/__trace":
            rec.close_segment("end")
            await reply(send, json.dumps(rec.done).encode())
            return
        began = time.perf_counter()
        await inner(scope, receive, send)
        rec.app.append(time.perf_counter() - began)

    return app


def main() -> None:
    import uvicorn

    port = int(sys.argv[1])
    uvicorn.run(
        traced,
        factory=True,
        host="127.0.0.1",
        port=port,
        loop="uvloop",
        http="httptools",
        log_level="warning",
        access_log=False,
        timeout_graceful_shutdown=5,
    )


if __name__ == "__main__":
    main()
