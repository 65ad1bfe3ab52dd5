"""A machine whose sound device cannot be opened: said once, in Kindred's words (and by
``kindred devices``), playback stops instead of failing every track of the queue, and
libasound's own lines go to the log file, not the terminal."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from player.audio.output.sinks import portaudio_error
from tests.audiogen import make_audio, requires_ffmpeg, tag
from tests.test_cli import run

pytestmark = [
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ALSA's messages (Linux)"),
    requires_ffmpeg,
    pytest.mark.skipif(portaudio_error() is not None, reason="PortAudio is not installed"),
]


def _no_card_env(tmp_path: Path) -> dict[str, str]:
    """ALSA's default device pointed at a card that does not exist, and no sound server."""
    home = tmp_path / "home"
    home.mkdir()
    (home / ".asoundrc").write_text("pcm.!default { type hw card 42 }\n", encoding="utf-8")
    return {
        "HOME": str(home),
        "KINDRED_HOME": str(tmp_path / "kindred"),
        "PULSE_SERVER": "unix:/nonexistent/pulse",
        "XDG_RUNTIME_DIR": str(home),
    }


def test_no_sound_device_is_said_once_and_playback_stops(tmp_path: Path) -> None:
    env = _no_card_env(tmp_path)
    devices = run("devices", env=env)
    assert devices.returncode == 0, devices.stderr
    if "cannot be used" not in devices.stderr:
        pytest.skip("this machine still has a default output device")
    assert devices.stderr.count("kindred: the default sound device cannot be used") == 1
    assert "ALSA lib" not in devices.stderr

    album = tmp_path / "album"
    album.mkdir()
    for n in range(1, 6):
        tag(make_audio(album / f"{n:02d}.flac", "flac", seconds=0.3), title=f"T{n}",
            track_number=n)  # fmt: skip
    played = run("play", str(album), env=env)
    assert played.returncode == 1
    assert played.stderr.count("Cannot open the sound device") == 1, played.stderr
    assert "no default output device" in played.stderr and "kindred devices" in played.stderr
    assert "ALSA lib" not in played.stderr, played.stderr
    log = (tmp_path / "kindred" / "logs").glob("*.log")
    assert any("ALSA" in p.read_text(encoding="utf-8") for p in log)


def test_alsa_messages_go_to_the_log_once_each(tmp_path: Path) -> None:
    """libasound's error handler, set in a fresh process: an unknown PCM opened twice
    prints nothing on the terminal and one log line."""
    script = (
        "import ctypes, logging\n"
        "from player.audio.output.alsalog import route_alsa_messages\n"
        "logging.basicConfig(level=logging.INFO, format='LOG %(message)s')\n"
        "assert route_alsa_messages()\n"
        "lib = ctypes.CDLL('libasound.so.2')\n"
        "for _ in range(2):\n"
        "    pcm = ctypes.c_void_p()\n"
        "    assert lib.snd_pcm_open(ctypes.byref(pcm), b'no_such_pcm_here', 0, 0) < 0\n"
    )
    import sys

    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60, env={**_no_card_env(tmp_path)} | _base_env())  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert not [line for line in lines if line.startswith("ALSA lib")], lines
    assert sum("Unknown PCM" in line for line in lines if line.startswith("LOG ")) == 1, lines


def _base_env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if k in ("PATH", "PYTHONPATH", "VIRTUAL_ENV")}


def test_with_libvlc_output_the_device_is_reported_once(tmp_path: Path) -> None:
    """PortAudio missing (libVLC's output plays): libVLC retries a device it cannot
    open many times a second; Kindred says once that it cannot be used."""
    import sys

    from player.audio.vlc_engine import vlc_missing_error

    if vlc_missing_error() is not None:
        pytest.skip("libVLC is not installed")
    env = _no_card_env(tmp_path)
    song = make_audio(tmp_path / "song.flac", "flac", seconds=3.0)
    script = (
        "import sys\n"
        "sys.modules['sounddevice'] = None  # PortAudio cannot be loaded\n"
        "from player.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    devices = subprocess.run([sys.executable, "-c", script, "devices"], capture_output=True,
                             text=True, timeout=60, env={**_base_env(), **env})  # fmt: skip
    if "cannot be used" not in devices.stderr:
        pytest.skip("this machine still has a default output device")
    played = subprocess.run([sys.executable, "-c", script, "play", str(song)],
                            capture_output=True, text=True, timeout=60,
                            env={**_base_env(), **env})  # fmt: skip
    assert played.stderr.count("The sound device cannot be used") == 1, played.stderr
    assert "ALSA lib" not in played.stderr, played.stderr
