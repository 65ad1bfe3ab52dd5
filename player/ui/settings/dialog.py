"""Kindred's Settings: a non-modal dialog with a page list on the left.

Pages: Library, Playback, Equalizer, Appearance, Comments, Desktop, Accounts. Every change
is saved and applied the moment it is made, so there is no OK or Apply button.
The Comments page comes from :mod:`player.ui.settings.comments`, imported when
the page is first shown; should it fail to load, a short explanation stands in
its place and the next visit tries again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QSize, Qt
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from player.ui.settings.accounts import AccountsPage, AccountsWindow
from player.ui.settings.appearance import AppearancePage
from player.ui.settings.desktop import DesktopPage
from player.ui.settings.equalizer import EqualizerPage
from player.ui.settings.library import LibraryPage
from player.ui.settings.lyrics import LyricsPage
from player.ui.settings.playback import PlaybackPage
from player.ui.settings.widgets import SettingsPage, SettingsWindow, dialog_stylesheet, hint

log = logging.getLogger(__name__)


class CommentsPlaceholder(SettingsPage):
    """Stands in for the Comments page while it cannot be loaded."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Comments"), parent)
        self.body.addWidget(
            hint(self.tr("The comment server settings are not available in this build."), self)
        )
        self.finish()


@dataclass(frozen=True)
class PageEntry:
    """One page of Settings: its key, the icon and title of its row, and how it is made."""

    key: str
    icon: str
    #: English, marked for translation in the SettingsDialog context
    title: str
    make: Callable[[SettingsWindow, QWidget], QWidget]


#: the pages in list order; a new page is a module of this package and a row here
PAGES: tuple[PageEntry, ...] = (
    PageEntry("library", "folder", QT_TRANSLATE_NOOP("SettingsDialog", "Library"), LibraryPage),
    PageEntry("playback", "volume", QT_TRANSLATE_NOOP("SettingsDialog", "Playback"), PlaybackPage),
    PageEntry(
        "equalizer", "sliders", QT_TRANSLATE_NOOP("SettingsDialog", "Equalizer"), EqualizerPage
    ),
    PageEntry("lyrics", "lyrics", QT_TRANSLATE_NOOP("SettingsDialog", "Lyrics"), LyricsPage),
    PageEntry(
        "appearance", "palette", QT_TRANSLATE_NOOP("SettingsDialog", "Appearance"), AppearancePage
    ),
    # a placeholder until the page is first shown (see SettingsDialog._load_comments)
    PageEntry(
        "comments",
        "comments",
        QT_TRANSLATE_NOOP("SettingsDialog", "Comments"),
        lambda _window, parent: CommentsPlaceholder(parent),
    ),
    PageEntry("desktop", "monitor", QT_TRANSLATE_NOOP("SettingsDialog", "Desktop"), DesktopPage),
    PageEntry(
        "accounts",
        "artist",
        QT_TRANSLATE_NOOP("SettingsDialog", "Accounts"),
        lambda window, parent: AccountsPage(cast(AccountsWindow, window), parent),
    ),
)


