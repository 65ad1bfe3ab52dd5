"""``kindred --self-test``: every check runs for real and the exit status tells."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from player.audio.vlc_engine import libvlc_available

needs_vlc = pytest.mark.skipif(
    not libvlc_available(), reason="libVLC is not installed here (CI installs VLC)"
)


def self_test(prelude: str = "") -> subprocess.CompletedProcess[str]:
    code = prelude + "from player.cli import main; raise SystemExit(main(['--self-test']))"
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )


@needs_vlc
def test_a_working_installation_passes_every_check() -> None:
    result = self_test()
    lines = result.stdout.splitlines()
    assert result.returncode == 0, result.stdout + result.stderr
    assert [line.split()[0] for line in lines[1:-1]] == ["ok"] * 5
    assert "rendered through the output stage (1.000 s" in result.stdout
    assert lines[-1] == "all checks passed"


def test_without_libvlc_the_playback_check_renders_through_the_output_stage() -> None:
    result = self_test("import sys; sys.modules['vlc'] = None; ")
    assert result.returncode == 0, result.stdout
    assert "rendered through the output stage" in result.stdout
