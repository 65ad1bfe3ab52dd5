"""``kindred user``, ``kindred moderate`` and ``kindred account password|export|delete``
against the real server, with a library that holds one of the songs commented on."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from player.social.server.accounts import set_moderator
from tests.audiogen import make_audio, requires_ffmpeg, tag
from tests.social.live_server import LiveServer
from tests.social.test_cli_social import run

pytestmark = requires_ffmpeg


def test_profiles_moderation_and_the_account(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    music = tmp_path / "music"
    music.mkdir()
    song = make_audio(music / "song.flac", "flac", seconds=3.0)
    title = f"Mine {uuid.uuid4().hex[:6]}"
    tag(song, title=title, artists=["Kindred"])
    db = str(tmp_path / "lib.db")
    other_db = str(tmp_path / "other.db")
    assert run(["scan", str(music), "--db", db], capsys)[0] == 0
    with LiveServer(tmp_path / "server") as server:
        url = server.url
        name, mod = "cli_" + uuid.uuid4().hex[:6], "mod_" + uuid.uuid4().hex[:6]
        assert run(["account", "register", name, "--server", url, "--db", db], capsys,
                   stdin="pw-123456789\n")[0] == 0  # fmt: skip
        assert (
            run(["comment", str(song), "in my library", "--db", db], capsys)[1].strip() == "Posted."
        )
        # someone else's comment on a song this library does not hold
        from player.social.client import SocialClient

        other = SocialClient(url)
        other.register(mod, "pw-123456789")
        assert set_moderator(server.app.state.server, mod)
        other.sign_in(mod, "pw-123456789")
        elsewhere = other.resolve({"artist": "Nobody", "title": "Not here"}).song_id
        assert elsewhere is not None
        theirs = other.post(elsewhere, "not in your library")

        code, out, _ = run(["user", name, "--db", db], capsys)
        assert code == 0 and f"{name} · joined" in out and "1 comments" in out
        assert f"on Kindred – {title} (in your library)" in out
        code, out, _ = run(["user", mod, "--json", "--db", db], capsys)
        profile = json.loads(out)
        assert profile["is_moderator"] and profile["comments"][0]["body"] == "not in your library"
        assert profile["comments"][0]["song"]["in_library"] is False
        code, _, err = run(["user", "nobody_at_all", "--db", db], capsys)
        assert code != 0 and "No such user" in err

        # not a moderator: a clear refusal
        code, _, err = run(["moderate", "log", "--db", db], capsys)
        assert code != 0 and "moderators" in err.lower()
        # the moderator's own library
        assert run(["account", "login", mod, "--server", url, "--db", other_db], capsys,
                   stdin="pw-123456789\n")[0] == 0  # fmt: skip
        code, out, _ = run(["moderate", "hide", str(theirs.id), "--db", other_db], capsys)
        assert code == 0 and out.strip() == f"Hid #{theirs.id}."
        code, out, _ = run(["moderate", "suspend", name, "--reason", "spam", "--days", "2",
                            "--db", other_db], capsys)  # fmt: skip
        assert code == 0 and out.startswith(f"Suspended {name} until ")
        code, out, _ = run(["moderate", "log", "--json", "--db", other_db], capsys)
        assert [e["action"] for e in json.loads(out)] == ["suspend", "hide"]
        code, out, _ = run(["moderate", "unsuspend", name, "--db", other_db], capsys)
        assert code == 0
        code, out, _ = run(["moderate", "log", "-n", "2", "--json", "--db", other_db], capsys)
        assert [e["action"] for e in json.loads(out)] == ["unsuspend", "suspend"]
        code, out, _ = run(["moderate", "reports", "--db", other_db], capsys)
        assert code == 0 and out.strip() == "No open reports."

        # the suspended account's token went: sign in again, then password, export, delete
        assert run(["account", "login", name, "--db", db], capsys, stdin="pw-123456789\n")[0] == 0
        code, out, _ = run(["account", "password", "--password-stdin", "--db", db], capsys,
                           stdin="pw-123456789\nnew-pw-987654321\n")  # fmt: skip
        assert code == 0 and "other session" in out
        export = tmp_path / "me.json"
        code, out, _ = run(["account", "export", "-o", str(export), "--db", db], capsys)
        assert (
            code == 0 and json.loads(export.read_text())["comments"][0]["body"] == "in my library"
        )
        code, _, err = run(["account", "delete", "--db", db], capsys, stdin="new-pw-987654321\n")
        assert code != 0 and "--yes" in err
        code, out, _ = run(["account", "delete", "--yes", "--password-stdin", "--db", db], capsys,
                           stdin="new-pw-987654321\n")  # fmt: skip
        assert code == 0 and "deleted" in out
        code, out, _ = run(["account", "status", "--db", db], capsys)
        assert out.strip() == f"Not signed in to {url}."
