"""The sleep timer: the fade, the pause, and the listener's volume kept; through libVLC too."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from player.audio.controller import PlaybackController
from player.audio.controller_events import Report, SleepEnded
from player.audio.engine import PlaybackState
from player.audio.queue import PlayQueue, QueueItem
from player.audio.render import WavOutput
from player.audio.sleep import FADE_S, SleepTimer
from player.audio.vlc_engine import VlcEngine, libvlc_available
from player.audio.wavio import read_wav
from player.config import AudioSettings
from tests.audio.controller_rig import SECOND, Rig, files
from tests.audiogen import make_audio, requires_ffmpeg


class Clock:
    """A clock the test moves by hand (``now`` in seconds)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_timer_fades_over_its_last_seconds() -> None:
    clock = Clock()
    timer = SleepTimer(clock)
    assert not timer.active and timer.level() == 1.0 and timer.remaining() is None
    timer.start(600)
    assert timer.remaining() == 600 and timer.level() == 1.0 and not timer.due()
    clock.now += 600 - FADE_S
    assert timer.level() == 1.0
    clock.now += FADE_S / 4
    assert timer.level() == pytest.approx(0.75)
    clock.now += FADE_S / 2
    assert timer.level() == pytest.approx(0.25)
    clock.now += FADE_S
    assert timer.due() and timer.level() == 0.0 and timer.remaining() == 0.0
    timer.cancel()
    assert not timer.active and timer.level() == 1.0


def test_a_short_timer_fades_over_its_last_third() -> None:
    clock = Clock()
    timer = SleepTimer(clock)
    timer.start(9)
    clock.now += 6
    assert timer.level() == 1.0
    clock.now += 1.5
    assert timer.level() == pytest.approx(0.5)


@pytest.mark.parametrize("seconds", [0, -5, 24 * 3600 + 1, float("nan")])
def test_impossible_lengths_are_refused(seconds: float) -> None:
    timer = SleepTimer(Clock())
    with pytest.raises(ValueError, match="sleep timer"):
        timer.start(seconds)
    assert not timer.active


def _rig(tmp_path: Path, volume: int = 80) -> tuple[Rig, Clock]:
    items = files(tmp_path, "ab")
    rig = Rig(items, {it.location: 600 * SECOND for it in items})
    rig.settings.volume = volume
    clock = Clock()
    rig.ctl.sleep.clock = clock
    rig.ctl.apply_settings()
    return rig, clock


def _run(rig: Rig, clock: Clock, ms: int, step: int = 100) -> None:
    for _ in range(0, ms, step):
        rig.engine.advance(step)
        clock.now += step / 1000
        rig.pump()


def test_the_music_fades_then_pauses_and_the_volume_comes_back(tmp_path: Path) -> None:
    rig, clock = _rig(tmp_path)
    rig.ctl.play()
    rig.pump()
    rig.ctl.set_sleep_timer(60)
    _run(rig, clock, 47_000)
    assert rig.engine.volume == 80  # not yet
    _run(rig, clock, 7_000)  # 6 s before the end: half way down
    assert rig.engine.volume == pytest.approx(40, abs=1)
    assert rig.settings.volume == 80 and rig.saved == 0  # the setting is not touched
    _run(rig, clock, 6_500)
    assert [r for r in rig.reports if isinstance(r, SleepEnded)] == [SleepEnded(paused=True)]
    assert rig.engine.state == PlaybackState.PAUSED
    assert rig.engine.volume == 80 and not rig.ctl.sleep.active
    paused_at = rig.ctl.position()
    assert paused_at == pytest.approx(60_000, abs=300)  # kept: play goes on from there
    rig.ctl.play()
    _run(rig, clock, 1_000)
    assert rig.engine.state == PlaybackState.PLAYING and rig.ctl.position() > paused_at
    assert rig.queue.current.title == "a"


def test_the_volume_moved_during_the_fade_and_a_cancel(tmp_path: Path) -> None:
    rig, clock = _rig(tmp_path)
    rig.ctl.play()
    rig.ctl.set_sleep_timer(60)
    _run(rig, clock, 54_000)  # 6 s left: half
    rig.ctl.set_volume(50)
    assert rig.engine.volume == 25 and rig.settings.volume == 50
    _run(rig, clock, 3_000)
    assert rig.engine.volume == pytest.approx(12, abs=1)
    rig.ctl.set_sleep_timer(None)
    assert rig.engine.volume == 50 and not rig.ctl.sleep.active
    _run(rig, clock, 10_000)
    assert rig.engine.state == PlaybackState.PLAYING and rig.engine.volume == 50
    assert not [r for r in rig.reports if isinstance(r, SleepEnded)]


