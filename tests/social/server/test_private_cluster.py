"""Without ``KINDRED_TEST_POSTGRES_URL`` the session's PostgreSQL is a cluster of its own."""

from __future__ import annotations

import socket
from pathlib import Path

import psycopg
import pytest

from . import dbs


@pytest.mark.skipif(dbs.postgres_bindir() is None, reason="PostgreSQL is not installed")
def test_a_private_cluster_starts_on_a_free_port_and_is_gone_afterwards(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(dbs.URL_ENV, raising=False)
    with dbs.postgres_server() as url:
        with psycopg.connect(url, connect_timeout=5) as conn:
            folder = Path(str(conn.execute("SHOW data_directory").fetchone()[0])).parent
            port = int(conn.execute("SHOW port").fetchone()[0])
            socket_dir = conn.execute("SHOW unix_socket_directories").fetchone()[0]
            superuser = conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = 'kindred'")
            assert superuser.fetchone() == (True,)
        assert folder.name.startswith("kindred-test-pg-") and socket_dir == str(folder)
        assert url == f"postgresql://kindred:kindred@127.0.0.1:{port}/postgres"
        with dbs.postgres_database(url) as database:  # what the server tests get
            psycopg.connect(database).close()
    assert not folder.exists()
    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", port)) != 0  # stopped


def test_the_variable_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(dbs.URL_ENV, "postgresql://someone:secret@db.example:6543/postgres")
    with dbs.postgres_server() as url:
        assert url == "postgresql://someone:secret@db.example:6543/postgres"
