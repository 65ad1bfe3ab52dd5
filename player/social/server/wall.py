"""The comment wall: ``GET /comments/top``, the most liked comments of a period.

Across every song, top-level comments and replies alike, ordered by likes
(ties: newest first), never hidden or deleted ones, each with its song (artist,
title and aliases, as :func:`.profiles.songs_of` gives them) so a listener can
find it in their library. A signed-in reader's wall leaves out the authors
they muted and carries their ``liked_by_me``.

Every client's For You page polls it, so it is computed once per period and
kept in process memory for :data:`WALL_CACHE_S` seconds: a write committed by
this process (a comment, a like, a hide, a deletion) drops it at once, while
other instances (or ``--workers``) may show a wall up to that long out of
date. :class:`WallMiddleware` answers from the ASGI layer: anonymous walls
as kept (no routing, no thread hop, no database), signed-in ones with one
query for the reader's likes and mutes. The query walks ``ix_comments_top``
(likes, time; visible comments only).
"""

from __future__ import annotations

import json
import threading
import time
from contextlib import nullcontext
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from sqlalchemy import Connection, false, select
from starlette.types import ASGIApp, Receive, Scope, Send

from . import comments_read
from .auth import StateDep, User, ViewerDep, memo_user
from .clock import now_us
from .models import ProfileCommentOut
from .profiles import songs_of
from .schema import comments, mutes
from .signedin import bearer

router = APIRouter(tags=["comments"])

PATH = "/api/v1/comments/top"
#: how long a wall is reused (seconds); other instances' writes show after at most this
WALL_CACHE_S = 30.0
#: how many comments a wall keeps (the largest ``limit``)
WALL_MAX = 50
#: muted authors are left out after the cut, so the cut keeps a margin for them
_CUT = 2 * WALL_MAX
_DAY_US = 86_400 * 1_000_000
PERIODS: dict[str, int | None] = {"week": 7 * _DAY_US, "month": 30 * _DAY_US, "all": None}

Period = Literal["week", "month", "all"]


class WallPage(BaseModel):
    #: "week", "month" or "all"
    period: str
    #: most liked first (ties: newest first)
    items: list[ProfileCommentOut]


def _json(value: object) -> bytes:
    return json.dumps(
        value, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":")
    ).encode()


class WallCache:
    """Each period's wall and each anonymous answer, for ``ttl_s`` or until a local write."""

    def __init__(self, ttl_s: float = WALL_CACHE_S) -> None:
        self.ttl_s = ttl_s
        self._walls: dict[str, tuple[float, list[dict[str, Any]]]] = {}
        self._answers: dict[bytes, tuple[float, bytes]] = {}
        self._epoch = 0
        self._lock = threading.Lock()

    def clear(self, _songs: object = None) -> None:
        """Forget everything (after a local write); reads begun before are not kept."""
        with self._lock:
            self._epoch += 1
            self._walls.clear()
            self._answers.clear()

    def mark(self) -> tuple[float, int]:
        return time.monotonic(), self._epoch

    def wall(self, period: str) -> tuple[float, list[dict[str, Any]]] | None:
        """The period's wall and when its read began, while it is fresh."""
        kept = self._walls.get(period)
        if kept is None or time.monotonic() - kept[0] > self.ttl_s:
            return None
        return kept

    def answer(self, query: bytes) -> bytes | None:
        kept = self._answers.get(query)
        if kept is None or time.monotonic() - kept[0] > self.ttl_s:
            return None
        return kept[1]

    def put(self, mark: tuple[float, int], period: str, items: list[dict[str, Any]]) -> None:
        """Keep a wall whose read began at ``mark``, unless a local write came since."""
        started, epoch = mark
        with self._lock:
            if epoch == self._epoch:
                self._walls[period] = (started, items)

    def put_answer(self, mark: tuple[float, int], query: bytes, body: bytes) -> None:
        """Keep an anonymous answer made from a wall read at ``mark`` (it expires with it)."""
        started, epoch = mark
        with self._lock:
            if epoch != self._epoch:
                return
            if len(self._answers) > 256:  # odd query strings must not grow it forever
                self._answers.clear()
            self._answers[query] = (started, body)


def top(conn: Connection, period: str) -> list[dict[str, Any]]:
    """The period's wall as JSON items (everyone's; ``liked_by_me`` false)."""
    query = comments_read.comment_select().where(
        comments.c.hidden == false(), comments.c.deleted == false()
    )
    span = PERIODS[period]
    if span is not None:
        query = query.where(comments.c.created_us >= now_us() - span)
    query = query.order_by(
        comments.c.like_count.desc(), comments.c.created_us.desc(), comments.c.id.desc()
    ).limit(_CUT)
    rows = conn.execute(query).all()
    by_song = songs_of(conn, {r.song_id for r in rows})
    items = [comments_read.serialize(r, False) for r in rows]
    for item in items:
        item["song"] = by_song.get(item["song_id"])
    return items


