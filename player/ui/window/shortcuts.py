"""Keyboard shortcuts of the window, and the dialog that lists them (F1 or Ctrl+/).

One table drives both the actions and the help, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QGridLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from player.ui.kit.theme import Theme

#: (name, keys, what it does); the window maps names to callables. The texts are
#: translated when shown, in the "Shortcuts" context.
SHORTCUTS: tuple[tuple[str, str, str], ...] = (
    ("toggle", "Space", QT_TRANSLATE_NOOP("Shortcuts", "Play / pause")),
    ("previous", "Ctrl+Left", QT_TRANSLATE_NOOP("Shortcuts", "Previous track")),
    ("next", "Ctrl+Right", QT_TRANSLATE_NOOP("Shortcuts", "Next track")),
    ("volume_up", "Ctrl+Up", QT_TRANSLATE_NOOP("Shortcuts", "Volume up")),
    ("volume_down", "Ctrl+Down", QT_TRANSLATE_NOOP("Shortcuts", "Volume down")),
    ("seek_back", "Shift+Left", QT_TRANSLATE_NOOP("Shortcuts", "Back 5 seconds")),
    ("seek_forward", "Shift+Right", QT_TRANSLATE_NOOP("Shortcuts", "Forward 5 seconds")),
    ("search", "Ctrl+F", QT_TRANSLATE_NOOP("Shortcuts", "Search the library")),
    ("play_selection", "Enter", QT_TRANSLATE_NOOP("Shortcuts", "Play the selected tracks")),
    ("focus_nav", "Ctrl+1", QT_TRANSLATE_NOOP("Shortcuts", "Go to the navigation")),
    ("focus_view", "Ctrl+2", QT_TRANSLATE_NOOP("Shortcuts", "Go to the track list")),
    ("focus_panel", "Ctrl+3", QT_TRANSLATE_NOOP("Shortcuts", "Go to the queue / lyrics panel")),
    ("edit_tags", "Ctrl+E", QT_TRANSLATE_NOOP("Shortcuts", "Edit tags of the selected tracks")),
    ("theme", "Ctrl+Shift+L", QT_TRANSLATE_NOOP("Shortcuts", "Switch between dark and light")),
    ("settings", "Ctrl+,", QT_TRANSLATE_NOOP("Shortcuts", "Open the settings")),
    ("help", "F1", QT_TRANSLATE_NOOP("Shortcuts", "Show this list")),
)


#: the keyboard's media keys, as Qt delivers them (Windows, macOS; on Linux the
#: desktop routes them to MPRIS instead)
MEDIA_KEYS: dict[str, tuple[Qt.Key, ...]] = {
    "toggle": (Qt.Key.Key_MediaTogglePlayPause,),
    "next": (Qt.Key.Key_MediaNext,),
    "previous": (Qt.Key.Key_MediaPrevious,),
}


def install(window: QWidget, handlers: dict[str, Callable[[], None]]) -> dict[str, QAction]:
    """Add one window-wide action per shortcut that has a handler; returns them by name."""
    actions = {}
    for name, keys, text in SHORTCUTS:
        handler = handlers.get(name)
        if handler is None or name == "play_selection":  # Enter belongs to the focused list
            continue
        action = QAction(QCoreApplication.translate("Shortcuts", text), window)
        sequences = [QKeySequence(keys)]
        if name == "help":
            sequences.append(QKeySequence("Ctrl+/"))
        sequences += [QKeySequence(key) for key in MEDIA_KEYS.get(name, ())]
        action.setShortcuts(sequences)
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(handler)
        window.addAction(action)
        actions[name] = action
    return actions


class ShortcutsDialog(QDialog):
    """A non-modal list of every shortcut."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.setAccessibleName(self.tr("Keyboard shortcuts"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 18)
        title = QLabel(self.tr("Keyboard shortcuts"), self)
        title.setObjectName("EmptyTitle")
        layout.addWidget(title)
        grid = QGridLayout()
        grid.setHorizontalSpacing(28)
        grid.setVerticalSpacing(8)
        for row, (_, keys, text) in enumerate(SHORTCUTS):
            key = QLabel(
                f"<b>{QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText) or keys}</b>",
                self,
            )
            grid.addWidget(key, row, 0)
            grid.addWidget(QLabel(QCoreApplication.translate("Shortcuts", text), self), row, 1)
        layout.addLayout(grid)
        close = QPushButton(self.tr("Close"), self)
        close.setObjectName("Primary")
        close.clicked.connect(self.close)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)


class ShortcutActions:
    """What the shortcuts do, mixed into the main window (which provides the widgets)."""

    bridge: Any
    stack: Any
    search: Any
    nav: Any
    side: Any
    now_playing: Any
    theme: Any
    state: Any
    help_dialog: ShortcutsDialog | None
    show_settings: Callable[[], None]  # the main window's

    def _shortcut_handlers(self) -> dict:
        def volume(delta: int) -> None:
            self.bridge.set_volume(self.bridge.controller.volume + delta)

        def seek(delta: int) -> None:
            self.bridge.seek(max(0, self.bridge.controller.position() + delta))

        def focus_view() -> None:
            widget = self.stack.currentWidget()
            views = widget.findChildren(QTableView) if widget else []
            (views[0] if views else widget).setFocus()

        return {
            "toggle": self._space,
            "previous": self.bridge.previous,
            "next": self.bridge.next,
            "volume_up": lambda: volume(5),
            "volume_down": lambda: volume(-5),
            "seek_back": lambda: seek(-5000),
            "seek_forward": lambda: seek(5000),
            "search": self.search.focus,
            "focus_nav": self.nav.setFocus,
            "focus_view": focus_view,
            "focus_panel": lambda: self.side.currentWidget().setFocus(),
            "edit_tags": self.edit_tags,
            "theme": self.toggle_theme,
            "help": self.show_help,
            "settings": self.show_settings,
        }

    def edit_tags(self) -> None:
        """Open the tag editor on the selection of the track list in view."""
        widget = self.stack.currentWidget()
        for view in widget.findChildren(QTableView) if widget else []:
            if hasattr(view, "edit_tags") and view.selectionModel().hasSelection():
                view.edit_tags()
                return

    def _space(self) -> None:
        """Space plays/pauses, except on a focused button, which it presses."""
        focused = QApplication.focusWidget()
        if isinstance(focused, QAbstractButton) and focused is not self.now_playing.play:
            focused.click()
            return
        self.bridge.toggle()

    def show_help(self) -> None:
        assert isinstance(self, QWidget)
        if self.help_dialog is None:
            self.help_dialog = ShortcutsDialog(self)
        self.help_dialog.show()
        self.help_dialog.raise_()

    def toggle_theme(self) -> None:
        """Switch between the dark and the light theme (remembered)."""
        self.state.theme = "light" if self.theme.name == "dark" else "dark"
        self.theme.name, self.theme.colors = self.state.theme, Theme(self.state.theme).colors
        app = QApplication.instance()
        if isinstance(app, QApplication):
            self.theme.apply(app)
        assert isinstance(self, QWidget)
        self.theme.refresh_icons(self)
        self.nav.rebuild()
        for widget in self.findChildren(QWidget):
            widget.update()
