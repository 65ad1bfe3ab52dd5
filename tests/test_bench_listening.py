"""The listening-statistics benchmark still runs and reports every figure (tiny sizes)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_listening_benchmark_prints_one_json_line(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "listening.py"), "--tracks", "2000",
         "--plays", "5000", "--runs", "1", "--cache", str(tmp_path)],
        capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    lines = out.stdout.strip().splitlines()
    assert len(lines) == 1
    result = json.loads(lines[0])
    assert (result["tracks"], result["plays"]) == (2000, 5000)
    periods = ("week", "month", "year", "all")
    for key in periods:
        assert result["median_ms"][key] > 0 and result["unindexed_median_ms"][key] > 0
        ratio = result["median_ms"][key] / result["unindexed_median_ms"][key]
        assert result["ratio_vs_unindexed"][key] == pytest.approx(ratio, abs=0.01)
    assert result["slowest_ms"] == max(result["median_ms"].values())
