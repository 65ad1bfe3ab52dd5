"""What the window's start-up leaves for later: parts nobody asked for stay unloaded, and
imports after PySide6 read no source files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = """
import json, linecache, sys
from player.app import run_window
code = run_window(quit_after_ms=3500)  # past the deferred work (sign-in, watching, bell)
feature = sys.modules.get("shibokensupport.feature")
print(json.dumps({
    "code": code,
    "loaded": sorted(m for m in NAMES if m in sys.modules),
    "player_sources_read": sorted(f for f in linecache.cache if "/player/" in f),
    "patched": getattr(getattr(feature, "_mod_uses_pyside", None), "__module__", None),
}))
"""
NAMES = ["player.social.scrobble.accounts", "player.ui.window.demo", "player.library.demo",
         "player.social.demosession", "player.library.tagwrite", "httpx"]  # fmt: skip


def test_start_up_loads_no_demo_no_scrobbling_client_and_reads_no_sources(
    kindred_home: Path,
) -> None:
    result = subprocess.run(
        [sys.executable, "-c", f"NAMES = {NAMES!r}\n{SCRIPT}"],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["code"] == 0
    # nothing queued for a scrobbling service and no demo chosen: their clients, the demo
    # library maker and the tag writer are not imported
    assert out["loaded"] == []
    assert out["patched"] == "player.ui.kit.pysideimports"
    # only the module that turns the source search off was searched
    assert [Path(f).name for f in out["player_sources_read"]] == ["pysideimports.py"]
