"""The search field: as-you-type over the library's search language, debounced.

A key after :data:`DEBOUNCE_MS` of quiet asks for results at once; keys typed
within that time of each other wait for the burst to pause, so a burst starts
two queries (its first key's and its last's), while a listener typing at an
ordinary pace sees the results follow each key with no wait at all (a query at
100,000 tracks takes a few milliseconds on a worker). A malformed query (``year:abc``) is
shown inline under the field with where it went wrong; the list keeps its
previous results meanwhile.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QToolButton, QVBoxLayout, QWidget

from player.errors import AppError, QueryError
from player.ui.kit.qtfix import emit
from player.ui.kit.theme import Theme

DEBOUNCE_MS = 60


class SearchBox(QWidget):
    """``searched(text)`` after typing pauses; ``cleared()`` when emptied."""

    searched = Signal(str)
    cleared = Signal()

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        self.field = QLineEdit(self)
        self.field.setObjectName("Search")
        self.field.setPlaceholderText(
            self.tr("Search songs, artists, albums…   (try  genre:jazz year:1990..1999)")
        )
        self.field.setAccessibleName(self.tr("Search the library"))
        self.field.setClearButtonEnabled(True)
        self.field.addAction(
            theme.icon("search", "text_dim"), QLineEdit.ActionPosition.LeadingPosition
        )
        self.field.setMinimumWidth(360)
        for button in self.field.findChildren(QToolButton):
            button.setAccessibleName(
                self.tr("Search") if not button.accessibleName() else button.accessibleName()
            )
        self.error = QLabel("", self)
        self.error.setObjectName("SearchError")
        self.error.setAccessibleName(self.tr("Search error"))
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.field)
        layout.addWidget(self.error)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self._paused)
        self._waiting = False  # a key came within the burst: fire when it pauses
        self.field.textChanged.connect(self._typed)
        self.field.returnPressed.connect(self._fire)

    def sizeHint(self) -> QSize:
        return QSize(520, super().sizeHint().height())

    def text(self) -> str:
        return self.field.text()

    def _typed(self, text: str) -> None:
        if self.timer.isActive():  # within a burst: wait for it to pause
            self._waiting = True
            self.timer.start()
            return
        self.timer.start()  # the first key after a pause: at once, and a burst may follow
        self._emit()

    def _paused(self) -> None:
        if self._waiting:
            self._emit()

    def _fire(self) -> None:
        self.timer.stop()
        self._emit()

    def _emit(self) -> None:
        self._waiting = False
        self.show_error(None)
        text = self.field.text().strip()
        if text:
            emit(self.searched, text)
        else:
            emit(self.cleared)

    def show_error(self, error: object) -> None:
        """Show a query's error inline (None hides it)."""
        bad = error is not None
        if isinstance(error, QueryError):
            self.error.setText(
                self.tr("{message} — at character {position}").format(
                    message=error.message, position=error.position + 1
                )
            )
        elif isinstance(error, AppError):
            self.error.setText(error.short)
        elif bad:
            self.error.setText(str(error))
        self.error.setVisible(bad)
        if self.field.property("bad") == bad:
            return  # no restyling on each key
        self.field.setProperty("bad", bad)
        self.field.style().unpolish(self.field)
        self.field.style().polish(self.field)

    def focus(self) -> None:
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()
