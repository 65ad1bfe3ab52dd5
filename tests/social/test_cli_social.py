"""``kindred account``, ``comment``, ``comments`` and ``outbox`` against the real server."""

from __future__ import annotations

import io
import json
import uuid
from pathlib import Path

import pytest

from player.cli import main
from tests.audiogen import make_audio, requires_ffmpeg, tag
from tests.social.live_server import LiveServer, free_port

pytestmark = requires_ffmpeg


def run(
    args: list[str], capsys: pytest.CaptureFixture[str], stdin: str = ""
) -> tuple[int, str, str]:
    import sys

    old = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        code = main(args)
    finally:
        sys.stdin = old
    out, err = capsys.readouterr()
    return code, out, err


def test_sign_in_comment_offline_then_deliver(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    music = tmp_path / "music"
    music.mkdir()
    song = make_audio(music / "song.flac", "flac", seconds=3.0)
    tag(song, title=f"CLI {uuid.uuid4().hex[:6]}", artists=["Kindred"])
    db = str(tmp_path / "lib.db")
    assert run(["scan", str(music), "--db", db], capsys)[0] == 0

    dead = f"http://127.0.0.1:{free_port()}"
    code, out, _ = run(["comments", "post", str(song), "写在离线时", "--at", "0:02",
                        "--server", dead, "--db", db], capsys)  # fmt: skip
    assert code == 0 and "Kept in the outbox" in out
    code, out, _ = run(["outbox", "--json", "--server", dead, "--db", db], capsys)
    [waiting] = json.loads(out)
    assert waiting["state"] == "pending" and waiting["payload"]["body"] == "写在离线时"

    with LiveServer(tmp_path / "server") as server:
        url = server.url
        name = "cli_" + uuid.uuid4().hex[:6]
        code, out, err = run(["account", "register", "--username", name, "--server", url,
                              "--db", db], capsys, stdin="correct horse battery\n")  # fmt: skip
        assert code == 0 and f"Signed in as {name}" in out
        assert "readable only by you" in err  # no credential store on a test machine
        # the comment was written for another (dead) server: move it by writing again here
        code, out, _ = run(["comment", str(song), "写在离线时", "--at", "0:02", "--server", url,
                            "--db", db], capsys)  # fmt: skip
        assert code == 0 and out.strip() == "Posted."
        code, out, _ = run(["comments", "list", str(song), "--sort", "new", "--json", "--server", url,
                            "--db", db], capsys)  # fmt: skip
        [comment] = json.loads(out)
        assert comment["body"] == "写在离线时" and comment["position_ms"] == 2000
        assert comment["author"] == name and comment["stale"] is False

    # the server is gone: the comments read a moment ago are still there, marked stale
    code, out, err = run(["comments", "list", str(song), "--sort", "new", "--json", "--server", url,
                          "--db", db], capsys)  # fmt: skip
    assert code == 0 and json.loads(out)[0]["stale"] is True and "cache" in err
    code, out, _ = run(["account", "status", "--server", url, "--db", db], capsys)
    assert f"Signed in to {url} as {name}" in out
    code, _, err = run(["comment", "/no/such/file.flac", "x", "--server", url, "--db", db], capsys)
    assert code == 1 and "Not in the library" in err


def test_the_issues_command_names_and_delivery_before_each_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    music = tmp_path / "music"
    music.mkdir()
    song = make_audio(music / "song.flac", "flac", seconds=3.0)
    tag(song, title=f"Names {uuid.uuid4().hex[:6]}", artists=["Kindred"])
    db = str(tmp_path / "lib.db")
    assert run(["scan", str(music), "--db", db], capsys)[0] == 0
    with LiveServer(tmp_path / "server") as server:
        url = server.url
        name = "cli_" + uuid.uuid4().hex[:6]
        where = ["--server", url, "--db", db]
        assert run(["account", "register", name, *where], capsys, stdin="pw-123456789\n")[0] == 0
        assert run(["account", "logout", *where], capsys)[1].startswith("Signed out")
        code, out, _ = run(["account", "login", "--username", name, *where], capsys,
                           stdin="pw-123456789\n")  # fmt: skip
        assert code == 0 and f"Signed in as {name}" in out
        # the older names still work
        assert "Signed out" in run(["account", "signout", *where], capsys)[1]
        assert run(["account", "signin", name, *where], capsys, stdin="pw-123456789\n")[0] == 0
        code, out, _ = run(["comment", str(song), "first", *where], capsys)
        assert code == 0 and out.strip() == "Posted."
        [first] = json.loads(run(["comments", "list", str(song), "--json", *where], capsys)[1])
        # a reply written while the server is away waits in the outbox...
        dead = ["--server", url, "--db", db]
        server._server.should_exit = True
        server._thread.join(10)
        code, out, _ = run(["comments", "post", str(song), "a reply", "--reply-to",
                            str(first["id"]), *dead], capsys)  # fmt: skip
        assert code == 0 and "Kept in the outbox" in out
        [waiting] = json.loads(run(["outbox", "--json", *dead], capsys)[1])
        assert waiting["payload"]["parent"] == first["id"]
    with LiveServer(tmp_path / "server", port=server.port):  # back, at the same address
        code, out, err = run(["comments", "list", str(song), "--json", *where], capsys)
        assert code == 0 and "sent 1 waiting" in err  # delivered before reading
        [first] = json.loads(out)
        assert first["replies"] == 1 and first["stale"] is False
        code, out, _ = run(["outbox", "send", *where], capsys)
        assert code == 0 and "Sent 0" in out
        assert run(["outbox", *where], capsys)[1].strip() == "Nothing waiting."
    code, _, err = run(["account", "login", "--server", url, "--db", db], capsys, stdin="x\n")
    assert code == 1 and "--username" in err
