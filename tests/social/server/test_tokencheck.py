"""Token checks on the fast signed-in paths: renewed before the memo runs out, one at a time.

The answers served at the ASGI layer (a song page, the unread count, the
comment wall) used to drop the memo's turn to re-check a token: the entry then
ran out under every request in flight at once, and each of them took the full
path and its own database check together (a stall every ``token_cache_s``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import delete, event

from player.social.server.auth import token_hash
from player.social.server.schema import tokens

from .conftest import Api


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _urls(api: Api, who: dict[str, Any]) -> dict[str, str]:
    song = api.song(who)
    api.comment(who, song, "hello")
    return {
        "song page": f"/api/v1/songs/{song}/comments",
        "unread count": "/api/v1/me/notifications/unread-count",
        "wall": "/api/v1/comments/top?period=week&limit=10",
    }


@pytest.mark.parametrize("path", ["song page", "unread count", "wall"])
def test_the_fast_paths_renew_a_token_before_its_memo_runs_out(
    server_factory: Callable[..., Api], path: str
) -> None:
    api = server_factory(read_cache_s=3600, token_cache_s=5.0)
    clock = Clock()
    api.state.tokens.clock, api.state.tokens.jitter = clock, 0.0
    me = api.user()
    url = _urls(api, me)[path]
    api.get(url)  # the anonymous page or wall is cached
    assert api.get(url, headers=me["headers"]).status_code == 200  # memoised at t = 100
    clock.now = 104.5  # the last second of the entry: this request re-checks the token
    assert api.get(url, headers=me["headers"]).status_code == 200
    # revoked on another instance: this one trusts its renewed memo for five seconds more
    with api.state.db.write() as conn:
        conn.execute(delete(tokens).where(tokens.c.token_hash == token_hash(me["token"])))
    clock.now = 106.0  # past the first entry's end: served from the renewed one
    assert api.get(url, headers=me["headers"]).status_code == 200
    clock.now = 110.0
    assert api.get(url, headers=me["headers"]).status_code == 401


@pytest.mark.parametrize("path", ["song page", "unread count", "wall"])
def test_a_burst_on_an_unchecked_token_costs_one_query(
    server_factory: Callable[..., Api], path: str
) -> None:
    api = server_factory(read_cache_s=3600)
    me = api.user()
    url = _urls(api, me)[path]
    api.get(url)
    api.state.tokens.forget(token_hash(me["token"]))  # as after a restart
    checks: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "token_hash" in statement:
            checks.append(statement)

    event.listen(api.state.db.engine, "before_cursor_execute", count)
    try:

        async def burst() -> list[int]:
            transport = httpx.ASGITransport(app=api.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                answers = await asyncio.gather(
                    *(client.get(url, headers=me["headers"]) for _ in range(64))
                )
            return [a.status_code for a in answers]

        statuses = api.portal.call(burst)  # on the app's own event loop
    finally:
        event.remove(api.state.db.engine, "before_cursor_execute", count)
    assert statuses == [200] * 64
    assert len(checks) == 1
