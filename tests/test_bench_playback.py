"""The playback benchmark still runs and reports every figure (one short run, no timing asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from player.audio.vlc_engine import libvlc_available
from tests.audiogen import requires_ffmpeg

ROOT = Path(__file__).resolve().parents[1]


@requires_ffmpeg
@pytest.mark.skipif(not libvlc_available(), reason="libVLC is not installed (CI installs VLC)")
def test_playback_benchmark_prints_one_json_line() -> None:
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "playback.py"), "--runs", "1", "--cpu-seconds", "1"],
        capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    lines = out.stdout.strip().splitlines()
    assert len(lines) == 1, out.stdout
    result = json.loads(lines[0])
    for key in ("start_local_ms", "start_http_ms", "seek_ms", "cpu_pct_one_core", "gap_ms"):
        assert result[key] > 0, key
    assert result["start_icecast_ms"] is None or result["start_icecast_ms"] > 0
    assert result["faithful_max_dev_lsb_16"] <= 1
    assert result["faithful_max_dev_lsb_24"] <= 1
