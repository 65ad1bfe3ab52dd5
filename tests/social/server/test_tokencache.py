"""The token memo: entries end on time, and one request re-checks a token before it runs out."""

from __future__ import annotations

from player.social.server.tokencache import TokenCache


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_one_request_rechecks_before_expiry_and_the_others_keep_the_user() -> None:
    clock = Clock()
    cache: TokenCache[str] = TokenCache(5.0, clock=clock)
    cache.put("h", "alice", token_expires_in_s=3600)
    assert cache.get("h") == "alice"
    clock.now += 4.5  # inside the last second: one caller is sent to the database
    answers = [cache.get("h") for _ in range(64)]
    assert answers.count(None) == 1 and answers.count("alice") == 63
    cache.put("h", "alice", token_expires_in_s=3600)  # the re-check put it back
    clock.now += 3.0
    assert cache.get("h") == "alice"


def test_entries_never_outlive_their_ttl_or_the_token() -> None:
    clock = Clock()
    cache: TokenCache[str] = TokenCache(5.0, clock=clock)
    cache.put("h", "alice", token_expires_in_s=3600)
    cache.put("short", "bob", token_expires_in_s=2.0)
    clock.now += 5.01
    assert cache.get("h") is None
    assert cache.get("short") is None
    cache.put("h", "alice", token_expires_in_s=3600)
    cache.forget("h")
    assert cache.get("h") is None


def test_a_failed_recheck_leaves_the_entry_to_expire_on_time() -> None:
    clock = Clock()
    cache: TokenCache[str] = TokenCache(5.0, clock=clock)
    cache.put("h", "alice", token_expires_in_s=3600)
    clock.now += 4.2
    assert cache.get("h") is None  # this caller re-checks; say the token was revoked
    clock.now += 0.1
    assert cache.get("h") == "alice"  # still within the five seconds
    clock.now += 0.8
    assert cache.get("h") is None  # 5.1 s after it was checked: gone for everyone
    assert cache.get("h") is None
