"""What a person can do to playlists from the window: create, rename, delete, import, export.

Every action comes in two halves: one that asks (a dialog opened without
blocking, kept in :attr:`PlaylistActions.dialog` until answered, so the window
keeps running and a test can answer it) and one that does the work through
:mod:`player.library.playlists` and then refreshes the sidebar and the shown
page. Failures become notices; results go to the status bar.
"""

from __future__ import annotations

import time
from typing import Protocol

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMessageBox, QStackedWidget

from player.audio.queue import QueueItem
from player.errors import AppError, PlaylistError
from player.library import playlists
from player.library.paths import safe_file_name
from player.library.playlists import PlaylistEntry
from player.ui.kit.qtfix import emit
from player.ui.kit.window import KindredWindow
from player.ui.pages.nav import Navigation
from player.ui.playback.queue import QueuePanel
from player.ui.playlists.page import PlaylistPage
from player.ui.playlists.smart_editor import SmartPlaylistEditor, field_style

MESSAGE_MS = 8000
_FILTERS = ("M3U8 (*.m3u8)", "M3U (*.m3u)", "PLS (*.pls)", "XSPF (*.xspf)")


class PlaylistWindow(KindredWindow, Protocol):
    """The window as playlist editing uses it: the navigation, the pages' stack, the queue."""

    @property
    def nav(self) -> Navigation: ...
    @property
    def stack(self) -> QStackedWidget: ...
    @property
    def playlist_page(self) -> PlaylistPage: ...
    @property
    def queue_panel(self) -> QueuePanel: ...


class PlaylistActions(QObject):
    """The playlist operations of one window; ``message(text)`` reports what was done,
    ``renameRequested(playlist_id)`` asks the sidebar to edit a name in place."""

    message = Signal(str)
    renameRequested = Signal(int)

    def __init__(self, window: PlaylistWindow) -> None:
        super().__init__(window.window())
        self.window, self.db, self.nav = window, window.db, window.nav
        self.parent_widget = window.window()  # the dialogs' parent
        self.dialog: QDialog | None = None
        self.last_message = ""

    # ---- helpers -----------------------------------------------------------------------
    def _open(self, dialog: QDialog) -> QDialog:
        """Show *dialog* without blocking; it is forgotten once answered."""
        if self.dialog is not None:
            self.dialog.close()
        self.dialog = dialog
        dialog.finished.connect(lambda _r: self._closed(dialog))
        dialog.open()
        return dialog

    def _closed(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def _say(self, text: str) -> None:
        self.last_message = text
        self.window.statusBar().showMessage(text, MESSAGE_MS)
        emit(self.message, text)

    def _fail(self, error: object) -> None:
        self.window.notice.show_error(error)

    def _refresh(self, playlist_id: int | None = None, *, show: bool = False) -> None:
        """List the playlists again; re-read the shown one (or show *playlist_id*)."""
        self.nav.rebuild()
        page = self.window.playlist_page
        key = f"playlist:{playlist_id}" if playlist_id is not None else None
        shown = self.window.stack.currentWidget() is page and page.playlist is not None
        if show and key:
            self.window.show_view(key)
        elif shown and page.playlist is not None and page.playlist.id == playlist_id:
            self.window.show_view(f"playlist:{playlist_id}")

    def _name_taken(self, base: str) -> str:
        names = {p.name for p in playlists.list_playlists(self.db)}
        name, n = base, 2
        while name in names:
            name, n = f"{base} {n}", n + 1
        return name

    # ---- create, rename, delete ------------------------------------------------------------
    def new_playlist(self) -> int | None:
        """Create an empty playlist, show it and start editing its name in the sidebar."""
        try:
            playlist_id = playlists.create_playlist(
                self.db, self._name_taken(self.tr("New playlist"))
            )
        except AppError as exc:
            self._fail(exc)
            return None
        self._refresh(playlist_id, show=True)
        self.nav_rename(playlist_id)
        return playlist_id

    def nav_rename(self, playlist_id: int) -> None:
        """Edit the playlist's name in place (the sidebar stores it when editing ends)."""
        emit(self.renameRequested, playlist_id)

    def rename(self, playlist_id: int, name: str) -> bool:
        try:
            old = playlists.get_playlist(self.db, playlist_id)
            if name.strip() == old.name:
                return True
            playlists.rename_playlist(self.db, playlist_id, name)
        except AppError as exc:
            self._fail(exc)
            self.nav.rebuild()
            return False
        self._refresh(playlist_id)
        return True

    def ask_delete(self, playlist_id: int) -> None:
        try:
            info = playlists.get_playlist(self.db, playlist_id)
        except AppError as exc:
            self._fail(exc)
            return
        box = QMessageBox(self.parent_widget)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Delete playlist"))
        box.setText(self.tr("Delete the playlist “{name}”?").format(name=info.name))
        box.setInformativeText(self.tr("The tracks stay in your library."))
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("Delete"))
        box.accepted.connect(lambda: self.delete(playlist_id))
        self._open(box)

    def delete(self, playlist_id: int) -> bool:
        page = self.window.playlist_page
        showing = (
            self.window.stack.currentWidget() is page
            and page.playlist is not None
            and page.playlist.id == playlist_id
        )
        try:
            info = playlists.get_playlist(self.db, playlist_id)
            playlists.delete_playlist(self.db, playlist_id)
        except AppError as exc:
            self._fail(exc)
            return False
        if showing:
            self.window.show_view("tracks")
        elif self.window.state.view == f"playlist:{playlist_id}":
            self.window.state.view = "tracks"
        self.nav.rebuild()
        self._say(self.tr("Deleted the playlist “{name}”").format(name=info.name))
        return True

    # ---- smart playlists -----------------------------------------------------------------
    def new_smart(self) -> SmartPlaylistEditor:
        return self._smart_editor(None)

    def edit_query(self, playlist_id: int) -> SmartPlaylistEditor | None:
        try:
            info = playlists.get_playlist(self.db, playlist_id)
        except AppError as exc:
            self._fail(exc)
            return None
        return self._smart_editor(info)

    def _smart_editor(self, info: playlists.PlaylistInfo | None) -> SmartPlaylistEditor:
        w = self.window
        editor = SmartPlaylistEditor(w.db, w.db_path, w.runner, w.theme, info, self.parent_widget)
        editor.saved.connect(lambda pid: self._refresh(pid, show=True))
        self._open(editor)
        return editor

    # ---- tracks in -------------------------------------------------------------------------
    def add_tracks(self, playlist_id: int, track_ids: list[int]) -> bool:
        """Append library tracks; a smart playlist refuses them with a notice."""
        try:
            info = playlists.get_playlist(self.db, playlist_id)
            playlists.add_to_playlist(self.db, playlist_id, track_ids)
        except AppError as exc:
            self._fail(exc)
            return False
        self._say(
            self.tr("Added %Ln tracks to “{name}”", "", len(track_ids)).format(name=info.name)
        )
        self._refresh(playlist_id)
        return True

    def ask_save_queue(self) -> None:
        if not self.window.bridge.controller.queue.items:
            self._fail(AppError(self.tr("The queue is empty"), self.tr("Add tracks first.")))
            return
        ask = QInputDialog(self.parent_widget)
        ask.setStyleSheet(field_style(self.window.theme))
        ask.setWindowTitle(self.tr("Save queue as playlist"))
        ask.setLabelText(self.tr("Playlist name"))
        ask.setTextValue(
            self._name_taken(self.tr("Queue {date}").format(date=time.strftime("%Y-%m-%d")))
        )
        ask.textValueSelected.connect(self.save_queue)
        self._open(ask)

    def save_queue(self, name: str) -> int | None:
        """A new normal playlist holding the queue's tracks (and streams) in queue order."""
        queue: list[QueueItem] = self.window.bridge.controller.queue.items
        entries: list[int | PlaylistEntry] = [
            item.track_id
            if item.track_id is not None
            else PlaylistEntry(item.location, item.title, None, playlists.is_url(item.location))
            for item in queue
        ]
        try:
            with self.db.transaction():
                playlist_id = playlists.create_playlist(self.db, name)
                playlists.add_to_playlist(self.db, playlist_id, entries)
        except AppError as exc:
            self._fail(exc)
            return None
        self._refresh()
        self._say(
            self.tr("Saved {n} queued tracks as “{name}”").format(n=len(entries), name=name.strip())
        )
        return playlist_id

    # ---- files ------------------------------------------------------------------------------
    def ask_import(self) -> None:
        dialog = QFileDialog(self.parent_widget, self.tr("Import playlist"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilters(
            [self.tr("Playlists (*.m3u *.m3u8 *.pls *.xspf)"), self.tr("All files (*)")]
        )
        dialog.fileSelected.connect(self.import_file)
        self._open(dialog)

    def import_file(self, path: str) -> int | None:
        """Import a playlist file; says how many entries were found and which are missing."""
        try:
            result = playlists.import_playlist(self.db, path)
        except AppError as exc:
            self._fail(exc)
            return None
        except OSError as exc:
            self._fail(PlaylistError(self.tr("Cannot read the playlist file"), f"{path}: {exc}"))
            return None
        found = result.linked + result.urls
        text = self.tr("Imported “{name}”: {found} of {total} entries found").format(
            name=result.name, found=found, total=result.added
        )
        if result.missing:
            shown = "\n".join(result.missing[:5])
            more = len(result.missing) - 5
            if more > 0:
                shown += "\n" + self.tr("… and {n} more").format(n=more)
            self._fail(
                AppError(
                    self.tr("{n} entries of “{name}” are missing").format(
                        n=len(result.missing), name=result.name
                    ),
                    shown,
                )
            )
            text += self.tr(", {n} missing").format(n=len(result.missing))
        self._refresh(result.playlist_id, show=True)
        self._say(text)
        return result.playlist_id

    def ask_export(self, playlist_id: int) -> None:
        try:
            info = playlists.get_playlist(self.db, playlist_id)
        except AppError as exc:
            self._fail(exc)
            return
        dialog = QFileDialog(self.parent_widget, self.tr("Export playlist"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilters(list(_FILTERS))
        # a name every OS accepts: the file may land on a Windows drive
        dialog.selectFile(safe_file_name(info.name, ".m3u8"))
        dialog.fileSelected.connect(
            lambda path: self.export_to(
                playlist_id, with_playlist_suffix(path, dialog.selectedNameFilter())
            )
        )
        self._open(dialog)

    def export_to(self, playlist_id: int, path: str) -> bool:
        """Write the playlist to *path*, in the format its extension names."""
        try:
            result = playlists.export_playlist(self.db, playlist_id, path)
        except AppError as exc:
            self._fail(exc)
            return False
        except OSError as exc:
            self._fail(PlaylistError(self.tr("Cannot write the playlist file"), f"{path}: {exc}"))
            return False
        self._say(
            self.tr("Exported {n} entries to {path}").format(n=result.written, path=result.path)
        )
        return True


def with_playlist_suffix(path: str, name_filter: str) -> str:
    """*path*, given the chosen filter's extension when it has no playlist extension."""
    if playlists.playlist_format(path):
        return path
    suffix = name_filter.rsplit("*", 1)[-1].rstrip(")")
    return path + (suffix or ".m3u8")
