"""Posts that arrive together share a transaction, and each one still stands or fails alone."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from typing import Any

import httpx
from sqlalchemy import func, select

from player.social.server.schema import comments, notifications

from .conftest import Api


def test_a_burst_of_posts_shares_transactions_and_one_bad_post_fails_alone(
    server_factory: Callable[..., Api],
) -> None:
    api = server_factory()
    me, fan = api.user(), api.user()
    song = api.song(me)
    reused = str(uuid.uuid4())

    def request(i: int) -> dict[str, Any]:
        body = f"post {i} for @{fan['username']}" if i % 4 == 0 else f"post {i}"
        target, key = song, str(uuid.uuid4())
        if i % 10 == 3:
            target = 999_999_999  # no such song: 404 for this post alone
        if i in (5, 6):
            key, body = reused, f"same key {i}"  # the second is a conflict (409)
        return {
            "url": f"/api/v1/songs/{target}/comments",
            "json": {"body": body},
            "headers": {**me["headers"], "Idempotency-Key": key},
        }

    wanted = [request(i) for i in range(60)]

    async def burst() -> list[int]:
        transport = httpx.ASGITransport(app=api.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            answers = await asyncio.gather(*(client.post(**w) for w in wanted))
        return [a.status_code for a in answers]

    statuses = api.portal.call(burst)
    group = api.state.group
    assert group.batches < group.items  # some posts shared a transaction
    missing = [i for i in range(60) if i % 10 == 3]
    assert all(statuses[i] == 404 for i in missing)
    assert sorted(statuses[i] for i in (5, 6)) == [201, 409]
    created = [i for i, s in enumerate(statuses) if s == 201]
    assert len(created) == 60 - len(missing) - 1
    with api.state.db.read() as conn:
        stored = conn.execute(
            select(func.count()).select_from(comments).where(comments.c.song_id == song)
        ).scalar_one()
        mentions = conn.execute(
            select(func.count())
            .select_from(notifications)
            .where(notifications.c.user_id == fan["id"], notifications.c.kind == "mention")
        ).scalar_one()
    assert stored == len(created)
    assert mentions == sum(1 for i in created if i % 4 == 0)
    # a resend of an answered post returns it without a second copy
    again = api.post(**wanted[0])
    assert again.status_code == 200
    with api.state.db.read() as conn:
        assert (
            conn.execute(
                select(func.count()).select_from(comments).where(comments.c.song_id == song)
            ).scalar_one()
            == stored
        )
