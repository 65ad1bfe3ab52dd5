"""Benchmark: the comment server under wrk, against a hello-world ceiling.

Starts ``kindred-server`` on loopback (SQLite by default, or ``--database-url``)
with one song of ``--comments`` comments, and a hello-world app in the same
framework and server (``player.social.server.hello``). wrk runs outside both
processes. Figures (medians of ``--runs`` runs, each ``--duration`` seconds at
``--connections`` connections):

* ``hello_rps``: the ceiling, ``GET /hello``;
* ``new_*`` / ``hot_*``: ``GET /api/v1/songs/{id}/comments?sort=new|hot``
  (requests/s, p50 and p99 latency in ms) and their ratio to the ceiling;
* ``revalidate_*``: the same ``new`` page with ``If-None-Match`` (304s);
* ``new_signed_in_*`` / ``hot_signed_in_*``: the same pages with a bearer
  token: the cached anonymous page plus the reader's ``liked_by_me`` (one
  indexed query), the token checked from the server's short token cache;
* ``new_muting_*`` / ``hot_muting_*``: the signed-in pages for a reader who
  muted 100 users (one comment in ten is by one of them, left out of the page);
* ``wall_*``: ``GET /api/v1/comments/top?period=week&limit=10``, the comment wall
  every For You page polls (anonymous: served from the wall cache at the ASGI
  layer); ``wall_muting_*`` the same for the reader who muted 100 users (the
  cached wall, their mutes and their likes: two indexed queries);
* ``unread_count_*``: ``GET /api/v1/me/notifications/unread-count`` for a
  reader with 50 notifications (half read); ``unread_count_etag_*`` the same
  with ``If-None-Match`` (304s);
* ``post_*``: ``POST`` comments, each with a fresh Idempotency-Key (wrk Lua);
  ``post_mention_*`` the same, each post mentioning the muting reader, so each
  also writes a notification (in the post's transaction);
* ``post_cpu_ms`` / ``post_mention_cpu_ms``: the comment server's CPU time (all
  its threads, from ``/proc``) per post: what the machine's load changes least;
* ``load_avg``: the 1-minute load average at the start and at the end;
* ``errors``: responses that were neither 2xx nor 3xx, plus socket errors.
* ``trace`` (with ``--trace``): per case, what the server itself saw
  (``bench/server_trace.py``): its requests' p99 and longest time inside the
  process (``app_*``), how late its event loop ran a 10 ms timer (``lag_*``),
  the longest GC pause and the number of full collections; a wrk tail that
  the server's own times do not show was spent outside its code.

Targets (2 cores, wrk on the same cores, 64 connections): reads >= 50 % of
hello with p99 <= 50 ms; posts >= 1,000/s on SQLite. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from player.social.server.auth import make_hasher  # noqa: E402
from player.social.server.clock import now_us  # noqa: E402
from player.social.server.comments_write import hot_score  # noqa: E402
from player.social.server.config import ServerConfig  # noqa: E402
from player.social.server.db import Database  # noqa: E402
from player.social.server.migrate import upgrade  # noqa: E402
from player.social.server.schema import (  # noqa: E402
    comments,
    mutes,
    notification_reads,
    notifications,
    songs,
    tokens,
    users,
)

SERVER_DATABASE_ENV = "KINDRED_SERVER_DATABASE_URL"
SERVER = shutil.which("kindred-server", path=str(Path(sys.executable).parent)) or "kindred-server"

POST_LUA = """
local counter = 0
local nonce = 0
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end
function init(args)
  nonce = tonumber(args[1])
end
request = function()
  counter = counter + 1
  local key = string.format("%08x-%04x-4000-8000-%012x", nonce, id, counter)
  wrk.headers["Idempotency-Key"] = key
  return wrk.format("POST", nil, nil, '{"body": "benchmark comment ' .. counter .. '", "position_ms": 1000}')
