"""FLAC, WAV and AIFF read through libsndfile give FFmpeg's path's result bit for bit."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest
import soundfile as sf

from player.recommend import decode as dec
from player.recommend import sndfile_decode


def ffmpeg_path(path: Path, max_seconds: float = dec.MAX_SECONDS) -> dec.Decoded:
    """The same file through FFmpeg's path, which ``decode`` skips for these files."""
    with av.open(str(path)) as container:
        return dec._decode_open(container, str(path), dec.RATE, 0.0, None, max_seconds)


def music(seconds: float, rate: int, channels: int) -> np.ndarray:
    rng = np.random.default_rng(channels)
    t = np.arange(int(seconds * rate)) / rate
    tone = 0.4 * np.sin(2 * np.pi * 220 * t) + 0.3 * np.sin(2 * np.pi * 1375 * t)
    planes = [tone * (1.0 - 0.3 * i) + rng.normal(0, 0.05, t.size) for i in range(channels)]
    return np.clip(np.stack(planes, axis=1), -1.0, 1.0)


@pytest.mark.parametrize(
    ("ext", "rate", "channels", "subtype"),
    [
        ("flac", 44100, 2, "PCM_16"),
        ("flac", 48000, 2, "PCM_24"),
        ("flac", 96000, 1, "PCM_24"),
        ("flac", 22050, 1, "PCM_16"),
        ("wav", 44100, 2, "PCM_16"),
        ("wav", 48000, 2, "PCM_24"),
        ("wav", 44100, 1, "PCM_32"),
        ("aiff", 44100, 2, "PCM_16"),
        ("aif", 32000, 2, "PCM_24"),
    ],
)
def test_lossless_matches_ffmpeg_bit_for_bit(
    tmp_path: Path, ext: str, rate: int, channels: int, subtype: str
) -> None:
    path = tmp_path / f"x.{ext}"
    fmt = "AIFF" if ext.startswith("aif") else None
    sf.write(str(path), music(7.3, rate, channels), rate, subtype=subtype, format=fmt)
    assert sndfile_decode.read_lossless(str(path), dec.RATE, dec.MAX_SECONDS) is not None
    lean, ffmpeg = dec.decode(str(path)), ffmpeg_path(path)
    assert lean.channels.shape == ffmpeg.channels.shape == (channels, round(7.3 * dec.RATE))
    assert np.array_equal(lean.channels, ffmpeg.channels)
    assert lean.sample_peak == ffmpeg.sample_peak > 0.5
    assert (
        (lean.bad_packets, lean.truncated) == (ffmpeg.bad_packets, ffmpeg.truncated) == (0, False)
    )


def test_other_sample_types_go_through_ffmpeg(tmp_path: Path) -> None:
    for subtype in ("FLOAT", "PCM_U8"):
        path = tmp_path / f"{subtype}.wav"
        sf.write(str(path), music(2.0, 44100, 2), 44100, subtype=subtype)
        assert sndfile_decode.read_lossless(str(path), dec.RATE, dec.MAX_SECONDS) is None
        assert dec.decode(str(path)).seconds == pytest.approx(2.0)


def test_long_or_surround_flac_goes_through_ffmpeg(tmp_path: Path) -> None:
    surround = tmp_path / "six.flac"
    sf.write(str(surround), music(2.0, 44100, 6), 44100, subtype="PCM_16")
    assert sndfile_decode.read_lossless(str(surround), dec.RATE, dec.MAX_SECONDS) is None
    assert dec.decode(str(surround)).channels.shape[0] == 2
    long = tmp_path / "long.flac"
    sf.write(str(long), music(5.0, 44100, 2), 44100, subtype="PCM_16")
    assert sndfile_decode.read_lossless(str(long), dec.RATE, 4.0) is None
    capped = dec.decode(str(long), max_seconds=4.0)
    assert capped.truncated and capped.seconds == pytest.approx(4.0)


def test_damaged_flac_is_left_to_ffmpeg(tmp_path: Path) -> None:
    path = tmp_path / "damaged.flac"
    sf.write(str(path), music(20.0, 44100, 2), 44100, subtype="PCM_16")
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 6000] = (
        np.random.default_rng(5).integers(0, 256, 6000, np.uint8).tobytes()
    )
    path.write_bytes(bytes(data))
    assert sndfile_decode.read_lossless(str(path), dec.RATE, dec.MAX_SECONDS) is None
    got, ffmpeg = dec.decode(str(path)), ffmpeg_path(path)
    assert got.seconds > 15.0
    assert got.channels.shape == ffmpeg.channels.shape
    assert np.array_equal(got.channels, ffmpeg.channels)
