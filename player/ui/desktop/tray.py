"""The tray icon: play/pause, next, previous, the current track, show/hide and quit.

With the setting "close to tray" (off by default, kept in the window state's
``extra`` like the window's other remembered state) closing the window only
hides it while the icon is there; "Quit" from the menu really quits.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from player.audio.engine import PlaybackState
from player.audio.queue import QueueItem
from player.ui.kit.window import KindredWindow
from player.ui.playback.sleep_menu import SleepMenu

log = logging.getLogger(__name__)
CLOSE_TO_TRAY = "close_to_tray"
QUITTING = "kindredQuitting"


def close_to_tray(window: KindredWindow) -> bool:
    return bool(window.state.extra.get(CLOSE_TO_TRAY, False))


def set_close_to_tray(window: KindredWindow, on: bool) -> None:
    """Change the setting; it is saved with the window state."""
    window.state.extra[CLOSE_TO_TRAY] = bool(on)


def quit_window(window: KindredWindow) -> None:
    """Close *window* for real, even with "close to tray" on."""
    widget = window.window()
    widget.setProperty(QUITTING, True)
    widget.close()


def tooltip(item: QueueItem | None, state: PlaybackState | None = None) -> str:
    """The tray tooltip: the current track, or just the app's name."""
    if item is None:
        return "Kindred"
    title = item.title or item.location.rsplit("/", 1)[-1]
    text = f"{title} — {item.artist}" if item.artist else title
    if state is PlaybackState.PAUSED:
        text = QCoreApplication.translate("TrayIcon", "{track} (paused)").format(track=text)
    return f"Kindred\n{text}"


class TrayIcon(QObject):
    """The tray icon and its menu over the window's bridge."""

    def __init__(self, window: KindredWindow, icon: QIcon | None = None) -> None:
        super().__init__(window.window())
        self.window = window
        self.widget = window.window()  # the window as a widget: shown, hidden, filtered
        self.bridge = window.bridge
        self.icon = QSystemTrayIcon(icon or window.theme.icon("logo", "accent"), self)
        menu = QMenu(self.widget)
        self.menu = menu
        self.play_action = self._add(self.tr("Play"), self.bridge.toggle)
        self.next_action = self._add(self.tr("Next"), self.bridge.next)
        self.previous_action = self._add(self.tr("Previous"), self.bridge.previous)
        self.sleep_menu = SleepMenu(self.bridge, menu)
        menu.addMenu(self.sleep_menu)
        menu.addSeparator()
        self.show_action = self._add(self.tr("Hide window"), self.toggle_window)
        self.close_action = QAction(self.tr("Close to tray"), menu)
        self.close_action.setCheckable(True)
        self.close_action.setChecked(close_to_tray(window))
        self.close_action.toggled.connect(lambda on: set_close_to_tray(window, on))
        menu.addAction(self.close_action)
        from player.ui.desktop import notify

        self.notify_action = QAction(self.tr("Notify on track change"), menu)
        self.notify_action.setCheckable(True)
        self.notify_action.setChecked(notify.enabled(window))
        self.notify_action.toggled.connect(lambda on: notify.set_enabled(window, on))
        menu.addAction(self.notify_action)
        if hasattr(window, "show_settings"):
            self.settings_action = self._add(self.tr("Settings…"), self.open_settings)
        menu.addSeparator()
        self.quit_action = self._add(self.tr("Quit"), lambda: quit_window(window))
        self.icon.setContextMenu(menu)
        self.icon.activated.connect(self._activated)
        self.bridge.trackChanged.connect(self.update)
        self.bridge.stateChanged.connect(self.update)
        self.widget.installEventFilter(self)
        self.update()

    def _add(self, text: str, slot: Any) -> QAction:
        action = QAction(text, self.menu)
        action.triggered.connect(lambda _checked=False: slot())
        self.menu.addAction(action)
        return action

    def show(self) -> None:
        self.icon.show()

    def update(self, *_: object) -> None:
        """Refresh the tooltip and the labels from the bridge."""
        state = self.bridge.state
        self.icon.setToolTip(tooltip(self.bridge.playing_item, state))
        playing = state in (PlaybackState.PLAYING, PlaybackState.OPENING, PlaybackState.BUFFERING)
        self.play_action.setText(self.tr("Pause") if playing else self.tr("Play"))
        self.show_action.setText(
            self.tr("Hide window") if self.widget.isVisible() else self.tr("Show window")
        )

    def toggle_window(self) -> None:
        if self.widget.isVisible() and not self.widget.isMinimized():
            self.widget.hide()
        else:
            from player.ui.desktop.common import raise_window

            raise_window(self.window)
        self.update()

    def open_settings(self) -> None:
        """Bring the window back and open its Settings dialog."""
        from player.ui.desktop.common import raise_window

        raise_window(self.window)
        self.window.show_settings()
        self.update()

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            self.toggle_window()
        elif reason is QSystemTrayIcon.ActivationReason.MiddleClick:
            self.bridge.toggle()

    def should_hide_on_close(self) -> bool:
        return (
            close_to_tray(self.window)
            and self.icon.isVisible()
            and not self.widget.property(QUITTING)
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.widget
            and event.type() == QEvent.Type.Close
            and self.should_hide_on_close()
        ):
            event.ignore()
            self.widget.hide()
            self.update()
            return True
        return False

    def hide(self) -> None:
        self.icon.hide()


def install(window: KindredWindow) -> TrayIcon | None:
    """A tray icon for *window* where the desktop has a system tray; else None (logged)."""
    if not QSystemTrayIcon.isSystemTrayAvailable():
        log.info("no tray icon: the desktop has no system tray")
        return None
    tray = TrayIcon(window)
    tray.show()
    return tray
