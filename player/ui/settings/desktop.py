"""The Desktop page of Settings: "close to tray" and track-change notifications.

The same two switches are in the tray icon's menu; both places change the one
value in the window's remembered state and follow each other, so they never
disagree. A change is saved at once.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from player.ui.desktop import notify, tray
from player.ui.desktop.install import InstalledWindow
from player.ui.desktop.tray import TrayIcon
from player.ui.settings.widgets import SettingsPage, SettingsWindow, Switch, hint, save_window_state


def tray_of(window: InstalledWindow) -> TrayIcon | None:
    """The window's tray icon, or None (no system tray, or not installed)."""
    return window.desktop_parts.tray


class DesktopPage(SettingsPage):
    """Close to tray and notifications, kept in step with the tray menu."""

    def __init__(self, window: SettingsWindow, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Desktop"), parent)
        self.window_ = window
        card = self.add_section(self.tr("Window and tray"))
        self.close_to_tray = Switch(self.tr("Close to tray"), card)
        card.add_row(
            self.tr("Close to tray"),
            self.close_to_tray,
            self.tr("Closing the window keeps Kindred playing in the tray; quit from its menu."),
        )
        self.notify = Switch(self.tr("Notify on track change"), card)
        card.add_row(
            self.tr("Notify on track change"),
            self.notify,
            self.tr("A desktop notification shows each new track with its cover."),
        )
        self.no_tray = hint(
            self.tr("This desktop shows no tray icon, so closing the window quits Kindred."),
            self.widget(),
        )
        self.body.addWidget(self.no_tray)
        self.finish()
        self.close_to_tray.toggled.connect(self._close_toggled)
        self.notify.toggled.connect(self._notify_toggled)
        self._watched: Any = None
        self.reload()

    def reload(self) -> None:
        icon = tray_of(self.window_)
        self.no_tray.setVisible(icon is None)
        # without a tray, closing the window quits: the switch cannot be turned on there
        self.close_to_tray.setEnabled(icon is not None or tray.close_to_tray(self.window_))
        if icon is not None and icon is not self._watched:
            self._watched = icon
            icon.close_action.toggled.connect(self._tray_changed)
            icon.notify_action.toggled.connect(self._tray_changed)
        for switch, on in (
            (self.close_to_tray, tray.close_to_tray(self.window_)),
            (self.notify, notify.enabled(self.window_)),
        ):
            switch.blockSignals(True)
            switch.setChecked(on)
            switch.blockSignals(False)

    def _tray_changed(self, _on: bool) -> None:
        self.reload()
        save_window_state(self.window_)

    def _close_toggled(self, on: bool) -> None:
        tray.set_close_to_tray(self.window_, on)
        icon = tray_of(self.window_)
        if icon is not None:
            icon.close_action.setChecked(on)
        save_window_state(self.window_)

    def _notify_toggled(self, on: bool) -> None:
        notify.set_enabled(self.window_, on)
        icon = tray_of(self.window_)
        if icon is not None:
            icon.notify_action.setChecked(on)
        save_window_state(self.window_)
