"""The window start-up benchmark still runs and reports every figure (a tiny library; speed is not asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ui_startup_benchmark_prints_one_json_line(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "ui_startup.py"), "--tracks", "2000",
         "--cache", str(tmp_path), "--engine", "fake"],
        capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    lines = out.stdout.strip().splitlines()
    assert len(lines) == 1
    result = json.loads(lines[0])
    assert result["tracks"] == 2000 and result["rows"] == 2000
    for key in ("startup_s", "shown_s", "listed_s", "peak_rss_mb"):
        assert result[key] > 0, key
    assert set(result["scroll_stalls"]) >= {"ticks", "max_gap_ms", "max_busy_ms"}
