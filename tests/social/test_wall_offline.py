"""The window's comment wall (player.social.wall): the library's songs found, and the
last wall kept for when the server cannot be reached."""

from __future__ import annotations

import uuid
from pathlib import Path

from player.config import Paths
from player.library.store import LibraryDB
from player.social.client import SocialClient
from player.social.credentials import TokenStore
from player.social.errors import ServerUnreachable
from player.social.service import CommentsService
from player.social.session import ServerAccount, Usernames
from player.social.songs import identity
from player.social.wall import load_wall
from tests.audiogen import requires_ffmpeg
from tests.social.live_server import LiveServer
from tests.social.test_service import PASSWORD, library_with_one_song


@requires_ffmpeg
def test_the_wall_marks_held_songs_and_is_kept_for_offline(tmp_path: Path) -> None:
    db_path = library_with_one_song(tmp_path)
    with LibraryDB(db_path) as db:
        track_id = db.conn.execute("SELECT id FROM tracks ORDER BY id LIMIT 1").fetchone()[0]
        track = db.get_track(track_id)
    tokens, names = TokenStore(Paths.resolve()), Usernames(Paths.resolve())
    with LiveServer(tmp_path / "server") as server:
        client = SocialClient(server.url, retries=0)
        name = "u_" + uuid.uuid4().hex[:10]
        client.register(name, PASSWORD)
        client.sign_in(name, PASSWORD)
        mine = client.resolve(identity(track, with_fingerprint=False)).song_id
        other = client.resolve({"artist": "Elsewhere", "title": "Not Held"}).song_id
        assert mine is not None and other is not None
        loved = client.post(mine, "heard it first")
        client.like(loved.id)
        client.post(other, "somewhere else")
        anon = SocialClient(server.url, retries=0)
        service = CommentsService(
            server.url, db_path, account=ServerAccount(server.url, anon, tokens, names)
        )
        wall = load_wall(service)
        assert not wall.stale
        assert [(i.comment.body, i.track_id) for i in wall.items] == [
            ("heard it first", track_id),
            ("somewhere else", None),
        ]
    # the server is gone: the same wall, from the cache, marked stale
    offline = load_wall(service)
    assert offline.stale and isinstance(offline.error, ServerUnreachable)
    assert [(i.comment.body, i.track_id) for i in offline.items] == [
        ("heard it first", track_id),
        ("somewhere else", None),
    ]
    assert offline.items[1].song is not None and offline.items[1].song.title == "Not Held"
    never = CommentsService("", db_path, account=ServerAccount("", anon, tokens, names))
    assert load_wall(never).items == []
