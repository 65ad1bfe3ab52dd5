"""The browse-by page: categories (artist, genre, folder; read on a worker) beside a track
list of the chosen one."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, QStringListModel, Qt
from PySide6.QtWidgets import (
    QListView,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from player.library.store import LibraryDB
from player.library.trackquery import categories
from player.ui.kit.bridge import PlayerBridge
from player.ui.kit.tasks import TaskRunner
from player.ui.pages.layout import page_header
from player.ui.pages.tracklist import TrackListPage
from player.ui.tracks.sources import category_source


class CategoryPage(QWidget):
    """Artists, genres or folders on the left; the chosen one's tracks on the right."""

    def __init__(
        self,
        kind: str,
        title: str,
        db: LibraryDB,
        db_path: str | Path,
        runner: TaskRunner,
        bridge: PlayerBridge,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("Page")
        self.kind, self.db_path, self.runner = kind, db_path, runner
        self.names: list[str] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        header, self.title, self.subtitle = page_header(self, title)
        layout.addWidget(header)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.list = QListView(self.splitter)
        self.list.setObjectName("CategoryList")
        self.list.setAccessibleName(title)
        self.list.setUniformItemSizes(True)
        self.list_model = QStringListModel(self)
        self.list.setModel(self.list_model)
        self.tracks = TrackListPage(db, db_path, runner, bridge, self.splitter)
        self.splitter.addWidget(self.list)
        self.splitter.addWidget(self.tracks)
        self.splitter.setSizes([220, 840])
        self.splitter.setStretchFactor(1, 1)
        layout.addWidget(self.splitter, 1)
        self.list.selectionModel().currentChanged.connect(self._chosen)
        self.list.activated.connect(self._chosen)

    def reload(self) -> None:
        task = self.runner.submit(categories, self.db_path, self.kind, name=f"{self.kind} list")
        task.done.connect(self._listed)

    def _listed(self, rows: list[tuple[str, int]] | None, error: object) -> None:
        rows = rows or []
        self.names = [name for name, _ in rows]
        unknown, counted = {
            "artist": (self.tr("Unknown artist"), self.tr("%Ln artists", "", len(rows))),
            "genre": (self.tr("No genre"), self.tr("%Ln genres", "", len(rows))),
            "folder": (self.tr("(no folder)"), self.tr("%Ln folders", "", len(rows))),
        }[self.kind]
        self.list_model.setStringList([f"{name or unknown}  ·  {count}" for name, count in rows])
        self.subtitle.setText(counted)

    def select(self, name: str) -> bool:
        """Show *name*'s tracks (used by the now-playing bar's artist link)."""
        if name in self.names:
            index = self.list_model.index(self.names.index(name))
            self.list.setCurrentIndex(index)
            self.list.scrollTo(index)
            return True
        self.tracks.show_source(category_source(self.kind, name))
        return False

    def _chosen(self, index: QModelIndex) -> None:
        row = index.row()
        if 0 <= row < len(self.names):
            self.tracks.show_source(category_source(self.kind, self.names[row]))
