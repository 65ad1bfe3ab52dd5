"""Settings details: a flat equalizer shows the Flat preset (not Custom), "Close to tray"
cannot be switched on where there is no tray, and help text beside a wide control
(the output device list) uses the row's width instead of a narrow column."""

from __future__ import annotations

from player.audio.engine import Equalizer, OutputDevice
from player.ui.desktop import tray
from tests.ui.settings.test_settings import open_dialog

ROCK = Equalizer(1.0, (5.0, 3.0, -2.0, -3.0, -1.0, 1.0, 3.0, 5.0, 6.0, 6.0), "Rock")


def test_a_flat_equalizer_shows_flat_not_custom(qtbot, open_window, demo_db) -> None:
    window, engine = open_window(demo_db)
    engine.equalizer_presets = lambda: {  # type: ignore[method-assign]
        "Flat": Equalizer(preset="Flat"),
        "Rock": ROCK,
    }
    audio = window.parts.controller.settings
    audio.equalizer_enabled, audio.equalizer_preset = True, ""  # saved without a preset name
    audio.equalizer_bands, audio.equalizer_preamp_db = [0.0] * 10, 0.0
    page = open_dialog(qtbot, window).show_page("equalizer")
    assert page.preset.currentText() == "Flat"
    page.bands[3].setValue(-20)  # moved: no preset has these values
    assert page.preset.currentText() == "Custom"
    page.bands[3].setValue(0)  # back to flat
    assert page.preset.currentText() == "Flat"
    for slider, value in zip((page.preamp, *page.bands), (1.0, *ROCK.bands_db), strict=True):
        slider.setValue(round(value * 10))
    assert page.preset.currentText() == "Rock"


def test_close_to_tray_is_disabled_without_a_tray(qtbot, open_window, demo_db) -> None:
    window, _ = open_window(demo_db)
    window.desktop_parts.tray = None
    dialog = open_dialog(qtbot, window)
    page = dialog.show_page("desktop")
    assert page.no_tray.isVisible()
    assert not page.close_to_tray.isEnabled()
    page.close_to_tray.click()
    assert not tray.close_to_tray(window)
    window.desktop_parts.tray = tray.TrayIcon(window)
    page.reload()
    assert page.close_to_tray.isEnabled() and not page.no_tray.isVisible()


def test_device_help_uses_the_rows_width(qtbot, open_window, demo_db) -> None:
    window, engine = open_window(demo_db)
    engine.devices.append(
        OutputDevice("hw:0", "HDA Intel PCH: ALC892 Analog (hw:0,0) (ALSA) — a long name")
    )
    dialog = open_dialog(qtbot, window)
    dialog.resize(720, 620)
    page = dialog.show_page("playback")
    qtbot.wait(100)
    dialog.grab().save("/work/shots/cli-settings-playback.png")
    for start, most in (
        ("Where the sound goes", 2.5),
        ("What the device is given", 4.5),
        ("Tracks of different albums", 2.5),
    ):
        [help_label] = [
            label for label in page.findChildren(type(page.now)) if label.text().startswith(start)
        ]
        row = help_label.parentWidget()
        lines = help_label.height() / help_label.fontMetrics().lineSpacing()
        assert lines < most, (start, lines)
        assert help_label.width() > 0.8 * row.width(), start
