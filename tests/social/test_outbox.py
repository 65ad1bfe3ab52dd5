"""The outbox: written offline, delivered in order and exactly once to the real server."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from player.library.store import LibraryDB
from player.social.client import SocialClient
from player.social.errors import ServerUnreachable
from player.social.outbox import Outbox
from tests.social.live_server import LiveServer, free_port


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with LiveServer(tmp_path_factory.mktemp("server")) as live:
        yield live


@pytest.fixture
def library(tmp_path: Path) -> Iterator[LibraryDB]:
    db = LibraryDB(tmp_path / "library.db")
    yield db
    db.close()


def account(url: str) -> SocialClient:
    client = SocialClient(url, backoff_s=0.01, retries=1)
    name = "u_" + uuid.uuid4().hex[:10]
    client.register(name, "correct horse battery")
    client.sign_in(name, "correct horse battery")
    return client


IDENTITY = {"artist": "Kindred", "title": "Offline", "duration_ms": 200_000}


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_written_offline_then_delivered_in_order(server: LiveServer, library: LibraryDB) -> None:
    clock = Clock()
    outbox = Outbox(library, server.url, clock=clock)
    first = outbox.post(dict(IDENTITY, title=f"Offline {uuid.uuid4().hex[:6]}"), "first!",
                        position_ms=83_000)  # fmt: skip
    reply = outbox.post(first.payload["identity"], "a reply to my own", parent=first.ref)
    outbox.like(first.ref)
    outbox.edit(first.ref, "first! (edited)")
    assert [e.state for e in outbox.entries()] == ["pending"] * 4

    client = account(server.url)
    down = SocialClient(f"http://127.0.0.1:{free_port()}", token=client.token, retries=0)
    delivery = outbox.deliver(down)
    assert delivery.sent == [] and isinstance(delivery.waiting, ServerUnreachable)
    assert outbox.entries(state="pending")[0].attempts == 1  # nothing lost, retried later

    assert outbox.deliver(client).sent == []  # not due yet: backing off
    clock.now += 3600
    delivery = outbox.deliver(client)
    assert [e.kind for e in delivery.sent] == ["post", "post", "like", "edit"]
    assert delivery.waiting is None and not delivery.failed
    song_id = outbox.entries()[0].result["song_id"]
    page = client.comments(song_id)
    [top] = page.items
    assert top.body == "first! (edited)" and top.position_ms == 83_000
    assert top.like_count == 1 and top.reply_count == 1
    assert [r.body for r in client.replies(top.id).items] == ["a reply to my own"]
    assert outbox.comment_id(reply.ref) == client.replies(top.id).items[0].id


def test_a_post_the_server_kept_is_not_duplicated_when_sent_again(
    server: LiveServer, library: LibraryDB
) -> None:
    """The answer was lost (a crash after the server committed): sending again is safe."""
    client = account(server.url)
    song = client.resolve(dict(IDENTITY, title=f"Lost answer {uuid.uuid4().hex[:6]}"))
    assert song.song_id is not None
    outbox = Outbox(library, server.url)
    entry = outbox.post(song.song_id, "said once")
    client.post(song.song_id, "said once", key=entry.idempotency_key)  # reached the server...
    # ...but the app died before marking it sent: the next run delivers it again
    again = Outbox(LibraryDB(library.path), server.url)
    assert [e.id for e in again.entries(state="pending")] == [entry.id]
    assert len(again.deliver(client).sent) == 1
    assert [c.body for c in client.comments(song.song_id).items] == ["said once"]


def test_a_refused_entry_fails_alone_and_what_depends_on_it_too(
    server: LiveServer, library: LibraryDB
) -> None:
    client = account(server.url)
    song = client.resolve(dict(IDENTITY, title=f"Refused {uuid.uuid4().hex[:6]}"))
    assert song.song_id is not None
    outbox = Outbox(library, server.url)
    bad = outbox.post(song.song_id, "evil \u202e override")
    outbox.like(bad.ref)
    good = outbox.post(song.song_id, "a fine comment")
    delivery = outbox.deliver(client)
    assert [e.id for e, _ in delivery.failed] == [bad.id, bad.id + 1]
    assert [e.id for e in delivery.sent] == [good.id]
    assert all(error.short for _, error in delivery.failed)
    states = {e.id: (e.state, e.last_error) for e in outbox.entries()}
    assert states[bad.id][0] == "failed" and states[bad.id][1]
    assert [c.body for c in client.comments(song.song_id).items] == ["a fine comment"]


def test_signed_out_entries_wait_for_an_account(server: LiveServer, library: LibraryDB) -> None:
    outbox = Outbox(library, server.url)
    outbox.post(dict(IDENTITY, title=f"Later {uuid.uuid4().hex[:6]}"), "when I sign in")
    delivery = outbox.deliver(SocialClient(server.url))
    assert delivery.sent == [] and delivery.waiting is not None
    assert [e.state for e in outbox.entries()] == ["pending"]
