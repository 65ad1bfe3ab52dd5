"""What a card of integers gets: TPDF dither when the signal was changed, the file's
own samples when it was not, and a word when bit-perfect is not possible.

The card is the bit-perfect test's capturing device (ALSA's ``file`` PCM on its
way to a private PulseAudio sink), told to take 16-bit integers with
``--sample-format 16``, as a 16-bit DAC's ``hw:`` device would (Kindred asks
ALSA which formats a card takes; see ``test_native_formats_come_from_alsa``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile
from mutagen.flac import FLAC

from tests.audio.output.test_bit_perfect import (
    ROOT,
    alsa_home,
    captured_samples,
    noise,
    play,
    pytestmark,  # noqa: F401 (the same reasons to skip)
    starts_at,
)
from tests.pulse import PulseServer


@pytest.fixture(scope="module")
def pulse() -> PulseServer:  # type: ignore[misc]
    with PulseServer() as server:
        yield server


def _flac16(path: Path, samples: np.ndarray, gain_db: float | None = None) -> Path:
    soundfile.write(path, samples.astype(np.int16), 44100, subtype="PCM_16")
    if gain_db is not None:
        tags = FLAC(path)
        tags["REPLAYGAIN_TRACK_GAIN"] = f"{gain_db:.2f} dB"
        tags["REPLAYGAIN_TRACK_PEAK"] = "0.25"
        tags.save()
    return path


def _captured16(capture: Path, frames: int) -> np.ndarray:
    got = captured_samples(capture, "<i2")
    start = starts_at(got, got)
    return got[start : start + frames]


def test_replaygain_on_a_16_bit_card_is_exact_in_level_and_tpdf_dithered(
    tmp_path: Path, pulse: PulseServer
) -> None:
    env, capture = alsa_home(tmp_path, pulse)
    samples = noise(44100, 14, seed=3)  # ±4096: well inside 16 bits after -6 dB
    path = _flac16(tmp_path / "rg.flac", samples, gain_db=-6.0)
    result = play(env, "--sample-format", "16", "--replaygain", "track", "--volume", "100",
                  str(path))  # fmt: skip
    assert result.returncode == 0, result.stderr
    got = _captured16(capture, len(samples)).astype(np.float64)
    assert len(got) == len(samples)
    ideal = samples * 10 ** (-6.0 / 20)
    level_db = 10 * np.log10((got**2).mean() / (samples.astype(np.float64) ** 2).mean())
    assert level_db == pytest.approx(-6.0, abs=0.05)
    error = got - ideal  # in 16-bit steps
    # rounding alone: uniform in ±0.5 (variance 1/12); TPDF dither of ±1 step adds a
    # triangular 1/6: 1/4 in all, reaching ±1.5, centred and blind to the signal
    assert error.var() == pytest.approx(0.25, abs=0.015)
    assert np.abs(error).max() <= 1.5 + 1e-6
    # beyond one step only with triangular dither: 2 × ∫₀^½ q²/2 dq = 1/24 of the samples
    assert (np.abs(error) > 1.0).mean() == pytest.approx(1 / 24, abs=0.006)
    assert abs(error.mean()) < 0.01
    # blind to the signal: the correlation of n independent values spreads by 1/sqrt(n)
    # (about 0.004 here, and the dither is random on each run), so 5 of those is the bound
    assert abs(np.corrcoef(error.ravel(), ideal.ravel())[0, 1]) < 5 / np.sqrt(error.size)
    hist, _ = np.histogram(error, bins=6, range=(-1.5, 1.5))
    assert hist[2] > hist[1] > hist[0] and hist[3] > hist[4] > hist[5], "a peak at 0: TPDF"


def test_an_unchanged_16_bit_track_reaches_a_16_bit_card_exactly(
    tmp_path: Path, pulse: PulseServer
) -> None:
    """At 100 % with no ReplayGain or equalizer there is nothing to dither."""
    env, capture = alsa_home(tmp_path, pulse)
    samples = noise(44100, 16, seed=4)
    path = _flac16(tmp_path / "plain.flac", samples)
    result = play(env, "--sample-format", "16", "--replaygain", "off", "--volume", "100",
                  "--eq", "off", str(path))  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert np.array_equal(_captured16(capture, len(samples)), samples)


def test_bit_perfect_24_bit_on_a_16_bit_card_says_why_and_dithers(
    tmp_path: Path, pulse: PulseServer
) -> None:
    env, capture = alsa_home(tmp_path, pulse)
    samples = noise(44100, 24, seed=5)
    path = tmp_path / "hires.flac"
    soundfile.write(path, samples.astype(np.int32) << 8, 44100, subtype="PCM_24")
    result = play(env, "--bit-perfect", "--sample-format", "16", str(path))
    assert result.returncode == 0, result.stderr
    assert "takes at most 16-bit samples, not this track's 24" in result.stderr
    assert "not bit-perfect" in result.stderr
    got = _captured16(capture, len(samples)).astype(np.float64)
    error = got - samples / 256.0
    assert error.var() == pytest.approx(0.25, abs=0.015), "dithered, not truncated"
    assert abs(error.mean()) < 0.01, "truncation would lean half a step down"


def test_native_formats_come_from_alsa(tmp_path: Path) -> None:
    """A card of integers only (ALSA's ``linear`` plugin in front of a null PCM) and one
    that takes float: Kindred asks ALSA, as it does for a ``hw:`` device."""
    home = tmp_path / "home"
    home.mkdir()
    (home / ".asoundrc").write_text(
        "pcm.kindred_nul { type null }\n"
        "pcm.kindred_ints { type linear\n"
        '  slave { pcm "kindred_nul"; format S16_LE } }\n'
    )
    code = (
        "from player.audio.output.formats import native_formats as n\n"
        "print(n('kindred_ints'), n('kindred_nul'), n('no_such_card'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={**os.environ, "HOME": str(home)},
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == [
        "Native(float32=False,", "int_bits=32)",
        "Native(float32=True,", "int_bits=32)",
        "None",
    ]  # fmt: skip


def test_devices_json_tells_each_cards_formats_and_output_path(
    tmp_path: Path, pulse: PulseServer
) -> None:
    env, _capture = alsa_home(tmp_path, pulse)
    out = subprocess.run(
        [sys.executable, "-m", "player", "devices", "--json"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    rows = {row["id"]: row for row in json.loads(out.stdout)}
    card = rows["kindred_capture"]
    assert card["host_api"] == "ALSA"
    assert card["formats"][0] == "float32"  # ALSA's file PCM on PulseAudio takes float
    assert card["output"]["16/44.1"] == {
        "path": "shared · 44.1 kHz → kindred_capture",
        "notice": None,
    }


def _a52_missing() -> bool:
    return not any(Path(d).glob("libasound_module_pcm_a52.so") for d in _ALSA_PLUGIN_DIRS)


_ALSA_PLUGIN_DIRS = ("/usr/lib/x86_64-linux-gnu/alsa-lib", "/usr/lib/aarch64-linux-gnu/alsa-lib",
                     "/usr/lib64/alsa-lib", "/usr/lib/alsa-lib")  # fmt: skip


@pytest.mark.skipif(_a52_missing(), reason="ALSA's a52 plugin is missing (CI installs "
                    "libasound2-plugins)")  # fmt: skip
def test_bit_perfect_on_a_card_that_refuses_the_rate_plays_shared_and_says_why(
    tmp_path: Path, pulse: PulseServer
) -> None:
    """ALSA's a52 PCM (an S/PDIF encoder) takes 48 kHz only, as many cards do: a 44.1 kHz
    track is converted for it, and the listener is told bit-perfect is not possible."""
    home = tmp_path / "home"
    home.mkdir()
    (home / ".asoundrc").write_text(
        'pcm.kindred_48k { type a52\n  slavepcm "pulse"\n'
        '  hint { show on description "48 kHz only" } }\n'
    )
    env = {**pulse.env, "HOME": str(home), "KINDRED_HOME": str(tmp_path / "kindred")}
    path = _flac16(tmp_path / "cd.flac", noise(44100, 16, seed=6))
    result = subprocess.run(
        [sys.executable, "-m", "player", "play", "--device", "kindred_48k", "--bit-perfect",
         str(path)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "kindred_48k does not take 44.1 kHz: playing shared at 48 kHz" in result.stderr
    assert "Playing: cd" in result.stdout
