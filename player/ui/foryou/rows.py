"""The For You page's pieces: a shelf (title, actions, rows) and a row per recommended track.

A row shows the track, why it was recommended, and three feedback buttons:
like (heart), skip, and "not this one". Rows and shelves only report what the
listener did (``acted(track_id, action)``, ``play(shelf, row)``, ...); the page
decides what follows.
"""

from __future__ import annotations

from string import Template
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from player.ui.foryou.reasons import reason_text
from player.ui.foryou.session import Shelf, ShelfItem
from player.ui.kit.clamped import ClampedLabel
from player.ui.kit.flow import FlowLayout
from player.ui.kit.qtfix import emit
from player.ui.kit.theme import Theme, palette
from player.ui.tracks.columns import duration_text

#: rows a shelf shows before "Show N more"
COLLAPSED = 8

STYLE = Template(
    """
QFrame#Shelf { background: $panel; border: 1px solid $border; border-radius: 12px; }
QLabel#ShelfTitle { font-size: 13.5pt; font-weight: 700; color: $text; }
QLabel#ShelfSubtitle, QLabel#RecMeta, QLabel#RecNumber, QLabel#RecTime { color: $text_dim; }
QLabel#RecReason { color: $accent; font-size: 9pt; }
QLabel#RecTitle { color: $text; font-weight: 600; }
QFrame#RecRow { background: transparent; border-radius: 8px; }
QFrame#RecRow:hover { background: $hover; }
QToolButton#Heart { color: $text_dim; font-size: 13pt; padding: 2px 6px; }
QToolButton#Heart:checked { color: $danger; background: transparent; }
QPushButton#ShelfButton { padding: 5px 12px; }
QPushButton#ShelfButton:checked { color: $accent; border-color: $accent; }
QLabel#Stat { color: $text_dim; }
"""
)


def stylesheet(theme: Theme) -> str:
    return STYLE.safe_substitute(palette(theme.name))


class RecRow(QFrame):
    """One recommended track. ``acted(track_id, action)``, ``activated(index)``."""

    acted = Signal(int, str)
    activated = Signal(int)

    def __init__(
        self, index: int, item: ShelfItem, theme: Theme, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("RecRow")
        self.index, self.item = index, item
        row: dict[str, Any] = item.row
        rec = item.rec
        title = rec.title or row.get("title") or str(row.get("path", "")).rsplit("/", 1)[-1]
        reason = reason_text(rec.why)
        self.setAccessibleName(f"{title}: {reason}")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 6, 4)
        layout.setSpacing(6)
        number = QLabel(str(index + 1), self)
        number.setObjectName("RecNumber")
        number.setFixedWidth(22)
        number.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(number)
        text = QVBoxLayout()
        text.setSpacing(0)
        self.title = ClampedLabel(title, 1, self)
        self.title.setObjectName("RecTitle")
        meta = " · ".join(x for x in (rec.artist or row.get("artist"), row.get("album")) if x)
        self.meta = ClampedLabel(meta, 1, self)
        self.meta.setObjectName("RecMeta")
        # the reason has the row's whole width on a line of its own: cut with "…" when
        # longer still, all of it in the tooltip
        self.reason = ClampedLabel(reason, 1, self)
        self.reason.setObjectName("RecReason")
        text.addWidget(self.title)
        text.addWidget(self.meta)
        text.addWidget(self.reason)
        left = QWidget(self)
        left.setLayout(text)
        left.setMinimumWidth(110)
        left.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        layout.addWidget(left, 1)
        length = QLabel(duration_text(row.get("duration")), self)
        length.setObjectName("RecTime")
        length.setFixedWidth(40)
        length.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(length)
        self.heart = QToolButton(self)
        self.heart.setObjectName("Heart")
        self.heart.setCheckable(True)
        self.heart.setChecked(item.liked)
        self._show_heart()
        self.heart.setAccessibleName(self.tr("Like"))
        self.heart.setToolTip(self.tr("Like: more like this"))
        self.heart.setCursor(Qt.CursorShape.PointingHandCursor)
        self.heart.toggled.connect(self._liked)
        self.skip = self._tool(
            "next", self.tr("Skip"), self.tr("Skip: not now, a little less like this"), theme
        )
        self.skip.clicked.connect(lambda: emit(self.acted, item.track_id, "skip"))
        self.dismiss = self._tool(
            "close", self.tr("Not this one"), self.tr("Not this one: never suggest it"), theme
        )
        self.dismiss.clicked.connect(lambda: emit(self.acted, item.track_id, "dismiss"))
        for button in (self.heart, self.skip, self.dismiss):
            layout.addWidget(button)

    def _tool(self, icon: str, name: str, tip: str, theme: Theme) -> QToolButton:
        button = QToolButton(self)
        theme.set_icon(button, icon, "text_dim")
        button.setIconSize(QSize(15, 15))
        button.setAccessibleName(name)
        button.setToolTip(tip)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        return button

    def _show_heart(self) -> None:
        self.heart.setText("♥" if self.heart.isChecked() else "♡")

    def _liked(self, on: bool) -> None:
        self._show_heart()
        emit(self.acted, self.item.track_id, "like" if on else "unlike")

    def mouseDoubleClickEvent(self, event: Any) -> None:
        emit(self.activated, self.index)
        event.accept()


