"""The ASGI app: routers under ``/api/v1``, ``/healthz``, JSON errors, body limit.

:func:`create_app` builds an app from a :class:`ServerConfig`;
:func:`app_from_env` is the factory uvicorn workers import (settings come from
``KINDRED_*`` environment variables set by the ``kindred-server`` command).
"""

from __future__ import annotations

import gc
import secrets
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from typing import Any

import anyio.to_thread
from fastapi import FastAPI
from fastapi.responses import JSONResponse

from . import (
    accounts,
    apierrors,
    comments_api,
    inbox,
    moderation,
    mutes,
    myaccount,
    profiles,
    songs,
    suspensions,
    wall,
)
from .auth import ServerState, StateDep, make_hasher
from .bodylimit import BodyLimitMiddleware
from .config import ServerConfig
from .db import Database
from .groupcommit import GroupCommit
from .liked import LikedQuery
from .models import ErrorResponse, Health
from .readcache import ReadCache, ReadCacheMiddleware
from .signedin import SignedInReadMiddleware
from .tokencache import TokenCache
from .workerid import WorkerHeaderMiddleware

API_PREFIX = "/api/v1"

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse, "description": description}
    for status, description in (
        (400, "Malformed request (e.g. a bad cursor)"),
        (401, "Missing, invalid or expired token"),
        (403, "Not allowed for this user"),
        (404, "No such resource"),
        (409, "Conflict (name taken, idempotency key reused)"),
        (413, "Request body too large"),
        (422, "Invalid input"),
        (429, "Rate limited; see Retry-After"),
        (500, "Server error"),
    )
}


def create_app(config: ServerConfig | None = None, *, migrate: bool = False) -> FastAPI:
    """A ready-to-serve app; ``migrate`` upgrades the schema first."""
    config = config or ServerConfig.from_env()
    database = Database(config.database_url)
    if migrate:
        from .migrate import upgrade  # Alembic is only needed here, not in every worker

        upgrade(database)
    hasher = make_hasher(config)
    cache = ReadCache(config.read_cache_s)
    walls = wall.WallCache()

    def after_write(song_ids: Iterable[int]) -> None:
        cache.invalidate(song_ids)
        walls.clear()

    database.after_write = after_write
    liked = LikedQuery(database.url)  # signed-in readers' likes, for pages from the cache
    server = ServerState(
        config,
        database,
        hasher,
        hasher.hash(secrets.token_hex(16)),
        cache,
        TokenCache(config.token_cache_s),
        walls,
        GroupCommit(database),
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # few threads: the work is short and holds the GIL; many threads only contend
        limiter = anyio.to_thread.current_default_thread_limiter()
        limiter.total_tokens = config.threads
        yield
        await liked.aclose()
        database.close()

    app = FastAPI(
        title="Kindred comment server",
        version="1",
        description=(
            "Comments under every song: hot and newest, replies, likes, moderation,"
            " notifications and muting."
        ),
        lifespan=lifespan,
        responses={500: ERROR_RESPONSES[500]},
    )
    app.state.server = server
    apierrors.install(app)
    app.add_middleware(BodyLimitMiddleware, max_bytes=config.max_request_bytes)
    app.add_middleware(SignedInReadMiddleware, state=server, liked=liked)
    app.add_middleware(inbox.UnreadCountMiddleware, state=server, fast=liked)
    app.add_middleware(ReadCacheMiddleware, cache=cache)  # outermost: hits skip everything
    app.add_middleware(wall.WallMiddleware, cache=walls, state=server, liked=liked)
    if config.worker_header:
        app.add_middleware(WorkerHeaderMiddleware)
    for router in (
        accounts.router,
        myaccount.router,
        profiles.router,
        songs.router,
        wall.router,  # before /comments/{comment_id}/...
        comments_api.router,
        moderation.router,
        suspensions.router,
        inbox.router,
        mutes.router,
    ):
        app.include_router(router, prefix=API_PREFIX, responses=ERROR_RESPONSES)

    @app.get(
        "/healthz",
        response_model=Health,
        tags=["health"],
        responses={503: {"model": Health, "description": "Database unreachable"}},
    )
    def healthz(st: StateDep) -> JSONResponse:
        """Whether the server can reach its database."""
        ok = st.db.ping()
        return JSONResponse(
            {"status": "ok" if ok else "unavailable", "database": ok},
            status_code=200 if ok else 503,
        )

    return app


def app_from_env() -> FastAPI:
    """The app as configured by the environment (the uvicorn factory).

    What exists once the app is built lives as long as the serving process, so
    it is moved out of the garbage collector's sight: full collections then
    stop walking it over and over, which would pause every request at once.
    """
    app = create_app(ServerConfig.from_env())
    gc.collect()
    gc.freeze()
    return app
