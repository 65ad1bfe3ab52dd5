"""The inbox: the bell's popup listing my notifications, grouped by song, newest first.

Each notification says who did what ("bob replied: …", "12 people liked your
comment", "A moderator hid your comment: spam") under the song it is about: its
title when this library holds the song, else "a song". "Load more" reads the
next page. Opening the inbox marks everything shown read (the bell goes to 0).

Clicking a notification opens the Comments tab on that song and scrolls to the
comment (a reply's thread is opened first). Playback: when nothing plays, the
song starts; when something else plays, the song is queued to play next, so
what plays is never cut off. A song the library does not hold cannot be opened
in the tab (it shows the comments of library tracks): the popup says so.

:class:`Inbox` wires the bell the window put in its top bar
(:func:`~player.ui.comments.bell.put_bell`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Protocol

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QLabel,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from player.social.inbox import InboxItem, InboxPage, mark_read, read_inbox
from player.social.service import CommentsService
from player.ui.comments.bell import Bell, UnreadPoller
from player.ui.comments.card import CommentCard
from player.ui.comments.panel import CommentsPanel
from player.ui.kit.qtfix import emit
from player.ui.kit.tasks import TaskRunner
from player.ui.kit.theme import Theme
from player.ui.kit.window import KindredWindow
from player.ui.tracks.playall import queue_items_for

log = logging.getLogger(__name__)
EXCERPT = 90

_QSS = """
QFrame#InboxPopup { background: $panel; border: 1px solid $border; border-radius: 10px; }
QWidget#InboxList, QScrollArea#InboxScroll { background: $panel; }
QLabel#InboxTitle { color: $text; font-weight: 700; font-size: 11pt; }
QLabel#InboxSong { color: $text_dim; font-size: 8pt; font-weight: 700; padding: 8px 4px 0 4px; }
QFrame#InboxRow { background: $panel_hi; border: 1px solid $border; border-radius: 8px; }
QFrame#InboxRow[unread="true"] { border: 1px solid $accent; }
QFrame#InboxRow:hover { background: $hover; }
QLabel#InboxText { color: $text; }
QLabel#InboxExcerpt, QLabel#InboxMeta { color: $text_dim; font-size: 8.5pt; }
"""


class InboxWindow(KindredWindow, Protocol):
    """The window as the inbox uses it: the Comments tab and the side panel holding it."""

    @property
    def comments(self) -> CommentsPanel: ...
    @property
    def side(self) -> QTabWidget: ...


def excerpt(text: str, width: int = EXCERPT) -> str:
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 1] + "…"


class InboxRow(QFrame):
    """One notification; ``clicked`` when it is clicked."""

    clicked = Signal()

    def __init__(self, item: InboxItem, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("InboxRow")
        self.item = item
        n = item.notification
        self.setProperty("unread", "true" if not n.read else "false")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        column = QVBoxLayout(self)
        column.setContentsMargins(10, 6, 10, 6)
        column.setSpacing(2)
        self.text = QLabel(self.describe(), self)
        self.text.setObjectName("InboxText")
        self.text.setWordWrap(True)
        column.addWidget(self.text)
        quoted = "" if n.comment.deleted else excerpt(n.comment.body)
        self.excerpt = QLabel(f"“{quoted}”" if quoted else "", self)
        self.excerpt.setObjectName("InboxExcerpt")
        self.excerpt.setWordWrap(True)
        self.excerpt.setVisible(bool(quoted))
        column.addWidget(self.excerpt)
        self.setAccessibleName(" ".join(p for p in (self.describe(), quoted) if p))

    def describe(self) -> str:
        n = self.item.notification
        who = n.actors[0].username if n.actors else self.tr("Someone")
        if n.kind == "reply":
            return self.tr("{name} replied to your comment").format(name=who)
        if n.kind == "mention":
            return self.tr("{name} mentioned you").format(name=who)
        if n.kind == "like":
            if n.actor_count <= 1:
                return self.tr("{name} liked your comment").format(name=who)
            if n.actor_count == 2 and len(n.actors) >= 2:
                return self.tr("{first} and {second} liked your comment").format(
                    first=n.actors[0].username, second=n.actors[1].username
                )
            return self.tr("%n people liked your comment", "", n.actor_count)
        if n.kind == "hidden":
            if n.reason:
                return self.tr("A moderator hid your comment: {reason}").format(reason=n.reason)
            return self.tr("A moderator hid your comment")
        return n.kind

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
            event.position().toPoint()
        ):
            emit(self.clicked)
        super().mouseReleaseEvent(event)


@dataclass
class _Group:
    header: QLabel
    box: QVBoxLayout


class InboxPopup(QFrame):
    """The list under the bell. ``chosen(InboxItem)``; ``markedRead(unread_left)``."""

    chosen = Signal(object)
    markedRead = Signal(int)

    def __init__(
        self, backend: CommentsService, runner: TaskRunner, theme: Theme, parent: QWidget
    ) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("InboxPopup")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.backend, self.runner = backend, runner
        self.rows: list[InboxRow] = []
        self.groups: dict[int, _Group] = {}
        self.next_cursor: str | None = None
        self._generation = 0
        self._loading = False
        style = _QSS
        for key in sorted(theme.colors, key=len, reverse=True):
            style = style.replace(f"${key}", theme.colors[key])
        self.setStyleSheet(style)
        self.setFixedWidth(380)
        self.setMaximumHeight(480)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(10, 10, 10, 10)
        outer.setSpacing(6)
        self.title = QLabel(self.tr("Notifications"), self)
        self.title.setObjectName("InboxTitle")
        outer.addWidget(self.title)
        self.status = QLabel("", self)
        self.status.setObjectName("InboxMeta")
        self.status.setWordWrap(True)
        outer.addWidget(self.status)
        self.scroll = QScrollArea(self)
        self.scroll.setObjectName("InboxScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list = QWidget(self.scroll)
        self.list.setObjectName("InboxList")
        self.column = QVBoxLayout(self.list)
        self.column.setContentsMargins(0, 0, 4, 0)
        self.column.setSpacing(6)
        self.column.addStretch(1)
        self.scroll.setWidget(self.list)
        self.scroll.setMinimumHeight(380)
        outer.addWidget(self.scroll, 1)
        self.more = QPushButton(self.tr("Load more"), self)
        self.more.setVisible(False)
        self.more.clicked.connect(self.load_more)
        outer.addWidget(self.more)

    # ---- opening ------------------------------------------------------------------------
    def open_at(self, anchor: QWidget) -> None:
        """Show under *anchor* (its right edges lined up) and read the first page."""
        below = anchor.mapToGlobal(QPoint(anchor.width(), anchor.height() + 4))
        self.adjustSize()
        self.move(below.x() - self.width(), below.y())
        self.show()
        self.reload()

    def reload(self) -> None:
        self._clear()
        if not self.backend.configured or not self.backend.signed_in:
            self._say(self.tr("Sign in to a comment server to get notifications."))
            return
        self._read(None)

    def load_more(self) -> None:
        if self.next_cursor and not self._loading:
            self._read(self.next_cursor)

    def _read(self, cursor: str | None) -> None:
        self._loading = True
        self._generation += 1
        generation = self._generation
        self._say(self.tr("Loading…"))
        task = self.runner.submit(read_inbox, self.backend, cursor, name="notifications")
        task.done.connect(lambda page, error: self._loaded(generation, cursor, page, error))

    def _loaded(
        self, generation: int, cursor: str | None, page: InboxPage | None, error: Any
    ) -> None:
        if generation != self._generation:
            return
        self._loading = False
        if page is None:
            why = getattr(error, "short", "") or str(error)
            self._say(self.tr("Notifications could not be loaded: {error}").format(error=why))
            return
        for item in page.items:
            self._add(item)
        self.next_cursor = page.next_cursor
        self.more.setVisible(bool(page.next_cursor))
        self._say("" if self.rows else self.tr("No notifications yet."))
        if cursor is None and any(not i.notification.read for i in page.items):
            newest = max(i.notification.id for i in page.items)
            task = self.runner.submit(mark_read, self.backend, newest, name="mark read")
            task.done.connect(self._marked)

    def _marked(self, unread_left: int | None, error: Any) -> None:
        if unread_left is None:
            log.info("notifications were not marked read: %s", error)
            return
        emit(self.markedRead, int(unread_left))

    # ---- showing ----------------------------------------------------------------------------
    def _add(self, item: InboxItem) -> None:
        song = item.notification.song_id
        group = self.groups.get(song)
        if group is None:
            if item.track_id is not None:
                name = " — ".join(p for p in (item.title, item.artist) if p) or self.tr("a song")
            else:
                name = self.tr("a song")
            header = QLabel(name, self.list)
            header.setObjectName("InboxSong")
            box = QVBoxLayout()
            box.setSpacing(4)
            at = self.column.count() - 1  # before the stretch
            self.column.insertWidget(at, header)
            self.column.insertLayout(at + 1, box)
            group = self.groups[song] = _Group(header, box)
        row = InboxRow(item, self.list)
        row.clicked.connect(lambda: self._chosen(row.item))
        group.box.addWidget(row)
        self.rows.append(row)

    def _chosen(self, item: InboxItem) -> None:
        if item.track_id is None:
            self._say(
                self.tr("That song is not in your library, so its comments cannot be opened here.")
            )
            return
        self.hide()
        emit(self.chosen, item)

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def _clear(self) -> None:
        while self.column.count() > 1:
            taken = self.column.takeAt(0)
            widget = taken.widget()
            if widget is not None:
                widget.deleteLater()
            inner = taken.layout()
            if isinstance(inner, QBoxLayout):
                while inner.count():
                    child = inner.takeAt(0).widget()
                    if child is not None:
                        child.deleteLater()
                inner.deleteLater()
        self.rows.clear()
        self.groups.clear()
        self.next_cursor = None
        self.more.setVisible(False)


class Inbox:
    """The bell, its poller and popup, and what a chosen notification does in *window*."""

    def __init__(self, window: InboxWindow, bell: Bell) -> None:
        self.window = window
        self.panel = window.comments
        self.bell = bell
        backend = self.panel.backend
        self.poller = UnreadPoller(backend, window.net_runner, window.window(), bell)
        self.popup = InboxPopup(backend, window.net_runner, window.theme, window.window())
        self.poller.changed.connect(bell.set_count)
        bell.clicked.connect(lambda: self.popup.open_at(bell))
        self.popup.markedRead.connect(self._marked)
        self.popup.chosen.connect(self.open)
        self.panel.accountChanged.connect(self.poller.reset)
        self._wanted: tuple[int, int | None] | None = None  # (comment, its parent) to show
        self.panel.loaded.connect(self._reveal)
        self.panel.repliesShown.connect(self._replies_shown)

    def _marked(self, unread_left: int) -> None:
        self.poller.etag = None  # the next ask gets a fresh count and tag
        self.poller.set_count(unread_left)

    def open(self, item: InboxItem) -> None:
        """Show the notification's comment in the Comments tab; play or queue its song."""
        if item.track_id is None:
            return
        comment = item.notification.comment
        self._wanted = (comment.id, comment.parent_id)
        self.window.side.setCurrentWidget(self.panel)
        same = self.panel.track_id == item.track_id and self.panel.song_id is not None
        self.panel.show_track(item.track_id, item.title, item.artist)
        if same:
            self._reveal()
        self._play(item.track_id)

    def _play(self, track_id: int) -> None:
        bridge = self.window.bridge
        playing = bridge.playing_item
        if playing is not None and playing.track_id == track_id:
            return
        task = self.window.runner.submit(queue_items_for, self.window.db_path, [track_id])

        def ready(items: list[Any] | None, _error: Any) -> None:
            if not items:
                return
            if bridge.playing_item is None:
                bridge.play_items(items)
            else:
                bridge.play_next(items)

        task.done.connect(ready)

    def _reveal(self) -> None:
        if self._wanted is None:
            return
        comment_id, parent_id = self._wanted
        card = self.panel.cards.get(comment_id)
        if card is not None:
            self._wanted = None
            QTimer.singleShot(0, self.panel, lambda: self._scroll_to(card))
        elif parent_id is not None and parent_id in self.panel.cards:
            self.panel.load_replies(parent_id)  # then _replies_shown
        else:
            self._wanted = None  # not on the first page: the song's comments show

    def _replies_shown(self, parent_id: int) -> None:
        if self._wanted is not None and self._wanted[1] == parent_id:
            self._reveal()

    def _scroll_to(self, card: CommentCard) -> None:
        accent = self.window.theme.colors.get("accent", "#888")
        card.setStyleSheet(f"QFrame#{card.objectName()} {{ border: 1px solid {accent}; }}")
        self.panel.scroll.ensureWidgetVisible(card, 0, 40)
