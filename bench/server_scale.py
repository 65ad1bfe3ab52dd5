"""Benchmark: one and two PostgreSQL-backed comment servers behind HAProxy.

Seeds a PostgreSQL database (``--database-url``, default the environment's
``KINDRED_TEST_POSTGRES_URL``; migrations run once, while seeding) as
``bench/server_load.py`` does, starts two ``kindred-server`` instances on it
(instance A and instance B, one worker each, on their own ports) and one
HAProxy (http mode, health checks on ``/healthz``, ``--balance`` roundrobin or
leastconn, no logging) with two frontends on their own ports: ``one`` in front
of instance A alone, ``two`` in front of A and B. wrk (``--connections``, 64 by
default as in server_load.py) runs every case against three setups:

* ``direct``: instance A on its own port (no proxy);
* ``proxy1``: instance A through HAProxy, so the proxy's own cost shows
  (``{case}_proxy_cost`` = proxy1 / direct);
* ``proxy2``: instances A and B through HAProxy
  (``{case}_scale`` = proxy2 / proxy1, ``{case}_scale_vs_direct`` = proxy2 / direct).

Cases: ``new`` and ``hot`` (the anonymous comment pages), ``new_signed_in``
(the same page with a bearer token) and ``post`` (``POST`` comments, fresh
Idempotency-Keys). Each run measures every case on every setup in turn (so
slow drift of the shared machine's load hits all three alike); figures are
medians of ``--runs`` runs: requests/s and p99 in ms per setup and case
(``{setup}_{case}_rps``, ``{setup}_{case}_p99_ms``), and the CPU time per
request the two servers and HAProxy used together (``{setup}_{case}_cpu_us``,
from ``/proc``; PostgreSQL's own not counted) and HAProxy's part of it
(``{setup}_{case}_proxy_cpu_us``): on a shared machine, CPU per request says
what an instance costs more steadily than requests/s; ``{setup}_{case}_errors``:
wrk's non-2xx/3xx responses and socket errors, summed over the runs.
``instance_requests``: the requests HAProxy's ``two`` backend passed to each
instance (from its stats socket), so it shows that both served;
``instances_marked_down``: how often a health check took one out;
``load_average_1m``: the machine's load average when measuring began and
ended. The processes are stopped on
exit, on an error and on Ctrl-C or SIGTERM. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from server_load import (  # noqa: E402
    POST_LUA,
    SERVER,
    free_port,
    launch,
    median,
    seed,
    wait_ready,
    wrk,
)

SETUPS = ("direct", "proxy1", "proxy2")
CASES = ("new", "hot", "new_signed_in", "post")
HAPROXY = shutil.which("haproxy") or shutil.which("haproxy", path="/usr/sbin:/sbin")


def haproxy_config(
    ports: dict[str, int], instances: list[int], balance: str, threads: int, sock: Path
) -> str:
    """HAProxy's configuration: frontends ``one`` (instance A) and ``two`` (A and B)."""
    servers = [
        f"    server {name} 127.0.0.1:{port} check inter 2s fall 3 rise 2"
        for name, port in zip(("a", "b"), instances, strict=True)
    ]
    return "\n".join(
        [
            "global",
            f"    nbthread {threads}",
            "    maxconn 4096",
            f"    stats socket {sock} mode 600 level admin",
            "defaults",
            "    mode http",
            "    option http-keep-alive",
            "    timeout connect 5s",
            "    timeout client 60s",
            "    timeout server 60s",
            "    timeout http-keep-alive 60s",
            "    timeout check 10s",  # a loaded machine is slow, not down
            "    option httpchk GET /healthz",
            "    http-check expect status 200",
            f"    balance {balance}",
            "frontend one",
            f"    bind 127.0.0.1:{ports['one']}",
            "    default_backend one",
            "frontend two",
            f"    bind 127.0.0.1:{ports['two']}",
            "    default_backend two",
            "backend one",
            servers[0],
            "backend two",
            *servers,
            "",
        ]
    )


