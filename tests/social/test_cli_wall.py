"""``kindred comments top`` against the real server, with a library that holds one
of the songs on the wall."""

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


def test_comments_top_shows_the_wall(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    music = tmp_path / "music"
    music.mkdir()
    song = make_audio(music / "song.flac", "flac", seconds=3.0)
    title = f"Mine {uuid.uuid4().hex[:6]}"
    tag(song, title=title, artists=["Kindred"])
    db = str(tmp_path / "lib.db")
    assert run(["scan", str(music), "--db", db], capsys)[0] == 0
    with LiveServer(tmp_path / "server") as server:
        url = server.url
        code, out, _ = run(["comments", "top", "--server", url, "--db", db], capsys)
        assert code == 0 and out.strip() == "No comments on the wall yet."
        name = "cli_" + uuid.uuid4().hex[:6]
        assert run(["account", "register", name, "--server", url, "--db", db], capsys,
                   stdin="pw-123456789\n")[0] == 0  # fmt: skip
        assert run(["comment", str(song), "mine, liked twice", "--db", db], capsys)[0] == 0
        other = SocialClient(url)
        other_name = "o_" + uuid.uuid4().hex[:6]
        other.register(other_name, "pw-123456789")
        other.sign_in(other_name, "pw-123456789")
        elsewhere = other.resolve({"artist": "Nobody", "title": "Not here"}).song_id
        assert elsewhere is not None
        theirs = other.post(elsewhere, "not in your library")
        mine = SocialClient(url).top_comments("all", 5)
        mine_id = next(c.id for c, _ in mine if c.body == "mine, liked twice")
        other.like(mine_id)
        assert run(["comments", "like", str(mine_id), "--db", db], capsys)[0] == 0

        code, out, _ = run(["comments", "top", "--db", db], capsys)
        lines = out.splitlines()
        assert code == 0
        assert lines[0] == f"1. Kindred – {title} (in your library) · {name} · 2 likes · #{mine_id}"
        assert lines[1] == "   mine, liked twice"
        assert lines[2].startswith("2. Nobody – Not here · " + other_name + " · 0 likes")
        code, out, _ = run(["comments", "top", "--period", "month", "--json", "--db", db], capsys)
        rows = json.loads(out)
        assert [r["id"] for r in rows] == [mine_id, theirs.id]
        assert rows[0]["song"]["in_library"] is True and rows[0]["author"] == name
        assert rows[1]["song"]["in_library"] is False and rows[1]["like_count"] == 0
