"""The Comments tab: the conversation about the playing (or selected) track.

Hot comments on top, then the newest with endless scrolling; likes, replies,
edits, deletes and reports; a posting box that can pin the comment to the
current moment. Everything written goes to the outbox first and shows at once
as "pending"; a timer delivers the outbox in the background. Reading and
sending run on the task runner; offline, the cached comments show, marked as
possibly out of date. ``momentsChanged`` and ``countChanged`` feed the seek
slider's marks and the now-playing bar.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from player.audio.queue import QueueItem
from player.library.db import LibraryDB
from player.social.client import Comment, CommentPage
from player.social.errors import SocialError
from player.social.outbox import Delivery, Entry
from player.social.songs import identity
from player.ui.bridge import PlayerBridge
from player.ui.comments_backend import CommentsBackend, SongComments
from player.ui.comments_card import CommentCard, moment_text, primary_button, section_label
from player.ui.comments_style import panel_style
from player.ui.qtfix import emit
from player.ui.tasks import TaskRunner
from player.ui.theme import Theme

log = logging.getLogger(__name__)
DELIVER_EVERY_MS = 15000
NEAR_BOTTOM_PX = 160


class CommentsPanel(QWidget):
    """The tab. ``momentsChanged(list[(ms, text)])``, ``countChanged(int)`` (-1: unknown)."""

    momentsChanged = Signal(object)
    countChanged = Signal(int)
    seekRequested = Signal(int)

    def __init__(
        self,
        backend: CommentsBackend,
        bridge: PlayerBridge,
        db: LibraryDB,
        runner: TaskRunner,
        theme: Theme,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("CommentsPanel")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.backend, self.bridge, self.db, self.runner, self.theme = (
            backend, bridge, db, runner, theme,
        )  # fmt: skip
        self.track_id: int | None = None
        self.song_id: int | None = None
        self.next_cursor: str | None = None
        self.cards: dict[int, CommentCard] = {}
        self.pending_cards: dict[int, CommentCard] = {}  # outbox entry id -> card
        self.comments: dict[int, Comment] = {}
        self._new_ids: set[int] = set()
        self._pinned: int | None = None
        self.stale = False
        self._generation = 0
        self._loading_more = False
        self._delivering = False
        self._position = 0
        self.setStyleSheet(panel_style(theme))
        self._build()
        self.timer = QTimer(self)
        self.timer.setInterval(DELIVER_EVERY_MS)
        self.timer.timeout.connect(self.deliver)
        self.timer.start()
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(50)
        self._soon.timeout.connect(self.deliver)
        bridge.trackChanged.connect(self._track_changed)
        bridge.positionChanged.connect(self._position_changed)
        self._show_account()
        self._track_changed(bridge.playing_item)

    # ---- building -------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        head = QWidget(self)
        head.setObjectName("CommentsHead")
        column = QVBoxLayout(head)
        column.setContentsMargins(14, 10, 14, 6)
        column.setSpacing(2)
        self.title = QLabel("Comments", head)
        self.title.setObjectName("CommentsTitle")
        self.subtitle = QLabel("", head)
        self.subtitle.setObjectName("CommentMeta")
        self.status = QLabel("", head)
        self.status.setObjectName("CommentStatus")
        self.status.setWordWrap(True)
        self.status.setVisible(False)
        for widget in (self.title, self.subtitle, self.status):
            column.addWidget(widget)
        outer.addWidget(head)
        outer.addWidget(self._account_box())
        self.scroll = QScrollArea(self)
        self.scroll.setObjectName("CommentsScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list = QWidget(self.scroll)
        self.list.setObjectName("CommentsList")
        self.rows = QVBoxLayout(self.list)
        self.rows.setContentsMargins(10, 6, 10, 10)
        self.rows.setSpacing(8)
        self.hot_label = section_label("HOT", self.list)
        self.hot_box = QVBoxLayout()
        self.hot_box.setSpacing(8)
        self.new_label = section_label("NEWEST", self.list)
        self.pending_box = QVBoxLayout()
        self.pending_box.setSpacing(8)
        self.new_box = QVBoxLayout()
        self.new_box.setSpacing(8)
        self.empty = QLabel("No comments yet. Say something about this song!", self.list)
        self.empty.setObjectName("CommentEmpty")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.footer = QLabel("", self.list)
        self.footer.setObjectName("CommentMeta")
        self.footer.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.rows.addWidget(self.hot_label)
        self.rows.addLayout(self.hot_box)
        self.rows.addWidget(self.new_label)
        self.rows.addLayout(self.pending_box)
        self.rows.addLayout(self.new_box)
        self.rows.addWidget(self.empty)
        self.rows.addWidget(self.footer)
        self.rows.addStretch(1)
        self.scroll.setWidget(self.list)
        self.scroll.verticalScrollBar().valueChanged.connect(self._scrolled)
        outer.addWidget(self.scroll, 1)
        outer.addWidget(self._compose_box())

    def _account_box(self) -> QWidget:
        box = QFrame(self)
        box.setObjectName("AccountBox")
        layout = QVBoxLayout(box)
        layout.setContentsMargins(14, 6, 14, 8)
        layout.setSpacing(6)
        self.signin = QWidget(box)
        form = QVBoxLayout(self.signin)
        form.setContentsMargins(0, 0, 0, 0)
        form.setSpacing(6)
        hint = QLabel("Sign in to like, reply and post.", self.signin)
        hint.setObjectName("CommentMeta")
        self.user_field = QLineEdit(self.signin)
        self.user_field.setPlaceholderText("Username")
        self.user_field.setAccessibleName("Username")
        self.password_field = QLineEdit(self.signin)
        self.password_field.setPlaceholderText("Password")
        self.password_field.setAccessibleName("Password")
        self.password_field.setEchoMode(QLineEdit.EchoMode.Password)
        buttons = QHBoxLayout()
        self.signin_button = primary_button("Sign in", self.signin)
        self.register_button = QPushButton("Register", self.signin)
        buttons.addWidget(self.signin_button)
        buttons.addWidget(self.register_button)
        buttons.addStretch(1)
        self.account_error = QLabel("", self.signin)
        self.account_error.setObjectName("CommentError")
        self.account_error.setWordWrap(True)
        self.account_error.setVisible(False)
        for widget in (hint, self.user_field, self.password_field):
            form.addWidget(widget)
        form.addLayout(buttons)
        form.addWidget(self.account_error)
        self.signed = QWidget(box)
        row = QHBoxLayout(self.signed)
        row.setContentsMargins(0, 0, 0, 0)
        self.who = QLabel("", self.signed)
        self.who.setObjectName("CommentMeta")
        out = QToolButton(self.signed)
        out.setObjectName("CommentAction")
        out.setText("Sign out")
        out.clicked.connect(self.sign_out)
        row.addWidget(self.who, 1)
        row.addWidget(out)
        layout.addWidget(self.signin)
        layout.addWidget(self.signed)
        self.signin_button.clicked.connect(lambda: self.sign_in(register=False))
        self.register_button.clicked.connect(lambda: self.sign_in(register=True))
        self.password_field.returnPressed.connect(lambda: self.sign_in(register=False))
        return box

    def _compose_box(self) -> QWidget:
        box = QFrame(self)
        box.setObjectName("ComposeBox")
        layout = QVBoxLayout(box)
        layout.setContentsMargins(12, 8, 12, 10)
        layout.setSpacing(6)
        self.editor = QPlainTextEdit(box)
        self.editor.setObjectName("ComposeEdit")
        self.editor.setPlaceholderText("Add a comment…")
        self.editor.setAccessibleName("Write a comment")
        self.editor.setFixedHeight(58)
        row = QHBoxLayout()
        row.setSpacing(8)
        self.pin = QToolButton(box)
        self.pin.setObjectName("PinToggle")
        self.pin.setCheckable(True)
        self.pin.setToolTip("Pin the comment to this moment of the song")
        self.pin.setCursor(Qt.CursorShape.PointingHandCursor)
        self.post_button = primary_button("Post", box)
        row.addWidget(self.pin)
        row.addStretch(1)
        row.addWidget(self.post_button)
        layout.addWidget(self.editor)
        layout.addLayout(row)
        self.post_button.clicked.connect(self.post)
        self.pin.toggled.connect(self._pin_toggled)
        self._show_pin()
        return box

    # ---- which track ---------------------------------------------------------------------
    def _track_changed(self, item: QueueItem | None) -> None:
        if item is not None:
            self.show_track(item.track_id, item.title, item.artist)

    def show_selected(self, track_id: int | None) -> None:
        """The selection changed: show it only when nothing plays."""
        if self.bridge.playing_item is None and track_id is not None:
            track = self.db.get_track(track_id)
            artist = track.artists[0] if track and track.artists else ""
            self.show_track(track_id, track.title if track else "", artist)

    def show_track(self, track_id: int | None, title: str = "", artist: str = "") -> None:
        if track_id == self.track_id and track_id is not None:
            return
        self.track_id = track_id
        self.song_id = None
        self.subtitle.setText(" — ".join(p for p in (title, artist) if p))
        self._clear()
        if track_id is None:
            self.empty.setText("Comments live with the songs in your library.")
            self.empty.setVisible(True)
            emit(self.countChanged, -1)
            return
        self.reload()

    def reload(self) -> None:
        if self.track_id is None:
            return
        self._generation += 1
        generation = self._generation
        self.footer.setText("Loading comments…")
        task = self.runner.submit(self.backend.load, self.track_id, name="comments")
        task.done.connect(lambda result, error: self._loaded(generation, result, error))

    def _clear(self) -> None:
        for box in (self.hot_box, self.pending_box, self.new_box):
            while box.count():
                widget = box.takeAt(0).widget()
                if widget is not None:
                    widget.deleteLater()
        self.cards.clear()
        self.pending_cards.clear()
        self.comments.clear()
        self._new_ids.clear()
        self.next_cursor = None
        self.hot_label.setVisible(False)
        self.footer.setText("")
        emit(self.momentsChanged, [])

    # ---- showing ----------------------------------------------------------------------------
    def _loaded(self, generation: int, result: SongComments | None, error: object) -> None:
        if generation != self._generation:
            return  # another track by now
        self._clear()
        if result is None:
            self._show_status(f"Comments could not be loaded: {getattr(error, 'short', error)}")
            self.empty.setVisible(True)
            return
        self.song_id = result.song_id
        self.stale = result.stale
        if result.stale:
            why = result.error.short if result.error else "the server cannot be reached"
            self._show_status(f"Offline ({why}): showing comments possibly out of date.")
        else:
            self._show_status("")
        for comment in result.hot:
            self.hot_box.addWidget(self._card(comment))
        self.hot_label.setVisible(bool(result.hot))
        self._add_page(result.new)
        self._show_pending()
        emit(self.countChanged, result.count if not result.stale else -1)
        self._moments()

    def _add_page(self, page: CommentPage) -> None:
        for comment in page.items:
            if comment.id in self._new_ids:
                continue  # a page boundary moved while new comments came in
            self._new_ids.add(comment.id)
            self.new_box.addWidget(self._card(comment))
        self.next_cursor = page.next_cursor
        self.footer.setText("Scroll for more" if self.next_cursor else "")
        self._update_empty()

    def _update_empty(self) -> None:
        has = self.new_box.count() + self.pending_box.count() + self.hot_box.count() > 0
        self.empty.setText("No comments yet. Say something about this song!")
        self.empty.setVisible(not has)

    def _card(self, comment: Comment) -> CommentCard:
        own = bool(
            self.backend.username
            and comment.author
            and comment.author.username == self.backend.username
        )
        card = CommentCard(comment, own=own, parent=self.list)
        self.comments[comment.id] = comment
        self.cards[comment.id] = card
        card.likeToggled.connect(self.like)
        card.repliesWanted.connect(self.load_replies)
        card.replyWritten.connect(self.reply)
        card.editWritten.connect(self.edit)
        card.deleteWanted.connect(self.delete)
        card.reportWritten.connect(self.report)
        card.seekWanted.connect(self._seek)
        return card

    def _show_pending(self) -> None:
        """Posts of this track still in the outbox, newest first, marked pending."""
        try:
            entries = self.backend.pending()
        except Exception:  # a locked database must not break the list
            log.exception("reading the outbox failed")
            return
        for entry in reversed(entries):
            if entry.kind != "post" or entry.payload.get("parent") is not None:
                continue
            if entry.id in self.pending_cards or not self._is_this_song(entry):
                continue
            self._add_pending(entry)
        self._update_empty()

    def _is_this_song(self, entry: Entry) -> bool:
        payload = entry.payload
        if payload.get("song_id") is not None:
            return self.song_id is not None and int(payload["song_id"]) == self.song_id
        return payload.get("track_id") == self.track_id or (
            payload.get("identity") == self._identity()
        )

    def _identity(self) -> dict[str, Any] | None:
        track = self.db.get_track(self.track_id) if self.track_id is not None else None
        return identity(track, with_fingerprint=False) if track else None

    def _add_pending(self, entry: Entry) -> CommentCard:
        card = CommentCard(
            None,
            pending_body=str(entry.payload.get("body", "")),
            pending_position=entry.payload.get("position_ms"),
            author=self.backend.username,
            parent=self.list,
        )
        card.seekWanted.connect(self._seek)
        self.pending_box.insertWidget(0, card)
        self.pending_cards[entry.id] = card
        return card

    def _show_status(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def _show_account(self) -> None:
        signed = self.backend.signed_in
        self.signin.setVisible(not signed)
        self.signed.setVisible(signed)
        self.who.setText(f"Signed in as {self.backend.username or 'you'}")

    def _moments(self) -> None:
        seen: dict[int, tuple[int, str]] = {}
        for comment in self.comments.values():
            if comment.position_ms is not None and not comment.deleted:
                author = comment.author.username if comment.author else ""
                seen[comment.id] = (int(comment.position_ms), f"{author}: {comment.body}")
        emit(self.momentsChanged, sorted(seen.values()))

    # ---- reading more -------------------------------------------------------------------------
    def _scrolled(self, value: int) -> None:
        bar = self.scroll.verticalScrollBar()
        if value >= bar.maximum() - NEAR_BOTTOM_PX:
            self.load_more()

    def load_more(self) -> None:
        if self._loading_more or not self.next_cursor or self.song_id is None or self.stale:
            return
        self._loading_more = True
        self.footer.setText("Loading more…")
        generation = self._generation
        task = self.runner.submit(self.backend.more, self.song_id, self.next_cursor, name="more")
        task.done.connect(lambda page, error: self._more_loaded(generation, page, error))

    def _more_loaded(self, generation: int, page: CommentPage | None, error: object) -> None:
        self._loading_more = False
        if generation != self._generation:
            return
        if page is None:
            self.footer.setText(f"Could not load more: {getattr(error, 'short', error)}")
            return
        self._add_page(page)
        self._moments()

    def load_replies(self, comment_id: int) -> None:
        task = self.runner.submit(self.backend.replies, comment_id, name="replies")
        task.done.connect(lambda page, error: self._replies_loaded(comment_id, page, error))

    def _replies_loaded(self, comment_id: int, page: CommentPage | None, error: object) -> None:
        card = self.cards.get(comment_id)
        if card is None:
            return
        if page is None:
            self._show_status(f"Replies could not be loaded: {getattr(error, 'short', error)}")
            return
        card.show_replies(page.items, self.backend.username)

    # ---- writing (outbox first) -------------------------------------------------------------
    def _need_account(self) -> bool:
        if self.backend.signed_in:
            return False
        self.account_error.setText("Sign in first: your words are kept until then.")
        self.account_error.setVisible(True)
        self.user_field.setFocus()
        return True

    def post(self) -> Entry | None:
        body = self.editor.toPlainText().strip()
        if not body or self.track_id is None:
            return None
        song: int | dict[str, Any] | None = self.song_id
        if song is None:
            song = self._identity()
        if song is None:
            return None
        position = self._pinned if self.pin.isChecked() else None
        entry = self.backend.outbox().post(song, body, position_ms=position)
        self.editor.clear()
        self.pin.setChecked(False)
        self._show_pin()
        self._add_pending(entry)
        self._update_empty()
        if not self.backend.signed_in:
            self._need_account()
        self.deliver_soon()
        return entry

    def like(self, comment_id: int, liked: bool) -> None:
        if self._need_account():
            return
        self.backend.outbox().like(comment_id, liked)
        self.deliver_soon()

    def reply(self, comment_id: int, body: str) -> None:
        song = self.song_id if self.song_id is not None else self._identity()
        if song is None:
            return
        entry = self.backend.outbox().post(song, body, parent=comment_id)
        card = self.cards.get(comment_id)
        if card is not None:
            pending = CommentCard(None, pending_body=body, author=self.backend.username,
                                  reply=True, parent=card)  # fmt: skip
            card.add_reply(pending)
            self.pending_cards[entry.id] = pending
        self._need_account()
        self.deliver_soon()

    def edit(self, comment_id: int, body: str) -> None:
        self.backend.outbox().edit(comment_id, body)
        self.deliver_soon()

    def delete(self, comment_id: int) -> None:
        self.backend.outbox().delete(comment_id)
        card = self.cards.pop(comment_id, None)
        if card is not None:
            card.setVisible(False)
            card.deleteLater()
        self.comments.pop(comment_id, None)
        self._moments()
        self.deliver_soon()

    def report(self, comment_id: int, reason: str) -> None:
        if self._need_account():
            return
        self.backend.outbox().report(comment_id, reason)
        self._show_status("Reporting…")
        self.deliver_soon()

    # ---- delivering ---------------------------------------------------------------------------
    def deliver_soon(self) -> None:
        self._soon.start()

    def deliver(self) -> None:
        if self._delivering or not self.backend.signed_in:
            return
        self._delivering = True
        task = self.runner.submit(self.backend.deliver, name="outbox")
        task.done.connect(self._delivered)

    def _delivered(self, delivery: Delivery | None, error: object) -> None:
        self._delivering = False
        if delivery is None:
            log.warning("delivering the outbox failed: %s", error)
            return
        for entry in delivery.sent:
            card = self.pending_cards.pop(entry.id, None)
            if card is not None:
                card.show_sent()
        for entry, failure in delivery.failed:
            card = self.pending_cards.pop(entry.id, None)
            if card is not None:
                card.state.setText("not sent")
                card.state.setToolTip(failure.short)
        if delivery.waiting is not None:
            waiting = len(self.pending_cards)
            if waiting:
                self._show_status(f"{waiting} waiting to send: {delivery.waiting.short}")
        elif any(e.kind == "report" for e in delivery.sent):
            self._show_status("Thank you: the moderators will look at the report.")
        elif not self.stale:
            self._show_status("")
        if any(e.kind == "post" and e.payload.get("parent") is None for e in delivery.sent):
            self.reload()  # the new comments, with their server ids, likes and replies
        elif self.stale and delivery.sent:
            self.reload()

    # ---- accounts -------------------------------------------------------------------------------
    def sign_in(self, register: bool = False) -> None:
        name, password = self.user_field.text().strip(), self.password_field.text()
        if not name or not password:
            self.account_error.setText("Enter a username and a password.")
            self.account_error.setVisible(True)
            return
        self.signin_button.setEnabled(False)
        self.register_button.setEnabled(False)
        task = self.runner.submit(self.backend.sign_in, name, password, register, name="sign-in")
        task.done.connect(self._signed_in)

    def _signed_in(self, user: object, error: object) -> None:
        self.signin_button.setEnabled(True)
        self.register_button.setEnabled(True)
        if error is not None:
            text = error.short if isinstance(error, SocialError) else str(error)
            self.account_error.setText(text)
            self.account_error.setVisible(True)
            return
        self.account_error.setVisible(False)
        self.password_field.clear()
        self._show_account()
        self.deliver_soon()
        self._generation += 1
        self.track_id, track = None, self.track_id
        item = self.bridge.playing_item
        self.show_track(track, item.title if item else "", item.artist if item else "")

    def sign_out(self) -> None:
        task = self.runner.submit(self.backend.sign_out, name="sign-out")
        task.done.connect(lambda *_: self._show_account())

    # ---- playback ---------------------------------------------------------------------------------
    def _position_changed(self, position: int, duration: int) -> None:
        self._position = position
        if not self.pin.isChecked():
            self._show_pin()

    def _pin_toggled(self, on: bool) -> None:
        self._pinned = self._position if on else None
        self._show_pin()

    def _show_pin(self) -> None:
        at = self._pinned if self._pinned is not None else self._position
        self.pin.setText(f"at {moment_text(at)}")
        self.pin.setAccessibleName(f"Pin to {moment_text(at)}")

    def _seek(self, ms: int) -> None:
        emit(self.seekRequested, int(ms))
        self.bridge.seek(ms)

    def stop(self) -> None:
        self.timer.stop()
        self._soon.stop()
