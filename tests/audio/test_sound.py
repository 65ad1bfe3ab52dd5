"""What libVLC really renders: fidelity, gain, volume, mute and the equalizer.

Every figure comes from audio rendered by real libVLC (the faithful float32
WAV output, or the paced 16-bit one where libVLC's own volume is measured) and
compared with numpy against what the tests synthesized or ffmpeg decoded.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from player.audio.engine import EQ_BANDS_HZ, EndReached, Equalizer, MediaItem
from player.audio.fidelity import (
    decode_reference,
    faithful_comparison,
    play_through,
    render_faithful,
)
from player.audio.render import WavOutput
from player.audio.vlc_engine import VlcEngine, libvlc_available
from player.audio.wavio import read_wav
from tests.audiogen import requires_ffmpeg, tag

pytestmark = [
    requires_ffmpeg,
    pytest.mark.skipif(not libvlc_available(), reason="libVLC is not installed (CI installs VLC)"),
]

CODECS = {
    "flac16": (".flac", ["-c:a", "flac", "-sample_fmt", "s16"]),
    "flac24": (".flac", ["-c:a", "flac", "-sample_fmt", "s32", "-bits_per_raw_sample", "24"]),
    "ogg": (".ogg", ["-c:a", "libvorbis", "-q:a", "6"]),
    "mp3": (".mp3", ["-c:a", "libmp3lame", "-b:a", "256k"]),
}


def write_audio(path: Path, samples: np.ndarray, rate: int, codec: str) -> Path:
    """Encode float samples (frames x channels, [-1, 1)) with ffmpeg from 32-bit PCM."""
    ext, args = CODECS[codec]
    path = path.with_suffix(ext)
    ints = np.clip(np.round(samples * 2**31), -(2**31), 2**31 - 1).astype("<i4")
    subprocess.run(
        ["ffmpeg", "-v", "error", "-nostdin", "-y", "-f", "s32le", "-ar", str(rate),
         "-ac", str(samples.shape[1]), "-i", "-", *args, str(path)],
        input=ints.tobytes(), check=True, timeout=60,
    )  # fmt: skip
    return path


def quantize(x: np.ndarray, bits: int) -> np.ndarray:
    scale = 2 ** (bits - 1)
    return np.clip(np.round(x * scale), -scale, scale - 1) / scale


def tone(
    rate: int, seconds: float, amplitude: float, freqs: tuple[float, ...] = (997.0,)
) -> np.ndarray:
    t = np.arange(round(rate * seconds)) / rate
    mono = sum(np.sin(2 * np.pi * f * t) for f in freqs) * amplitude / len(freqs)
    return np.stack([mono, mono * 0.8], axis=1)


def level_db(x: np.ndarray) -> float:
    """RMS (dBFS) of the middle half, away from start and end effects."""
    n = len(x)
    mid = x[n // 4 : 3 * n // 4]
    return float(10 * np.log10(np.mean(mid**2)))


def band_db(x: np.ndarray, rate: int, hz: float) -> float:
    """Power (dB) within a third of an octave around *hz*, left channel."""
    spectrum = np.abs(np.fft.rfft(x[:, 0])) ** 2
    freqs = np.fft.rfftfreq(len(x), 1 / rate)
    band = (freqs > hz / 2 ** (1 / 6)) & (freqs < hz * 2 ** (1 / 6))
    return float(10 * np.log10(spectrum[band].sum()))


# --- fidelity -----------------------------------------------------------------------


def test_16bit_renders_bit_exact(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    x = quantize(tone(44100, 2.0, 0.7, (441.0, 3001.0)) + rng.normal(0, 1e-3, (88200, 2)), 16)
    source = write_audio(tmp_path / "cd", x, 44100, "flac16")
    result = faithful_comparison(source, bits=16)
    print(
        f"16-bit/44.1 kHz: max deviation {result.max_deviation_lsb} LSB over {result.compared} frames"
    )
    assert result.compared == result.expected == 88200
    assert result.max_deviation_lsb <= 1


def test_24bit_96khz_keeps_its_resolution(tmp_path: Path) -> None:
    rng = np.random.default_rng(4)
    x = tone(96000, 1.5, 10 ** (-1 / 20) * 0.98) + rng.normal(0, 2e-5, (144000, 2))
    x = quantize(x, 24)
    assert np.any((np.round(x * 2**23).astype(np.int64) & 0xFF) != 0)  # the low byte is used
    source = write_audio(tmp_path / "hires", x, 96000, "flac24")
    rendered, rate = render_faithful(source, tmp_path / "out.wav")
    assert rate == 96000
    reference, _ = decode_reference(source)
    assert np.array_equal(reference, x)  # the file holds what we synthesized
    n = min(len(rendered), len(reference))
    deviation = float(np.abs(rendered[:n] - reference[:n]).max()) * 2**23
    low_bytes = np.round(rendered * 2**23).astype(np.int64) & 0xFF
    print(f"24-bit/96 kHz: max deviation {deviation} LSB(24) over {n} of {len(reference)} frames")
    assert n == len(reference)
    assert deviation <= 1
    assert np.any(low_bytes != 0)


# --- gain ---------------------------------------------------------------------------


@pytest.fixture(scope="module", params=["flac16", "ogg", "mp3"])
def gain_source(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("gain")
    x = tone(44100, 2.0, 0.25, (440.0, 1250.0))
    path = write_audio(folder / "tone", x, 44100, request.param)
    if request.param != "flac16":  # formats whose RG tags libVLC would honour
        tag(path, rg_track_gain="-6.00 dB", rg_track_peak="0.25",
            rg_album_gain="-6.00 dB", rg_album_peak="0.25")  # fmt: skip
    return path


def test_no_tag_gain_and_no_default_cut(gain_source: Path, tmp_path: Path) -> None:
    rendered, _ = render_faithful(gain_source, tmp_path / "out.wav")
    reference, _ = decode_reference(gain_source)
    difference = level_db(rendered) - level_db(reference)
    print(f"{gain_source.suffix}: rendered - decoded = {difference:+.3f} dB")
    assert abs(difference) < 0.2


@pytest.mark.parametrize("gain_db", [-6.0, 3.0, -10.5])
def test_gain_changes_the_level_by_that_much(
    gain_source: Path, tmp_path: Path, gain_db: float
) -> None:
    unity, _ = render_faithful(gain_source, tmp_path / "unity.wav")
    gained, _ = render_faithful(gain_source, tmp_path / "gain.wav", gain_db=gain_db)
    change = level_db(gained) - level_db(unity)
    print(f"{gain_source.suffix}: asked {gain_db:+.2f} dB, measured {change:+.3f} dB")
    assert change == pytest.approx(gain_db, abs=0.2)


@pytest.mark.parametrize("gain_db", [-40.0, 10.0])
def test_gain_beyond_the_equalizer_range_is_made_up(tmp_path: Path, gain_db: float) -> None:
    source = write_audio(tmp_path / "t", tone(44100, 1.0, 0.2), 44100, "flac16")
    unity, _ = render_faithful(source, tmp_path / "unity.wav")
    gained, _ = render_faithful(source, tmp_path / "gain.wav", gain_db=gain_db)
    assert level_db(gained) - level_db(unity) == pytest.approx(gain_db, abs=0.2)


# --- volume and mute ------------------------------------------------------------------


@pytest.fixture(scope="module")
def steady(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("steady")
    return write_audio(folder / "steady", tone(44100, 1.5, 0.5), 44100, "flac16")


def render_paced(source: Path, out: Path, volume: int = 100, muted: bool = False) -> np.ndarray:
    """Through the real-time 16-bit output (what a sound card would receive)."""
    engine = VlcEngine(output=WavOutput(out, paced=True))
    try:
        engine.set_volume(volume)
        engine.set_muted(muted)
        play_through(engine, MediaItem(str(source)), timeout_s=20)
    finally:
        engine.close()
    return read_wav(out)[0]


def test_volume_50_is_18_db_down_in_libvlc(steady: Path, tmp_path: Path) -> None:
    full = render_paced(steady, tmp_path / "full.wav")
    half = render_paced(steady, tmp_path / "half.wav", volume=50)
    change = level_db(half) - level_db(full)
    print(f"volume 50 %: {change:+.3f} dB")
    assert change == pytest.approx(-18.06, abs=0.2)


def test_mute_is_silence_in_libvlc(steady: Path, tmp_path: Path) -> None:
    muted = render_paced(steady, tmp_path / "muted.wav", muted=True)
    assert len(muted) > 0.9 * 1.5 * 44100
    assert not np.any(muted)  # from the very first sample


def test_volume_and_mute_in_the_faithful_render(steady: Path, tmp_path: Path) -> None:
    full, _ = render_faithful(steady, tmp_path / "full.wav")
    half, _ = render_faithful(steady, tmp_path / "half.wav", volume=50)
    muted, _ = render_faithful(steady, tmp_path / "muted.wav", muted=True)
    assert level_db(half) - level_db(full) == pytest.approx(-18.06, abs=0.2)
    assert len(muted) == len(full) and not np.any(muted)


# --- equalizer ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def noise(tmp_path_factory: pytest.TempPathFactory) -> Path:
    x = np.random.default_rng(5).normal(0, 0.05, (3 * 44100, 1)).repeat(2, axis=1)
    return write_audio(tmp_path_factory.mktemp("noise") / "noise", quantize(x, 16), 44100, "flac16")


def test_boosting_one_band_raises_only_that_band(noise: Path, tmp_path: Path) -> None:
    flat, rate = render_faithful(noise, tmp_path / "flat.wav")
    bands = tuple(12.0 if hz == 1000 else 0.0 for hz in EQ_BANDS_HZ)
    boosted, _ = render_faithful(noise, tmp_path / "eq.wav", equalizer=Equalizer(bands_db=bands))
    rise = {hz: band_db(boosted, rate, hz) - band_db(flat, rate, hz) for hz in (62, 1000, 16000)}
    print("band changes (dB):", {hz: round(v, 2) for hz, v in rise.items()})
    assert rise[1000] > 9
    assert abs(rise[62]) < 1 and abs(rise[16000]) < 1


def test_presets_and_flat_renders_at_unity(noise: Path, tmp_path: Path) -> None:
    engine = VlcEngine(output=WavOutput(tmp_path / "unused.wav"))
    try:
        presets = engine.equalizer_presets()
    finally:
        engine.close()
    assert len(presets) > 1 and "Flat" in presets
    plain, _ = render_faithful(noise, tmp_path / "plain.wav")
    flat, _ = render_faithful(noise, tmp_path / "flat.wav", equalizer=presets["Flat"])
    assert level_db(flat) - level_db(plain) == pytest.approx(0, abs=0.2)
    # an attached equalizer whose preamp and gain cancel out is unity too
    attached, _ = render_faithful(
        noise, tmp_path / "attached.wav", gain_db=-3.0, equalizer=Equalizer(preamp_db=3.0)
    )
    deviation = float(np.abs(attached - plain).max()) * 2**15
    print(f"attached unity equalizer: max deviation {deviation:.4f} LSB(16)")
    assert level_db(attached) - level_db(plain) == pytest.approx(0, abs=0.2)
    assert deviation < 1


# --- several items into one faithful WAV ---------------------------------------------


def test_items_in_a_row_land_in_one_wav_complete_and_in_order(tmp_path: Path) -> None:
    one = quantize(tone(44100, 0.5, 0.5, (500.0,)), 16)
    two = quantize(tone(44100, 0.7, 0.3, (900.0,)), 16)
    first = write_audio(tmp_path / "one", one, 44100, "flac16")
    second = write_audio(tmp_path / "two", two, 44100, "flac16")
    out = tmp_path / "both.wav"
    engine = VlcEngine(output=WavOutput(out))
    try:
        play_through(engine, MediaItem(str(first)))
        play_through(engine, MediaItem(str(second)))  # load + play after the end
        # and with the second preloaded, continuing by itself
        play_through(engine, MediaItem(str(first)), MediaItem(str(second)))
        # preloaded with its own (ReplayGain) gain, which it starts with
        engine.load(MediaItem(str(first)))
        engine.preload(MediaItem(str(second)), gain_db=-6.0)
        engine.play()
        ends = 0
        while ends < 2:
            event = engine.wait_event(10)
            assert event is not None
            ends += isinstance(event, EndReached)
        assert engine.gain_db == -6.0
    finally:
        engine.close()
    rendered, rate = read_wav(out)
    quieter = two * 10 ** (-6 / 20)
    expected = np.concatenate([one, two, one, two, one, quieter])
    assert rate == 44100 and len(rendered) == len(expected)
    assert float(np.abs(rendered - expected).max()) * 2**15 <= 1
