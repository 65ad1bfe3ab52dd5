"""A wrapping label that never grows past a few lines: the last one ends in "…".

Long texts in narrow places (a recommendation's reason beside the queue
panel) would otherwise wrap into a tall column and push every row apart. The
whole text stays in the tooltip and in :meth:`ClampedLabel.full_text`.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent, QTextLayout
from PySide6.QtWidgets import QLabel, QWidget


class ClampedLabel(QLabel):
    """Word-wrapped text cut to at most ``lines`` lines at the label's current width."""

    def __init__(self, text: str, lines: int = 2, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self._full = text
        self._lines = max(1, lines)
        self.setWordWrap(True)
        self.setToolTip(text)

    def full_text(self) -> str:
        return self._full

    def heightForWidth(self, width: int) -> int:  # never taller than its lines
        return min(super().heightForWidth(width), self._cap())

    def sizeHint(self) -> QSize:
        return self._capped(super().sizeHint())

    def minimumSizeHint(self) -> QSize:
        return self._capped(super().minimumSizeHint())

    def _capped(self, hint: QSize) -> QSize:
        return QSize(hint.width(), min(hint.height(), self._cap()))

    def _cap(self) -> int:
        margins = self.contentsMargins()
        extra = margins.top() + margins.bottom() + 2 * self.margin()
        return self._lines * self.fontMetrics().lineSpacing() + extra

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit(self.contentsRect().width())

    def _fit(self, width: int) -> None:
        if width <= 0:
            return
        shown = clamp(self._full, self, width, self._lines)
        if shown != self.text():
            self.setText(shown)


def clamp(text: str, label: QLabel, width: int, lines: int) -> str:
    """``text`` as ``label``'s font wraps it at ``width``: ``lines`` lines at most."""
    layout = QTextLayout(text, label.font())
    layout.beginLayout()
    spans: list[tuple[int, int]] = []
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        spans.append((line.textStart(), line.textLength()))
    layout.endLayout()
    if len(spans) <= lines:
        return text
    head = [text[start : start + length].strip() for start, length in spans[: lines - 1]]
    rest = text[spans[lines - 1][0] :].strip()
    last = label.fontMetrics().elidedText(rest, Qt.TextElideMode.ElideRight, width)
    return "\n".join([*head, last])
