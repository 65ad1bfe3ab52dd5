"""Last.fm's scrobbling API 2.0, with plain httpx.

pylast is on PyPI, but its ``LastFMNetwork`` hard-codes
``ws.audioscrobbler.com``; pointing it at a test server or another address
means subclassing its private ``_Network``. The part Kindred needs is small:
every call is a form POST to one root URL, signed with ``api_sig`` (the md5 of
the parameters sorted by name, each name followed by its value, ``format``
and ``callback`` left out, then the shared secret), answered in JSON.

Calls: ``auth.getToken`` then the person authorises that token at
:data:`DEFAULT_AUTH_PAGE` then ``auth.getSession`` (the desktop flow);
``auth.getMobileSession`` with user name and password (the command line);
``track.updateNowPlaying``; ``track.scrobble`` with up to
:data:`MAX_PER_SCROBBLE` listens as ``artist[i]``, ``track[i]``,
``timestamp[i]``... Error codes handled: 9 (invalid session: sign in again),
11 and 16 (service offline, temporarily unavailable), 29 (rate limit), 8
(operation failed: try again); a listen the service ignores (its
``ignoredMessage`` code 1-4: artist or track ignored, timestamp too old or too
new) is dropped with that reason; code 5 (the daily scrobble limit) waits.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx

from player.library.scrobble_queue import Listen
from player.social.scrobble.errors import ScrobbleError, SignInNeeded, TryLater
from player.social.scrobble.settings import LASTFM_AUTH_PAGE, LASTFM_ROOT

DEFAULT_ROOT = LASTFM_ROOT
DEFAULT_AUTH_PAGE = LASTFM_AUTH_PAGE
MAX_PER_SCROBBLE = 50
#: error codes
INVALID_SESSION = 9
AUTH_FAILED = 4
TRY_AGAIN = {8, 11, 16}
RATE_LIMITED = 29
#: ignoredMessage codes that drop the listen; 5 (daily limit) waits instead
IGNORED_REASONS = {
    1: "artist ignored",
    2: "track ignored",
    3: "timestamp too old",
    4: "timestamp too new",
}
DAILY_LIMIT = 5


def api_sig(params: Mapping[str, str], secret: str) -> str:
    """The documented signature: md5 over sorted name+value pairs, then the secret."""
    text = "".join(f"{k}{params[k]}" for k in sorted(params) if k not in ("format", "callback"))
    return hashlib.md5((text + secret).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Session:
    name: str
    key: str


@dataclass(frozen=True)
class ScrobbleResult:
    """Per listen of a batch: None taken, else the reason it was ignored."""

    ignored: list[tuple[int, str] | None]


class LastfmClient:
    def __init__(
        self,
        root: str,
        api_key: str,
        secret: str,
        session_key: str = "",
        *,
        timeout: float = 15.0,
    ) -> None:
        self.root = root
        self.api_key = api_key
        self.secret = secret
        self.session_key = session_key
        self.http = httpx.Client(timeout=timeout)

    def close(self) -> None:
        self.http.close()

    # ---- signing in ----------------------------------------------------------
    def get_token(self) -> str:
        return str(self._call("auth.getToken", {})["token"])

    @staticmethod
    def auth_url(page: str, api_key: str, token: str) -> str:
        return f"{page}?{urlencode({'api_key': api_key, 'token': token})}"

    def get_session(self, token: str) -> Session:
        return _session(self._call("auth.getSession", {"token": token}))

    def get_mobile_session(self, username: str, password: str) -> Session:
        return _session(
            self._call("auth.getMobileSession", {"username": username, "password": password})
        )

    # ---- scrobbling --------------------------------------------------------
    def update_now_playing(self, listen: Listen) -> None:
        params = {"artist": listen.artist, "track": listen.title}
        params.update(_optional(listen, ""))
        self._call("track.updateNowPlaying", params, session=True)

    def scrobble(self, listens: Sequence[Listen]) -> ScrobbleResult:
        if not 0 < len(listens) <= MAX_PER_SCROBBLE:
            raise ValueError(f"track.scrobble takes 1 to {MAX_PER_SCROBBLE} listens")
        params: dict[str, str] = {}
        for i, listen in enumerate(listens):
            params[f"artist[{i}]"] = listen.artist
            params[f"track[{i}]"] = listen.title
            params[f"timestamp[{i}]"] = str(int(listen.listened_at))
            params.update(_optional(listen, f"[{i}]"))
        answer = self._call("track.scrobble", params, session=True)
        items = answer.get("scrobbles", {}).get("scrobble", [])
        if isinstance(items, dict):
            items = [items]
        if len(items) != len(listens):
            raise TryLater("Last.fm answered oddly", f"{len(items)} results for {len(listens)}")
        ignored: list[tuple[int, str] | None] = []
        for item in items:
            message = item.get("ignoredMessage", {}) if isinstance(item, dict) else {}
            code = int(message.get("code", 0) or 0)
            ignored.append(None if code == 0 else (code, str(message.get("#text", "")) or
                                                  IGNORED_REASONS.get(code, f"ignored ({code})")))  # fmt: skip
        return ScrobbleResult(ignored)

    # ---- the wire ------------------------------------------------------------
    def _call(
        self, method: str, params: dict[str, str], *, session: bool = False
    ) -> dict[str, Any]:
        signed = {**params, "method": method, "api_key": self.api_key}
        if session:
            if not self.session_key:
                raise SignInNeeded("Sign in to Last.fm", "No Last.fm session.")
            signed["sk"] = self.session_key
        signed["api_sig"] = api_sig(signed, self.secret)
        signed["format"] = "json"
        try:
            response = self.http.post(self.root, data=signed)
        except httpx.HTTPError as exc:
            raise TryLater("Last.fm cannot be reached", str(exc)) from exc
        try:
            answer = response.json()
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            raise TryLater(f"Last.fm answered {response.status_code}", response.text[:200])
        if "error" in answer:
            raise _error(int(answer["error"]), str(answer.get("message", "")))
        if response.status_code != 200:
            raise TryLater(f"Last.fm answered {response.status_code}", response.text[:200])
        return answer


def _error(code: int, message: str) -> ScrobbleError:
    if code == INVALID_SESSION:
        return SignInNeeded("Sign in to Last.fm again", f"{message} (error {code})")
    if code == RATE_LIMITED:
        return TryLater("Last.fm asks to slow down", f"{message} (error {code})", wait_s=60.0)
    if code in TRY_AGAIN:
        return TryLater("Last.fm is unavailable for now", f"{message} (error {code})")
    if code == AUTH_FAILED:
        return LastfmRefused(
            "Last.fm did not accept the sign-in", f"{message} (error {code})", code
        )
    return LastfmRefused(f"Last.fm refused the request (error {code})", message, code)


class LastfmRefused(ScrobbleError):
    """Any other error code (wrong API key, bad signature...): the queue waits."""

    def __init__(self, short: str, detail: str, code: int) -> None:
        super().__init__(short, detail)
        self.code = code


def _optional(listen: Listen, suffix: str) -> dict[str, str]:
    out: dict[str, str] = {}
    if listen.album:
        out[f"album{suffix}"] = listen.album
    if listen.album_artist:
        out[f"albumArtist{suffix}"] = listen.album_artist
    if listen.duration_ms:
        out[f"duration{suffix}"] = str(int(listen.duration_ms) // 1000)
    if listen.track_number:
        out[f"trackNumber{suffix}"] = str(int(listen.track_number))
    return out


def _session(answer: dict[str, Any]) -> Session:
    session = answer.get("session")
    if not isinstance(session, dict) or not session.get("key"):
        raise TryLater("Last.fm answered oddly", "no session in the answer")
    return Session(name=str(session.get("name", "")), key=str(session["key"]))
