"""The output stage's float signal path: equalizer levels and state, gain, quantization, presets."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from player.audio.engine import EQ_BANDS_HZ, Equalizer
from player.audio.output.dsp import (
    EQ_PRESETS,
    EqualizerFilter,
    apply_gain,
    gain_factor,
    needs_dither,
    quantize,
)
from player.audio.render import WavOutput
from player.audio.vlc_engine import VlcEngine, libvlc_available

LIBVLC_PRESET_NAMES = [
    "Flat",
    "Classical",
    "Club",
    "Dance",
    "Full bass",
    "Full bass and treble",
    "Full treble",
    "Headphones",
    "Large Hall",
    "Live",
    "Party",
    "Pop",
    "Reggae",
    "Rock",
    "Ska",
    "Soft",
    "Soft rock",
    "Techno",
]


def sine(freq: float, rate: int, seconds: float = 2.0, amp: float = 0.25) -> np.ndarray:
    """A steady stereo sine, float32 (frames, 2); the right channel at half level."""
    t = np.arange(int(rate * seconds)) / rate
    mono = amp * np.sin(2 * np.pi * freq * t)
    return np.stack([mono, mono / 2], axis=1).astype(np.float32)


def band(index: int, db: float, preamp_db: float = 0.0) -> Equalizer:
    bands = [0.0] * len(EQ_BANDS_HZ)
    bands[index] = db
    return Equalizer(preamp_db=preamp_db, bands_db=tuple(bands))


def level_db(eq: Equalizer, freq: float, rate: int) -> float:
    """Gain of *eq* at *freq*: RMS out / in of a steady sine, after the transient (first second)."""
    x = sine(freq, rate)
    flt = EqualizerFilter(rate, 2)
    flt.set(eq)
    y = flt.process(x)
    assert y.dtype == np.float32 and y.shape == x.shape

    def rms(a: np.ndarray) -> float:
        return float(np.sqrt(np.mean(a[rate:].astype(np.float64) ** 2)))

    return 20 * math.log10(rms(y) / rms(x))


# --- equalizer levels ----------------------------------------------------------


@pytest.mark.parametrize("rate", [44100, 96000])
@pytest.mark.parametrize("index", range(len(EQ_BANDS_HZ)))
@pytest.mark.parametrize("db", [6.0, -6.0])
def test_a_band_sets_its_level_at_its_centre(rate: int, index: int, db: float) -> None:
    centre = EQ_BANDS_HZ[index]
    assert level_db(band(index, db), centre, rate) == pytest.approx(db, abs=0.5)


@pytest.mark.parametrize("rate", [44100, 96000])
@pytest.mark.parametrize("index", range(len(EQ_BANDS_HZ)))
def test_a_band_barely_moves_frequencies_an_octave_and_more_away(rate: int, index: int) -> None:
    # an octave away a one-octave peak keeps about 1.1 dB of 6; only the 16 kHz band at
    # 44.1 kHz is wider below its centre (no room above it under Nyquist): 2.4 dB
    one_octave_limit = 3.0 if rate < 48000 else 1.5
    for other, freq in enumerate(EQ_BANDS_HZ):
        distance = abs(other - index)
        if distance == 0:
            continue
        moved = abs(level_db(band(index, 6.0), freq, rate))
        assert moved < (one_octave_limit if distance == 1 else 1.0), (EQ_BANDS_HZ[index], freq)


@pytest.mark.parametrize("rate", [44100, 96000])
@pytest.mark.parametrize("freq", [50, 440, 3000, 12000])
def test_the_preamp_alone_shifts_everything_by_its_value(rate: int, freq: float) -> None:
    eq = Equalizer(preamp_db=-4.5)
    assert level_db(eq, freq, rate) == pytest.approx(-4.5, abs=0.05)


def test_bands_above_0_45_of_the_rate_are_left_out() -> None:
    rate = 32000  # 16 kHz > 14.4 kHz: the top band has no say
    x = sine(12000, rate, seconds=0.5)
    flt = EqualizerFilter(rate, 2)
    flt.set(band(9, 12.0, preamp_db=-6.0))
    assert flt.active
    np.testing.assert_allclose(flt.process(x), x * 10 ** (-6 / 20), atol=1e-6)


# --- bypass, blocks, changes -----------------------------------------------------


@pytest.mark.parametrize("eq", [None, Equalizer(), EQ_PRESETS["Flat"]])
def test_bypass_returns_the_very_same_array(eq: Equalizer | None) -> None:
    flt = EqualizerFilter(44100, 2)
    flt.set(eq)
    x = sine(1000, 44100, seconds=0.1)
    assert flt.process(x) is x
    assert not flt.active


def test_going_back_to_flat_bypasses_after_one_fading_block() -> None:
    flt = EqualizerFilter(44100, 2)
    flt.set(EQ_PRESETS["Rock"])
    x = sine(1000, 44100, seconds=0.1)
    flt.process(x[:1024])
    flt.set(None)
    assert flt.active  # the next block still fades the equalizer out
    flt.process(x[1024:2048])
    assert not flt.active
    block = x[2048:3072]
    assert flt.process(block) is block


def test_processing_in_blocks_equals_processing_in_one_go() -> None:
    rng = np.random.default_rng(1)
    x = (rng.standard_normal((5120, 2)) * 0.2).astype(np.float32)
    whole, parts = EqualizerFilter(44100, 2), EqualizerFilter(44100, 2)
    for flt in (whole, parts):
        flt.set(EQ_PRESETS["Rock"])
    expected = whole.process(x)
    got = np.concatenate([parts.process(x[i : i + 512]) for i in range(0, 5120, 512)])
    np.testing.assert_allclose(got, expected, atol=1e-6)
    assert not np.allclose(expected, x, atol=1e-3)  # the equalizer did change the signal


def max_step(a: np.ndarray) -> float:
    return float(np.abs(np.diff(a.astype(np.float64), axis=0)).max())


def steady(eq: Equalizer | None, x: np.ndarray, rate: int) -> np.ndarray:
    flt = EqualizerFilter(rate, 2)
    flt.set(eq)
    return flt.process(x)[rate // 2 :]


@pytest.mark.parametrize(
    ("freq", "before", "after"),
    [
        (62, band(1, 6.0), band(1, -6.0)),
        (1000, band(5, -6.0), band(5, 9.0)),
        (8000, band(8, 6.0), band(8, -6.0)),
        (62, EQ_PRESETS["Full bass"], EQ_PRESETS["Full treble"]),
        (5000, EQ_PRESETS["Rock"], EQ_PRESETS["Classical"]),
        (62, None, EQ_PRESETS["Full bass"]),
        (62, EQ_PRESETS["Full bass"], None),
    ],
)
def test_changing_the_settings_mid_stream_does_not_jump(
    freq: float, before: Equalizer | None, after: Equalizer | None
) -> None:
    rate = 44100
    x = sine(freq, rate, seconds=1.0, amp=0.4)
    flt = EqualizerFilter(rate, 2)
    flt.set(before)
    out = []
    for i in range(0, len(x), 512):
        if i == 512 * 40:
            flt.set(after)
        out.append(flt.process(x[i : i + 512]))
    y = np.concatenate(out)
    normal = max(max_step(steady(before, x, rate)), max_step(steady(after, x, rate)))
    around = y[512 * 40 - 512 : 512 * 44]
    assert max_step(around) <= 1.1 * normal
    # and the new settings did take over (the last 0.2 s, well after the change)
    np.testing.assert_allclose(y[-rate // 5 :], steady(after, x, rate)[-rate // 5 :], atol=1e-5)


# --- quantize --------------------------------------------------------------------


def test_16_bit_samples_come_back_bit_exact_without_dither() -> None:
    ints = np.arange(-32768, 32768, dtype=np.int16).reshape(-1, 2)
    floats = (ints / 32768).astype(np.float32)
    out = quantize(floats, 16, dither=False, rng=np.random.default_rng(0))
    assert out.dtype == np.int16
    np.testing.assert_array_equal(out, ints)


def test_24_bit_samples_come_back_bit_exact_and_left_justified() -> None:
    rng = np.random.default_rng(0)
    values = rng.integers(-(2**23), 2**23, size=(100_000, 2), dtype=np.int32)
    values[:2] = [[-(2**23), 2**23 - 1], [0, 1]]
    floats = (values / 2**23).astype(np.float32)
    out = quantize(floats, 24, dither=False, rng=rng)
    assert out.dtype == np.int32
    np.testing.assert_array_equal(out, values << 8)
    np.testing.assert_array_equal(out >> 8, values)


def test_32_bit_output_is_int32() -> None:
    floats = np.array([[0.0, 0.5], [-1.0, -0.25]], dtype=np.float32)
    out = quantize(floats, 32, dither=False, rng=np.random.default_rng(0))
    assert out.dtype == np.int32
    np.testing.assert_array_equal(out, [[0, 2**30], [-(2**31), -(2**29)]])


@pytest.mark.parametrize("bits", [16, 24])
@pytest.mark.parametrize("offset_lsb", [0.0, 0.25, 0.5])
def test_tpdf_dither_error_statistics(bits: int, offset_lsb: float) -> None:
    lsb = 2.0 ** -(bits - 1)
    value = (1000 + offset_lsb) * lsb
    x = np.full((200_000, 2), value, dtype=np.float32)
    out = quantize(x, bits, dither=True, rng=np.random.default_rng(7))
    ints = out.astype(np.int64) >> (8 if bits == 24 else 0)
    if bits == 24:
        assert not np.any(out & 0xFF)
    error = ints - (1000 + offset_lsb)  # in LSB
    assert abs(error.mean()) < 0.02
    assert 0.45 <= error.std() <= 0.55
    assert np.abs(error).max() <= 1.5
    counts, _ = np.histogram(error, bins=[-1.5, -0.5, 0.5, 1.5])
    assert counts[1] > counts[0] and counts[1] > counts[2]


def test_dither_is_random_but_repeatable_with_the_same_generator() -> None:
    x = np.full((1000, 2), 0.1, dtype=np.float32)
    a = quantize(x, 16, dither=True, rng=np.random.default_rng(3))
    b = quantize(x, 16, dither=True, rng=np.random.default_rng(3))
    np.testing.assert_array_equal(a, b)
    assert len(np.unique(a)) > 1


@pytest.mark.parametrize(
    ("bits", "top"), [(16, 2**15 - 1), (24, (2**23 - 1) << 8), (32, 2**31 - 1)]
)
@pytest.mark.parametrize("dither", [False, True])
def test_clipping_at_full_scale_does_not_wrap(bits: int, top: int, dither: bool) -> None:
    x = np.array([[1.0, -1.0], [1.5, -1.5], [0.99999994, -0.99999994]] * 1000, dtype=np.float32)
    out = quantize(x, bits, dither=dither, rng=np.random.default_rng(0)).astype(np.int64)
    assert out[0::3, 0].min() == top and out[1::3, 0].min() == top
    assert out[0::3, 1].max() < 0 and out[1::3, 1].max() == -top - (256 if bits == 24 else 1)
    assert out[:, 0].min() > 0 and out[:, 1].max() < 0  # nothing wrapped to the other sign


def test_quantize_refuses_other_widths() -> None:
    with pytest.raises(ValueError):
        quantize(np.zeros((4, 2), np.float32), 8, dither=False, rng=np.random.default_rng(0))


# --- gain --------------------------------------------------------------------------


def test_gain_factor_follows_the_cubic_volume_curve() -> None:
    assert 20 * math.log10(gain_factor(50, False, 0.0)) == pytest.approx(-18.06, abs=0.005)
    assert gain_factor(100, False, 0.0) == 1.0
    assert gain_factor(100, True, 0.0) == 0.0
    assert gain_factor(80, True, 6.0) == 0.0
    assert gain_factor(0, False, 6.0) == 0.0
    assert gain_factor(100, False, -6.0) == pytest.approx(10 ** (-6 / 20))
    assert gain_factor(50, False, 6.0) == pytest.approx(0.125 * 10 ** (6 / 20))


def test_unity_gain_returns_the_input() -> None:
    x = sine(440, 44100, seconds=0.01)
    assert apply_gain(x, 1.0, 1.0) is x


def test_gain_ramps_linearly_from_start_to_end() -> None:
    x = np.ones((1001, 2), dtype=np.float32)
    y = apply_gain(x, 0.5, 0.25)
    assert y.dtype == np.float32 and y.shape == x.shape
    assert y[0, 0] == 0.5 and y[-1, 1] == 0.25
    np.testing.assert_allclose(y[:, 0], np.linspace(0.5, 0.25, 1001), rtol=1e-6)
    np.testing.assert_array_equal(y[:, 0], y[:, 1])
    np.testing.assert_allclose(np.diff(y[:, 0]), -0.25 / 1000, atol=1e-7)


def test_constant_gain_scales_the_block() -> None:
    x = sine(440, 44100, seconds=0.01)
    np.testing.assert_allclose(apply_gain(x, 0.5, 0.5), x * 0.5)
    assert not np.any(apply_gain(x, 0.0, 0.0))


def test_needs_dither_only_when_the_signal_changed() -> None:
    assert not needs_dither(1.0, False)
    assert needs_dither(0.5, False)
    assert needs_dither(1.0, True)
    flt = EqualizerFilter(44100, 2)
    assert not needs_dither(1.0, flt.active)
    flt.set(EQ_PRESETS["Pop"])
    assert needs_dither(1.0, flt.active)


# --- presets -------------------------------------------------------------------------


def test_the_18_libvlc_presets_are_there() -> None:
    assert list(EQ_PRESETS) == LIBVLC_PRESET_NAMES
    assert EQ_PRESETS["Flat"].is_flat
    for name, eq in EQ_PRESETS.items():
        assert eq.preset == name
        assert len(eq.bands_db) == len(EQ_BANDS_HZ)
        assert name == "Flat" or not eq.is_flat


@pytest.mark.skipif(not libvlc_available(), reason="libVLC is not installed (CI installs VLC)")
def test_the_presets_equal_what_libvlc_reports(tmp_path: Path) -> None:
    engine = VlcEngine(output=WavOutput(tmp_path / "unused.wav"))
    try:
        reported = engine.equalizer_presets()  # read from libVLC through preset_from_libvlc
    finally:
        engine.close()
    assert list(reported) == list(EQ_PRESETS)
    assert reported == EQ_PRESETS


def test_scipy_signal_is_imported_only_when_an_equalizer_is_set() -> None:
    """The filters cost a third of a second at start-up: a flat equalizer never loads them."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from player.audio.engine import Equalizer\n"
        "from player.audio.output.dsp import EqualizerFilter\n"
        "f = EqualizerFilter(44100, 2)\n"
        "f.set(None)\n"
        "f.set(Equalizer(preamp_db=0.0, bands_db=(0.0,) * 10))\n"
        "print('scipy.signal' in sys.modules)\n"
        "f.set(Equalizer(preamp_db=0.0, bands_db=(3.0,) + (0.0,) * 9))\n"
        "print('scipy.signal' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True,
        cwd=Path(__file__).resolve().parents[3],
    ).stdout.split()  # fmt: skip
    assert out == ["False", "True"]
