"""Real server processes: the CLI, two instances on one database, a SIGKILL mid-stream."""

from __future__ import annotations

import io
import sys
import threading
import uuid
from pathlib import Path

import httpx
import pytest

from player.social.server import cli
from player.social.server.db import Database
from player.social.server.migrate import current_revision, head_revision

from .dbs import wipe
from .procs import ServerProcess, run_cli, sign_in, sign_up


def test_cli_migrate_and_create_moderator(
    tmp_path: Path,
    kindred_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # in-process: the same main() the console script runs; the default database is in $KINDRED_HOME/data
    assert cli.main(["migrate"]) == 0
    default_db = kindred_home / "data" / "server.sqlite3"
    assert default_db.exists()
    monkeypatch.setattr(sys, "stdin", io.StringIO("a long password\n"))
    assert cli.main(["create-moderator", "boss"]) == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO("password\n"))
    assert (
        cli.main(["create-moderator", "ab", "--database-url", f"sqlite:///{tmp_path / 'x.db'}"])
        == 2
    )
    assert "3 to 32" in capsys.readouterr().err
    # the console script serves what the CLI made
    with (
        ServerProcess(f"sqlite:///{default_db}", tmp_path / "log") as server,
        httpx.Client(base_url=server.base) as c,
    ):
        boss = sign_in(c, "boss", "a long password")
        assert c.get("/api/v1/reports", headers=boss).status_code == 200
        assert c.get("/openapi.json").json()["info"]["title"] == "Kindred comment server"
        user = sign_up(c, "plain_user")
        assert c.get("/api/v1/reports", headers=user).status_code == 403
    # promoting an existing account needs no password
    assert cli.main(["create-moderator", "plain_user"]) == 0
    assert "now a moderator" in capsys.readouterr().out


def test_migrate_as_a_process(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    done = run_cli("migrate", "--database-url", url)
    assert done.returncode == 0, done.stderr
    database = Database(url)
    try:
        assert current_revision(database) == head_revision()
    finally:
        database.close()


def test_two_instances_share_writes_and_rate_limits(postgres_db: str, tmp_path: Path) -> None:
    wipe(postgres_db)
    database_url = postgres_db
    limits = {"KINDRED_RATE_LIMITS": "0.2"}  # 2 posts a minute per user
    one = ServerProcess(database_url, tmp_path / "one.log", **limits)
    two = ServerProcess(database_url, tmp_path / "two.log", **limits)
    with one, two, httpx.Client(base_url=one.base) as a, httpx.Client(base_url=two.base) as b:
        alice = sign_up(a, "alice")
        alice_b = sign_in(b, "alice")  # the account made on one signs in on two
        song = a.post("/api/v1/songs/resolve", json={"isrc": "USRC17607839"}, headers=alice).json()[
            "song_id"
        ]
        assert (
            b.post("/api/v1/songs/resolve", json={"isrc": "USRC17607839"}).json()["song_id"] == song
        )

        def post(client: httpx.Client, headers: dict, body: str) -> httpx.Response:
            return client.post(
                f"/api/v1/songs/{song}/comments",
                json={"body": body},
                headers={**headers, "Idempotency-Key": str(uuid.uuid4())},
            )

        first = post(a, alice, "from one")
        assert first.status_code == 201
        seen = b.get(f"/api/v1/songs/{song}/comments").json()["items"]
        assert [c["body"] for c in seen] == ["from one"]
        assert post(b, alice_b, "from two").status_code == 201
        assert [c["body"] for c in a.get(f"/api/v1/songs/{song}/comments").json()["items"]] == [
            "from two",
            "from one",
        ]
        # the third post is over the limit on either instance
        assert post(a, alice, "three").status_code == 429
        assert post(b, alice_b, "three").status_code == 429
        # a like on one is counted once across both
        cid = first.json()["id"]
        assert a.put(f"/api/v1/comments/{cid}/like", headers=alice).json()["like_count"] == 1
        assert b.put(f"/api/v1/comments/{cid}/like", headers=alice_b).json()["like_count"] == 1


def test_sigkill_mid_stream_loses_no_answered_post(database_url: str, tmp_path: Path) -> None:
    server = ServerProcess(database_url, tmp_path / "server.log").start()
    try:
        with httpx.Client(base_url=server.base, timeout=10) as c:
            me = sign_up(c, "streamer")
            song = c.post(
                "/api/v1/songs/resolve", json={"isrc": "USRC17607839"}, headers=me
            ).json()["song_id"]
        sent: dict[str, str] = {}  # key -> body, everything that left the client
        answered: dict[str, int] = {}  # key -> id, every 201
        lock = threading.Lock()
        enough = threading.Event()

        def stream(worker: int) -> None:
            with httpx.Client(base_url=server.base, timeout=10) as client:
                for i in range(10_000):
                    key, body = str(uuid.uuid4()), f"w{worker} #{i}"
                    with lock:
                        sent[key] = body
                    try:
                        resp = client.post(
                            f"/api/v1/songs/{song}/comments",
                            json={"body": body},
                            headers={**me, "Idempotency-Key": key},
                        )
                    except httpx.HTTPError:
                        return  # the server is gone
                    assert resp.status_code == 201, resp.text
                    with lock:
                        answered[key] = resp.json()["id"]
                        if len(answered) >= 40:
                            enough.set()

        workers = [threading.Thread(target=stream, args=(w,)) for w in range(4)]
        for w in workers:
            w.start()
        assert enough.wait(60)
        server.kill()
        for w in workers:
            w.join(30)
    finally:
        server.stop()
    assert len(sent) > len(answered) >= 40

    with (
        ServerProcess(database_url, tmp_path / "again.log") as again,
        httpx.Client(base_url=again.base) as c,
    ):
        me = sign_in(c, "streamer")
        stored: dict[int, str] = {}
        cursor = None
        while True:
            page = c.get(
                f"/api/v1/songs/{song}/comments",
                params={"limit": 100, **({"cursor": cursor} if cursor else {})},
            ).json()
            stored.update({item["id"]: item["body"] for item in page["items"]})
            if not (cursor := page["next_cursor"]):
                break
        for key, cid in answered.items():
            assert stored.get(cid) == sent[key]  # every 201 survived
        # the client retries everything it sent: no duplicates, same ids for the answered
        for key, body in sent.items():
            resp = c.post(
                f"/api/v1/songs/{song}/comments",
                json={"body": body},
                headers={**me, "Idempotency-Key": key},
            )
            assert resp.status_code in (200, 201), resp.text
            if key in answered:
                assert (resp.status_code, resp.json()["id"]) == (200, answered[key])
        counts = c.get(f"/api/v1/songs/counts?ids={song}").json()["counts"][str(song)]
        assert counts == len(sent)
