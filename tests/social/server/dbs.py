"""Throw-away test databases: a SQLite file, or a PostgreSQL database made and dropped here.

PostgreSQL comes from ``KINDRED_TEST_POSTGRES_URL`` when it is set. Otherwise,
when PostgreSQL's programs are installed (``initdb`` and ``pg_ctl`` on PATH or
in Debian's ``/usr/lib/postgresql/*/bin``), the session starts a throw-away
cluster of its own (:class:`PrivateCluster`) and stops it at the end, so the
tests never depend on a server someone started. They are skipped only when
PostgreSQL is not installed, or the server set cannot be reached; where
``KINDRED_TEST_POSTGRES_URL`` is set (``.ci/run`` and the Linux job of the GitHub
workflow set it) an unreachable server fails them instead.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import psycopg
import pytest
from psycopg import sql

URL_ENV = "KINDRED_TEST_POSTGRES_URL"
ROLE = "kindred"

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


def postgres_bindir() -> Path | None:
    """The folder of ``initdb`` and ``pg_ctl``: PATH first, then Debian's newest version."""
    found = [shutil.which(name) for name in ("initdb", "pg_ctl")]
    if all(found):
        return Path(str(found[0])).parent

    def version(folder: str) -> tuple[int, ...]:
        name = Path(folder).parent.name  # "15", "9.6"
        return tuple(int(n) for n in name.split(".") if n.isdigit())

    versions = glob.glob("/usr/lib/postgresql/*/bin")
    for folder in sorted(versions, key=version, reverse=True):
        if all((Path(folder) / name).exists() for name in ("initdb", "pg_ctl")):
            return Path(folder)
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PrivateCluster:
    """A PostgreSQL cluster in a temporary folder, for this test session only.

    Its socket lives in the folder too and it listens on 127.0.0.1 at a free
    port, so it neither needs nor disturbs a system server. PostgreSQL refuses
    to run as root: as root the cluster belongs to the ``postgres`` user (or
    ``nobody``) and every program runs through ``runuser``.
    """

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.folder = Path(tempfile.mkdtemp(prefix="kindred-test-pg-"))
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"
        self.port = 0
        self.user: str | None = None
        if os.geteuid() == 0:
            for name in ("postgres", "nobody"):
                try:
                    pwd.getpwnam(name)
                except KeyError:
                    continue
                self.user = name
                break
            if self.user is None:
                raise RuntimeError("running as root and no unprivileged user to run PostgreSQL")
            shutil.chown(self.folder, user=self.user)

    def _run(self, program: str, *args: str) -> subprocess.CompletedProcess[str]:
        command = [str(self.bindir / program), *args]
        if self.user is not None:
            command = ["runuser", "-u", self.user, "--", *command]
        return subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=self.folder)

    def start(self) -> str:
        """initdb and start; the admin URL of the ``kindred`` role (a superuser here)."""
        password = self.folder / "password"
        password.write_text(ROLE + "\n")
        if self.user is not None:
            shutil.chown(password, user=self.user)
        made = self._run(
            "initdb", "-D", str(self.data), "-U", ROLE, f"--pwfile={password}",
            "--auth-local=trust", "--auth-host=scram-sha-256",
            "-E", "UTF8", "--no-locale", "--no-sync",
        )  # fmt: skip
        if made.returncode != 0:
            raise RuntimeError(f"initdb failed: {made.stderr or made.stdout}")
        for _ in range(5):  # another process may take the free port first
            self.port = _free_port()
            options = (
                f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
                " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            )
            started = self._run(
                "pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options,
                "-w", "-t", "60", "start",
            )  # fmt: skip
            if started.returncode == 0:
                return f"postgresql://{ROLE}:{ROLE}@127.0.0.1:{self.port}/postgres"
        log = self.log.read_text(errors="replace") if self.log.exists() else ""
        raise RuntimeError(f"PostgreSQL did not start: {started.stderr}\n{log[-2000:]}")

    def stop(self) -> None:
        """Stop the server (fast: connections are closed) and remove the folder."""
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


@contextmanager
def postgres_server() -> Iterator[str]:
    """The admin URL for this session: ``KINDRED_TEST_POSTGRES_URL``, or a private cluster.

    Skips (fails under CI) when neither is available; a private cluster is
    stopped when the block ends.
    """
    url = os.environ.get(URL_ENV)
    if url:
        yield url
        return
    bindir = postgres_bindir()
    if bindir is None:
        _skip_or_fail(
            f"PostgreSQL is not installed (no initdb and pg_ctl on PATH or in "
            f"/usr/lib/postgresql/*/bin) and {URL_ENV} is not set"
        )
    cluster = PrivateCluster(bindir)
    try:
        yield cluster.start()
    finally:
        cluster.stop()


def _skip_or_fail(reason: str) -> NoReturn:
    if os.environ.get(URL_ENV):  # said to be there: it must be
        pytest.fail(reason)
    pytest.skip(reason)


def postgres_or_skip(url: str) -> str:
    """*url*, after checking the server answers (skip or fail otherwise)."""
    try:
        psycopg.connect(url, connect_timeout=3).close()
    except psycopg.Error as exc:
        _skip_or_fail(f"PostgreSQL at {url} is unreachable ({exc.__class__.__name__}: {exc})")
    return url


def _with_database(url: str, name: str) -> str:
    base, _, _ = url.rpartition("/")
    return f"{base}/{name}"


@contextmanager
def postgres_database(admin: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL database on the server at *admin* (dropped afterwards)."""
    postgres_or_skip(admin)
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
