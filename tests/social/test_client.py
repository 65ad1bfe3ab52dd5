"""The comment API client against the real server app on a loopback port."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from player.social.client import SocialClient
from player.social.errors import (
    BadAnswer,
    NotSignedIn,
    RateLimited,
    Refused,
    ServerUnreachable,
)
from tests.social.live_server import LiveServer, free_port


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with LiveServer(tmp_path_factory.mktemp("server")) as live:
        yield live


def signed_in(server: LiveServer, name: str | None = None) -> SocialClient:
    client = SocialClient(server.url, backoff_s=0.01)
    name = name or "u_" + uuid.uuid4().hex[:10]
    client.register(name, "correct horse battery")
    client.sign_in(name, "correct horse battery")
    return client


def test_an_account_posts_reads_likes_and_signs_out(server: LiveServer) -> None:
    alice = signed_in(server, "alice_" + uuid.uuid4().hex[:6])
    song = alice.resolve({"artist": "周杰伦", "title": "晴天", "duration_ms": 269_000})
    assert song.song_id is not None and song.comment_count == 0

    first = alice.post(song.song_id, "the intro!", position_ms=12_000)
    assert first.body == "the intro!" and first.position_ms == 12_000
    assert first.author is not None and first.author.username.startswith("alice_")
    reply = alice.post(song.song_id, "agreed", parent_id=first.id)
    assert reply.parent_id == first.id

    page = alice.comments(song.song_id)
    assert [c.id for c in page.items] == [first.id] and page.items[0].reply_count == 1
    assert [c.body for c in alice.replies(first.id).items] == ["agreed"]
    assert alice.counts([song.song_id]) == {song.song_id: 2}  # replies count too

    assert alice.like(first.id).like_count == 1
    assert alice.like(first.id).like_count == 1  # liking twice counts once
    assert alice.like(first.id, liked=False).like_count == 0

    edited = alice.edit(first.id, "the intro!!")
    assert edited.body == "the intro!!" and edited.edited_at is not None
    alice.delete(reply.id)
    alice.delete(reply.id)  # a retried delete of what is gone is not an error
    alice.sign_out()
    assert alice.token is None
    with pytest.raises(NotSignedIn):
        alice.post(song.song_id, "after signing out")


def test_a_retried_post_with_its_key_is_not_duplicated(server: LiveServer) -> None:
    bob = signed_in(server)
    song = bob.resolve({"artist": "Kindred", "title": "Idempotent", "duration_ms": 100_000})
    assert song.song_id is not None
    key = str(uuid.uuid4())
    one = bob.post(song.song_id, "only once", key=key)
    again = bob.post(song.song_id, "only once", key=key)
    assert again.id == one.id
    assert [c.id for c in bob.comments(song.song_id).items] == [one.id]
    with pytest.raises(Refused) as info:
        bob.post(song.song_id, "a different body", key=key)
    assert info.value.status == 409


def test_polling_an_unchanged_page_costs_a_304(server: LiveServer) -> None:
    carol = signed_in(server)
    song = carol.resolve({"artist": "Kindred", "title": "Polled", "duration_ms": 90_000})
    assert song.song_id is not None
    carol.post(song.song_id, "hello")
    reader = SocialClient(server.url)  # anonymous: reads need no account
    page = reader.comments(song.song_id)
    assert page.etag and len(page.items) == 1
    again = reader.comments(song.song_id, etag=page.etag)
    assert again.not_modified and again.items == []
    carol.post(song.song_id, "something new")
    fresh = reader.comments(song.song_id, etag=page.etag)
    assert not fresh.not_modified and len(fresh.items) == 2


def test_refusals_are_readable(server: LiveServer) -> None:
    dave = signed_in(server)
    with pytest.raises(Refused) as taken:
        SocialClient(server.url).register(
            dave_name := "taken_" + uuid.uuid4().hex[:6], "pw-long-enough"
        )
        SocialClient(server.url).register(dave_name, "pw-long-enough")
    assert taken.value.status == 409 and taken.value.short
    with pytest.raises(NotSignedIn):
        SocialClient(server.url).sign_in("nobody_here", "wrong password")
    song = dave.resolve({"artist": "Kindred", "title": "Rules", "duration_ms": 60_000})
    assert song.song_id is not None
    with pytest.raises(Refused) as bidi:
        dave.post(song.song_id, "evil \u202e text")
    assert bidi.value.status in (400, 422) and bidi.value.short


def test_rate_limits_say_how_long_to_wait(tmp_path: Path) -> None:
    with LiveServer(tmp_path, rate_scale=0.01) as strict:  # every limit down to 1
        client = SocialClient(strict.url, backoff_s=0.01)
        client.register("first_user", "correct horse battery")
        with pytest.raises(RateLimited) as info:
            client.register("second_user", "correct horse battery")
    assert info.value.wait_s > 0 and "try again in" in info.value.short


def test_a_server_that_is_down_is_retried_then_reported() -> None:
    waits: list[float] = []
    client = SocialClient(f"http://127.0.0.1:{free_port()}", retries=3, backoff_s=0.1,
                          sleep=waits.append)  # fmt: skip
    with pytest.raises(ServerUnreachable) as info:
        client.comments(1)
    assert len(waits) == 3 and waits[0] < waits[1] < waits[2]  # exponential backoff
    assert "cannot be reached" in info.value.short
    with pytest.raises(ServerUnreachable):
        client.resolve({"title": "x"})


class Garbage(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self._answer()

    def _answer(self) -> None:
        body = b"<html><body>502 Bad Gateway... just kidding, 200</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_a_server_that_sends_garbage_gives_a_clear_error() -> None:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Garbage)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        client = SocialClient(f"http://127.0.0.1:{httpd.server_address[1]}")
        with pytest.raises(BadAnswer) as info:
            client.comments(1)
        assert "cannot read" in info.value.short
        with pytest.raises(BadAnswer):
            client.resolve({"title": "x"})
    finally:
        httpd.shutdown()
