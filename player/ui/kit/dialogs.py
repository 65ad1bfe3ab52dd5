"""The frame Kindred's editor dialogs share: margins, spacing and a heading from the title."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QLabel, QVBoxLayout


def titled_layout(dialog: QDialog) -> QVBoxLayout:
    """``dialog``'s main layout, opened by its window title as a heading (``EditorTitle``)."""
    layout = QVBoxLayout(dialog)
    layout.setContentsMargins(20, 18, 20, 16)
    layout.setSpacing(8)
    heading = QLabel(dialog.windowTitle(), dialog)
    heading.setObjectName("EditorTitle")
    layout.addWidget(heading)
    return layout
