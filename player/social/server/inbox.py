"""A user's notifications: the inbox, its unread count, marking read.

``GET /me/notifications`` pages newest first by id (a keyset cursor, as the
comment lists do); each item carries its comment as the reader sees it, its
song's id and its actors (up to three, latest first, for a like group).
"Read" is one mark per user: every notification with an id up to
``read_up_to`` is read (a like group that grows gets a new id, so it is
unread again).

``GET /me/notifications/unread-count`` is what an app polls for its badge:
one indexed count, with an ETag (the reader and the number) for a 304. A
signed-in poll whose token is in the token cache (:mod:`.tokencache`) is
answered by :class:`UnreadCountMiddleware` at the ASGI layer, like the
cached comment pages of :mod:`.signedin`; the route below answers the rest,
the same way.
"""

from __future__ import annotations

import hashlib
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import Connection, bindparam, func, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from starlette.types import ASGIApp, Receive, Scope, Send

from . import comments_read, cursors, etags
from .auth import ServerState, StateDep, UserDep, memo_user
from .clock import iso
from .liked import UNREAD_SQL, LikedQuery
from .models import NotificationPage, ReadIn, UnreadOut
from .schema import comments, notification_likers, notification_reads, notifications, users
from .signedin import bearer, matches_etag

router = APIRouter(tags=["notifications"])

UNREAD_PATH = "/api/v1/me/notifications/unread-count"
#: actors shown with a like group
LATEST_ACTORS = 3
_UNREAD = text(UNREAD_SQL)


def unread_etag(user_id: int, unread: int) -> str:
    """The ETag of an unread count (the body is the number alone)."""
    raw = f"unread|{user_id}|{unread}".encode()
    return 'W/"' + hashlib.blake2b(raw, digest_size=12).hexdigest() + '"'


def unread_count(conn: Connection, user_id: int) -> int:
    """The unread notifications of ``user_id`` (capped as :data:`.liked.UNREAD_CAP`)."""
    return int(conn.execute(_UNREAD, {"u": user_id}).scalar_one())


@router.get(
    "/me/notifications/unread-count",
    response_model=UnreadOut,
    responses={304: {"description": "Not modified since the ETag in If-None-Match"}},
)
def get_unread_count(request: Request, user: UserDep, st: StateDep) -> Response:
    """How many notifications are unread (counted up to 1000); send If-None-Match for a 304."""
    with st.db.read() as conn:
        unread = unread_count(conn, user.id)
    etag = unread_etag(user.id, unread)
    if etags.matches(request, etag):
        return etags.not_modified(etag)
    return JSONResponse({"unread": unread}, headers={"ETag": etag, **etags.CACHE_HEADERS})


_LATEST_LIKERS = (
    select(
        notification_likers.c.comment_id,
        notification_likers.c.user_id,
        users.c.username,
        func.row_number()
        .over(
            partition_by=notification_likers.c.comment_id,
            order_by=(
                notification_likers.c.created_us.desc(),
                notification_likers.c.user_id.desc(),
            ),
        )
        .label("rank"),
    )
    .join(users, users.c.id == notification_likers.c.user_id)
    .where(notification_likers.c.comment_id.in_(bindparam("ids", expanding=True)))
    .subquery()
)


