"""One contract, three engines: the in-memory fake, libVLC rendering to a WAV, and
Kindred's output stage playing to a PulseAudio sink."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from player.audio.engine import (
    EQ_BANDS_HZ,
    DeviceChanged,
    EndReached,
    Engine,
    EngineError,
    Equalizer,
    Event,
    MediaItem,
    OutputDevice,
    PlaybackState,
    PositionChanged,
    StateChanged,
)
from player.audio.fake_engine import FakeEngine
from player.audio.vlc_engine import VlcEngine, libvlc_available
from tests.audiogen import make_audio, requires_ffmpeg

pytestmark = requires_ffmpeg


@dataclass
class Harness:
    engine: Engine
    let_pass: Callable[[int], None]  # let this many ms of playback time go by
    events: list[Event]

    def pump(self) -> list[Event]:
        new = self.engine.drain_events()
        self.events.extend(new)
        return new

    def wait_for(self, predicate: Callable[[], bool], timeout_ms: int = 3000) -> None:
        waited = 0
        self.pump()
        while not predicate():
            assert waited < timeout_ms, f"timed out; state={self.engine.state}, {self.events}"
            self.let_pass(20)
            self.pump()
            waited += 20

    def play(self, item: MediaItem) -> None:
        self.engine.load(item)
        self.engine.play()
        self.wait_for(lambda: self.engine.state == PlaybackState.PLAYING)


@pytest.fixture(scope="module")
def tone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_audio(tmp_path_factory.mktemp("tone") / "tone.flac", "flac", seconds=2.0)


@pytest.fixture(scope="module")
def short_tone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("short")
    return make_audio(folder / "short.flac", "flac", seconds=0.6, freq=660)


@pytest.fixture(scope="module")
def pulse_device() -> Iterator[None]:
    """A private PulseAudio daemon that this process's PortAudio plays to."""
    from tests.pulse import PulseServer, pulse_missing

    problem = pulse_missing() or stage_missing()
    if problem:
        pytest.skip(problem)
    with PulseServer() as server, server.in_this_process():
        yield


def stage_missing() -> str | None:
    from player.audio.output.sinks import portaudio_error

    error = portaudio_error()
    return None if error is None else error.short


@pytest.fixture(params=["fake", "vlc", "stage"])
def harness(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Harness]:
    if request.param == "fake":
        fake = FakeEngine()
        yield Harness(fake, fake.advance, [])
        fake.close()
        return
    if request.param == "stage":
        request.getfixturevalue("pulse_device")
        from player.audio.output.stage import StageEngine

        stage = StageEngine()
        yield Harness(stage, lambda ms: time.sleep(ms / 1000), [])
        stage.close()
        return
    if not libvlc_available():
        pytest.skip("libVLC is not installed here (CI installs VLC, so it runs there)")
    engine = VlcEngine(output=tmp_path / "out.wav")
    yield Harness(engine, lambda ms: time.sleep(ms / 1000), [])
    engine.close()


def states(events: list[Event]) -> list[PlaybackState]:
    return [e.state for e in events if isinstance(e, StateChanged)]


