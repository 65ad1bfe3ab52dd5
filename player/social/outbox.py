"""Offline-first writing: every post, edit, delete, like and report goes to the
outbox (a table in the library database) before it is sent.

Nothing a listener writes is lost: an entry leaves the outbox only when the
server has answered it. Entries go out in the order they were written, exactly
once: a post carries its idempotency key from the moment it is written, so a
post the server stored while its answer was lost (a crash, a dropped
connection) comes back as the same comment when it is sent again. Something
that refers to a comment still in the outbox (a reply, an edit, a like) waits
for it and then uses its server id.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from player.library.store import LibraryDB
from player.social.client import Comment, SocialClient
from player.social.errors import (
    BadAnswer,
    NotSignedIn,
    RateLimited,
    Refused,
    ServerUnreachable,
    SocialError,
)

KINDS = ("post", "edit", "delete", "like", "unlike", "report")
#: first retry after this, doubling per attempt up to MAX_BACKOFF_S
BACKOFF_S = 5.0
MAX_BACKOFF_S = 600.0

#: a comment: its server id, or ``"local:N"`` for a post still in the outbox
CommentRef = int | str


@dataclass(frozen=True)
class Entry:
    """An outbox row as the window shows it (``state``: pending, sent or failed)."""

    id: int
    kind: str
    payload: dict[str, Any]
    state: str
    attempts: int
    last_error: str
    created_at: float
    result: dict[str, Any] | None
    idempotency_key: str = ""
    next_attempt_at: float = 0.0

    @property
    def ref(self) -> str:
        """How later entries refer to the comment this post will become."""
        return f"local:{self.id}"


@dataclass
class Delivery:
    """What one :meth:`Outbox.deliver` did."""

    sent: list[Entry] = field(default_factory=list)
    failed: list[tuple[Entry, SocialError]] = field(default_factory=list)
    waiting: SocialError | None = None  # why the rest is still pending (server down...)


class Outbox:
    """The outbox of one comment server in one library."""

    def __init__(
        self, library: LibraryDB, server: str, *, clock: Callable[[], float] = time.time
    ) -> None:
        self.library = library
        self.server = server.rstrip("/")
        self.clock = clock

    # ---- writing (instant, offline) ------------------------------------------
    def post(
        self,
        song: int | dict[str, Any],
        body: str,
        *,
        position_ms: int | None = None,
        parent: CommentRef | None = None,
    ) -> Entry:
        """A comment on *song* (its server id, or the identity to resolve it by)."""
        payload: dict[str, Any] = {"body": body, "position_ms": position_ms, "parent": parent}
        payload["song_id" if isinstance(song, int) else "identity"] = song
        return self._add("post", payload)

    def edit(self, comment: CommentRef, body: str) -> Entry:
        return self._add("edit", {"comment": comment, "body": body})

    def delete(self, comment: CommentRef) -> Entry:
        return self._add("delete", {"comment": comment})

    def like(self, comment: CommentRef, liked: bool = True) -> Entry:
        return self._add("like" if liked else "unlike", {"comment": comment})

    def report(self, comment: CommentRef, reason: str) -> Entry:
        return self._add("report", {"comment": comment, "reason": reason})

    def entries(self, *, state: str | None = None) -> list[Entry]:
        sql = "SELECT * FROM outbox WHERE server = ?"
        args: list[Any] = [self.server]
        if state is not None:
            sql += " AND state = ?"
            args.append(state)
        rows = self.library.execute(sql + " ORDER BY id", args).fetchall()
        return [_entry(row) for row in rows]

    # ---- sending ----------------------------------------------------------------
    def deliver(self, client: SocialClient, *, limit: int = 100, now: bool = False) -> Delivery:
        """Send what is due, oldest first; stop at the first entry that must wait.

        ``now``: do not wait out the back-off of earlier failures (a person asked
        for it, as with ``kindred outbox send``).
        """
        report = Delivery()
        for entry in self.entries(state="pending")[:limit]:
            now_s = self.clock()
            if entry.next_attempt_at > now_s and not now:
                report.waiting = report.waiting or ServerUnreachable(
                    "Waiting to send", "Sending is retried shortly."
                )
                break
            try:
                result = self._send(client, entry)
            except (ServerUnreachable, BadAnswer, NotSignedIn) as exc:
                self._retry_later(entry, exc, now_s + _backoff(entry.attempts))
                report.waiting = exc
                break
            except RateLimited as exc:
                self._retry_later(entry, exc, now_s + exc.wait_s)
                report.waiting = exc
                break
            except (Refused, _Orphan) as exc:
                error = exc if isinstance(exc, SocialError) else exc.error
                self._finish(entry, "failed", None, error.short)
                report.failed.append((entry, error))
                continue
            self._finish(entry, "sent", result, "")
            report.sent.append(entry)
        return report

    def comment_id(self, ref: CommentRef) -> int | None:
        """The server id of a comment (None while its post is still pending)."""
        if isinstance(ref, int):
            return ref
        row = self.library.execute(
            "SELECT state, result FROM outbox WHERE id = ?", (int(str(ref).split(":", 1)[1]),)
        ).fetchone()
        if row is None or row[0] == "failed":
            raise _Orphan(f"the comment {ref} this refers to could not be posted")
        if row[0] != "sent" or not row[1]:
            return None
        return int(json.loads(row[1])["id"])

    # ---- internals --------------------------------------------------------------
    def _add(self, kind: str, payload: dict[str, Any]) -> Entry:
        key = str(uuid.uuid4())
        with self.library.transaction():
            cursor = self.library.execute(
                "INSERT INTO outbox (server, kind, payload, idempotency_key, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (self.server, kind, json.dumps(payload, ensure_ascii=False), key, self.clock()),
            )
            row = self.library.execute("SELECT * FROM outbox WHERE id = ?", (cursor.lastrowid,)).fetchone()
        return _entry(row)

    def _send(self, client: SocialClient, entry: Entry) -> dict[str, Any]:
        p = entry.payload
        if entry.kind == "post":
            song_id = p.get("song_id")
            if song_id is None:
                song_id = client.resolve(p["identity"]).song_id
                if song_id is None:
                    raise NotSignedIn("Sign in to comment", "Posting needs an account.")
            parent = self._server_id(p.get("parent")) if p.get("parent") is not None else None
            comment = client.post(int(song_id), p["body"], position_ms=p.get("position_ms"),
                                  parent_id=parent, key=entry.idempotency_key)  # fmt: skip
            return _comment_json(comment)
        target = self._server_id(p["comment"])
        if entry.kind == "edit":
            return _comment_json(client.edit(target, p["body"]))
        if entry.kind == "delete":
            client.delete(target)
            return {"id": target}
        if entry.kind in ("like", "unlike"):
            like = client.like(target, liked=entry.kind == "like")
            return {"id": target, "like_count": like.like_count, "liked_by_me": like.liked_by_me}
        client.report(target, p["reason"])
        return {"id": target}

    def _server_id(self, ref: CommentRef) -> int:
        found = self.comment_id(ref)
        if found is None:  # entries go in order, so its post was sent first
            raise _Orphan(f"the comment {ref} this refers to was not posted")
        return found

    def _retry_later(self, entry: Entry, error: SocialError, at: float) -> None:
        with self.library.transaction():
            self.library.execute(
                "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? "
                "WHERE id = ?",
                (at, error.short, entry.id),
            )

    def _finish(self, entry: Entry, state: str, result: dict[str, Any] | None, error: str) -> None:
        with self.library.transaction():
            self.library.execute(
                "UPDATE outbox SET state = ?, result = ?, last_error = ?, "
                "attempts = attempts + 1 WHERE id = ?",
                (
                    state,
                    json.dumps(result, ensure_ascii=False) if result else None,
                    error,
                    entry.id,
                ),
            )


class _Orphan(Exception):
    """An entry about a comment whose own post failed: it fails too."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.error = Refused(f"Not sent: {message}", message, status=409, code="orphan")


def _backoff(attempts: int) -> float:
    return min(MAX_BACKOFF_S, BACKOFF_S * 2**attempts)


def _entry(row: Any) -> Entry:
    keys = ("id", "server", "kind", "payload", "idempotency_key", "state", "created_at",
            "attempts", "next_attempt_at", "last_error", "result")  # fmt: skip
    data = dict(zip(keys, row, strict=True))
    return Entry(
        id=int(data["id"]),
        kind=str(data["kind"]),
        payload=json.loads(data["payload"]),
        state=str(data["state"]),
        attempts=int(data["attempts"]),
        last_error=str(data["last_error"]),
        created_at=float(data["created_at"]),
        result=json.loads(data["result"]) if data["result"] else None,
        idempotency_key=str(data["idempotency_key"]),
        next_attempt_at=float(data["next_attempt_at"]),
    )


def _comment_json(comment: Comment) -> dict[str, Any]:
    return {"id": comment.id, "song_id": comment.song_id, "body": comment.body,
            "created_at": comment.created_at}  # fmt: skip
