"""Scrobbling: the rules, the durable queue and both services' contracts, against
local servers that refuse any request the services' documentation would refuse."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from player.config import Paths, Settings
from player.library.scrobble_queue import Listen, ScrobbleQueue
from player.library.store import LibraryDB
from player.social.credentials import MemoryKeys, TokenStore
from player.social.scrobble import lastfm
from player.social.scrobble.accounts import LASTFM, LISTENBRAINZ, ScrobbleSettings, Scrobbling
from player.social.scrobble.errors import SignInNeeded, TryLater
from player.social.scrobble.rules import ScrobbleRule, radio_title
from tests.social import scrobble_servers as fake

ROOT = Path(__file__).resolve().parents[2]


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def library(tmp_path: Path) -> Iterator[LibraryDB]:
    db = LibraryDB(tmp_path / "library.db")
    yield db
    db.close()


@pytest.fixture
def lb() -> Iterator[fake.ListenBrainz]:
    with fake.serving(fake.ListenBrainz()) as service:
        yield service  # type: ignore[misc]


@pytest.fixture
def fm() -> Iterator[fake.Lastfm]:
    with fake.serving(fake.Lastfm()) as service:
        yield service  # type: ignore[misc]


def scrobbling(library: LibraryDB, clock: Clock, lb_url: str = "", fm_url: str = "") -> Scrobbling:
    settings = Settings()
    ScrobbleSettings(
        listenbrainz_url=lb_url or "http://127.0.0.1:9",
        lastfm_url=fm_url or "http://127.0.0.1:9/2.0/",
        lastfm_api_key=fake.API_KEY,
        lastfm_api_secret=fake.SECRET,
    ).store(settings)
    tokens = TokenStore(Paths.resolve(), backend=MemoryKeys())
    return Scrobbling(library, settings, Paths.resolve(), tokens=tokens, clock=clock)


def listen(i: int, title: str = "") -> Listen:
    return Listen(artist="Kindred", title=title or f"Song {i}", listened_at=1_700_000_000 + i * 300,
                  album="Tests", duration_ms=200_000, track_number=i % 20 + 1)  # fmt: skip


# ---- the rules -----------------------------------------------------------------
def play(rule: ScrobbleRule, start: int, end: int, step: int = 250) -> None:
    for pos in range(start, end + 1, step):
        rule.tick(pos)


def test_half_the_length_is_enough_for_a_short_track() -> None:
    rule = ScrobbleRule(duration_ms=200_000, started_at=0)
    play(rule, 0, 99_000)
    assert not rule.due
    play(rule, 99_000, 100_000)
    assert rule.due and rule.listened_ms == 100_000


def test_four_minutes_is_enough_for_a_long_track() -> None:
    rule = ScrobbleRule(duration_ms=20 * 60_000, started_at=0)
    play(rule, 0, 239_750)
    assert not rule.due
    play(rule, 239_750, 240_000)
    assert rule.due


def test_thirty_seconds_or_less_is_never_scrobbled() -> None:
    rule = ScrobbleRule(duration_ms=30_000, started_at=0)
    play(rule, 0, 30_000)
    assert rule.listened_ms == 30_000 and not rule.eligible and not rule.due


def test_a_seek_forward_does_not_count() -> None:
    rule = ScrobbleRule(duration_ms=200_000, started_at=0)
    play(rule, 0, 10_000)
    rule.seek(150_000)  # jumped to near the end
    play(rule, 150_000, 200_000)
    assert rule.listened_ms == 60_000 and not rule.due


def test_an_unannounced_jump_between_ticks_does_not_count() -> None:
    rule = ScrobbleRule(duration_ms=200_000, started_at=0)
    play(rule, 0, 10_000)
    rule.tick(160_000)  # a seek seen only as a jump of the position
    play(rule, 160_000, 200_000)
    assert rule.listened_ms == 50_000


def test_a_pause_adds_nothing_and_seeking_back_counts_again() -> None:
    rule = ScrobbleRule(duration_ms=200_000, started_at=0)
    play(rule, 0, 40_000)
    rule.pause()
    for _ in range(100):  # ticks while paused (the position may even creep)
        rule.tick(40_000)
    rule.tick(44_000)
    assert rule.listened_ms == 40_000
    rule.resume(44_000)
    play(rule, 44_000, 64_000)
    rule.seek(0)
    play(rule, 0, 40_000)
    assert rule.listened_ms == 100_000 and rule.due


def test_a_radio_title_counts_after_thirty_seconds() -> None:
    rule = radio_title(0, 5_000_000)
    play(rule, 5_000_000, 5_029_750)
    assert not rule.due
    rule.tick(5_030_000)
    assert rule.due


# ---- ListenBrainz ----------------------------------------------------------------
def test_listenbrainz_sign_in_now_playing_and_batches(
    library: LibraryDB, lb: fake.ListenBrainz
) -> None:
    s = scrobbling(library, Clock(), lb_url=lb.url)
    with pytest.raises(SignInNeeded):
        s.login_listenbrainz("wrong")
    assert s.login_listenbrainz(fake.LB_TOKEN) == fake.LB_USER
    assert s.now_playing(listen(0)) == [LISTENBRAINZ]
    assert lb.playing_now[0]["track_metadata"]["track_name"] == "Song 0"

    for i in range(2_100):
        s.record(listen(i))
    report = s.send()[LISTENBRAINZ]
    assert report.sent == 2_100 and report.waiting is None
    kinds = [(r["listen_type"], len(r["payload"])) for r in lb.requests[1:]]
    assert kinds == [("import", 1000), ("import", 1000), ("import", 100)]
    assert [x["track_metadata"]["track_name"] for x in lb.listens] == [
        f"Song {i}" for i in range(2_100)
    ]
    s.record(listen(5_000))
    assert s.send()[LISTENBRAINZ].sent == 1
    assert lb.requests[-1]["listen_type"] == "single"
    assert lb.rejected == []
    assert s.queue.counts(LISTENBRAINZ) == {"pending": 0, "sent": 2_101, "dropped": 0}


def test_listenbrainz_errors(library: LibraryDB, lb: fake.ListenBrainz) -> None:
    clock = Clock()
    s = scrobbling(library, clock, lb_url=lb.url)
    s.login_listenbrainz(fake.LB_TOKEN)
    for i in range(3):
        s.record(listen(i))

    # 429: wait as long as X-RateLimit-Reset-In says, then go on
    lb.fail_next.append((429, {"code": 429, "error": "Too many requests"},
                         {"X-RateLimit-Reset-In": "7"}))  # fmt: skip
    report = s.send()[LISTENBRAINZ]
    assert isinstance(report.waiting, TryLater) and report.sent == 0
    assert s.queue.due_at(LISTENBRAINZ) == clock.now + 7
    assert s.send()[LISTENBRAINZ].sent == 0  # still waiting
    clock.now += 8
    assert s.send()[LISTENBRAINZ].sent == 3

    # 400 in a batch: only the listen it means is dropped, with the reason
    lb.invalid_titles.add("Bad")
    s.record(listen(10))
    s.record(listen(11, "Bad"))
    s.record(listen(12))
    report = s.send()[LISTENBRAINZ]
    assert report.sent == 2 and [(d[0].title) for d in report.dropped] == ["Bad"]
    dropped = s.queue.rows(LISTENBRAINZ, "dropped")
    assert "track_name is not valid" in dropped[0].last_error
    assert [x["track_metadata"]["track_name"] for x in lb.listens][-2:] == ["Song 10", "Song 12"]

    # 401: sign in again; the queue is kept and goes out after it
    lb.token = "rotated"
    s.record(listen(20))
    report = s.send()[LISTENBRAINZ]
    assert isinstance(report.waiting, SignInNeeded)
    status = {x.service: x for x in s.status()}[LISTENBRAINZ]
    assert status.sign_in_again and status.pending == 1
    assert isinstance(s.send()[LISTENBRAINZ].waiting, SignInNeeded)  # nothing sent meanwhile
    s.login_listenbrainz("rotated")
    assert s.send()[LISTENBRAINZ].sent == 1
    assert lb.rejected == []


# ---- Last.fm -------------------------------------------------------------------
def test_lastfm_signature_is_the_documented_one() -> None:
    params = {"method": "auth.getSession", "api_key": "abc", "token": "t", "format": "json"}
    # api_keyabcmethodauth.getSessiontokent + secret
    import hashlib

    expected = hashlib.md5(b"api_keyabcmethodauth.getSessiontokentSECRET").hexdigest()
    assert lastfm.api_sig(params, "SECRET") == expected


def test_lastfm_mobile_sign_in_now_playing_and_batches_of_fifty(
    library: LibraryDB, fm: fake.Lastfm
) -> None:
    s = scrobbling(library, Clock(), fm_url=fm.url)
    with pytest.raises(lastfm.LastfmRefused):
        s.login_lastfm(fake.FM_USER, "wrong")
    assert s.login_lastfm(fake.FM_USER, fake.FM_PASSWORD) == fake.FM_USER
    assert s.now_playing(listen(0)) == [LASTFM]
    assert fm.now_playing[0]["track"] == "Song 0" and fm.now_playing[0]["duration"] == "200"

    for i in range(120):
        s.record(listen(i))
    assert s.send()[LASTFM].sent == 120
    sizes = [sum(1 for k in r if k.startswith("artist[")) for r in fm.requests]
    assert sizes == [50, 50, 20]
    assert [x["track"] for x in fm.scrobbles] == [f"Song {i}" for i in range(120)]
    assert fm.scrobbles[7]["timestamp"] == str(listen(7).listened_at)
    assert fm.rejected == []


def test_lastfm_desktop_sign_in(library: LibraryDB, fm: fake.Lastfm) -> None:
    s = scrobbling(library, Clock(), fm_url=fm.url)
    token, url = s.lastfm_begin()
    assert url.startswith(lastfm.DEFAULT_AUTH_PAGE)
    assert f"token={token}" in url and f"api_key={fake.API_KEY}" in url
    with pytest.raises(lastfm.LastfmRefused) as refused:  # not allowed in the browser yet
        s.lastfm_finish(token)
    assert refused.value.code == 14
    fm.tokens[token] = True  # the person allowed it
    assert s.lastfm_finish(token) == fake.FM_USER
    assert s.signed_in(LASTFM) and not s.signed_in(LISTENBRAINZ)
    s.logout(LASTFM)
    assert not s.signed_in(LASTFM)


def test_lastfm_error_codes(library: LibraryDB, fm: fake.Lastfm) -> None:
    clock = Clock()
    s = scrobbling(library, clock, fm_url=fm.url)
    s.login_lastfm(fake.FM_USER, fake.FM_PASSWORD)
    s.record(listen(0))
    # 29 waits a minute; 11, 16 and 8 back off, doubling per attempt
    for code, wait in ((29, 60.0), (11, 60.0), (16, 120.0), (8, 240.0)):
        fm.fail_next.append((200, {"error": code, "message": "later"}, {}))
        report = s.send()[LASTFM]
        assert isinstance(report.waiting, TryLater), code
        assert s.queue.due_at(LASTFM) == clock.now + wait, code
        assert s.queue.counts(LASTFM)["pending"] == 1
        clock.now += wait
    assert s.send()[LASTFM].sent == 1

    # ignored as invalid: dropped with the reason; the rest of the batch is taken
    fm.ignore_titles = {"Ignored": 1, "Too old": 3}
    for i, title in enumerate(("A", "Ignored", "B", "Too old", "C")):
        s.record(listen(10 + i, title))
    report = s.send()[LASTFM]
    assert report.sent == 3 and sorted(d[0].title for d in report.dropped) == ["Ignored", "Too old"]
    assert {r.listen.title: r.last_error for r in s.queue.rows(LASTFM, "dropped")}["Too old"] == (
        "Last.fm ignored it: ignored (code 3)"
    )

    # 5, the daily limit: not the listen's fault, so it waits
    fm.ignore_titles = {"Over the limit": 5}
    s.record(listen(30, "Over the limit"))
    report = s.send()[LASTFM]
    assert isinstance(report.waiting, TryLater) and s.queue.counts(LASTFM)["pending"] == 1
    fm.ignore_titles = {}
    clock.now += 3600
    assert s.send()[LASTFM].sent == 1

    # 9, invalid session: sign in again, the queue is kept
    fm.session = "new-session"
    s.record(listen(40))
    assert isinstance(s.send()[LASTFM].waiting, SignInNeeded)
    assert s.now_playing(listen(41)) == []  # not tried while the sign-in is stale
    assert {x.service: x for x in s.status()}[LASTFM].sign_in_again
    s.login_lastfm(fake.FM_USER, fake.FM_PASSWORD)
    assert s.send()[LASTFM].sent == 1
    assert fm.rejected == []


def test_lastfm_keys_come_from_the_environment(
    library: LibraryDB, fm: fake.Lastfm, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = scrobbling(library, Clock(), fm_url=fm.url)
    config = s.config
    config.lastfm_api_key = config.lastfm_api_secret = ""
    config.store(s.settings)
    with pytest.raises(Exception, match="API key"):
        s.lastfm_begin()
    s.settings.extra.update(lastfm_api_key=fake.API_KEY, lastfm_api_secret=fake.SECRET)
    assert s.lastfm_begin()[0] == "token1"  # the settings file's top-level keys
    del s.settings.extra["lastfm_api_key"], s.settings.extra["lastfm_api_secret"]
    monkeypatch.setenv("KINDRED_LASTFM_API_KEY", fake.API_KEY)
    monkeypatch.setenv("KINDRED_LASTFM_API_SECRET", fake.SECRET)
    assert s.login_lastfm(fake.FM_USER, fake.FM_PASSWORD) == fake.FM_USER


# ---- durability --------------------------------------------------------------------
def test_an_outage_then_recovery(library: LibraryDB) -> None:
    clock = Clock()
    service = fake.ListenBrainz()
    with fake.serving(service) as up:
        s = scrobbling(library, clock, lb_url=up.url)
        s.login_listenbrainz(fake.LB_TOKEN)
        port = int(up.url.rsplit(":", 1)[1])
    for i in range(5):  # the server is gone: listens are queued all the same
        s.record(listen(i))
    for attempt in range(3):
        report = s.send()[LISTENBRAINZ]
        assert isinstance(report.waiting, TryLater) and report.sent == 0
        assert s.queue.due_at(LISTENBRAINZ) == clock.now + 30 * 2**attempt
        clock.now += 30 * 2**attempt
    assert s.queue.counts(LISTENBRAINZ)["pending"] == 5
    with fake.serving(service, port=port):
        assert s.send()[LISTENBRAINZ].sent == 5
    assert [x["track_metadata"]["track_name"] for x in service.listens] == [
        f"Song {i}" for i in range(5)
    ]
    assert len(service.requests) == 1


CHILD = """
import sys
from player.config import Paths, Settings
from player.library.store import LibraryDB
from player.social.credentials import MemoryKeys, TokenStore
from player.social.scrobble.accounts import Scrobbling, ScrobbleSettings
settings = Settings()
ScrobbleSettings(listenbrainz_url=sys.argv[2], lastfm_url=sys.argv[2],
                 lastfm_api_key=sys.argv[3], lastfm_api_secret=sys.argv[4]).store(settings)
