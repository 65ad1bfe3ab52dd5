"""Rate limits: 429 with Retry-After, counters in the database (shared by instances), the switch."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from player.social.server import accounts
from player.social.server.config import DEFAULT_RULES, RateRule, ServerConfig, parse_rate_limits

from .conftest import Api


def limits(**tight: int) -> dict[str, object]:
    """Settings with every limit generous except ``tight`` (name -> events per minute)."""
    rules = {name: RateRule(10_000, 60) for name in DEFAULT_RULES}
    rules.update({name: RateRule(limit, 60) for name, limit in tight.items()})
    return {"rate_scale": 1.0, "rules": rules}


def test_posting_is_limited_per_user_with_retry_after(server_factory: Callable[..., Api]) -> None:
    api = server_factory(**limits(post_user=2))
    me = api.user()
    song = api.song(me)
    assert [api.post_comment(me, song, f"c{i}").status_code for i in range(3)] == [201, 201, 429]
    refused = api.post_comment(me, song, "again")
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    # someone else is not affected, and a retry of a delivered post is not counted
    other = api.user()
    assert api.post_comment(other, song, "hi").status_code == 201
    assert api.get(f"/api/v1/songs/counts?ids={song}").json()["counts"][str(song)] == 3


def test_idempotent_retries_pass_the_limit(server_factory: Callable[..., Api]) -> None:
    api = server_factory(**limits(post_user=2))
    me = api.user()
    song = api.song(me)
    key = "0b8f1c38-2f3b-4f55-a3b5-6d8ad0a3c001"
    sent = [api.post_comment(me, song, "same", key=key).status_code for _ in range(5)]
    assert sent == [201, 200, 200, 200, 200]


def test_counters_are_shared_between_instances(server_factory: Callable[..., Api]) -> None:
    one, two = server_factory(**limits(post_user=2)), server_factory(**limits(post_user=2))
    me = one.user()
    song = one.song(me)
    assert one.post_comment(me, song, "a").status_code == 201
    assert two.post_comment(me, song, "b").status_code == 201
    assert one.post_comment(me, song, "c").status_code == 429
    assert two.post_comment(me, song, "d").status_code == 429


def test_likes_and_sign_ups_are_limited(server_factory: Callable[..., Api]) -> None:
    api = server_factory(**limits(like_user=1, register_addr=1))
    me = api.user()
    assert (
        api.post("/api/v1/users", json={"username": "second", "password": "password"}).status_code
        == 429
    )
    song = api.song(me)
    c = api.post_comment(me, song, "x").json()
    assert api.put(f"/api/v1/comments/{c['id']}/like", headers=me["headers"]).status_code == 200
    refused = api.put(f"/api/v1/comments/{c['id']}/like", headers=me["headers"])
    assert refused.status_code == 429 and "retry-after" in refused.headers


def test_failed_sign_ins_are_slowed_and_limited(
    server_factory: Callable[..., Api], monkeypatch: pytest.MonkeyPatch
) -> None:
    api = server_factory(**limits(login_account=3), login_failure_delay_s=0.2)
    api.user("victim", "right password")
    pauses: list[float] = []

    async def pause(seconds: float) -> None:  # record the pause, skip the wait
        pauses.append(seconds)

    monkeypatch.setattr(accounts.anyio, "sleep", pause)
    wrong = {"username": "victim", "password": "wrong password"}
    assert [api.post("/api/v1/tokens", json=wrong).status_code for _ in range(3)] == [401] * 3
    assert pauses == [0.2, 0.2, 0.2]  # each failure paused
    refused = api.post("/api/v1/tokens", json=wrong)
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
    # even the right password waits until the window ends
    assert (
        api.post(
            "/api/v1/tokens", json={"username": "victim", "password": "right password"}
        ).status_code
        == 429
    )


def test_limits_off_and_scale() -> None:
    assert parse_rate_limits("off") is None
    assert parse_rate_limits(None) == 1.0
    assert parse_rate_limits("100") == 100.0
    with pytest.raises(ValueError):
        parse_rate_limits("-1")
    assert ServerConfig(rate_scale=None).rule("post_user") is None
    assert (
        ServerConfig(rate_scale=10).rule("post_user").limit == DEFAULT_RULES["post_user"].limit * 10
    )


def test_limits_read_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KINDRED_RATE_LIMITS", "off")
    assert ServerConfig.from_env().rate_scale is None
    monkeypatch.setenv("KINDRED_RATE_LIMITS", "2.5")
    assert ServerConfig.from_env().rate_scale == 2.5


def test_no_limits_when_off(api: Api) -> None:
    me = api.user()
    song = api.song(me)
    assert all(api.post_comment(me, song, f"c{i}").status_code == 201 for i in range(40))


def test_failures_are_limited_per_address_too(server_factory: Callable[..., Api]) -> None:
    api = server_factory(**limits(login_addr=2))
    guesses = [{"username": f"user{i}", "password": "guess guess"} for i in range(3)]
    statuses = [api.post("/api/v1/tokens", json=g).status_code for g in guesses]
    assert statuses == [401, 401, 429]


def test_creating_songs_is_limited(server_factory: Callable[..., Api]) -> None:
    api = server_factory(**limits(resolve_user=2))
    me = api.user()
    statuses = [
        api.post(
            "/api/v1/songs/resolve", json={"artist": "A", "title": f"T{i}"}, headers=me["headers"]
        ).status_code
        for i in range(3)
    ]
    assert statuses == [200, 200, 429]
    # anonymous look-ups create nothing and are not counted
    assert (
        api.post("/api/v1/songs/resolve", json={"artist": "A", "title": "T0"}).json()["song_id"]
        is not None
    )


def test_a_burst_straddling_a_window_boundary_is_capped(
    server_factory: Callable[..., Api],
) -> None:
    from player.social.server import ratelimit
    from player.social.server.apierrors import ApiError

    api = server_factory(**limits(post_user=5))
    state = api.state
    boundary = 1_800_000_000 * 1_000_000  # a whole minute: where a fixed window would reset

    def allowed(at_us: int) -> bool:
        try:
            with state.db.write() as conn:
                ratelimit.hit(conn, state.config, "post_user", "burst", now=at_us)
        except ApiError as exc:
            assert exc.status_code == 429 and int(exc.headers["Retry-After"]) >= 1
            return False
        return True

    # ten events within 0.2 s around the boundary: only the limit gets through
    times = [boundary - 100_000 + i * 20_000 for i in range(10)]
    assert sum(allowed(t) for t in times) == 5
    # tokens come back at the refill rate (5 a minute: one every 12 s), never as a new burst
    assert allowed(boundary + 5_000_000) is False
    assert allowed(boundary + 12_500_000) is True
    assert allowed(boundary + 13_000_000) is False
    with state.db.read() as conn:
        assert ratelimit.over_limit(conn, state.config, "post_user", "burst", now=boundary) == 24
        late = boundary + 3_600_000_000
        assert ratelimit.over_limit(conn, state.config, "post_user", "burst", now=late) is None
