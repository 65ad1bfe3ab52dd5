"""The library as a lazy tree: groups (Artist › Album › Track, Genre › Artist › Album, ...)
or folders, each level read on a worker when it is first expanded, or before: the
children of the current row and of the groups on screen are read ahead
(:meth:`LibraryTreeModel.prefetch`) and put under their collapsed rows, so expanding one
shows them in the same event.

:class:`LibraryTreeModel` asks the store (:mod:`player.library.store.browse`) for one
node's children at a time, off the UI thread, and hands them to the view in slices
(``canFetchMore``/``fetchMore``), so a level of thousands of groups never blocks the
window; a reload (a filter, another grouping) keeps the rows shown until the new top
level is read and shows it in one reset. A search text filters every level (the track
search's query syntax). A node drags out as its tracks
(:data:`~player.ui.tracks.dnd.TRACK_IDS_MIME`) in tree order; the ids of the selected
nodes are read on a worker once the selection rests, and a drag that starts before they
are read begins when they are (the view's ``startDrag``), so no drag reads them on the
UI thread.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from player.library.query import compile_query
from player.library.store import browse as store
from player.library.store import reader
from player.ui.kit.qtfix import emit
from player.ui.kit.tasks import TaskRunner
from player.ui.tracks.columns import duration_text
from player.ui.tracks.dnd import TRACK_IDS_MIME, track_mime

_Index = QModelIndex | QPersistentModelIndex
#: the grouping that shows folders instead of tag groups
FOLDERS = "folder"
#: how many children a fetch hands the view at once
SLICE = 500
_TOP_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_ROW_FLAGS = _TOP_FLAGS | Qt.ItemFlag.ItemIsDragEnabled
_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole.value)
_ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole.value)
_RIGHT = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)
#: how many groups on screen (and the current one) have their children read ahead
PREFETCH = 80
#: the largest node read ahead (a library folder's subfolders are the whole library's)
PREFETCH_TRACKS = 5000


@dataclass(eq=False)
class Node:
    """One row of the tree: a group, a folder or a track."""

    kind: str  # "root", "group", "folder" or "track"
    label: str = ""
    count: int = 0
    key: tuple[Any, ...] = ()  # a group: its level's values
    folder: str = ""  # a folder: its full path
    track_id: int = 0
    duration: float | None = None
    parent: Node | None = None
    children: list[Node] | None = None  # None until read
    pending: list[Any] = field(default_factory=list)  # read, not yet shown (rows or nodes)
    loading: bool = False
    pos: int = 0  # its row under its parent
    openable: bool = True  # False: known to have no children (a folder without subfolders)
    side: str = ""  # the second column's text: the track count, or a track's duration

    def path(self) -> list[tuple[Any, ...]]:
        """The values of the groups from the top down to this one."""
        out: list[tuple[Any, ...]] = []
        node: Node | None = self
        while node is not None and node.kind == "group":
            out.append(node.key)
            node = node.parent
        return out[::-1]

    def row(self) -> int:
        return self.pos


def _filter(text: str) -> tuple[str, list[Any]]:
    if not text.strip():
        return "1", []
    compiled = compile_query(text)
    return compiled.where, list(compiled.params)


def read_children(
    db_path: str | Path,
    grouping: str,
    kind: str,
    path: list[tuple[Any, ...]],
    folder: str,
    text: str,
    show_tracks: bool,
) -> list[tuple[Any, ...]]:
    """A node's children as plain tuples (runs on a worker): ``("group", key, count)``,
    ``("folder", name, full path, count, has subfolders)`` or ``("track", id, title, artist, number,
    duration)``."""
    db = reader(db_path)
    where, params = _filter(text)
    out: list[tuple[Any, ...]] = []
    if grouping == FOLDERS:
        for name, full, count, deeper in store.subfolders(db, folder, where, params):
            out.append(("folder", name, full, count, deeper))
        if show_tracks:
            out.extend(("track", *row) for row in store.folder_tracks(db, folder, where, params))
        return out
    if len(path) < len(store.GROUPINGS[grouping]):
        return [
            ("group", key, count) for key, count in store.groups(db, grouping, path, where, params)
        ]
    return [("track", *row) for row in store.tracks(db, grouping, path, where, params)]


def read_levels(
    db_path: str | Path,
    grouping: str,
    specs: Sequence[tuple[list[tuple[Any, ...]], str]],
    text: str,
    show_tracks: bool,
) -> list[list[tuple[Any, ...]]]:
    """The children of several nodes (each its path and folder), as :func:`read_children`
    reads them (on a worker: the read-ahead of the groups on screen)."""
    return [
        read_children(db_path, grouping, "", path, folder, text, show_tracks)
        for path, folder in specs
    ]


def read_roots(db_path: str | Path, roots: Sequence[str], text: str) -> list[tuple[Any, ...]]:
    """The library folders that hold (matching) tracks, with their counts (on a worker)."""
    db = reader(db_path)
    where, params = _filter(text)
    out = []
    for root in [*roots, *store.loose_roots(db, roots)]:
        count = store.folder_count(db, root, where, params)
        if count:
            out.append(("folder", root, root, count, True))
    return out


def read_ids(
    db_path: str | Path, grouping: str, specs: Sequence[tuple[Any, ...]], text: str
) -> list[int]:
    """The track ids of several nodes, in order, without repeats (on a worker or not)."""
    db = reader(db_path)
    where, params = _filter(text)
    ids: list[int] = []
    for kind, value in specs:
        if kind == "track":
            ids.append(value)
        elif kind == "folder":
            ids.extend(store.folder_track_ids(db, value, where, params))
        else:
            ids.extend(store.group_track_ids(db, grouping, value, where, params))
    seen: set[int] = set()
    return [i for i in ids if not (i in seen or seen.add(i))]


class LibraryTreeModel(QAbstractItemModel):
    """The library as a lazy tree for one grouping (or folders), filtered by a search text.

    ``loaded()`` after each node's children arrive; ``failed(error)`` when a read fails
    (a malformed search text).
    """

    loaded = Signal()
    failed = Signal(object)

    def __init__(
        self,
        db_path: str | Path,
        runner: TaskRunner,
        grouping: str = "artist_album",
        *,
        show_tracks: bool = True,
        roots: Callable[[], list[str]] | None = None,
        labels: Callable[[str, tuple[Any, ...], int], str] | None = None,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.db_path, self.runner = db_path, runner
        self.grouping, self.text, self.show_tracks = grouping, "", show_tracks
        self.roots = roots or (lambda: [])
        self.labels = labels or (lambda level, key, depth: str(key[0]))
        self.root = Node("root")
        #: the next top level, being read (see :meth:`reload`)
        self._incoming: Node | None = None
        self.generation = 0
        self.reading = 0  # reads under way
        self._ids_cache: tuple[Any, list[int]] | None = None
        #: the ids being read on a worker: (key, who waits for them)
        self._ids_reading: tuple[Any, list[Callable[[], None]]] | None = None

    # ---- what is shown ----------------------------------------------------------------
    @property
    def loading(self) -> bool:
        return self.reading > 0

    def set_grouping(self, grouping: str) -> None:
        self.grouping = grouping
        self.reload()

    def set_filter(self, text: str) -> None:
        self.text = text
        self.reload()

    def reload(self) -> None:
        """Forget every read node and read the top level again; the tree shows what it
        showed until the new top level is read, then shows that in one reset (no empty
        tree drawn in between, e.g. while a filter is typed)."""
        self.generation += 1
        self.reading = 0
        self._incoming = Node("root")
        self._read(self._incoming)

    def node(self, index: _Index) -> Node:
        return index.internalPointer() if index.isValid() else self.root  # type: ignore[return-value]

    def index_of(self, node: Node) -> QModelIndex:
        if node is self.root or node.parent is None:
            return QModelIndex()
        return self.createIndex(node.row(), 0, node)

    # ---- QAbstractItemModel -----------------------------------------------------------
    # index() and parent() run thousands of times per key press (the selection and the
    # layout walk the rows): no helper calls here
    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        node = parent.internalPointer() if parent.isValid() else self.root
        children = node.children  # type: ignore[union-attr]
        if children is not None and 0 <= row < len(children) and 0 <= column < 2:
            return self.createIndex(row, column, children[row])
        return QModelIndex()

    def parent(self, index: _Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        node = index.internalPointer() if index.isValid() else None
        up = node.parent if node is not None else None  # type: ignore[union-attr]
        if up is None or up.parent is None:  # a top-level row (or none)
            return QModelIndex()
        return self.createIndex(up.pos, 0, up)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self.node(parent).children or [])

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 2

    def hasChildren(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        if not parent.isValid():
            return True
        node: Node = parent.internalPointer()  # type: ignore[assignment]
        if node.kind == "track" or not node.openable or parent.column() != 0:
            return False
        return node.children is None or bool(node.children or node.pending)

    def canFetchMore(self, parent: _Index) -> bool:
        node = self.node(parent)
        if node.kind == "track" or not node.openable or self._incoming is not None:
            return False
        if self.generation == 0:  # never loaded: the page reloads it when first shown
            return False
        return (node.children is None and not node.loading) or bool(node.pending)

    def fetchMore(self, parent: _Index) -> None:
        if not self.canFetchMore(parent):
            return
        node = self.node(parent)
        if node.children is None:
            if not node.loading:
                self._read(node)
        elif node.pending:
            self._show_slice(node)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return ("", "")[section]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        # the view asks for every laid-out row on each expand: no enum arithmetic here
        return _ROW_FLAGS if index.isValid() else _TOP_FLAGS

    def data(self, index: _Index, role: int = _DISPLAY) -> Any:
        # asked for about seven roles per cell on every paint: plain int compares, the
        # texts made once when the node was (no enum look-ups, no formatting here)
        node: Node | None = index.internalPointer()  # type: ignore[assignment]
        if node is None:
            return None
        if role == _DISPLAY:
            return node.label if index.column() == 0 else node.side
        if role == _TOOLTIP:
            return node.folder if node.kind == "folder" else node.label
        if role == _ALIGN:
            return _RIGHT if index.column() == 1 else None
        if role == _ACCESSIBLE and index.column() == 0:
            return node.label
        return None

    # ---- drag -------------------------------------------------------------------------
    def mimeTypes(self) -> list[str]:
        return [TRACK_IDS_MIME]

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        return track_mime(self.track_ids(indexes))

    def specs(self, indexes: Sequence[_Index]) -> list[tuple[Any, ...]]:
        """What identifies the nodes of *indexes* (outermost first, children of a chosen
        node left out) for :func:`read_ids`."""
        nodes: list[Node] = []
        for index in indexes:
            node = self.node(index)
            if node is not self.root and node not in nodes:
                nodes.append(node)
        chosen = set(map(id, nodes))

        def covered(node: Node) -> bool:
            parent = node.parent
            while parent is not None:
                if id(parent) in chosen:
                    return True
                parent = parent.parent
            return False

        out: list[tuple[Any, ...]] = []
        for node in nodes:
            if covered(node):
                continue
            if node.kind == "track":
                out.append(("track", node.track_id))
            elif node.kind == "folder":
                out.append(("folder", node.folder))
            else:
                out.append(("group", node.path()))
        return out

    def track_ids(self, indexes: Sequence[_Index]) -> list[int]:
        """The tracks of the nodes of *indexes* in tree order (read now, on this thread,
        unless :meth:`prefetch_ids` already read them: the view's drags wait for that)."""
        specs = self.specs(indexes)
        cached = self._ids_cache
        if cached is not None and cached[0] == (self.generation, specs):
            return list(cached[1])
        return read_ids(self.db_path, self.grouping, specs, self.text)

    def ids_ready(self, indexes: Sequence[_Index]) -> bool:
        """The tracks of *indexes* are read (a drag of them reads nothing on this thread)."""
        cached = self._ids_cache
        return cached is not None and cached[0] == (self.generation, self.specs(indexes))

    def prefetch_ids(
        self, indexes: Sequence[_Index], then: Callable[[], None] | None = None
    ) -> None:
        """Read the tracks of *indexes* on a worker (for the drag that may follow); *then*
        is called once they are read (at once when they are), not when the read fails or
        other nodes were asked for meanwhile."""
        specs = self.specs(indexes)
        if not specs:
            return
        key = (self.generation, specs)
        cached = self._ids_cache
        if cached is not None and cached[0] == key:
            if then is not None:
                then()
            return
        reading = self._ids_reading
        if reading is None or reading[0] != key:
            reading = (key, [])
            self._ids_reading = reading
            task = self.runner.submit(
                read_ids, self.db_path, self.grouping, specs, self.text, name="browser ids"
            )
            task.done.connect(lambda ids, error: self._ids_read(key, ids, error))
        if then is not None:
            reading[1].append(then)

    def _ids_read(self, key: Any, ids: list[int] | None, error: object) -> None:
        waiting: list[Callable[[], None]] = []
        if self._ids_reading is not None and self._ids_reading[0] == key:
            waiting = self._ids_reading[1]
            self._ids_reading = None
        if error is not None or ids is None:
            return
        self._ids_cache = (key, ids)
        for then in waiting:
            then()

    # ---- reading ----------------------------------------------------------------------
    def _read(self, node: Node) -> None:
        node.loading = True
        self.reading += 1
        generation = self.generation
        if node.kind == "root" and self.grouping == FOLDERS:
            task = self.runner.submit(
                read_roots, self.db_path, list(self.roots()), self.text, name="browser roots"
            )
        else:
            task = self.runner.submit(
                read_children,
                self.db_path,
                self.grouping,
                node.kind,
                node.path(),
                node.folder,
                self.text,
                self.show_tracks,
                name="browser level",
            )
        task.done.connect(lambda rows, error: self._arrived(generation, node, rows, error))

    def _arrived(self, generation: int, node: Node, rows: Any, error: object) -> None:
        if generation != self.generation:
            return  # the tree was read again meanwhile
        self.reading = max(0, self.reading - 1)
        if error is not None:
            emit(self.failed, error)
            rows = []
        if node is self._incoming:  # a new top level: shown in one reset
            self._incoming = None
            self.beginResetModel()
            self.root = node
            self._fill(node, rows or [], quiet=True)
            self.endResetModel()
        else:
            self._fill(node, rows or [])
        emit(self.loaded)

    def _fill(self, node: Node, rows: list[tuple[Any, ...]], quiet: bool = False) -> None:
        """Take a node's children as read: the first slice is shown, the rest waits in
        ``pending``; the rows become :class:`Node` objects a slice at a time (a level of
        thousands costs only the rows shown)."""
        node.loading = False
        node.children = []
        node.pending = list(rows)
        if rows:
            self._show_slice(node, quiet)
        elif node.kind != "root":
            index = self.index_of(node)
            self.dataChanged.emit(index, index)  # no arrow any more

    def _make(self, parent: Node, rows: Sequence[Node | tuple[Any, ...]]) -> list[Node]:
        """Nodes under *parent* for *rows* (read rows, or nodes already made)."""
        depth = len(parent.path())
        levels = store.GROUPINGS.get(self.grouping, ())
        level = levels[depth] if depth < len(levels) else ""
        labels, top = self.labels, parent.kind == "root"
        made: list[Node] = []
        for row in rows:
            if isinstance(row, Node):
                made.append(row)
            elif row[0] == "group":
                label = labels(level, row[1], depth)
                made.append(Node("group", label, row[2], key=row[1], parent=parent))
                made[-1].side = str(row[2])
            elif row[0] == "folder":
                name = os.path.basename(row[1].rstrip("/")) if top else row[1]
                folder = Node("folder", name or row[1], row[3], folder=row[2], parent=parent)
                folder.openable = self.show_tracks or row[4]  # else no arrow on a leaf
                folder.side = str(row[3])
                made.append(folder)
            else:
                _, track_id, title, artist, number, duration = row
                label = f"{number:02d}. {title}" if number else title
                track = Node("track", label or artist, track_id=track_id, parent=parent)
                track.duration = duration
                track.side = duration_text(duration) if duration else ""
                made.append(track)
        return made

    def all_children(self, node: Node) -> list[Node]:
        """Every child read of *node*: those shown, then those waiting for a fetch."""
        node.pending = self._make(node, node.pending)  # type: ignore[arg-type]
        return [*(node.children or []), *node.pending]

    def _show_slice(self, node: Node, quiet: bool = False) -> None:
        """Show the next slice of *node*'s children (*quiet*: within a model reset)."""
        assert node.children is not None
        batch = self._make(node, node.pending[:SLICE])  # type: ignore[arg-type]
        node.pending = node.pending[SLICE:]
        first = len(node.children)
        for pos, child in enumerate(batch, first):
            child.pos = pos
        if quiet:
            node.children.extend(batch)
            return
        self.beginInsertRows(self.index_of(node), first, first + len(batch) - 1)
        node.children.extend(batch)
        self.endInsertRows()

    # ---- reading ahead ----------------------------------------------------------------
    def prefetch(self, nodes: Sequence[Node]) -> None:
        """Read the children of *nodes* (groups or folders not read yet) on a worker, in one
        go, so that expanding one of them later shows its children at once, with no
        round trip to a worker."""
        if self._incoming is not None:
            return  # the tree is about to be read again
        if self.grouping == FOLDERS and not self.show_tracks:
            wanted = [n for n in nodes if n.kind == "folder" and n.openable]
        else:
            wanted = [n for n in nodes if n.kind in ("group", "folder")]
        wanted = [
            n for n in wanted if n.children is None and not n.loading and n.count <= PREFETCH_TRACKS
        ][:PREFETCH]
        if not wanted:
            return
        for node in wanted:
            node.loading = True
        generation = self.generation
        specs = [(n.path(), n.folder) for n in wanted]
        task = self.runner.submit(
            read_levels,
            self.db_path,
            self.grouping,
            specs,
            self.text,
            self.show_tracks,
            name="browser read-ahead",
        )
        task.done.connect(lambda rows, error: self._prefetched(generation, wanted, rows, error))

    def _prefetched(self, generation: int, nodes: list[Node], levels: Any, error: object) -> None:
        if generation != self.generation:
            return
        if error is not None or levels is None:  # read again when expanded
            for node in nodes:
                node.loading = False
            return
        for node, rows in zip(nodes, levels, strict=True):
            if node.children is None:
                # shown under the collapsed node: expanding it then lays out that node
                # alone (rows inserted under an expanded one lay out the whole tree again)
                self._fill(node, rows)
        emit(self.loaded)
