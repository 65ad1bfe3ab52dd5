"""Output devices on real libVLC: listing them and falling back from a missing one.

A build machine may have no sound card at all, so these tests assert that the
calls work and that the fallback path speaks, not which devices exist.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from player.audio.engine import DeviceChanged, MediaItem, OutputDevice
from player.audio.fidelity import play_through
from player.audio.vlc_engine import VlcEngine, libvlc_available
from tests.audiogen import make_audio, requires_ffmpeg

pytestmark = pytest.mark.skipif(
    not libvlc_available(), reason="libVLC is not installed (CI installs VLC)"
)


@pytest.fixture
def engine() -> Iterator[VlcEngine]:
    engine = VlcEngine(output="device")
    yield engine
    engine.close()


def device_changes(engine: VlcEngine) -> list[DeviceChanged]:
    return [e for e in engine.drain_events() if isinstance(e, DeviceChanged)]


def test_output_devices_is_a_list_of_devices(engine: VlcEngine) -> None:
    devices = engine.output_devices()
    print("output devices:", devices)
    assert isinstance(devices, list)
    assert all(isinstance(d, OutputDevice) and d.id and d.description for d in devices)
    assert len({d.id for d in devices}) == len(devices)
    assert engine.output_device is None


def test_unknown_device_falls_back_to_the_default_with_a_message(engine: VlcEngine) -> None:
    engine.set_output_device("usb-dac-that-was-unplugged")
    changes = device_changes(engine)
    assert len(changes) == 1 and changes[0].device_id is None
    message = changes[0].message or ""
    assert "usb-dac-that-was-unplugged" in message and "default" in message
    assert engine.output_device is None


def test_a_listed_device_can_be_chosen_and_the_default_restored(engine: VlcEngine) -> None:
    devices = engine.output_devices()
    if not devices:
        pytest.skip("libVLC lists no output device here")
    engine.set_output_device(devices[-1].id)
    assert engine.output_device == devices[-1].id
    engine.set_output_device(None)
    assert engine.output_device is None
    changes = device_changes(engine)
    assert [c.device_id for c in changes] == [devices[-1].id, None]
    assert all(c.message is None for c in changes)


@requires_ffmpeg
def test_plays_through_a_chosen_device_across_items(engine: VlcEngine, tmp_path: Path) -> None:
    """libVLC's ALSA/PulseAudio list a "null" sink that takes audio without a sound card."""
    if "null" not in {d.id for d in engine.output_devices()}:
        pytest.skip("no null output device here")
    tone = make_audio(tmp_path / "tone.flac", "flac", seconds=0.5)
    engine.set_output_device("null")
    engine.set_volume(40)
    for _ in range(2):  # the second item must keep the device (no fallback on the way)
        play_through(engine, MediaItem(str(tone)), timeout_s=10)
    engine.stop()
    play_through(engine, MediaItem(str(tone)), timeout_s=10)
    assert engine.output_device == "null" and engine.volume == 40  # a fallback resets it
