"""Dragging tracks inside the window: the mime type that carries them and the model side.

A drag from any track list carries the dragged tracks' library ids under
:data:`TRACK_IDS_MIME`, plus the rows and the model they came from under
:data:`TRACK_ROWS_MIME`, so a list can tell a drag of its own rows (a reorder)
from tracks arriving from elsewhere. Files dragged in from outside the window
(``text/uri-list``) are a different path and are not read here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QByteArray, QMimeData, QModelIndex, QPersistentModelIndex, Qt

TRACK_IDS_MIME = "application/x-kindred-track-ids"
TRACK_ROWS_MIME = "application/x-kindred-track-rows"

_Index = QModelIndex | QPersistentModelIndex
#: ``reorder(rows, to_row)``: move the model's *rows* so they land before *to_row*
Reorder = Callable[[list[int], int], None]


def track_mime(ids: Sequence[int], rows: Sequence[int] = (), source: object = None) -> QMimeData:
    """Mime data carrying track ids (and, for a drag out of a list, its rows and list)."""
    mime = QMimeData()
    mime.setData(TRACK_IDS_MIME, QByteArray(",".join(str(i) for i in ids).encode()))
    if source is not None:
        body = f"{id(source)}:" + ",".join(str(r) for r in rows)
        mime.setData(TRACK_ROWS_MIME, QByteArray(body.encode()))
    return mime


def _numbers(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip().lstrip("-").isdigit()]


def track_ids(mime: QMimeData) -> list[int]:
    """The track ids a drag carries ([] when it carries none, or garbage)."""
    if not mime.hasFormat(TRACK_IDS_MIME):
        return []
    return _numbers(bytes(mime.data(TRACK_IDS_MIME).data()).decode("ascii", "replace"))


def own_rows(mime: QMimeData, source: object) -> list[int] | None:
    """The dragged rows when the drag started in *source*; None for any other drag."""
    if not mime.hasFormat(TRACK_ROWS_MIME):
        return None
    text = bytes(mime.data(TRACK_ROWS_MIME).data()).decode("ascii", "replace")
    owner, _, rows = text.partition(":")
    if owner != str(id(source)):
        return None
    return _numbers(rows)


class TrackDragMixin:
    """The drag half of a track table model: rows drag out as track ids.

    Drops are accepted only while :attr:`reorder` is set (a playlist shown in
    its own order); a drop of the model's own rows calls it.
    """

    ids: list[int]
    reorder: Reorder | None = None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.isValid():
            base |= Qt.ItemFlag.ItemIsDragEnabled
        if self.reorder is not None:
            base |= Qt.ItemFlag.ItemIsDropEnabled
        return base

    def mimeTypes(self) -> list[str]:
        return [TRACK_IDS_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        rows = sorted({i.row() for i in indexes if 0 <= i.row() < len(self.ids)})
        return track_mime([self.ids[r] for r in rows], rows, self)

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction | Qt.DropAction.MoveAction

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction | Qt.DropAction.MoveAction

    def canDropMimeData(self, data: QMimeData, *args: Any) -> bool:
        return self.reorder is not None and own_rows(data, self) is not None

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: _Index
    ) -> bool:
        if action == Qt.DropAction.IgnoreAction:
            return True
        rows = own_rows(data, self)
        if self.reorder is None or not rows:
            return False
        if row < 0:
            row = parent.row() if parent.isValid() else len(self.ids)
        self.reorder(rows, row)
        return False  # the move is stored; the view must not remove the dragged rows
