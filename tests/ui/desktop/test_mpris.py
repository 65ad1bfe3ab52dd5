"""MPRIS2: the real ``playerctl`` drives a running window on a private session bus.

Needs the Debian packages ``playerctl`` and ``dbus-daemon`` (``dbus-run-session``)
plus ``dbus-bin`` (``dbus-monitor``); the tests skip, naming them, where missing.
"""

from __future__ import annotations

import contextlib
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtDBus import QDBusArgument

from player.audio.engine import PlaybackState
from player.audio.queue import QueueItem
from player.ui.desktop.mpris import (
    int64,
    metadata,
    on_the_wire,
    playback_status,
    track_path,
    uri_to_path,
)

ROOT = Path(__file__).resolve().parents[3]

needs_bus_tools = pytest.mark.skipif(
    shutil.which("dbus-run-session") is None or shutil.which("playerctl") is None,
    reason="needs Debian packages dbus-daemon (dbus-run-session) and playerctl",
)


def test_status_and_metadata_mapping() -> None:
    assert playback_status(PlaybackState.PLAYING, True) == "Playing"
    assert playback_status(PlaybackState.PAUSED, True) == "Paused"
    assert playback_status(PlaybackState.STOPPED, False) == "Stopped"
    assert playback_status(PlaybackState.PLAYING, False) == "Stopped"
    item = QueueItem(
        "/music/a b.flac",
        track_id=12,
        title="T",
        artist="A",
        album="Al",
        duration_ms=61000,
        album_key="AA\x1fAl",
    )
    md = metadata(item, "file:///c.png", 3)
    assert md["mpris:trackid"].path() == "/org/kindred/track/12"
    assert md["mpris:length"] == 61_000_000
    wire = on_the_wire(md)["mpris:length"]
    assert isinstance(wire, QDBusArgument) and wire.currentSignature() == "x"
    assert on_the_wire(metadata(None)) == metadata(None)  # nothing to type
    assert md["xesam:artist"] == ["A"] and md["xesam:albumArtist"] == ["AA"]
    assert md["xesam:url"] == "file:///music/a%20b.flac"
    assert md["xesam:trackNumber"] == 3 and md["mpris:artUrl"] == "file:///c.png"
    stream = QueueItem("http://radio.example/live")
    assert track_path(stream).startswith("/org/kindred/item/")
    assert metadata(stream)["xesam:url"] == "http://radio.example/live"
    assert metadata(None)["mpris:trackid"].path().endswith("NoTrack")
    assert uri_to_path("file:///a%20b/c.flac") == "/a b/c.flac"


@pytest.mark.parametrize("value", [0, 1, 61_000_000, 2**31 - 1, 2**31, 2**62])
def test_int64_is_an_x_whatever_its_size(value: int) -> None:
    argument = int64(value)
    assert isinstance(argument, QDBusArgument) and argument.currentSignature() == "x"


class Session:
    """A window running in ``dbus-run-session``; ``ctl(...)`` runs playerctl on its bus."""

    def __init__(self, proc: subprocess.Popen[str], address: str, env: dict[str, str]) -> None:
        self.proc, self.address = proc, address
        self.env = {**env, "DBUS_SESSION_BUS_ADDRESS": address}

    def ctl(self, *args: str) -> str:
        result = subprocess.run(
            ["playerctl", "-p", "kindred", *args],
            capture_output=True,
            text=True,
            timeout=10,
            env=self.env,
        )
        return result.stdout.strip()

    def wait_for(self, check, timeout: float = 5.0):
        deadline = time.monotonic() + timeout
        while True:
            value = check()
            if value or time.monotonic() > deadline:
                return value
            time.sleep(0.05)


