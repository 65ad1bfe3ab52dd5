"""Local stand-ins for ListenBrainz and Last.fm that keep to each documented
contract strictly and refuse anything else, so a malformed request fails a test.

ListenBrainz: ``GET /1/validate-token`` and ``POST /1/submit-listens`` with
``Authorization: Token <token>``; the JSON body must be ``{"listen_type",
"payload"}`` with ``playing_now`` (one listen, no ``listened_at``), ``single``
(one) or ``import`` (up to 1000) and every listen must carry
``track_metadata.artist_name`` and ``track_name`` as strings and, except for
``playing_now``, an integer ``listened_at``. Listens are deduplicated by user,
timestamp and track, as the service does.

Last.fm: a form POST to ``/2.0/`` with ``method``, ``api_key`` and a valid
``api_sig`` (md5 over the sorted parameters, ``format`` and ``callback`` left
out, then the secret); ``format=json``; the auth calls, ``track.updateNowPlaying``
and ``track.scrobble`` (1 to 50 listens as ``artist[i]``, ``track[i]``,
``timestamp[i]`` with no gaps). Errors answer ``{"error": N, "message": ...}``.
Scrobbles are deduplicated by user, artist, track and timestamp.

``fail_next`` queues canned failures: ``(status, body, headers)`` answered
instead of the next requests. ``hold`` makes a submit store its listens and
then wait (``stored`` is set) before answering, for the crash test.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

LB_TOKEN = "lb-token-123"
LB_USER = "lbuser"
API_KEY = "k" * 32
SECRET = "s" * 32
FM_USER = "fmuser"
FM_PASSWORD = "hunter2"
FM_SESSION = "session-key-1"


class Service:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests: list[Any] = []  # what each accepted request carried
        self.rejected: list[str] = []  # why a request broke the contract
        self.fail_next: list[tuple[int, dict[str, Any], dict[str, str]]] = []
        self.hold = threading.Event()
        self.hold.set()  # set: answer at once
        self.stored = threading.Event()
        self.url = ""

    def canned(self) -> tuple[int, dict[str, Any], dict[str, str]] | None:
        with self.lock:
            return self.fail_next.pop(0) if self.fail_next else None


class ListenBrainz(Service):
    def __init__(self) -> None:
        super().__init__()
        self.token = LB_TOKEN
        self.listens: list[dict[str, Any]] = []
        self.playing_now: list[dict[str, Any]] = []
        self.invalid_titles: set[str] = set()  # a listen with this title is a 400

    def handle(self, method: str, path: str, headers: Any, body: bytes) -> tuple[int, dict, dict]:
        auth = headers.get("Authorization", "")
        if path == "/1/validate-token" and method == "GET":
            if auth != f"Token {self.token}":
                return 200, {"code": 200, "valid": False, "message": "Invalid token"}, {}
            return 200, {"code": 200, "valid": True, "user_name": LB_USER}, {}
        if path != "/1/submit-listens" or method != "POST":
            return self.reject(f"unknown endpoint {method} {path}", 404)
        if not auth.startswith("Token "):
            return 401, {"code": 401, "error": "You need to provide an Authorization header."}, {}
        if auth != f"Token {self.token}":
            return 401, {"code": 401, "error": "Invalid authorization token."}, {}
        canned = self.canned()
        if canned:
            return canned
        try:
            data = json.loads(body)
        except ValueError:
            return self.reject("not JSON", 400)
        problem = lb_problem(data)
        if problem:
            return self.reject(problem, 400)
        for listen in data["payload"]:
            if listen["track_metadata"]["track_name"] in self.invalid_titles:
                return 400, {"code": 400, "error": "track_name is not valid"}, {}
        with self.lock:
            self.requests.append(data)
            if data["listen_type"] == "playing_now":
                self.playing_now.append(data["payload"][0])
            else:
                for listen in data["payload"]:
                    if not any(_same_listen(listen, known) for known in self.listens):
                        self.listens.append(listen)
        if data["listen_type"] != "playing_now":
            self.stored.set()
            self.hold.wait(30)
        return 200, {"status": "ok"}, {}

    def reject(self, why: str, status: int) -> tuple[int, dict, dict]:
        self.rejected.append(why)
        return status, {"code": status, "error": why}, {}


def _same_listen(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return a["listened_at"] == b["listened_at"] and (
        a["track_metadata"]["track_name"] == b["track_metadata"]["track_name"]
    )


def lb_problem(data: Any) -> str:
    """Why a submit-listens body breaks the documented schema ("" when it does not)."""
    if not isinstance(data, dict) or set(data) != {"listen_type", "payload"}:
        return "the body must be {listen_type, payload}"
    kind, payload = data["listen_type"], data["payload"]
    if kind not in ("playing_now", "single", "import"):
        return f"unknown listen_type {kind!r}"
    if not isinstance(payload, list) or not payload:
        return "payload must be a non-empty list"
    if kind in ("playing_now", "single") and len(payload) != 1:
        return f"{kind} takes exactly one listen"
    if len(payload) > 1000:
        return "too many listens in one request"
    for listen in payload:
        if not isinstance(listen, dict) or not isinstance(listen.get("track_metadata"), dict):
            return "a listen needs track_metadata"
        if len(json.dumps(listen).encode()) > 10240:
            return "a listen is too large"
        meta = listen["track_metadata"]
        for key in ("artist_name", "track_name"):
            if not isinstance(meta.get(key), str) or not meta[key]:
                return f"track_metadata.{key} must be a non-empty string"
        if "release_name" in meta and not isinstance(meta["release_name"], str):
            return "release_name must be a string"
        if "additional_info" in meta and not isinstance(meta["additional_info"], dict):
            return "additional_info must be an object"
        if kind == "playing_now":
            if "listened_at" in listen:
                return "playing_now must not carry listened_at"
        elif not isinstance(listen.get("listened_at"), int):
            return "listened_at must be an integer"
        extra = set(listen) - {"listened_at", "track_metadata"}
        if extra:
            return f"unknown keys {sorted(extra)}"
    return ""


def sign(params: dict[str, str]) -> str:
    text = "".join(f"{k}{params[k]}" for k in sorted(params) if k not in ("format", "callback"))
    return hashlib.md5((text + SECRET).encode("utf-8")).hexdigest()


class Lastfm(Service):
    def __init__(self) -> None:
        super().__init__()
        self.session = FM_SESSION
        self.tokens: dict[str, bool] = {}  # token -> authorised by the person
        self.scrobbles: list[dict[str, str]] = []
        self.now_playing: list[dict[str, str]] = []
        self.ignore_titles: dict[str, int] = {}  # title -> ignoredMessage code
        self._next_token = 0

    def handle(self, method: str, path: str, headers: Any, body: bytes) -> tuple[int, dict, dict]:
        if method != "POST" or path != "/2.0/":
            return self.reject(f"unknown endpoint {method} {path}", 3)
        if headers.get("Content-Type", "").split(";")[0] != "application/x-www-form-urlencoded":
            return self.reject("not a form post", 6)
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=True)
        params = dict(pairs)
        if len(params) != len(pairs):
            return self.reject("a parameter given twice", 6)
        if params.get("format") != "json":
            return self.reject("format must be json", 6)
        if params.get("api_key") != API_KEY:
            return self.reject("invalid api key", 10)
        sig = params.pop("api_sig", "")
        if sig != sign(params):
            return self.reject("invalid method signature", 13)
        canned = self.canned()
        if canned:
            return canned
        method_name = params.get("method", "")
        handler = getattr(self, "m_" + method_name.replace(".", "_"), None)
        if handler is None:
            return self.reject(f"invalid method {method_name}", 3)
        return handler(params)

    def reject(self, why: str, code: int) -> tuple[int, dict, dict]:
        self.rejected.append(why)
        return 400, {"error": code, "message": why}, {}

    def _only(self, params: dict[str, str], allowed: set[str]) -> str:
        extra = set(params) - allowed - {"method", "api_key", "format"}
        return f"unexpected parameters {sorted(extra)}" if extra else ""

    # ---- auth ----
    def m_auth_getToken(self, params: dict[str, str]) -> tuple[int, dict, dict]:
        if why := self._only(params, set()):
            return self.reject(why, 6)
        self._next_token += 1
        token = f"token{self._next_token}"
        self.tokens[token] = False
        return 200, {"token": token}, {}

    def m_auth_getSession(self, params: dict[str, str]) -> tuple[int, dict, dict]:
        if why := self._only(params, {"token"}):
            return self.reject(why, 6)
        token = params.get("token", "")
        if token not in self.tokens:
            return 200, {"error": 4, "message": "Invalid authentication token supplied"}, {}
        if not self.tokens[token]:
            return 200, {"error": 14, "message": "This token has not been authorized"}, {}
        return 200, {"session": {"name": FM_USER, "key": self.session, "subscriber": 0}}, {}

    def m_auth_getMobileSession(self, params: dict[str, str]) -> tuple[int, dict, dict]:
        if why := self._only(params, {"username", "password"}):
            return self.reject(why, 6)
        if (params.get("username"), params.get("password")) != (FM_USER, FM_PASSWORD):
            return 200, {"error": 4, "message": "Authentication Failed"}, {}
        return 200, {"session": {"name": FM_USER, "key": self.session, "subscriber": 0}}, {}

    # ---- scrobbling ----
    def _session_error(self, params: dict[str, str]) -> tuple[int, dict, dict] | None:
        if params.get("sk") != self.session:
            return 200, {"error": 9, "message": "Invalid session key - Please re-authenticate"}, {}
        return None

    def m_track_updateNowPlaying(self, params: dict[str, str]) -> tuple[int, dict, dict]:
        allowed = {"sk", "artist", "track", "album", "albumArtist", "duration", "trackNumber"}
        if why := self._only(params, allowed):
            return self.reject(why, 6)
        if error := self._session_error(params):
            return error
        if not params.get("artist") or not params.get("track"):
            return self.reject("artist and track are required", 6)
        self.now_playing.append(params)
        return 200, {"nowplaying": {"track": {"#text": params["track"]}}}, {}

    def m_track_scrobble(self, params: dict[str, str]) -> tuple[int, dict, dict]:
        if error := self._session_error(params):
            return error
        items: dict[int, dict[str, str]] = {}
        for key, value in params.items():
            if key in ("sk", "method", "api_key", "format"):
                continue
            name, _, rest = key.partition("[")
            if not rest.endswith("]") or not rest[:-1].isdigit():
                return self.reject(f"not a batch parameter: {key}", 6)
            if name not in ("artist", "track", "timestamp", "album", "albumArtist",
                            "duration", "trackNumber", "chosenByUser", "mbid"):  # fmt: skip
                return self.reject(f"unknown parameter {key}", 6)
            items.setdefault(int(rest[:-1]), {})[name] = value
        if not items or len(items) > 50:
            return self.reject(f"{len(items)} scrobbles in one request (1 to 50)", 6)
        if sorted(items) != list(range(len(items))):
            return self.reject("batch indexes must run 0..n-1", 6)
        answers = []
        accepted = ignored = 0
        with self.lock:
            self.requests.append(params)
            for i in range(len(items)):
                item = items[i]
                if not all(item.get(k) for k in ("artist", "track", "timestamp")):
                    return self.reject(f"scrobble {i} lacks artist, track or timestamp", 6)
                if not item["timestamp"].isdigit():
                    return self.reject("timestamp must be Unix seconds", 6)
                code = self.ignore_titles.get(item["track"], 0)
                if code:
                    ignored += 1
                else:
                    accepted += 1
                    if not any(
                        all(s[k] == item[k] for k in ("artist", "track", "timestamp"))
                        for s in self.scrobbles
                    ):
                        self.scrobbles.append(item)
                answers.append({
                    "track": {"corrected": "0", "#text": item["track"]},
                    "artist": {"corrected": "0", "#text": item["artist"]},
                    "timestamp": item["timestamp"],
                    "ignoredMessage": {"code": str(code), "#text": "" if not code else "ignored"},
                })  # fmt: skip
        self.stored.set()
        self.hold.wait(30)
        scrobble: Any = answers[0] if len(answers) == 1 else answers
        attr = {"accepted": accepted, "ignored": ignored}
        return 200, {"scrobbles": {"scrobble": scrobble, "@attr": attr}}, {}


def _handler(service: Service) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _serve(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            status, data, headers = service.handle(method, self.path, self.headers, body)
            raw = json.dumps(data).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(raw)

        def do_GET(self) -> None:
            self._serve("GET")

        def do_POST(self) -> None:
            self._serve("POST")

    return Handler


@contextmanager
def serving(service: Service, port: int = 0) -> Iterator[Service]:
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler(service))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    service.url = f"http://{host}:{port}" + ("/2.0/" if isinstance(service, Lastfm) else "")
    try:
        yield service
    finally:
        service.hold.set()
        server.shutdown()
        server.server_close()
