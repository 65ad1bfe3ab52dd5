"""Restarting Kindred from Settings: the command used again, and a real restart."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from player.config import Paths, Settings
from player.ui.desktop import restart


@pytest.mark.parametrize(
    ("orig", "expected"),
    [
        (["py", "/venv/bin/kindred"], ["/venv/bin/kindred"]),
        (
            ["py", "/venv/bin/kindred", "{file}", "http://radio.example/live.pls"],
            ["/venv/bin/kindred"],
        ),
        (["py", "/venv/bin/kindred", "--db", "{file}"], ["/venv/bin/kindred", "--db", "{file}"]),
        (["py", "-X", "utf8", "-m", "player", "{file}"], ["-X", "utf8", "-m", "player"]),
        (["py", "-c", "code"], ["-c", "code"]),
    ],
)
def test_the_same_command_starts_again_without_the_files_it_opened(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, orig: list[str], expected: list[str]
) -> None:
    song = tmp_path / "song.flac"
    song.write_bytes(b"")
    fill = [str(song) if a == "{file}" else a for a in orig]
    monkeypatch.setattr(sys, "orig_argv", fill)
    wanted = [str(song) if a == "{file}" else a for a in expected]
    assert restart.relaunch_argv() == [sys.executable, *wanted]


def test_restart_now_closes_the_window_and_starts_kindred_again(kindred_home: Path) -> None:
    """A real window asks for a restart; a second Kindred starts, in the language saved."""
    Settings(language="zh_CN").save(Paths.resolve())
    marker = kindred_home / "starts.txt"
    script = (
        "import sys, pathlib; sys.modules['vlc'] = None\n"
        f"marker = pathlib.Path({str(marker)!r})\n"
        "runs = marker.read_text().split() if marker.exists() else []\n"
        "import player.app as app\n"
        "import player.ui.main as main\n"
        "from player.ui.desktop import restart\n"
        "from PySide6.QtCore import QTimer\n"
        "real = main.build_window\n"
        "def spy(*args, **kwargs):\n"
        "    window = real(*args, **kwargs)\n"
        "    runs.append(window.side.tabText(0))\n"
        "    marker.write_text(' '.join(runs))\n"
        "    if len(runs) == 1:\n"
        "        QTimer.singleShot(500, window, lambda: restart.request(window))\n"
        "    return window\n"
        "main.build_window = spy\n"
        "code = app.run_window(quit_after_ms=None if not runs else 500)\n"
        "marker.write_text(marker.read_text() + ' done')\n"
        "sys.exit(code)\n"
    )
    first = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert first.returncode == 0, first.stderr
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        words = marker.read_text().split() if marker.exists() else []
        if words.count("done") == 2:
            break
        time.sleep(0.2)
    assert marker.read_text().split() == ["队列", "done", "队列", "done"]
