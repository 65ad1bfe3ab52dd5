"""The server load benchmark still runs and reports every figure (tiny sizes, no timing asserted)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed (CI installs it)")
def test_server_load_benchmark_prints_one_json_line() -> None:
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "server_load.py"), "--comments", "50", "--runs", "1",
         "--duration", "1", "--connections", "4", "--threads", "1"],
        capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    lines = out.stdout.strip().splitlines()
    assert len(lines) == 1, out.stdout
    result = json.loads(lines[0])
    assert result["database"] == "sqlite" and result["comments"] == 50
    for name in ("new", "hot", "revalidate", "new_signed_in", "post"):
        for key in (f"{name}_rps", f"{name}_p50_ms", f"{name}_p99_ms"):
            assert result[key] > 0, key
    for key in ("hello_rps", "new_vs_hello", "hot_vs_hello", "revalidate_vs_hello"):
        assert result[key] > 0, key
    assert result["errors"] == 0
    assert result["posts_stored"] > 0


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed (CI installs it)")
def test_the_traced_run_places_each_case_inside_the_server() -> None:
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "server_load.py"), "--comments", "50", "--runs", "1",
         "--duration", "1", "--connections", "4", "--threads", "1", "--trace"],
        capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    result = json.loads(out.stdout.strip().splitlines()[-1])
    trace = result["trace"]
    assert set(trace) >= {"new", "hot", "new_muting", "wall", "post", "post_mention"}
    for name, row in trace.items():
        # every case's requests were recorded inside the server, each no longer than wrk saw
        assert 0 < row["app_p99_ms"] <= row["app_max_ms"], name
        assert row["app_p99_ms"] <= result[f"{name}_p99_ms"] + 1, name
        assert row["lag_max_ms"] >= 0 and row["gc_full"] >= 0, name
    assert result["errors"] == 0
