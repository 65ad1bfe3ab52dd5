"""The Settings dialog: every change is saved to disk and applied to the live window at once.

Real window, real controller and widgets over the in-memory engine; each test
reads the settings file (or the window-state file) back to check what was saved.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from player.audio.engine import EQ_BANDS_HZ, Equalizer, OutputDevice
from player.config import Settings
from player.ui.settings.dialog import PAGES, SettingsDialog
from player.ui.settings.library import forget_folder
from player.ui.window import shortcuts
from player.ui.window.state import WindowState
from tests.ui.conftest import wait_loaded
from tests.ui.window.test_screenshot import _save


def saved(window) -> dict:
    return json.loads(window.ctx.paths.settings_file.read_text(encoding="utf-8"))


def open_dialog(qtbot, window) -> SettingsDialog:
    window.show_settings()
    dialog = window.settings_dialog
    assert isinstance(dialog, SettingsDialog)
    qtbot.waitExposed(dialog)
    return dialog


def choose(combo, data) -> None:
    """Pick the entry holding *data* the way a person does (``activated``)."""
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def test_opens_from_the_gear_button_and_ctrl_comma(qtbot, open_window, demo_db, tmp_path) -> None:
    from PySide6.QtWidgets import QToolButton

    window, _ = open_window(demo_db)
    gear = window.findChild(QToolButton, "SettingsButton")
    assert gear is not None and gear.accessibleName() == "Settings"
    qtbot.mouseClick(gear, Qt.MouseButton.LeftButton)
    dialog = window.settings_dialog
    assert isinstance(dialog, SettingsDialog) and dialog.isVisible()
    assert not dialog.isModal()
    dialog.close()
    assert ("settings", "Ctrl+,", "Open the settings") in [
        (n, k, t) for n, k, t in shortcuts.SHORTCUTS
    ]
    window.actions_["settings"].trigger()
    assert window.settings_dialog is dialog and dialog.isVisible()
    # every page is there, in order, and each one renders
    names = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert names == [
        "Library",
        "Playback",
        "Equalizer",
        "Lyrics",
        "Appearance",
        "Comments",
        "Desktop",
        "Accounts",
    ]
    for key in (entry.key for entry in PAGES):
        page = dialog.show_page(key)
        assert dialog.stack.currentWidget() is page
        qtbot.wait(50)  # let the page lay out (scroll bars) before the picture
        shot = _save(dialog, tmp_path, f"settings-{key}.png", f"-settings-{key}")
        assert shot.stat().st_size > 0


def test_comments_page_is_the_comment_server_settings(qtbot, open_window, demo_db) -> None:
    window, _ = open_window(demo_db)
    dialog = open_dialog(qtbot, window)
    page = dialog.show_page("comments")
    assert dialog.comments_loaded
    from player.ui.settings.comments import CommentsSettingsPage

    inner = page.findChild(CommentsSettingsPage)
    assert inner is not None and inner.url_field.text() == window.ctx.settings.server_url
    assert dialog.stack.currentWidget() is page


def test_replaygain_changes_the_playing_items_gain_and_is_saved(
    qtbot, open_window, demo_db
) -> None:
    window, engine = open_window(demo_db)
    wait_loaded(qtbot, window.tracks_page.model)
    window.tracks_page.view.play_rows([0])
    qtbot.waitUntil(lambda: window.bridge.playing_item is not None)
    dialog = open_dialog(qtbot, window)
    page = dialog.show_page("playback")
    choose(page.mode, "album")
    assert engine.gain_db == pytest.approx(-7.0, abs=0.01)  # the demo's album gain
    assert saved(window)["audio"]["replaygain_mode"] == "album"
    page.preamp.setValue(3.0)
    assert engine.gain_db == pytest.approx(-4.0, abs=0.01)
    assert saved(window)["audio"]["replaygain_preamp_db"] == 3.0
    choose(page.mode, "off")
    assert engine.gain_db == 0.0
    assert window.bridge.controller.settings.replaygain_mode == "off"
    assert "RG off" in window.now_playing.gain.text()
    page.fallback.setValue(-9.5)
    page.clipping.click()
    audio = saved(window)["audio"]
    assert audio["replaygain_fallback_db"] == -9.5 and audio["prevent_clipping"] is False


def test_output_device_moves_playback_and_is_saved(qtbot, open_window, demo_db) -> None:
    window, engine = open_window(demo_db)
    engine.devices.append(OutputDevice("usb-dac", "USB DAC"))
    dialog = open_dialog(qtbot, window)
    page = dialog.show_page("playback")
    texts = [page.device.itemText(i) for i in range(page.device.count())]
    assert texts == ["System default", "Fake default output", "USB DAC"]
    choose(page.device, "usb-dac")
    assert engine.output_device == "usb-dac"
    assert saved(window)["audio"]["output_device"] == "usb-dac"
    choose(page.device, "")
    assert engine.output_device is None
    assert saved(window)["audio"]["output_device"] == ""


def test_bit_perfect_switch_reaches_the_engine_and_is_saved(qtbot, open_window, demo_db) -> None:
    window, engine = open_window(demo_db)
    dialog = open_dialog(qtbot, window)
    page = dialog.show_page("playback")
    assert page.bit_perfect.isEnabled() and not page.bit_perfect.isChecked()
    page.bit_perfect.click()
    assert engine.bit_perfect is True
    assert saved(window)["audio"]["bit_perfect"] is True
    page.bit_perfect.click()
    assert engine.bit_perfect is False
    assert saved(window)["audio"]["bit_perfect"] is False


def test_crossfade_reaches_the_engine_and_is_saved(qtbot, open_window, demo_db) -> None:
    window, engine = open_window(demo_db)
    dialog = open_dialog(qtbot, window)
    page = dialog.show_page("playback")
    assert page.crossfade.value() == 0 and page.crossfade.text() == "Off"
    page.crossfade.setValue(4)
    assert engine.crossfade_s == 4.0
    assert saved(window)["audio"]["crossfade_s"] == 4.0
    page.crossfade.setValue(0)
    assert engine.crossfade_s == 0.0


def test_equalizer_sliders_presets_and_switch(qtbot, open_window, demo_db) -> None:
    window, engine = open_window(demo_db)
    engine.equalizer_presets = lambda: {  # type: ignore[method-assign]
        "Flat": Equalizer(preset="Flat"),
        "Rock": Equalizer(1.0, (5.0, 3.0, -2.0, -3.0, -1.0, 1.0, 3.0, 5.0, 6.0, 6.0), "Rock"),
    }
    dialog = open_dialog(qtbot, window)
    page = dialog.show_page("equalizer")
    assert len(page.bands) == len(EQ_BANDS_HZ)
    assert not page.bands[0].isEnabled()  # off: nothing to move
    page.enabled.click()
    assert engine.equalizer is not None and engine.equalizer.is_flat
    assert saved(window)["audio"]["equalizer_enabled"] is True
    choose(page.preset, "Rock")
    assert engine.equalizer.preset == "Rock" and engine.equalizer.bands_db[0] == 5.0
    assert page.bands[0].value() == 50 and page.band_values[0].text() == "+5.0"
    assert saved(window)["audio"]["equalizer_preset"] == "Rock"
    # a slider changes the sound at once and makes the preset "Custom"
    page.bands[3].setValue(-75)
    assert engine.equalizer.bands_db[3] == -7.5
    assert page.preset.currentText() == "Custom"
    assert page.band_values[3].text() == "−7.5"
    qtbot.waitUntil(lambda: saved(window)["audio"]["equalizer_bands"][3] == -7.5)
    assert saved(window)["audio"]["equalizer_preset"] == ""
    page.preamp.setValue(-30)
    dialog.close()  # a change still waiting is saved on close
    assert saved(window)["audio"]["equalizer_preamp_db"] == -3.0
    page.enabled.click()
    assert engine.equalizer is None
    assert saved(window)["audio"]["equalizer_enabled"] is False


def test_theme_restyles_the_window_and_is_remembered(qtbot, open_window, demo_db) -> None:
    window, _ = open_window(demo_db)
    dialog = open_dialog(qtbot, window)
    page = dialog.show_page("appearance")
    dark_bg = window.theme.colors["bg"]
    choose(page.theme, "light")
    assert window.theme.name == "light"
    assert window.theme.colors["bg"] != dark_bg
    assert window.theme.colors["bg"] in QApplication.instance().styleSheet()
    assert window.theme.colors["bg"] in dialog.styleSheet()
    assert WindowState.load(window.ctx.paths).theme == "light"
    choose(page.theme, "system")
    assert WindowState.load(window.ctx.paths).theme == "system"
    assert window.theme.name in ("dark", "light")  # whatever the desktop uses
    # the Ctrl+Shift+L shortcut still switches, and the dialog follows
    before = window.theme.name
    window.toggle_theme()
    assert window.theme.name != before
    qtbot.waitUntil(lambda: dialog.property("kindredTheme") == window.theme.name)


def test_language_is_saved_for_the_next_start(qtbot, open_window, demo_db) -> None:
    window, _ = open_window(demo_db)
    dialog = open_dialog(qtbot, window)
    page = dialog.show_page("appearance")
    codes = [page.language.itemData(i) for i in range(page.language.count())]
    assert codes[0] == "" and "zh_CN" in codes
    assert page.note.text() == ""
    choose(page.language, "zh_CN")
    assert saved(window)["language"] == "zh_CN"
    assert window.ctx.settings.language == "zh_CN"
    assert "next time" in page.note.text()
    assert not page.restart_button.isHidden()  # "Restart Kindred now" is offered
    choose(page.language, "")
    assert saved(window)["language"] == "" and page.note.text() == ""
    assert page.restart_button.isHidden()


def test_desktop_switches_follow_the_tray_menu(qtbot, open_window, demo_db) -> None:
    from player.ui.desktop import notify, tray

    window, _ = open_window(demo_db)
    window.desktop_parts.tray = tray.TrayIcon(window)
    icon = window.desktop_parts.tray
    dialog = open_dialog(qtbot, window)
    page = dialog.show_page("desktop")
    assert not page.close_to_tray.isChecked() and not page.no_tray.isVisible()
    page.close_to_tray.click()
    assert tray.close_to_tray(window) and icon.close_action.isChecked()
    assert WindowState.load(window.ctx.paths).extra[tray.CLOSE_TO_TRAY] is True
    icon.notify_action.setChecked(True)  # from the tray menu
    assert page.notify.isChecked() and notify.enabled(window)
    assert WindowState.load(window.ctx.paths).extra[notify.NOTIFY_SETTING] is True
    page.notify.click()
    assert not icon.notify_action.isChecked() and not notify.enabled(window)


def test_add_folder_scans_it_and_rescan_starts_a_scan(
    qtbot, open_window, demo_music, tmp_path, monkeypatch
) -> None:
    window, _ = open_window()
    dialog = open_dialog(qtbot, window)
    page = dialog.show_page("library")
    assert page.folders.count() == 0 and not page.rescan_button.isEnabled()
    from PySide6.QtWidgets import QFileDialog

    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(demo_music))
    page.add_button.click()
    assert page.folders.item(0).text() == str(demo_music.resolve())
    assert saved(window)["library_folders"] == [str(demo_music.resolve())]
    assert window.scan.running
    qtbot.waitUntil(lambda: not window.scan.running, timeout=60000)
    assert window.db.track_count() == 12
    assert page.rescan_button.isEnabled()
    page.rescan_button.click()
    assert window.scan.running and not page.rescan_button.isEnabled()
    qtbot.waitUntil(lambda: not window.scan.running, timeout=60000)
    page.add_folder(str(tmp_path / "nowhere"))
    assert "not a folder" in page.status.text()
    assert saved(window)["library_folders"] == [str(demo_music.resolve())]


def test_watching_picks_up_new_files_until_switched_off(
    qtbot, open_window, demo_music, tmp_path
) -> None:
    import shutil

    music = tmp_path / "music"
    shutil.copytree(demo_music, music)
    window, _ = open_window()
    window.add_folder(str(music))
    qtbot.waitUntil(lambda: not window.scan.running, timeout=60000)
    assert window.db.track_count() == 12
    qtbot.waitUntil(lambda: window.folder_watch.running, timeout=10000)
    first = next(p for p in sorted(music.rglob("*")) if p.suffix in (".flac", ".mp3", ".ogg"))
    shutil.copy(first, first.with_name("copy of " + first.name))
    qtbot.waitUntil(lambda: window.db.track_count() == 13, timeout=30000)
    dialog = open_dialog(qtbot, window)
    page = dialog.show_page("library")
    assert page.watch.isChecked()
    page.watch.click()
    assert not window.folder_watch.running
    assert saved(window)["watch_library"] is False
    shutil.copy(first, first.with_name("another " + first.name))
    qtbot.wait(2500)  # longer than the watcher's quiet period: nothing is picked up
    assert window.db.track_count() == 13
    page.watch.click()
    qtbot.waitUntil(lambda: window.folder_watch.running, timeout=10000)


@pytest.mark.parametrize("answer", ["DropTracks", "KeepTracks"])
def test_remove_folder_asks_and_does_what_was_chosen(
    qtbot, open_window, demo_db, demo_music, answer
) -> None:
    window, _ = open_window(demo_db)
    folder = str(demo_music.resolve())
    window.ctx.settings.add_folders([folder])
    window.ctx.settings.save(window.ctx.paths)
    window.db.add_roots([folder])
    wait_loaded(qtbot, window.tracks_page.model)
    dialog = open_dialog(qtbot, window)
    page = dialog.show_page("library")
    page.folders.setCurrentRow(0)
    assert page.remove_button.isEnabled()

    def press() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        box.findChild(QPushButton, answer).click()

    QTimer.singleShot(0, press)
    page.remove_button.click()
    assert page.folders.count() == 0
    assert saved(window)["library_folders"] == []
    qtbot.waitUntil(lambda: "Removed" in page.status.text() or "no longer" in page.status.text())
    assert folder not in window.db.roots()
    expected = 0 if answer == "DropTracks" else 12
    assert window.db.track_count() == expected
    qtbot.waitUntil(lambda: window.tracks_page.model.rowCount() == expected)


def test_cancelling_remove_keeps_the_folder(qtbot, open_window, demo_db, demo_music) -> None:
    window, _ = open_window(demo_db)
    window.ctx.settings.add_folders([demo_music])
    dialog = open_dialog(qtbot, window)
    page = dialog.show_page("library")
    page.folders.setCurrentRow(0)
    QTimer.singleShot(0, lambda: QApplication.activeModalWidget().reject())
    page.remove_button.click()
    assert page.folders.count() == 1 and window.db.track_count() == 12


def test_forget_folder_only_touches_that_folder(
    tmp_path: Path, demo_db: Path, demo_music: Path
) -> None:
    import shutil

    from player.library.store import LibraryDB

    db_path = tmp_path / "library.db"
    shutil.copy(demo_db, db_path)
    folder = str(demo_music.resolve())
    with LibraryDB(db_path) as db:
        db.add_roots([folder, folder + "-other"])
    assert forget_folder(db_path, folder + "-other", drop_tracks=True) == 0
    assert forget_folder(db_path, folder, drop_tracks=True) == 12
    with LibraryDB(db_path) as db:
        assert db.roots() == [] and db.track_count() == 0


def test_reopening_shows_the_saved_values(qtbot, open_window, make_ctx, demo_db) -> None:
    window, _ = open_window(demo_db)
    dialog = open_dialog(qtbot, window)
    choose(dialog.show_page("playback").mode, "track")
    eq = dialog.show_page("equalizer")
    eq.enabled.click()
    eq.bands[9].setValue(42)
    dialog.show_page("library").watch.click()
    dialog.close()
    window.close()
    window.shutdown()
    assert Settings.load(window.ctx.paths).watch_library is False
    window2, engine2 = open_window(ctx=make_ctx())
    dialog2 = open_dialog(qtbot, window2)
    assert dialog2.show_page("playback").mode.currentData() == "track"
    eq2 = dialog2.show_page("equalizer")
    assert eq2.enabled.isChecked() and eq2.bands[9].value() == 42
    assert eq2.preset.currentText() == "Custom"
    assert engine2.equalizer is not None and engine2.equalizer.bands_db[9] == 4.2
    assert not dialog2.show_page("library").watch.isChecked()
