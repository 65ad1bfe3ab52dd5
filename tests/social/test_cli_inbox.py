"""``kindred inbox`` and ``kindred mute|unmute`` against the real server, with a library
that holds the song commented on."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from player.social.client import SocialClient
from tests.audiogen import make_audio, requires_ffmpeg, tag
from tests.social.live_server import LiveServer
from tests.social.test_cli_social import run

pytestmark = requires_ffmpeg


def test_inbox_lists_marks_read_and_mutes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    music = tmp_path / "music"
    music.mkdir()
    song = make_audio(music / "song.flac", "flac", seconds=3.0)
    title = f"Mine {uuid.uuid4().hex[:6]}"
    tag(song, title=title, artists=["Kindred"])
    db = str(tmp_path / "lib.db")
    assert run(["scan", str(music), "--db", db], capsys)[0] == 0
    with LiveServer(tmp_path / "server") as server:
        url = server.url
        code, _, err = run(["inbox", "--server", url, "--db", db], capsys)
        assert code != 0 and "Not signed in" in err
        name, other_name = "a_" + uuid.uuid4().hex[:6], "b_" + uuid.uuid4().hex[:6]
        assert run(["account", "register", name, "--server", url, "--db", db], capsys,
                   stdin="pw-123456789\n")[0] == 0  # fmt: skip
        assert run(["comment", str(song), "in my library", "--db", db], capsys)[0] == 0
        assert run(["inbox", "--db", db], capsys)[1].strip() == "No notifications."
        other = SocialClient(url)
        other.register(other_name, "pw-123456789")
        other.sign_in(other_name, "pw-123456789")
        parent, song_ref = other.user_comments(name).items[0]
        song_id = song_ref.id
        other.post(song_id, "Agreed, what a song", parent_id=parent.id)
        elsewhere = other.resolve({"artist": "Nobody", "title": "Not here"}).song_id
        assert elsewhere is not None
        other.post(elsewhere, f"hey @{name} listen to this")

        # reading the song's comments remembers its server id: the inbox names it
        assert run(["comments", "list", str(song), "--db", db], capsys)[0] == 0
        code, out, _ = run(["inbox", "--db", db], capsys)
        lines = out.strip().splitlines()
        assert code == 0 and len(lines) == 2
        assert lines[0].startswith("•")
        assert f"{other_name} mentioned you on song {elsewhere}" in lines[0]
        assert f"{other_name} replied on Kindred – {title}: Agreed, what a song" in lines[1]
        code, out, _ = run(["inbox", "--json", "--db", db], capsys)
        items = json.loads(out)
        assert [i["kind"] for i in items] == ["mention", "reply"]
        assert items[1]["track_id"] is not None and items[1]["title"] == title
        assert items[0]["track_id"] is None and not items[0]["read"]
        code, out, _ = run(["inbox", "--read", "--db", db], capsys)
        assert code == 0 and out.strip().endswith("Marked read.")
        assert json.loads(run(["inbox", "--json", "--db", db], capsys)[1])[0]["read"] is True

        assert run(["mute", other_name, "--db", db], capsys)[1].strip() == f"Muted {other_name}."
        other.post(elsewhere, f"@{name} again")
        assert len(json.loads(run(["inbox", "--json", "--db", db], capsys)[1])) == 2
        assert run(["unmute", other_name, "--db", db], capsys)[1].strip() == (
            f"Unmuted {other_name}."
        )
        other.post(elsewhere, f"@{name} once more")
        items = json.loads(run(["inbox", "--json", "--db", db], capsys)[1])
        assert len(items) == 3 and items[0]["comment"]["body"] == f"@{name} once more"
