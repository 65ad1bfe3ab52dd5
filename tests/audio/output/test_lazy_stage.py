"""The window's output stage built after the window shows (or at first play), and a
stopped stage's worker that waits instead of waking every 50 ms."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from player.audio.engine import Equalizer, MediaItem, PlaybackState
from player.audio.output.lazystage import LazyStage, portaudio_likely
from player.audio.output.stage import StageEngine
from tests.audio.output.test_gapless_device import cut_sine, pytestmark  # noqa: F401
from tests.pulse import PulseServer


@pytest.fixture(scope="module")
def pulse() -> Iterator[PulseServer]:
    with PulseServer() as server, server.in_this_process():
        yield server


def wait_for(check, timeout: float = 5.0) -> bool:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return True
        time.sleep(0.01)
    return check()


def test_a_track_restored_before_the_window_is_resumed_after_it(
    pulse: PulseServer, tmp_path: Path
) -> None:
    """The controller loads the saved track, muted and paused at its position, while
    the window is built: the calls wait for the stage, built once the window shows."""
    tracks, _ = cut_sine(tmp_path, "flac16", [], 3.0)
    engine = LazyStage()
    try:
        engine.set_muted(True)
        engine.load(MediaItem(str(tracks[0])))
        engine.play()
        time.sleep(0.2)
        assert not engine.built and engine.state == PlaybackState.IDLE
        builder = engine.warm_up()
        assert builder is not None
        builder.join(timeout=30)
        assert wait_for(lambda: engine.state == PlaybackState.PLAYING)
        engine.seek(1500)
        engine.pause()
        assert wait_for(lambda: engine.state == PlaybackState.PAUSED)
        assert abs(engine.position() - 1500) < 300
        assert engine.muted
    finally:
        engine.close()


def test_preload_keeps_the_stages_signature() -> None:
    """The controller hands gain and crossfade only to an engine whose preload names them."""
    import inspect

    lazy = inspect.signature(LazyStage.preload).parameters
    assert {"gain_db", "crossfade"} <= set(lazy)


def test_settings_made_before_the_build_reach_the_stage(pulse: PulseServer) -> None:
    assert portaudio_likely()  # the cheap check agrees with the machine the stage plays on
    engine = LazyStage(bit_perfect=False)
    try:
        engine.set_volume(40)
        engine.set_muted(True)
        engine.set_gain_db(-3.0)
        eq = Equalizer(0.0, tuple(float(i % 3) for i in range(10)), None)
        engine.set_equalizer(eq)
        engine.crossfade_s = 2.0
        engine.sample_format = "16"
        assert not engine.built and engine.state == PlaybackState.IDLE
        assert (engine.volume, engine.muted, engine.equalizer) == (40, True, eq)
        assert engine.drain_events() == [] and engine.wait_event(0.05) is None
        assert engine.describe_output() == ""  # the audio badge asks: nothing built for it
        assert not engine.built
        assert engine.warm_up() is None  # nothing to resume: built when first asked
        assert engine.output_devices()  # Settings' device list: built here and now
        assert engine.built and engine.build_s is not None
        real = engine._engine
        assert isinstance(real, StageEngine)
        assert (real.volume, real.muted, real.gain_db, real.equalizer) == (40, True, -3.0, eq)
        assert (real.crossfade_s, real.sample_format) == (2.0, "16")
        engine.set_volume(70)  # after the build: straight to the stage
        assert real.volume == 70
    finally:
        engine.close()


def test_first_play_without_warm_up_builds_the_stage_and_plays(
    pulse: PulseServer, tmp_path: Path
) -> None:
    tracks, _ = cut_sine(tmp_path, "flac16", [], 1.0)
    engine = LazyStage()
    try:
        assert engine.warm_up() is None  # window shown, nothing to resume: no build yet
        assert not engine.built
        engine.load(MediaItem(str(tracks[0])))
        engine.play()  # the build begins on a worker; the calls are handed over in order
        assert wait_for(lambda: engine.state == PlaybackState.PLAYING)
        assert engine.first_frame_at is not None or wait_for(
            lambda: engine.first_frame_at is not None
        )
    finally:
        engine.close()


def worker_waits(engine: StageEngine) -> bool:
    """The worker is parked in its wait for a change (not in its 50 ms sleep)."""
    frame = sys._current_frames().get(engine._worker.ident or 0)
    while frame is not None:
        if frame.f_code.co_name == "_run":
            return "self._wake.wait()" in _line(frame.f_code.co_filename, frame.f_lineno)
        frame = frame.f_back
    return False


def _line(path: str, number: int) -> str:
    return Path(path).read_text(encoding="utf-8").splitlines()[number - 1]


def test_a_stopped_stage_waits_and_wakes_for_play(pulse: PulseServer, tmp_path: Path) -> None:
    tracks, _ = cut_sine(tmp_path, "flac16", [], 1.0)
    engine = StageEngine()
    try:
        assert wait_for(lambda: worker_waits(engine))  # idle from the start: no polling
        engine.load(MediaItem(str(tracks[0])))
        engine.play()
        assert wait_for(lambda: engine.state == PlaybackState.PLAYING)
        assert not worker_waits(engine)  # following what is heard, every 50 ms
        assert wait_for(lambda: engine.state == PlaybackState.ENDED, timeout=10)
        # the stream is let go 2 s after the end; then the worker waits again
        assert wait_for(lambda: worker_waits(engine), timeout=10)
    finally:
        engine.close()
    engine._worker.join(timeout=2)
    assert not engine._worker.is_alive()  # close wakes it to end
