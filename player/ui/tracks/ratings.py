"""Stars and a heart on any track: the Rating and Liked columns, keys 0–5, the bar's heart.

A click on a star sets that many stars; a click on the star already set clears
the rating. The keys 0–5 rate the selected tracks (0 clears). A click on the
heart likes or unlikes a track; the now-playing bar has the same heart for the
playing track. Every change goes through :meth:`LibraryDB.set_rating` and is
shown at once in every track list and on the bar (cached rows are patched, no
list is re-read).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolButton,
    QWidget,
)

from player.audio.queue import QueueItem
from player.errors import AppError
from player.library import history
from player.library.store import LibraryDB
from player.ui.kit.qtfix import emit
from player.ui.kit.theme import Theme, icon
from player.ui.tracks.model import TrackTableModel

STAR, STAR_GAP, STARS = 14, 3, 5
HEART = 16
#: larger selections are written on a worker (one transaction) instead of at once
SYNC_LIMIT = 200
_DIGITS = {getattr(Qt.Key, f"Key_{n}"): n for n in range(STARS + 1)}


def write_ratings(
    db: LibraryDB | str | Path,
    track_ids: Iterable[int],
    rating: int | None = None,
    liked: bool | None = None,
) -> int:
    """Set the rating and/or like of many tracks in one transaction; returns how many."""
    library = db if isinstance(db, LibraryDB) else LibraryDB(db)
    try:
        count = 0
        with library.transaction():
            for track_id in track_ids:
                library.set_rating(track_id, rating=rating, liked=liked)
                count += 1
        return count
    finally:
        if library is not db:
            library.close()


def show_change(widget: QWidget, track_ids: Iterable[int], values: dict[str, Any]) -> None:
    """Patch every track list and heart of *widget*'s window with the new values."""
    ids = list(track_ids)
    top = widget.window()
    for view in top.findChildren(QAbstractItemView):
        model = view.model()
        if isinstance(model, TrackTableModel):
            model.update_tracks(ids, values)
    for heart in top.findChildren(HeartButton):
        heart.refresh()


def rate(
    view: QTableView, track_ids: list[int], *, rating: int | None = None, liked: bool | None = None
) -> None:
    """Write a rating/like for *track_ids* from a track list and show it everywhere."""
    model = view.model()
    if not track_ids or not isinstance(model, TrackTableModel):
        return
    values: dict[str, Any] = {}
    if rating is not None:
        values["rating"] = rating
    if liked is not None:
        values["liked"] = liked
    if len(track_ids) <= SYNC_LIMIT:
        try:
            write_ratings(model.db, track_ids, rating, liked)
        except AppError as exc:
            _notice(view, exc)
            return
        show_change(view, track_ids, values)
        return
    task = model.runner.submit(
        write_ratings, model.db_path, list(track_ids), rating, liked, name="ratings"
    )
    show_change(view, track_ids, values)  # shown now; a failure is reported when it comes

    def done(_count: object, error: object) -> None:
        if error is not None:
            _notice(view, error)

    task.done.connect(done)


def _notice(view: QWidget, error: object) -> None:
    signal = getattr(view, "notice", None)
    if signal is not None:
        emit(signal, error if isinstance(error, AppError) else AppError(str(error)))


class _ControlDelegate(QStyledItemDelegate):
    """Paints the cell's background like any other, then the control; acts on a click."""

    def __init__(self, view: QTableView) -> None:
        super().__init__(view)
        self.view = view
        self._double = False

    def _row(self, index: Any) -> dict[str, Any] | None:
        model = index.model()
        return model.shown_row(index.row()) if isinstance(model, TrackTableModel) else None

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Any) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        row = self._row(index)
        if row is not None:
            painter.save()
            self.draw(painter, opt.rect, row, bool(opt.state & QStyle.StateFlag.State_MouseOver))
            painter.restore()

    def draw(self, painter: QPainter, rect: QRect, row: dict[str, Any], hover: bool) -> None:
        raise NotImplementedError

    def editorEvent(
        self, event: QEvent, model: Any, option: QStyleOptionViewItem, index: Any
    ) -> bool:
        if event.type() == QEvent.Type.MouseButtonDblClick:
            self._double = True  # a double click counts once, and does not play
            return True
        if event.type() != QEvent.Type.MouseButtonRelease:
            return False
        if self._double:
            self._double = False
            return True
        assert isinstance(event, QMouseEvent)
        if event.button() != Qt.MouseButton.LeftButton:
            return False
        row = self._row(index)
        if row is None:
            return False
        return self.clicked(row, option.rect, int(event.position().x()))

    def clicked(self, row: dict[str, Any], rect: QRect, x: int) -> bool:
        raise NotImplementedError


