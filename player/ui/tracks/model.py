"""A table model over the library's SQL that reads rows only as they are shown.

The sorted list of ids comes from a worker (:func:`player.library.trackquery.load_ids`);
rows are then read in pages of :data:`PAGE`, also on a worker, when the view
first paints one of them (the cells stay blank for the few milliseconds that
takes), and a bounded number of pages is kept. A 100,000-track library costs
one list of ints and the handful of pages on screen; the UI thread never waits
for SQL while scrolling. Sorting is done by SQL on the worker as well.
:meth:`TrackTableModel.row` still reads synchronously, for actions on a selection.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont

from player.audio.queue import QueueItem
from player.library.search import fetch_rows
from player.library.store import LibraryDB, reader
from player.library.trackquery import TrackSource, load_ids
from player.ui.kit.qtfix import emit
from player.ui.kit.tasks import TaskRunner
from player.ui.tracks.columns import COLUMNS, Column
from player.ui.tracks.dnd import TrackDragMixin

PAGE = 200
MAX_PAGES = 40
TRACK_ID_ROLE = Qt.ItemDataRole.UserRole + 1

_Index = QModelIndex | QPersistentModelIndex


class TrackTableModel(TrackDragMixin, QAbstractTableModel):
    """Rows of one :class:`TrackSource`; ``loaded(count)`` after each (re)load.

    Rows drag out as track ids (:class:`~player.ui.tracks.dnd.TrackDragMixin`)."""

    loaded = Signal(int)
    failed = Signal(object)  # the AppError (e.g. a QueryError) of a load

    def __init__(
        self,
        db: LibraryDB,
        db_path: str | Path,
        runner: TaskRunner,
        columns: tuple[Column, ...] = COLUMNS,
    ) -> None:
        super().__init__()
        self.db, self.db_path, self.runner = db, db_path, runner
        self.columns = columns
        self.source = TrackSource()
        self.ids: list[int] = []
        self._pages: OrderedDict[int, list[dict[str, Any]]] = OrderedDict()
        self._inflight: set[int] = set()
        self._page_generation = 0  # bumped whenever ids change: older page reads are dropped
        self._sort: tuple[str, bool] | None = None
        self._generation = 0
        self.loading = False
        self.playing_id: int | None = None
        self._bold = QFont()
        self._bold.setBold(True)
        #: column key -> text by track id, for columns not read from the library (comments)
        self.cell_text: dict[str, Callable[[int], str]] = {}

    # ---- loading -----------------------------------------------------------------
    def set_source(self, source: TrackSource) -> None:
        self.source = source
        self.reload()

    def reload(self) -> None:
        """Read the ids again (after a scan, a sort or a new source), off the UI thread."""
        self._generation += 1
        generation = self._generation
        self.loading = True
        sort, descending = self._sort if self._sort else (None, False)
        task = self.runner.submit(
            load_ids, self.db_path, self.source, sort, descending, name="track ids"
        )
        task.done.connect(lambda ids, error: self._ids_ready(generation, ids, error))

    def _ids_ready(self, generation: int, ids: list[int] | None, error: object) -> None:
        if generation != self._generation:
            return  # a newer load is on its way
        self.loading = False
        if error is not None:
            emit(self.failed, error)
            return
        self.beginResetModel()
        self.ids = ids or []
        self._pages.clear()
        self._inflight.clear()
        self._page_generation += 1
        self.endResetModel()
        emit(self.loaded, len(self.ids))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.set_sort(column, order)
        self.reload()

    def set_sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Choose the sort for the next load without loading now."""
        if not 0 <= column < len(self.columns) or not self.columns[column].sortable:
            self._sort = None
        else:
            self._sort = (self.columns[column].key, order == Qt.SortOrder.DescendingOrder)

    def clear_sort(self) -> None:
        self._sort = None

    # ---- rows --------------------------------------------------------------------
    def row(self, row: int) -> dict[str, Any] | None:
        """The track row at *row*, reading its page now if needed (for actions, not painting)."""
        if not 0 <= row < len(self.ids):
            return None
        page_no, offset = divmod(row, PAGE)
        page = self._pages.get(page_no)
        if page is None:
            page_ids = self.ids[page_no * PAGE : (page_no + 1) * PAGE]
            page = self._store(page_no, page_ids, fetch_rows(self.db, page_ids))
        else:
            self._pages.move_to_end(page_no)
        return page[offset]

    def cached_rows(self, limit: int = 2000) -> list[dict[str, Any]]:
        """Rows already in memory (at most *limit*), without reading anything."""
        out: list[dict[str, Any]] = []
        for page in list(self._pages.values()):
            out.extend(r for r in page if r)
            if len(out) >= limit:
                break
        return out[:limit]

    def shown_row(self, row: int) -> dict[str, Any] | None:
        """The row if its page is in memory; otherwise None now, and the page is read
        on a worker (``dataChanged`` follows)."""
        page_no, offset = divmod(row, PAGE)
        page = self._pages.get(page_no)
        if page is not None:
            return page[offset]
        if page_no not in self._inflight:
            self._inflight.add(page_no)
            generation = self._page_generation
            page_ids = self.ids[page_no * PAGE : (page_no + 1) * PAGE]
            task = self.runner.submit(read_page, self.db_path, page_ids, name="track page")
            task.done.connect(
                lambda rows, error: self._page_ready(generation, page_no, page_ids, rows, error)
            )
        return None

    def _store(
        self, page_no: int, page_ids: list[int], rows: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        by_id = {r["id"]: r for r in rows}
        page = [by_id.get(i) or _gone(i) for i in page_ids]
        self._pages[page_no] = page
        while len(self._pages) > MAX_PAGES:
            self._pages.popitem(last=False)
        return page

    def _page_ready(
        self,
        generation: int,
        page_no: int,
        page_ids: list[int],
        rows: list[dict[str, Any]] | None,
        error: object,
    ) -> None:
        self._inflight.discard(page_no)
        if generation != self._page_generation or error is not None or rows is None:
            return
        self._store(page_no, page_ids, rows)
        first = page_no * PAGE
        last = min(len(self.ids), first + PAGE) - 1
        if last >= first:
            emit(self.dataChanged, self.index(first, 0), self.index(last, len(self.columns) - 1))

    def queue_items(self, rows: list[int]) -> list[QueueItem]:
        """Queue items for *rows* (read in one batch; removed tracks are skipped)."""
        ids = [self.ids[r] for r in rows if 0 <= r < len(self.ids)]
        by_id = {row["id"]: row for row in fetch_rows(self.db, ids)}
        return [QueueItem.from_row(by_id[i]) for i in ids if i in by_id and by_id[i].get("path")]

    def update_tracks(self, track_ids: Iterable[int], values: dict[str, Any] | None = None) -> None:
        """Show changed tracks at once: patch their cached rows with *values*, or (when
        the whole row changed, e.g. after a tag edit) drop their pages so they are re-read."""
        wanted = set(track_ids)
        touched: list[int] = []
        for page_no, page in list(self._pages.items()):
            hits = [i for i, row in enumerate(page) if row["id"] in wanted]
            if not hits:
                continue
            if values is None:
                del self._pages[page_no]
            else:
                for i in hits:
                    page[i].update(values)
            touched += [page_no * PAGE + i for i in hits]
        if self._inflight:  # reads on their way may hold the old rows: read those pages again
            self._page_generation += 1
            for page_no in self._inflight:
                touched += range(page_no * PAGE, min(len(self.ids), (page_no + 1) * PAGE))
            self._inflight.clear()
        last = len(self.columns) - 1
        for row in sorted(set(touched)):
            emit(self.dataChanged, self.index(row, 0), self.index(row, last))

    def set_playing(self, track_id: int | None) -> None:
        """Mark the playing track (shown bold)."""
        if track_id == self.playing_id:
            return
        self.playing_id = track_id
        if self.ids:
            emit(
                self.dataChanged,
                self.index(0, 0),
                self.index(len(self.ids) - 1, len(self.columns) - 1),
                [Qt.ItemDataRole.FontRole],
            )

    # ---- QAbstractTableModel ------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.ids)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == TRACK_ID_ROLE:
            return self.ids[index.row()]
        col = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            outside = self.cell_text.get(col.key)
            if outside is not None:
                return outside(self.ids[index.row()])
            data = self.shown_row(index.row())
            return col.text(data) if data else ""
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(col.align | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole:
            if self.playing_id is not None and self.ids[index.row()] == self.playing_id:
                return self._bold
            return None
        if role == Qt.ItemDataRole.ToolTipRole and col.key in ("title", "path"):
            data = self.shown_row(index.row())
            return data["path"] if data else None
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            col = self.columns[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return QCoreApplication.translate("Columns", col.title)
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(col.align | Qt.AlignmentFlag.AlignVCenter)
        return None


def read_page(db_path: str | Path, ids: list[int]) -> list[dict[str, Any]]:
    """Rows for *ids* through this worker thread's own connection."""
    return fetch_rows(reader(db_path), ids)


def _gone(track_id: int) -> dict[str, Any]:
    """A placeholder for a track deleted since the ids were read."""
    from player.library.search import LIST_COLUMNS

    row: dict[str, Any] = {name: None for name in LIST_COLUMNS}
    row.update(
        id=track_id,
        path="",
        title=QCoreApplication.translate("TrackModel", "(removed)"),
        artist="",
        album="",
        genre="",
        format="",
        codec="",
        added_at=None,
        play_count=0,
        rating=0,
    )
    return row


def serve_column(views: Iterable[Any], key: str, text: Callable[[int], str], changed: Any) -> None:
    """Fill column *key* of every track list in *views* from ``text(track_id)``.

    For columns whose values live outside the tracks table (comment counts on
    the server, measured loudness): each list asks *text* for the rows it
    paints, and repaints that column whenever the signal *changed* fires.
    """
    for view in views:
        model = getattr(view, "track_model", None)
        keys = [c.key for c in getattr(model, "columns", ())]
        if model is None or key not in keys:
            continue
        model.cell_text[key] = text
        column = keys.index(key)

        def repaint(model: Any = model, column: int = column) -> None:
            if model.ids:
                last = model.index(len(model.ids) - 1, column)
                emit(model.dataChanged, model.index(0, column), last)

        changed.connect(repaint)