class TestEngineContract:
    def test_load_and_play_reaches_playing(self, harness: Harness, tone: Path) -> None:
        harness.play(MediaItem(str(tone)))
        assert PlaybackState.PLAYING in states(harness.events)
        assert harness.engine.duration() == pytest.approx(2000, abs=50)

    def test_position_advances_with_ticks(self, harness: Harness, tone: Path) -> None:
        harness.play(MediaItem(str(tone)))
        harness.pump()
        start = harness.engine.position()
        harness.events.clear()
        harness.let_pass(1000)
        harness.pump()
        ticks = [e for e in harness.events if isinstance(e, PositionChanged)]
        assert len(ticks) >= 4
        assert harness.engine.position() - start == pytest.approx(1000, abs=250)
        positions = [t.position_ms for t in ticks]
        assert positions == sorted(positions)

    def test_pause_holds_position(self, harness: Harness, tone: Path) -> None:
        harness.play(MediaItem(str(tone)))
        harness.let_pass(300)
        harness.engine.pause()
        harness.wait_for(lambda: harness.engine.state == PlaybackState.PAUSED)
        held = harness.engine.position()
        harness.let_pass(400)
        assert harness.engine.position() == pytest.approx(held, abs=30)
        harness.engine.resume()
        harness.wait_for(lambda: harness.engine.state == PlaybackState.PLAYING)
        harness.let_pass(700)  # a sound card plays what it is given its latency later
        assert harness.engine.position() > held + 100

    def test_seek_moves_position(self, harness: Harness, tone: Path) -> None:
        harness.play(MediaItem(str(tone)))
        harness.engine.seek(1200)
        harness.let_pass(100)
        assert harness.engine.position() == pytest.approx(1300, abs=200)

    def test_stop(self, harness: Harness, tone: Path) -> None:
        harness.play(MediaItem(str(tone)))
        harness.engine.stop()
        harness.wait_for(lambda: harness.engine.state == PlaybackState.STOPPED)
        harness.let_pass(200)
        harness.pump()
        assert harness.engine.state == PlaybackState.STOPPED
        assert not any(isinstance(e, EndReached) for e in harness.events)

    def test_end_of_track(self, harness: Harness, tone: Path) -> None:
        item = MediaItem(str(tone), title="Tone")
        harness.play(item)
        harness.wait_for(lambda: any(isinstance(e, EndReached) for e in harness.events))
        assert harness.engine.state == PlaybackState.ENDED
        ends = [e for e in harness.events if isinstance(e, EndReached)]
        assert [e.item for e in ends] == [item]

    def test_missing_file_gives_readable_error(self, harness: Harness, tmp_path: Path) -> None:
        item = MediaItem(str(tmp_path / "gone.flac"), title="Gone")
        harness.engine.load(item)
        started = time.monotonic()
        harness.engine.play()
        harness.wait_for(lambda: any(isinstance(e, EngineError) for e in harness.events), 1000)
        assert time.monotonic() - started < 1.0
        error = next(e for e in harness.events if isinstance(e, EngineError))
        assert "Gone" in error.error.short and "not found" in error.error.short
        assert str(tmp_path / "gone.flac") in error.error.detail
        assert harness.engine.state == PlaybackState.ERROR

    def test_cue_range_plays_only_that_range(self, harness: Harness, tone: Path) -> None:
        item = MediaItem(str(tone), start_ms=500, end_ms=1300)
        harness.play(item)
        assert harness.engine.duration() == 800
        assert harness.engine.position() < 300
        started = time.monotonic()
        harness.wait_for(lambda: any(isinstance(e, EndReached) for e in harness.events))
        ticks = [e.position_ms for e in harness.events if isinstance(e, PositionChanged)]
        assert max(ticks, default=0) <= 800
        assert harness.engine.position() == 800
        if not isinstance(harness.engine, FakeEngine):  # real time: about 0.8 s, not 1.5 s
            assert time.monotonic() - started < 1.2

    def test_gain_and_equalizer_are_kept_and_playback_goes_on(
        self, harness: Harness, tone: Path
    ) -> None:
        engine = harness.engine
        assert engine.gain_db == 0.0 and engine.equalizer is None
        engine.set_gain_db(-6.5)
        harness.play(MediaItem(str(tone)))
        bands = tuple(6.0 if hz == 1000 else 0.0 for hz in EQ_BANDS_HZ)
        eq = Equalizer(preamp_db=-3.0, bands_db=bands)
        engine.set_equalizer(eq)
        engine.set_gain_db(2.0)
        harness.let_pass(200)
        assert engine.gain_db == 2.0 and engine.equalizer == eq
        engine.set_equalizer(None)
        engine.set_gain_db(0.0)
        harness.let_pass(200)
        harness.pump()
        assert engine.equalizer is None and engine.gain_db == 0.0
        assert engine.state == PlaybackState.PLAYING
        assert not any(isinstance(e, EngineError) for e in harness.events)

    def test_presets_include_a_flat_one(self, harness: Harness) -> None:
        presets = harness.engine.equalizer_presets()
        assert presets and "Flat" in presets
        assert presets["Flat"].is_flat
        assert all(len(p.bands_db) == len(EQ_BANDS_HZ) for p in presets.values())
        assert all(name == p.preset for name, p in presets.items())

    def test_output_devices_and_fallback_for_an_unknown_one(self, harness: Harness) -> None:
        devices = harness.engine.output_devices()
        assert isinstance(devices, list)
        assert all(isinstance(d, OutputDevice) and d.id for d in devices)
        harness.engine.set_output_device("no-such-device-42")
        harness.pump()
        changes = [e for e in harness.events if isinstance(e, DeviceChanged)]
        assert changes and changes[-1].device_id is None
        assert changes[-1].message and "no-such-device-42" in changes[-1].message
        assert harness.engine.output_device is None

    def test_preloaded_item_follows(self, harness: Harness, short_tone: Path) -> None:
        first, second = MediaItem(str(short_tone), title="1"), MediaItem(str(short_tone), title="2")
        harness.play(first)
        harness.engine.preload(second)
        harness.wait_for(lambda: any(isinstance(e, EndReached) for e in harness.events))
        harness.engine.load(second)  # what the owner does on EndReached
        harness.engine.play()
        harness.wait_for(
            lambda: [e.item for e in harness.events if isinstance(e, EndReached)] == [first, second]
        )
        assert harness.engine.state == PlaybackState.ENDED

    def test_an_engine_that_asks_for_the_next_item_asks_after_the_last_it_has(
        self, harness: Harness, short_tone: Path
    ) -> None:
        first, second = MediaItem(str(short_tone), title="1"), MediaItem(str(short_tone), title="2")
        harness.play(first)
        engine = harness.engine
        asks = engine.wants_next is not None  # the output stage: all of it is decoded already
        assert engine.wants_next == (first if asks else None)
        engine.preload(second)
        assert engine.wants_next is None  # answered
        if asks:  # and once the second is decoded too, after it (before either is heard)
            harness.wait_for(lambda: engine.wants_next == second, timeout_ms=500)
            assert not any(isinstance(e, EndReached) for e in harness.events)
        harness.wait_for(lambda: any(isinstance(e, EndReached) for e in harness.events))
        end = next(e for e in harness.events if isinstance(e, EndReached))
        assert end.item == first
        assert end.next_item in (None, second)  # what it went on with by itself, if anything
        if asks:
            assert end.next_item == second
