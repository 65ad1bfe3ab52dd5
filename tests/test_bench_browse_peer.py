"""The side-by-side browsing benchmark still runs on Xvfb and reports every figure (a small
library; speed is not asserted). Strawberry's part runs only where Strawberry is installed."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ACTIONS = ("window_s", "first_rows_s", "expand_ms", "scroll_ms", "filter_ms")

pytestmark = pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in ("Xvfb", "xdotool", "dbus-run-session")),
    reason="Xvfb, xdotool and dbus-run-session are needed (apt install xvfb xdotool dbus)",
)


def run(tmp_path: Path, players: str) -> dict:
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "browse_peer.py"), "--tracks", "2000",
         "--runs", "1", "--pages", "3", "--settle", "1.0", "--cache", str(tmp_path),
         "--players", players],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr[-3000:]
    lines = out.stdout.strip().splitlines()
    assert len(lines) == 1
    result = json.loads(lines[0])
    assert result["tracks"] == 2000 and result["runs"] == 1
    assert result["grab_ms"] > 0  # how finely the screen was read
    return result


def test_browse_peer_benchmark_measures_kindred_on_screen(tmp_path: Path) -> None:
    result = run(tmp_path, "kindred")
    for key in ACTIONS:
        assert result["kindred"][key] > 0, key
    assert result["strawberry"] == {"skipped": "not asked for (--players)"}
    assert "ratio" not in result


@pytest.mark.skipif(shutil.which("strawberry") is None, reason="strawberry is not installed")
def test_browse_peer_benchmark_measures_strawberry_beside(tmp_path: Path) -> None:
    result = run(tmp_path, "kindred,strawberry")
    for name in ("kindred", "strawberry"):
        for key in ACTIONS:
            assert result[name][key] > 0, (name, key)
    for key in ACTIONS:
        ratio = result["kindred"][key] / result["strawberry"][key]
        assert result["ratio"][key] == pytest.approx(ratio, rel=0.05, abs=0.01), key
