"""Bit-perfect output: what reaches the card is the file's own samples, bit for bit.

The test gives ALSA a device of its own (an ``.asoundrc`` in a private HOME):
a ``file`` PCM that writes every byte PortAudio hands it to a file on its way
to a private PulseAudio daemon's null sink (which plays it at a card's pace;
ALSA's own ``null`` PCM takes audio as fast as it comes, faster than any
decoder, so it would starve a player that is not at fault). ``kindred play --bit-perfect --device kindred_capture`` plays to
it as it would to a sound card (``hw:`` on a real machine); the capture must
equal the decoded file exactly, at the file's own rate and in its own format.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import soundfile

from tests.pulse import PulseServer

ROOT = Path(__file__).resolve().parents[3]
DEVICE = "kindred_capture"


def _missing() -> str | None:
    from player.audio.output.sinks import portaudio_error
    from tests.pulse import pulse_missing

    error = portaudio_error()
    return error.short if error is not None else pulse_missing()


pytestmark = pytest.mark.skipif(_missing() is not None, reason=str(_missing()))


@pytest.fixture(scope="module")
def pulse() -> Iterator[PulseServer]:
    with PulseServer() as server:
        yield server


@pytest.fixture
def capture_device(tmp_path: Path, pulse: PulseServer) -> tuple[dict[str, str], Path]:
    return alsa_home(tmp_path, pulse)


def alsa_home(tmp_path: Path, pulse: PulseServer) -> tuple[dict[str, str], Path]:
    """A HOME whose .asoundrc adds the capturing device; the capture's path."""
    home = tmp_path / "home"
    home.mkdir()
    capture = tmp_path / "captured.raw"
    (home / ".asoundrc").write_text(
        f"pcm.{DEVICE} {{\n"
        "  type file\n"
        '  slave.pcm "pulse"\n'
        f'  file "{capture}"\n'
        '  format "raw"\n'
        '  hint { show on description "Kindred test capture" }\n'
        "}\n"
    )
    env = {**pulse.env, "HOME": str(home), "KINDRED_HOME": str(tmp_path / "kindred")}
    return env, capture


def noise(frames: int, bits: int, seed: int) -> np.ndarray:
    """Random full-range integer samples (no silence to hide a shifted start)."""
    rng = np.random.default_rng(seed)
    top = 2 ** (bits - 1)
    return rng.integers(-top // 2, top // 2, size=(frames, 2), dtype=np.int64)


def play(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "player", "play", "--device", DEVICE, *args],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def captured_samples(capture: Path, dtype: str) -> np.ndarray:
    data = np.fromfile(capture, dtype=dtype)
    return data[: data.size - data.size % 2].reshape(-1, 2).astype(np.int64)


def starts_at(captured: np.ndarray, expected: np.ndarray) -> int:
    """Where the music begins in the capture (the card is primed with silence first)."""
    sounding = np.flatnonzero(np.any(captured != 0, axis=1))
    assert len(sounding), "nothing but silence reached the device"
    return int(sounding[0])


@pytest.mark.parametrize(("bits", "rate"), [(16, 44100), (24, 96000)])
def test_the_card_gets_the_files_samples_bit_for_bit(
    tmp_path: Path, capture_device: tuple[dict[str, str], Path], bits: int, rate: int
) -> None:
    env, capture = capture_device
    samples = noise(rate, bits, seed=bits)
    path = tmp_path / f"noise{bits}.flac"
    soundfile.write(path, samples.astype(np.int32) << (32 - bits), rate, subtype=f"PCM_{bits}")
    result = play(env, "--bit-perfect", str(path))
    assert result.returncode == 0, result.stderr
    # 16-bit goes out as int16; 24-bit as int32 holding the sample left-justified
    got = captured_samples(capture, "<i2" if bits == 16 else "<i4")
    if bits == 24:
        assert not np.any(got & 0xFF), "the low byte of a 24-bit sample carries nothing"
        got = got >> 8
    start = starts_at(got, samples)
    assert np.array_equal(got[start : start + len(samples)], samples)
    assert not np.any(got[start + len(samples) :]), "only silence after the last sample"


def test_shared_mode_changes_the_samples_the_harness_sees_it(
    tmp_path: Path, capture_device: tuple[dict[str, str], Path]
) -> None:
    """Without --bit-perfect and at 50 % volume the card gets float, 18 dB down: the
    comparison above would fail, so it is a real check."""
    env, capture = capture_device
    samples = noise(44100, 16, seed=7)
    path = tmp_path / "noise.flac"
    soundfile.write(path, samples.astype(np.int16), 44100, subtype="PCM_16")
    result = play(env, "--volume", "50", "--replaygain", "off", str(path))
    assert result.returncode == 0, result.stderr
    got = np.fromfile(capture, dtype="<f4").reshape(-1, 2)
    sounding = got[np.any(got != 0, axis=1)]
    ratio = np.abs(sounding).mean() / (np.abs(samples).mean() / 32768)
    assert 20 * np.log10(ratio) == pytest.approx(-18.06, abs=0.3)


def test_a_new_format_reopens_the_card_after_the_last_one_is_heard(
    tmp_path: Path, capture_device: tuple[dict[str, str], Path]
) -> None:
    """16/44.1 then 24/96: the card is opened again in the second's own format (the
    capture file starts anew with it) and gets its samples bit for bit."""
    env, capture = capture_device
    first = tmp_path / "first.flac"
    soundfile.write(first, noise(44100, 16, seed=1).astype(np.int16), 44100, subtype="PCM_16")
    second_samples = noise(96000, 24, seed=2)
    second = tmp_path / "second.flac"
    soundfile.write(second, second_samples.astype(np.int32) << 8, 96000, subtype="PCM_24")
    result = play(env, "--bit-perfect", str(first), str(second))
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("Playing:") == 2
    got = captured_samples(capture, "<i4") >> 8
    start = starts_at(got, second_samples)
    assert np.array_equal(got[start : start + len(second_samples)], second_samples)