s = Scrobbling(LibraryDB(sys.argv[1]), settings, Paths.resolve(),
               tokens=TokenStore(Paths.resolve(), backend=MemoryKeys()), save=False)
if sys.argv[5] == "listenbrainz":
    s.login_listenbrainz(sys.argv[6])
else:
    s.login_lastfm(sys.argv[6], sys.argv[7])
print("sending", flush=True)
s.send()
print("acknowledged", flush=True)
"""


@pytest.mark.parametrize("service", [LISTENBRAINZ, LASTFM])
def test_a_crash_between_send_and_acknowledgement_delivers_once(
    tmp_path: Path, service: str
) -> None:
    """A child process sends; the server stores the listens and, before it answers,
    the child is SIGKILLed, so the queue never learns they arrived. Sending again
    repeats the very same listens (same timestamps), and the service keeps each
    once: exactly once as the listener sees it, at-least-once on the wire."""
    server: fake.Service = fake.ListenBrainz() if service == LISTENBRAINZ else fake.Lastfm()
    db_file = tmp_path / "library.db"
    clock = Clock()
    with fake.serving(server), LibraryDB(db_file) as library:
        ScrobbleQueue(library).add([service], listen(1))
        ScrobbleQueue(library).add([service], listen(2))
        login = [fake.LB_TOKEN] if service == LISTENBRAINZ else [fake.FM_USER, fake.FM_PASSWORD]
        server.hold.clear()
        child = subprocess.Popen(
            [sys.executable, "-c", textwrap.dedent(CHILD), str(db_file), server.url,
             fake.API_KEY, fake.SECRET, service, *login],
            cwd=ROOT, env=os.environ.copy(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )  # fmt: skip
        try:
            assert server.stored.wait(60), child.stderr.read() if child.stderr else ""
            child.send_signal(signal.SIGKILL)
            child.wait(10)
        finally:
            server.hold.set()
            if child.poll() is None:
                child.kill()
        out = child.stdout.read().decode() if child.stdout else ""
        assert child.returncode == -signal.SIGKILL and "acknowledged" not in out
        queue = ScrobbleQueue(library)
        assert queue.counts(service)["pending"] == 2  # the answer never reached the queue

        s = scrobbling(library, clock, lb_url=server.url, fm_url=server.url)
        if service == LISTENBRAINZ:
            s.login_listenbrainz(fake.LB_TOKEN)
        else:
            s.login_lastfm(fake.FM_USER, fake.FM_PASSWORD)
        assert s.send()[service].sent == 2
        assert queue.counts(service) == {"pending": 0, "sent": 2, "dropped": 0}
        first, again = server.requests[0], server.requests[-1]
        assert first == again  # the retry is the same request: same listens, same times
        stored = server.listens if isinstance(server, fake.ListenBrainz) else server.scrobbles  # type: ignore[attr-defined]
        assert len(stored) == 2  # the service has each listen once
        assert s.send()[service].sent == 0  # nothing goes out a third time
        assert server.rejected == []


def test_a_version_11_library_gets_the_scrobble_queue(tmp_path: Path) -> None:
    import sqlite3

    from player.library.store import SCHEMA_VERSION

    with LibraryDB(tmp_path / "old.db"):
        pass
    raw = sqlite3.connect(tmp_path / "old.db")
    raw.execute("DROP TABLE scrobbles")
    raw.execute("PRAGMA user_version = 11")
    raw.commit()
    raw.close()
    with LibraryDB(tmp_path / "old.db") as db:
        assert db.version() == SCHEMA_VERSION >= 12
        assert ScrobbleQueue(db).add([LISTENBRAINZ], listen(1)) == [1]
        assert ScrobbleQueue(db).pending(LISTENBRAINZ)[0].listen == listen(1)
