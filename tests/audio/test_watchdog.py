"""The stream watchdog's rules, driven by engine events and fake time."""

from __future__ import annotations

from pathlib import Path

import pytest

from player.audio.engine import (
    EndReached,
    EngineError,
    Event,
    MediaItem,
    PlaybackError,
    PlaybackState,
    PositionChanged,
    StateChanged,
)
from player.audio.fake_engine import FakeEngine
from player.audio.watchdog import ActionKind, StreamWatchdog, WatchdogAction

RADIO = MediaItem("http://radio.example/live", title="Test FM")
REMOTE_FILE = MediaItem("http://files.example/song.flac", title="Song")


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def wd(clock: Clock) -> StreamWatchdog:
    return StreamWatchdog(
        open_timeout=8, stall_timeout=8, max_reconnects=3, backoff=(0.5, 1, 2), clock=clock
    )


def feed(wd: StreamWatchdog, *events: Event) -> list[bool]:
    return [wd.observe(e) for e in events]


def playing(wd: StreamWatchdog, clock: Clock, *, ms: int = 2000, duration: int | None = None):
    """Opening, Playing, then ``ms`` of steady ticks."""
    feed(wd, StateChanged(PlaybackState.OPENING), StateChanged(PlaybackState.PLAYING))
    for pos in range(200, ms + 1, 200):
        clock.now += 0.2
        feed(wd, PositionChanged(pos, duration))
        assert wd.check() is None


def test_nothing_to_do_while_a_stream_plays(wd: StreamWatchdog, clock: Clock) -> None:
    wd.watch(RADIO)
    playing(wd, clock, ms=20_000)
    assert wd.check() is None


def test_a_server_that_never_answers_fails_after_the_open_timeout(
    wd: StreamWatchdog, clock: Clock
) -> None:
    wd.watch(RADIO)
    feed(wd, StateChanged(PlaybackState.IDLE), StateChanged(PlaybackState.OPENING))
    clock.now += 7.9
    assert wd.check() is None
    clock.now += 0.2
    action = wd.check()
    assert action is not None and action.kind == ActionKind.FAIL
    assert action.error is not None
    assert action.error.short == "Cannot play Test FM: the server does not answer"
    assert RADIO.location in action.error.detail
    assert wd.check() is None and wd.item is None  # handed out once


def test_a_stalled_file_is_an_error(wd: StreamWatchdog, clock: Clock) -> None:
    wd.watch(REMOTE_FILE)
    playing(wd, clock, duration=60_000)
    for _ in range(40):  # ticks keep coming, the position does not move
        clock.now += 0.2
        feed(wd, PositionChanged(2000, 60_000))
        if (action := wd.check()) is not None:
            break
    assert action is not None and action.kind == ActionKind.FAIL
    assert "stalled" in action.error.short
    assert clock.now - 100.0 == pytest.approx(2.0 + 8.2, abs=0.3)


def test_a_stalled_radio_is_reconnected(wd: StreamWatchdog, clock: Clock) -> None:
    wd.watch(RADIO)
    playing(wd, clock)
    clock.now += 8.1
    assert wd.check() is None  # the reconnect waits for its backoff
    clock.now += 0.5
    action = wd.check()
    assert action == WatchdogAction(ActionKind.RECONNECT, RADIO, attempt=1)


def test_garbage_bytes_are_not_an_audio_stream(wd: StreamWatchdog, clock: Clock) -> None:
    wd.watch(MediaItem("http://x.example/garbage.mp3"))
    consumed = feed(
        wd,
        StateChanged(PlaybackState.OPENING),
        StateChanged(PlaybackState.PLAYING),
        PositionChanged(0, None),
        StateChanged(PlaybackState.ENDED),
        EndReached(MediaItem("http://x.example/garbage.mp3")),
    )
    assert consumed == [False, False, False, False, True]  # the owner must not skip on
    action = wd.check()
    assert action is not None and action.kind == ActionKind.FAIL
    assert action.error.short.endswith("not an audio stream")


def test_a_radio_dropping_soon_after_it_started_is_reconnected(
    wd: StreamWatchdog, clock: Clock
) -> None:
    """No position yet (libVLC reports 0 for a while), but it did play: not garbage."""
    wd.watch(RADIO)
    feed(wd, StateChanged(PlaybackState.OPENING), StateChanged(PlaybackState.PLAYING))
    clock.now += 0.8
    assert feed(wd, PositionChanged(0, None), EndReached(RADIO)) == [False, True]
    clock.now += 0.5
    assert wd.check() == WatchdogAction(ActionKind.RECONNECT, RADIO, attempt=1)


