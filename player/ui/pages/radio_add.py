"""The "Add station" dialog: a stream address or a station playlist file, checked before it is kept.

The address is checked by the resolver playback uses
(:func:`player.audio.streams.resolve`), on a worker so the window stays
responsive while a slow server answers: a dead address, a 404 or an empty
playlist gives a readable error in the dialog and adds
nothing. A ``.m3u``/``.pls``/``.xspf`` file adds each stream it names, with the
names written in it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from player.audio.streams import resolve
from player.errors import AppError
from player.library.playlist_files import is_url, playlist_format
from player.library.radio import RadioStation, RadioStations, check_url
from player.ui.kit.dialogs import titled_layout
from player.ui.kit.qtfix import emit
from player.ui.kit.tasks import TaskRunner


def check_station(address: str) -> None:
    """Raise a readable AppError unless ``address`` plays (a URL) or names streams (a file)."""
    text = address.strip()
    if is_url(text):
        check_url(text)
    elif playlist_format(text) is None or not Path(text).is_file():
        raise AppError(
            "Not a stream address or station playlist",
            "Give a network address such as http://example.org/stream.mp3, "
            "or an .m3u, .pls or .xspf file.",
        )
    resolve(text)  # PlaybackError (an AppError) says what is wrong


class AddStationDialog(QDialog):
    """Name + address (or playlist file); ``added(list[RadioStation])`` once kept."""

    added = Signal(list)

    def __init__(
        self, stations: RadioStations, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.stations, self.runner = stations, runner
        self.setObjectName("AddStation")
        self.setWindowTitle(self.tr("Add a radio station"))
        self.setAccessibleName(self.windowTitle())
        self.resize(520, 0)
        layout = titled_layout(self)
        form = QFormLayout()
        self.name = QLineEdit(self)
        self.name.setPlaceholderText(self.tr("Optional: taken from the address or the file"))
        self.name.setAccessibleName(self.tr("Station name"))
        self.address = QLineEdit(self)
        self.address.setPlaceholderText(self.tr("http://… or a .m3u / .pls / .xspf file"))
        self.address.setAccessibleName(self.tr("Stream address or playlist file"))
        self.browse = QPushButton(self.tr("Choose file…"), self)
        self.browse.clicked.connect(self._choose_file)
        line = QHBoxLayout()
        line.addWidget(self.address, 1)
        line.addWidget(self.browse)
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Address"), line)
        layout.addLayout(form)
        self.error = QLabel("", self)
        self.error.setObjectName("FormError")
        self.error.setAccessibleName(self.tr("Problem"))
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("Add"))
        self.ok.setObjectName("Primary")
        self.buttons.accepted.connect(self.check)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.checking = False

    def _choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose a station playlist"),
            "",
            self.tr("Playlists (*.m3u *.m3u8 *.pls *.xspf)"),
        )
        if path:
            self.address.setText(path)

    def show_error(self, short: str, detail: str = "") -> None:
        lines = [short] if not detail or detail == short else [short, detail]
        self.error.setText("\n".join(lines))
        self.error.show()

    def check(self) -> None:
        """Check the address on a worker; add the station(s) when it plays."""
        address = self.address.text().strip()
        if self.checking:
            return
        if not address:
            self.show_error(self.tr("Give the station's address, or choose a playlist file."))
            return
        self.checking = True
        self.ok.setEnabled(False)
        self.ok.setText(self.tr("Checking…"))
        self.error.hide()
        task = self.runner.submit(check_station, address, name="check station")
        task.done.connect(lambda _result, error: self._checked(address, error))

    def _checked(self, address: str, error: object) -> None:
        self.checking = False
        self.ok.setEnabled(True)
        self.ok.setText(self.tr("Add"))
        if error is not None:
            if isinstance(error, AppError):
                self.show_error(error.short, error.detail or "")
            else:
                self.show_error(self.tr("Could not check the station"), str(error))
            return
        try:
            added = self._add(address)
        except AppError as exc:
            self.show_error(exc.short, exc.detail or "")
            return
        emit(self.added, added)
        self.accept()

    def _add(self, address: str) -> list[RadioStation]:
        if is_url(address):
            return [self.stations.add(address, self.name.text())]
        result = self.stations.import_playlist(address)
        if not result.added:
            raise AppError(
                "No new station in that playlist",
                "\n".join(result.skipped) or "It names no network stream.",
            )
        if len(result.added) == 1 and self.name.text().strip():
            return [self.stations.rename(result.added[0].id, self.name.text())]
        return result.added
