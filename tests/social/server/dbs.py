"""Throw-away test databases: a SQLite file, or a PostgreSQL database made and dropped here.

PostgreSQL comes from ``KINDRED_TEST_POSTGRES_URL`` (default: the local
``kindred`` role). When it cannot be reached the PostgreSQL tests are skipped
with the reason, except where that variable is set (``.ci/run`` and the Linux
job of the GitHub workflow set it): there they fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

DEFAULT_ADMIN_URL = "postgresql://kindred:kindred@127.0.0.1:5432/postgres"

TABLES = (
    "notifications",
    "notification_likers",
    "notification_reads",
    "mutes",
    "moderation_log",
    "reports",
    "likes",
    "comments",
    "song_aliases",
    "songs",
    "tokens",
    "users",
    "rate_buckets",
)


def admin_url() -> str:
    """The URL of a PostgreSQL database the test role may connect to and create from."""
    return os.environ.get("KINDRED_TEST_POSTGRES_URL") or DEFAULT_ADMIN_URL


def postgres_or_skip() -> str:
    """The admin URL, after checking the server answers (skip or fail otherwise)."""
    url = admin_url()
    try:
        psycopg.connect(url, connect_timeout=3).close()
    except psycopg.Error as exc:
        reason = f"PostgreSQL at {url} is unreachable ({exc.__class__.__name__}: {exc})"
        if os.environ.get("KINDRED_TEST_POSTGRES_URL"):  # said to be there: it must be
            pytest.fail(reason)
        pytest.skip(reason)
    return url


def _with_database(url: str, name: str) -> str:
    base, _, _ = url.rpartition("/")
    return f"{base}/{name}"


@contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh, empty PostgreSQL database (dropped afterwards); yields its URL."""
    admin = postgres_or_skip()
    name = f"kindred_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield _with_database(admin, name)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def sqlite_url(folder: Path) -> str:
    """A SQLite database URL for a new file in ``folder``."""
    return f"sqlite:///{folder / f'server-{uuid.uuid4().hex[:8]}.sqlite3'}"


def wipe(url: str) -> None:
    """Empty every table (the schema stays), so each test starts from nothing."""
    from player.social.server.db import Database

    db = Database(url)
    try:
        with db.write() as conn:
            if db.dialect == "postgresql":
                conn.exec_driver_sql(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")
            else:
                for table in TABLES:
                    conn.exec_driver_sql(f"DELETE FROM {table}")
    finally:
        db.close()
