"""A short in-memory memo from token hash to signed-in user.

Checking a bearer token costs a database round trip; a listener polling the
song it plays sends the same token every few seconds. Entries live a few
seconds (``ServerConfig.token_cache_s``) and never past the token's own
expiry. Signing out through this instance forgets the token at once; another
instance stops accepting a revoked token within ``token_cache_s``.

An entry is checked again shortly *before* it runs out, by one request alone
(the others keep the cached answer meanwhile): were it left to expire, every
request in flight for that token would miss at the same moment and take the
slow path together, a stall seen as a p99 spike under load. The caller sent
back must do that check (:func:`.auth.memo_user` and :func:`.auth.check_token`
do, one check per token however many requests wait). Each entry's life is cut
short by up to ``jitter`` of ``ttl_s`` at random, so tokens first seen together
(a restart, a burst of sign-ins) do not all come up for their re-check at once.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class TokenCache(Generic[T]):
    """Users by token hash, each kept for at most ``ttl_s`` seconds."""

    def __init__(
        self,
        ttl_s: float,
        max_entries: int = 50_000,
        clock: Callable[[], float] = time.monotonic,
        jitter: float = 0.1,
    ) -> None:
        self.ttl_s = ttl_s
        self.jitter = jitter
        self.clock = clock
        self.max_entries = max_entries
        #: the last part of an entry's life in which one request re-checks it
        self.refresh_s = min(1.0, ttl_s / 5)
        self._entries: dict[str, tuple[T, float]] = {}
        self._refreshing: dict[str, float] = {}
        self._lock = threading.Lock()

    def get(self, hashed: str) -> T | None:
        """The user of a token seen lately, or None (unknown, expired, or this caller re-checks)."""
        found = self._entries.get(hashed)
        if found is None:
            return None
        user, deadline = found
        now = self.clock()
        if now > deadline:
            with self._lock:
                self._entries.pop(hashed, None)
                self._refreshing.pop(hashed, None)
            return None
        if now > deadline - self.refresh_s:
            with self._lock:
                began = self._refreshing.get(hashed)
                if began is None or now - began > self.refresh_s:
                    self._refreshing[hashed] = now
                    return None  # this request takes the full check and puts the answer back
        return user

    def put(self, hashed: str, user: T, token_expires_in_s: float) -> None:
        """Remember a token that was just checked against the database."""
        keep = min(self.ttl_s * (1 - self.jitter * random.random()), token_expires_in_s)
        if keep <= 0:
            return
        with self._lock:
            if len(self._entries) >= self.max_entries:
                self._entries.clear()
                self._refreshing.clear()
            self._entries[hashed] = (user, self.clock() + keep)
            self._refreshing.pop(hashed, None)

    def forget(self, hashed: str) -> None:
        """Drop a token (it was revoked here)."""
        with self._lock:
            self._entries.pop(hashed, None)
            self._refreshing.pop(hashed, None)
