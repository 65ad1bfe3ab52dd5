"""What the centre pages share: a title with a subtitle, and a vertically scrolling body."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)


def page_header(parent: QWidget, title: str, subtitle: str = "") -> tuple[QWidget, QLabel, QLabel]:
    header = QWidget(parent)
    layout = QVBoxLayout(header)
    layout.setContentsMargins(24, 18, 24, 10)
    layout.setSpacing(2)
    title_label = QLabel(title, header)
    title_label.setObjectName("PageTitle")
    sub = QLabel(subtitle, header)
    sub.setObjectName("PageSubtitle")
    layout.addWidget(title_label)
    layout.addWidget(sub)
    return header, title_label, sub


def scrolling_body(
    parent: QWidget, margins: tuple[int, int, int, int], spacing: int
) -> tuple[QScrollArea, QWidget, QVBoxLayout]:
    """A page's vertically scrolling body: (the scroll area, the body, its column)."""
    scroll = QScrollArea(parent)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QScrollArea.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    body = QWidget(scroll)
    body.setObjectName("Page")
    column = QVBoxLayout(body)
    column.setContentsMargins(*margins)
    column.setSpacing(spacing)
    return scroll, body, column
