"""The track table: lazy rows, sortable and choosable columns, multi-select, context menu.

Enter or a double click plays the selection (the whole list, starting at the
clicked track, when one row is selected). The context menu offers play, play
next, add to queue, add to playlist, similar tracks, start radio, open
containing folder and copy path.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import (
    QByteArray,
    QCoreApplication,
    QModelIndex,
    QPoint,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import QAction, QDesktopServices, QGuiApplication, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QTableView, QWidget

from player.library import playlists
from player.library.store import LibraryDB
from player.ui.kit.bridge import PlayerBridge
from player.ui.kit.qtfix import emit
from player.ui.kit.window import KindredWindow
from player.ui.tracks import ratings
from player.ui.tracks.model import TrackTableModel
from player.ui.tracks.playall import FIRST_AFTER, FIRST_BEFORE, WholeListPlayer

ROW_HEIGHT = 34
#: the row height of the compact density (Settings > Appearance): 28 rows in 700 px
COMPACT_ROW_HEIGHT = 24
#: where the density choice is remembered (the window's saved state)
COMPACT_KEY = "compact_rows"
#: the narrowest the title gets before the list scrolls sideways
TITLE_MIN = 110
#: the title never asks for more than this before name columns give up width
TITLE_WANT = 360
#: how many rows' titles are measured for the title column's width
TITLE_SAMPLE = 2000
#: columns of names that give up width (down to FLEX_MIN) before the list scrolls sideways
FLEX_KEYS = ("artist", "album", "genre", "path")
FLEX_MIN = 72
#: one clicked row plays at once with this many rows before it and after it queued;
#: the rest of the list joins the queue from a worker (see player.ui.tracks.playall)
PLAY_BEFORE, PLAY_AFTER = FIRST_BEFORE, FIRST_AFTER


class TrackView(QTableView):
    """A :class:`TrackTableModel` shown as a table; ``notice(AppError)`` for failures."""

    notice = Signal(object)
    recommend = Signal(str, object)  # "similar" | "radio", [track ids]

    def __init__(
        self,
        model: TrackTableModel,
        bridge: PlayerBridge,
        db: LibraryDB,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.track_model, self.bridge, self.db = model, bridge, db
        self.whole_list = WholeListPlayer(bridge, model.runner, model.db_path, self)
        self.setModel(model)
        self.setAccessibleName(self.tr("Tracks"))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setDragEnabled(True)  # rows drag out as track ids (onto a playlist in the sidebar)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu)
        self.doubleClicked.connect(self._double_clicked)
        ratings.install(self)  # stars, hearts and the keys 0–5
        vertical = self.verticalHeader()
        vertical.setVisible(False)
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(ROW_HEIGHT)
        header = self.horizontalHeader()
        header.setAccessibleName(self.tr("Columns: click to sort, right-click to choose"))
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._column_menu)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.sortIndicatorChanged.connect(self._sort_changed)
        header.setSectionsClickable(True)
        for i, col in enumerate(model.columns):
            header.resizeSection(i, col.width)
            header.setSectionHidden(i, not col.visible)
        keys = [c.key for c in model.columns]
        self._title = keys.index("title")
        self._flex = {keys.index(k) for k in FLEX_KEYS if k in keys}
        # the width each column would have with room to spare: the default, or the listener's
        self._wanted = {i: col.width for i, col in enumerate(model.columns)}
        header.sectionResized.connect(self._resized)
        header.sectionResized.connect(self._fit_title_later)
        header.geometriesChanged.connect(self._fit_title_later)
        model.modelReset.connect(self._forget_title_need)
        model.modelReset.connect(self._fit_title_later)
        model.dataChanged.connect(self._fit_title_later)
        self._title_need = (0, TITLE_MIN)
        self._fitting = False
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self.fit_title)

    # ---- the title takes the room the other columns leave --------------------------------
    # When the columns do not fit, the title first gives up the room its texts do not use
    # (down to the width of its longest shown title), then the name columns (artist,
    # album, ...) give up width in proportion down to FLEX_MIN, then the title down to
    # TITLE_MIN; only then does the list scroll sideways. With room again every column
    # goes back to the width it had.
    def set_compact(self, compact: bool) -> None:
        """Rows of the compact density (more rows on screen) or the roomy one."""
        height = COMPACT_ROW_HEIGHT if compact else ROW_HEIGHT
        self.verticalHeader().setDefaultSectionSize(height)

    def _forget_title_need(self) -> None:
        self._title_need = (0, TITLE_MIN)  # other rows: measured anew

    def title_need(self) -> int:
        """The width the title column's texts use (of the first rows read: measuring
        100,000 titles on the UI thread would stall it; new rows are measured once)."""
        rows = self.track_model.cached_rows()
        measured, need = self._title_need
        upto = min(len(rows), TITLE_SAMPLE)
        if measured >= upto and rows:
            return need
        column = self.track_model.columns[self._title]
        metrics = self.fontMetrics()
        texts = (column.text(r) for r in rows[measured:upto])
        widest = max((metrics.horizontalAdvance(t) for t in texts), default=0)
        need = max(need if measured else TITLE_MIN, min(TITLE_WANT, widest + 28))
        self._title_need = (upto, need)
        return need

    def _fit_title_later(self, *args: object) -> None:
        if not self._fitting:
            self._fit_timer.start()

    def _resized(self, index: int, _old: int, new: int) -> None:
        if not self._fitting and index != self._title:
            self._wanted[index] = new  # the listener dragged it (or a saved layout set it)

    def remember_widths(self) -> None:
        """Take the columns' present widths as wanted (after a saved layout was restored)."""
        header = self.horizontalHeader()
        for index in range(header.count()):
            if index != self._title:
                self._wanted[index] = header.sectionSize(index)
        self.fit_title()

    def header_state(self) -> QByteArray:
        """The header's layout with every column at its wanted width, not squeezed to fit now."""
        header = self.horizontalHeader()
        self._fitting = True
        try:
            for index, width in self._wanted.items():
                if index != self._title and not header.isSectionHidden(index):
                    header.resizeSection(index, width)
            state = header.saveState()
        finally:
            self._fitting = False
        self.fit_title()
        return state

    def fit_title(self) -> None:
        header = self.horizontalHeader()
        shown = [
            i for i in range(header.count()) if i != self._title and not header.isSectionHidden(i)
        ]
        sizes = {i: self._wanted.get(i, header.sectionSize(i)) for i in shown}
        room = self.viewport().width()
        short = self.title_need() - (room - sum(sizes.values()))
        flex = [i for i in shown if i in self._flex]
        slack = sum(max(0, sizes[i] - FLEX_MIN) for i in flex)
        if short > 0 and slack > 0:
            take = min(short, slack)
            given = 0
            for n, i in enumerate(flex):
                share = max(0, sizes[i] - FLEX_MIN)
                cut = take - given if n == len(flex) - 1 else take * share // slack
                cut = min(cut, share)
                sizes[i] -= cut
                given += cut
        width = max(TITLE_MIN, room - sum(sizes.values()))
        self._fitting = True
        try:
            for i, size in sizes.items():
                if header.sectionSize(i) != size:
                    header.resizeSection(i, size)
            if header.sectionSize(self._title) != width:
                header.resizeSection(self._title, width)
        finally:
            self._fitting = False

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self.fit_title()

    # ---- sorting and columns ------------------------------------------------------
    def _sort_changed(self, section: int, order: Qt.SortOrder) -> None:
        self.track_model.sort(section, order)

    def _column_menu(self, pos: QPoint) -> None:
        self.column_menu().exec(self.horizontalHeader().mapToGlobal(pos))

    def column_menu(self) -> QMenu:
        """Check a column to show it; "Natural order" drops the sort."""
        menu = QMenu(self)
        header = self.horizontalHeader()
        for i, col in enumerate(self.track_model.columns):
            title = (
                QCoreApplication.translate("Columns", col.title)
                if col.key != "track"
                else self.tr("Track number")
            )
            action = QAction(title, menu)
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(i))
            action.toggled.connect(lambda on, i=i: header.setSectionHidden(i, not on))
            menu.addAction(action)
        menu.addSeparator()
        natural = menu.addAction(self.tr("Natural order"))
        natural.triggered.connect(self.natural_order)
        return menu

    def natural_order(self) -> None:
        header = self.horizontalHeader()
        header.blockSignals(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.blockSignals(False)
        self.track_model.clear_sort()
        self.track_model.reload()

    # ---- acting on the selection ------------------------------------------------------
    def selected_rows(self) -> list[int]:
        return sorted({index.row() for index in self.selectionModel().selectedRows()})

    def play_rows(self, rows: list[int]) -> None:
        """Play *rows*; a single row plays the whole list from there (see WholeListPlayer)."""
        model = self.track_model
        if not rows:
            return
        if len(rows) == 1:
            start = rows[0]
            low = max(0, start - PLAY_BEFORE)
            span = list(range(low, min(model.rowCount(), start + PLAY_AFTER)))
            self.whole_list.play(list(model.ids), start, model.queue_items(span))
        else:
            self.bridge.play_items(model.queue_items(rows), 0)

    def _double_clicked(self, index: QModelIndex) -> None:
        if not ratings.is_control(self, index.column()):  # a star or heart was clicked
            self.play_rows([index.row()])

    def edit_tags(self, rows: list[int] | None = None) -> None:
        """Open the tag editor on *rows* (default: the selection)."""
        from player.ui.tracks.tageditor import TagEditor

        rows = self.selected_rows() if rows is None else rows
        ids = [self.track_model.ids[r] for r in rows if 0 <= r < len(self.track_model.ids)]
        if ids:
            TagEditor.open_for(self, ids)

    def play_selection(self) -> None:
        rows = self.selected_rows() or (
            [self.currentIndex().row()] if self.currentIndex().isValid() else []
        )
        self.play_rows(rows)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.play_selection()
            event.accept()
            return
        super().keyPressEvent(event)

    def _menu(self, pos: QPoint) -> None:
        menu = self.context_menu()
        if menu is not None:
            menu.exec(self.viewport().mapToGlobal(pos))

    def context_menu(self) -> QMenu | None:
        rows = self.selected_rows()
        if not rows:
            return None
        model = self.track_model
        menu = QMenu(self)
        menu.setAccessibleName(self.tr("Track actions"))
        menu.addAction(self.tr("Play"), lambda: self.play_rows(rows))
        menu.addAction(self.tr("Play next"), lambda: self.bridge.play_next(model.queue_items(rows)))
        menu.addAction(
            self.tr("Add to queue"), lambda: self.bridge.enqueue(model.queue_items(rows))
        )
        add = menu.addMenu(self.tr("Add to playlist"))
        try:
            normal = [p for p in playlists.list_playlists(self.db) if not p.is_smart]
        except Exception:  # a listing problem must not block the menu
            normal = []
        for info in normal:
            add.addAction(info.name, lambda pid=info.id: self._add_to_playlist(pid, rows))
        add.setEnabled(bool(normal))
        menu.addSeparator()
        ids = [model.ids[r] for r in rows if 0 <= r < len(model.ids)]
        menu.addAction(self.tr("Similar tracks"), lambda: emit(self.recommend, "similar", ids[:1]))
        menu.addAction(self.tr("Start radio"), lambda: emit(self.recommend, "radio", ids))
        menu.addSeparator()
        menu.addAction(self.tr("Edit tags…"), lambda: self.edit_tags(rows))
        menu.addAction(self.tr("Open containing folder"), lambda: self._open_folder(rows))
        menu.addAction(self.tr("Copy path"), lambda: self.copy_paths(rows))
        return menu

    def _paths(self, rows: list[int]) -> list[str]:
        out = []
        for r in rows:
            row: dict[str, Any] | None = self.track_model.row(r)
            if row and row.get("path"):
                out.append(row["path"])
        return out

    def copy_paths(self, rows: list[int]) -> None:
        QGuiApplication.clipboard().setText("\n".join(self._paths(rows)))

    def _open_folder(self, rows: list[int]) -> None:
        folders = {str(Path(p).parent) for p in self._paths(rows)}
        for folder in sorted(folders)[:5]:
            if os.path.isdir(folder):
                QDesktopServices.openUrl(QUrl.fromLocalFile(folder))

    def _add_to_playlist(self, playlist_id: int, rows: list[int]) -> None:
        from player.errors import AppError

        ids = [self.track_model.ids[r] for r in rows]
        try:
            playlists.add_to_playlist(self.db, playlist_id, ids)  # type: ignore[arg-type]
        except AppError as exc:
            emit(self.notice, exc)

    def current_index_for(self, track_id: int) -> QModelIndex:
        try:
            return self.track_model.index(self.track_model.ids.index(track_id), 0)
        except ValueError:
            return QModelIndex()


class TracksWindow(KindredWindow, Protocol):
    """The window as features that reach into its track lists use it."""

    def track_views(self) -> list[TrackView]: ...
    def each_track_view(self, wire: Callable[[TrackView], None]) -> None:
        """``wire(view)`` for every track list, now and on pages built later."""
        ...
