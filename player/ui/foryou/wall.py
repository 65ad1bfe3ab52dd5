"""The For You shelf "Loved in the comments": the week's most liked comments.

Each row quotes a comment and names its song (artist – title); songs this
library holds play from the row (double-click, or its play button), the others
are shown only. The wall is fetched on the network runner (see
:func:`player.social.wall.load_wall`, which keeps it for offline use) when the
page is first shown and again at most every :data:`REFRESH_S` seconds as the
page updates. The shelf is hidden when no comment server is set or the wall is
empty. :func:`attach` puts it below the recommendation shelves.
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from player.audio.queue import QueueItem
from player.library.search import fetch_rows
from player.social.service import CommentsService
from player.social.wall import Wall, WallItem, load_wall
from player.ui.foryou.page import ForYouPage
from player.ui.kit.bridge import PlayerBridge
from player.ui.kit.clamped import ClampedLabel
from player.ui.kit.qtfix import emit
from player.ui.kit.tasks import TaskRunner
from player.ui.kit.theme import Theme

# the wall is asked for again at most this often (the server keeps it 30 s itself)
REFRESH_S = 120.0


def song_text(item: WallItem) -> str:
    song = item.song
    if song is None:
        return "?"
    if song.artist and song.title:
        return f"{song.artist} – {song.title}"
    return song.title or song.artist or f"#{song.id}"


class WallRow(QFrame):
    """One comment of the wall: its text, its song, who wrote it, its likes. ``activated()``."""

    activated = Signal(object)  # the WallItem

    def __init__(self, item: WallItem, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("RecRow")
        self.item = item
        self.playable = item.track_id is not None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 6, 4)
        layout.setSpacing(8)
        text = QVBoxLayout()
        text.setSpacing(0)
        comment = item.comment
        self.body = ClampedLabel(f"“{comment.body}”", 2, self)
        self.body.setObjectName("RecTitle")
        where = song_text(item)
        if not self.playable:
            where += " · " + self.tr("not in your library")
        self.song = ClampedLabel(where, 1, self)
        self.song.setObjectName("RecMeta")
        who = comment.author.username if comment.author else "?"
        self.meta = ClampedLabel(f"{who} · ♥ {comment.like_count}", 1, self)
        self.meta.setObjectName("RecReason")
        for label in (self.body, self.song, self.meta):
            text.addWidget(label)
        left = QWidget(self)
        left.setLayout(text)
        left.setMinimumWidth(110)
        layout.addWidget(left, 1)
        self.play = QToolButton(self)
        theme.set_icon(self.play, "play", "accent" if self.playable else "text_dim")
        self.play.setIconSize(QSize(15, 15))
        self.play.setCursor(Qt.CursorShape.PointingHandCursor)
        self.play.setEnabled(self.playable)
        if self.playable:
            name = self.tr("Play {song}").format(song=song_text(item))
            self.play.setToolTip(self.tr("In your library: play it"))
        else:
            name = self.tr("Not in your library")
            self.play.hide()
        self.play.setAccessibleName(name)
        self.play.clicked.connect(lambda: emit(self.activated, item))
        layout.addWidget(self.play)
        self.setAccessibleName(f"{song_text(item)}: {comment.body}")

    def mouseDoubleClickEvent(self, event: Any) -> None:
        if self.playable:
            emit(self.activated, self.item)
        event.accept()


class WallShelf(QFrame):
    """The shelf; ``refresh()`` asks the server, ``show_wall(wall)`` draws what came back."""

    def __init__(
        self,
        service: CommentsService,
        runner: TaskRunner,
        bridge: PlayerBridge,
        db: Any,
        theme: Theme,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("Shelf")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.service, self.runner, self.bridge, self.db, self.theme = (
            service,
            runner,
            bridge,
            db,
            theme,
        )
        self.wall: Wall | None = None
        self.rows: list[WallRow] = []
        self._busy = False
        self._fetched_at = 0.0
        title = self.tr("Loved in the comments")
        self.setAccessibleName(title)
        self.outer = QVBoxLayout(self)
        self.outer.setContentsMargins(16, 14, 16, 12)
        self.outer.setSpacing(6)
        self.title = QLabel(title, self)
        self.title.setObjectName("ShelfTitle")
        self.subtitle = QLabel(self)
        self.subtitle.setObjectName("ShelfSubtitle")
        for label in (self.title, self.subtitle):
            label.setWordWrap(True)
            label.setMinimumWidth(120)
            self.outer.addWidget(label)
        self.hide()

    def refresh(self, *, force: bool = False) -> None:
        """Fetch the wall on the worker (unless one is under way or it is recent)."""
        if not self.service.configured:
            self.show_wall(Wall([]))
            return
        if self._busy or (not force and time.monotonic() - self._fetched_at < REFRESH_S):
            return
        self._busy = True
        task = self.runner.submit(load_wall, self.service, name="comment wall")
        task.done.connect(self._loaded)

    def _loaded(self, wall: Wall | None, error: object) -> None:
        self._busy = False
        if wall is None:  # an unexpected failure: keep what is shown, try again later
            return
        self._fetched_at = time.monotonic()
        self.show_wall(wall)

    def show_wall(self, wall: Wall) -> None:
        self.wall = wall
        for row in self.rows:
            self.outer.removeWidget(row)
            row.hide()
            row.deleteLater()
        self.rows = []
        for item in wall.items:
            row = WallRow(item, self.theme, self)
            row.activated.connect(self.play)
            self.outer.addWidget(row)
            self.rows.append(row)
        held = sum(row.playable for row in self.rows)
        text = self.tr("The most liked comments of the week · in your library: {n}")
        if wall.stale:
            text = self.tr("The most liked comments of the week (offline: as last seen)")
        self.subtitle.setText(text.format(n=held))
        self.setVisible(bool(self.rows))

    def play(self, item: WallItem) -> None:
        """Play the library's track of this comment's song."""
        if item.track_id is None:
            return
        rows = fetch_rows(self.db, [item.track_id])
        if rows:
            self.bridge.play_items([QueueItem.from_row(rows[0])], 0)


class _Shown(QObject):
    """Refreshes the wall when the For You page is shown."""

    def __init__(self, shelf: WallShelf) -> None:
        super().__init__(shelf)
        self.shelf = shelf

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show:
            self.shelf.refresh()
        return False


def attach(
    page: ForYouPage, service: CommentsService, runner: TaskRunner, bridge: PlayerBridge
) -> WallShelf:
    """Put the wall on *page*, below its recommendation shelves (they are inserted above it)."""
    shelf = WallShelf(service, runner, bridge, page.db, page.theme, page.body)
    page.column.insertWidget(0, shelf)
    page.wall = shelf
    page.installEventFilter(_Shown(shelf))
    page.updated.connect(shelf.refresh)
    return shelf
