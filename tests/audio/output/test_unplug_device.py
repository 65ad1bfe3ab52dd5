"""Hot-unplug: the chosen device goes away mid-track and the music goes on on the default.

Two private PulseAudio daemons (:mod:`tests.pulse`): *usb* stands for a USB DAC,
an ALSA device of its own (``kindred_usb`` in a private HOME's ``.asoundrc``,
reaching that daemon through ALSA's pulse plugin, as a ``hw:`` card is reached
on a real machine); *default* is the system's default device (``PULSE_SERVER``).
The stage plays a 4 s sine on ``kindred_usb`` while both sinks are recorded,
and after a second the usb daemon is

* killed (SIGKILL): the card is gone at once. PortAudio ends the stream (its
  finished callback), which the stage takes for an unplug;
* stopped (SIGSTOP): a hung server. The stream stays active but its callback is
  no longer called, and closing it would block until the server wakes up; the
  stage's watchdog finds it and lets go of it on a thread of its own.

Either way the sine must go on at the default device within a bounded time,
from about where the listener was (what was handed to the dead card and never
heard is lost: its buffer, about 0.35 s), with a notice naming the device, the
state PLAYING throughout and the end of the track reached.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest

from player.audio.engine import (
    DeviceChanged,
    EndReached,
    Event,
    MediaItem,
    PlaybackState,
    StateChanged,
)
from tests.pulse import PulseServer, read_raw
from tests.sinegap import continuous_sine, write_wav

DEVICE = "kindred_usb"
RATE = 44100
FREQ = 441.0
SECONDS = 4.0
#: 10 ms blocks of the recordings louder than this count as the sine sounding
LOUD = 0.01


def _missing() -> str | None:
    from player.audio.output.sinks import portaudio_error
    from tests.pulse import pulse_missing

    error = portaudio_error()
    return error.short if error is not None else pulse_missing()


pytestmark = pytest.mark.skipif(_missing() is not None, reason=str(_missing()))


@pytest.fixture
def usb_and_default(tmp_path: Path) -> Iterator[tuple[PulseServer, PulseServer]]:
    """The usb daemon behind ``kindred_usb``, and the default one this process plays to."""
    import sounddevice as sd

    with PulseServer() as usb, PulseServer() as default:
        home = tmp_path / "home"
        home.mkdir()
        (home / ".asoundrc").write_text(
            f"pcm.{DEVICE} {{\n"
            "  type pulse\n"
            f'  server "unix:{usb.socket}"\n'
            '  hint { show on description "USB DAC" }\n'
            "}\n"
        )
        saved = os.environ.get("HOME")
        os.environ["HOME"] = str(home)  # ALSA reads ~/.asoundrc when PortAudio starts
        try:
            with default.in_this_process():
                yield usb, default
        finally:
            if saved is None:
                os.environ.pop("HOME", None)
            else:
                os.environ["HOME"] = saved
            sd._terminate()  # forget kindred_usb: the next PortAudio start reads the real HOME
            sd._initialize()


@dataclass
class Unplugged:
    """What happened around the loss of the usb device."""

    events: list[tuple[float, Event]] = field(default_factory=list)  # (s after the loss, event)
    positions: list[tuple[float, int]] = field(default_factory=list)  # (s after the loss, ms)
    position_before: int = 0  # the engine's position just before the loss
    usb: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))
    default: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))
    lost_at_frame: int = 0  # the default sink's recording at the moment of the loss
    close_s: float = 0.0  # how long the engine took to close afterwards

    def of(self, kind: type) -> list[tuple[float, Event]]:
        return [(at, event) for at, event in self.events if isinstance(event, kind)]


def play_and_lose(
    usb: PulseServer, default: PulseServer, tmp_path: Path, lose: Callable[[], None]
) -> Unplugged:
    """Play the sine on kindred_usb, call *lose* after 1 s, follow the engine to the end."""
    from player.audio.output.stage import StageEngine

    wav = write_wav(tmp_path / "sine.wav", continuous_sine(SECONDS, FREQ, RATE), RATE)
    got = Unplugged()
    engine = StageEngine()
    try:
        with (
            default.recording(tmp_path / "default.raw") as default_raw,
            usb.recording(tmp_path / "usb.raw") as usb_raw,
        ):
            engine.set_output_device(DEVICE)
            engine.load(MediaItem(str(wav)))
            engine.play()
            began = time.monotonic()
            while time.monotonic() - began < 1.0:
                engine.wait_event(0.05)
            assert engine.state == PlaybackState.PLAYING
            assert engine.describe_output().endswith(f"→ {DEVICE}")  # it plays on the usb card
            got.position_before = engine.position()
            got.lost_at_frame = default_raw.stat().st_size // 4
            lost = time.monotonic()
            lose()
            while time.monotonic() - lost < SECONDS + 4 and not got.of(EndReached):
                event = engine.wait_event(0.1)
                if event is not None:
                    got.events.append((time.monotonic() - lost, event))
                got.positions.append((time.monotonic() - lost, engine.position()))
            closing = time.monotonic()
            engine.close()
            got.close_s = time.monotonic() - closing
            usb.kill()  # a frozen daemon: its recorder and PortAudio's closer can end now
    finally:
        engine.close()
        usb.kill()
    got.usb, got.default = read_raw(usb_raw), read_raw(default_raw)
    return got


def loud_blocks(recorded: np.ndarray) -> np.ndarray:
    """Per 10 ms block: is the sine sounding?"""
    block = RATE // 100
    frames = len(recorded) // block * block
    return np.abs(recorded[:frames, 0]).reshape(-1, block).max(axis=1) > LOUD


def dominant_hz(samples: np.ndarray) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return float(np.fft.rfftfreq(len(samples), 1 / RATE)[int(np.argmax(spectrum))])


def check_it_went_on(got: Unplugged, within_s: float) -> float:
    """The checks both ways of losing the device share; returns how long after the loss
    the sine was heard at the default device."""
    # the listener is told, with the device's name
    notices = [(at, e) for at, e in got.of(DeviceChanged) if e.device_id is None and e.message]
    assert len(notices) == 1, got.events
    message = notices[0][1].message or ""
    assert repr(DEVICE) in message and "system default device" in message
    # the sine goes on at the default device, soon
    loud = loud_blocks(got.default)
    first_block = got.lost_at_frame // (RATE // 100)
    assert not loud[:first_block].any(), "the default device played before the loss"
    sounding = np.flatnonzero(loud)
    assert len(sounding), "nothing reached the default device"
    heard_after_s = (sounding[0] - first_block) / 100
    assert heard_after_s <= within_s
    start, end = sounding[0] * (RATE // 100), (sounding[-1] + 1) * (RATE // 100)
    assert dominant_hz(got.default[start:end, 0]) == pytest.approx(FREQ, abs=1.0)
    # with no silence inside it, from about where the listener was: what the usb card
    # played and what the default one did make the sine, but for the dead card's buffer
    assert loud[sounding[0] : sounding[-1] + 1].all()
    heard_s = (loud_blocks(got.usb).sum() + loud.sum()) / 100
    assert SECONDS - 0.7 <= heard_s <= SECONDS + 0.05
    # PLAYING throughout, the position going on from where it was, the end reached
    states = [e.state for _, e in got.of(StateChanged)]
    assert states == [PlaybackState.ENDED], got.events
    (ended_at, ended), *_ = got.of(EndReached)
    assert isinstance(ended, EndReached) and ended.duration_ms == SECONDS * 1000
    playing = [ms for at, ms in got.positions if notices[0][0] <= at < ended_at]
    assert playing and playing[0] >= got.position_before
    assert playing[0] < got.position_before + 1000 + within_s * 1000
    assert playing == sorted(playing) and playing[-1] - playing[0] >= 1500
    return heard_after_s


def test_an_unplugged_device_goes_on_at_the_default_device(
    usb_and_default: tuple[PulseServer, PulseServer], tmp_path: Path
) -> None:
    usb, default = usb_and_default
    got = play_and_lose(usb, default, tmp_path, usb.kill)
    # a dead card's stream ends at once: the default device plays within its latency
    check_it_went_on(got, within_s=1.0)
    assert "unplugged" in str(got.of(DeviceChanged)[-1][1])


def test_a_hung_sound_server_is_let_go_of_and_nothing_blocks(
    usb_and_default: tuple[PulseServer, PulseServer], tmp_path: Path
) -> None:
    usb, default = usb_and_default
    got = play_and_lose(usb, default, tmp_path, usb.freeze)
    # the watchdog waits 1 s (the stream's buffer ran dry long before), then the close is
    # left to a thread of its own and the default device plays within its latency
    check_it_went_on(got, within_s=2.0)
    assert "took no audio" in str(got.of(DeviceChanged)[-1][1])
    assert got.close_s < 1.0  # with the usb server still hung


def test_a_device_gone_before_play_plays_on_the_default_device(
    usb_and_default: tuple[PulseServer, PulseServer], tmp_path: Path
) -> None:
    """Chosen while it was there, gone when the track starts: the stream opens on the
    default device at once and the listener is told why."""
    from player.audio.output.stage import StageEngine

    usb, default = usb_and_default
    wav = write_wav(tmp_path / "sine.wav", continuous_sine(1.5, FREQ, RATE), RATE)
    engine = StageEngine()
    events: list[Event] = []
    try:
        with default.recording(tmp_path / "default.raw") as default_raw:
            engine.set_output_device(DEVICE)
            usb.kill()
            engine.load(MediaItem(str(wav)))
            engine.play()
            began = time.monotonic()
            while time.monotonic() - began < 5 and not any(
                isinstance(e, EndReached) for e in events
            ):
                event = engine.wait_event(0.1)
                if event is not None:
                    events.append(event)
    finally:
        engine.close()
    notices = [e for e in events if isinstance(e, DeviceChanged) and e.device_id is None]
    assert len(notices) == 1 and DEVICE in (notices[0].message or ""), events
    assert "system default device" in (notices[0].message or "")
    assert any(isinstance(e, EndReached) for e in events), events
    recorded = read_raw(default_raw)
    assert loud_blocks(recorded).sum() / 100 == pytest.approx(1.5, abs=0.05)  # all of it
    assert dominant_hz(recorded[:, 0]) == pytest.approx(FREQ, abs=1.0)
