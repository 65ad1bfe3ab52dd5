"""Server settings: database URL, rate limits and security knobs.

One frozen dataclass built from command-line options or environment variables,
so every worker process of ``kindred-server --workers N`` (which re-imports the
app) sees the same settings as the parent.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

import platformdirs

ENV_DATABASE_URL = "KINDRED_SERVER_DATABASE_URL"
ENV_RATE_LIMITS = "KINDRED_RATE_LIMITS"
ENV_LOGIN_DELAY = "KINDRED_LOGIN_FAILURE_DELAY"
ENV_TOKEN_DAYS = "KINDRED_TOKEN_DAYS"
ENV_READ_CACHE = "KINDRED_READ_CACHE_S"
ENV_THREADS = "KINDRED_SERVER_THREADS"
ENV_TOKEN_CACHE = "KINDRED_TOKEN_CACHE_S"
ENV_WORKER_HEADER = "KINDRED_SERVER_WORKER_HEADER"


@dataclass(frozen=True)
class RateRule:
    """At most ``limit`` events in a burst, refilled at ``limit`` per ``window_s`` seconds."""

    limit: int
    window_s: int


#: defaults meant for the open internet (per user and per client address)
DEFAULT_RULES: dict[str, RateRule] = {
    "post_user": RateRule(10, 60),
    "post_addr": RateRule(30, 60),
    "like_user": RateRule(120, 60),
    "like_addr": RateRule(300, 60),
    "report_user": RateRule(20, 3600),
    "resolve_user": RateRule(600, 60),
    "login_account": RateRule(10, 900),
    "login_addr": RateRule(50, 900),
    "register_addr": RateRule(5, 3600),
}


def default_data_dir() -> Path:
    """``$KINDRED_HOME/data`` when set, else the platform's user data dir."""
    home = os.environ.get("KINDRED_HOME")
    if home:
        return Path(home).expanduser() / "data"
    return Path(platformdirs.user_data_dir("kindred", appauthor=False))


def default_database_url() -> str:
    """The embedded default: one SQLite file in the data dir."""
    return f"sqlite:///{default_data_dir() / 'server.sqlite3'}"


def parse_rate_limits(text: str | None) -> float | None:
    """``"off"`` -> None (no limits); a number -> scale factor on every limit."""
    if text is None or text.strip() == "":
        return 1.0
    value = text.strip().lower()
    if value in ("off", "none", "0", "false", "no"):
        return None
    scale = float(value)
    if scale <= 0:
        raise ValueError(f"rate limit scale must be positive or 'off', not {text!r}")
    return scale


@dataclass(frozen=True)
class ServerConfig:
    """Everything that changes how the server behaves."""

    database_url: str = field(default_factory=default_database_url)
    #: multiplies every rate limit; None switches rate limiting off
    rate_scale: float | None = 1.0
    rules: dict[str, RateRule] = field(default_factory=lambda: dict(DEFAULT_RULES))
    token_ttl_s: int = 30 * 86400
    #: pause after a failed login (slows down password guessing)
    login_failure_delay_s: float = 0.5
    edit_window_s: int = 15 * 60
    max_request_bytes: int = 16 * 1024
    hot_limit: int = 15
    #: how long an anonymous comment page may be served from memory (0: never)
    read_cache_s: float = 1.0
    #: how long a checked token is trusted without asking the database again
    #: (another instance refuses a revoked token at most this late; 0: never)
    token_cache_s: float = 5.0
    #: name the answering worker process in an X-Kindred-Worker header
    worker_header: bool = False
    #: threads that run request handlers (and hold database connections)
    threads: int = 8
    #: Argon2id cost; defaults are argon2-cffi's (RFC 9106 low-memory profile)
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65536

    def rule(self, name: str) -> RateRule | None:
        """The effective rule for ``name``, or None when limits are off."""
        if self.rate_scale is None:
            return None
        base = self.rules[name]
        return RateRule(max(1, round(base.limit * self.rate_scale)), base.window_s)

    def with_(self, **changes: object) -> ServerConfig:
        """A copy with some fields changed."""
        return replace(self, **changes)  # type: ignore[arg-type]

    @classmethod
    def from_env(cls) -> ServerConfig:
        """Settings from ``KINDRED_*`` environment variables (defaults otherwise)."""
        env = os.environ
        config = cls(rate_scale=parse_rate_limits(env.get(ENV_RATE_LIMITS)))
        if env.get(ENV_DATABASE_URL):
            config = config.with_(database_url=env[ENV_DATABASE_URL])
        if env.get(ENV_LOGIN_DELAY):
            config = config.with_(login_failure_delay_s=float(env[ENV_LOGIN_DELAY]))
        if env.get(ENV_READ_CACHE):
            config = config.with_(read_cache_s=float(env[ENV_READ_CACHE]))
        if env.get(ENV_TOKEN_CACHE):
            config = config.with_(token_cache_s=float(env[ENV_TOKEN_CACHE]))
        if env.get(ENV_WORKER_HEADER, "").strip().lower() in ("1", "true", "yes", "on"):
            config = config.with_(worker_header=True)
        if env.get(ENV_THREADS):
            config = config.with_(threads=int(env[ENV_THREADS]))
        if env.get(ENV_TOKEN_DAYS):
            config = config.with_(token_ttl_s=int(float(env[ENV_TOKEN_DAYS]) * 86400))
        return config
