"""The arithmetic between Kindred's decibels and libVLC's controls, and the WAV files.

Plain Python: the measured counterparts (what libVLC really renders with these
values) are in test_sound.py.
"""

from __future__ import annotations

import math
import struct
from pathlib import Path

import numpy as np
import pytest

from player.audio.engine import EQ_BANDS_HZ, Equalizer
from player.audio.soundmath import (
    EQ_UNITY_PREAMP,
    LIBVLC_EQ_MAX_DB,
    LIBVLC_EQ_MIN_DB,
    libvlc_eq_values,
    plan_equalizer,
    preset_from_libvlc,
    volume_db,
    volume_factor,
    volume_with_extra_gain,
)
from player.audio.wavio import FloatWavWriter, read_wav

FLAT = (0.0,) * len(EQ_BANDS_HZ)


def test_volume_is_cubic() -> None:
    assert volume_db(100) == 0
    assert volume_db(50) == pytest.approx(-18.06, abs=0.01)
    assert volume_db(0) == -math.inf
    assert volume_factor(50) == pytest.approx(0.125)
    assert volume_factor(80, muted=True) == 0.0


def test_extra_gain_through_the_volume() -> None:
    assert volume_with_extra_gain(80, 0.0) == 80
    assert volume_with_extra_gain(100, -6.0) == 79  # 60*log10(0.79) = -6.14 dB
    assert volume_with_extra_gain(100, 30.0) == 200  # libVLC's ceiling
    assert volume_with_extra_gain(0, 6.0) == 0


def test_no_equalizer_and_no_gain_attaches_nothing() -> None:
    assert libvlc_eq_values(None, 0.0) is None
    assert libvlc_eq_values(Equalizer(preset="Flat"), 0.0) is None


def test_unity_preamp_is_the_quarter_libvlc_takes_off() -> None:
    assert abs(EQ_UNITY_PREAMP - 12.0412) < 1e-4
    values = libvlc_eq_values(None, -6.0)
    assert values is not None
    assert values.preamp == pytest.approx(EQ_UNITY_PREAMP - 6.0)
    assert values.bands == FLAT and values.leftover_db == 0 and not values.clamped


def test_gain_and_equalizer_preamp_add_up() -> None:
    bands = tuple(float(i) for i in range(len(EQ_BANDS_HZ)))
    values = libvlc_eq_values(Equalizer(preamp_db=-2.0, bands_db=bands), 1.5)
    assert values is not None
    assert values.preamp == pytest.approx(EQ_UNITY_PREAMP - 0.5)
    assert values.bands == bands


def test_out_of_range_gain_is_clamped_and_the_rest_reported() -> None:
    loud = libvlc_eq_values(None, 10.0)
    assert loud is not None and loud.clamped
    assert loud.preamp == LIBVLC_EQ_MAX_DB
    assert loud.leftover_db == pytest.approx(EQ_UNITY_PREAMP + 10.0 - LIBVLC_EQ_MAX_DB)
    quiet = libvlc_eq_values(None, -40.0)
    assert quiet is not None and quiet.preamp == LIBVLC_EQ_MIN_DB
    assert quiet.preamp + quiet.leftover_db == pytest.approx(EQ_UNITY_PREAMP - 40.0)


def test_bands_beyond_the_range_are_clamped() -> None:
    bands = (30.0, -30.0, *FLAT[2:])
    values = libvlc_eq_values(Equalizer(bands_db=bands), 0.0)
    assert values is not None and values.clamped
    assert values.bands[:2] == (LIBVLC_EQ_MAX_DB, LIBVLC_EQ_MIN_DB)


def test_a_playing_item_keeps_its_equalizer_at_unity_instead_of_detaching() -> None:
    kept = plan_equalizer(None, 0.0, attached=True, live=True)
    assert kept is not None and kept.preamp == EQ_UNITY_PREAMP and kept.bands == FLAT
    assert plan_equalizer(None, 0.0, attached=True, live=False) is None
    assert plan_equalizer(None, 0.0, attached=False, live=True) is None


def test_presets_are_shown_relative_to_their_nominal_unity() -> None:
    flat = preset_from_libvlc("Flat", 12.0, [0.0] * 10)
    assert flat.is_flat and flat.preset == "Flat"
    rock = preset_from_libvlc("Rock", 5.0, [8.0, -0.0, *([0.0] * 8)])
    assert rock.preamp_db == -7.0 and rock.bands_db[1] == 0.0
    assert math.copysign(1, rock.bands_db[1]) == 1  # no "-0.0" shown


def test_float_wav_round_trip_and_appending(tmp_path: Path) -> None:
    writer = FloatWavWriter(tmp_path / "out.wav")
    a = np.linspace(-1, 1, 200).reshape(-1, 2)
    writer.append(a, 48000)
    writer.append(a * 0.5, 48000)
    samples, rate = read_wav(writer.path)
    assert rate == 48000 and samples.shape == (200, 2)
    assert np.allclose(samples, np.concatenate([a, a * 0.5]).astype(np.float32))
    with pytest.raises(ValueError, match="44100"):
        writer.append(a, 44100)


def test_a_header_claiming_more_than_was_written_is_read_in_whole_frames(tmp_path: Path) -> None:
    writer = FloatWavWriter(tmp_path / "out.wav")
    writer.append(np.full((10, 2), 0.25), 44100)
    data = bytearray(writer.path.read_bytes())
    size_at = data.index(b"data") + 4
    data[size_at : size_at + 4] = struct.pack("<I", 10 * 8 + 4)  # as libVLC's afile does
    writer.path.write_bytes(bytes(data[:-4]))  # and a torn last frame
    samples, _ = read_wav(writer.path)
    assert samples.shape == (9, 2) and np.all(samples == 0.25)


@pytest.mark.parametrize("bits", [16, 24])
def test_integer_pcm_is_read_exactly(tmp_path: Path, bits: int) -> None:
    values = np.array([-(2 ** (bits - 1)), -1, 0, 1, 2 ** (bits - 1) - 1])
    raw = b"".join(int(v).to_bytes(bits // 8, "little", signed=True) for v in values)
    fmt = struct.pack("<HHIIHH", 1, 1, 8000, 8000 * bits // 8, bits // 8, bits)
    body = b"WAVE" + b"fmt " + struct.pack("<I", 16) + fmt + b"data" + struct.pack("<I", len(raw))
    path = tmp_path / "pcm.wav"
    path.write_bytes(b"RIFF" + struct.pack("<I", len(body) + len(raw)) + body + raw)
    samples, rate = read_wav(path)
    assert rate == 8000
    assert np.array_equal(samples[:, 0] * 2 ** (bits - 1), values)
