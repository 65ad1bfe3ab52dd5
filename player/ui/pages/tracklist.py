"""A track-list page: a title, a count and a lazy track table for one track source.

Track lists share one :class:`~player.ui.tracks.model.TrackTableModel` class.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QVBoxLayout,
    QWidget,
)

from player.library.store import LibraryDB
from player.library.trackquery import TrackSource
from player.ui.kit.bridge import PlayerBridge
from player.ui.kit.tasks import TaskRunner
from player.ui.pages.layout import page_header
from player.ui.tracks.model import TrackTableModel
from player.ui.tracks.view import TrackView


class TrackListPage(QWidget):
    """A title, a count and a lazy track table for one :class:`TrackSource`."""

    #: the table class (a playlist page uses one that can reorder and remove)
    view_class: type[TrackView] = TrackView

    def __init__(
        self,
        db: LibraryDB,
        db_path: str | Path,
        runner: TaskRunner,
        bridge: PlayerBridge,
        parent: QWidget | None = None,
        *,
        header: bool = True,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("Page")
        self.model = TrackTableModel(db, db_path, runner)
        self.view = self.view_class(self.model, bridge, db, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.header, self.title, self.subtitle = page_header(self, "")
        self.header.setVisible(header)
        layout.addWidget(self.header)
        table_box = QWidget(self)
        box = QVBoxLayout(table_box)
        box.setContentsMargins(12, 0, 12, 0)
        box.addWidget(self.view)
        layout.addWidget(table_box, 1)
        self.model.loaded.connect(self._count)
        self.model.modelReset.connect(lambda: self.view.scrollToTop())

    def show_source(self, source: TrackSource) -> None:
        self.title.setText(source.title)
        self.subtitle.setText(QCoreApplication.translate("TrackListPage", "Loading…"))
        self.model.set_source(source)

    def _count(self, count: int) -> None:
        self.subtitle.setText(self.tr("%Ln tracks", "", count))  # PlaylistPage has its own
