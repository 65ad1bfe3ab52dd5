"""Scrobbling with real audio: the window on Kindred's output stage, heard at a sink.

A private PulseAudio daemon with a null sink (:mod:`tests.pulse`) stands in
for the sound card and ``parec`` records its monitor. The window is opened on
the real engine (the output stage through PortAudio and ALSA's pulse plugin)
and the real scrobbler (:class:`~player.ui.playback.scrobbling.ScrobbleWatcher`)
sends to the local ListenBrainz and Last.fm stand-ins
(:mod:`tests.social.scrobble_servers`). The track is 34 s of a tone whose
pitch tells the second of the track it comes from, so the recording shows
which parts of the track the listener heard. It is played for 5 s, paused
for 2 s, played to 9 s, then sought to 21 s and played to its end: 22 s
heard, the listen due at 17 s heard (half its length), which comes past 0:28
of the track, not at 0:17.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from player.audio.engine import PlaybackState
from player.audio.queue import QueueItem
from player.social.scrobble.accounts import ScrobbleSettings, Scrobbling
from tests.pulse import RATE, PulseServer, pulse_missing, read_raw
from tests.sinegap import write_wav
from tests.social import scrobble_servers as fake


def _missing() -> str | None:
    problem = pulse_missing()
    if problem is None:
        from player.audio.output.sinks import portaudio_error

        error = portaudio_error()
        problem = error.short if error is not None else None
    return problem


pytestmark = pytest.mark.skipif(_missing() is not None, reason=str(_missing()))

SECONDS = 34
NEEDED_MS = SECONDS * 1000 // 2
PAUSE_AT, RESUME_AFTER_S, SEEK_FROM, SEEK_TO = 5000, 2.0, 9000, 21000
BASE_HZ, STEP_HZ = 300.0, 20.0
DONE = (PlaybackState.ENDED, PlaybackState.STOPPED, PlaybackState.IDLE)


def second_coded_tone(path: Path) -> Path:
    """A tone at BASE_HZ + STEP_HZ * k during second k of the track (phase continuous)."""
    freq = BASE_HZ + STEP_HZ * (np.arange(SECONDS * RATE) // RATE)
    phase = 2 * np.pi * np.cumsum(freq) / RATE
    mono = 0.3 * np.sin(phase)
    return write_wav(path, np.stack([mono, mono], axis=1), RATE)


def heard_seconds(recorded: np.ndarray) -> tuple[float, dict[int, int]]:
    """The time the sink sounded (10 ms blocks) and, per second of the track, how many
    clean 100 ms blocks of it the recording holds (read by the tone's pitch)."""
    mono = recorded[:, 0]
    small = RATE // 100
    levels = np.abs(mono[: len(mono) // small * small]).reshape(-1, small).max(axis=1)
    loud_s = float(np.count_nonzero(levels > 0.01)) / 100
    block = RATE // 10
    window = np.hanning(block)
    clean = 0.5 * float(levels.max()) if len(levels) else 1.0
    seconds: dict[int, int] = {}
    for start in range(0, len(mono) - block, block):
        chunk = mono[start : start + block]
        if np.abs(chunk).reshape(10, -1).max(axis=1).min() < clean:
            continue  # silence or a fade: not a clean block
        spectrum = np.abs(np.fft.rfft(chunk * window))
        hz = np.argmax(spectrum) * RATE / block
        k = round((hz - BASE_HZ) / STEP_HZ)
        if 0 <= k < SECONDS:
            seconds[k] = seconds.get(k, 0) + 1
    return loud_s, seconds


@pytest.fixture(scope="module")
def pulse() -> Iterator[PulseServer]:
    with PulseServer() as server, server.in_this_process():
        yield server


@pytest.fixture
def services() -> Iterator[tuple[fake.ListenBrainz, fake.Lastfm]]:
    with fake.serving(fake.ListenBrainz()) as lb, fake.serving(fake.Lastfm()) as fm:
        yield lb, fm


def test_real_playback_is_scrobbled_by_time_heard(
    pulse: PulseServer, qtbot, make_ctx, services, tmp_path: Path
) -> None:
    from player.app import window_parts
    from player.audio.output.lazystage import LazyStage
    from player.audio.output.stage import StageEngine
    from player.ui.main import application, build_window

    lb, fm = services
    ctx = make_ctx(None)
    ScrobbleSettings(listenbrainz_url=lb.url, lastfm_url=fm.url, lastfm_api_key=fake.API_KEY,
                     lastfm_api_secret=fake.SECRET).store(ctx.settings)  # fmt: skip
    accounts = Scrobbling(ctx.library, ctx.settings, ctx.paths, save=False)
    accounts.login_listenbrainz(fake.LB_TOKEN)
    accounts.login_lastfm(fake.FM_USER, fake.FM_PASSWORD)
    song = second_coded_tone(tmp_path / "tone.wav")
    item = QueueItem(str(song), title="Pitch Clock", artist="Kindred", album="Tests",
                     duration_ms=SECONDS * 1000)  # fmt: skip

    application()
    parts = window_parts(ctx)
    # the output stage, built once the window is shown (LazyStage) or at the first play
    assert isinstance(parts.engine, LazyStage) and parts.engine_problem is None
    window = build_window(parts, restore=False)
    qtbot.addWidget(window)
    window.show()
    bridge, watcher = window.bridge, window.scrobbling
    # per position tick: (position, listened so far, listens each service holds)
    ticks: list[tuple[int, int, int, int]] = []

    def tick(position: int, _duration: int) -> None:
        if watcher.rule is not None:
            ticks.append((position, watcher.rule.listened_ms, len(lb.listens),
                          len(fm.scrobbles)))  # fmt: skip

    bridge.positionChanged.connect(tick)
    rec_path = tmp_path / "rec.raw"
    try:
        with pulse.recording(rec_path):
            started = time.time()
            bridge.play_items([item])
            qtbot.waitUntil(lambda: len(lb.playing_now) == 1 and len(fm.now_playing) == 1,
                            timeout=10_000)  # fmt: skip
            assert bridge.controller.position() < 3000  # said as the track starts
            assert lb.listens == [] and fm.scrobbles == []

            qtbot.waitUntil(lambda: bridge.controller.position() >= PAUSE_AT, timeout=20_000)
            bridge.pause()
            qtbot.waitUntil(lambda: bridge.state is PlaybackState.PAUSED, timeout=5000)
            paused = ticks[-1]
            assert isinstance(parts.engine._engine, StageEngine)
            latency_ms = parts.engine.latency_ms
            qtbot.wait(int(RESUME_AFTER_S * 1000))  # the pause the listener hears
            held = ticks[-1]
            bridge.play()
            qtbot.waitUntil(lambda: bridge.controller.position() >= SEEK_FROM, timeout=20_000)
            bridge.seek(SEEK_TO)
            qtbot.waitUntil(lambda: bridge.state in DONE, timeout=30_000)
            ended = time.time()
    finally:
        bridge.positionChanged.disconnect(tick)
        window.close()
        window.shutdown()
        parts.controller.close()  # the stage and its device stream, while PortAudio runs

    # paused: neither the position nor the time heard moved while the pause lasted
    assert held[1] - paused[1] < 100, (paused, held)
    assert held[0] - paused[0] < latency_ms + 300, (paused, held)  # at most to what was heard
    # the seek: what it jumped over was not counted. What the card still had to play
    # when the pause or the seek came (its latency) is heard but not counted: the
    # rule stops at the command, the position goes on to what was heard
    at_seek = max(t[1] for t in ticks if t[0] < SEEK_TO)
    last_position, heard_ms = ticks[-1][0], ticks[-1][1]
    assert SEEK_FROM - latency_ms - 400 <= at_seek <= SEEK_FROM + 600, (at_seek, latency_ms)
    assert last_position >= SECONDS * 1000 - 600
    played_ms = SEEK_FROM + SECONDS * 1000 - SEEK_TO
    assert played_ms - 2 * latency_ms - 600 <= heard_ms <= played_ms + 600, (heard_ms, latency_ms)

    # not sent before half the track was heard; sent soon after, once, to each service
    for service in (2, 3):
        with_listen = [t for t in ticks if t[service]]
        assert with_listen, f"no scrobble reached service {service}: {ticks[-1]}"
        assert all(t[1] >= NEEDED_MS for t in with_listen)
        first = with_listen[0]
        assert first[1] < NEEDED_MS + 3000, first  # sent within a few seconds of being due
        assert first[0] > SEEK_TO + NEEDED_MS - SEEK_FROM - 600  # by time heard, not position
    assert len(lb.listens) == 1 and len(fm.scrobbles) == 1
    assert lb.rejected == [] and fm.rejected == []
    listened_at = lb.listens[0]["listened_at"]
    assert int(started) - 1 <= listened_at <= int(started) + 1  # the track's start time
    assert fm.scrobbles[0]["timestamp"] == str(listened_at)
    assert lb.listens[0]["track_metadata"]["track_name"] == "Pitch Clock"
    assert fm.scrobbles[0]["artist"] == "Kindred"

    # the sink sounded for the time counted: the seconds before the pause, to the seek
    # and after it, and nothing of the part jumped over
    loud_s, seconds = heard_seconds(read_raw(rec_path))
    # it sounded at least as long as was counted, and longer only by the latency the
    # pause and the seek leave uncounted and their two 100 ms fade-outs
    spare_s = loud_s - heard_ms / 1000
    assert -0.2 <= spare_s <= 2 * latency_ms / 1000 + 0.5, (loud_s, heard_ms, latency_ms)
    print(
        f"heard {heard_ms} ms, sounded {loud_s} s, latency {latency_ms} ms, "
        f"played for {ended - started:.1f} s"
    )
    skipped = set(range(SEEK_FROM // 1000 + 1, SEEK_TO // 1000))
    assert not skipped & set(seconds), seconds
    expected = set(range(SEEK_FROM // 1000)) | set(range(SEEK_TO // 1000 + 1, SECONDS - 1))
    assert expected <= set(seconds), sorted(expected - set(seconds))
