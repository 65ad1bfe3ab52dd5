"""The recommender benchmark still runs and reports every figure (tiny inputs, no timing asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.audiogen import requires_ffmpeg

ROOT = Path(__file__).resolve().parents[1]


@requires_ffmpeg
def test_recommend_benchmark_prints_one_json_line() -> None:
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "recommend.py"), "--runs", "1", "--tracks", "3000",
         "--queries", "10", "--audio-seconds", "4", "--pool-files", "4", "--jobs", "2",
         "--start-method", "spawn"],
        capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    lines = out.stdout.strip().splitlines()
    assert len(lines) == 1, out.stdout
    result = json.loads(lines[0])
    for key in ("analysis_cpu_s_per_min", "analysis_cpu_s_per_min_best", "decode_only_cpu_s_per_min",
                "rebuild_s", "query_median_ms", "query_p95_ms", "radio_p95_ms",
                "pool_analysis_wall_s", "pool_audio_min_per_s"):  # fmt: skip
        assert result[key] > 0, key
    assert set(result["analysis_cpu_s_per_min_by_format"]) == {"flac", "mp3", "ogg"}
    assert result["tracks"] == 3000
    assert (result["pool_start_method"], result["pool_files"]) == ("spawn", 4)
    assert "precision_at_5" not in result  # the corpus part runs only with --corpus
