"""``kindred account login --server`` makes that server the default; ``comments like``,
``unlike`` and ``replies`` against the real server; the credential notice once per machine."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from player.config import Paths, Settings
from player.social import credentials
from tests.audiogen import make_audio, requires_ffmpeg, tag
from tests.social.live_server import LiveServer
from tests.social.test_cli_social import run

pytestmark = requires_ffmpeg


def test_login_with_server_makes_it_the_default_and_like_unlike_replies(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(credentials, "_TOLD", set())  # as in a fresh process
    music = tmp_path / "music"
    music.mkdir()
    song = make_audio(music / "song.flac", "flac", seconds=3.0)
    tag(song, title=f"Likes {uuid.uuid4().hex[:6]}", artists=["Kindred"])
    db = str(tmp_path / "lib.db")
    assert run(["scan", str(music), "--db", db], capsys)[0] == 0
    with LiveServer(tmp_path / "server") as server:
        url = server.url
        name = "cli_" + uuid.uuid4().hex[:6]
        code, out, err = run(["account", "register", name, "--server", url, "--db", db],
                             capsys, stdin="pw-123456789\n")  # fmt: skip
        assert code == 0 and f"{url} is now the comment server" in out
        # the notice says what to install, and is remembered in the config folder
        assert err.count("No credential store") == 1 and "Secret Service" in err
        assert (Paths.resolve().config_dir / credentials.NOTICE_SHOWN_FILE).exists()
        assert Settings.load(Paths.resolve()).server_url == url
        # no --server from here on: the CLI agrees with itself
        code, out, err = run(["account", "status", "--db", db], capsys)
        assert code == 0 and out.strip() == f"Signed in to {url} as {name}."
        assert "No credential store" not in err

        assert run(["comment", str(song), "top", "--db", db], capsys)[1].strip() == "Posted."
        [top] = json.loads(run(["comments", "list", str(song), "--json", "--db", db], capsys)[1])
        assert run(["comments", "post", str(song), "an answer", "--reply-to", str(top["id"]),
                    "--db", db], capsys)[1].strip() == "Posted."  # fmt: skip

        code, out, _ = run(["comments", "like", str(top["id"]), "--db", db], capsys)
        assert code == 0 and out.strip() == f"Liked #{top['id']} (1 like)."
        [top] = json.loads(run(["comments", "list", str(song), "--json", "--db", db], capsys)[1])
        assert top["likes"] == 1 and top["replies"] == 1

        code, out, _ = run(["comments", "replies", str(top["id"]), "--db", db], capsys)
        assert code == 0 and "an answer" in out and f" {name} " in out
        code, out, _ = run(["comments", "replies", str(top["id"]), "--json", "--db", db], capsys)
        [reply] = json.loads(out)
        assert reply["body"] == "an answer" and reply["author"] == name
        code, out, _ = run(["comments", "replies", str(reply["id"]), "--db", db], capsys)
        assert code == 0 and out.strip() == "No replies yet."

        code, out, _ = run(["comments", "unlike", str(top["id"]), "--db", db], capsys)
        assert code == 0 and out.strip() == f"Unliked #{top['id']} (0 likes)."
        code, _, err = run(["comments", "like", "999999", "--db", db], capsys)
        assert code == 1 and "#999999" in err

        # signing in again: the notice is not shown a second time on this machine
        monkeypatch.setattr(credentials, "_TOLD", set())
        code, _, err = run(["account", "login", name, "--db", db], capsys, stdin="pw-123456789\n")
        assert code == 0 and "No credential store" not in err
        assert run(["account", "logout", "--db", db], capsys)[0] == 0
        code, _, err = run(["comments", "like", str(top["id"]), "--db", db], capsys)
        assert code == 1 and "Not signed in" in err
