"""The Appearance page of Settings (theme, row density, language), and switching the
window's theme.

The theme choice (``dark``, ``light`` or ``system``) is part of the window's
remembered state; ``system`` follows the desktop's colour scheme, also when it
changes while Kindred runs. The language is a setting read at start-up (every
widget translates its texts when it is built), so a new choice says that it
takes effect at the next start.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from player.ui.desktop import restart
from player.ui.kit.theme import SYSTEM, palette, resolve
from player.ui.kit.window import KindredWindow
from player.ui.settings.widgets import (
    SettingsPage,
    SettingsWindow,
    Switch,
    save_settings,
    save_window_state,
)
from player.ui.tracks.view import COMPACT_KEY, TrackView


def restyle(window: KindredWindow, name: str) -> None:
    """Paint *window* (and the whole app) in theme *name* (``dark`` or ``light``)."""
    theme = window.theme
    theme.name, theme.colors = name, palette(name)
    app = QApplication.instance()
    if isinstance(app, QApplication):
        theme.apply(app)
    theme.refresh_icons(window.window())
    window.nav.rebuild()
    for widget in window.window().findChildren(QWidget):
        widget.update()


def set_theme_choice(window: KindredWindow, choice: str) -> None:
    """Use and remember a theme choice: ``dark``, ``light`` or ``system``."""
    window.state.theme = choice if choice == SYSTEM else resolve(choice)
    restyle(window, resolve(choice))
    save_window_state(window)


def follow_system_scheme(window: KindredWindow) -> None:
    """Restyle *window* when the desktop switches light/dark while the choice is ``system``."""
    app = QGuiApplication.instance()
    if not isinstance(app, QGuiApplication):
        return

    def changed(*_: object) -> None:
        if window.state.theme == SYSTEM and window.theme.name != resolve(SYSTEM):
            restyle(window, resolve(SYSTEM))

    app.styleHints().colorSchemeChanged.connect(changed)


def compact_rows(window: KindredWindow) -> bool:
    return window.state.extra.get(COMPACT_KEY) is True


def set_compact_rows(window: KindredWindow, on: bool) -> None:
    """Use and remember the compact row density in every track list."""
    window.state.extra[COMPACT_KEY] = bool(on)
    for view in window.window().findChildren(TrackView):
        view.set_compact(on)
    save_window_state(window)


def language_choices() -> list[tuple[str, str]]:
    """(code, name) pairs for the language combo; ``""`` follows the system."""
    from player.ui.kit import i18n

    return i18n.available_languages()


def current_language(settings: Any) -> str:
    return str(settings.language or "")


class AppearancePage(SettingsPage):
    """Theme (light, dark, follow the system) and language."""

    def __init__(self, window: SettingsWindow, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Appearance"), parent)
        self.window_ = window
        self.settings = window.ctx.settings
        self.started_language = current_language(self.settings)
        card = self.add_section(self.tr("Look"))
        self.theme = QComboBox(card)
        self.theme.addItem(self.tr("Dark"), "dark")
        self.theme.addItem(self.tr("Light"), "light")
        self.theme.addItem(self.tr("Follow the system"), SYSTEM)
        card.add_row(
            self.tr("Theme"),
            self.theme,
            self.tr("Follow the system switches with the desktop's light or dark mode."),
        )
        lists = self.add_section(self.tr("Track lists"))
        self.compact = Switch(self.tr("Compact rows"), lists)
        lists.add_row(
            self.tr("Compact rows"),
            self.compact,
            self.tr("Lower rows show more tracks at once."),
        )
        words = self.add_section(self.tr("Language"))
        self.language = QComboBox(words)
        for code, name in language_choices():
            self.language.addItem(name, code)
        words.add_row(self.tr("Language"), self.language)
        self.note = QLabel("", self.widget())
        self.note.setObjectName("SettingsNote")
        self.restart_button = QPushButton(self.tr("Restart Kindred now"), self.widget())
        self.restart_button.setToolTip(
            self.tr("Kindred closes and opens again in the new language, where you left it")
        )
        self.restart_button.clicked.connect(lambda: restart.request(self.window_))
        line = QHBoxLayout()
        line.addWidget(self.note, 1)
        line.addWidget(self.restart_button)
        self.body.addLayout(line)
        self.finish()
        self.theme.activated.connect(self._theme_chosen)
        self.language.activated.connect(self._language_chosen)
        self.compact.toggled.connect(lambda on: set_compact_rows(self.window_, on))
        self.reload()

    def reload(self) -> None:
        index = self.theme.findData(self.window_.state.theme)
        self.theme.setCurrentIndex(
            index if index >= 0 else self.theme.findData(self.window_.theme.name)
        )
        self.compact.blockSignals(True)
        self.compact.setChecked(compact_rows(self.window_))
        self.compact.blockSignals(False)
        code = current_language(self.settings)
        if self.language.findData(code) < 0:
            self.language.addItem(code, code)
        self.language.setCurrentIndex(self.language.findData(code))
        self._show_note()

    def _theme_chosen(self, index: int) -> None:
        set_theme_choice(self.window_, str(self.theme.itemData(index)))
        dialog = self.window()
        if hasattr(dialog, "restyle"):
            dialog.restyle()

    def _language_chosen(self, index: int) -> None:
        code = str(self.language.itemData(index) or "")
        self.settings.language = code
        save_settings(self.window_)
        self._show_note()

    def _show_note(self) -> None:
        changed = current_language(self.settings) != self.started_language
        self.note.setText(self.tr("Takes effect the next time Kindred starts.") if changed else "")
        self.restart_button.setVisible(changed)
