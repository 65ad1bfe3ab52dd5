"""The stage's decoder gives every sample of a track and no more, whatever the format."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import numpy as np
import pytest
import soundfile

from player.audio.engine import MediaItem, PlaybackError
from player.audio.output.decoder import SndfileSource, Source, open_source
from tests.audiogen import requires_ffmpeg
from tests.sinegap import continuous_sine, write_wav

pytestmark = requires_ffmpeg
RATE = 44100


def decode(path: Path, **kwargs: object) -> np.ndarray:
    source = open_source(MediaItem(str(path)))
    try:
        return np.concatenate(list(source.frames(**kwargs)))  # type: ignore[arg-type]
    finally:
        source.close()


def encode(wav: Path, out: Path, *codec: str) -> Path:
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(wav), *codec, str(out)],
                   check=True, timeout=60)  # fmt: skip
    return out


@pytest.fixture(scope="module")
def sweep(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, np.ndarray]:
    """A 2 s sweep (no two stretches alike, so any shift shows), 16-bit WAV."""
    folder = tmp_path_factory.mktemp("sweep")
    t = np.arange(2 * RATE) / RATE
    mono = 0.5 * np.sin(2 * np.pi * (100 * t + 2000 * t**2))
    mono = np.round(mono * 32767) / 32768
    frames = np.stack([mono, -mono], axis=1)
    return write_wav(folder / "sweep.wav", frames), frames


def test_flac_16_and_24_bit_decode_exactly(sweep: tuple[Path, np.ndarray], tmp_path: Path) -> None:
    wav, frames = sweep
    flac16 = encode(wav, tmp_path / "a.flac", "-c:a", "flac")
    assert np.array_equal(decode(flac16), frames.astype(np.float32))
    hi = np.round(frames * 2**23) / 2**23 * 0.999
    hi = np.round(hi * 2**23) / 2**23
    path = tmp_path / "b.flac"
    soundfile.write(path, hi, 96000, subtype="PCM_24")
    assert np.array_equal(decode(path), hi.astype(np.float32))
    source = Source(MediaItem(str(path)))
    assert (source.format.rate, source.format.bits) == (96000, 24)
    source.close()


@pytest.mark.parametrize(
    ("codec", "ext"),
    [
        (("-c:a", "libmp3lame", "-b:a", "256k"), "mp3"),
        (("-c:a", "libopus", "-b:a", "160k"), "opus"),
    ],
)
def test_lossy_tracks_keep_their_length_and_place(
    sweep: tuple[Path, np.ndarray], tmp_path: Path, codec: tuple[str, ...], ext: str
) -> None:
    """The encoder's delay and padding are trimmed: as many samples, none shifted."""
    wav, frames = sweep
    decoded = decode(encode(wav, tmp_path / f"s.{ext}", *codec), rate=RATE)
    assert abs(len(decoded) - len(frames)) <= (0 if ext == "mp3" else 2)
    middle = slice(RATE // 2, RATE)
    lag = np.argmax(np.correlate(decoded[RATE // 2 - 50 : RATE + 50, 0], frames[middle, 0])) - 50
    assert lag == 0


def test_a_range_and_a_seek_start_at_the_exact_sample(sweep: tuple[Path, np.ndarray],
                                                      tmp_path: Path) -> None:  # fmt: skip
    wav, frames = sweep
    flac = encode(wav, tmp_path / "a.flac", "-c:a", "flac")
    part = decode(flac, start=30_001, end=70_003)
    assert np.array_equal(part, frames[30_001:70_003].astype(np.float32))


def test_a_file_ffmpeg_refuses_is_read_by_libsndfile(sweep: tuple[Path, np.ndarray],
                                                     tmp_path: Path) -> None:  # fmt: skip
    _, frames = sweep
    path = tmp_path / "matlab.mat"  # MAT5: libsndfile writes and reads it, FFmpeg does not
    soundfile.write(path, frames, RATE, format="MAT5", subtype="PCM_16")
    with pytest.raises(PlaybackError):
        Source(MediaItem(str(path)))
    source = open_source(MediaItem(str(path)))
    assert isinstance(source, SndfileSource)
    source.close()
    assert np.array_equal(decode(path), frames.astype(np.float32))


def test_a_rate_the_stream_does_not_have_is_converted(tmp_path: Path) -> None:
    sine = continuous_sine(1.0, 441.0, 48000)
    path = write_wav(tmp_path / "48k.wav", sine, 48000)
    decoded = decode(path, rate=RATE)
    assert abs(len(decoded) - RATE) <= 1
    spectrum = np.abs(np.fft.rfft(decoded[:, 0]))
    assert np.argmax(spectrum) == pytest.approx(441, abs=1)  # 1 Hz bins: still 441 Hz


def test_damaged_and_missing_files_fail_with_a_reason(tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.flac"
    damaged.write_bytes(os.urandom(20_000))
    with pytest.raises(PlaybackError) as error:
        open_source(MediaItem(str(damaged), title="Damaged"))
    assert "Damaged" in error.value.short
    with pytest.raises(PlaybackError) as error:
        open_source(MediaItem(str(tmp_path / "gone.flac"), title="Gone"))
    assert "not found" in error.value.short
