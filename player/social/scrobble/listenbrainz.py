"""ListenBrainz's listen API (``POST /1/submit-listens``), with plain httpx.

The user token goes in ``Authorization: Token ...``. ``playing_now`` carries
one listen without a timestamp, ``single`` one listen, ``import`` several; a
request holds at most :data:`MAX_LISTENS_PER_REQUEST` listens, each at most
:data:`MAX_LISTEN_SIZE` bytes of JSON, the whole at most
:data:`MAX_PAYLOAD_SIZE` (the limits the API documents). Answers: 200 taken,
400 the payload is invalid (with the reason), 401 the token is not valid, 429
too many requests (``X-RateLimit-Reset-In`` seconds until the next may go).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import httpx

from player.library.scrobble_queue import Listen
from player.social.scrobble.errors import ListenRejected, SignInNeeded, TryLater
from player.social.scrobble.settings import LISTENBRAINZ_ROOT

DEFAULT_ROOT = LISTENBRAINZ_ROOT
MAX_LISTENS_PER_REQUEST = 1000
MAX_LISTEN_SIZE = 10240
MAX_PAYLOAD_SIZE = 10240000
CLIENT = "Kindred"


def listen_json(listen: Listen, *, with_time: bool = True) -> dict[str, Any]:
    info: dict[str, Any] = {"media_player": CLIENT, "submission_client": CLIENT}
    if listen.duration_ms:
        info["duration_ms"] = int(listen.duration_ms)
    if listen.track_number:
        info["tracknumber"] = int(listen.track_number)
    meta: dict[str, Any] = {
        "artist_name": listen.artist,
        "track_name": listen.title,
        "additional_info": info,
    }
    if listen.album:
        meta["release_name"] = listen.album
    out: dict[str, Any] = {"track_metadata": meta}
    if with_time:
        out["listened_at"] = int(listen.listened_at)
    return out


def batches(listens: Sequence[Listen]) -> list[list[Listen]]:
    """Split into requests within the count and payload limits, keeping the order."""
    out: list[list[Listen]] = []
    current: list[Listen] = []
    size = 0
    for listen in listens:
        one = len(json.dumps(listen_json(listen), ensure_ascii=False).encode()) + 2
        if current and (
            len(current) >= MAX_LISTENS_PER_REQUEST or size + one > MAX_PAYLOAD_SIZE - 64
        ):
            out.append(current)
            current, size = [], 0
        current.append(listen)
        size += one
    if current:
        out.append(current)
    return out


class ListenBrainzClient:
    def __init__(self, root: str, token: str, *, timeout: float = 15.0) -> None:
        self.root = root.rstrip("/")
        self.token = token
        self.http = httpx.Client(timeout=timeout)

    def close(self) -> None:
        self.http.close()

    def validate(self) -> str:
        """The user name the token belongs to (``GET /1/validate-token``)."""
        answer = self._call("GET", "/1/validate-token")
        if not answer.get("valid"):
            raise SignInNeeded(
                "The ListenBrainz token is not valid", str(answer.get("message", ""))
            )
        return str(answer.get("user_name", ""))

    def playing_now(self, listen: Listen) -> None:
        self._submit("playing_now", [listen_json(listen, with_time=False)])

    def submit(self, listens: Sequence[Listen]) -> None:
        """One request: ``single`` for one listen, ``import`` for more."""
        if not listens:
            return
        for listen in listens:
            if len(json.dumps(listen_json(listen), ensure_ascii=False).encode()) > MAX_LISTEN_SIZE:
                raise ListenRejected("Listen too large", "larger than ListenBrainz accepts")
        kind = "single" if len(listens) == 1 else "import"
        self._submit(kind, [listen_json(listen) for listen in listens])

    def _submit(self, kind: str, payload: list[dict[str, Any]]) -> None:
        self._call("POST", "/1/submit-listens", {"listen_type": kind, "payload": payload})

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        try:
            response = self.http.request(
                method,
                self.root + path,
                headers={"Authorization": f"Token {self.token}"},
                content=None if body is None else json.dumps(body, ensure_ascii=False).encode(),
            )
        except httpx.HTTPError as exc:
            raise TryLater("ListenBrainz cannot be reached", str(exc)) from exc
        try:
            answer = response.json()
        except ValueError:
            answer = {}
        if not isinstance(answer, dict):
            answer = {}
        reason = str(answer.get("error") or answer.get("message") or response.reason_phrase)
        status = response.status_code
        if status == 200:
            return answer
        if status == 401:
            raise SignInNeeded("Sign in to ListenBrainz again", reason)
        if status == 429:
            wait = _seconds(response.headers.get("X-RateLimit-Reset-In"))
            raise TryLater("ListenBrainz asks to slow down", reason, wait_s=wait)
        if status == 400:
            raise ListenRejected("ListenBrainz refused the listen", reason)
        raise TryLater(f"ListenBrainz answered {status}", reason)


def _seconds(text: str | None) -> float | None:
    try:
        return max(1.0, float(text)) if text else None
    except ValueError:
        return None
