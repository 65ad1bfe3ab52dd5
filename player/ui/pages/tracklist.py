"""The centre pages: a track list, browse-by (artist/genre/folder), radio, placeholders, welcome.

Each page is a plain widget the main window puts in its stack. Track lists
share one :class:`~player.ui.tracks.model.TrackTableModel` class; browse pages
list categories (read on a worker) beside a track list of the chosen one.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QModelIndex, QSize, QStringListModel, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from player.audio.queue import QueueItem
from player.library.db import LibraryDB
from player.library.radio import RadioStation, RadioStations
from player.ui.kit.bridge import PlayerBridge
from player.ui.kit.tasks import TaskRunner
from player.ui.kit.theme import Theme
from player.ui.tracks.model import TrackTableModel
from player.ui.tracks.trackquery import TrackSource, categories, category_source
from player.ui.tracks.view import TrackView


def page_header(parent: QWidget, title: str, subtitle: str = "") -> tuple[QWidget, QLabel, QLabel]:
    header = QWidget(parent)
    layout = QVBoxLayout(header)
    layout.setContentsMargins(24, 18, 24, 10)
    layout.setSpacing(2)
    title_label = QLabel(title, header)
    title_label.setObjectName("PageTitle")
    sub = QLabel(subtitle, header)
    sub.setObjectName("PageSubtitle")
    layout.addWidget(title_label)
    layout.addWidget(sub)
    return header, title_label, sub


def scrolling_body(
    parent: QWidget, margins: tuple[int, int, int, int], spacing: int
) -> tuple[QScrollArea, QWidget, QVBoxLayout]:
    """A page's vertically scrolling body: (the scroll area, the body, its column)."""
    scroll = QScrollArea(parent)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QScrollArea.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    body = QWidget(scroll)
    body.setObjectName("Page")
    column = QVBoxLayout(body)
    column.setContentsMargins(*margins)
    column.setSpacing(spacing)
    return scroll, body, column


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
        self.splitter.setSizes([260, 800])
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


class RadioPage(QWidget):
    """The listener's internet radio stations; Enter or a double click plays one."""

    def __init__(
        self, db: LibraryDB, bridge: PlayerBridge, theme: Theme, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("Page")
        self.stations = RadioStations(db)
        self.bridge = bridge
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        header, _, self.subtitle = page_header(self, self.tr("Radio"), "")
        layout.addWidget(header)
        self.list = QListWidget(self)
        self.list.setObjectName("CategoryList")
        self.list.setAccessibleName(self.tr("Radio stations"))
        self.list.setIconSize(QSize(20, 20))
        self.list.itemActivated.connect(self._play)
        self.empty = QLabel(
            self.tr("No stations yet.\nAdd one from the command line:  kindred radio add URL"),
            self,
        )
        self.empty.setObjectName("EmptyText")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty, 1)
        self.icon = theme.icon("radio", "accent")

    def reload(self) -> None:
        self.list.clear()
        stations = self.stations.list_stations()
        for station in stations:
            item = QListWidgetItem(self.icon, f"{station.name}    {station.genre}".rstrip())
            item.setData(Qt.ItemDataRole.UserRole, station)
            item.setToolTip(station.url)
            self.list.addItem(item)
        self.subtitle.setText(self.tr("%Ln stations", "", len(stations)))
        self.list.setVisible(bool(stations))
        self.empty.setVisible(not stations)

    def _play(self, item: QListWidgetItem) -> None:
        station: RadioStation = item.data(Qt.ItemDataRole.UserRole)
        self.bridge.play_items([QueueItem(location=station.url, title=station.name)])
        self.stations.mark_played(station.id)


class MessagePage(QWidget):
    """A centred icon, title, text and optional buttons: empty states and placeholders."""

    def __init__(
        self, theme: Theme, icon: str, title: str, text: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("Page")
        outer = QVBoxLayout(self)
        outer.addStretch(2)
        box = QWidget(self)
        box.setMaximumWidth(540)
        outer.addWidget(box, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(3)
        layout = QVBoxLayout(box)
        layout.setSpacing(10)
        picture = QLabel(self)
        picture.setPixmap(
            theme.icon(icon, "accent").pixmap(QSize(64, 64), self.devicePixelRatioF())
        )
        picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title = QLabel(title, self)
        self.title.setObjectName("EmptyTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text = QLabel(text, self)
        self.text.setObjectName("EmptyText")
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text.setWordWrap(True)
        self.setAccessibleName(title)
        for widget in (picture, self.title, self.text):
            layout.addWidget(widget)
        self.buttons = QHBoxLayout()
        self.buttons.setSpacing(10)
        self.buttons.addStretch(1)
        layout.addSpacing(12)
        layout.addLayout(self.buttons)

    def add_button(self, text: str, primary: bool = False) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(text)
        if primary:
            button.setObjectName("Primary")
        self.buttons.addWidget(button)
        return button

    def finish_buttons(self) -> None:
        self.buttons.addStretch(1)


class WelcomePage(MessagePage):
    """First launch with an empty library: choose a music folder, or try the demo."""

    folderChosen = Signal()
    demoChosen = Signal()

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(
            theme,
            "logo",
            QCoreApplication.translate("WelcomePage", "Welcome to Kindred"),
            QCoreApplication.translate(
                "WelcomePage",
                "Your library is empty. Choose the folder where your music lives and Kindred will "
                "find every track in it, in the background. Or try a small demo library first.",
            ),
            parent,
        )
        self.choose = self.add_button(self.tr("Choose music folder…"), primary=True)
        self.demo = self.add_button(self.tr("Try the demo library"))
        self.finish_buttons()
        self.choose.clicked.connect(self.folderChosen)
        self.demo.clicked.connect(self.demoChosen)
