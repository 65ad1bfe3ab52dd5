"""The Queue tab: the play queue in order, reorder by dragging, remove, clear, jump.

:class:`QueueModel` is a thin list model over :class:`~player.audio.queue.PlayQueue`;
a drop moves the dragged items with :meth:`PlayQueue.move`, so the queue stays
the one source of truth.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QFont, QFontMetrics, QKeyEvent, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QMenu,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from player.audio.controller_events import display_name
from player.audio.queue import PlayQueue, QueueItem
from player.ui.kit.bridge import PlayerBridge
from player.ui.kit.qtfix import emit
from player.ui.kit.tasks import TaskRunner
from player.ui.kit.theme import Theme
from player.ui.tracks.columns import duration_text
from player.ui.tracks.dnd import TRACK_IDS_MIME, track_ids
from player.ui.tracks.playall import queue_items_for

MIME = "application/x-kindred-queue-ids"
ITEM_ID_ROLE = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex


class QueueModel(QAbstractListModel):
    """The items of a :class:`PlayQueue`; call :meth:`refresh` when the queue changed."""

    def __init__(self, queue: PlayQueue, theme: Theme) -> None:
        super().__init__()
        self.queue = queue
        self.theme = theme
        self.items = queue.items
        self.current_id: str | None = None
        self._bold = QFont()
        self._bold.setBold(True)
        #: ``drop_tracks(ids, row)``: library tracks dropped before display row *row*
        self.drop_tracks: Callable[[list[int], int], None] | None = None

    def refresh(self) -> None:
        self.beginResetModel()
        self.items = self.queue.items
        current = self.queue.current
        self.current_id = current.id if current else None
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self.items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            length = duration_text(item.duration_ms / 1000)
            return f"{display_name(item)}" + (f"   {length}" if length else "")
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return display_name(item)
        if role == ITEM_ID_ROLE:
            return item.id
        if role == Qt.ItemDataRole.FontRole and item.id == self.current_id:
            return self._bold
        if role == Qt.ItemDataRole.ForegroundRole and item.id == self.current_id:
            return QBrush(self.theme.color("accent"))
        if role == Qt.ItemDataRole.ToolTipRole:
            if self.stops_after(item.id):
                return item.location + "\n" + self.tr("Playback stops after this track")
            return item.location
        return None

    def stops_after(self, item_id: str) -> bool:
        """Playback stops at the end of this item ("Stop after this track")."""
        return item_id == self.current_id and self.queue.stop_after_current

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.isValid():
            return base | Qt.ItemFlag.ItemIsDragEnabled
        return base | Qt.ItemFlag.ItemIsDropEnabled

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def mimeTypes(self) -> list[str]:
        return [MIME, TRACK_IDS_MIME] if self.drop_tracks is not None else [MIME]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:
        mime = QMimeData()
        ids = [self.items[i.row()].id for i in sorted(indexes, key=lambda i: i.row())]
        mime.setData(MIME, QByteArray("\n".join(ids).encode()))
        return mime

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: _Index
    ) -> bool:
        if action == Qt.DropAction.IgnoreAction:
            return True
        if row < 0:
            row = parent.row() if parent.isValid() else len(self.items)
        if not data.hasFormat(MIME):
            tracks = track_ids(data)
            if not tracks or self.drop_tracks is None:
                return False
            self.drop_tracks(tracks, row)
            return True
        ids = bytes(data.data(MIME).data()).decode().split("\n")
        self.move(ids, row)
        return False  # the move is done; the view must not remove the source rows

    def move(self, ids: list[str], row: int) -> None:
        """Move the items *ids* to display row *row* (the drop-row convention of PlayQueue.move)."""
        self.queue.move(ids, row)
        self.refresh()


class QueueDelegate(QStyledItemDelegate):
    """Two lines per item: the title (lit when current), the artist and the length."""

    def __init__(self, model: QueueModel, theme: Theme) -> None:
        super().__init__()
        self.model, self.theme = model, theme

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        return QSize(200, 46)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        item = self.model.items[index.row()]
        rect = option.rect.adjusted(4, 1, -4, -1)
        state = option.state
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if state & QStyle.StateFlag.State_Selected:
            path = QPainterPath()
            path.addRoundedRect(QRectF(rect), 7, 7)
            painter.fillPath(path, self.theme.color("selection"))
        current = item.id == self.model.current_id
        font = QFont(option.font)
        font.setBold(True)
        fm = QFontMetrics(font)
        length = duration_text(item.duration_ms / 1000)
        small = QFont(option.font)
        small.setPointSizeF(max(7.0, small.pointSizeF() * 0.9))
        sfm = QFontMetrics(small)
        right = sfm.horizontalAdvance(length) + 12 if length else 0
        width = rect.width() - 20 - right
        title = item.title or display_name(item)
        painter.setFont(font)
        painter.setPen(self.theme.color("accent" if current else "text"))
        painter.drawText(
            rect.x() + 10,
            rect.y() + 6 + fm.ascent(),
            fm.elidedText(title, Qt.TextElideMode.ElideRight, width),
        )
        painter.setFont(small)
        painter.setPen(self.theme.color("text_dim"))
        painter.drawText(
            rect.x() + 10,
            rect.y() + 8 + fm.height() + sfm.ascent(),
            sfm.elidedText(item.artist or item.album, Qt.TextElideMode.ElideRight, width),
        )
        if length:
            painter.drawText(rect.right() - right + 4, rect.y() + 6 + fm.ascent(), length)
        if self.model.stops_after(item.id):  # the end of the line: playback stops here
            painter.setPen(QPen(self.theme.color("accent"), 2, Qt.PenStyle.DashLine))
            painter.drawLine(rect.x() + 10, rect.bottom(), rect.right() - 10, rect.bottom())
        painter.restore()


class QueueList(QListView):
    """Delete removes the selection, Enter plays the selected item."""

    def __init__(self, panel: QueuePanel) -> None:
        super().__init__(panel)
        self.panel = panel

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.panel.remove_selected()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.panel.play_current()
            return
        super().keyPressEvent(event)


class QueuePanel(QWidget):
    """The queue list with its summary line, Save and Clear buttons.

    ``saveRequested()`` asks the window to save the queue as a playlist.
    """

    saveRequested = Signal()

    def __init__(self, bridge: PlayerBridge, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("QueuePanel")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.bridge = bridge
        self.model = QueueModel(bridge.controller.queue, theme)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 10, 8, 8)
        top = QHBoxLayout()
        self.summary = QLabel("", self)
        self.summary.setObjectName("PageSubtitle")
        self.clear_button = QPushButton(self.tr("Clear"), self)
        self.clear_button.setAccessibleName(self.tr("Clear the queue"))
        self.clear_button.clicked.connect(self.clear)
        self.save_button = QPushButton(self.tr("Save…"), self)
        self.save_button.setAccessibleName(self.tr("Save the queue as a playlist"))
        self.save_button.setToolTip(self.tr("Save the queue as a playlist"))
        self.save_button.clicked.connect(lambda: emit(self.saveRequested))
        top.addWidget(self.summary, 1)
        top.addWidget(self.save_button)
        top.addWidget(self.clear_button)
        layout.addLayout(top)
        self.view = QueueList(self)
        self.view.setObjectName("QueueList")
        self.view.setAccessibleName(self.tr("Play queue"))
        self.view.setModel(self.model)
        self.view.setItemDelegate(QueueDelegate(self.model, theme))
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setUniformItemSizes(True)
        # a queue of a whole 100,000-track list is laid out a slice per event-loop turn
        self.view.setLayoutMode(QListView.LayoutMode.Batched)
        self.view.setBatchSize(2000)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        # its own items move; tracks dragged from the library are added (accept_track_drops)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.view.setDragEnabled(True)
        self.view.setAcceptDrops(True)
        self.view.setDropIndicatorShown(True)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._menu)
        self.view.doubleClicked.connect(lambda index: self.bridge.jump(index.data(ITEM_ID_ROLE)))
        layout.addWidget(self.view, 1)
        bridge.queueChanged.connect(self.refresh)
        bridge.modesChanged.connect(self.view.viewport().update)  # stop after this track
        self.refresh()

    def accept_track_drops(self, runner: TaskRunner, db_path: str | Path) -> None:
        """Take library tracks dragged in (:data:`TRACK_IDS_MIME`): their queue items are
        read on a worker, then inserted where they were dropped, in their order."""

        def insert(ids: list[int], row: int) -> None:
            task = runner.submit(queue_items_for, db_path, ids, name="queue drop")
            task.done.connect(lambda items, error: self.insert_items(items or [], row))

        self.model.drop_tracks = insert

    def insert_items(self, items: list[QueueItem], row: int) -> None:
        """Add *items* to the queue before display row *row* (at the end when past it)."""
        if not items:
            return
        queue = self.bridge.controller.queue
        end = len(queue.items)
        queue.add(items)
        if row < end:
            queue.move([item.id for item in items], row)
        self.refresh()

    def refresh(self) -> None:
        self.model.refresh()
        items = self.model.items
        total = sum(it.duration_ms for it in items) / 1000
        self.summary.setText(
            self.tr("%Ln tracks", "", len(items)) + (f" · {duration_text(total)}" if total else "")
        )
        self.clear_button.setEnabled(bool(items))
        self.save_button.setEnabled(bool(items))

    def selected_ids(self) -> list[str]:
        return [
            i.data(ITEM_ID_ROLE)
            for i in sorted(self.view.selectionModel().selectedRows(), key=lambda i: i.row())
        ]

    def remove_selected(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.bridge.controller.queue.remove(ids)
            self.refresh()

    def play_current(self) -> None:
        index = self.view.currentIndex()
        if index.isValid():
            self.bridge.jump(index.data(ITEM_ID_ROLE))

    def clear(self) -> None:
        self.bridge.controller.queue.clear()
        self.refresh()

    def context_menu(self) -> QMenu | None:
        """The menu for the selected items (None when nothing is selected)."""
        if not self.selected_ids():
            return None
        menu = QMenu(self)
        menu.addAction(self.tr("Play"), self.play_current)
        current = self.model.current_id
        if current is not None and self.selected_ids() == [current]:
            after = menu.addAction(self.tr("Stop after this track"))
            after.setCheckable(True)
            after.setChecked(self.bridge.controller.queue.stop_after_current)
            after.toggled.connect(self.bridge.set_stop_after_current)
        menu.addAction(self.tr("Remove from queue"), self.remove_selected)
        menu.addSeparator()
        menu.addAction(self.tr("Save as playlist…"), lambda: emit(self.saveRequested))
        menu.addAction(self.tr("Clear queue"), self.clear)
        return menu

    def _menu(self, pos: Any) -> None:
        menu = self.context_menu()
        if menu is not None:
            menu.exec(self.view.viewport().mapToGlobal(pos))
