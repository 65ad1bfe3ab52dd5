"""The bell at the top of the window: how many notifications are unread, asked once a minute.

:class:`UnreadPoller` asks the comment server for the unread count on the
network task runner, with the ETag of the last answer (an unchanged count
costs a 304 and no body). It asks once a minute while the window is visible,
never while it is hidden or minimized, and right after it is shown again; with
no server chosen or nobody signed in it sends nothing. :class:`Bell` shows the
count as a badge; clicking it opens the inbox (:mod:`player.ui.comments.inbox`).
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QEvent, QObject, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent
from PySide6.QtWidgets import QBoxLayout, QToolButton, QWidget

from player.social.client import Unread
from player.social.inbox import unread
from player.social.service import CommentsService
from player.ui.kit.qtfix import emit
from player.ui.kit.tasks import TaskRunner
from player.ui.kit.theme import Theme

log = logging.getLogger(__name__)
POLL_MS = 60_000
# the first ask after start-up waits this long (the kept sign-in is read first)
FIRST_MS = 2_500


class UnreadPoller(QObject):
    """``changed(count)`` after each answer that changed it; ``asked`` counts the asks sent."""

    changed = Signal(int)
    increased = Signal(int)  # the count went up (for desktop notifications)

    def __init__(
        self, backend: CommentsService, runner: TaskRunner, window: QWidget, parent: QObject
    ) -> None:
        super().__init__(parent)
        self.backend, self.runner, self.window = backend, runner, window
        self.count = 0
        self.etag: str | None = None
        self.asked = 0
        self._busy = False
        self._server = backend.server
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)
        self._first = True
        window.installEventFilter(self)
        if self.active():
            self._shown()

    def active(self) -> bool:
        """The window can be seen: visible and not minimized."""
        return self.window.isVisible() and not self.window.isMinimized()

    def poll(self) -> None:
        """Ask now (nothing when hidden, already asking, or no server is chosen)."""
        if self._busy or not self.active() or not self.backend.configured:
            return
        if self.backend.server != self._server:  # another server: its own count and tag
            self._server, self.etag = self.backend.server, None
        self._busy = True
        self.asked += 1
        task = self.runner.submit(unread, self.backend, self.etag, name="unread count")
        task.done.connect(self._done)

    def reset(self) -> None:
        """Signed in or out, or another server: forget the count and ask again."""
        self.etag = None
        self.set_count(0)
        self.poll()

    def set_count(self, count: int) -> None:
        if count != self.count:
            before, self.count = self.count, count
            emit(self.changed, count)
            if count > before:
                emit(self.increased, count)

    def _done(self, result: Unread | None, error: Any) -> None:
        self._busy = False
        if error is not None:
            log.info("the unread count is not available: %s", getattr(error, "short", error))
            return
        if result is None:  # signed out: no bell count
            self.etag = None
            self.set_count(0)
            return
        if result.not_modified:
            return
        self.etag = result.etag
        self.set_count(result.count)

    def _shown(self) -> None:
        self.timer.start()
        QTimer.singleShot(FIRST_MS if self._first else 0, self, self.poll)
        self._first = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Show or (
            kind == QEvent.Type.WindowStateChange and not self.window.isMinimized()
        ):
            if self.active() and not self.timer.isActive():
                self._shown()
        elif kind in (QEvent.Type.Hide, QEvent.Type.Close) or (
            kind == QEvent.Type.WindowStateChange and self.window.isMinimized()
        ):
            self.timer.stop()
        return False


class Bell(QToolButton):
    """The bell with a red badge holding the unread count (none at 0, "99+" past 99)."""

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("InboxBell")
        self.theme = theme
        self.count = 0
        theme.set_icon(self, "bell", "text_dim")
        self.setIconSize(QSize(20, 20))
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAutoRaise(True)
        self.setFixedSize(QSize(36, 30))
        self.set_count(0)

    def set_count(self, count: int) -> None:
        self.count = max(0, count)
        self.setAccessibleName(
            self.tr("Notifications: %n unread", "", self.count)
            if self.count
            else self.tr("Notifications")
        )
        self.setToolTip(self.accessibleName())
        self.update()

    def badge_text(self) -> str:
        return "" if self.count <= 0 else ("99+" if self.count > 99 else str(self.count))

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        text = self.badge_text()
        if not text:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = QFont(self.font())
        font.setPointSizeF(7.0)
        font.setBold(True)
        painter.setFont(font)
        width = max(15.0, painter.fontMetrics().horizontalAdvance(text) + 8.0)
        rect = QRectF(self.width() - width - 1, 1, width, 15)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(self.theme.colors.get("danger", "#e5484d")))
        painter.drawRoundedRect(rect, 7.5, 7.5)
        painter.setPen(QColor("#ffffff"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        painter.end()


def put_bell(theme: Theme, top: QBoxLayout, at: int, window: QWidget) -> Bell:
    """The bell alone in *top* (the window's top bar) at index *at*; an :class:`Inbox`
    (:mod:`player.ui.comments.inbox`) wires it, at once or later."""
    bell = Bell(theme, top.parentWidget() or window)
    top.insertWidget(at, bell, 0, Qt.AlignmentFlag.AlignTop)
    return bell