def test_radio_end_reconnects_with_backoff_then_gives_up(wd: StreamWatchdog, clock: Clock) -> None:
    wd.watch(RADIO)
    playing(wd, clock)
    assert feed(wd, StateChanged(PlaybackState.ENDED), EndReached(RADIO)) == [False, True]
    waits = []
    for attempt in (1, 2, 3):
        start = clock.now
        while (action := wd.check()) is None:
            clock.now += 0.05
        waits.append(round(clock.now - start, 2))
        assert action == WatchdogAction(ActionKind.RECONNECT, RADIO, attempt=attempt)
        # the reconnect fails: the mount is gone (404 from the engine)
        error = EngineError(PlaybackError("Cannot play Test FM"), RADIO)
        consumed = feed(
            wd,
            StateChanged(PlaybackState.STOPPED),
            StateChanged(PlaybackState.OPENING),
            StateChanged(PlaybackState.ERROR),
            error,
        )
        assert consumed == [False, False, False, True]
    assert waits == pytest.approx([0.5, 1.0, 2.0], abs=0.06)
    action = wd.check()
    assert action is not None and action.kind == ActionKind.FAIL
    assert action.error.short == "Test FM: the station stopped sending"
    assert "3 attempts" in action.error.detail


def test_a_reconnect_that_never_opens_counts_as_failed(wd: StreamWatchdog, clock: Clock) -> None:
    wd.watch(RADIO)
    playing(wd, clock)
    feed(wd, EndReached(RADIO))
    clock.now += 0.5
    assert wd.check().kind == ActionKind.RECONNECT
    feed(wd, StateChanged(PlaybackState.STOPPED), StateChanged(PlaybackState.OPENING))
    clock.now += 8.1
    assert wd.check() is None  # the next attempt is scheduled
    clock.now += 1.0
    assert wd.check() == WatchdogAction(ActionKind.RECONNECT, RADIO, attempt=2)


def test_a_successful_reconnect_resets_the_attempts(wd: StreamWatchdog, clock: Clock) -> None:
    wd.watch(RADIO)
    playing(wd, clock)
    for _ in range(5):  # the station drops five times, comes back each time
        feed(wd, EndReached(RADIO))
        clock.now += 0.5
        assert wd.check() == WatchdogAction(ActionKind.RECONNECT, RADIO, attempt=1)
        feed(wd, StateChanged(PlaybackState.STOPPED))
        playing(wd, clock, ms=6000)
        assert wd.reconnect_attempts == 0


def test_errors_and_ends_of_files_are_left_to_the_owner(wd: StreamWatchdog, clock: Clock) -> None:
    wd.watch(REMOTE_FILE)
    playing(wd, clock, duration=3000)
    assert feed(wd, EndReached(REMOTE_FILE)) == [False]
    assert wd.check() is None and wd.item is None
    wd.watch(RADIO)
    error = EngineError(PlaybackError("Cannot play Test FM"), RADIO)
    assert feed(wd, StateChanged(PlaybackState.OPENING), error) == [False, False]
    assert wd.check() is None


def test_pause_and_stop_are_not_stalls(wd: StreamWatchdog, clock: Clock) -> None:
    wd.watch(RADIO)
    playing(wd, clock)
    feed(wd, StateChanged(PlaybackState.PAUSED))
    clock.now += 60
    assert wd.check() is None
    feed(wd, StateChanged(PlaybackState.PLAYING))
    clock.now += 1
    assert wd.check() is None
    feed(wd, StateChanged(PlaybackState.STOPPED))
    clock.now += 60
    assert wd.check() is None and wd.item is None


def test_with_the_fake_engine(tmp_path: Path, clock: Clock) -> None:
    """The owner's loop, as a controller writes it, against the in-memory engine."""
    song = tmp_path / "song.flac"
    song.write_bytes(b"")
    engine = FakeEngine(duration_of=lambda item: 60_000)
    wd = StreamWatchdog(stall_timeout=5, clock=clock)
    item = MediaItem(str(song), title="Song")
    engine.load(item)
    engine.play()
    wd.watch(item)
    failures: list[WatchdogAction] = []

    def step(ms: int, *, frozen: bool = False) -> None:
        clock.now += ms / 1000
        if not frozen:
            engine.advance(ms)
        for event in engine.drain_events():
            wd.observe(event)
        if (action := wd.check()) is not None:
            wd.apply(engine, action)
            failures.append(action)

    for _ in range(20):
        step(200)
    assert failures == [] and engine.position() == 4000
    for _ in range(30):  # the engine stops delivering: the position freezes
        step(200, frozen=True)
    assert [a.kind for a in failures] == [ActionKind.FAIL]
    assert engine.state == PlaybackState.STOPPED
    assert "stalled" in failures[0].error.short


def test_apply_reconnect_stops_and_plays_the_same_item(clock: Clock) -> None:
    engine = FakeEngine(duration_of=lambda item: None)
    wd = StreamWatchdog(clock=clock)
    engine.load(RADIO)
    engine.play()
    engine.drain_events()
    wd.apply(engine, WatchdogAction(ActionKind.RECONNECT, RADIO, attempt=1))
    states = [e.state for e in engine.drain_events() if isinstance(e, StateChanged)]
    assert states == [PlaybackState.STOPPED, PlaybackState.OPENING, PlaybackState.PLAYING]
