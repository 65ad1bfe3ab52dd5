"""Scrobbling from the window: real playback (the fake engine's clock) through the
bridge, to the local ListenBrainz stand-in. Pauses and a seek forward do not count."""

from __future__ import annotations

import wave
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from player.audio.engine import PlaybackState
from player.audio.queue import QueueItem
from player.library.scrobble_queue import Listen, ScrobbleQueue
from player.social.scrobble.accounts import ScrobbleSettings, Scrobbling
from tests.social import scrobble_servers as fake


def silence(path: Path, seconds: int) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\0\0" * 8000 * seconds)
    return path


@pytest.fixture
def listenbrainz(make_ctx) -> Iterator[tuple[fake.ListenBrainz, Any]]:
    """The local ListenBrainz server, and a context signed in to it."""
    with fake.serving(fake.ListenBrainz()) as lb:
        ctx = make_ctx(None)
        ScrobbleSettings(listenbrainz_url=lb.url).store(ctx.settings)
        Scrobbling(ctx.library, ctx.settings, ctx.paths, save=False).login_listenbrainz(
            fake.LB_TOKEN
        )
        yield lb, ctx


def play_for(window, engine, ms: int) -> None:
    for _ in range(ms // 500):
        engine.advance(500)
        window.bridge.pump()


def test_a_track_is_scrobbled_after_half_its_length_heard(
    qtbot, open_window, listenbrainz, tmp_path
) -> None:
    lb, ctx = listenbrainz
    window, engine = open_window(ctx=ctx)
    song = silence(tmp_path / "song.wav", 60)
    item = QueueItem(str(song), title="Quiet", artist="Kindred", album="Tests",
                     duration_ms=60_000)  # fmt: skip
    window.bridge.play_items([item])
    qtbot.waitUntil(lambda: window.bridge.state is PlaybackState.PLAYING, timeout=5000)
    qtbot.waitUntil(lambda: len(lb.playing_now) == 1, timeout=5000)
    assert lb.playing_now[0]["track_metadata"]["track_name"] == "Quiet"

    play_for(window, engine, 10_000)  # 10 s heard
    window.bridge.pause()
    play_for(window, engine, 20_000)  # paused: nothing heard
    window.bridge.play()
    window.bridge.seek(30_000)  # skipped 20 s: not heard
    play_for(window, engine, 15_000)  # 25 s heard in all, 30 s needed
    qtbot.wait(300)
    assert lb.listens == []
    assert window.scrobbling.rule is not None
    assert 24_000 <= window.scrobbling.rule.listened_ms <= 26_000

    play_for(window, engine, 5_500)  # past half the length
    qtbot.waitUntil(lambda: len(lb.listens) == 1, timeout=5000)
    assert lb.listens[0]["track_metadata"]["artist_name"] == "Kindred"
    play_for(window, engine, 5_000)  # more of the same play: still one listen
    qtbot.wait(300)
    assert len(lb.requests) == 2 and lb.rejected == []


def test_radio_titles_are_scrobbled_when_the_setting_says_so(
    qtbot, open_window, listenbrainz
) -> None:
    lb, ctx = listenbrainz
    window, engine = open_window(ctx=ctx)
    station = QueueItem("http://127.0.0.1:9/live", title="Station", live=True)
    window.bridge.play_items([station])
    qtbot.waitUntil(lambda: window.bridge.state is PlaybackState.PLAYING, timeout=5000)
    engine.announce("Artist One - First Song")
    play_for(window, engine, 40_000)  # the setting is off: nothing
    qtbot.wait(300)
    assert lb.playing_now == [] and lb.listens == []

    config = ScrobbleSettings.of(ctx.settings)
    config.radio = True
    config.store(ctx.settings)
    engine.announce("Artist Two - Second Song")
    play_for(window, engine, 20_000)
    engine.announce("Station jingle")  # not "Artist - Title": not scrobbled
    play_for(window, engine, 40_000)
    engine.announce("Artist Three - Third Song")
    play_for(window, engine, 31_000)
    qtbot.waitUntil(lambda: len(lb.listens) == 1, timeout=5000)
    assert lb.listens[0]["track_metadata"]["artist_name"] == "Artist Three"
    assert [p["track_metadata"]["track_name"] for p in lb.playing_now] == [
        "Second Song", "Third Song"
    ]  # fmt: skip
    assert lb.rejected == []


def test_an_expired_sign_in_is_said_once_and_the_queue_waits(
    qtbot, open_window, listenbrainz
) -> None:
    lb, ctx = listenbrainz
    window, _ = open_window(ctx=ctx)
    lb.token = "revoked"
    ScrobbleQueue(ctx.library).add(["listenbrainz"], Listen("Kindred", "Kept", 1_700_000_000))
    window.scrobbling.send()
    qtbot.waitUntil(lambda: window.notice.isVisible(), timeout=5000)
    assert window.notice.title.text() == "Sign in to ListenBrainz again"
    window.notice.hide()
    window.scrobbling.send()
    qtbot.wait(500)
    assert not window.notice.isVisible()  # said once
    assert ScrobbleQueue(ctx.library).counts("listenbrainz")["pending"] == 1


def test_the_worker_leaves_the_settings_to_the_ui_thread(
    qtbot, open_window, listenbrainz, monkeypatch
) -> None:
    """An expired sign-in found while sending, and a sign-out from Settings, Accounts,
    change the settings on the UI thread (which owns them), saved there."""
    import threading

    from player.config import Paths, Settings

    saved_on: list[str] = []
    save = Settings.save

    def spy(self: Settings, paths: Paths | None = None) -> Path:
        saved_on.append(threading.current_thread().name)
        return save(self, paths)

    lb, ctx = listenbrainz
    window, _ = open_window(ctx=ctx)
    monkeypatch.setattr(Settings, "save", spy)
    lb.token = "revoked"
    ScrobbleQueue(ctx.library).add(["listenbrainz"], Listen("Kindred", "Kept", 1_700_000_000))
    window.scrobbling.send()
    qtbot.waitUntil(lambda: window.notice.isVisible(), timeout=5000)
    assert ScrobbleSettings.of(ctx.settings).sign_in_again == ["listenbrainz"]
    assert Settings.load(ctx.paths).extra["scrobble"]["sign_in_again"] == ["listenbrainz"]

    results: list[object] = []
    window.scrobbling.run(lambda s: s.logout("listenbrainz"), lambda r, e: results.append(e))
    qtbot.waitUntil(lambda: results == [None], timeout=5000)
    assert ScrobbleSettings.of(ctx.settings).users == {}  # applied before the answer
    assert saved_on and set(saved_on) == {threading.main_thread().name}, saved_on


def test_a_short_seek_forward_is_not_listening(qtbot, open_window, make_ctx, tmp_path) -> None:
    """The keyboard's seek forward (5 s) jumps less than the rule's largest tick gap:
    the window says it is a seek, so the 5 s are not counted."""
    window, engine = open_window(ctx=make_ctx(None))
    song = silence(tmp_path / "song.wav", 60)
    item = QueueItem(str(song), title="Quiet", artist="Kindred", duration_ms=60_000)
    window.bridge.play_items([item])
    qtbot.waitUntil(lambda: window.bridge.state is PlaybackState.PLAYING, timeout=5000)
    play_for(window, engine, 10_000)
    rule = window.scrobbling.rule
    assert rule is not None and 9_000 <= rule.listened_ms <= 10_000
    before = rule.listened_ms
    window.bridge.seek(window.bridge.controller.position() + 5000)
    window.bridge.seek(window.bridge.controller.position() + 3000)
    play_for(window, engine, 2_000)
    assert window.bridge.controller.position() >= 19_500  # 10 s played, 8 s jumped, 2 s played
    assert before + 1_500 <= rule.listened_ms <= before + 2_000
