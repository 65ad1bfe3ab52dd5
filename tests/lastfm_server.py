"""A local Last.fm API (``/2.0/``) that serves ``user.getRecentTracks`` by its documented contract.

It answers only GET ``/2.0/`` with ``method=user.getRecentTracks`` (any case),
a known ``api_key``, a known ``user``, ``format=json``, ``limit`` 1..200,
``page`` >= 1 and optional unix ``from``/``to``; tracks newest first, each
with ``artist``/``album`` as ``{"mbid", "#text"}``, ``name``, ``mbid`` and
``date`` ``{"uts", "#text"}``, the page under ``recenttracks`` with ``@attr``
(``user``, ``page``, ``perPage``, ``totalPages``, ``total``). A bad key gets
Last.fm's error JSON (``{"error": 10, "message": ...}``, HTTP 403), a missing
parameter error 6, an unknown method error 3; anything else is a 400. Every
request's query is logged; ``fail_pages`` makes those pages answer HTTP 500
with error 8 (until the set is emptied).
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

API_KEY = "0123456789abcdef0123456789abcdef"


@dataclass(frozen=True)
class Scrobble:
    artist: str
    title: str
    album: str
    uts: int
    mbid: str = ""


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _send(self, status: int, body: Any) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:
        self._send(405, {"error": 3, "message": "user.getRecentTracks is GET only here"})

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        raw = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        if url.path != "/2.0/" or any(len(v) != 1 for v in raw.values()):
            self._send(400, {"error": 6, "message": "Invalid parameters"})
            return
        q = {k: v[0] for k, v in raw.items()}
        self.server.requests.append(q)
        known = {"method", "user", "api_key", "format", "limit", "page", "from", "to"}
        if set(q) - known:
            self._send(400, {"error": 6, "message": f"Unknown parameters {sorted(set(q) - known)}"})
            return
        if q.get("method", "").lower() != "user.getrecenttracks":
            self._send(400, {"error": 3, "message": "Invalid Method - No method with that name"})
            return
        if q.get("api_key") != API_KEY:
            self._send(
                403,
                {
                    "error": 10,
                    "message": "Invalid API key - You must be granted a valid key by last.fm",
                },
            )
            return
        if q.get("format") != "json":
            self._send(400, {"error": 6, "message": "this server speaks format=json only"})
            return
        if q.get("user") != self.server.user:
            self._send(404, {"error": 6, "message": "User not found"})
            return
        try:
            limit = int(q.get("limit", "50"))
            page = int(q.get("page", "1"))
            low = int(q["from"]) if "from" in q else None
            high = int(q["to"]) if "to" in q else None
        except ValueError:
            self._send(400, {"error": 6, "message": "Invalid parameters"})
            return
        if not 1 <= limit <= 200 or page < 1:
            self._send(400, {"error": 6, "message": "limit must be 1..200, page >= 1"})
            return
        if page in self.server.fail_pages:
            self._send(
                500,
                {
                    "error": 8,
                    "message": "Operation failed - Most likely the backend service failed. Please try again.",
                },
            )
            return
        chosen = [
            s
            for s in sorted(self.server.scrobbles, key=lambda s: -s.uts)
            if (low is None or s.uts >= low) and (high is None or s.uts <= high)
        ]
        pages = max(1, -(-len(chosen) // limit))
        part = chosen[(page - 1) * limit : page * limit]
        self.server.pages_served.append(page)
        self._send(
            200,
            {
                "recenttracks": {
                    "track": [_track(s) for s in part],
                    "@attr": {
                        "user": self.server.user,
                        "page": str(page),
                        "perPage": str(limit),
                        "totalPages": str(pages),
                        "total": str(len(chosen)),
                    },
                }
            },
        )


def _track(s: Scrobble) -> dict[str, Any]:
    when = dt.datetime.fromtimestamp(s.uts, dt.UTC).strftime("%d %b %Y, %H:%M")
    return {
        "artist": {"mbid": "", "#text": s.artist},
        "streamable": "0",
        "image": [],
        "mbid": s.mbid,
        "album": {"mbid": "", "#text": s.album},
        "name": s.title,
        "url": "https://www.last.fm/music/x",
        "date": {"uts": str(s.uts), "#text": when},
    }


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    user: str
    scrobbles: list[Scrobble]
    requests: list[dict[str, str]]
    pages_served: list[int]
    fail_pages: set[int]


class LastfmTestServer:
    """``with LastfmTestServer("alice", scrobbles) as api:`` → ``api.root`` is the ``/2.0/`` URL."""

    def __init__(
        self, user: str, scrobbles: list[Scrobble], fail_pages: set[int] = frozenset()
    ) -> None:  # type: ignore[assignment]
        self.server = _Server(("127.0.0.1", 0), _Handler)
        self.server.user = user
        self.server.scrobbles = list(scrobbles)
        self.server.requests = []
        self.server.pages_served = []
        self.server.fail_pages = set(fail_pages)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/2.0/"

    @property
    def requests(self) -> list[dict[str, str]]:
        return self.server.requests

    @property
    def pages_served(self) -> list[int]:
        return self.server.pages_served

    def __enter__(self) -> LastfmTestServer:
        self.thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)