def _for_viewer(
    conn: Connection, items: list[dict[str, Any]], viewer: User, limit: int
) -> list[dict[str, Any]]:
    """The wall without the authors the viewer muted, with their likes."""
    muted = set(
        conn.execute(select(mutes.c.muted_id).where(mutes.c.user_id == viewer.id)).scalars()
    )
    kept = [i for i in items if i["author"]["id"] not in muted][:limit]
    liked = comments_read.liked_ids(conn, viewer, [i["id"] for i in kept])
    return [{**i, "liked_by_me": i["id"] in liked} for i in kept]


@router.get("/comments/top", response_model=WallPage)
def top_comments(
    request: Request,
    viewer: ViewerDep,
    st: StateDep,
    period: Period = "week",
    limit: Annotated[int, Query(ge=1, le=WALL_MAX)] = 10,
) -> Response:
    """The most liked comments of the last week, month or ever, across all songs.

    Top-level comments and replies; never hidden or deleted ones; ties go to
    the newer comment. Each item carries its song (artist, title, aliases).
    Signed in, comments by users you muted are left out. The wall is cached
    for 30 seconds: a change made through this server instance shows at once,
    one made through another instance within 30 seconds.
    """
    cache: WallCache = st.wall
    mark = cache.mark()
    kept = cache.wall(period)
    with st.db.read() if kept is None or viewer is not None else nullcontext() as conn:
        if kept is None:
            items = top(conn, period)
            cache.put(mark, period, items)
        else:
            mark, items = (kept[0], mark[1]), kept[1]
        if viewer is not None:
            return JSONResponse(
                {"period": period, "items": _for_viewer(conn, items, viewer, limit)}
            )
    body = _json({"period": period, "items": items[:limit]})
    cache.put_answer(mark, request.scope["query_string"], body)
    return Response(body, media_type="application/json")


class WallMiddleware:
    """Answers ``GET /comments/top`` from the wall cache without calling the app.

    Anonymous readers get the kept answer as it is. A signed-in reader whose
    token was checked lately (:mod:`.tokencache`) gets the cached wall without
    the authors they muted and with their likes, from one query of two indexed
    lookups (:class:`.liked.LikedQuery`); anything else takes the full path.
    """

    def __init__(
        self, app: ASGIApp, cache: WallCache, state: Any = None, liked: Any = None
    ) -> None:
        self.app = app
        self.cache = cache
        self.state = state
        self.liked = liked

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == PATH and scope["method"] == "GET":
            token = bearer(scope)
            if token is None and not any(n == b"authorization" for n, _ in scope["headers"]):
                body = self.cache.answer(scope["query_string"])
            elif token is not None:
                body = await self._signed_in(scope, token)
            else:
                body = None
            if body is not None:
                headers = [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ]
                await send({"type": "http.response.start", "status": 200, "headers": headers})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)

    async def _signed_in(self, scope: Scope, token: str) -> bytes | None:
        if self.state is None or self.liked is None:
            return None
        asked = _plain_query(scope["query_string"])
        if asked is None:
            return None
        period, limit = asked
        kept = self.cache.wall(period)
        if kept is None:
            return None
        user = await memo_user(self.state, token)
        if user is None:
            return None
        items = kept[1]
        ids = tuple(i["id"] for i in items)
        authors = tuple({i["author"]["id"] for i in items})
        try:
            liked, muted = await self.liked.fetch(user.id, ids, authors) if ids else ((), ())
        except Exception:
            return None  # the full path reports the database's trouble properly
        mine = [i for i in items if i["author"]["id"] not in muted][:limit]
        mine = [{**i, "liked_by_me": i["id"] in liked} for i in mine]
        return _json({"period": period, "items": mine})


def _plain_query(query: bytes) -> tuple[str, int] | None:
    """``period`` and ``limit`` of a query string that holds nothing else and nothing odd."""
    period, limit = "week", 10
    for part in query.split(b"&") if query else ():
        name, _, value = part.partition(b"=")
        if name == b"period" and value.decode("latin-1") in PERIODS:
            period = value.decode()
        elif (
            name == b"limit" and value.isdigit() and len(value) <= 2 and 1 <= int(value) <= WALL_MAX
        ):
            limit = int(value)
        else:
            return None
    return period, limit
