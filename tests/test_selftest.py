"""``kindred --self-test``: every check runs for real and the exit status tells."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from player.audio.output.sinks import portaudio_error
from player.audio.vlc_engine import libvlc_available

needs_vlc = pytest.mark.skipif(
    not libvlc_available(), reason="libVLC is not installed here (CI installs VLC)"
)
needs_portaudio = pytest.mark.skipif(
    portaudio_error() is not None, reason="PortAudio is not installed here (CI installs it)"
)
#: a prelude that makes an import of the module fail in the child, as if it were missing
WITHOUT = "import sys; sys.modules[{!r}] = None; "


def self_test(prelude: str = "") -> subprocess.CompletedProcess[str]:
    code = prelude + "from player.cli import main; raise SystemExit(main(['--self-test']))"
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )


def line(result: subprocess.CompletedProcess[str], start: str) -> str:
    [found] = [x.strip() for x in result.stdout.splitlines() if x.strip().startswith(start)]
    return found


@needs_vlc
@needs_portaudio
def test_a_working_installation_passes_every_check() -> None:
    result = self_test()
    lines = result.stdout.splitlines()
    assert result.returncode == 0, result.stdout + result.stderr
    assert [line.split()[0] for line in lines[1:-1]] == ["ok"] * 6
    assert "rendered through the output stage (1.000 s" in result.stdout
    assert "libVLC 3." in result.stdout and "a FLAC decoded (1.000 s)" in result.stdout
    assert "sound output through PortAudio V19" in result.stdout
    assert "the window opened and closed offscreen" in result.stdout
    assert lines[-1] == "all checks passed"


@needs_portaudio
def test_without_libvlc_the_playback_check_renders_through_the_output_stage() -> None:
    result = self_test(WITHOUT.format("vlc"))
    assert result.returncode == 0, result.stdout
    assert "rendered through the output stage" in result.stdout
    assert line(result, "skip  libvlc:") == (
        "skip  libvlc: libVLC is not installed here (the output stage plays without it)"
    )


@needs_vlc
def test_without_portaudio_libvlc_plays_and_the_sound_check_says_so() -> None:
    result = self_test(WITHOUT.format("sounddevice"))
    assert result.returncode == 0, result.stdout
    assert line(result, "skip  sound output:").endswith("(libVLC's output plays, not gapless)")
    assert line(result, "ok    libVLC")


def test_with_neither_portaudio_nor_libvlc_the_sound_check_fails() -> None:
    result = self_test(WITHOUT.format("sounddevice") + WITHOUT.format("vlc"))
    assert result.returncode == 1, result.stdout
    assert line(result, "FAIL  sound output:") == (
        "FAIL  sound output: PortAudio is not installed: Kindred cannot play audio"
    )
    assert result.stdout.splitlines()[-1] == "1 check(s) failed"