def _likers(conn: Connection, comment_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """The latest likers of each like group, latest first."""
    found: dict[int, list[dict[str, Any]]] = {}
    if not comment_ids:
        return found
    rows = conn.execute(
        select(_LATEST_LIKERS)
        .where(_LATEST_LIKERS.c.rank <= LATEST_ACTORS)
        .order_by(_LATEST_LIKERS.c.comment_id, _LATEST_LIKERS.c.rank),
        {"ids": comment_ids},
    )
    for row in rows:
        found.setdefault(row.comment_id, []).append({"id": row.user_id, "username": row.username})
    return found


@router.get("/me/notifications", response_model=NotificationPage)
def list_notifications(
    user: UserDep,
    st: StateDep,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Response:
    """My notifications, newest first (``next_cursor`` pages on).

    Kinds: ``reply`` (someone answered my comment; the comment is the reply),
    ``like`` (one entry per liked comment: ``actor_count`` people, the latest
    three in ``actors``; a new like brings it back to the top, unread),
    ``mention`` (``@myname`` in a comment; only the first five distinct names
    of a comment are looked up) and ``hidden`` (a moderator hid my comment;
    ``reason`` says why). Nobody is notified of their own acts, nor by users
    they muted; a deleted or hidden comment's notifications are gone.
    """
    query = (
        select(
            notifications,
            users.c.username.label("actor_name"),
            func.coalesce(notification_reads.c.read_up_to, 0).label("read_up_to"),
        )
        .outerjoin(users, users.c.id == notifications.c.actor_id)
        .outerjoin(notification_reads, notification_reads.c.user_id == notifications.c.user_id)
        .where(notifications.c.user_id == user.id)
        .order_by(notifications.c.id.desc())
        .limit(limit + 1)
    )
    if cursor:
        _, before = cursors.decode("notifications", cursor)
        query = query.where(notifications.c.id < before)
    with st.db.read() as conn:
        rows = conn.execute(query).all()
        more = len(rows) > limit
        rows = rows[:limit]
        ids = [r.comment_id for r in rows]
        loaded = conn.execute(comments_read.comment_select().where(comments.c.id.in_(ids))).all()
        by_id = {c["id"]: c for c in comments_read.serialize_rows(conn, list(loaded), user)}
        likers = _likers(conn, [r.comment_id for r in rows if r.kind == "like"])
    items = []
    for row in rows:
        comment = by_id[row.comment_id]
        if row.kind == "like":
            actors = likers.get(row.comment_id, [])
        elif row.actor_id is not None:
            actors = [{"id": row.actor_id, "username": row.actor_name}]
        else:
            actors = []
        items.append(
            {
                "id": row.id,
                "kind": row.kind,
                "song_id": comment["song_id"],
                "comment": comment,
                "actors": actors,
                "actor_count": row.actor_count,
                "reason": row.reason,
                "read": row.id <= row.read_up_to,
                "created_at": iso(row.created_us),
            }
        )
    nxt = cursors.encode("notifications", 0, rows[-1].id) if more and rows else None
    return JSONResponse({"items": items, "next_cursor": nxt})


@router.post("/me/notifications/read", response_model=UnreadOut)
def mark_read(payload: ReadIn, user: UserDep, st: StateDep) -> Response:
    """Mark every notification with an id up to ``up_to`` read (the mark never moves back)."""
    with st.db.write() as conn:
        insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
        statement = insert(notification_reads).values(user_id=user.id, read_up_to=payload.up_to)
        conn.execute(
            statement.on_conflict_do_update(
                index_elements=[notification_reads.c.user_id],
                set_={
                    "read_up_to": func.max(
                        notification_reads.c.read_up_to, statement.excluded.read_up_to
                    )
                    if conn.dialect.name == "sqlite"
                    else func.greatest(
                        notification_reads.c.read_up_to, statement.excluded.read_up_to
                    )
                },
            )
        )
        unread = unread_count(conn, user.id)
    return JSONResponse({"unread": unread})


class UnreadCountMiddleware:
    """Answers unread-count polls of recently seen tokens without routing or a thread hop."""

    def __init__(self, app: ASGIApp, state: ServerState, fast: LikedQuery) -> None:
        self.app = app
        self.state = state
        self.fast = fast

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] == "GET"
            and scope["path"] == UNREAD_PATH
            and await self._serve(scope, send)
        ):
            return
        await self.app(scope, receive, send)

    async def _serve(self, scope: Scope, send: Send) -> bool:
        token = bearer(scope)
        user = await memo_user(self.state, token) if token else None
        if user is None:
            return False
        try:
            unread = await self.fast.unread(user.id)
        except Exception:
            return False  # the full path reports the database's trouble properly
        etag = unread_etag(user.id, unread)
        headers = [(b"etag", etag.encode()), (b"cache-control", b"private, no-cache")]
        if matches_etag(scope, etag):
            await send({"type": "http.response.start", "status": 304, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return True
        body = b'{"unread":%d}' % unread
        headers += [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})
        return True
