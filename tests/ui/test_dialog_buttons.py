"""Dialogs paint their main button in the theme's accent (the stylesheet reaches it)."""

from __future__ import annotations

from PySide6.QtGui import QColor


def _close(a: QColor, b: QColor) -> bool:
    return max(abs(a.red() - b.red()), abs(a.green() - b.green()), abs(a.blue() - b.blue())) < 40


def test_smart_playlist_save_is_the_accent_once_it_can_save(qtbot, open_window, demo_db) -> None:
    from player.ui.smart_editor import SmartPlaylistEditor

    window, _ = open_window(demo_db)
    editor = SmartPlaylistEditor(
        window.db, window.db_path, window.runner, window.theme, None, window
    )
    qtbot.addWidget(editor)
    editor.show()
    editor.query.setText("a")
    qtbot.waitUntil(editor.save_button.isEnabled, timeout=5000)
    image = editor.save_button.grab().toImage()
    painted = image.pixelColor(image.width() // 2, 4)  # above the label
    assert _close(painted, QColor(window.theme.color("accent").name())), painted.name()
