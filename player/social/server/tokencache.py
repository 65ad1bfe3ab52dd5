"""A short in-memory memo from token hash to signed-in user.

Checking a bearer token costs a database round trip; a listener polling the
song it plays sends the same token every few seconds. Entries live a few
seconds (``ServerConfig.token_cache_s``) and never past the token's own
expiry. Signing out through this instance forgets the token at once; another
instance stops accepting a revoked token within ``token_cache_s``.
"""

from __future__ import annotations

import threading
import time
from typing import Generic, TypeVar

T = TypeVar("T")


class TokenCache(Generic[T]):
    """Users by token hash, each kept for at most ``ttl_s`` seconds."""

    def __init__(self, ttl_s: float, max_entries: int = 50_000) -> None:
        self.ttl_s = ttl_s
        self.max_entries = max_entries
        self._entries: dict[str, tuple[T, float]] = {}
        self._lock = threading.Lock()

    def get(self, hashed: str) -> T | None:
        """The user of a token seen lately, or None (unknown, stale or expired)."""
        found = self._entries.get(hashed)
        if found is None:
            return None
        user, deadline = found
        if time.monotonic() > deadline:
            self._entries.pop(hashed, None)
            return None
        return user

    def put(self, hashed: str, user: T, token_expires_in_s: float) -> None:
        """Remember a token that was just checked against the database."""
        keep = min(self.ttl_s, token_expires_in_s)
        if keep <= 0:
            return
        with self._lock:
            if len(self._entries) >= self.max_entries:
                self._entries.clear()
            self._entries[hashed] = (user, time.monotonic() + keep)

    def forget(self, hashed: str) -> None:
        """Drop a token (it was revoked here)."""
        with self._lock:
            self._entries.pop(hashed, None)
