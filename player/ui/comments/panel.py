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

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from player.audio.queue import QueueItem
from player.library.store import LibraryDB
from player.social.client import Comment, CommentPage
from player.social.service import CommentsService, SongComments
from player.ui.comments.account import AccountBox
from player.ui.comments.card import CommentCard, section_label
from player.ui.comments.compose import ComposeBox
from player.ui.comments.invite import ServerInvite
from player.ui.comments.profile import show_profile
from player.ui.comments.style import panel_style
from player.ui.comments.writing import CommentsWriting
from player.ui.kit.bridge import PlayerBridge
from player.ui.kit.qtfix import emit
from player.ui.kit.tasks import TaskRunner
from player.ui.kit.theme import Theme

log = logging.getLogger(__name__)
DELIVER_EVERY_MS = 15000
NEAR_BOTTOM_PX = 160
ACCOUNT_LATER_MS = 300  # the saved sign-in is read this long after the panel is built (with
# the window's other deferred work, see main_window.START_LATER_MS: one busy moment, not two)


class CommentsPanel(CommentsWriting, QWidget):
    """The tab. ``momentsChanged(list[(ms, text)])``, ``countChanged(int)`` (-1: unknown).

    ``accountChanged`` fires once the kept sign-in was read, and after every sign in
    or out (here or in another :class:`AccountBox` that reports to :meth:`account_changed`).
    """

    momentsChanged = Signal(object)
    countChanged = Signal(int)
    seekRequested = Signal(int)
    accountChanged = Signal()
    serverChosen = Signal(str, bool)  # the address, and whether it is the local server
    loaded = Signal()  # a track's comments are shown
    repliesShown = Signal(int)  # the replies of that comment are shown
    user_clicked = Signal(str)  # an @name in a comment was clicked

    def __init__(
        self,
        backend: CommentsService,
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
        self.stale = False
        self._generation = 0
        self._loading_more = False
        self._delivering = False
        self._deliver_again = False
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
        self._account_task: object | None = None
        self._account_shown = False
        # the kept token is read (keyring: ~0.2-0.5 s) on a worker once the window is up
        QTimer.singleShot(ACCOUNT_LATER_MS, self, self.load_account)
        self._track_changed(bridge.playing_item)
        if not backend.configured:
            self._invite()

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
        self.title = QLabel(self.tr("Comments"), head)
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
        self.invite = ServerInvite(self)
        self.invite.setVisible(False)
        self.invite.connectWanted.connect(self._connect_to)
        self.invite.startWanted.connect(self._start_local)
        outer.addWidget(self.invite, 1)  # while inviting, it takes the comments' place
        self.account_box = AccountBox(self.backend, self.runner, self)
        self.account_box.accountChanged.connect(self.account_changed)
        outer.addWidget(self.account_box)
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
        self.hot_label = section_label(self.tr("HOT"), self.list)
        self.hot_box = QVBoxLayout()
        self.hot_box.setSpacing(8)
        self.new_label = section_label(self.tr("NEWEST"), self.list)
        self.pending_box = QVBoxLayout()
        self.pending_box.setSpacing(8)
        self.new_box = QVBoxLayout()
        self.new_box.setSpacing(8)
        self.empty = QLabel(self.tr("No comments yet. Say something about this song!"), self.list)
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
        self.compose = ComposeBox(self)
        self.editor, self.pin, self.post_button = (
            self.compose.editor, self.compose.pin, self.compose.post_button,
        )  # fmt: skip
        self.post_button.clicked.connect(self.post)
        self.compose.complete_names(self.thread_names)
        outer.addWidget(self.compose)

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
            self.empty.setText(self.tr("Comments live with the songs in your library."))
            self.empty.setVisible(True)
            emit(self.countChanged, -1)
            if not self.backend.configured:
                self._invite()
            return
        self.reload()

    def reload(self) -> None:
        if not self.backend.configured:
            self._invite()
            return
        if self.track_id is None:
            return
        self._generation += 1
        generation = self._generation
        self.footer.setText(self.tr("Loading comments…"))
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
            self._show_status(
                self.tr("Comments could not be loaded: {error}").format(error=str(error))
            )
            self.empty.setVisible(True)
            return
        if result.stale and not result.reached_before:
            self._invite(self.backend.server if self.backend.configured else "")
            return
        self._invited(False)
        self.song_id = result.song_id
        self.stale = result.stale
        self.load_account()  # reading the comments read the kept sign-in too: show it
        if result.stale:
            why = result.error.short if result.error else self.tr("the server cannot be reached")
            self._show_status(
                self.tr("Offline ({why}): showing comments possibly out of date.").format(why=why)
            )
        else:
            self._show_status("")
        for comment in result.hot:
            self.hot_box.addWidget(self._card(comment))
        self.hot_label.setVisible(bool(result.hot))
        self._add_page(result.new)
        self._show_pending()
        emit(self.countChanged, result.count if not result.stale else -1)
        self._moments()
        emit(self.loaded)

    def _add_page(self, page: CommentPage) -> None:
        for comment in page.items:
            if comment.id in self._new_ids:
                continue  # a page boundary moved while new comments came in
            self._new_ids.add(comment.id)
            self.new_box.addWidget(self._card(comment))
        self.next_cursor = page.next_cursor
        self.footer.setText(self.tr("Scroll for more") if self.next_cursor else "")
        self._update_empty()

    def _update_empty(self) -> None:
        has = self.new_box.count() + self.pending_box.count() + self.hot_box.count() > 0
        self.empty.setText(self.tr("No comments yet. Say something about this song!"))
        self.empty.setVisible(not has)

    def _card(self, comment: Comment) -> CommentCard:
        own = bool(
            self.backend.username
            and comment.author
            and comment.author.username == self.backend.username
        )
        card = CommentCard(comment, own=own, parent=self.list)
        card.repliesWanted.connect(self.load_replies)
        return self._wire(card, comment)

    def _wire(self, card: CommentCard, comment: Comment) -> CommentCard:
        """Connect a card's actions (a top-level comment's or a reply's) to the panel."""
        self.comments[comment.id] = comment
        self.cards[comment.id] = card
        card.likeToggled.connect(self.like)
        card.replyWritten.connect(self.reply)
        card.editWritten.connect(self.edit)
        card.deleteWanted.connect(self.delete)
        card.reportWritten.connect(self.report)
        card.seekWanted.connect(self._seek)
        card.authorClicked.connect(self.open_profile)
        card.user_clicked.connect(self.user_clicked)
        card.user_clicked.connect(self.open_profile)  # an @name opens that profile too
        return card

    def thread_names(self) -> list[str]:
        """The authors of the comments shown (not me): what ``@`` completes in the composer."""
        names = {c.author.username for c in self.comments.values() if c.author is not None}
        names.discard(self.backend.username)
        return sorted(names, key=str.casefold)

    def _show_status(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

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
        self.footer.setText(self.tr("Loading more…"))
        generation = self._generation
        task = self.runner.submit(self.backend.more, self.song_id, self.next_cursor, name="more")
        task.done.connect(lambda page, error: self._more_loaded(generation, page, error))

    def _more_loaded(self, generation: int, page: CommentPage | None, error: object) -> None:
        self._loading_more = False
        if generation != self._generation:
            return
        if page is None:
            self.footer.setText(self.tr("Could not load more: {error}").format(error=str(error)))
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
            self._show_status(
                self.tr("Replies could not be loaded: {error}").format(error=str(error))
            )
            return
        for reply, comment in zip(
            card.show_replies(page.items, self.backend.username), page.items, strict=True
        ):
            self._wire(reply, comment)
        emit(self.repliesShown, comment_id)

    # ---- accounts -------------------------------------------------------------------------------
    def load_account(self) -> None:
        """Read the kept sign-in on a worker (the keyring is slow to ask), then show it."""
        if self._account_task is not None:
            return
        if self.backend.account_known:  # a worker read it already (the first comments)
            self._account_loaded(None, None)
            return
        task = self.runner.submit(self.backend.load_account, name="account")
        self._account_task = task
        task.done.connect(self._account_loaded)

    def _account_loaded(self, _account: object, error: object) -> None:
        self._account_task = None
        if error is not None:
            log.warning("reading the kept sign-in failed: %s", error)
            return
        if not self.backend.account_known:  # the server changed while it was read
            self.load_account()
            return
        self.account_box.refresh()
        if not self._account_shown:  # once: the sign-in kept from the last run is known
            self._account_shown = True
            emit(self.accountChanged)
            self.deliver_soon()

    def account_changed(self) -> None:
        """Signed in or out (here or on the settings page): show the comments for that account."""
        self.account_box.refresh()
        emit(self.accountChanged)
        self.deliver_soon()
        self._generation += 1
        self.track_id, track = None, self.track_id
        item = self.bridge.playing_item
        self.show_track(track, item.title if item else "", item.artist if item else "")

    def set_server(self, url: str) -> None:
        """Use another comment server from now on (its own account, outbox and cache)."""
        self.backend.use_server(url)
        self._invited(False)
        self.stale = False
        self._account_shown = False
        self.account_changed()
        self.load_account()

    def use_signed_in(self, url: str, account: tuple[str, str]) -> None:
        """Use the server at *url* signed in as ``(name, token)``, for this run only (the
        demo's own server and account; neither is kept with the settings)."""
        self.backend.use_server(url)
        self.backend.use_token(*account)
        self._invited(False)
        self.stale = False
        self._account_shown = False
        self.account_changed()
        self.load_account()

    # ---- no server yet: the invitation -------------------------------------------------------
    def _invite(self, server: str = "") -> None:
        """Invite to a server (none chosen, or *server* never answered) instead of comments."""
        self.invite.show_for(server)
        self._invited(True)
        self._show_status("")
        emit(self.countChanged, -1)

    def _invited(self, inviting: bool) -> None:
        self.invite.setVisible(inviting)
        for widget in (self.account_box, self.scroll, self.compose):
            widget.setVisible(not inviting)

    def _connect_to(self, url: str) -> None:
        emit(self.serverChosen, url, False)
        self.set_server(url)

    def _start_local(self) -> None:
        task = self.runner.submit(self.backend.start_local, name="local-server")
        task.done.connect(self._local_started)

    def _local_started(self, url: object, error: object) -> None:
        if error is not None:
            text = getattr(error, "short", "") or str(error)
            self.invite.set_busy(
                False, self.tr("The local server did not start: {error}").format(error=text)
            )
            return
        emit(self.serverChosen, str(url), True)
        self.stale = False
        self._account_shown = False
        self._invited(False)
        self.account_changed()
        self.load_account()

    # ---- people ----------------------------------------------------------------------------------
    def open_profile(self, name: str) -> None:
        """Show *name*'s profile (a card's author, an @mention...): the one way in."""
        show_profile(self, self, name)

    # ---- playback ---------------------------------------------------------------------------------
    def _position_changed(self, position: int, duration: int) -> None:
        self.compose.set_position(position)

    def _seek(self, ms: int) -> None:
        emit(self.seekRequested, int(ms))
        self.bridge.seek(ms)

    def stop(self) -> None:
        self.timer.stop()
        self._soon.stop()