def stop_group(proc: subprocess.Popen[str]) -> None:
    """End *proc* and everything it started (its own process group)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


@pytest.fixture
def bus_window(demo_db: Path, tmp_path: Path) -> Iterator[Session]:
    env = {
        **os.environ,
        "KINDRED_HOME": str(tmp_path / "home"),
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    proc = subprocess.Popen(
        ["dbus-run-session", "--", sys.executable, "-m", "tests.ui.mpris_app", str(demo_db)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,  # the window is a child of dbus-run-session: end both
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if not line.startswith("READY"):
            proc.kill()
            pytest.fail(f"the window did not start: {line}")
        parts = line.split()
        assert parts[1] == "mpris", line
        yield Session(proc, parts[2], env)
    finally:
        stop_group(proc)


@needs_bus_tools
def test_playerctl_formats_the_length_as_a_duration(bus_window: Session) -> None:
    """``mpris:length`` is an ``x`` as the spec says, so playerctl's ``duration()``
    takes it (it refuses an ``i``, which tracks under ~35 minutes used to be)."""
    s = bus_window
    assert s.wait_for(lambda: s.ctl("status") == "Playing")
    length_us = int(s.ctl("metadata", "mpris:length"))
    assert 0 < length_us < 2**31  # the size PySide6 sends as "i" unless told otherwise
    minutes, seconds = divmod(length_us // 1_000_000, 60)
    shown = s.ctl("metadata", "--format", "{{ duration(mpris:length) }}")
    assert shown == f"{minutes}:{seconds:02d}"
    # PropertiesChanged carries it typed too: a follower formats the next track's
    form = "{{ duration(mpris:length) }}|{{ title }}"
    follow = subprocess.Popen(
        ["playerctl", "-p", "kindred", "--follow", "metadata", "--format", form],
        env=s.env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        first = _line(follow, 10)
        assert first.startswith(f"{shown}|"), first
        s.ctl("next")
        second = _line(follow, 10)
        assert second and second != first
        assert re.fullmatch(r"\d+:\d\d\|.+", second), second
        assert second.split("|")[1] == s.ctl("metadata", "title")
    finally:
        follow.terminate()
        follow.wait(5)


def _line(proc: subprocess.Popen[str], timeout: float) -> str:
    """The next line *proc* prints, or "" after *timeout* seconds."""
    assert proc.stdout is not None
    ready, _, _ = select.select([proc.stdout], [], [], timeout)
    return proc.stdout.readline().strip() if ready else ""


@needs_bus_tools
def test_playerctl_drives_the_window(bus_window: Session) -> None:
    s = bus_window
    assert s.wait_for(lambda: s.ctl("status") == "Playing")
    first = s.ctl("metadata", "title")
    assert first
    assert s.ctl("metadata", "artist")
    full = s.ctl("metadata")
    assert "mpris:trackid" in full and "/org/kindred/track/" in full
    assert "xesam:url" in full and "file://" in full
    assert s.wait_for(lambda: "mpris:artUrl" in s.ctl("metadata"))  # the cover, made off-thread
    art = s.ctl("metadata", "mpris:artUrl")
    assert art.startswith("file://") and Path(art.removeprefix("file://")).is_file()
    # PropertiesChanged: a follower sees the pause without polling
    follow = subprocess.Popen(
        ["playerctl", "-p", "kindred", "--follow", "status"],
        env=s.env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert follow.stdout is not None
        assert follow.stdout.readline().strip() == "Playing"
        s.ctl("play-pause")
        assert follow.stdout.readline().strip() == "Paused"
    finally:
        follow.terminate()
        follow.wait(5)
    assert s.ctl("status") == "Paused"
    s.ctl("play-pause")
    assert s.wait_for(lambda: s.ctl("status") == "Playing")
    s.ctl("next")
    assert s.wait_for(lambda: s.ctl("metadata", "title") not in ("", first))
    # position reads, sets (SetPosition) and moves relatively (Seek), with Seeked
    monitor = (
        subprocess.Popen(
            ["dbus-monitor", "--session", "type='signal',member='Seeked'"],
            env=s.env,
            stdout=subprocess.PIPE,
            text=True,
        )
        if shutil.which("dbus-monitor")
        else None
    )
    try:
        time.sleep(0.3)
        s.ctl("position", "3")
        assert 2.9 <= float(s.ctl("position")) < 5.0
        s.ctl("position", "1-")
        assert 1.9 <= float(s.ctl("position")) < 4.0
    finally:
        if monitor is not None:
            time.sleep(0.3)
            monitor.terminate()
            out = monitor.communicate(timeout=5)[0]
            assert out.count("member=Seeked") >= 2, out
    # modes and volume are writable properties
    s.ctl("loop", "Playlist")
    assert s.ctl("loop") == "Playlist"
    s.ctl("shuffle", "On")
    assert s.ctl("shuffle") == "On"
    s.ctl("volume", "0.5")
    assert abs(float(s.ctl("volume")) - 0.5) < 0.02
    # Quit (org.mpris.MediaPlayer2) closes the window and the process ends cleanly
    if shutil.which("dbus-send") is None:
        pytest.skip("Quit not checked: needs Debian package dbus-bin (dbus-send)")
    subprocess.run(
        [
            "dbus-send",
            "--print-reply",
            "--session",
            "--dest=org.mpris.MediaPlayer2.kindred",
            "/org/mpris/MediaPlayer2",
            "org.mpris.MediaPlayer2.Quit",
        ],
        env=s.env,
        capture_output=True,
        timeout=10,
        check=True,
    )
    assert s.proc.wait(15) == 0
