"""The page that shows one playlist: its tracks in its order, reordered by dragging.

A normal playlist lists its entries that point to library tracks, in the
playlist's order; dragging rows moves the entries (stored at once with
:func:`~player.library.playlists.move_items`) and Delete or the context menu
removes them. Sorting by a column is only a view of the list; "Natural order"
returns to the playlist's own order, the only order a drag can change. A smart
playlist shows the tracks its query matches and cannot be edited here.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QMenu

from player.errors import AppError
from player.library import playlists
from player.library.playlists import PlaylistInfo, PlaylistItem
from player.library.trackquery import TrackSource
from player.ui.kit.qtfix import emit
from player.ui.pages.tracklist import TrackListPage
from player.ui.tracks.view import TrackView


class PlaylistTrackView(TrackView):
    """A track table that can also remove rows from the playlist it shows."""

    removeRequested = Signal(object)  # [rows]

    removable = False

    def context_menu(self) -> QMenu | None:
        menu = super().context_menu()
        if menu is not None and self.removable:
            rows = self.selected_rows()
            menu.addSeparator()
            action = menu.addAction(self.tr("Remove from playlist"))
            action.setShortcut("Delete")
            action.triggered.connect(lambda: emit(self.removeRequested, rows))
        return menu

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.removable and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            rows = self.selected_rows()
            if rows:
                emit(self.removeRequested, rows)
                event.accept()
                return
        super().keyPressEvent(event)

    def sorted_by_column(self) -> bool:
        """True while a column sort (not the playlist's order) is shown."""
        section = self.horizontalHeader().sortIndicatorSection()
        return 0 <= section < len(self.track_model.columns)


class PlaylistPage(TrackListPage):
    """One playlist; ``changed(playlist_id)`` after its entries were moved or removed."""

    view_class = PlaylistTrackView
    changed = Signal(int)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.playlist: PlaylistInfo | None = None
        self.items: list[PlaylistItem] = []  # the entries shown, row by row (playlist order)
        self.missing = 0
        self._select_after: list[int] = []
        self.track_view.removeRequested.connect(self.remove_rows)
        self.model.loaded.connect(self._reselect)

    @property
    def track_view(self) -> PlaylistTrackView:
        assert isinstance(self.view, PlaylistTrackView)
        return self.view

    def show_playlist(self, playlist_id: int) -> None:
        """Show a playlist (raises AppError when it cannot be read, e.g. it was deleted)."""
        info = playlists.get_playlist(self.model.db, playlist_id)
        view = self.track_view
        if info.is_smart:
            self.items, self.missing = [], 0
            source = TrackSource(info.name, query=info.query or "", kind="smart")
        else:
            entries = playlists.playlist_entries(self.model.db, playlist_id)
            self.items = [e for e in entries if e.track_id is not None]
            self.missing = len(entries) - len(self.items)
            ids = tuple(e.track_id for e in self.items if e.track_id is not None)
            source = TrackSource(info.name, ids=ids, kind="playlist")
        self.playlist = info
        view.removable = not info.is_smart
        self.model.reorder = None if info.is_smart else self.reorder
        view.setDragDropMode(
            QAbstractItemView.DragDropMode.DragOnly
            if info.is_smart
            else QAbstractItemView.DragDropMode.DragDrop
        )
        view.setDropIndicatorShown(not info.is_smart)
        view.setDragDropOverwriteMode(False)  # drop between rows
        view.setDefaultDropAction(
            Qt.DropAction.CopyAction if info.is_smart else Qt.DropAction.MoveAction
        )
        self.show_source(source)

    def reload_playlist(self) -> None:
        if self.playlist is None:
            return
        try:
            self.show_playlist(self.playlist.id)
        except AppError as exc:
            emit(self.view.notice, exc)

    def _count(self, count: int) -> None:
        text = self.tr("%Ln tracks", "", count)
        if self.playlist is not None and self.playlist.is_smart:
            text = self.tr("Smart playlist · {query} · {count}").format(
                query=self.playlist.query or "", count=text
            )
        elif self.missing:
            text += self.tr(" · {n} missing").format(n=self.missing)
        self.subtitle.setText(text)

    # ---- editing -----------------------------------------------------------------------
    def _static_id(self) -> int | None:
        info = self.playlist
        if info is None or info.is_smart or len(self.items) != len(self.model.ids):
            return None
        return info.id

    def reorder(self, rows: list[int], to_row: int) -> None:
        """Move the entries at *rows* so they land before row *to_row*, and store it."""
        playlist_id = self._static_id()
        if playlist_id is None:
            return
        if self.track_view.sorted_by_column():
            emit(
                self.view.notice,
                AppError(
                    self.tr("The list is sorted by a column"),
                    self.tr(
                        "Choose “Natural order” (right-click a column header) to see the "
                        "playlist's own order, then drag tracks to reorder it."
                    ),
                ),
            )
            return
        rows = sorted({r for r in rows if 0 <= r < len(self.items)})
        if not rows:
            return
        moving = [self.items[r].item_id for r in rows]
        after = next((r for r in range(max(0, to_row), len(self.items)) if r not in rows), None)
        try:
            order = [e.item_id for e in playlists.playlist_entries(self.model.db, playlist_id)]
            rest = [i for i in order if i not in set(moving)]
            to = rest.index(self.items[after].item_id) if after is not None else len(rest)
            playlists.move_items(self.model.db, playlist_id, moving, to)
        except (AppError, ValueError) as exc:
            emit(self.view.notice, exc if isinstance(exc, AppError) else AppError(str(exc)))
            self.reload_playlist()
            return
        kept = [r for r in range(len(self.items)) if r not in rows]
        first = kept.index(after) if after is not None else len(kept)
        self._select_after = list(range(first, first + len(rows)))
        self.reload_playlist()
        emit(self.changed, playlist_id)

    def remove_rows(self, rows: list[int]) -> None:
        """Remove the entries at *rows* (sorted by a column: every entry of those tracks)."""
        playlist_id = self._static_id()
        if playlist_id is None or not rows:
            return
        if self.track_view.sorted_by_column():
            tracks = {self.model.ids[r] for r in rows if 0 <= r < len(self.model.ids)}
            doomed = [e.item_id for e in self.items if e.track_id in tracks]
        else:
            doomed = [self.items[r].item_id for r in rows if 0 <= r < len(self.items)]
        try:
            playlists.remove_from_playlist(self.model.db, playlist_id, doomed)
        except AppError as exc:
            emit(self.view.notice, exc)
        self.reload_playlist()
        emit(self.changed, playlist_id)

    def _reselect(self, count: int) -> None:
        rows, self._select_after = self._select_after, []
        rows = [r for r in rows if r < count]
        if not rows:
            return
        model, selection = self.model, QItemSelection()
        last = len(model.columns) - 1
        for r in rows:
            selection.select(model.index(r, 0), model.index(r, last))
        chooser = self.view.selectionModel()
        chooser.select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        chooser.setCurrentIndex(model.index(rows[0], 0), QItemSelectionModel.SelectionFlag.NoUpdate)
