"""Fixed-window rate limits whose counters live in the database.

Because the counters are rows (upserted atomically), every instance behind a
load balancer counts against the same limits. A refused request gets 429 with
``Retry-After`` (seconds until the window ends).
"""

from __future__ import annotations

import math
import random

from sqlalchemy import Connection, delete, func
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from .apierrors import ApiError
from .clock import now_us
from .config import ServerConfig
from .schema import rate_counters

#: one hit in this many also sweeps out expired counters
_SWEEP_ONE_IN = 500


def _upsert(conn: Connection, bucket: str, window_start: int, expires_us: int) -> int:
    insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    stmt = insert(rate_counters).values(
        bucket=bucket, window_start=window_start, count=1, expires_us=expires_us
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=[rate_counters.c.bucket, rate_counters.c.window_start],
        set_={"count": rate_counters.c.count + 1},
    ).returning(rate_counters.c.count)
    return int(conn.execute(stmt).scalar_one())


def hit(conn: Connection, config: ServerConfig, rule_name: str, who: str) -> None:
    """Count one event for ``who`` under ``rule_name``; ApiError 429 when over the limit."""
    rule = config.rule(rule_name)
    if rule is None:
        return
    now = now_us()
    window_us = rule.window_s * 1_000_000
    start = now - now % window_us
    end = start + window_us
    count = _upsert(conn, f"{rule_name}:{who}", start, end)
    if random.randrange(_SWEEP_ONE_IN) == 0:
        conn.execute(delete(rate_counters).where(rate_counters.c.expires_us < now))
    if count > rule.limit:
        retry = max(1, math.ceil((end - now) / 1_000_000))
        raise ApiError(
            429,
            "rate_limited",
            f"Too many requests; try again in {retry} s.",
            headers={"Retry-After": str(retry)},
        )


def over_limit(conn: Connection, config: ServerConfig, rule_name: str, who: str) -> int | None:
    """Seconds to wait when ``who`` has used up ``rule_name`` (without counting), else None."""
    rule = config.rule(rule_name)
    if rule is None:
        return None
    now = now_us()
    window_us = rule.window_s * 1_000_000
    start = now - now % window_us
    count = conn.execute(
        rate_counters.select()
        .with_only_columns(func.coalesce(func.max(rate_counters.c.count), 0))
        .where(rate_counters.c.bucket == f"{rule_name}:{who}")
        .where(rate_counters.c.window_start == start)
    ).scalar_one()
    if count >= rule.limit:
        return max(1, math.ceil((start + window_us - now) / 1_000_000))
    return None
