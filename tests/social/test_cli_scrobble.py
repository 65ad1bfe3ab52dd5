"""``kindred scrobble``: sign in, see what waits, send, sign out, against the local
ListenBrainz and Last.fm stand-ins."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from player.cli import main
from player.config import Paths, Settings
from player.library.scrobble_queue import Listen, ScrobbleQueue
from player.library.store import LibraryDB
from player.social.scrobble.accounts import ScrobbleSettings
from tests.social import scrobble_servers as fake


@pytest.fixture
def servers() -> Iterator[tuple[fake.ListenBrainz, fake.Lastfm]]:
    with fake.serving(fake.ListenBrainz()) as lb, fake.serving(fake.Lastfm()) as fm:
        settings = Settings()
        ScrobbleSettings(listenbrainz_url=lb.url, lastfm_url=fm.url, lastfm_api_key=fake.API_KEY,
                         lastfm_api_secret=fake.SECRET).store(settings)  # fmt: skip
        settings.save(Paths.resolve())
        yield lb, fm  # type: ignore[misc]


def status(capsys: pytest.CaptureFixture[str], db: Path) -> dict[str, dict]:
    capsys.readouterr()
    assert main(["scrobble", "status", "--json", "--db", str(db)]) == 0
    return {row["service"]: row for row in json.loads(capsys.readouterr().out)}


def test_login_status_send_logout(
    servers: tuple[fake.ListenBrainz, fake.Lastfm],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lb, fm = servers
    db = tmp_path / "library.db"
    monkeypatch.setattr("sys.stdin", io.StringIO(fake.LB_TOKEN + "\n"))
    assert main(["scrobble", "login", "--service", "listenbrainz", "--password-stdin",
                 "--db", str(db)]) == 0  # fmt: skip
    assert f"as {fake.LB_USER}" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO(fake.FM_PASSWORD + "\n"))
    assert main(["scrobble", "login", "--service", "lastfm", "--username", fake.FM_USER,
                 "--password-stdin", "--db", str(db)]) == 0  # fmt: skip

    with LibraryDB(db) as library:
        for i in range(3):
            ScrobbleQueue(library).add(["listenbrainz", "lastfm"],
                                       Listen("Kindred", f"Song {i}", 1_700_000_000 + i * 300))  # fmt: skip
    rows = status(capsys, db)
    assert rows["listenbrainz"]["user"] == fake.LB_USER and rows["listenbrainz"]["pending"] == 3
    assert rows["lastfm"]["user"] == fake.FM_USER and rows["lastfm"]["pending"] == 3

    assert main(["scrobble", "send", "--service", "lastfm", "--db", str(db)]) == 0
    assert "Last.fm: 3 sent" in capsys.readouterr().out
    assert [s["track"] for s in fm.scrobbles] == ["Song 0", "Song 1", "Song 2"]
    assert status(capsys, db)["listenbrainz"]["pending"] == 3  # only the one asked for

    assert main(["scrobble", "send", "--db", str(db)]) == 0
    assert len(lb.listens) == 3 and len(fm.scrobbles) == 3
    assert main(["scrobble", "logout", "--service", "listenbrainz", "--db", str(db)]) == 0
    rows = status(capsys, db)
    assert rows["listenbrainz"]["user"] == "" and rows["lastfm"]["sent"] == 3
    assert lb.rejected == [] and fm.rejected == []


def test_send_says_why_it_waits(
    servers: tuple[fake.ListenBrainz, fake.Lastfm], tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    db = tmp_path / "library.db"
    with LibraryDB(db) as library:
        ScrobbleQueue(library).add(["lastfm"], Listen("Kindred", "Song", 1_700_000_000))
    assert main(["scrobble", "send", "--service", "lastfm", "--db", str(db)]) == 1
    assert "Sign in to Last.fm" in capsys.readouterr().err
    assert main(["scrobble", "status", "--db", str(db)]) == 0
    assert "Last.fm: signed out; 1 waiting" in capsys.readouterr().out


def test_a_wrong_password_is_one_clear_line(
    servers: tuple[fake.ListenBrainz, fake.Lastfm], tmp_path: Path,
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setattr("sys.stdin", io.StringIO("wrong\n"))
    code = main(["scrobble", "login", "--service", "lastfm", "--username", fake.FM_USER,
                 "--password-stdin", "--db", str(tmp_path / "l.db")])  # fmt: skip
    assert code != 0
    assert "Last.fm did not accept the sign-in" in capsys.readouterr().err