class SettingsDialog(QDialog):
    """The Settings window of the main window; ``show_page(key)`` opens a page."""

    def __init__(self, window: SettingsWindow) -> None:
        super().__init__(window.window())
        self.window_ = window
        self.setObjectName("Settings")
        self.setWindowTitle(self.tr("Settings"))
        self.setAccessibleName(self.tr("Settings"))
        self.setModal(False)
        self.resize(860, 620)
        self.setMinimumSize(720, 480)
        self._styled_as = ""
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        side = QWidget(self)
        side_box = QVBoxLayout(side)
        side_box.setContentsMargins(0, 0, 0, 0)
        self.list = QListWidget(side)
        self.list.setObjectName("SettingsPages")
        self.list.setAccessibleName(self.tr("Settings pages"))
        self.list.setIconSize(QSize(18, 18))
        self.list.setFixedWidth(200)
        side_box.addWidget(self.list)
        layout.addWidget(side)
        self.stack = QStackedWidget(self)
        self.stack.setObjectName("SettingsBody")
        layout.addWidget(self.stack, 1)
        self.pages: dict[str, QWidget] = {
            entry.key: entry.make(window, self.stack) for entry in PAGES
        }
        self.comments_loaded = False
        for entry in PAGES:
            item = QListWidgetItem(QCoreApplication.translate("SettingsDialog", entry.title))
            item.setData(Qt.ItemDataRole.UserRole, entry.key)
            item.setData(Qt.ItemDataRole.UserRole + 1, entry.icon)
            self.list.addItem(item)
            self.stack.addWidget(self.pages[entry.key])
        self.list.currentRowChanged.connect(self._row_changed)
        self.restyle()
        self.list.setCurrentRow(0)

    # ---- pages ----------------------------------------------------------------------------
    def page_keys(self) -> list[str]:
        return [entry.key for entry in PAGES]

    def show_page(self, key: str) -> QWidget:
        """Select the page *key* (``library``, ``playback``, ...) and return it."""
        self.list.setCurrentRow(self.page_keys().index(key))
        return self.pages[key]

    def _row_changed(self, row: int) -> None:
        if row < 0:
            return
        key = self.page_keys()[row]
        if key == "comments":
            self._load_comments()
        self.stack.setCurrentWidget(self.pages[key])

    def _load_comments(self) -> None:
        """Put the real Comments page in place of the placeholder, once it imports."""
        if self.comments_loaded:
            return
        try:
            from player.ui.settings.comments import CommentsSettingsPage

            page = SettingsPage(self.tr("Comments"), self.stack)
            page.body.addWidget(CommentsSettingsPage(self.window_, page.widget()))
            page.finish()
        except Exception:  # a missing or broken page must not break Settings
            log.exception("the Comments settings page could not be loaded")
            return
        old = self.pages["comments"]
        index = self.stack.indexOf(old)
        self.stack.insertWidget(index, page)
        self.stack.removeWidget(old)
        old.deleteLater()
        self.pages["comments"] = page
        self.comments_loaded = True

    # ---- look -----------------------------------------------------------------------------
    def restyle(self) -> None:
        """Follow the window's theme (the dialog adds rules the window's stylesheet lacks)."""
        theme = self.window_.theme
        if self._styled_as == theme.name:
            return
        self._styled_as = theme.name
        self.setProperty("kindredTheme", theme.name)
        self.setStyleSheet(dialog_stylesheet(theme.name))
        for index in range(self.list.count()):
            item = self.list.item(index)
            icon = str(item.data(Qt.ItemDataRole.UserRole + 1))
            item.setIcon(theme.icon(icon, "text_dim", "text"))
        for page in self.pages.values():
            for label in page.findChildren(QLabel):
                label.update()
        library = self.pages["library"]
        if isinstance(library, LibraryPage):
            library.reload()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.StyleChange and self._styled_as:
            self.restyle()

    # ---- opening and closing --------------------------------------------------------------
    def reload(self) -> None:
        """Show the saved values (they may have changed from the menu or a shortcut)."""
        for page in self.pages.values():
            if isinstance(page, SettingsPage):
                page.reload()

    def showEvent(self, event: QShowEvent) -> None:
        self.restyle()
        self.reload()
        super().showEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.flush()
        super().closeEvent(event)

    def done(self, result: int) -> None:
        self.flush()
        super().done(result)

    def flush(self) -> None:
        """Save anything still waiting (an equalizer slider that just moved)."""
        equalizer = self.pages["equalizer"]
        if isinstance(equalizer, EqualizerPage):
            equalizer.flush()


def open_settings(window: SettingsWindow, page: str | None = None) -> SettingsDialog:
    """Show *window*'s Settings dialog (created once, then reused), optionally on *page*."""
    dialog = window.settings_dialog
    if not isinstance(dialog, SettingsDialog):
        dialog = SettingsDialog(window)
        window.settings_dialog = dialog
    if page is not None:
        dialog.show_page(page)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog
