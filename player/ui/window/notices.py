"""Non-modal notices: an AppError shows as a dismissible banner, never a dialog or a crash.

The short message is the title; the detail is shown under it. A notice hides
itself after a while; a newer one replaces an older one (they are logged, so
nothing is lost).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from player.errors import AppError
from player.ui.kit.theme import Theme

log = logging.getLogger(__name__)
SHOW_MS = 12000


class NoticeBar(QFrame):
    """The banner above the centre view."""

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Notice")
        self.setAccessibleName(self.tr("Notice"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 10, 10, 10)
        layout.setSpacing(12)
        self.icon = QLabel(self)
        self.icon.setPixmap(theme.icon("warning", "#f0a030").pixmap(QSize(20, 20)))
        layout.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        texts = QVBoxLayout()
        texts.setSpacing(2)
        self.title = QLabel(self)
        self.title.setObjectName("NoticeTitle")
        self.title.setWordWrap(True)
        self.detail = QLabel(self)
        self.detail.setObjectName("NoticeDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        texts.addWidget(self.title)
        texts.addWidget(self.detail)
        layout.addLayout(texts, 1)
        close = QToolButton(self)
        theme.set_icon(close, "close", "text_dim")
        close.setAccessibleName(self.tr("Dismiss notice"))
        close.clicked.connect(self.hide)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.hide)
        self.hide()

    def show_error(self, error: object) -> None:
        """Show an AppError (any other exception shows as an unexpected problem)."""
        if isinstance(error, AppError):
            short, detail = error.short, error.detail
        else:
            short, detail = self.tr("Something unexpected went wrong"), str(error)
        log.warning("notice: %s (%s)", short, detail)
        self.title.setText(short)
        self.detail.setText(detail if detail != short else "")
        self.detail.setVisible(bool(self.detail.text()))
        self.setAccessibleDescription(f"{short}. {detail}")
        self.show()
        self.timer.start(SHOW_MS)
