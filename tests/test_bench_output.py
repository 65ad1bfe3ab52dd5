"""The device-output benchmark still runs and reports every figure (one short run, no timing asserted)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.audiogen import requires_ffmpeg
from tests.pulse import pulse_missing

ROOT = Path(__file__).resolve().parents[1]
KEYS = ("gap_ms", "phase_jump_deg", "lost_ms", "drift_ppm")


@requires_ffmpeg
@pytest.mark.skipif(pulse_missing() is not None, reason=str(pulse_missing()))
def test_output_benchmark_prints_one_json_line() -> None:
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "output.py"), "--runs", "1", "--seconds", "1.5"],
        capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    lines = out.stdout.strip().splitlines()
    assert len(lines) == 1, out.stdout
    result = json.loads(lines[0])
    assert result["runs"] == 1
    for prefix in ("", "mpv_"):
        if prefix and shutil.which("mpv") is None:
            assert all(result[prefix + key] is None for key in KEYS)
            continue
        for key in KEYS:
            assert set(result[prefix + key]) == {"flac", "mp3"}, prefix + key
        for fmt in ("flac", "mp3"):
            assert 0 <= result[prefix + "gap_ms"][fmt] < 1000
            assert 0 <= result[prefix + "phase_jump_deg"][fmt] <= 180
            assert abs(result[prefix + "lost_ms"][fmt]) < 1500  # most of the sine was heard
    # the output stage's own figures
    assert 0 < result["first_audio_ms"] < 1000
    assert 0 < result["device_latency_ms"] < 1000
    assert 0 < result["pause_ms"] < 1500  # the music did stop
    assert 0 < result["seek_ms"] < 1500  # the new place was heard
    assert set(result["cpu_pct"]) == {"flac16_44", "flac24_96"}
    assert all(0 < v < 50 for v in result["cpu_pct"].values())
    assert result["underruns"] >= 0