class ShelfView(QFrame):
    """A shelf: title, subtitle, play all / add to queue / save as playlist, and its rows."""

    acted = Signal(int, str)  # track id, action
    playRequested = Signal(object, int)  # shelf, start index
    queueRequested = Signal(object)
    saveRequested = Signal(object)
    smoothToggled = Signal(bool)  # today's mix only
    newMixRequested = Signal()  # today's mix only

    def __init__(
        self, shelf: Shelf, theme: Theme, parent: QWidget | None = None, *, smooth: bool = False
    ) -> None:
        super().__init__(parent)
        self.setObjectName("Shelf")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.shelf = shelf
        self.setAccessibleName(shelf.title)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 14, 16, 12)
        outer.setSpacing(6)
        titles = QVBoxLayout()
        titles.setSpacing(1)
        self.title = QLabel(shelf.title, self)
        self.title.setObjectName("ShelfTitle")
        sub = QLabel(shelf.subtitle, self)
        sub.setObjectName("ShelfSubtitle")
        for label in (self.title, sub):  # long titles wrap rather than widen the shelf
            label.setWordWrap(True)
            label.setMinimumWidth(120)
            titles.addWidget(label)
        outer.addLayout(titles)
        buttons = FlowLayout(spacing=8)  # below the titles; they wrap when the page is narrow
        self.play_all = self._button(self.tr("Play all"), primary=True)
        self.add_queue = self._button(self.tr("Add to queue"))
        self.save = self._button(self.tr("Save as playlist"))
        for button in (self.play_all, self.add_queue, self.save):
            button.setEnabled(bool(shelf.items))
            buttons.addWidget(button)
        self.smooth: QPushButton | None = None
        self.new_mix: QPushButton | None = None
        if shelf.key == "mix":
            self.new_mix = self._button(self.tr("New mix"))
            self.new_mix.setToolTip(
                self.tr("Today's mix stays the same all day; make a different one now")
            )
            self.new_mix.clicked.connect(lambda: emit(self.newMixRequested))
            buttons.addWidget(self.new_mix)
            self.smooth = self._button(self.tr("Smooth order"))
            self.smooth.setCheckable(True)
            self.smooth.setChecked(smooth)
            self.smooth.setToolTip(
                self.tr("Order the mix so tempo, key and loudness flow from track to track")
            )
            self.smooth.toggled.connect(lambda on: emit(self.smoothToggled, on))
            buttons.addWidget(self.smooth)
        outer.addLayout(buttons)
        self.play_all.clicked.connect(lambda: emit(self.playRequested, shelf, 0))
        self.add_queue.clicked.connect(lambda: emit(self.queueRequested, shelf))
        self.save.clicked.connect(lambda: emit(self.saveRequested, shelf))
        self.rows: list[RecRow] = []
        self.removed: set[int] = set()
        self.expanded = False
        for i, item in enumerate(shelf.items):
            row = RecRow(i, item, theme, self)
            row.acted.connect(lambda tid, action: emit(self.acted, tid, action))
            row.activated.connect(lambda index: emit(self.playRequested, shelf, index))
            outer.addWidget(row)
            self.rows.append(row)
        if not shelf.items:
            empty = QLabel(self.tr("Nothing to suggest yet: play and like a few tracks."), self)
            empty.setObjectName("ShelfSubtitle")
            outer.addWidget(empty)
        self.more = QToolButton(self)
        self.more.setObjectName("LinkButton")
        self.more.setCursor(Qt.CursorShape.PointingHandCursor)
        self.more.clicked.connect(self.toggle)
        outer.addWidget(self.more, 0, Qt.AlignmentFlag.AlignLeft)
        self._show_rows()

    def toggle(self) -> None:
        """Show every row, or only the first :data:`COLLAPSED` again."""
        self.expanded = not self.expanded
        self._show_rows()

    def _show_rows(self) -> None:
        for row in self.rows:
            row.setVisible(
                row.item.track_id not in self.removed and (self.expanded or row.index < COLLAPSED)
            )
        extra = len(self.rows) - COLLAPSED
        self.more.setVisible(extra > 0)
        self.more.setText(
            self.tr("Show fewer") if self.expanded else self.tr("Show {n} more").format(n=extra)
        )
        self.more.setAccessibleName(f"{self.more.text()}: {self.shelf.title}")

    def _button(self, text: str, primary: bool = False) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName("Primary" if primary else "ShelfButton")
        button.setAccessibleName(f"{text}: {self.shelf.title}")
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        return button

    def remove(self, track_id: int) -> None:
        """Hide a row at once (the next list arrives from the worker a moment later)."""
        if any(row.item.track_id == track_id for row in self.rows):
            self.removed.add(track_id)
            self._show_rows()
