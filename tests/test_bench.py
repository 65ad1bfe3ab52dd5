"""The scan benchmark still runs and reports every figure (tiny sizes, no timing asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.audiogen import requires_ffmpeg

ROOT = Path(__file__).resolve().parents[1]


@requires_ffmpeg
def test_scan_benchmark_prints_one_json_line(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "scan.py"), "--files", "60", "--runs", "1",
         "--search-tracks", "600", "--search-repeats", "2", "--cache", str(tmp_path),
         "--start-method", "spawn"],
        capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    lines = out.stdout.strip().splitlines()
    assert len(lines) == 1
    result = json.loads(lines[0])
    assert result["files"] == 60
    assert result["start_method"] == "spawn"  # 60 files: read by worker processes
    for key in ("cold_scan_s", "rescan_unchanged_s", "files_per_s", "peak_rss_mb", "floor_s",
                "ratio_vs_floor", "search_p50_ms", "search_p95_ms"):  # fmt: skip
        assert result[key] > 0, key
    ratio = result["cold_scan_s"] / result["floor_s"]
    assert result["ratio_vs_floor"] == pytest.approx(ratio, rel=0.05)
    for key in ("rescan_in_process_s", "rescan_in_process_cpu_s", "cold_scan_cpu_s",
                "floor_cpu_s"):  # fmt: skip
        assert result[key] > 0, key
    cpu_ratio = result["cold_scan_cpu_s"] / result["floor_cpu_s"]
    assert result["cpu_ratio_vs_floor"] == pytest.approx(cpu_ratio, rel=0.05)
    classes = result["search_classes"]
    assert {"one_letter_s", "two_letters", "two_words", "cjk_2"} <= set(classes), sorted(classes)
    for name, figures in classes.items():
        assert figures["hits"] > 0, name
        assert figures["p50_ms"] > 0, name
        assert 0 < figures["p95_ms"] <= result["search_max_class_p95_ms"], name


@requires_ffmpeg
def test_scan_benchmark_measures_the_rescans_alone(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "scan.py"), "--files", "30", "--runs", "2",
         "--cache", str(tmp_path), "--rescan-only"],
        capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    lines = out.stdout.strip().splitlines()
    assert len(lines) == 1
    result = json.loads(lines[0])
    assert result["files"] == 30 and result["runs"] == 2
    for key in ("rescan_unchanged_s", "rescan_in_process_s", "rescan_in_process_cpu_s"):
        assert result[key] > 0, key
    assert len(result["rescan_in_process_runs_s"]) == 2
    assert "floor_s" not in result and "search_p50_ms" not in result
