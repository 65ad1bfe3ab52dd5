"""The Radio page: the saved internet radio stations, played on a double click or Enter."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from player.audio.queue import QueueItem
from player.library.radio import RadioStation, RadioStations
from player.library.store import LibraryDB
from player.ui.kit.bridge import PlayerBridge
from player.ui.kit.theme import Theme
from player.ui.pages.layout import page_header


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
