"""The play-from-here benchmark still runs and reports every figure (a small list; speed is not asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ui_play_all_benchmark_prints_one_json_line(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "ui_play_all.py"), "--tracks", "2000",
         "--runs", "2", "--cache", str(tmp_path)],
        capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    lines = out.stdout.strip().splitlines()
    assert len(lines) == 1
    result = json.loads(lines[0])
    assert result["tracks"] == 2000 and result["queued"] == 2000  # the whole list is queued
    for key in ("click_ms", "splice_ms", "whole_list_ms"):
        assert result[key] > 0, key
    assert {"gap_click_ms", "gap_reading_ms", "gap_splice_ms"} <= set(result)
