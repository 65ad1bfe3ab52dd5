"""Measure what libVLC renders (amem -> WAV): faithful samples and start latency."""

from __future__ import annotations

import subprocess
import time
import wave
from pathlib import Path

import numpy as np
import pytest

from player.audio.engine import EndReached, MediaItem, PlaybackState
from player.audio.vlc_engine import VlcEngine, libvlc_available
from tests.audiogen import make_audio, requires_ffmpeg

pytestmark = [
    requires_ffmpeg,
    pytest.mark.skipif(not libvlc_available(), reason="libVLC is not installed (CI installs VLC)"),
]


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    with wave.open(str(path), "rb") as wav:
        assert wav.getsampwidth() == 2
        data = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
        return data.reshape(-1, wav.getnchannels()).astype(np.int32), wav.getframerate()


def decode_s16(path: Path) -> np.ndarray:
    raw = subprocess.run(
        ["ffmpeg", "-v", "error", "-nostdin", "-i", str(path), "-f", "s16le", "-"],
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout
    return np.frombuffer(raw, dtype="<i2").reshape(-1, 2).astype(np.int32)


def render(
    source: Path, out: Path, *, volume: int = 100, muted: bool = False, realtime: bool = False
) -> tuple[np.ndarray, float]:
    """Play *source* to the end into *out*; returns the samples and play->first audio (s)."""
    engine = VlcEngine(output=out, realtime=realtime)
    try:
        engine.set_volume(volume)
        engine.set_muted(muted)
        engine.load(MediaItem(str(source)))
        started = time.monotonic()
        engine.play()
        deadline = started + 10
        while time.monotonic() < deadline:
            event = engine.wait_event(0.1)
            if isinstance(event, EndReached):
                break
        assert engine.state == PlaybackState.ENDED
        assert engine.renderer is not None and engine.renderer.first_audio_at is not None
        first_audio = engine.renderer.first_audio_at - started
    finally:
        engine.close()
    samples, rate = read_wav(out)
    assert rate == 44100
    return samples, first_audio


def first_sound(samples: np.ndarray) -> int:
    return int(np.argmax(np.abs(samples).max(axis=1) > 0))


@pytest.fixture(scope="module")
def flac(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_audio(tmp_path_factory.mktemp("src") / "tone.flac", "flac", seconds=2.0, freq=997)


def test_faithful_16bit_render(flac: Path, tmp_path: Path) -> None:
    rendered, first_audio = render(flac, tmp_path / "out.wav")
    reference = decode_s16(flac)
    got = rendered[first_sound(rendered) :]
    want = reference[first_sound(reference) :]
    n = min(len(got), len(want))
    assert n > 0.95 * len(want)
    deviation = int(np.abs(got[:n] - want[:n]).max())
    print(f"max deviation {deviation} LSB over {n} frames; play->first audio {first_audio:.3f}s")
    assert deviation <= 1
    assert first_audio < 0.5
