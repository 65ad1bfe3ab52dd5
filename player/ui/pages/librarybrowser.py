"""The library browser (a tree in the grouping the listener picks) and the Folders page
(the folder tree under each library folder beside the chosen folder's tracks).

Both sit on :class:`~player.ui.pages.librarytree.LibraryTreeModel`. The window's
search box filters the browser's tree (:meth:`LibraryBrowserPage.set_filter`).
Double-click plays a node's tracks (a track plays its group from there); a node drags
out as its tracks in tree order.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from player.library.store import LibraryDB
from player.library.store.browse import GROUPINGS
from player.library.trackquery import folder_source
from player.ui.kit.bridge import PlayerBridge
from player.ui.kit.qtfix import emit
from player.ui.kit.tasks import TaskRunner
from player.ui.pages.layout import page_header
from player.ui.pages.librarytree import FOLDERS, PREFETCH, LibraryTreeModel, read_ids
from player.ui.pages.tracklist import TrackListPage
from player.ui.tracks.playall import queue_items_for

#: the grouping a new browser shows
DEFAULT_GROUPING = "album_artist_album"
#: how long the selection rests before its tracks are read (for a drag)
IDS_DELAY_MS = 120
#: how long the current row and the scroll position rest before the rows on screen have
#: their children read ahead
READ_AHEAD_MS = 40


def _single_shot(parent: QWidget, msecs: int, slot: Callable[[], None]) -> QTimer:
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(msecs)
    timer.timeout.connect(slot)
    return timer


class LibraryTree(QTreeView):
    """A lazy library tree: uniform rows, drag out, double-click plays."""

    def __init__(
        self, model: LibraryTreeModel, bridge: PlayerBridge, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.tree_model, self.bridge = model, bridge
        self.setObjectName("LibraryTree")
        self.setModel(model)
        self.setUniformRowHeights(True)
        self.setHeaderHidden(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # a fixed count column: sizing it to its contents would measure every row
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(1, self.fontMetrics().horizontalAdvance("0000:00:00") + 16)
        #: a drag waiting for its tracks to be read (its actions), see :meth:`startDrag`
        self.pending_drag: Qt.DropAction | None = None
        self.doubleClicked.connect(self.play_index)
        # the selection's tracks are read for a drag once it rests (not for each row that
        # Page Down or a held arrow key passes over); a drag before then waits for them
        self._ids_timer = _single_shot(self, IDS_DELAY_MS, self._read_selected)
        self.selectionModel().selectionChanged.connect(self._selection_moved)
        # the children of the current row and of the groups on screen are read ahead, so
        # expanding one shows them at once (no round trip to a worker after the key)
        self._ahead_timer = _single_shot(self, READ_AHEAD_MS, self.read_ahead)
        self.selectionModel().currentChanged.connect(self._read_ahead_soon)
        self.verticalScrollBar().valueChanged.connect(self._read_ahead_soon)
        model.loaded.connect(self._read_ahead_soon)
        self.expanded.connect(self._read_ahead_soon)
        # the rows are drawn on the tree's own background, painted here (paintEvent), so a
        # repaint after a key does not paint the page and the window behind the tree first
        self.viewport().setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self.viewport())
        painter.fillRect(event.rect(), self.viewport().palette().base())
        painter.end()
        super().paintEvent(event)

    def _selection_moved(self, *_args: object) -> None:
        self._ids_timer.start()

    def _read_ahead_soon(self, *_args: object) -> None:
        self._ahead_timer.start()

    def _read_selected(self) -> None:
        self.tree_model.prefetch_ids(self.selectionModel().selectedRows())

    def read_ahead(self) -> None:
        """Read the children of the current row and of the rows on screen on a worker."""
        model = self.tree_model
        nodes = []
        current = self.currentIndex()
        if current.isValid():
            nodes.append(model.node(current.siblingAtColumn(0)))
        index = self.indexAt(QPoint(1, 1))
        bottom = self.viewport().height()
        while index.isValid() and len(nodes) < PREFETCH:
            nodes.append(model.node(index))
            if self.visualRect(index).bottom() >= bottom:
                break
            index = self.indexBelow(index)
        model.prefetch(nodes)

    def startDrag(self, supportedActions: Qt.DropAction) -> None:
        """Drag the selection's tracks; when they are not read yet (a big group dragged
        at once), read them on a worker and start the drag when they are here, as long
        as the button is still held (the UI thread never waits on the query)."""
        rows = self.selectionModel().selectedRows()
        if not rows or self.tree_model.ids_ready(rows):
            self.pending_drag = None
            super().startDrag(supportedActions)
            return
        self.pending_drag = supportedActions
        self.viewport().setCursor(Qt.CursorShape.BusyCursor)
        self.tree_model.prefetch_ids(rows, then=self._drag_ready)

    def _drag_ready(self) -> None:
        actions, self.pending_drag = self.pending_drag, None
        self.viewport().unsetCursor()
        if actions is not None:
            self.startDrag(actions)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self.pending_drag is not None:  # let go before the tracks were read: no drag
            self.pending_drag = None
            self.viewport().unsetCursor()
        super().mouseReleaseEvent(event)

    def play_index(self, index: QModelIndex) -> None:
        """Play the node's tracks; a track plays its group (or folder) from itself."""
        model = self.tree_model
        node = model.node(index.siblingAtColumn(0))
        start_id = None
        if node.kind == "track":
            start_id = node.track_id
            group = node.parent
            index = model.index_of(group) if group is not None else QModelIndex()
        if not index.isValid() and start_id is None:
            return
        specs = model.specs([index.siblingAtColumn(0)]) if index.isValid() else []
        if not specs:  # a track at the top of the tree
            specs = [("track", start_id)]
        task = model.runner.submit(
            _read_items, model.db_path, model.grouping, specs, model.text, name="browser play"
        )

        def done(items: list[Any] | None, error: object) -> None:
            if error is not None or not items:
                return
            start = next((n for n, it in enumerate(items) if it.track_id == start_id), 0)
            self.bridge.play_items(items, start)

        task.done.connect(done)


