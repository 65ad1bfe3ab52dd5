"""Analysis of generated signals: tempo, key, loudness, features, and hostile files."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pyloudnorm
import pytest

from player.recommend.analysis import AnalysisJob, analyse
from player.recommend.decode import decode
from player.recommend.features import DIM, GROUPS
from tests.audiogen import requires_ffmpeg
from tests.recommend.signals import RATE, clicks, noise, progression, tone, triad, write


def run(path: Path):
    result = analyse(AnalysisJob(1, str(path), path.stat().st_size, 0))
    return result


@pytest.mark.parametrize("bpm", [90.0, 120.0, 140.0])
def test_click_track_tempo(tmp_path: Path, bpm: float) -> None:
    result = run(write(tmp_path / f"click{bpm}.flac", clicks(bpm, 20.0)))
    assert result.ok, result.error
    assert result.bpm == pytest.approx(bpm, abs=2.5)


def test_steady_tone_has_no_confident_tempo_but_a_key(tmp_path: Path) -> None:
    result = run(write(tmp_path / "a440.wav", tone([440.0], 8.0)))
    assert result.ok
    assert result.key.rstrip("m") == "A"


def test_cadences_give_their_keys(tmp_path: Path) -> None:
    a, d, e = 220.0, 293.66, 329.63
    a_major = progression([triad(a), triad(d), triad(e), triad(a)])  # I IV V I
    c, f, g = 261.63, 349.23, 392.0
    c_minor = progression([triad(c, True), triad(f, True), triad(g), triad(c, True)])  # i iv V i
    assert run(write(tmp_path / "amaj.flac", a_major)).key == "A"
    assert run(write(tmp_path / "cmin.flac", c_minor)).key == "Cm"


def test_six_db_quieter_copy_measures_six_db_lower_and_gets_six_db_more_gain(
    tmp_path: Path,
) -> None:
    loud = np.stack([noise(10, 0.1, 1), noise(10, 0.1, 2)], axis=1)
    quiet = loud * 10 ** (-6 / 20)
    a, b = run(write(tmp_path / "loud.flac", loud)), run(write(tmp_path / "quiet.flac", quiet))
    assert a.lufs - b.lufs == pytest.approx(6.0, abs=0.05)
    assert b.track_gain - a.track_gain == pytest.approx(6.0, abs=0.05)
    assert a.peak == pytest.approx(float(np.abs(loud).max()), abs=1e-3)


def test_loudness_agrees_with_a_full_rate_reference_meter(tmp_path: Path) -> None:
    # a music-like stereo signal: chords plus percussion plus a little noise, not identical channels
    left = tone([220.0, 277.18, 329.63], 12.0, 0.4) + 0.5 * clicks(110, 12.0) + noise(12, 0.02, 3)
    right = tone([220.0, 329.63], 12.0, 0.4) + 0.4 * clicks(110, 12.0) + noise(12, 0.02, 4)
    audio = np.stack([left, right], axis=1)
    path = write(tmp_path / "mix.flac", audio)
    reference = pyloudnorm.Meter(RATE).integrated_loudness(audio.astype(np.float64))
    assert run(path).lufs == pytest.approx(reference, abs=0.5)


def test_silence_has_no_loudness_but_is_analysed(tmp_path: Path) -> None:
    result = run(write(tmp_path / "silence.wav", np.zeros(RATE * 3)))
    assert result.ok and result.lufs is None and result.track_gain is None


def test_feature_vector_shape_and_groups(tmp_path: Path) -> None:
    result = run(write(tmp_path / "n.wav", noise(5)))
    assert result.vector.shape == (DIM,) and result.vector.dtype == np.float32
    assert np.isfinite(result.vector).all()
    covered = sorted(i for s in GROUPS.values() for i in range(DIM)[s])
    assert covered == list(range(DIM))


def test_range_of_a_file_is_decoded_alone(tmp_path: Path) -> None:
    audio = np.concatenate([np.zeros(RATE * 2), tone([440.0], 2.0)])
    path = write(tmp_path / "two.wav", audio)
    tail = decode(str(path), start_s=2.0, end_s=4.0)
    head = decode(str(path), start_s=0.0, end_s=2.0)
    assert tail.seconds == pytest.approx(2.0, abs=0.05)
    assert np.abs(head.mono).max() < 0.01 < np.abs(tail.mono).max()


def test_long_file_is_capped(tmp_path: Path) -> None:
    path = write(tmp_path / "long.wav", noise(6.0))
    result = analyse(AnalysisJob(1, str(path), 0, 0), max_seconds=2.0)
    assert result.ok and result.seconds == pytest.approx(2.0, abs=0.05)


@pytest.mark.parametrize(
    ("fmt", "subtype", "ext"), [("MAT5", "FLOAT", "mat"), ("MPC2K", "PCM_16", "snd")]
)
def test_file_ffmpeg_cannot_open_is_read_by_libsndfile(
    tmp_path: Path, fmt: str, subtype: str, ext: str
) -> None:
    """FFmpeg refuses these containers outright; the second decoder reads them."""
    import av
    import soundfile as sf

    audio = np.concatenate([np.zeros(RATE), tone([440.0], 3.0, amp=0.5)])
    path = tmp_path / f"tone.{ext}"
    sf.write(str(path), audio, RATE, format=fmt, subtype=subtype)
    with pytest.raises(av.FFmpegError):
        av.open(str(path))
    whole = decode(str(path))
    assert whole.seconds == pytest.approx(4.0, abs=0.01)
    assert whole.sample_peak == pytest.approx(float(np.abs(audio).max()), abs=1e-3)
    tail = decode(str(path), start_s=1.0, end_s=2.0)
    assert tail.seconds == pytest.approx(1.0, abs=0.01) and np.abs(tail.mono).max() > 0.3
    result = analyse(AnalysisJob(1, str(path), 0, 0))
    assert result.ok and result.key.startswith("A")


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not audio at all\n" * 100,
        bytes(np.random.default_rng(1).integers(0, 256, 50_000, dtype=np.uint8)),
    ],
    ids=["empty", "text", "random"],
)
def test_hostile_files_fail_with_a_reason(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.flac"
    path.write_bytes(content)
    result = run(path)
    assert not result.ok
    assert result.error and result.vector is None


def test_missing_file_fails_with_a_reason(tmp_path: Path) -> None:
    result = analyse(AnalysisJob(1, str(tmp_path / "gone.mp3"), 0, 0))
    assert not result.ok and "open" in result.error.lower()


@requires_ffmpeg
def test_corrupt_packets_are_skipped_not_fatal(tmp_path: Path) -> None:
    wav = write(tmp_path / "src.wav", tone([330.0], 20.0))
    mp3 = tmp_path / "damaged.mp3"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-i", str(wav), "-c:a", "libmp3lame", "-b:a", "128k", str(mp3)],
        check=True,
    )  # fmt: skip
    data = bytearray(mp3.read_bytes())
    rng = np.random.default_rng(5)
    middle = len(data) // 2
    data[middle : middle + 6000] = rng.integers(0, 256, 6000, dtype=np.uint8).tobytes()
    mp3.write_bytes(bytes(data))
    result = run(mp3)
    assert result.ok, result.error
    assert result.seconds > 15.0  # most of the file survives the damage


@requires_ffmpeg
def test_many_formats_decode(tmp_path: Path) -> None:
    wav = write(tmp_path / "src.wav", np.stack([tone([440.0], 3.0)] * 2, axis=1))
    for ext, args in (
        (".ogg", ["-c:a", "libvorbis"]),
        (".opus", ["-c:a", "libopus"]),
        (".m4a", ["-c:a", "aac"]),
    ):
        out = tmp_path / f"x{ext}"
        subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(wav), *args, str(out)], check=True)
        result = run(out)
        assert result.ok, (ext, result.error)
        assert result.seconds == pytest.approx(3.0, abs=0.1), ext
        assert result.key.rstrip("m") == "A", ext


def test_video_without_audio_fails(tmp_path: Path) -> None:
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg missing")
    out = tmp_path / "v.mkv"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "color=c=black:s=32x32:d=1", str(out)],
        check=True,
    )  # fmt: skip
    result = run(out)
    assert not result.ok and "no audio" in result.error.lower()


@pytest.mark.parametrize("rate", [22050, 44100, 48000, 96000])
def test_k_weighting_response_matches_scipy(rate: int) -> None:
    """Loudness computes its filter response itself (scipy.signal costs every worker seconds)."""
    from scipy.signal import sosfreqz

    from player.recommend.loudness import k_weighting, sos_response

    freqs = np.fft.rfftfreq(4096, 1.0 / rate)
    _, expected = sosfreqz(k_weighting(rate), worN=freqs, fs=rate)
    assert np.allclose(sos_response(k_weighting(rate), freqs, rate), expected, rtol=0, atol=1e-12)


def test_stereo_mono_mix_is_exactly_the_channel_mean() -> None:
    from player.recommend.decode import Decoded

    rng = np.random.default_rng(3)
    channels = rng.uniform(-1.0, 1.0, (2, 50_001)).astype(np.float32)
    mono = Decoded(channels, 22050, 1.0, 0, False).mono
    assert mono.dtype == np.float32
    assert np.array_equal(mono, channels.mean(axis=0))
