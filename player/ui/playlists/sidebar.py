"""The Playlists section of the sidebar: the "+" button, context menus, drops, renaming in place.

It attaches to :class:`~player.ui.pages.nav.Navigation` from outside (an event
filter and a few signals), so the navigation stays a plain list of entries.
Tracks dragged from any track list (:data:`~player.ui.tracks.dnd.TRACK_IDS_MIME`)
and dropped on a playlist are appended to it; other drags pass through
untouched.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QSize, Qt, QTimer
from PySide6.QtGui import QBrush, QDragMoveEvent, QDropEvent, QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QToolButton,
    QTreeWidgetItem,
    QWidget,
)

from player.errors import AppError
from player.library import playlists
from player.ui.pages.nav import KEY_ROLE, Navigation
from player.ui.playlists.actions import PlaylistActions, PlaylistWindow
from player.ui.playlists.smart_editor import field_style
from player.ui.tracks.dnd import TRACK_IDS_MIME, track_ids


def playlist_id_of(item: QTreeWidgetItem | None) -> int | None:
    key = item.data(0, KEY_ROLE) if item is not None else None
    if isinstance(key, str) and key.startswith("playlist:"):
        return int(key.split(":", 1)[1])
    return None


class PlaylistSidebar(QObject):
    """Playlist editing in the navigation, through :class:`PlaylistActions`."""

    def __init__(self, nav: Navigation, actions: PlaylistActions) -> None:
        super().__init__(nav)
        self.nav, self.actions = nav, actions
        self.add_button: QToolButton | None = None
        self._hover: QTreeWidgetItem | None = None
        self._editing: int | None = None
        nav.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        nav.customContextMenuRequested.connect(self._menu)
        nav.setAcceptDrops(True)
        nav.viewport().setAcceptDrops(True)
        self._viewport = nav.viewport()  # kept: the filter must not call into a dying nav
        self._viewport.installEventFilter(self)
        nav.installEventFilter(self)
        nav.itemChanged.connect(self._item_changed)
        nav.rebuilt.connect(self._decorate)
        nav.itemDelegate().closeEditor.connect(self._edit_closed)
        actions.renameRequested.connect(self.edit_name)
        self._decorate()

    # ---- the "+" button ----------------------------------------------------------------------
    def _decorate(self) -> None:
        """Put the "+" button on the Playlists heading (again, after each rebuild)."""
        self._hover = None
        section = getattr(self.nav, "playlists_section", None)
        if section is None:
            return
        holder = QWidget(self.nav)
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 4, 0)
        row.addStretch(1)
        button = QToolButton(holder)
        button.setText("+")
        button.setObjectName("AddPlaylist")
        button.setAutoRaise(True)
        button.setFixedSize(QSize(24, 24))
        button.setToolTip(self.tr("New playlist, smart playlist or import"))
        button.setAccessibleName(self.tr("Add a playlist"))
        button.setStyleSheet("QToolButton { font-size: 13pt; font-weight: 700; }")
        button.clicked.connect(lambda: self._popup(self.section_menu(), button))
        row.addWidget(button)
        self.nav.setItemWidget(section, 0, holder)
        self.add_button = button

    def _popup(self, menu: QMenu, button: QToolButton) -> None:
        menu.exec(button.mapToGlobal(QPoint(0, button.height())))

    # ---- menus --------------------------------------------------------------------------------
    def section_menu(self) -> QMenu:
        menu = QMenu(self.nav)
        menu.setAccessibleName(self.tr("Playlists"))
        menu.addAction(self.tr("New playlist"), self.actions.new_playlist)
        menu.addAction(self.tr("New smart playlist…"), self.actions.new_smart)
        menu.addSeparator()
        menu.addAction(self.tr("Import playlist…"), self.actions.ask_import)
        return menu

    def playlist_menu(self, playlist_id: int) -> QMenu:
        menu = QMenu(self.nav)
        menu.setAccessibleName(self.tr("Playlist actions"))
        try:
            smart = playlists.get_playlist(self.nav.db, playlist_id).is_smart
        except AppError:
            smart = False
        if smart:
            menu.addAction(self.tr("Edit query…"), lambda: self.actions.edit_query(playlist_id))
        menu.addAction(self.tr("Rename"), lambda: self.edit_name(playlist_id))
        if not smart:
            menu.addAction(self.tr("Export…"), lambda: self.actions.ask_export(playlist_id))
        menu.addSeparator()
        menu.addAction(self.tr("Delete…"), lambda: self.actions.ask_delete(playlist_id))
        menu.addSeparator()
        menu.addAction(self.tr("New playlist"), self.actions.new_playlist)
        menu.addAction(self.tr("New smart playlist…"), self.actions.new_smart)
        return menu

    def menu_for(self, item: QTreeWidgetItem | None) -> QMenu | None:
        """The menu for a sidebar entry: a playlist's, the Playlists section's, or none."""
        playlist_id = playlist_id_of(item)
        if playlist_id is not None:
            return self.playlist_menu(playlist_id)
        section = self.nav.playlists_section
        if item is not None and section in (item, item.parent()):
            return self.section_menu()
        return None

    def _menu(self, pos: QPoint) -> None:
        menu = self.menu_for(self.nav.itemAt(pos))
        if menu is not None:
            menu.exec(self.nav.viewport().mapToGlobal(pos))

    # ---- renaming in place --------------------------------------------------------------------
    def item_for(self, playlist_id: int) -> QTreeWidgetItem | None:
        section = self.nav.playlists_section
        for i in range(section.childCount()):
            if playlist_id_of(section.child(i)) == playlist_id:
                return section.child(i)
        return None

    def edit_name(self, playlist_id: int) -> None:
        item = self.item_for(playlist_id)
        if item is None:
            return
        self._editing = playlist_id
        self.nav.blockSignals(True)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        self.nav.blockSignals(False)
        self.nav.scrollToItem(item)
        self.nav.editItem(item, 0)
        for editor in self.nav.viewport().findChildren(QLineEdit):
            editor.setStyleSheet(field_style(self.nav.theme))

    def _edit_closed(self, *_args: object) -> None:
        playlist_id, self._editing = self._editing, None
        item = self.item_for(playlist_id) if playlist_id is not None else None
        if item is not None:
            self.nav.blockSignals(True)
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.nav.blockSignals(False)

    def _item_changed(self, item: QTreeWidgetItem, _column: int) -> None:
        playlist_id = playlist_id_of(item)
        if playlist_id is None or playlist_id != self._editing:
            return
        name = item.text(0)  # stored once the editor has closed: renaming rebuilds the list
        QTimer.singleShot(0, lambda: self.actions.rename(playlist_id, name))

    # ---- keys and drops -----------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self.nav and kind == QEvent.Type.KeyPress:
            return self._key(event)  # type: ignore[arg-type]
        if watched is not self._viewport:
            return False
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            return self._drag(event)  # type: ignore[arg-type]
        if kind == QEvent.Type.DragLeave:
            self._highlight(None)
        elif kind == QEvent.Type.Drop:
            return self._drop(event)  # type: ignore[arg-type]
        return False

    def _key(self, event: QKeyEvent) -> bool:
        if self.nav.state() == Navigation.State.EditingState:
            return False
        playlist_id = playlist_id_of(self.nav.currentItem())
        if playlist_id is None:
            return False
        if event.key() == Qt.Key.Key_F2:
            self.edit_name(playlist_id)
            return True
        if event.key() == Qt.Key.Key_Delete:
            self.actions.ask_delete(playlist_id)
            return True
        return False

    def _target(self, event: QDragMoveEvent | QDropEvent) -> QTreeWidgetItem | None:
        item = self.nav.itemAt(event.position().toPoint())
        return item if playlist_id_of(item) is not None else None

    def _drag(self, event: QDragMoveEvent) -> bool:
        if not event.mimeData().hasFormat(TRACK_IDS_MIME):
            return False
        target = self._target(event)
        self._highlight(target)
        if target is not None:
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
        elif event.type() == QEvent.Type.DragEnter:
            event.accept()  # keep receiving moves: a playlist may be further down
        else:
            event.ignore()
        return True

    def _drop(self, event: QDropEvent) -> bool:
        if not event.mimeData().hasFormat(TRACK_IDS_MIME):
            return False
        self._highlight(None)
        playlist_id = playlist_id_of(self._target(event))
        ids = track_ids(event.mimeData())
        if playlist_id is None or not ids:
            event.ignore()
            return True
        if self.actions.add_tracks(playlist_id, ids):
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
        else:
            event.ignore()
        return True

    def _highlight(self, item: QTreeWidgetItem | None) -> None:
        if item is self._hover:
            return
        self.nav.blockSignals(True)
        if self._hover is not None:
            self._hover.setBackground(0, QBrush())
        if item is not None:
            item.setBackground(0, self.nav.theme.color("accent_soft"))
        self.nav.blockSignals(False)
        self._hover = item


def install(window: PlaylistWindow) -> tuple[PlaylistActions, PlaylistSidebar]:
    """Playlist editing for *window*: the actions, the sidebar and the queue's "save as"."""
    actions = PlaylistActions(window)
    sidebar = PlaylistSidebar(window.nav, actions)
    saver = getattr(window.queue_panel, "saveRequested", None)
    if saver is not None:
        saver.connect(actions.ask_save_queue)
    return actions, sidebar
