"""The sleep timer in the window: a moon button on the now-playing bar, and the tray's menu.

Both offer the same menu: "Stop after this track", pause in 15 minutes to
2 hours (the music fades out over its last seconds), and cancel. While a timer
runs the button shows what is left ("23:41") in the accent colour; with "stop
after this track" it says so. The timing and the fade live in the playback
controller (:mod:`player.audio.sleep`), so ``kindred play --sleep`` behaves the
same.
"""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from player.audio.sleep import PRESETS_MIN
from player.ui.tracks.columns import duration_text


def clock_text(seconds: float) -> str:
    """23:41, or 1:05:00 past an hour (rounded up: 0:01 until the very end)."""
    return duration_text(math.ceil(seconds)) or "0:00"


class SleepMenu(QMenu):
    """ "Sleep timer": rebuilt each time it opens, so it shows the timer's state then."""

    def __init__(self, bridge: Any, parent: QWidget) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.setObjectName("SleepMenu")
        self.setTitle(self.tr("Sleep timer"))
        self.aboutToShow.connect(self.fill)
        self.fill()  # keyboard and accessibility see it before it first opens

    def state_text(self) -> str:
        """What the sleep timer will do ("" when nothing is set)."""
        left = self.bridge.controller.sleep.remaining()
        if left is not None:
            return self.tr("Pausing in {time}").format(time=clock_text(left))
        if self.bridge.controller.queue.stop_after_current:
            return self.tr("Stopping after this track")
        return ""

    def fill(self) -> None:
        self.clear()
        bridge = self.bridge
        state = self.state_text()
        if state:
            self.addAction(state).setEnabled(False)
            self.addSeparator()
        after = self.addAction(self.tr("Stop after this track"))
        after.setCheckable(True)
        after.setChecked(bridge.controller.queue.stop_after_current)
        after.toggled.connect(bridge.set_stop_after_current)
        self.addSeparator()
        for minutes in PRESETS_MIN:
            text = (
                self.tr("Pause in %Ln hours", "", minutes // 60)
                if minutes % 60 == 0
                else self.tr("Pause in %Ln minutes", "", minutes)
            )
            action = self.addAction(text)
            action.triggered.connect(lambda _=False, m=minutes: bridge.set_sleep_timer(m * 60.0))
        if bridge.controller.sleep.active:
            self.addSeparator()
            cancel = self.addAction(self.tr("Cancel the sleep timer"))
            cancel.triggered.connect(lambda _=False: bridge.set_sleep_timer(None))


class SleepButton(QToolButton):
    """The moon on the now-playing bar: opens the sleep menu and counts down."""

    def __init__(self, bridge: Any, theme: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.setObjectName("SleepButton")
        theme.set_icon(self, "moon", "text_dim")
        self.setIconSize(QSize(18, 18))
        self.setCheckable(True)
        self.setAccessibleName(self.tr("Sleep timer"))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setStyleSheet("QToolButton::menu-indicator { image: none; }")
        self.sleep_menu = SleepMenu(bridge, self)
        self.setMenu(self.sleep_menu)
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self.refresh)
        bridge.sleepChanged.connect(self.refresh)
        bridge.modesChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        """Show the time left (or "after this track"), or just the moon."""
        left = self.bridge.controller.sleep.remaining()
        after = self.bridge.controller.queue.stop_after_current
        if left is not None:
            self.setText(clock_text(left))
            if not self._tick.isActive():
                self._tick.start()
        else:
            self._tick.stop()
            self.setText(self.tr("End of track") if after else "")
        self.setChecked(left is not None or after)
        self.setToolButtonStyle(
            Qt.ToolButtonStyle.ToolButtonTextBesideIcon
            if self.text()
            else Qt.ToolButtonStyle.ToolButtonIconOnly
        )
        self.setToolTip(self.sleep_menu.state_text() or self.tr("Sleep timer"))

    def nextCheckState(self) -> None:
        """A click opens the menu; the checked look follows the timer, not the click."""
