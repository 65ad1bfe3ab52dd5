"""The two-instance benchmark behind HAProxy runs, both instances serve, and it cleans up.

Tiny sizes, no timing asserted. Needs haproxy, wrk and PostgreSQL
(``KINDRED_TEST_POSTGRES_URL``, or a throw-away cluster of the session's own).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.processes import default_sigint
from tests.social.server import dbs

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench" / "server_scale.py"
HAPROXY = shutil.which("haproxy") or shutil.which("haproxy", path="/usr/sbin:/sbin")

pytestmark = [
    pytest.mark.skipif(HAPROXY is None, reason="haproxy is not installed (CI installs it)"),
    pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed (CI installs it)"),
]

TINY = [
    "--comments",
    "50",
    "--runs",
    "1",
    "--duration",
    "1",
    "--connections",
    "4",
    "--threads",
    "1",
]


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    """A fresh PostgreSQL database (skips when PostgreSQL is missing)."""
    with dbs.postgres_server() as admin, dbs.postgres_database(admin) as url:
        yield url


def test_server_scale_benchmark_reports_every_setup_and_both_instances_serve(
    database: str,
) -> None:
    out = subprocess.run(
        [sys.executable, str(BENCH), "--database-url", database, *TINY],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr[-3000:]
    lines = out.stdout.strip().splitlines()
    assert len(lines) == 1, out.stdout
    result = json.loads(lines[0])
    assert result["database"] == "postgresql" and result["comments"] == 50
    for setup in ("direct", "proxy1", "proxy2"):
        for case in ("new", "hot", "new_signed_in", "post"):
            for key in (f"{setup}_{case}_rps", f"{setup}_{case}_p99_ms", f"{setup}_{case}_cpu_us"):
                assert result[key] > 0, key
    for case in ("new", "hot", "new_signed_in", "post"):
        for key in (f"{case}_proxy_cost", f"{case}_scale", f"{case}_scale_vs_direct"):
            assert result[key] > 0, key
    assert result["errors"] == 0
    # HAProxy's stats socket: the two-instance backend sent requests to both
    # (roundrobin: about half each), not all of them to one
    served = result["instance_requests"]
    assert set(served) == {"a", "b"}
    total = served["a"] + served["b"]
    assert total > 100
    assert min(served.values()) >= total / 3, served
    assert result["instances_marked_down"] == 0  # the health checks saw both up throughout


def _children(pid: int) -> dict[int, str]:
    """The live child processes of ``pid``: their ids and command lines."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if int(stat.rpartition(")")[2].split()[1]) == pid:
            found[int(entry.name)] = cmdline
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


@pytest.mark.skipif(sys.platform != "linux", reason="reads the process table from /proc")
def test_ctrl_c_stops_the_servers_and_haproxy(database: str) -> None:
    started: dict[int, str] = {}
    bench = subprocess.Popen(
        [sys.executable, str(BENCH), "--database-url", database, *TINY, "--runs", "5"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=default_sigint,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        children: dict[int, str] = {}
        while time.monotonic() < deadline and bench.poll() is None:
            children = _children(bench.pid)
            if any("wrk" in c.split(" ", 1)[0] for c in children.values()):
                break  # the servers and HAProxy are up: measuring has begun
            time.sleep(0.1)
        assert bench.poll() is None, bench.stderr.read() if bench.stderr else ""
        started = {p: c for p, c in children.items() if "wrk" not in c.split(" ", 1)[0]}
        assert sum("haproxy" in c for c in started.values()) == 1, started
        assert sum("kindred-server" in c for c in started.values()) == 2, started
        # only the bench gets the signal (as if its children ignored Ctrl-C): it must stop them
        bench.send_signal(signal.SIGINT)
        bench.wait(timeout=60)
        assert bench.returncode == 130
        assert bench.stdout is not None and bench.stdout.read() == b""
        left = [c for p, c in started.items() if _alive(p)]
        assert left == []
    finally:
        if bench.poll() is None:
            bench.kill()
            bench.wait()
        for pid in [p for p in started if _alive(p)]:
            os.kill(pid, signal.SIGTERM)