end
"""

#: the same, each post mentioning the user named by the script's second argument
POST_MENTION_LUA = POST_LUA.replace(
    "nonce = tonumber(args[1])", "nonce = tonumber(args[1])\n  mention = args[2]"
).replace('\'", "position_ms"', "' @' .. mention .. '\", \"position_ms\"")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


MUTED_USERS = 100
NOTIFICATIONS = 50


def _user(conn: Any, name: str, password_hash: str, now: int) -> int:
    return conn.execute(
        users.insert()
        .values(
            username=name,
            username_key=name,
            password_hash=password_hash,
            is_moderator=False,
            created_us=now,
        )
        .returning(users.c.id)
    ).scalar_one()


def _token(conn: Any, user_id: int, now: int) -> str:
    from player.social.server.auth import token_hash

    token = uuid.uuid4().hex + uuid.uuid4().hex
    conn.execute(
        tokens.insert().values(
            user_id=user_id,
            token_hash=token_hash(token),
            created_us=now,
            expires_us=now + 86400 * 1_000_000,
        )
    )
    return token


def seed(url: str, count: int) -> tuple[int, int, str, str]:
    """A user with a token, a song with ``count`` comments and an empty song to post to,
    and a second reader (token) who muted 100 users and has notifications."""
    db = Database(url)
    try:
        upgrade(db)
        now = now_us()
        name = f"bench_{uuid.uuid4().hex[:8]}"
        password_hash = make_hasher(ServerConfig()).hash(uuid.uuid4().hex)
        rng = random.Random(7)
        with db.write() as conn:
            user_id = _user(conn, name, password_hash, now)
            token = _token(conn, user_id, now)
            reader_id = _user(conn, f"{name}_reader", password_hash, now)
            reader_token = _token(conn, reader_id, now)
            muted = [_user(conn, f"{name}_m{i}", password_hash, now) for i in range(MUTED_USERS)]
            conn.execute(
                mutes.insert(),
                [{"user_id": reader_id, "muted_id": m, "created_us": now} for m in muted],
            )
            read_song, post_song = (
                conn.execute(
                    songs.insert()
                    .values(created_us=now, comment_count=n, version=1)
                    .returning(songs.c.id)
                ).scalar_one()
                for n in (count, 0)
            )
            rows = []
            for i in range(count):
                created = now - rng.randrange(30 * 86400 * 1_000_000)
                likes = int(rng.paretovariate(1.5)) - 1
                rows.append(
                    {
                        "song_id": read_song,
                        "author_id": muted[i % MUTED_USERS] if i % 10 == 0 else user_id,
                        "parent_id": None,
                        "reply_to_user_id": None,
                        "body": f"comment {i}: " + "la " * rng.randrange(1, 40),
                        "position_ms": rng.randrange(240_000) if i % 3 == 0 else None,
                        "like_count": likes,
                        "reply_count": 0,
                        "hot_score": hot_score(likes, created),
                        "created_us": created,
                        "edited_us": None,
                        "deleted": False,
                        "hidden": False,
                        "idem_key": str(uuid.uuid4()),
                        "idem_hash": "seed",
                    }
                )
            for start in range(0, len(rows), 2000):
                conn.execute(comments.insert(), rows[start : start + 2000])
            first = conn.execute(
                select(comments.c.id).where(comments.c.song_id == read_song).limit(1)
            ).scalar_one()
            ids = [
                conn.execute(
                    notifications.insert()
                    .values(
                        user_id=reader_id,
                        kind="reply",
                        comment_id=first,
                        actor_id=user_id,
                        actor_count=1,
                        created_us=now,
                    )
                    .returning(notifications.c.id)
                ).scalar_one()
                for _ in range(NOTIFICATIONS)
            ]
            conn.execute(
                notification_reads.insert().values(
                    user_id=reader_id, read_up_to=ids[NOTIFICATIONS // 2 - 1]
                )
            )
        return read_song, post_song, token, reader_token
    finally:
        db.close()


def username_of(url: str, token: str) -> str:
    """The user a bench token belongs to."""
    from player.social.server.auth import token_hash

    db = Database(url)
    try:
        with db.read() as conn:
            return conn.execute(
                select(users.c.username)
                .join(tokens, tokens.c.user_id == users.c.id)
                .where(tokens.c.token_hash == token_hash(token))
            ).scalar_one()
    finally:
        db.close()


def cpu_s(pid: int) -> float:
    """CPU seconds a process has used (user + system, all threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def launch(cmd: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)


def wait_ready(proc: subprocess.Popen[bytes], url: str) -> None:
    """Wait until ``url`` answers 200 (the process started and reached its database)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            err = proc.stderr.read().decode() if proc.stderr else ""
            raise RuntimeError(f"{proc.args} exited: {err}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    proc.kill()
    raise RuntimeError(f"{proc.args} did not start")


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(
    url: str, args: argparse.Namespace, *extra: str, script_args: tuple[str, ...] = ()
) -> dict[str, float]:
    """One wrk run: requests/s, p50/p99 in ms, and the error count."""
    out = subprocess.run(
        [
            "wrk",
            "-t",
            str(args.threads),
            "-c",
            str(args.connections),
            "-d",
            f"{args.duration}s",
            "--latency",
            *extra,
            url,
            *(("--", *script_args) if script_args else ()),
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=args.duration + 60,
    ).stdout
    result: dict[str, float] = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))}
    for pct in ("50", "99"):
        value, unit = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        result[f"p{pct}_ms"] = float(value) * _UNITS[unit]
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    result["errors"] = float(errors.group(1) if errors else 0) + (
        sum(float(n) for n in sockets.groups()) if sockets else 0
    )
    return result


def traced_figures(trace: dict[str, list[dict[str, Any]]]) -> dict[str, dict[str, float]]:
    """Per case, medians over the runs of the recorder's figures (see bench/server_trace.py)."""
    out: dict[str, dict[str, float]] = {}
    for name, segments in trace.items():
        if name not in READS and name not in ("post", "post_mention"):
            continue
        row: dict[str, float] = {}
        for part, fields in (("app", ("p99_ms", "max_ms")), ("lag", ("p99_ms", "max_ms"))):
            for field in fields:
                row[f"{part}_{field}"] = median([s[part].get(field, 0.0) for s in segments], 2)
        row["gc_max_ms"] = median([s["gc"].get("max_ms", 0.0) for s in segments], 2)
        row["gc_full"] = median([s["gc"]["full"] for s in segments], 1)
        out[name] = row
    return out


def median(values: list[float], digits: int = 1) -> float:
    return round(statistics.median(values), digits)


#: the read cases, each measured as a ratio to hello-world
READS = (
    "new",
    "hot",
    "revalidate",
    "new_signed_in",
    "hot_signed_in",
    "new_muting",
    "hot_muting",
    "wall",
    "wall_muting",
    "unread_count",
    "unread_count_etag",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None, help="default: a SQLite file in a temp dir")
    parser.add_argument("--comments", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=1, help="server worker processes")
    parser.add_argument(
        "--trace",
        action="store_true",
        help="run the server under bench/server_trace.py (one process) and add, per case, the "
        "requests' time inside the server, the event loop's lateness and GC pauses",
    )
    args = parser.parse_args()
    if args.trace and args.workers != 1:
        parser.error("--trace records one server process: leave --workers at 1")

    with tempfile.TemporaryDirectory(prefix="kindred-bench-") as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'server.sqlite3'}"
        read_song, post_song, token, reader = seed(url, args.comments)
        reader_name = username_of(url, reader)
        load_start = os.getloadavg()[0]
        env = {**os.environ, "KINDRED_HOME": tmp, "KINDRED_RATE_LIMITS": "off"}
        port, hello_port = free_port(), free_port()
        workers = ["--workers", str(args.workers)]
        if args.trace:
            env[SERVER_DATABASE_ENV] = url
            server_cmd = [sys.executable, str(ROOT / "bench" / "server_trace.py"), str(port)]
        else:
            server_cmd = [SERVER, "--database-url", url, "--port", str(port), *workers]
        procs = [  # both start at once; the comment server also migrates
            launch(server_cmd, env),
            launch(
                [
                    sys.executable,
                    "-m",
                    "player.social.server.hello",
                    "--port",
                    str(hello_port),
                    *workers,
                ],
                env,
            ),
        ]
        try:
            wait_ready(procs[0], f"http://127.0.0.1:{port}/healthz")
            wait_ready(procs[1], f"http://127.0.0.1:{hello_port}/hello")
            base = f"http://127.0.0.1:{port}/api/v1"
            new_url = f"{base}/songs/{read_song}/comments?sort=new&limit=20"
            hot_url = f"{base}/songs/{read_song}/comments?sort=hot"
            etag = httpx.get(new_url).headers["etag"]
            unread_url = f"{base}/me/notifications/unread-count"
            wall_url = f"{base}/comments/top?period=week&limit=10"
            as_reader = {"Authorization": f"Bearer {reader}"}
            unread_etag = httpx.get(unread_url, headers=as_reader).headers["etag"]
            lua = Path(tmp) / "post.lua"
            lua.write_text(POST_LUA)
            mention_lua = Path(tmp) / "post_mention.lua"
            mention_lua.write_text(POST_MENTION_LUA)
            runs: dict[str, list[dict[str, float]]] = {
                k: [] for k in ("hello", *READS, "post", "post_mention")
            }
            cpu_used: dict[str, list[float]] = {}
            server = f"http://127.0.0.1:{port}"

            def measure(name: str, target: str, *extra: str, **kw: Any) -> None:
                if args.trace:  # tell the recorder which case the next requests belong to
                    httpx.post(f"{server}/__trace/segment", content=name.encode())
                runs[name].append(wrk(target, args, *extra, **kw))

            def timed_posts(name: str, script: Path, run: int, *script_args: str) -> None:
                """A post run, and the server's CPU per post during it."""
                before = cpu_s(procs[0].pid)
                measure(
                    name,
                    f"{base}/songs/{post_song}/comments",
                    "-H",
                    f"Authorization: Bearer {token}",
                    "-H",
                    "Content-Type: application/json",
                    "-s",
                    str(script),
                    script_args=(str(random.randrange(2**31) + run), *script_args),
                )
                done = runs[name][-1]["rps"] * args.duration
                cpu_used.setdefault(name, []).append((cpu_s(procs[0].pid) - before) / done * 1000)

            auth = f"Authorization: Bearer {reader}"
            for run in range(args.runs):
                runs["hello"].append(wrk(f"http://127.0.0.1:{hello_port}/hello", args))
                measure("new", new_url)
                measure("hot", hot_url)
                measure("revalidate", new_url, "-H", f"If-None-Match: {etag}")
                for name, page in (("new_signed_in", new_url), ("hot_signed_in", hot_url)):
                    measure(name, page, "-H", f"Authorization: Bearer {token}")
                for name, page in (("new_muting", new_url), ("hot_muting", hot_url)):
                    measure(name, page, "-H", auth)
                measure("wall", wall_url)
                measure("wall_muting", wall_url, "-H", auth)
                measure("unread_count", unread_url, "-H", auth)
                measure(
                    "unread_count_etag",
                    unread_url,
                    "-H",
                    auth,
                    "-H",
                    f"If-None-Match: {unread_etag}",
                )
                timed_posts("post", lua, run)
                timed_posts("post_mention", mention_lua, run, reader_name)
            trace = httpx.get(f"{server}/__trace", timeout=60).json() if args.trace else None
            posted = httpx.get(f"{base}/songs/counts?ids={post_song}").json()["counts"][
                str(post_song)
            ]
        finally:
            for proc in procs:
                proc.terminate()
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()

    result: dict[str, Any] = {
        "database": "postgresql" if url.startswith("postgres") else "sqlite",
        "comments": args.comments,
        "connections": args.connections,
        "duration_s": args.duration,
        "workers": args.workers,
        "runs": args.runs,
        "hello_rps": median([r["rps"] for r in runs["hello"]]),
    }
    reads = READS
    for name in (*reads, "post", "post_mention"):
        result[f"{name}_rps"] = median([r["rps"] for r in runs[name]])
        result[f"{name}_p50_ms"] = median([r["p50_ms"] for r in runs[name]], 2)
        result[f"{name}_p99_ms"] = median([r["p99_ms"] for r in runs[name]], 2)
    for name in reads:
        result[f"{name}_vs_hello"] = round(result[f"{name}_rps"] / result["hello_rps"], 3)
    for name, spent_ms in cpu_used.items():
        result[f"{name}_cpu_ms"] = median(spent_ms, 3)
    result["load_avg"] = [round(load_start, 1), round(os.getloadavg()[0], 1)]
    result["posts_stored"] = posted
    result["errors"] = int(sum(r["errors"] for rs in runs.values() for r in rs))
    if trace is not None:
        result["trace"] = traced_figures(trace)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
