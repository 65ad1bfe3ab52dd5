"""The start-up benchmark still launches Kindred on Xvfb and reports every figure (a small
library; speed is not asserted); Strawberry's part runs only where Strawberry is installed."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.ui_startup import calm_since, listener_library, longest_burst  # noqa: E402

FIGURES = ("window_s", "window_cpu_s", "drawn_s", "quiet_s", "cpu_s", "burst_s", "peak_rss_mb")
needs_x = pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in ("Xvfb", "xdotool", "dbus-run-session")),
    reason="Xvfb, xdotool and dbus-run-session are needed (apt install xvfb xdotool dbus)",
)


def run(tmp_path: Path, players: str) -> dict:
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "ui_startup.py"), "--sizes", "2000", "--runs", "1",
         "--quiet", "1.0", "--watch", "2.0", "--cache", str(tmp_path), "--players", players],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr[-3000:]
    lines = out.stdout.strip().splitlines()
    assert len(lines) == 1
    result = json.loads(lines[0])
    assert result["sizes"] == [2000] and result["runs"] == 1 and len(result["load_avg"]) == 6
    for name in ("kindred", "kindred_source"):
        figures = result["2000"][name]
        for key in FIGURES:
            assert figures[key] >= 0, (name, key)
        assert 0 < figures["window_s"] <= figures["drawn_s"], figures
        assert 0.1 < figures["window_cpu_s"] <= figures["cpu_s"] + 0.05, figures
        assert figures["unsettled"] == 0, figures
        assert figures["cpu_s"] > 0.2 and figures["peak_rss_mb"] > 50, figures
    return result


@needs_x
def test_ui_startup_benchmark_measures_kindred_both_ways(tmp_path: Path) -> None:
    result = run(tmp_path, "kindred")
    assert result["2000"]["strawberry"] == {"skipped": "not asked for (--players)"}
    assert "ratio" not in result["2000"]
    # the library folder the window watches is a real tree of the library's album folders
    db, music = listener_library(tmp_path, 2000)
    with sqlite3.connect(db) as conn:
        folders = {row[0] for row in conn.execute("SELECT DISTINCT folder FROM tracks")}
    assert len(folders) > 100 and {str(p) for p in music.glob("*/*")} == folders


@needs_x
@pytest.mark.skipif(shutil.which("strawberry") is None, reason="strawberry is not installed")
def test_ui_startup_benchmark_measures_strawberry_beside(tmp_path: Path) -> None:
    result = run(tmp_path, "kindred,strawberry")["2000"]
    for key in FIGURES:
        assert result["strawberry"][key] >= 0, key
        if result["strawberry"][key]:
            ratio = result["kindred"][key] / result["strawberry"][key]
            assert result["ratio"][key] == pytest.approx(ratio, rel=0.05, abs=0.01), key


def test_quiet_time_and_bursts_come_from_the_cpu_samples() -> None:
    # (seconds since launch, CPU seconds): busy until 0.3 s, calm, one 0.2 s burst at 1.0 s
    samples = [(0.0, 0.0), (0.1, 0.09), (0.2, 0.18), (0.3, 0.27), (0.4, 0.271), (0.9, 0.272),
               (1.0, 0.273), (1.1, 0.35), (1.2, 0.43), (1.3, 0.431), (3.0, 0.44)]  # fmt: skip
    assert calm_since(samples) == 1.2
    assert longest_burst(samples, 0.0) == pytest.approx(0.3)
    assert longest_burst(samples, 0.25) == pytest.approx(0.2)  # only what follows the window
    assert calm_since(samples[:5]) == 0.3 and calm_since([(0.0, 0.0), (1.0, 0.0)]) == 0.0