def _read_items(
    db_path: str | Path, grouping: str, specs: list[tuple[Any, ...]], text: str
) -> list[Any]:
    return queue_items_for(db_path, read_ids(db_path, grouping, specs, text))


class LibraryBrowserPage(QWidget):
    """A tree of the whole library in the grouping picked above it, filtered by the
    window's search box; ``groupingChanged(key)`` when the listener picks another."""

    groupingChanged = Signal(str)

    def __init__(
        self,
        db: LibraryDB,
        db_path: str | Path,
        runner: TaskRunner,
        bridge: PlayerBridge,
        parent: QWidget | None = None,
        *,
        roots: Callable[[], list[str]] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("Page")
        self.names = {
            "artist_album": self.tr("Artist › Album › Track"),
            "album_artist_album": self.tr("Album artist › Album › Track"),
            "genre_artist_album": self.tr("Genre › Artist › Album › Track"),
            "year_album": self.tr("Year › Album › Track"),
            "composer_album": self.tr("Composer › Work › Track"),
            FOLDERS: self.tr("Folder › Track"),
        }
        self.model = LibraryTreeModel(
            db_path, runner, DEFAULT_GROUPING, roots=roots, labels=self._label, parent=self
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        header, self.title, self.subtitle = page_header(self, self.tr("Library browser"))
        layout.addWidget(header)
        bar = QHBoxLayout()
        bar.setContentsMargins(24, 0, 24, 8)
        label = QLabel(self.tr("Group by"), self)
        self.grouping = QComboBox(self)
        self.grouping.setAccessibleName(self.tr("Group by"))
        for key, name in self.names.items():
            self.grouping.addItem(name, key)
        self.grouping.setCurrentIndex(self.grouping.findData(DEFAULT_GROUPING))
        label.setBuddy(self.grouping)
        bar.addWidget(label)
        bar.addWidget(self.grouping)
        bar.addStretch(1)
        layout.addLayout(bar)
        box = QWidget(self)
        column = QVBoxLayout(box)
        column.setContentsMargins(12, 0, 12, 0)
        self.tree = LibraryTree(self.model, bridge, box)
        self.tree.setAccessibleName(self.tr("Library browser"))
        column.addWidget(self.tree)
        layout.addWidget(box, 1)
        self.grouping.currentIndexChanged.connect(self._picked)
        self.model.loaded.connect(self._count)
        self.model.modelReset.connect(self._count)

    def _label(self, level: str, key: tuple[Any, ...], depth: int) -> str:
        name = key[0]
        if level == "year":
            return str(name) if name else self.tr("Unknown year")
        if name:
            if level == "album" and self.model.grouping == "year_album":  # whose album
                return f"{name} · {key[1]}" if key[1] else name
            return str(name)
        return {
            "artist": self.tr("Unknown artist"),
            "album_artist": self.tr("Unknown artist"),
            "genre": self.tr("No genre"),
            "composer": self.tr("No composer"),
            "album": self.tr("No album"),
        }[level]

    def reload(self) -> None:
        self.model.reload()

    def set_grouping(self, key: str) -> None:
        """Show the tree in *key*'s grouping (an unknown key keeps the current one)."""
        at = self.grouping.findData(key)
        if at < 0:
            return
        if self.model.generation == 0:  # nothing read yet: read it when first shown
            self.grouping.blockSignals(True)
            self.grouping.setCurrentIndex(at)
            self.grouping.blockSignals(False)
            self.model.grouping = key
            return
        self.grouping.setCurrentIndex(at)

    def current_grouping(self) -> str:
        return self.model.grouping

    def set_filter(self, text: str) -> None:
        """Show only the groups and tracks that match *text* (the track search's syntax)."""
        self.model.set_filter(text)

    def _picked(self, _at: int) -> None:
        key = self.grouping.currentData()
        if key in GROUPINGS or key == FOLDERS:
            self.model.set_grouping(key)
            emit(self.groupingChanged, key)

    def _count(self) -> None:
        top = self.model.root  # every group read, not only the slices shown so far
        shown = len(top.children or []) + len(top.pending)
        if self.model.loading and not shown:
            self.subtitle.setText(self.tr("Loading…"))
        elif self.model.text.strip():
            self.subtitle.setText(
                self.tr("%Ln groups match “%1”", "", shown).replace("%1", self.model.text)
            )
        else:
            self.subtitle.setText(self.tr("%Ln groups", "", shown))


class FolderPage(QWidget):
    """The folders under each library folder as a tree (track counts, full path as the
    tooltip) beside the chosen folder's tracks (with those of its subfolders)."""

    def __init__(
        self,
        db: LibraryDB,
        db_path: str | Path,
        runner: TaskRunner,
        bridge: PlayerBridge,
        parent: QWidget | None = None,
        *,
        roots: Callable[[], list[str]] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("Page")
        self.model = LibraryTreeModel(
            db_path, runner, FOLDERS, show_tracks=False, roots=roots, parent=self
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        header, self.title, self.subtitle = page_header(self, self.tr("Folders"))
        layout.addWidget(header)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.tree = LibraryTree(self.model, bridge, self.splitter)
        self.tree.setAccessibleName(self.tr("Folders"))
        self.tracks = TrackListPage(db, db_path, runner, bridge, self.splitter)
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(self.tracks)
        self.splitter.setSizes([320, 740])
        self.splitter.setStretchFactor(1, 1)
        layout.addWidget(self.splitter, 1)
        self.tree.selectionModel().currentChanged.connect(self._chosen)
        self.model.loaded.connect(self._count)

    def reload(self) -> None:
        self.model.reload()

    def _count(self) -> None:
        shown = self.model.rowCount()
        if shown:
            self.subtitle.setText(self.tr("%Ln library folders", "", shown))
        else:
            self.subtitle.setText(self.tr("No library folders with music yet"))

    def _chosen(self, index: QModelIndex) -> None:
        node = self.model.node(index.siblingAtColumn(0))
        if node.kind == "folder":
            self.tracks.show_source(folder_source(node.folder, node.label))
