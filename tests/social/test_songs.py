"""Song identity against the real server: two files of one recording, one thread."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from player.library.scanner import Scanner
from player.library.store import LibraryDB
from player.social.client import SocialClient
from player.social.songs import CommentCache, SongIds, fingerprint, identity
from tests.audiogen import make_audio, requires_ffmpeg, tag
from tests.social.live_server import LiveServer, free_port

pytestmark = requires_ffmpeg
needs_fpcalc = pytest.mark.skipif(
    shutil.which("fpcalc") is None, reason="fpcalc not installed (CI installs libchromaprint-tools)"
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with LiveServer(tmp_path_factory.mktemp("server")) as live:
        yield live


@pytest.fixture
def library(tmp_path: Path) -> Iterator[tuple[LibraryDB, list[int]]]:
    music = tmp_path / "music"
    music.mkdir()
    title = f"Same Song {uuid.uuid4().hex[:6]}"
    for fmt in ("flac", "mp3"):
        path = make_audio(music / f"song.{fmt}", fmt, seconds=12.0, freq=330.0)
        tag(path, title=f"{title} (2011 Remaster)" if fmt == "mp3" else title,
            artists=["周杰伦"], album="叶惠美")  # fmt: skip
    db = LibraryDB(tmp_path / "library.db")
    Scanner(db).scan([str(music)])
    ids = [row[0] for row in db.conn.execute("SELECT id FROM tracks ORDER BY path")]
    yield db, ids
    db.close()


def signed_in(url: str) -> SocialClient:
    client = SocialClient(url, backoff_s=0.01, retries=0)
    name = "u_" + uuid.uuid4().hex[:10]
    client.register(name, "correct horse battery")
    client.sign_in(name, "correct horse battery")
    return client


def test_two_files_of_one_recording_share_a_thread(
    server: LiveServer, library: tuple[LibraryDB, list[int]]
) -> None:
    db, (flac, mp3) = library
    client = signed_in(server.url)
    songs = SongIds(db, server.url, with_fingerprint=False)
    first = songs.song_id(flac, client)
    assert first is not None
    assert songs.song_id(mp3, client) == first  # "(2011 Remaster)" is clutter
    dead = SocialClient(f"http://127.0.0.1:{free_port()}", retries=0)
    assert songs.song_id(flac, dead) == first  # resolved once: cached in the library
    assert SongIds(db, "http://another.example").cached(flac) is None  # per server


@needs_fpcalc
def test_identity_carries_a_fingerprint_when_fpcalc_is_there(
    library: tuple[LibraryDB, list[int]],
) -> None:
    db, (flac, _mp3) = library
    track = db.get_track(flac)
    assert track is not None
    found = identity(track)
    assert found["artist"] == "周杰伦" and found["album"] == "叶惠美"
    assert found["duration_ms"] == pytest.approx(12_000, abs=100)
    assert found["fingerprint"] == fingerprint(track.path) and len(found["fingerprint"]) > 20
    assert fingerprint(str(Path(track.path).with_suffix(".missing"))) is None


def test_comments_read_online_are_there_offline(
    server: LiveServer, library: tuple[LibraryDB, list[int]]
) -> None:
    db, (flac, _mp3) = library
    client = signed_in(server.url)
    song_id = SongIds(db, server.url, with_fingerprint=False).song_id(flac, client)
    assert song_id is not None
    client.post(song_id, "这首歌的前奏!", position_ms=5_000)
    page = client.comments(song_id)
    cache = CommentCache(db, server.url)
    cache.store(song_id, "new", page)
    cached = CommentCache(LibraryDB(db.path), server.url).load(song_id, "new")
    assert cached is not None and cached.stale
    assert [(c.body, c.position_ms, c.author) for c in cached.page.items] == [
        (c.body, c.position_ms, c.author) for c in page.items
    ]
    assert cache.load(song_id, "hot") is None
