"""The Radio page: the saved internet radio stations, and what each one played.

Stations are added through :class:`~player.ui.pages.radio_add.AddStationDialog`
(checked by the resolver playback uses), renamed in place (F2 or the Rename
button), removed, and played on a double click or Enter. While a saved station
plays, each "now playing" title it announces (ICY metadata, reported by the
bridge's ``metadataChanged``) is kept in the library and listed beside the
stations, newest first.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QLocale, QSize, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from player.audio.queue import QueueItem
from player.errors import AppError
from player.library.radio import RadioStation, RadioStations
from player.library.store import LibraryDB
from player.ui.kit.bridge import PlayerBridge
from player.ui.kit.tasks import TaskRunner
from player.ui.kit.theme import Theme
from player.ui.pages.layout import page_header
from player.ui.pages.radio_add import AddStationDialog

#: titles listed per station
SHOWN_TITLES = 30


class RadioPage(QWidget):
    """The listener's internet radio stations; Enter or a double click plays one."""

    def __init__(
        self,
        db: LibraryDB,
        bridge: PlayerBridge,
        theme: Theme,
        parent: QWidget | None = None,
        *,
        runner: TaskRunner | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("Page")
        self.stations = RadioStations(db)
        self.bridge = bridge
        self.runner = runner or TaskRunner(parent=self)
        self.dialog: AddStationDialog | None = None
        self._filling = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        header, _, self.subtitle = page_header(self, self.tr("Radio"), "")
        layout.addWidget(header)
        bar = QHBoxLayout()
        bar.setContentsMargins(24, 0, 24, 8)
        bar.setSpacing(8)
        self.add_button = self._button(self.tr("Add station…"), primary=True)
        self.add_button.setToolTip(
            self.tr("Add a stream address or a station playlist (.m3u, .pls, .xspf)")
        )
        self.play_button = self._button(self.tr("Play"))
        self.rename_button = self._button(self.tr("Rename"))
        self.remove_button = self._button(self.tr("Remove"))
        for button in (self.add_button, self.play_button, self.rename_button, self.remove_button):
            bar.addWidget(button)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.add_button.clicked.connect(self.open_add)
        self.play_button.clicked.connect(lambda: self._play(self.list.currentItem()))
        self.rename_button.clicked.connect(self.start_rename)
        self.remove_button.clicked.connect(self.remove_current)

        body = QHBoxLayout()
        body.setContentsMargins(16, 0, 16, 16)
        body.setSpacing(16)
        self.list = QListWidget(self)
        self.list.setObjectName("CategoryList")
        self.list.setAccessibleName(self.tr("Radio stations"))
        self.list.setIconSize(QSize(20, 20))
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed)
        self.list.itemActivated.connect(self._play)
        self.list.itemChanged.connect(self._renamed)
        self.list.currentItemChanged.connect(lambda *_: self._show_current())
        QShortcut(QKeySequence.StandardKey.Delete, self.list, self.remove_current)
        body.addWidget(self.list, 2)
        side = QVBoxLayout()
        side.setSpacing(4)
        self.history_title = QLabel("", self)
        self.history_title.setObjectName("RadioHistoryTitle")
        self.history_title.setWordWrap(True)
        self.history = QListWidget(self)
        self.history.setObjectName("CategoryList")
        self.history.setAccessibleName(self.tr("Recently heard"))
        self.history.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.history.setWordWrap(True)
        self.history_empty = QLabel(
            self.tr("Titles the station announces while it plays are kept here."), self
        )
        self.history_empty.setObjectName("EmptyText")
        self.history_empty.setWordWrap(True)
        self.history_empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        side.addWidget(self.history_title)
        side.addWidget(self.history, 1)
        side.addWidget(self.history_empty, 1)
        self.side = QWidget(self)
        self.side.setLayout(side)
        body.addWidget(self.side, 3)
        self.content = QWidget(self)
        self.content.setLayout(body)
        layout.addWidget(self.content, 1)
        self.empty = QLabel(
            self.tr(
                "No stations yet.\nAdd one with “Add station…”: a stream address "
                "or a .m3u, .pls or .xspf file."
            ),
            self,
        )
        self.empty.setObjectName("EmptyText")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        layout.addWidget(self.empty, 1)
        self.icon = theme.icon("radio", "accent")
        bridge.metadataChanged.connect(self.heard)

    def _button(self, text: str, primary: bool = False) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName("Primary" if primary else "ShelfButton")
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        return button

    # ---- the list ----------------------------------------------------------------------
    def reload(self, select: int | None = None) -> None:
        """Read the stations again; ``select`` (a station id) becomes the current one."""
        current = self.current()
        keep = select if select is not None else (current.id if current else None)
        self._filling = True
        self.list.clear()
        stations = self.stations.list_stations()
        for station in stations:
            item = QListWidgetItem(self.icon, station.name)
            item.setData(Qt.ItemDataRole.UserRole, station)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
            tip = station.url if not station.genre else f"{station.url}\n{station.genre}"
            item.setToolTip(tip)
            self.list.addItem(item)
            if station.id == keep:
                self.list.setCurrentItem(item)
        if self.list.currentItem() is None and stations:
            self.list.setCurrentRow(0)
        self._filling = False
        self.subtitle.setText(self.tr("%Ln stations", "", len(stations)))
        self.content.setVisible(bool(stations))
        self.empty.setVisible(not stations)
        for button in (self.play_button, self.rename_button, self.remove_button):
            button.setEnabled(bool(stations))
        self._show_current()

    def current(self) -> RadioStation | None:
        item = self.list.currentItem()
        return None if item is None else item.data(Qt.ItemDataRole.UserRole)

    def station_names(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]

    def _show_current(self) -> None:
        if self._filling:
            return
        station = self.current()
        self.history.clear()
        if station is None:
            self.history_title.setText("")
            self.history_empty.setVisible(False)
            return
        self.history_title.setText(self.tr("Recently heard on {name}").format(name=station.name))
        titles = self.stations.recent_titles(station.id, SHOWN_TITLES)
        locale = QLocale()
        today = dt.date.today()
        for heard in titles:
            when = dt.datetime.fromtimestamp(heard.heard_at)
            fmt = locale.timeFormat(QLocale.FormatType.ShortFormat)
            stamp = locale.toString(when.time(), fmt)
            if when.date() != today:
                stamp = locale.toString(when.date(), "d MMM") + " " + stamp
            item = QListWidgetItem(f"{stamp}   {heard.title}")
            item.setData(Qt.ItemDataRole.UserRole, heard.title)
            item.setToolTip(heard.title)
            self.history.addItem(item)
        self.history.setVisible(bool(titles))
        self.history_empty.setVisible(not titles)

    def history_titles(self) -> list[str]:
        """The titles shown for the current station, newest first."""
        return [
            self.history.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.history.count())
        ]

    # ---- adding, renaming, removing ----------------------------------------------------
    def open_add(self) -> AddStationDialog:
        """The "Add station" dialog (not blocking); the list follows what it adds."""
        if self.dialog is not None:
            self.dialog.close()
        dialog = AddStationDialog(self.stations, self.runner, self)
        self.dialog = dialog
        dialog.added.connect(lambda added: self.reload(select=added[0].id if added else None))
        dialog.finished.connect(lambda _result: self._dialog_closed(dialog))
        dialog.open()
        return dialog

    def _dialog_closed(self, dialog: AddStationDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def start_rename(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.list.editItem(item)

    def _renamed(self, item: QListWidgetItem) -> None:
        if self._filling:
            return
        station: RadioStation = item.data(Qt.ItemDataRole.UserRole)
        if item.text() == station.name:
            return
        try:
            renamed = self.stations.rename(station.id, item.text())
        except AppError as exc:
            self.subtitle.setText(exc.short)
            renamed = station
        self.reload(select=renamed.id)

    def remove_current(self) -> None:
        station = self.current()
        if station is None:
            return
        row = self.list.currentRow()
        self.stations.remove(station.id)
        self.reload()
        if self.list.count():
            self.list.setCurrentRow(min(row, self.list.count() - 1))

    # ---- playing -------------------------------------------------------------------
    def _play(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        station: RadioStation = item.data(Qt.ItemDataRole.UserRole)
        self.bridge.play_items([QueueItem(location=station.url, title=station.name, live=True)])
        self.stations.mark_played(station.id)

    def heard(self, title: str) -> None:
        """A stream announced ``title``: keep it when a saved station is what plays."""
        item = self.bridge.playing_item
        if item is None or not title.strip():
            return
        station = self.stations.by_url(item.location)
        if station is None or not self.stations.record_title(station.id, title):
            return
        current = self.current()
        if current is not None and current.id == station.id:
            self._show_current()