def haproxy_stats(sock: Path) -> list[dict[str, str]]:
    """``show stat`` from HAProxy's stats socket, one dict per proxy and server."""
    with socket.socket(socket.AF_UNIX) as conn:
        conn.settimeout(5)
        conn.connect(str(sock))
        conn.sendall(b"show stat\n")
        chunks = []
        while chunk := conn.recv(65536):
            chunks.append(chunk)
    text = b"".join(chunks).decode().lstrip("# ")
    return list(csv.DictReader(io.StringIO(text)))


def served(sock: Path, backend: str) -> dict[str, int]:
    """Responses each server of ``backend`` gave (every status class)."""
    codes = ("hrsp_1xx", "hrsp_2xx", "hrsp_3xx", "hrsp_4xx", "hrsp_5xx", "hrsp_other")
    return {
        row["svname"]: sum(int(row[c] or 0) for c in codes)
        for row in haproxy_stats(sock)
        if row["pxname"] == backend and row["svname"] not in ("FRONTEND", "BACKEND")
    }


def wait_up(proc: subprocess.Popen[bytes], sock: Path) -> None:
    """Wait until HAProxy's health checks see every server up."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            err = proc.stderr.read().decode() if proc.stderr else ""
            raise RuntimeError(f"haproxy exited: {err}")
        try:
            rows = [r for r in haproxy_stats(sock) if r["svname"] in ("a", "b")]
            if len(rows) == 3 and all(r["status"] == "UP" for r in rows):
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError("haproxy's health checks did not see both instances up")


def cpu_seconds(pids: list[int]) -> list[float]:
    """CPU time (user + system) each process has used so far, from ``/proc`` (Linux)."""
    tick = os.sysconf("SC_CLK_TCK")
    times = []
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        times.append((int(fields[11]) + int(fields[12])) / tick)  # utime, stime
    return times


def stop(procs: list[subprocess.Popen[bytes]]) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _sigterm(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt  # unwinds through the finally that stops the processes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("KINDRED_TEST_POSTGRES_URL"),
        help="postgresql://... (default: $KINDRED_TEST_POSTGRES_URL)",
    )
    parser.add_argument("--comments", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--balance", choices=("roundrobin", "leastconn"), default="roundrobin")
    parser.add_argument("--proxy-threads", type=int, default=1, help="HAProxy's nbthread")
    args = parser.parse_args()
    if not args.database_url or not args.database_url.startswith("postgres"):
        parser.error("a PostgreSQL --database-url (or KINDRED_TEST_POSTGRES_URL) is needed")
    if HAPROXY is None:
        parser.error("haproxy is not installed (Debian: apt-get install haproxy)")
    signal.signal(signal.SIGTERM, _sigterm)

    procs: list[subprocess.Popen[bytes]] = []
    with tempfile.TemporaryDirectory(prefix="kindred-bench-") as tmp:
        url = args.database_url
        read_song, post_song, token, _reader = seed(url, args.comments)  # migrates, once
        env = {**os.environ, "KINDRED_HOME": tmp, "KINDRED_RATE_LIMITS": "off"}
        try:
            instances = [free_port(), free_port()]
            for port in instances:
                procs.append(launch([SERVER, "--database-url", url, "--port", str(port)], env))
            for proc, port in zip(procs, instances, strict=True):
                wait_ready(proc, f"http://127.0.0.1:{port}/healthz")
            fronts = {"one": free_port(), "two": free_port()}
            sock = Path(tmp) / "haproxy.sock"
            config = Path(tmp) / "haproxy.cfg"
            config.write_text(
                haproxy_config(fronts, instances, args.balance, args.proxy_threads, sock)
            )
            check = subprocess.run(
                [HAPROXY, "-c", "-q", "-f", str(config)], capture_output=True, text=True
            )
            if check.returncode != 0:
                raise RuntimeError(f"haproxy rejected its configuration: {check.stderr}")
            procs.append(launch([HAPROXY, "-db", "-f", str(config)], env))
            wait_up(procs[-1], sock)
            ports = {"direct": instances[0], "proxy1": fronts["one"], "proxy2": fronts["two"]}
            lua = Path(tmp) / "post.lua"
            lua.write_text(POST_LUA)
            signed_in = ("-H", f"Authorization: Bearer {token}")
            runs: dict[str, list[dict[str, float]]] = {
                f"{s}_{c}": [] for s in SETUPS for c in CASES
            }
            before = served(sock, "two")
            load_start = os.getloadavg()[0]
            pids = [proc.pid for proc in procs]  # instance A, instance B, HAProxy
            for run in range(args.runs):
                for setup in SETUPS:
                    base = f"http://127.0.0.1:{ports[setup]}/api/v1"
                    page = f"{base}/songs/{read_song}/comments"
                    post = (
                        *signed_in,
                        *("-H", "Content-Type: application/json", "-s", str(lua)),
                    )
                    cases = {
                        "new": (f"{page}?sort=new&limit=20", ()),
                        "hot": (f"{page}?sort=hot", ()),
                        "new_signed_in": (f"{page}?sort=new&limit=20", signed_in),
                        "post": (f"{base}/songs/{post_song}/comments", post),
                    }
                    for case, (target, extra) in cases.items():
                        nonce = (str(random.randrange(2**31) + run),) if case == "post" else ()
                        cpu = cpu_seconds(pids)
                        figures = wrk(target, args, *extra, script_args=nonce)
                        spent = [b - a for a, b in zip(cpu, cpu_seconds(pids), strict=True)]
                        requests = max(1.0, figures["rps"] * args.duration)
                        figures["cpu_us"] = sum(spent) / requests * 1e6
                        figures["proxy_cpu_us"] = spent[2] / requests * 1e6
                        runs[f"{setup}_{case}"].append(figures)
            after = served(sock, "two")
            down = sum(
                int(r["chkdown"] or 0) for r in haproxy_stats(sock) if r["svname"] in ("a", "b")
            )
            load_end = os.getloadavg()[0]
        except KeyboardInterrupt:
            print("server_scale: interrupted; stopping the servers and HAProxy", file=sys.stderr)
            raise SystemExit(130) from None
        finally:
            stop(procs)

    result: dict[str, Any] = {
        "database": "postgresql",
        "comments": args.comments,
        "connections": args.connections,
        "duration_s": args.duration,
        "runs": args.runs,
        "balance": args.balance,
        "proxy_threads": args.proxy_threads,
        "cpus": os.cpu_count(),
    }
    for name, results in runs.items():
        result[f"{name}_rps"] = median([r["rps"] for r in results])
        result[f"{name}_p99_ms"] = median([r["p99_ms"] for r in results], 2)
        result[f"{name}_cpu_us"] = median([r["cpu_us"] for r in results])
        result[f"{name}_proxy_cpu_us"] = median([r["proxy_cpu_us"] for r in results])
        result[f"{name}_errors"] = int(sum(r["errors"] for r in results))
    for case in CASES:
        direct, one, two = (result[f"{s}_{case}_rps"] for s in SETUPS)
        result[f"{case}_proxy_cost"] = round(one / direct, 3)
        result[f"{case}_scale"] = round(two / one, 3)
        result[f"{case}_scale_vs_direct"] = round(two / direct, 3)
    result["instance_requests"] = {k: after[k] - before.get(k, 0) for k in sorted(after)}
    result["instances_marked_down"] = down  # times a health check took one out
    result["errors"] = int(sum(r["errors"] for rs in runs.values() for r in rs))
    result["load_average_1m"] = [round(load_start, 2), round(load_end, 2)]  # at start, at end
    print(json.dumps(result))


if __name__ == "__main__":
    main()