class StarDelegate(_ControlDelegate):
    """Five stars; a click on star *n* gives *n* stars, on the current one clears."""

    @staticmethod
    def star_rect(rect: QRect, n: int) -> QRect:
        """Where star *n* (1–5) is drawn inside a cell."""
        top = rect.top() + (rect.height() - STAR) // 2
        return QRect(rect.left() + 6 + (n - 1) * (STAR + STAR_GAP), top, STAR, STAR)

    def draw(self, painter: QPainter, rect: QRect, row: dict[str, Any], hover: bool) -> None:
        rating = int(row.get("rating") or 0)
        painter.setOpacity(1.0)
        for n in range(1, STARS + 1):
            filled = n <= rating
            painter.setOpacity(1.0 if filled else (0.75 if hover else 0.35))
            name = "star-filled" if filled else "star"
            icon(name, "accent" if filled else "text_dim").paint(painter, self.star_rect(rect, n))

    def clicked(self, row: dict[str, Any], rect: QRect, x: int) -> bool:
        n = (x - rect.left() - 6) // (STAR + STAR_GAP) + 1
        if not 1 <= n <= STARS:
            return False
        rating = 0 if int(row.get("rating") or 0) == n else n
        rate(self.view, [row["id"]], rating=rating)
        return True

    def sizeHint(self, option: QStyleOptionViewItem, index: Any) -> QSize:
        return QSize(12 + STARS * STAR + (STARS - 1) * STAR_GAP, STAR + 8)


class HeartDelegate(_ControlDelegate):
    """A heart: filled when the track is liked; a click toggles it."""

    @staticmethod
    def heart_rect(rect: QRect) -> QRect:
        return QRect(
            rect.left() + (rect.width() - HEART) // 2,
            rect.top() + (rect.height() - HEART) // 2,
            HEART,
            HEART,
        )

    def draw(self, painter: QPainter, rect: QRect, row: dict[str, Any], hover: bool) -> None:
        liked = bool(row.get("liked"))
        painter.setOpacity(1.0 if liked else (0.75 if hover else 0.3))
        name = "heart-filled" if liked else "heart"
        icon(name, "accent" if liked else "text_dim").paint(painter, self.heart_rect(rect))

    def clicked(self, row: dict[str, Any], rect: QRect, x: int) -> bool:
        rate(self.view, [row["id"]], liked=not bool(row.get("liked")))
        return True


class _RatingKeys(QObject):
    """Keys 0–5 on a track list rate its selection."""

    def __init__(self, view: QTableView) -> None:
        super().__init__(view)
        self.view = view

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress:
            return False
        assert isinstance(event, QKeyEvent)
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if event.key() not in _DIGITS or mods != Qt.KeyboardModifier.NoModifier:
            return False
        model = self.view.model()
        if not isinstance(model, TrackTableModel):
            return False
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        ids = [model.ids[r] for r in rows if 0 <= r < len(model.ids)]
        if not ids:
            return False
        rate(self.view, ids, rating=_DIGITS[event.key()])
        return True


def install(view: QTableView) -> None:
    """Give a track list its star and heart columns and the rating keys."""
    model = view.model()
    if not isinstance(model, TrackTableModel):
        return
    keys = [c.key for c in model.columns]
    if "rating" in keys:
        view.setItemDelegateForColumn(keys.index("rating"), StarDelegate(view))
    if "liked" in keys:
        view.setItemDelegateForColumn(keys.index("liked"), HeartDelegate(view))
    view.setMouseTracking(True)  # hover brightens the stars under the pointer
    view.installEventFilter(_RatingKeys(view))


def is_control(view: QTableView, column: int) -> bool:
    """True for the star and heart columns (a double click there must not play)."""
    return isinstance(view.itemDelegateForColumn(column), _ControlDelegate)


class HeartButton(QToolButton):
    """The now-playing bar's heart: likes or unlikes the playing track."""

    def __init__(self, bridge: Any, db: LibraryDB, theme: Theme, parent: QWidget | None = None):
        super().__init__(parent)
        self.bridge, self.db, self.theme = bridge, db, theme
        self.track_id: int | None = None
        self.liked = False
        self.setIconSize(QSize(18, 18))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.clicked.connect(self.toggle)
        bridge.trackChanged.connect(self.show_item)
        self.show_item(bridge.playing_item)

    def show_item(self, item: QueueItem | None) -> None:
        self.track_id = item.track_id if item is not None else None
        self.refresh()

    def refresh(self) -> None:
        """Read the playing track's like again (after a change anywhere)."""
        liked = False
        if self.track_id is not None:
            liked = history.is_liked(self.db, self.track_id)
        self.liked = liked
        self.theme.set_icon(
            self, "heart-filled" if liked else "heart", "accent" if liked else "text_dim"
        )
        self.setEnabled(self.track_id is not None)
        name = self.tr("Unlike this track") if liked else self.tr("Like this track")
        self.setAccessibleName(name)
        self.setToolTip(name)

    def toggle(self) -> None:
        if self.track_id is None:
            return
        track_id, liked = self.track_id, not self.liked
        try:
            write_ratings(self.db, [track_id], liked=liked)
        except AppError as exc:
            emit(self.bridge.error, exc)
            return
        show_change(self, [track_id], {"liked": liked})