def test_a_new_timer_replaces_the_old_and_ending_while_paused_changes_nothing(
    tmp_path: Path,
) -> None:
    rig, clock = _rig(tmp_path)
    rig.ctl.play()
    rig.ctl.set_sleep_timer(20)
    _run(rig, clock, 15_000)
    assert rig.engine.volume < 80
    rig.ctl.set_sleep_timer(60)  # more time: full volume again
    assert rig.engine.volume == 80
    rig.ctl.pause()
    _run(rig, clock, 61_000)
    assert [r for r in rig.reports if isinstance(r, SleepEnded)] == [SleepEnded(paused=False)]
    assert rig.engine.state == PlaybackState.PAUSED and rig.engine.volume == 80


@requires_ffmpeg
@pytest.mark.skipif(not libvlc_available(), reason="libVLC is not installed (CI installs VLC)")
def test_through_libvlc_the_rendered_music_fades_out_and_stops(tmp_path: Path) -> None:
    """Real time: 4.5 s of a 10 s tone, the last 1.5 s fading (a short timer fades its last third)."""
    song = make_audio(tmp_path / "tone.flac", "flac", seconds=10.0, freq=440)
    out = tmp_path / "paced.wav"
    engine = VlcEngine(output=WavOutput(out, paced=True))
    settings = AudioSettings(replaygain_mode="off", volume=100)
    ctl = PlaybackController(engine, PlayQueue([QueueItem(location=str(song))]), settings)
    reports: list[Report] = []
    try:
        ctl.play()
        for _ in range(100):  # wait (bounded) until the sound flows
            reports += ctl.pump(0.05)
            if engine.state == PlaybackState.PLAYING and engine.position() > 0:
                break
        ctl.set_sleep_timer(4.5)
        for _ in range(300):  # at most 15 s
            reports += ctl.pump(0.05)
            if any(isinstance(r, SleepEnded) for r in reports):
                break
        assert SleepEnded(paused=True) in reports
        for _ in range(100):  # libVLC reports the pause from its own thread
            ctl.pump(0.05)
            if engine.state == PlaybackState.PAUSED:
                break
        assert engine.state == PlaybackState.PAUSED
    finally:
        ctl.close()
    samples, rate = read_wav(out)
    mono = np.abs(samples.astype(np.float64)).mean(axis=1)
    heard = np.nonzero(mono > 1e-4)[0]
    length = (heard[-1] + 1) / rate
    print(f"rendered {len(samples) / rate:.2f} s, sound for {length:.2f} s")
    assert 4.0 < length < 6.0  # it stopped with the timer, not at the end of the tone

    def rms(start: float, end: float) -> float:
        part = samples[int(start * rate) : int(end * rate)].astype(np.float64)
        return float(np.sqrt((part**2).mean()))

    full = rms(0.5, 2.5)
    assert full > 0.05
    # the fade: each half second quieter than the one before, the last near silence
    steps = [rms(length - 1.5 + 0.5 * i, length - 1.0 + 0.5 * i) for i in range(3)]
    print("full", round(full, 4), "fade", [round(s, 4) for s in steps])
    assert steps[0] < full * 0.95 and steps[2] < steps[1] < steps[0]
    assert steps[2] < full * 0.2


def test_an_item_still_opening_when_the_timer_ends_is_stopped(tmp_path: Path) -> None:
    """A pause would not hold an item that is still opening: it would start playing after."""
    rig, clock = _rig(tmp_path)
    rig.ctl.play()
    rig.ctl.set_sleep_timer(30)
    _run(rig, clock, 29_000)
    rig.engine._set_state(PlaybackState.OPENING)  # the next track is on its way
    _run(rig, clock, 1_100)
    assert [r for r in rig.reports if isinstance(r, SleepEnded)] == [SleepEnded(paused=True)]
    assert rig.engine.state == PlaybackState.STOPPED and not rig.ctl.active
    assert rig.queue.current.title == "a" and rig.engine.volume == 80
