"""Rate limits as token buckets (GCRA) whose state lives in the database.

A rule "``limit`` events per ``window_s``" is a bucket of ``limit`` tokens
refilled at ``limit / window_s`` per second. Unlike fixed windows there is no
boundary to straddle: a burst takes at most ``limit`` events, whenever it
comes, and afterwards events trickle in at the refill rate.

Each bucket is one row holding its *theoretical arrival time* (TAT): the
moment the bucket would be full again. An event is allowed when pushing the
TAT one interval (``window / limit``) further keeps it within ``limit``
intervals of now. The check-and-update is a single atomic upsert, so every
instance behind a load balancer counts against the same buckets. A refused
request gets 429 with ``Retry-After`` (seconds until one token is back).
"""

from __future__ import annotations

import math
import random

from sqlalchemy import BigInteger, Connection, bindparam, delete, func, literal, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from .apierrors import ApiError
from .clock import now_us
from .config import RateRule, ServerConfig
from .schema import rate_buckets

#: one hit in this many also sweeps out buckets that are full again
_SWEEP_ONE_IN = 500


def _interval_us(rule: RateRule) -> int:
    """Microseconds one token takes to come back (rounded up: never more than the limit)."""
    return -(-rule.window_s * 1_000_000 // rule.limit)


def _take(conn: Connection, bucket: str, now: int, interval: int, burst: int) -> bool:
    """Take one token from ``bucket`` atomically; False (nothing changed) when it is empty."""
    postgres = conn.dialect.name == "postgresql"
    insert = pg_insert if postgres else sqlite_insert
    greatest = func.greatest if postgres else func.max  # SQLite's two-argument max() is scalar
    at = bindparam("now", now, type_=BigInteger)
    step = literal(interval, BigInteger)
    start = greatest(rate_buckets.c.tat_us, at)
    stmt = insert(rate_buckets).values(bucket=bucket, tat_us=now + interval)
    stmt = stmt.on_conflict_do_update(
        index_elements=[rate_buckets.c.bucket],
        set_={"tat_us": start + step},
        where=start + step - at <= literal(burst, BigInteger),
    ).returning(rate_buckets.c.tat_us)
    return conn.execute(stmt).first() is not None


def _tat(conn: Connection, bucket: str) -> int | None:
    return conn.execute(
        select(rate_buckets.c.tat_us).where(rate_buckets.c.bucket == bucket)
    ).scalar()


def _wait_s(tat: int, now: int, interval: int, burst: int) -> int:
    """Whole seconds until the bucket has a token again (at least 1)."""
    return max(1, math.ceil((tat + interval - burst - now) / 1_000_000))


def hit(
    conn: Connection, config: ServerConfig, rule_name: str, who: str, *, now: int | None = None
) -> None:
    """Count one event for ``who`` under ``rule_name``; ApiError 429 when over the limit.

    ``now`` (µs) defaults to the current time; a refused event is not counted.
    """
    rule = config.rule(rule_name)
    if rule is None:
        return
    now = now_us() if now is None else now
    interval = _interval_us(rule)
    burst = interval * rule.limit
    bucket = f"{rule_name}:{who}"
    if random.randrange(_SWEEP_ONE_IN) == 0:
        conn.execute(delete(rate_buckets).where(rate_buckets.c.tat_us < now))
    if not _take(conn, bucket, now, interval, burst):
        tat = _tat(conn, bucket) or now
        wait = _wait_s(tat, now, interval, burst)
        raise ApiError(
            429,
            "rate_limited",
            f"Too many requests; try again in {wait} s.",
            headers={"Retry-After": str(wait)},
        )


def over_limit(
    conn: Connection, config: ServerConfig, rule_name: str, who: str, *, now: int | None = None
) -> int | None:
    """Seconds to wait when ``who`` has used up ``rule_name`` (without counting), else None."""
    rule = config.rule(rule_name)
    if rule is None:
        return None
    now = now_us() if now is None else now
    interval = _interval_us(rule)
    burst = interval * rule.limit
    tat = _tat(conn, f"{rule_name}:{who}")
    if tat is None or max(tat, now) + interval - now <= burst:
        return None
    return _wait_s(tat, now, interval, burst)
