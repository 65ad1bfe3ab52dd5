"""The measuring stick for gapless playback at a device is itself right.

A private PulseAudio daemon plays to a null sink whose monitor ``parec``
records in real time (:mod:`tests.pulse`); :mod:`tests.sinegap` reads the
recording of a cut sine. Played with ``paplay``, a continuous sine arrives
sample for sample, inserted silence measures at its true length, and two
``paplay`` processes one after the other leave a gap the harness sees. The
last tests feed the measure made-up signals whose answer is known.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from tests.pulse import PulseServer, pulse_missing
from tests.sinegap import continuous_sine, measure_sine_gaps, write_wav

RATE = 44100
FREQ = 441.0  # a period of 100 samples
SECONDS = 2.0
CUT = 41_237  # an arbitrary sample, not at a zero crossing
PERIOD_DEG_PER_SAMPLE = 360.0 * FREQ / RATE

needs_pulse = pytest.mark.skipif(pulse_missing() is not None, reason=str(pulse_missing()))


@pytest.fixture(scope="module")
def pulse() -> Iterator[PulseServer]:
    with PulseServer() as server:
        yield server


def _sine() -> np.ndarray:
    return np.round(continuous_sine(SECONDS, FREQ, RATE) * 32767) / 32767


@needs_pulse
def test_a_continuous_sine_arrives_sample_for_sample(pulse: PulseServer, tmp_path: Path) -> None:
    sine = _sine()
    wav = write_wav(tmp_path / "sine.wav", sine)
    recorded = pulse.record([["paplay", str(wav)]], tmp_path / "rec.raw")
    report = measure_sine_gaps(recorded, FREQ, RATE, source_frames=len(sine))
    assert report.longest_silence_ms == 0.0 and report.joins == ()
    assert report.max_phase_jump_deg < 0.5
    assert report.max_phase_deviation_deg < 0.5
    assert abs(report.drift_ppm) < 5
    assert report.level_dip_db > -0.1
    assert report.lost_ms == pytest.approx(0.0, abs=0.05)  # the first sample is 0: not heard
    # the sink passes 16-bit samples through unchanged: the played region is the file
    pcm = np.round(recorded[:, 0] * 32768).astype(int)
    start = int(np.flatnonzero(pcm)[0])
    expected = np.round(sine[1:, 0] * 32767).astype(int)
    assert np.array_equal(pcm[start : start + expected.size], expected)


@needs_pulse
def test_inserted_silence_measures_its_true_length(pulse: PulseServer, tmp_path: Path) -> None:
    sine = _sine()
    silence = np.zeros((round(0.050 * RATE), 2))
    wav = write_wav(tmp_path / "gap.wav", np.concatenate([sine[:CUT], silence, sine[CUT:]]))
    recorded = pulse.record([["paplay", str(wav)]], tmp_path / "rec.raw")
    report = measure_sine_gaps(recorded, FREQ, RATE, source_frames=len(sine))
    assert len(report.joins) == 1
    assert report.longest_silence_ms == pytest.approx(50.0, abs=3.0)
    assert report.joins[0].at_ms == pytest.approx(CUT * 1000 / RATE, abs=1.0)
    # the sine goes on where it stopped: silence, but no sample lost
    assert abs(report.joins[0].phase_jump_deg) < 0.5
    assert report.max_phase_jump_deg < 0.5
    assert report.lost_ms == pytest.approx(0.0, abs=0.05)


@needs_pulse
def test_two_players_one_after_the_other_leave_a_gap(pulse: PulseServer, tmp_path: Path) -> None:
    sine = _sine()
    first = write_wav(tmp_path / "a.wav", sine[:CUT])
    second = write_wav(tmp_path / "b.wav", sine[CUT:])
    recorded = pulse.record([["paplay", str(first)], ["paplay", str(second)]], tmp_path / "r.raw")
    report = measure_sine_gaps(recorded, FREQ, RATE, source_frames=len(sine))
    assert len(report.joins) == 1, report
    assert report.longest_silence_ms > 1.0  # a new stream: the sink plays silence meanwhile
    assert report.joins[0].at_ms == pytest.approx(CUT * 1000 / RATE, abs=1.0)
    assert abs(report.joins[0].phase_jump_deg) < 0.5  # every sample of both files is heard
    assert report.lost_ms == pytest.approx(0.0, abs=0.05)


# ---- the measure on made-up signals ----------------------------------------------------
def test_lost_samples_show_as_a_phase_jump_without_silence() -> None:
    sine = _sine()
    dropped = 25  # a quarter period: 90 degrees
    report = measure_sine_gaps(np.concatenate([sine[:CUT], sine[CUT + dropped :]]), FREQ, RATE,
                               source_frames=len(sine))  # fmt: skip
    assert report.longest_silence_ms == 0.0
    assert report.max_phase_jump_deg == pytest.approx(dropped * PERIOD_DEG_PER_SAMPLE, abs=2.0)
    assert report.phase_jump_samples == pytest.approx(dropped, abs=0.5)
    assert report.lost_ms == pytest.approx(dropped * 1000 / RATE, abs=0.05)  # + sample 0


def test_a_gap_that_also_loses_samples_reports_both() -> None:
    sine = _sine()
    gap = np.zeros((round(0.072 * RATE), 2))
    joined = np.concatenate([sine[:CUT], gap, sine[CUT + 10 :]])
    report = measure_sine_gaps(joined, FREQ, RATE, source_frames=len(sine))
    assert report.longest_silence_ms == pytest.approx(72.0, abs=0.05)
    assert report.joins[0].phase_jump_deg == pytest.approx(10 * PERIOD_DEG_PER_SAMPLE, abs=1.0)


def test_a_resampled_sine_drifts_without_jumping() -> None:
    n = np.arange(round(SECONDS * RATE))
    stretched = 0.5 * np.sin(2 * np.pi * FREQ * (1 + 300e-6) * n / RATE)
    report = measure_sine_gaps(stretched, FREQ, RATE)
    assert report.drift_ppm == pytest.approx(300, abs=10)
    assert report.max_phase_jump_deg < 0.5
    assert report.max_phase_deviation_deg > 90  # 300 ppm over 2 s: 0.26 periods


def test_a_quiet_stretch_is_a_level_dip_not_silence() -> None:
    sine = _sine()
    sine[CUT : CUT + 2205] *= 0.01  # -40 dB for 50 ms: above -80 dBFS
    report = measure_sine_gaps(sine, FREQ, RATE)
    assert report.longest_silence_ms == 0.0
    assert report.level_dip_db < -30


def test_zero_crossings_and_silent_recordings() -> None:
    report = measure_sine_gaps(_sine(), FREQ, RATE)  # samples at exactly 0 every 50
    assert report.joins == ()
    with pytest.raises(ValueError, match="silent"):
        measure_sine_gaps(np.zeros((RATE, 2)), FREQ, RATE)
