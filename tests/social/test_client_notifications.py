"""The client's notification and mute calls against the real server app."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from player.social.client import SocialClient
from player.social.errors import NotSignedIn, Refused
from tests.social.live_server import LiveServer


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with LiveServer(tmp_path_factory.mktemp("server")) as live:
        yield live


def signed_in(server: LiveServer) -> tuple[SocialClient, str]:
    client = SocialClient(server.url, backoff_s=0.01)
    name = "u_" + uuid.uuid4().hex[:10]
    client.register(name, "correct horse battery")
    client.sign_in(name, "correct horse battery")
    return client, name


def test_notifications_unread_badge_and_read_mark(server: LiveServer) -> None:
    (me, my_name), (you, your_name), (fan, _) = (signed_in(server) for _ in range(3))
    song = me.resolve({"artist": "周杰伦", "title": "晴天", "duration_ms": 269_000}).song_id
    assert song is not None
    mine = me.post(song, "the intro!")
    reply = you.post(song, f"yes @{my_name}", parent_id=mine.id)
    you.like(mine.id)
    fan.like(mine.id)
    page = me.notifications()
    assert [(n.kind, n.actor_count) for n in page.items] == [("like", 2), ("reply", 1)]
    group, answered = page.items
    assert group.song_id == song and group.comment.id == mine.id
    assert [a.username for a in group.actors][1] == your_name
    assert answered.comment.id == reply.id and answered.actors[0].username == your_name
    assert not any(n.read for n in page.items)
    badge = me.unread_count()
    assert badge.count == 2 and badge.etag
    assert me.unread_count(etag=badge.etag).not_modified
    assert me.mark_read(group.id) == 0
    assert me.unread_count(etag=badge.etag).count == 0
    assert all(n.read for n in me.notifications(limit=1).items)
    assert me.notifications(limit=1).next_cursor is not None


def test_muting_from_the_client(server: LiveServer) -> None:
    (me, my_name), (loud, loud_name) = signed_in(server), signed_in(server)
    song = me.resolve({"artist": "Kindred", "title": "Muted", "duration_ms": 90_000}).song_id
    assert song is not None
    me.mute(loud_name)
    assert [u.username for u in me.mutes()] == [loud_name]
    theirs = loud.post(song, f"@{my_name} listen")
    assert [c.id for c in me.comments(song).items] == []
    assert [c.id for c in SocialClient(server.url).comments(song).items] == [theirs.id]
    assert me.notifications().items == []
    me.mute(loud_name, muted=False)
    assert me.mutes() == []
    assert [c.id for c in me.comments(song).items] == [theirs.id]
    with pytest.raises(Refused) as nobody:
        me.mute("no_such_user_at_all")
    assert nobody.value.status == 404
    with pytest.raises(NotSignedIn):
        SocialClient(server.url).unread_count()
