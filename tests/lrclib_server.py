"""A local LRCLIB server for tests: ``GET /api/get`` and ``GET /api/search`` only.

It keeps LRCLIB's documented contract strictly (https://lrclib.net/docs):

* ``/api/get`` needs ``track_name``, ``artist_name``, ``album_name`` and
  ``duration`` (seconds); it matches the names case-insensitively and the
  duration within two seconds, answers one record, or 404 with
  ``{"code": 404, "name": "TrackNotFound", "message": "Failed to find specified track"}``;
* ``/api/search`` needs ``q`` or ``track_name`` (``artist_name`` and
  ``album_name`` optional) and answers a JSON array of records;
* a record is ``id, name, trackName, artistName, albumName, duration,
  instrumental, plainLyrics, syncedLyrics``.

Anything else is refused: another path (404), another method (405), a
missing or unknown parameter, a bad duration, or a request without a
``User-Agent`` (400). Every request is logged in ``requests`` (path, params,
headers) so a test can see what was sent, and what was not. Clearing ``hold``
makes every request wait (up to 30 s) until it is set again, as a server that
hangs; ``held`` counts the requests waiting.
"""

from __future__ import annotations

import json
import threading
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

GET_PARAMS = {"track_name", "artist_name", "album_name", "duration"}
SEARCH_PARAMS = {"q", "track_name", "artist_name", "album_name"}
NOT_FOUND = {"code": 404, "name": "TrackNotFound", "message": "Failed to find specified track"}


@dataclass
class Record:
    track: str
    artist: str
    album: str
    duration: float
    synced: str | None = None
    plain: str | None = None
    instrumental: bool = False
    id: int = 0

    def json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.track,
            "trackName": self.track,
            "artistName": self.artist,
            "albumName": self.album,
            "duration": self.duration,
            "instrumental": self.instrumental,
            "plainLyrics": None if self.instrumental else self.plain,
            "syncedLyrics": None if self.instrumental else self.synced,
        }


@dataclass
class Request:
    path: str
    params: dict[str, str]
    headers: dict[str, str] = field(default_factory=dict)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _send(self, status: int, body: Any) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _refuse(self) -> None:
        self.server.owner.refused += 1
        self._send(405, {"code": 405, "name": "MethodNotAllowed", "message": "GET only"})

    do_POST = do_PUT = do_DELETE = do_PATCH = _refuse

    def do_GET(self) -> None:
        owner = self.server.owner
        url = urllib.parse.urlsplit(self.path)
        pairs = urllib.parse.parse_qsl(url.query, keep_blank_values=True)
        params = dict(pairs)
        owner.requests.append(Request(url.path, params, dict(self.headers.items())))
        if not owner.hold.is_set():
            with owner.lock:
                owner.held += 1
            owner.hold.wait(30)
            with owner.lock:
                owner.held -= 1
        if not self.headers.get("User-Agent"):
            return self._bad("a User-Agent is required")
        if len(pairs) != len(params):
            return self._bad("repeated parameter")
        if url.path == "/api/get":
            return self._get(params)
        if url.path == "/api/search":
            return self._search(params)
        owner.refused += 1
        self._send(404, {"code": 404, "name": "NotFound", "message": "no such endpoint"})

    def _bad(self, message: str) -> None:
        self.server.owner.refused += 1
        self._send(400, {"code": 400, "name": "BadRequest", "message": message})

    def _get(self, params: dict[str, str]) -> None:
        if set(params) != GET_PARAMS or not all(params[k].strip() for k in GET_PARAMS):
            return self._bad(f"/api/get needs exactly {sorted(GET_PARAMS)}")
        try:
            duration = float(params["duration"])
        except ValueError:
            return self._bad("duration must be a number of seconds")
        for record in self.server.owner.records:
            if (
                record.track.casefold() == params["track_name"].casefold()
                and record.artist.casefold() == params["artist_name"].casefold()
                and record.album.casefold() == params["album_name"].casefold()
                and abs(record.duration - duration) <= 2
            ):
                return self._send(200, record.json())
        self._send(404, NOT_FOUND)

    def _search(self, params: dict[str, str]) -> None:
        if not set(params) <= SEARCH_PARAMS or not (
            params.get("q", "").strip() or params.get("track_name", "").strip()
        ):
            return self._bad("/api/search needs q or track_name")
        out = []
        for record in self.server.owner.records:
            if "q" in params:
                words = params["q"].casefold().split()
                hay = f"{record.track} {record.artist} {record.album}".casefold()
                if not all(w in hay for w in words):
                    continue
            for key, value in (
                ("track_name", record.track),
                ("artist_name", record.artist),
                ("album_name", record.album),
            ):
                if key in params and params[key].casefold() not in value.casefold():
                    break
            else:
                out.append(record.json())
        self._send(200, out)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: LrclibServer


class LrclibServer:
    """``with LrclibServer(records) as server:`` serves on ``server.url`` until the block ends."""

    def __init__(self, records: list[Record] | None = None) -> None:
        self.records = list(records or [])
        for number, record in enumerate(self.records, start=1):
            record.id = record.id or number
        self.requests: list[Request] = []
        self.refused = 0
        self.lock = threading.Lock()
        self.hold = threading.Event()
        self.hold.set()  # set: answer at once
        self.held = 0
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]

    def __enter__(self) -> LrclibServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.hold.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)
