"""Streams through the playback controller: radio playlists, dead mirrors, the watchdog,
slow lookups."""

from __future__ import annotations

import threading
import time
from concurrent.futures import Executor, Future
from pathlib import Path

from player.audio.controller import PlaybackController
from player.audio.controller_events import ItemFailed
from player.audio.engine import (
    EngineError,
    MediaItem,
    PlaybackError,
    PlaybackState,
    StateChanged,
)
from player.audio.fake_engine import FakeEngine
from player.audio.queue import PlayQueue, QueueItem
from player.audio.watchdog import StreamWatchdog
from player.config import AudioSettings
from tests.audio.controller_rig import files


class StreamEngine(FakeEngine):
    """A fake engine where some URLs are dead and streams have no end (like radio)."""

    def __init__(self, dead: set[str]) -> None:
        super().__init__()
        self.dead = dead

    def play(self) -> None:
        item = self._item
        if item is not None and item.location in self.dead:
            self._set_state(PlaybackState.OPENING)
            self._set_state(PlaybackState.ERROR)
            self._events.put(EngineError(PlaybackError(f"Cannot play {item.location}"), item))
            return
        super().play()

    def duration(self) -> int | None:
        if self._item is not None and self._item.is_url:
            return None
        return super().duration()


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Immediate(Executor):
    """Runs a submitted lookup at once, so stream tests need no threads."""

    def submit(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def, override]
        future: Future[object] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:
            future.set_exception(exc)
        return future


def stream_rig(
    items: list[QueueItem], dead: set[str], resolved: dict[str, list[str]]
) -> tuple[PlaybackController, StreamEngine, Clock]:
    """``resolved`` maps playlist URLs to their streams; "gone" URLs answer 404."""

    def resolve(url: str) -> list[MediaItem]:
        if "gone" in url:
            raise PlaybackError(f"Cannot play {url}: not found on the server (404)")
        return [MediaItem(loc) for loc in resolved.get(url, [url])]

    engine, clock = StreamEngine(dead), Clock()
    ctl = PlaybackController(
        engine,
        PlayQueue(items),
        AudioSettings(replaygain_mode="off"),
        clock=clock,
        resolve=resolve,
        watchdog=StreamWatchdog(clock=clock),
        executor=Immediate(),
    )
    return ctl, engine, clock


def test_a_radio_playlist_is_resolved_and_a_dead_mirror_skipped(tmp_path: Path) -> None:
    station = QueueItem(location="http://radio.test/station.pls", title="Station")
    gone = QueueItem(location="http://radio.test/gone.m3u", title="Gone")
    song = files(tmp_path, ["song"])[0]
    ctl, engine, _ = stream_rig(
        [gone, station, song],
        dead={"http://mirror1.test/live"},
        resolved={"http://radio.test/station.pls": ["http://mirror1.test/live",
                                                    "http://mirror2.test/live"]},
    )  # fmt: skip
    ctl.play()
    reports = ctl.pump() + ctl.pump()
    engine.advance(1000)
    reports += ctl.pump()
    failed = [(r.item.title, r.error.short) for r in reports if isinstance(r, ItemFailed)]
    assert failed == [
        ("Gone", "Cannot play http://radio.test/gone.m3u: not found on the server (404)")
    ]
    assert ctl.playing_item.title == "Station"
    assert ctl.playing_media.location == "http://mirror2.test/live"
    assert engine.state == PlaybackState.PLAYING


def test_a_saved_station_opens_live_without_a_lookup() -> None:
    direct = QueueItem(location="http://radio.test:8000/live.mp3", title="Live", live=True)
    listed = QueueItem(location="http://radio.test/station.pls", title="Listed", live=True)
    looked_up: list[str] = []
    ctl, engine, _ = stream_rig([direct, listed], dead=set(), resolved={})
    resolve = ctl.rules.resolve
    ctl.rules.resolve = lambda url: looked_up.append(url) or resolve(url)
    ctl.play()
    ctl.pump()
    assert looked_up == []  # a connection to the station saved: libVLC makes the only one
    assert ctl.playing_media.location == "icyx://radio.test:8000/live.mp3"
    assert engine.state == PlaybackState.PLAYING
    ctl.next()
    ctl.pump()
    assert looked_up == ["http://radio.test/station.pls"]  # a playlist is still read


def test_a_stalled_radio_is_reconnected(tmp_path: Path) -> None:
    radio = QueueItem(location="http://radio.test/live.mp3", title="Live")
    ctl, engine, clock = stream_rig([radio], dead=set(), resolved={})
    ctl.play()
    for _ in range(20):  # plays for a while
        engine.advance(500)
        clock.now += 0.5
        ctl.pump()
    assert engine.state == PlaybackState.PLAYING
    states: list[PlaybackState] = []
    for _ in range(40):  # the clock runs, the stream delivers nothing
        clock.now += 0.5
        states += [e.state for e in ctl.pump() if isinstance(e, StateChanged)]
        if PlaybackState.STOPPED in states and engine.state == PlaybackState.PLAYING:
            break
    assert PlaybackState.STOPPED in states and engine.state == PlaybackState.PLAYING
    assert ctl.playing_item is radio and ctl.errors == []


def test_a_stalled_file_stream_fails_and_playback_moves_on(tmp_path: Path) -> None:
    remote = QueueItem(location="http://files.test/song.flac", title="Remote")
    local = files(tmp_path, ["local"])[0]
    ctl, engine, clock = stream_rig([remote, local], dead=set(), resolved={})
    engine.duration = lambda: 60_000  # type: ignore[method-assign]  # a file: it has a length
    ctl.play()
    reports = ctl.pump()
    engine.advance(400)  # plays a little (so its length is known), then stalls
    reports += ctl.pump()
    for _ in range(40):
        clock.now += 0.5
        reports += ctl.pump()
    failed = [r.error.short for r in reports if isinstance(r, ItemFailed)]
    assert len(failed) == 1 and "stalled" in failed[0]
    assert ctl.playing_item is local


def test_a_slow_lookup_never_blocks_the_owner(tmp_path: Path) -> None:
    answer = threading.Event()

    def slow_resolve(url: str) -> list[MediaItem]:
        answer.wait(30)  # a server that takes its time
        return [MediaItem("http://stream.test/live.mp3")]

    local = files(tmp_path, ["local"])[0]
    engine = StreamEngine(dead=set())
    queue = PlayQueue([QueueItem(location="http://radio.test/slow.pls", title="Slow"), local])
    ctl = PlaybackController(
        engine, queue, AudioSettings(replaygain_mode="off"), resolve=slow_resolve
    )
    try:
        ctl.play()
        for _ in range(3):
            assert ctl.pump(0.01) == []  # returns while the lookup is still running
        assert ctl.active and ctl.playing_media is None
        answer.set()
        for _ in range(2000):  # bounded: the lookup thread finishes as soon as it is told
            ctl.pump()
            if engine.state == PlaybackState.PLAYING:
                break
            time.sleep(0.005)
        assert ctl.playing_media == MediaItem("http://stream.test/live.mp3", title="Slow")
    finally:
        answer.set()
        ctl.close()
