"""Server time as integer microseconds (UTC) and its ISO 8601 form."""

from __future__ import annotations

import time
from datetime import UTC, datetime


def now_us() -> int:
    """Microseconds since the Unix epoch."""
    return time.time_ns() // 1000


def iso(us: int | None) -> str | None:
    """ISO 8601 with a ``Z`` (``2026-12-01T02:50:00.123456Z``), or None."""
    if us is None:
        return None
    moment = datetime.fromtimestamp(us / 1_000_000, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
