"""One server and its account (open_account), and reading comments online or from the cache."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from player.config import Paths
from player.library.scanner import Scanner
from player.library.store import LibraryDB
from player.social.client import SocialClient
from player.social.credentials import TokenStore
from player.social.reading import read_comments
from player.social.session import ACCOUNTS_FILE, LEGACY_USER_SUFFIX, Usernames, open_account
from player.social.songs import CommentCache, SongIds
from tests.audiogen import make_audio, requires_ffmpeg, tag
from tests.social.live_server import LiveServer, free_port

PASSWORD = "correct horse battery"


def test_signing_in_keeps_the_token_and_the_name_for_the_next_start(
    kindred_home: Path, tmp_path: Path
) -> None:
    with LiveServer(tmp_path / "server") as server:
        name = "s_" + uuid.uuid4().hex[:8]
        first = open_account(Paths.resolve(), server.url + "/")
        assert first.server == server.url and not first.signed_in and first.username == ""
        first.sign_in(name, PASSWORD, register=True)
        again = open_account(Paths.resolve(), server.url)
        assert again.signed_in and again.username == name
        assert again.client.token == first.client.token
        # the name is not a secret: beside the settings, not in the token store
        names = json.loads((Paths.resolve().config_dir / ACCOUNTS_FILE).read_text())
        assert names == {server.url: name}
        assert TokenStore(Paths.resolve()).get(server.url + LEGACY_USER_SUFFIX) is None
        again.sign_out()
        after = open_account(Paths.resolve(), server.url)
        assert not after.signed_in and after.username == ""
        assert not (Paths.resolve().config_dir / ACCOUNTS_FILE).read_text().count(name)


def test_a_name_kept_the_old_way_is_moved_on_first_read(kindred_home: Path) -> None:
    url = "https://comments.example"
    tokens = TokenStore(Paths.resolve())
    tokens.set(url, "old-token")
    tokens.set(url + LEGACY_USER_SUFFIX, "alice")
    account = open_account(Paths.resolve(), url)
    assert account.signed_in and account.username == "alice"
    assert tokens.get(url + LEGACY_USER_SUFFIX) is None  # moved...
    assert Usernames(Paths.resolve()).get(url) == "alice"  # ...here
    assert open_account(Paths.resolve(), url).username == "alice"


def test_a_damaged_accounts_file_is_ignored(kindred_home: Path) -> None:
    names = Usernames(Paths.resolve())
    names.file.parent.mkdir(parents=True, exist_ok=True)
    names.file.write_text("{not json", encoding="utf-8")
    assert names.get("https://x") == ""
    names.set("https://x", "bob")
    assert names.get("https://x") == "bob"


@requires_ffmpeg
def test_reading_falls_back_to_the_cache_marked_stale(kindred_home: Path, tmp_path: Path) -> None:
    music = tmp_path / "music"
    music.mkdir()
    for n in (1, 2):
        song = make_audio(music / f"song{n}.flac", "flac", seconds=2.0, freq=200.0 + 100 * n)
        tag(song, title=f"Read {n} {uuid.uuid4().hex[:6]}", artists=["Kindred"])
    with LiveServer(tmp_path / "server") as server, LibraryDB(tmp_path / "lib.db") as db:
        Scanner(db).scan([str(music)])
        track_id, other = [row[0] for row in db.conn.execute("SELECT id FROM tracks ORDER BY id")]
        url = server.url
        songs, cache = SongIds(db, url, with_fingerprint=False), CommentCache(db, url)
        anonymous = SocialClient(url, retries=0)
        nothing = read_comments(anonymous, songs, cache, track_id, {"new": 5})
        assert nothing.song_id is None and not nothing.stale and nothing.page("new").items == []
        account = open_account(Paths.resolve(), url, retries=0)
        account.sign_in("r_" + uuid.uuid4().hex[:8], PASSWORD, register=True)
        song_id = songs.song_id(track_id, account.client)  # signed in: the song is made
        assert song_id is not None
        account.client.post(song_id, "cached words")
        fresh = read_comments(anonymous, songs, cache, track_id, {"new": 5, "hot": 3})
        assert not fresh.stale and [c.body for c in fresh.page("new").items] == ["cached words"]
        down = SocialClient(f"http://127.0.0.1:{free_port()}", retries=0)
        stale = read_comments(down, songs, cache, track_id, {"new": 5})
        assert stale.stale and stale.cached and stale.error is not None
        assert [c.body for c in stale.page("new").items] == ["cached words"]
        never = read_comments(down, songs, cache, other, {"new": 5})
        assert never.stale and not never.cached and never.page("new").items == []
