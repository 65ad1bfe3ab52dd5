"""Tray icon and track-change notifications: the logic in the window, Notify on a real bus.

The D-Bus test runs a private ``dbus-daemon`` (Debian package ``dbus-daemon``)
with a stand-in notification service and checks the exact call Kindred makes.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from player.audio.engine import PlaybackState
from player.audio.queue import QueueItem
from player.ui.desktop import notify, tray
from player.ui.window.state import WindowState
from tests.ui.conftest import wait_loaded

ROOT = Path(__file__).resolve().parents[3]


def _stop(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


@pytest.fixture
def private_bus() -> Iterator[str]:
    """The address of a fresh session bus (a dbus-daemon of its own)."""
    if shutil.which("dbus-daemon") is None:
        pytest.skip("needs Debian package dbus-daemon")
    proc = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--print-address=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    assert proc.stdout is not None
    address = proc.stdout.readline().strip()
    try:
        yield address
    finally:
        _stop(proc)


def test_tooltip_and_texts() -> None:
    item = QueueItem("/m/a.flac", title="Song", artist="Band", album="Record")
    assert tray.tooltip(None) == "Kindred"
    assert tray.tooltip(item) == "Kindred\nSong — Band"
    assert tray.tooltip(item, PlaybackState.PAUSED).endswith("(paused)")
    assert tray.tooltip(QueueItem("/m/b.flac")) == "Kindred\nb.flac"
    assert notify.texts(item) == ("Song", "Band — Record")


def test_notify_goes_to_the_notification_service(qapp, private_bus: str) -> None:
    from PySide6.QtDBus import QDBusConnection

    service = subprocess.Popen(
        [sys.executable, "-m", "tests.ui.fake_notifications"],
        cwd=ROOT,
        env={**os.environ, "DBUS_SESSION_BUS_ADDRESS": private_bus, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    try:
        assert service.stdout is not None
        assert service.stdout.readline().strip() == "READY"
        bus = QDBusConnection.connectToBus(private_bus, "kindred-notify-test")
        assert bus.isConnected()
        notifier = notify.DBusNotifier(bus)
        first = notifier.notify("Song", "Band — Record", "file:///tmp/cover.png")
        assert first > 0
        call = json.loads(service.stdout.readline())
        assert call["app"] == "Kindred" and call["replaces"] == 0
        assert call["summary"] == "Song" and call["body"] == "Band — Record"
        assert call["icon"] == "file:///tmp/cover.png"
        assert call["hints"]["image-path"] == "file:///tmp/cover.png"
        assert call["timeout"] == notify.TIMEOUT_MS
        # the next one replaces the previous notification instead of piling up
        notifier.notify("Other", "", "")
        assert json.loads(service.stdout.readline())["replaces"] == first
        QDBusConnection.disconnectFromBus("kindred-notify-test")
    finally:
        _stop(service)


def test_no_service_is_quiet(qapp, private_bus: str) -> None:
    from PySide6.QtDBus import QDBusConnection

    bus = QDBusConnection.connectToBus(private_bus, "kindred-notify-none")
    assert notify.DBusNotifier(bus).notify("Song", "", "") == 0
    QDBusConnection.disconnectFromBus("kindred-notify-none")


def test_track_change_notifies_with_cover_only_when_enabled(qtbot, open_window, demo_db) -> None:
    from player.ui.desktop.common import art_url_for

    window, engine = open_window(demo_db, restore=False)
    sent: list[tuple[str, str, str]] = []
    notify.TrackNotifier(
        window,
        lambda *a: sent.append(a),
        lambda item, done: art_url_for(window, item, done),
    )
    page = window.tracks_page
    wait_loaded(qtbot, page.model)
    page.view.play_rows([0])
    qtbot.waitUntil(lambda: engine.state == PlaybackState.PLAYING)
    qtbot.wait(300)
    assert sent == []  # off by default
    notify.set_enabled(window, True)
    page.view.play_rows([1])
    qtbot.waitUntil(lambda: len(sent) == 1, timeout=5000)
    title, body, icon = sent[0]
    row = page.model.row(1)
    assert title == row["title"] and row["artist"] in body
    assert icon.startswith("file://") and Path(icon.removeprefix("file://")).is_file()


def test_tray_menu_drives_playback_and_close_to_tray(qtbot, open_window, demo_db) -> None:
    window, engine = open_window(demo_db, restore=False)
    icon = tray.TrayIcon(window)
    icon.show()
    page = window.tracks_page
    wait_loaded(qtbot, page.model)
    page.view.play_rows([0])
    qtbot.waitUntil(lambda: engine.state == PlaybackState.PLAYING)
    first = page.model.row(0)["title"]
    qtbot.waitUntil(lambda: first in icon.icon.toolTip())
    assert icon.play_action.text() == "Pause"
    icon.play_action.trigger()
    assert engine.state == PlaybackState.PAUSED
    qtbot.waitUntil(lambda: icon.icon.toolTip().endswith("(paused)"))
    assert icon.play_action.text() == "Play"
    icon.play_action.trigger()
    assert engine.state == PlaybackState.PLAYING
    icon.next_action.trigger()
    qtbot.waitUntil(lambda: window.bridge.playing_item.title != first)
    qtbot.waitUntil(lambda: window.bridge.playing_item.title in icon.icon.toolTip())
    icon.previous_action.trigger()
    qtbot.waitUntil(lambda: window.bridge.playing_item.title == first)
    # show/hide
    icon.show_action.trigger()
    assert not window.isVisible()
    icon.show_action.trigger()
    assert window.isVisible()
    # close to tray: off by default (closing closes), on: closing only hides
    assert not tray.close_to_tray(window)
    assert not icon.should_hide_on_close()
    icon.close_action.trigger()
    assert tray.close_to_tray(window)
    assert not notify.enabled(window)
    icon.notify_action.trigger()
    assert notify.enabled(window)
    window.close()
    assert not window.isVisible()
    assert window.bridge.timer.isActive()  # hidden, still playing
    icon.toggle_window()
    assert window.isVisible()
    icon.quit_action.trigger()  # really quits: the window closes and saves its state
    assert not window.isVisible()
    assert not window.bridge.timer.isActive()
    saved = WindowState.load(window.ctx.paths).extra
    assert saved.get(tray.CLOSE_TO_TRAY) is True and saved.get(notify.NOTIFY_SETTING) is True
