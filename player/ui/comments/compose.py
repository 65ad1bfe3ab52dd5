"""The posting box under the comments: the text, "at 1:23" to pin it to the moment, Post.

The pin follows the playing position until it is pressed; then it keeps the
moment it was pressed at while the listener writes (the song plays on).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPlainTextEdit, QToolButton, QVBoxLayout, QWidget

from player.ui.comments.card import moment_text, primary_button
from player.ui.comments.mentions import MentionCompleter


class ComposeBox(QFrame):
    """``editor``, ``pin`` (checkable) and ``post_button``; the panel connects the button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ComposeBox")
        self._position = 0
        self._pinned: int | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 10)
        layout.setSpacing(6)
        self.editor = QPlainTextEdit(self)
        self.editor.setObjectName("ComposeEdit")
        self.editor.setPlaceholderText(self.tr("Add a comment…"))
        self.editor.setAccessibleName(self.tr("Write a comment"))
        self.editor.setFixedHeight(58)
        row = QHBoxLayout()
        row.setSpacing(8)
        self.pin = QToolButton(self)
        self.pin.setObjectName("PinToggle")
        self.pin.setCheckable(True)
        self.pin.setToolTip(self.tr("Pin the comment to this moment of the song"))
        self.pin.setCursor(Qt.CursorShape.PointingHandCursor)
        self.post_button = primary_button(self.tr("Post"), self)
        row.addWidget(self.pin)
        row.addStretch(1)
        row.addWidget(self.post_button)
        layout.addWidget(self.editor)
        layout.addLayout(row)
        self.pin.toggled.connect(self._pin_toggled)
        self._show_pin()
        self.mentions: MentionCompleter | None = None

    def complete_names(self, names: Callable[[], list[str]]) -> None:
        """Typing ``@`` offers ``names()`` (the open thread's authors)."""
        self.mentions = MentionCompleter(self.editor, names)

    def set_position(self, ms: int) -> None:
        """The playing position (what an unpressed pin shows)."""
        self._position = ms
        if not self.pin.isChecked():
            self._show_pin()

    def text(self) -> str:
        return self.editor.toPlainText().strip()

    def pinned(self) -> int | None:
        """The moment the comment is pinned to, or None."""
        return self._pinned if self.pin.isChecked() else None

    def reset(self) -> None:
        """Empty, unpinned: after a post."""
        self.editor.clear()
        self.pin.setChecked(False)
        self._show_pin()

    def _pin_toggled(self, on: bool) -> None:
        self._pinned = self._position if on else None
        self._show_pin()

    def _show_pin(self) -> None:
        at = self._pinned if self._pinned is not None else self._position
        self.pin.setText(self.tr("at {time}").format(time=moment_text(at)))
        self.pin.setAccessibleName(self.tr("Pin to {time}").format(time=moment_text(at)))
