"""The comments service (player.social.service) against the real comment server."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from player.config import Paths
from player.library.scanner import Scanner
from player.library.store import LibraryDB
from player.social.client import SocialClient
from player.social.credentials import TokenStore
from player.social.service import CommentsService
from player.social.session import ServerAccount, Usernames
from player.social.songs import identity
from tests.audiogen import make_audio, requires_ffmpeg, tag
from tests.social.live_server import LiveServer, free_port

PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with LiveServer(tmp_path_factory.mktemp("service-server")) as live:
        yield live


def library_with_one_song(folder: Path) -> Path:
    music = folder / "music"
    music.mkdir()
    path = make_audio(music / "song.flac", "flac", seconds=4.0, freq=330.0)
    tag(path, title=f"Heard First {uuid.uuid4().hex[:6]}", artists=["Someone"], album="Once")
    db_path = folder / "library.db"
    with LibraryDB(db_path) as db:
        Scanner(db, workers=1).scan([str(music)])
    return db_path


@requires_ffmpeg
def test_offline_the_cached_comments_show_marked_stale(server, tmp_path) -> None:
    db_path = library_with_one_song(tmp_path)
    with LibraryDB(db_path) as db:
        track_id = db.conn.execute("SELECT id FROM tracks ORDER BY id LIMIT 1").fetchone()[0]
        track = db.get_track(track_id)
    client = SocialClient(server.url, retries=0)
    name = "u_" + uuid.uuid4().hex[:10]
    client.register(name, PASSWORD)
    client.sign_in(name, PASSWORD)
    song_id = client.resolve(identity(track, with_fingerprint=False)).song_id
    client.post(song_id, "heard it first")
    tokens, names = TokenStore(Paths.resolve()), Usernames(Paths.resolve())

    def service(client: SocialClient) -> CommentsService:
        account = ServerAccount(server.url, client, tokens, names)
        return CommentsService(server.url, db_path, account=account)

    online = service(SocialClient(server.url))
    fresh = online.load(track_id)
    assert not fresh.stale and [c.body for c in fresh.new.items] == ["heard it first"]
    down = f"http://127.0.0.1:{free_port()}"
    offline = service(SocialClient(down, retries=0))
    cached = offline.load(track_id)
    assert cached.stale and cached.error is not None
    assert [c.body for c in cached.new.items] == ["heard it first"]


def test_the_building_thread_uses_the_lent_library_and_workers_their_own(tmp_path) -> None:
    db_path = tmp_path / "library.db"
    with LibraryDB(db_path) as library:
        service = CommentsService("http://127.0.0.1:1", db_path, library=library)
        assert service.db() is library
        seen: list[LibraryDB] = []
        worker = threading.Thread(target=lambda: seen.extend([service.db(), service.db()]))
        worker.start()
        worker.join()
        assert seen[0] is seen[1] and seen[0] is not library  # one per thread, kept
        seen[0].close()
