"""The "Hidden tracks" dialog: the tracks dismissed from For You, and bringing them back.

"Not this one" on a recommendation is stored in the library
(:mod:`player.recommend.feedback`); this dialog lists those tracks,
most recently hidden first, and restores a selection or all of them. It only
reports what it restored (``restored(track_ids)``); the For You page then
counts again and recomputes its shelves.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QWidget,
)

from player.library.store import LibraryDB
from player.recommend import feedback
from player.recommend.feedback import DismissedTrack
from player.ui.kit.dialogs import titled_layout
from player.ui.kit.qtfix import emit
from player.ui.kit.theme import Theme

log = logging.getLogger(__name__)

# the item data role holding a row's track id
TRACK_ID = Qt.ItemDataRole.UserRole


def _style(theme: Theme) -> str:
    c = theme.colors
    return (
        f"QLabel#EditorTitle {{ font-size: 14pt; font-weight: 700; color: {c['text']}; }}"
        f"QListWidget#HiddenList {{ background: {c['bg']}; border: 1px solid {c['border']}; "
        f"border-radius: 8px; padding: 4px; }}"
        f"QListWidget#HiddenList::item {{ padding: 5px 8px; border-radius: 6px; }}"
        f"QListWidget#HiddenList::item:selected {{ background: {c['selection']}; "
        f"color: {c['text']}; }}"
        f"QPushButton#Primary:disabled {{ background: {c['panel_hi']}; color: {c['text_dim']}; "
        f"border: 1px solid {c['border']}; font-weight: 400; }}"
    )


class HiddenTracksDialog(QDialog):
    """Dismissed tracks with Restore / Restore all; ``restored(track_ids)`` after each restore."""

    restored = Signal(list)

    def __init__(self, db: LibraryDB, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setObjectName("HiddenTracks")
        self.setWindowTitle(self.tr("Hidden tracks"))
        self.setAccessibleName(self.windowTitle())
        self.resize(540, 480)
        layout = titled_layout(self)
        about = QLabel(
            self.tr(
                "Tracks you said “Not this one” to on For You, most recent first. Restore "
                "them and they can be recommended again."
            ),
            self,
        )
        about.setObjectName("PageSubtitle")
        about.setWordWrap(True)
        layout.addWidget(about)
        self.list = QListWidget(self)
        self.list.setObjectName("HiddenList")
        self.list.setAccessibleName(self.tr("Hidden tracks"))
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setUniformItemSizes(True)
        layout.addWidget(self.list, 1)
        self.empty = QLabel(self.tr("Nothing is hidden from your recommendations."), self)
        self.empty.setObjectName("EmptyText")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        layout.addWidget(self.empty, 1)
        self.status = QLabel("", self)
        self.status.setObjectName("PageSubtitle")
        self.status.setAccessibleName(self.tr("Result"))
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.buttons = QDialogButtonBox(self)
        self.restore_button = self.buttons.addButton(
            self.tr("Restore"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.restore_button.setObjectName("Primary")
        self.restore_button.setDefault(True)
        self.restore_button.setToolTip(self.tr("Let the selected tracks be recommended again"))
        self.restore_all_button = self.buttons.addButton(
            self.tr("Restore all"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.close_button = self.buttons.addButton(
            self.tr("Close"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.restore_button.clicked.connect(self.restore_selected)
        self.restore_all_button.clicked.connect(self.restore_all)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.list.itemSelectionChanged.connect(self._update_buttons)
        self.list.itemActivated.connect(lambda _item: self.restore_selected())
        self.setStyleSheet(_style(theme))  # last: the children are named by now
        self.reload()

    # ---- the list --------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the dismissed tracks again (a failure is shown, the list stays as it was)."""
        try:
            tracks = feedback.dismissed_tracks(self.db)
        except sqlite3.Error as exc:
            log.exception("could not list the hidden tracks")
            failed = self.tr("Could not read the hidden tracks: {error}")
            self.status.setText(failed.format(error=exc))
            return
        self.list.clear()
        for track in tracks:
            self.list.addItem(self._item(track))
        self._update_buttons()

    def _item(self, track: DismissedTrack) -> QListWidgetItem:
        title = track.title or self.tr("Unknown title")
        text = f"{title}  —  {track.artist}" if track.artist else title
        item = QListWidgetItem(text)
        item.setData(TRACK_ID, track.track_id)
        when = QLocale().toString(
            dt.datetime.fromtimestamp(track.dismissed_at), QLocale.FormatType.ShortFormat
        )
        hidden = self.tr("Hidden {when}").format(when=when)
        item.setToolTip("\n".join(x for x in (track.album, hidden) if x))
        return item

    def track_ids(self) -> list[int]:
        """The listed track ids, in the order shown."""
        return [int(self.list.item(i).data(TRACK_ID)) for i in range(self.list.count())]

    def _update_buttons(self) -> None:
        count = self.list.count()
        self.list.setVisible(count > 0)
        self.empty.setVisible(count == 0)
        self.restore_button.setEnabled(bool(self.list.selectedItems()))
        self.restore_all_button.setEnabled(count > 0)

    # ---- restoring -------------------------------------------------------------------------
    def restore_selected(self) -> list[int]:
        return self.restore([int(item.data(TRACK_ID)) for item in self.list.selectedItems()])

    def restore_all(self) -> list[int]:
        return self.restore(self.track_ids())

    def restore(self, track_ids: list[int]) -> list[int]:
        """Let *track_ids* be recommended again; returns the ids restored (none on failure)."""
        if not track_ids:
            return []
        try:
            feedback.restore(self.db, track_ids)
        except sqlite3.Error as exc:
            log.exception("could not restore hidden tracks")
            self.status.setText(self.tr("Could not restore: {error}").format(error=exc))
            return []
        self.status.setText(
            self.tr("Restored %Ln tracks: For You can suggest them again.", "", len(track_ids))
        )
        self.reload()
        emit(self.restored, list(track_ids))
        return list(track_ids)
