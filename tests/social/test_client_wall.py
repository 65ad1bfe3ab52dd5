"""The client's comment wall call against the real server."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from player.social.client import SocialClient
from player.social.errors import Refused
from tests.social.live_server import LiveServer


def test_top_comments_come_with_their_songs(tmp_path: Path) -> None:
    with LiveServer(tmp_path) as server:
        alice = SocialClient(server.url, backoff_s=0.01)
        bob = SocialClient(server.url, backoff_s=0.01)
        for client in (alice, bob):
            name = "u_" + uuid.uuid4().hex[:10]
            client.register(name, "correct horse battery")
            client.sign_in(name, "correct horse battery")
        song = alice.resolve({"artist": "周杰伦", "title": "晴天", "duration_ms": 269_000}).song_id
        assert song is not None
        quiet = alice.post(song, "nice")
        loved = alice.post(song, "the intro!")
        bob.like(loved.id)
        anon = SocialClient(server.url)
        wall = anon.top_comments("week", 5)
        assert [c.id for c, _ in wall] == [loved.id, quiet.id]
        comment, ref = wall[0]
        assert comment.body == "the intro!" and comment.like_count == 1
        assert ref is not None and (ref.artist, ref.title) == ("周杰伦", "晴天")
        assert "key" in ref.aliases
        assert [c.id for c, _ in anon.top_comments("all", 1)] == [loved.id]
        assert bob.top_comments()[0][0].liked_by_me is True
        with pytest.raises(Refused) as bad:
            anon.top_comments("year", 5)
        assert bad.value.status == 422
