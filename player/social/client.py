"""The comment server's API as plain Python calls (httpx, synchronous).

Every call has explicit timeouts. Requests that are safe to repeat (reads,
likes, deletes, and posts that carry an idempotency key) are retried with
exponential backoff when the server cannot be reached or is briefly
unavailable; everything else fails at once. Failures are :mod:`errors
<player.social.errors>` a person can read: the server is down, it said no, it
asks to wait N seconds, you are not signed in, or it sent garbage.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from player.social.errors import (
    BadAnswer,
    NotSignedIn,
    RateLimited,
    Refused,
    ServerUnreachable,
    SocialError,
)

API = "/api/v1"
USER_AGENT = "Kindred/0.1 (music player)"
RETRY_STATUSES = {502, 503, 504}

if TYPE_CHECKING:  # httpx is imported when the first request goes out, not at start-up
    import httpx


@dataclass(frozen=True)
class User:
    id: int
    username: str


@dataclass(frozen=True)
class Session:
    token: str
    expires_at: str


@dataclass(frozen=True)
class Comment:
    id: int
    song_id: int
    author: User | None  # None: deleted
    body: str
    position_ms: int | None
    parent_id: int | None
    reply_to: User | None
    like_count: int
    liked_by_me: bool
    reply_count: int
    created_at: str
    edited_at: str | None
    deleted: bool
    hidden: bool = False

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> Comment:
        def user(value: Any) -> User | None:
            return User(int(value["id"]), str(value["username"])) if value else None

        return cls(
            id=int(raw["id"]),
            song_id=int(raw["song_id"]),
            author=user(raw.get("author")),
            body=str(raw["body"]),
            position_ms=raw.get("position_ms"),
            parent_id=raw.get("parent_id"),
            reply_to=user(raw.get("reply_to")),
            like_count=int(raw.get("like_count", 0)),
            liked_by_me=bool(raw.get("liked_by_me", False)),
            reply_count=int(raw.get("reply_count", 0)),
            created_at=str(raw["created_at"]),
            edited_at=raw.get("edited_at"),
            deleted=bool(raw.get("deleted", False)),
            hidden=bool(raw.get("hidden", False)),
        )


@dataclass(frozen=True)
class CommentPage:
    items: list[Comment]
    next_cursor: str | None
    etag: str | None = None
    not_modified: bool = False  # the page the caller has (its etag) is still current


@dataclass(frozen=True)
class Like:
    like_count: int
    liked_by_me: bool


@dataclass(frozen=True)
class Resolved:
    song_id: int | None  # None: nobody has commented and nobody signed in asked yet
    comment_count: int


@dataclass(frozen=True)
class Notification:
    id: int
    kind: str  # "reply", "like", "mention" or "hidden"
    song_id: int
    comment: Comment  # the reply, the liked comment, the mentioning or the hidden comment
    actors: list[User]  # latest first (up to 3 of a like group; none for a hide)
    actor_count: int
    reason: str | None  # why a moderator hid the comment
    read: bool
    created_at: str

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> Notification:
        return cls(
            id=int(raw["id"]),
            kind=str(raw["kind"]),
            song_id=int(raw["song_id"]),
            comment=Comment.from_json(raw["comment"]),
            actors=[User(int(a["id"]), str(a["username"])) for a in raw.get("actors") or []],
            actor_count=int(raw.get("actor_count", 1)),
            reason=raw.get("reason"),
            read=bool(raw.get("read", False)),
            created_at=str(raw["created_at"]),
        )


@dataclass(frozen=True)
class NotificationPage:
    items: list[Notification]
    next_cursor: str | None


@dataclass(frozen=True)
class SongRef:
    """A song as the server knows it: how it was tagged, and its aliases."""

    id: int
    artist: str | None
    title: str | None
    aliases: dict[str, str]  # kind ("mbid", "isrc", "fp", "key") -> value

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> SongRef:
        aliases = {str(a["kind"]): str(a["value"]) for a in raw.get("aliases") or []}
        return cls(int(raw["id"]), raw.get("artist"), raw.get("title"), aliases)


@dataclass(frozen=True)
class Profile:
    id: int
    username: str
    joined_at: str
    comment_count: int
    likes_received: int
    is_moderator: bool
    muted_by_me: bool
    #: {"until", "for_good", "reason"}; shown to moderators and the user only
    suspension: Mapping[str, Any] | None


@dataclass(frozen=True)
class ProfilePage:
    items: list[tuple[Comment, SongRef | None]]
    next_cursor: str | None


@dataclass(frozen=True)
class Unread:
    count: int
    etag: str | None = None
    not_modified: bool = False  # the count the caller has (its etag) is still current


@dataclass(frozen=True)
class LogEntry:
    """One line of the moderation log."""

    id: int
    action: str  # "hide", "dismiss", "suspend", "unsuspend"
    moderator: User | None
    target: User | None
    comment_id: int | None
    reason: str | None
    until: str | None
    for_good: bool
    created_at: str


@dataclass
class SocialClient:
    """One comment server. ``token`` is the signed-in account's bearer token."""

    base_url: str
    token: str | None = None
    timeout_s: float = 10.0
    retries: int = 3
    backoff_s: float = 0.5
    transport: httpx.BaseTransport | None = None
    sleep: Callable[[float], None] = time.sleep
    _http: httpx.Client | None = field(default=None, init=False, repr=False)

    # ---- accounts ---------------------------------------------------------------
    def register(self, username: str, password: str) -> User:
        raw = self._call("POST", "/users", json={"username": username, "password": password})
        return User(int(raw["id"]), str(raw["username"]))

    def sign_in(self, username: str, password: str) -> Session:
        raw = self._call("POST", "/tokens", json={"username": username, "password": password})
        session = Session(str(raw["token"]), str(raw["expires_at"]))
        self.token = session.token
        return session

    def sign_out(self) -> None:
        """Revoke the token on the server (if it can be reached) and forget it."""
        try:
            if self.token:
                self._call("DELETE", "/tokens/current", auth=True, retry=True)
        except NotSignedIn:
            pass  # already expired or revoked: signed out either way
        finally:
            self.token = None

    # ---- songs --------------------------------------------------------------------
    def resolve(self, identity: Mapping[str, Any], *, create: bool = True) -> Resolved:
        """The song id for a track's identifiers (mbid, isrc, fingerprint, artist...).

        Signed in (and ``create``), an unknown song is created; anonymous, or with
        ``create`` False, it is only looked up.
        """
        body = {k: v for k, v in identity.items() if v not in (None, "")}
        auth = bool(self.token) and create
        raw = self._call("POST", "/songs/resolve", json=body, auth=auth, retry=True)
        song = raw.get("song_id")
        return Resolved(int(song) if song is not None else None, int(raw["comment_count"]))

    def counts(self, song_ids: list[int]) -> dict[int, int]:
        """Comment counts of many songs at once."""
        if not song_ids:
            return {}
        ids = ",".join(str(int(i)) for i in song_ids)
        raw = self._call("GET", "/songs/counts", params={"ids": ids}, retry=True)
        return {int(k): int(v) for k, v in raw["counts"].items()}

    # ---- reading --------------------------------------------------------------------
    def comments(
        self,
        song_id: int,
        *,
        sort: str = "new",
        cursor: str | None = None,
        limit: int = 20,
        etag: str | None = None,
    ) -> CommentPage:
        """A page of a song's top-level comments; with ``etag``, maybe "not modified"."""
        params: dict[str, Any] = {"sort": sort, "limit": limit}
        if cursor:
            params["cursor"] = cursor
        return self._page(f"/songs/{int(song_id)}/comments", params, etag)

    def replies(
        self, comment_id: int, *, cursor: str | None = None, limit: int = 20
    ) -> CommentPage:
        params: dict[str, Any] = {"limit": limit}
        if cursor:
            params["cursor"] = cursor
        return self._page(f"/comments/{int(comment_id)}/replies", params, None)

    # ---- writing --------------------------------------------------------------------
    def post(
        self,
        song_id: int,
        body: str,
        *,
        position_ms: int | None = None,
        parent_id: int | None = None,
        key: str | None = None,
    ) -> Comment:
        """Post a comment; *key* (made here when omitted) makes a retry safe."""
        payload: dict[str, Any] = {"body": body}
        if position_ms is not None:
            payload["position_ms"] = int(position_ms)
        if parent_id is not None:
            payload["parent_id"] = int(parent_id)
        headers = {"Idempotency-Key": key or str(uuid.uuid4())}
        raw = self._call(
            "POST", f"/songs/{int(song_id)}/comments", json=payload, headers=headers,
            auth=True, retry=True,
        )  # fmt: skip
        return Comment.from_json(raw)

    def edit(self, comment_id: int, body: str) -> Comment:
        raw = self._call("PATCH", f"/comments/{int(comment_id)}", json={"body": body}, auth=True)
        return Comment.from_json(raw)

    def delete(self, comment_id: int) -> None:
        try:
            self._call("DELETE", f"/comments/{int(comment_id)}", auth=True, retry=True)
        except Refused as exc:
            if exc.status != 404:  # gone already: a retried delete reached its goal
                raise

    def like(self, comment_id: int, liked: bool = True) -> Like:
        method = "PUT" if liked else "DELETE"
        raw = self._call(method, f"/comments/{int(comment_id)}/like", auth=True, retry=True)
        return Like(int(raw["like_count"]), bool(raw["liked_by_me"]))

    def report(self, comment_id: int, reason: str) -> None:
        self._call(
            "POST", f"/comments/{int(comment_id)}/reports", json={"reason": reason}, auth=True
        )

    # ---- notifications and mutes -----------------------------------------------------
    def notifications(self, *, cursor: str | None = None, limit: int = 20) -> NotificationPage:
        """A page of my notifications, newest first."""
        params: dict[str, Any] = {"limit": limit}
        if cursor:
            params["cursor"] = cursor
        raw = self._call("GET", "/me/notifications", params=params, auth=True, retry=True)
        try:
            items = [Notification.from_json(item) for item in raw["items"]]
        except (KeyError, TypeError, ValueError) as exc:
            raise self._bad_answer(f"a notification is malformed ({exc})") from exc
        return NotificationPage(items, raw.get("next_cursor"))

    def unread_count(self, *, etag: str | None = None) -> Unread:
        """How many notifications are unread; with ``etag``, maybe "not modified"."""
        headers = {"If-None-Match": etag} if etag else {}
        response = self._send(
            "GET", "/me/notifications/unread-count", headers=headers, auth=True, retry=True
        )
        if response.status_code == 304:
            return Unread(-1, etag, not_modified=True)
        raw = self._json(response)
        return Unread(int(raw["unread"]), response.headers.get("etag"))

    def mark_read(self, up_to: int) -> int:
        """Mark my notifications up to id ``up_to`` read; returns how many stay unread."""
        raw = self._call(
            "POST", "/me/notifications/read", json={"up_to": int(up_to)}, auth=True, retry=True
        )
        return int(raw["unread"])

    def mutes(self) -> list[User]:
        """The users I muted, most recent first."""
        raw = self._call("GET", "/me/mutes", auth=True, retry=True)
        return [User(int(u["id"]), str(u["username"])) for u in raw["items"]]

    def mute(self, username: str, muted: bool = True) -> None:
        """Mute (or unmute) a user: their comments leave my pages and they never notify me."""
        method = "PUT" if muted else "DELETE"
        self._call(method, f"/me/mutes/{_segment(username)}", auth=True, retry=True)

    # ---- people, moderation, my account ----------------------------------------------
    def profile(self, username: str) -> Profile:
        raw = self._call("GET", f"/users/{_segment(username)}", auth=bool(self.token), retry=True)
        try:
            return Profile(
                int(raw["id"]), str(raw["username"]), str(raw["joined_at"]),
                int(raw["comment_count"]), int(raw["likes_received"]),
                bool(raw.get("is_moderator")), bool(raw.get("muted_by_me")), raw.get("suspension"),
            )  # fmt: skip
        except (KeyError, TypeError, ValueError) as exc:
            raise self._bad_answer(f"a profile is malformed ({exc})") from exc

    def user_comments(
        self, username: str, *, cursor: str | None = None, limit: int = 20
    ) -> ProfilePage:
        """A user's comments, newest first, each with the song it is on."""
        params: dict[str, Any] = {"limit": limit, **({"cursor": cursor} if cursor else {})}
        raw = self._call("GET", f"/users/{_segment(username)}/comments", params=params,
                         auth=bool(self.token), retry=True)  # fmt: skip
        try:
            items = [
                (Comment.from_json(i), SongRef.from_json(i["song"]) if i.get("song") else None)
                for i in raw["items"]
            ]
        except (KeyError, TypeError, ValueError) as exc:
            raise self._bad_answer(f"a comment is malformed ({exc})") from exc
        return ProfilePage(items, raw.get("next_cursor"))

    def top_comments(
        self, period: str = "week", limit: int = 10
    ) -> list[tuple[Comment, SongRef | None]]:
        """The most liked comments of the ``week``, ``month`` or ``all`` time, with their songs."""
        raw = self._call("GET", "/comments/top", params={"period": period, "limit": limit},
                         auth=bool(self.token), retry=True)  # fmt: skip
        try:
            return [
                (Comment.from_json(i), SongRef.from_json(i["song"]) if i.get("song") else None)
                for i in raw["items"]
            ]
        except (KeyError, TypeError, ValueError) as exc:
            raise self._bad_answer(f"a comment is malformed ({exc})") from exc

    def reports(self, *, limit: int = 50) -> list[dict[str, Any]]:
        """Open reports, newest first (moderators)."""
        raw = self._call("GET", "/reports", params={"limit": limit}, auth=True, retry=True)
        items = raw.get("items")
        if not isinstance(items, list):
            raise self._bad_answer("the reports are not a list")
        return items

    def hide(self, comment_id: int, reason: str | None = None) -> Comment:
        """Hide a comment from everyone but its author, who is told ``reason`` (moderators)."""
        body = {"reason": reason} if reason else None
        path = f"/comments/{int(comment_id)}/hide"
        return Comment.from_json(self._call("POST", path, json=body, auth=True, retry=True))

    def dismiss(self, report_id: int) -> None:
        """Close a report and leave the comment be (moderators)."""
        self._call("POST", f"/reports/{int(report_id)}/dismiss", auth=True, retry=True)

    def suspend(self, username: str, reason: str, days: int | None = None) -> Mapping[str, Any]:
        """Suspend an account (moderators): for ``days`` days, or for good."""
        raw = self._call("POST", f"/users/{_segment(username)}/suspend",
                         json={"reason": reason, "days": days}, auth=True)  # fmt: skip
        return raw.get("suspension") or {}

    def lift_suspension(self, username: str) -> None:
        self._call("DELETE", f"/users/{_segment(username)}/suspend", auth=True, retry=True)

    def moderation_log(
        self, *, cursor: str | None = None, limit: int = 50
    ) -> tuple[list[LogEntry], str | None]:
        params: dict[str, Any] = {"limit": limit, **({"cursor": cursor} if cursor else {})}
        raw = self._call("GET", "/moderation/log", params=params, auth=True, retry=True)

        def user(value: Any) -> User | None:
            return User(int(value["id"]), str(value["username"])) if value else None

        def entry(i: Mapping[str, Any]) -> LogEntry:
            return LogEntry(
                int(i["id"]), str(i["action"]), user(i.get("moderator")), user(i.get("target")),
                i.get("comment_id"), i.get("reason"), i.get("until"), bool(i.get("for_good")),
                str(i["created_at"]),
            )  # fmt: skip

        try:
            entries = [entry(i) for i in raw["items"]]
        except (KeyError, TypeError, ValueError) as exc:
            raise self._bad_answer(f"a log entry is malformed ({exc})") from exc
        return entries, raw.get("next_cursor")

    def change_password(self, current: str, new: str) -> None:
        """A new password; the server signs out every other session."""
        self._call("POST", "/me/password",
                   json={"current_password": current, "new_password": new}, auth=True)  # fmt: skip

    def export(self) -> dict[str, Any]:
        """Everything the server keeps about this account."""
        return self._call("GET", "/me/export", auth=True, retry=True)

    def delete_account(self, password: str) -> None:
        """Delete this account for good (comments with replies stay as "[deleted user]")."""
        self._call("DELETE", "/me", json={"password": password}, auth=True)
        self.token = None

    # ---- plumbing ---------------------------------------------------------------------
    def close(self) -> None:
        if self._http is not None:
            self._http.close()
            self._http = None

    def __enter__(self) -> SocialClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _client(self) -> httpx.Client:
        if self._http is None:
            import httpx

            self._http = httpx.Client(
                base_url=self.base_url.rstrip("/") + API,
                timeout=httpx.Timeout(self.timeout_s, connect=min(5.0, self.timeout_s)),
                headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
                transport=self.transport,
            )
        return self._http

    def _page(self, path: str, params: dict[str, Any], etag: str | None) -> CommentPage:
        headers = {"If-None-Match": etag} if etag else {}
        response = self._send("GET", path, params=params, headers=headers, auth=bool(self.token),
                              retry=True)  # fmt: skip
        if response.status_code == 304:
            return CommentPage([], None, etag, not_modified=True)
        raw = self._json(response)
        try:
            items = [Comment.from_json(item) for item in raw["items"]]
        except (KeyError, TypeError, ValueError) as exc:
            raise self._bad_answer(f"a comment is malformed ({exc})") from exc
        return CommentPage(items, raw.get("next_cursor"), response.headers.get("etag"))

    def _call(self, method: str, path: str, *, auth: bool = False, retry: bool = False,
              **kwargs: Any) -> dict[str, Any]:  # fmt: skip
        response = self._send(method, path, auth=auth, retry=retry, **kwargs)
        if response.status_code == 204:
            return {}
        return self._json(response)

    def _send(self, method: str, path: str, *, auth: bool, retry: bool,
              **kwargs: Any) -> httpx.Response:  # fmt: skip
        import httpx

        headers = dict(kwargs.pop("headers", None) or {})
        if auth:
            if not self.token:
                raise NotSignedIn(
                    "Sign in to do that", "Posting, liking and reporting need an account."
                )
            headers["Authorization"] = f"Bearer {self.token}"
        attempts = 1 + (self.retries if retry else 0)
        for attempt in range(attempts):
            last = attempt == attempts - 1
            try:
                response = self._client().request(method, path, headers=headers, **kwargs)
            except httpx.HTTPError as exc:
                if last:
                    raise self._unreachable(exc) from exc
                self.sleep(self._delay(attempt))
                continue
            if response.status_code in RETRY_STATUSES and not last:
                self.sleep(max(self._delay(attempt), _retry_after(response) or 0.0))
                continue
            if response.status_code >= 400:
                raise self._error(response)
            return response
        raise AssertionError("unreachable")  # pragma: no cover

    def _delay(self, attempt: int) -> float:
        return self.backoff_s * (2**attempt) * (0.75 + random.random() / 2)

    def _json(self, response: httpx.Response) -> dict[str, Any]:
        try:
            data = response.json()
        except ValueError:
            data = None
        if not isinstance(data, dict):
            raise self._bad_answer(f"HTTP {response.status_code}, not a JSON object")
        return data

    def _unreachable(self, exc: httpx.HTTPError) -> ServerUnreachable:
        import httpx

        what = (
            "did not answer in time"
            if isinstance(exc, httpx.TimeoutException)
            else "cannot be reached"
        )
        return ServerUnreachable(
            f"The comment server {what}",
            f"{self.base_url} {what} ({type(exc).__name__}). Comments you write are kept "
            "and sent when it is back.",
        )

    def _bad_answer(self, why: str) -> BadAnswer:
        return BadAnswer(
            "The comment server sent an answer Kindred cannot read",
            f"{self.base_url} is not a Kindred comment server, or it failed: {why}.",
        )

    def _error(self, response: httpx.Response) -> SocialError:
        status = response.status_code
        code, message = "", ""
        try:
            detail = response.json().get("error", {})
            code, message = str(detail.get("code", "")), str(detail.get("message", ""))
        except (ValueError, AttributeError):
            if status < 500:
                return self._bad_answer(f"HTTP {status} without an error message")
        if status == 401:
            return NotSignedIn("Please sign in again", message or "The session has expired.")
        if status == 429:
            wait = _retry_after(response) or 60.0
            return RateLimited(
                f"Too many requests: try again in {wait:.0f} s",
                message or "The comment server asks to slow down.",
                wait_s=wait,
            )
        if status >= 500:
            return ServerUnreachable(
                "The comment server has a problem",
                f"{self.base_url} answered HTTP {status}. Try again later.",
            )
        return Refused(message or f"The comment server refused (HTTP {status})", message,
                       status=status, code=code)  # fmt: skip


def _segment(name: str) -> str:
    """A user name as one URL path segment."""
    from urllib.parse import quote

    return quote(name, safe="")


def _retry_after(response: httpx.Response) -> float | None:
    try:
        return max(0.0, float(response.headers.get("retry-after", "")))
    except ValueError:
        return None
