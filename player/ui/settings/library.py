"""The Library page of Settings: the music folders, rescanning and watching.

Adding a folder goes through the window (saved, then scanned in the
background); "watch folders" starts or stops the window's folder watcher.
Removing a folder asks whether its tracks leave the library too or whether
Kindred just stops looking there; either way the folder leaves the settings
and the library's list of roots, on a worker with its own connection (one
writer), and the window's views refresh when it is done.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QWidget,
)

from player.library.store import LibraryDB
from player.ui.settings.widgets import SettingsPage, SettingsWindow, Switch, hint, save_settings

#: answers to "remove this folder?"
DROP_TRACKS, KEEP_TRACKS = "drop", "keep"


def forget_folder(db_path: str | Path, folder: str, drop_tracks: bool) -> int:
    """Take *folder* off the library's roots; with *drop_tracks* delete its tracks too.

    Runs on a worker thread with its own connection; returns how many tracks
    were deleted. Plays, ratings and playlist entries of deleted tracks go with
    them (the library's ``delete_tracks``).
    """
    with LibraryDB(db_path) as db:
        return db.remove_root(folder, drop_tracks=drop_tracks)


class LibraryPage(SettingsPage):
    """Folder list with Add / Remove / Rescan now, and the "watch folders" switch."""

    def __init__(self, window: SettingsWindow, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Library"), parent)
        self.window_ = window
        self.settings = window.ctx.settings
        self.question: QMessageBox | None = None
        card = self.add_section(self.tr("Music folders"))
        card.add_widget(
            hint(
                self.tr(
                    "Kindred finds music in these folders and everything below them. "
                    "Tracks stay playable from where they are; nothing is copied."
                ),
                card,
            ),
            top=8,
            bottom=8,
        )
        self.folders = QListWidget(card)
        self.folders.setObjectName("FolderList")
        self.folders.setAccessibleName(self.tr("Music folders"))
        self.folders.setMinimumHeight(150)
        self.folders.setSelectionMode(QListWidget.SelectionMode.SingleSelection)
        card.add_widget(self.folders)
        buttons = QWidget(card)
        row = QHBoxLayout(buttons)
        row.setContentsMargins(0, 8, 0, 10)
        self.add_button = QPushButton(self.tr("Add folder…"), buttons)
        self.add_button.setObjectName("Primary")
        self.remove_button = QPushButton(self.tr("Remove"), buttons)
        self.rescan_button = QPushButton(self.tr("Rescan now"), buttons)
        self.rescan_button.setToolTip(
            self.tr("Look for new, changed and deleted files in every folder")
        )
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        row.addWidget(self.rescan_button)
        card.add_widget(buttons)
        self.status = hint("", card)
        card.add_widget(self.status)
        watching = self.add_section(self.tr("Keeping up to date"))
        self.watch = Switch(self.tr("Watch folders for changes"), watching)
        watching.add_row(
            self.tr("Watch folders for changes"),
            self.watch,
            self.tr("New and changed files are added while Kindred runs."),
        )
        self.finish()
        self.add_button.clicked.connect(self.choose_folder)
        self.remove_button.clicked.connect(self.remove_selected)
        self.rescan_button.clicked.connect(self.rescan)
        self.folders.itemSelectionChanged.connect(self._update_buttons)
        self.watch.toggled.connect(self._watch_toggled)
        scan = window.scan
        scan.finished.connect(lambda _summary: self._update_buttons())
        scan.failed.connect(lambda _error: self._update_buttons())
        self.reload()

    def reload(self) -> None:
        self.folders.clear()
        for folder in self.settings.library_folders:
            item = QListWidgetItem(self.window_.theme.icon("folder", "text_dim"), folder)
            item.setData(Qt.ItemDataRole.UserRole, folder)
            item.setToolTip(folder)
            self.folders.addItem(item)
        if not self.settings.library_folders:
            self.status.setText(self.tr("No folders yet: add the folder that holds your music."))
        else:
            self.status.setText("")
        self.watch.blockSignals(True)
        self.watch.setChecked(bool(self.settings.watch_library))
        self.watch.blockSignals(False)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(bool(self.folders.selectedItems()))
        scanning = self.window_.scan.running
        self.rescan_button.setEnabled(bool(self.settings.library_folders) and not scanning)
        self.rescan_button.setText(self.tr("Scanning…") if scanning else self.tr("Rescan now"))

    # ---- actions ----------------------------------------------------------------------
    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Add a music folder"))
        if folder:
            self.add_folder(folder)

    def add_folder(self, folder: str) -> None:
        """Add *folder* (saved, then scanned in the background)."""
        if not Path(folder).is_dir():
            self.status.setText(self.tr("{folder} is not a folder.").format(folder=folder))
            return
        before = list(self.settings.library_folders)
        self.window_.add_folder(folder)
        self.reload()
        if self.settings.library_folders == before:
            self.status.setText(self.tr("That folder is already in the library."))

    def remove_selected(self) -> None:
        items = self.folders.selectedItems()
        if not items:
            return
        folder = str(items[0].data(Qt.ItemDataRole.UserRole))
        answer = self.ask_remove(folder)
        if answer is not None:
            self.remove_folder(folder, drop_tracks=answer == DROP_TRACKS)

    def ask_remove(self, folder: str) -> str | None:
        """Ask what removing *folder* means: DROP_TRACKS, KEEP_TRACKS or None (cancel)."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Remove folder"))
        box.setText(self.tr("Stop using {folder}?").format(folder=folder))
        box.setInformativeText(
            self.tr(
                "Its tracks can leave the library (with their play counts and ratings), "
                "or stay playable while Kindred stops looking for changes there. "
                "No file is deleted from the disk."
            )
        )
        drop = box.addButton(self.tr("Remove its tracks"), QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(self.tr("Keep tracks"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        drop.setObjectName("DropTracks")
        keep.setObjectName("KeepTracks")
        box.setDefaultButton(keep)
        self.question = box
        box.exec()
        self.question = None
        clicked = box.clickedButton()
        return DROP_TRACKS if clicked is drop else KEEP_TRACKS if clicked is keep else None

    def remove_folder(self, folder: str, *, drop_tracks: bool) -> None:
        """Take *folder* out of the settings now; the library part runs on a worker."""
        settings = self.settings
        settings.library_folders = [f for f in settings.library_folders if f != folder]
        save_settings(self.window_)
        self.window_.folder_watch.update()
        self.reload()
        self.status.setText(self.tr("Removing {folder}…").format(folder=folder))
        task = self.window_.runner.submit(
            forget_folder, self.window_.db_path, folder, drop_tracks, name="forget-folder"
        )
        task.done.connect(lambda count, error: self._removed(folder, count, error))

    def _removed(self, folder: str, count: object, error: object) -> None:
        if error is not None:
            self.status.setText(self.tr("Could not remove {folder}.").format(folder=folder))
            self.window_.notice.show_error(error)
            return
        if count:
            self.status.setText(
                self.tr("Removed {folder} and {n} tracks.").format(folder=folder, n=count)
            )
        else:
            self.status.setText(
                self.tr("Kindred no longer watches {folder}.").format(folder=folder)
            )
        self.window_.refresh_current()

    def rescan(self) -> None:
        self.window_.rescan()
        self._update_buttons()

    def _watch_toggled(self, on: bool) -> None:
        self.settings.watch_library = bool(on)
        save_settings(self.window_)
        self.window_.folder_watch.update()
