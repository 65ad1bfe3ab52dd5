"""The sleep timer in the window: the moon on the now-playing bar and the tray's submenu."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QMenu

from player.audio.engine import PlaybackState
from player.ui.desktop import tray
from player.ui.playback.sleep_menu import clock_text
from tests.audio.test_sleep import Clock
from tests.ui.conftest import wait_loaded
from tests.ui.window.test_screenshot import _save


def _near(a: QColor, b: QColor) -> bool:
    return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue()) < 60


def _action(menu: QMenu, text: str):
    menu.aboutToShow.emit()  # what opening it does: rebuilt for the state now
    found = [a for a in menu.actions() if a.text() == text]
    assert found, [a.text() for a in menu.actions()]
    return found[0]


def test_clock_text() -> None:
    assert clock_text(900) == "15:00"
    assert clock_text(0.2) == "0:01"
    assert clock_text(3 * 3600 + 65) == "3:01:05"
    assert clock_text(0) == "0:00"


def test_the_moon_sets_counts_down_and_cancels(
    qtbot, english, open_window, demo_db, tmp_path: Path
) -> None:
    window, engine = open_window(demo_db, restore=False)
    window.resize(1440, 900)
    page = window.tracks_page
    wait_loaded(qtbot, page.model)
    page.view.play_rows([0])
    qtbot.waitUntil(lambda: engine.state == PlaybackState.PLAYING)
    controller = window.bridge.controller
    clock = Clock()
    controller.sleep.clock = clock
    moon = window.now_playing.sleep
    assert moon.text() == "" and not moon.isChecked() and moon.toolTip() == "Sleep timer"
    moon.sleep_menu.aboutToShow.emit()
    assert [a.text() for a in moon.sleep_menu.actions() if a.text()] == [
        "Stop after this track",
        "Pause in 15 minutes",
        "Pause in 30 minutes",
        "Pause in 45 minutes",
        "Pause in 1 hour",
        "Pause in 90 minutes",
        "Pause in 2 hours",
    ]
    _action(moon.sleep_menu, "Pause in 30 minutes").trigger()
    assert controller.sleep.remaining() == 1800
    assert moon.text() == "30:00" and moon.isChecked()
    assert moon.toolTip() == "Pausing in 30:00"
    clock.now += 61.5
    qtbot.waitUntil(lambda: moon.text() == "28:59", timeout=3000)  # it counts down by itself
    menu = [a.text() for a in (moon.sleep_menu.aboutToShow.emit(), moon.sleep_menu.actions())[1]]
    assert menu[0] == "Pausing in 28:59" and menu[-1] == "Cancel the sleep timer"
    qtbot.wait(50)
    assert _save(window, tmp_path, "sleep.png", "-sleep").stat().st_size > 0
    # the volume slider keeps the listener's volume while the music fades
    volume = window.now_playing.volume.value()
    clock.now += 1800 - 61.5 - 6  # 6 s left: half way down the fade
    window.bridge.pump()
    assert engine.volume < volume and window.now_playing.volume.value() == volume
    _action(moon.sleep_menu, "Cancel the sleep timer").trigger()
    assert not controller.sleep.active and engine.volume == volume
    assert moon.text() == "" and not moon.isChecked()
    # a timer that runs out pauses the music, and the moon goes back to rest
    _action(moon.sleep_menu, "Pause in 15 minutes").trigger()
    clock.now += 15 * 60 + 1
    qtbot.waitUntil(lambda: engine.state == PlaybackState.PAUSED, timeout=3000)
    qtbot.waitUntil(lambda: moon.text() == "" and not moon.isChecked(), timeout=3000)
    assert engine.volume == volume and window.now_playing.volume.value() == volume


def test_stop_after_this_track_from_the_tray(qtbot, open_window, demo_db) -> None:
    window, engine = open_window(demo_db, restore=False)
    page = window.tracks_page
    wait_loaded(qtbot, page.model)
    icon = tray.TrayIcon(window)
    assert icon.sleep_menu in [a.menu() for a in icon.menu.actions() if a.menu()]
    assert icon.sleep_menu.title() == "Sleep timer"
    page.view.play_rows([0, 1, 2])
    qtbot.waitUntil(lambda: engine.state == PlaybackState.PLAYING)
    first = window.bridge.playing_item
    moon = window.now_playing.sleep
    after = _action(icon.sleep_menu, "Stop after this track")
    assert not after.isChecked()
    after.trigger()
    assert window.bridge.controller.queue.stop_after_current
    qtbot.waitUntil(lambda: moon.text() == "End of track" and moon.isChecked())
    assert moon.toolTip() == "Stopping after this track"
    assert _action(moon.sleep_menu, "Stop after this track").isChecked()  # both menus agree
    # the queue marks where playback stops, and its menu has the same switch
    panel = window.queue_panel
    row = [it.id for it in panel.model.items].index(first.id)
    index = panel.model.index(row)
    assert "Playback stops after this track" in index.data(Qt.ItemDataRole.ToolTipRole)
    other = panel.model.index(row + 1).data(Qt.ItemDataRole.ToolTipRole)
    assert "stops" not in other
    window.side.setCurrentWidget(panel)
    panel.resize(320, 400)
    qtbot.wait(50)
    accent = window.theme.color("accent")
    rect = panel.view.visualRect(index)
    image = panel.view.viewport().grab().toImage()
    line = [image.pixelColor(x, rect.bottom() - 1) for x in range(rect.x() + 20, rect.right() - 20)]
    assert sum(_near(c, accent) for c in line) > len(line) // 3  # the dashed accent line
    panel.view.selectionModel().select(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    menu = panel.context_menu()
    assert menu is not None
    switch = [a for a in menu.actions() if a.text() == "Stop after this track"]
    assert switch and switch[0].isChecked()
    switch[0].trigger()  # off from the queue
    assert not window.bridge.controller.queue.stop_after_current
    qtbot.waitUntil(lambda: moon.text() == "" and not moon.isChecked())
    assert "stops" not in index.data(Qt.ItemDataRole.ToolTipRole)
    _action(moon.sleep_menu, "Stop after this track").trigger()  # and on again
    assert window.bridge.controller.queue.stop_after_current
    engine.advance(first.duration_ms or 10_000)
    qtbot.waitUntil(lambda: engine.state != PlaybackState.PLAYING, timeout=3000)
    qtbot.waitUntil(lambda: moon.text() == "" and not moon.isChecked(), timeout=3000)
    assert window.bridge.controller.queue.current.id != first.id  # the next one waits
    assert not window.bridge.controller.queue.stop_after_current
