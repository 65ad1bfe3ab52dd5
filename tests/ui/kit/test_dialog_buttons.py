"""Dialogs paint their main button in the theme's accent (the stylesheet reaches it)."""

from __future__ import annotations

from PySide6.QtGui import QColor


def _close(a: QColor, b: QColor) -> bool:
    return max(abs(a.red() - b.red()), abs(a.green() - b.green()), abs(a.blue() - b.blue())) < 40


def test_smart_playlist_save_is_the_accent_once_it_can_save(qtbot, open_window, demo_db) -> None:
    from player.ui.playlists.smart_editor import SmartPlaylistEditor

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


def test_tag_editor_save_is_the_accent(qtbot, open_window, demo_db) -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    from player.ui.tracks.tageditor import TagEditor
    from tests.ui.conftest import wait_loaded

    window, _ = open_window(demo_db)
    model = window.tracks_page.model
    wait_loaded(qtbot, model)
    editor = TagEditor.open_for(window.tracks_page.view, [model.ids[0]])
    assert editor is not None
    qtbot.waitUntil(lambda: bool(editor.tracks), timeout=5000)
    save = editor.buttons.button(QDialogButtonBox.StandardButton.Save)
    qtbot.waitUntil(save.isVisible)
    image = save.grab().toImage()
    painted = image.pixelColor(image.width() // 2, 4)
    assert save.isEnabled()
    assert _close(painted, QColor(window.theme.color("accent").name())), painted.name()
