"""The client's calls for profiles, moderation and the account, against the real server."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from player.social.client import SocialClient
from player.social.errors import NotSignedIn, Refused
from player.social.server.accounts import set_moderator
from tests.social.live_server import LiveServer


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with LiveServer(tmp_path_factory.mktemp("server")) as live:
        yield live


def account(server: LiveServer, *, moderator: bool = False) -> tuple[SocialClient, str]:
    client = SocialClient(server.url, backoff_s=0.01)
    name = "u_" + uuid.uuid4().hex[:10]
    client.register(name, "correct horse battery")
    if moderator:
        assert set_moderator(server.app.state.server, name)
    client.sign_in(name, "correct horse battery")
    return client, name


def test_a_profile_and_its_comments_with_songs(server: LiveServer) -> None:
    alice, name = account(server)
    song = alice.resolve({"artist": "周杰伦", "title": "晴天", "duration_ms": 269_000}).song_id
    assert song is not None
    posted = alice.post(song, "the intro!")
    profile = SocialClient(server.url).profile(name.upper())
    assert (profile.username, profile.comment_count, profile.muted_by_me) == (name, 1, False)
    page = SocialClient(server.url).user_comments(name)
    ((comment, ref),) = page.items
    assert comment.id == posted.id and ref is not None
    assert (ref.artist, ref.title) == ("周杰伦", "晴天") and "key" in ref.aliases
    with pytest.raises(Refused) as missing:
        SocialClient(server.url).profile("no_such_user_here")
    assert missing.value.status == 404


def test_moderators_suspend_and_read_the_log(server: LiveServer) -> None:
    mod, _ = account(server, moderator=True)
    troll, troll_name = account(server)
    with pytest.raises(Refused) as refused:
        troll.moderation_log()
    assert refused.value.status == 403
    held = mod.suspend(troll_name, "spam", days=3)
    assert held["reason"] == "spam" and not held["for_good"]
    entries, _ = mod.moderation_log()
    assert entries[0].action == "suspend" and entries[0].target is not None
    assert entries[0].target.username == troll_name
    with pytest.raises(NotSignedIn):  # its tokens went with the suspension
        troll.export()
    mod.lift_suspension(troll_name)
    assert mod.moderation_log()[0][0].action == "unsuspend"


def test_password_export_and_deletion(server: LiveServer) -> None:
    me, name = account(server)
    me.change_password("correct horse battery", "a new secret phrase")
    data = me.export()
    assert data["user"]["username"] == name and data["comments"] == []
    with pytest.raises(Refused):
        me.delete_account("wrong password!")
    me.delete_account("a new secret phrase")
    with pytest.raises(NotSignedIn):
        me.export()
    with pytest.raises(Refused) as gone:
        SocialClient(server.url).profile(name)
    assert gone.value.status == 404
