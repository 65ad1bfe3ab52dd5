"""One comment in the Comments tab: author, age, text, likes, replies and its actions.

A card only shows a :class:`~player.social.client.Comment` and asks for things
through signals (like, load replies, reply, edit, delete, report, seek to its
moment); the panel decides and writes to the outbox. A card for a post still in
the outbox is marked "pending" and has no actions yet.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QDate, QEvent, QLocale, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from player.social.client import Comment
from player.ui.comments.mentions import has_mention, linked_html, name_of_link
from player.ui.kit.qtfix import emit

DELETED_USER = "[deleted user]"  # the name the server gives a deleted account's kept comments


def age(iso: str, now: datetime | None = None) -> tuple[str, int] | datetime | None:
    """How old an ISO timestamp is: ``("now", 0)``, ``("min", 5)``, ``("h", 3)``, ``("d", 2)``,
    or the moment itself when it is a month or more ago (None: not a timestamp).

    The card turns this into words ("5 min ago") in the interface's language.
    """
    try:
        when = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    seconds = ((now or datetime.now(UTC)) - when).total_seconds()
    if seconds < 60:
        return ("now", 0)
    if seconds < 3600:
        return ("min", int(seconds // 60))
    if seconds < 86400:
        return ("h", int(seconds // 3600))
    if seconds < 30 * 86400:
        return ("d", int(seconds // 86400))
    return when


def moment_text(ms: int) -> str:
    seconds = max(0, int(ms) // 1000)
    return f"{seconds // 60}:{seconds % 60:02d}"


class CommentCard(QFrame):
    """A comment (or a pending post: ``comment`` None, ``pending_body`` set)."""

    likeToggled = Signal(int, bool)  # comment id, liked
    repliesWanted = Signal(int)
    replyWritten = Signal(int, str)
    editWritten = Signal(int, str)
    deleteWanted = Signal(int)
    reportWritten = Signal(int, str)
    seekWanted = Signal(int)
    authorClicked = Signal(str)  # the author's user name: open their profile
    user_clicked = Signal(str)  # an @name in the text was clicked

    def __init__(
        self,
        comment: Comment | None,
        *,
        own: bool = False,
        pending_body: str = "",
        pending_position: int | None = None,
        author: str = "",
        reply: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("CommentReply" if reply else "CommentCard")
        self.comment = comment
        self.own = own
        self.pending = comment is None
        self._mode = ""  # what the inline box does: reply, edit or report
        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 10, 12, 8)
        outer.setSpacing(4)
        head = QHBoxLayout()
        head.setSpacing(6)
        name = (comment.author.username if comment and comment.author else "") or author
        if comment is not None and comment.author is None:
            name = self.tr("[deleted]")
        self.author = QLabel(name or self.tr("you"), self)
        self.author.setObjectName("CommentAuthor")
        if comment is not None and comment.author is not None and name != DELETED_USER:
            self.author.setCursor(Qt.CursorShape.PointingHandCursor)
            self.author.setToolTip(self.tr("Open {name}'s profile").format(name=name))
            self.author.installEventFilter(self)
        head.addWidget(self.author)
        when = self.relative_time(comment.created_at) if comment else ""
        if comment is not None and comment.edited_at:
            when = " · ".join(part for part in (when, self.tr("edited")) if part)
        self.age = QLabel(when, self)
        self.age.setObjectName("CommentMeta")
        head.addWidget(self.age)
        position = comment.position_ms if comment else pending_position
        self.moment: QToolButton | None = None
        if position is not None:
            self.moment = QToolButton(self)
            self.moment.setObjectName("MomentChip")
            self.moment.setText(self.tr("at {time}").format(time=moment_text(position)))
            self.moment.setToolTip(self.tr("Play from this moment"))
            self.moment.setCursor(Qt.CursorShape.PointingHandCursor)
            self.moment.clicked.connect(lambda: emit(self.seekWanted, int(position)))
            head.addWidget(self.moment)
        head.addStretch(1)
        self.state = QLabel(self.tr("pending") if self.pending else "", self)
        self.state.setObjectName("PendingTag")
        self.state.setToolTip(self.tr("Waiting to be sent to the comment server"))
        self.state.setVisible(self.pending)
        head.addWidget(self.state)
        outer.addLayout(head)
        self.body = QLabel(self)
        self.body.setObjectName("CommentBody")
        self.body.setWordWrap(True)
        self.body.linkActivated.connect(lambda link: emit(self.user_clicked, name_of_link(link)))
        self.set_body(comment.body if comment else pending_body)
        outer.addWidget(self.body)
        self.like: QToolButton | None = None
        self.replies_button: QToolButton | None = None
        self.replies = QVBoxLayout()
        self.replies.setContentsMargins(14, 4, 0, 0)
        self.replies.setSpacing(4)
        self.replies_loaded = False
        self.box = QLineEdit(self)
        self.box.setObjectName("InlineBox")
        self.box.setVisible(False)
        self.box.returnPressed.connect(self._box_done)
        self.actions: list[QWidget] = []  # like, reply, more: hidden once deleted
        self.confirm: QFrame | None = None
        if comment is not None:
            self._actions(outer, comment, reply)
        outer.addLayout(self.replies)
        outer.addWidget(self.box)
        if comment is not None and comment.deleted:
            self.show_deleted()

    # ---- building --------------------------------------------------------------------
    def _actions(self, outer: QVBoxLayout, comment: Comment, reply: bool) -> None:
        row = QHBoxLayout()
        row.setSpacing(2)
        self.like = self._small("", self.tr("Like"))
        self.like.setCheckable(True)
        self.like.clicked.connect(self._like_clicked)
        self.show_likes(comment.like_count, comment.liked_by_me)
        row.addWidget(self.like)
        self.actions.append(self.like)
        if not reply:
            self.replies_button = self._small(
                self._replies_text(comment.reply_count), self.tr("Replies")
            )
            self.replies_button.setVisible(comment.reply_count > 0)
            self.replies_button.clicked.connect(self._toggle_replies)
            row.addWidget(self.replies_button)
            answer = self._small(self.tr("Reply"), self.tr("Reply to this comment"))
            answer.clicked.connect(lambda: self._open_box("reply", self.tr("Write a reply…")))
            row.addWidget(answer)
            self.actions.append(answer)
        row.addStretch(1)
        more = self._small("⋯", self.tr("More actions"))
        menu = QMenu(more)
        if self.own:
            menu.addAction(
                self.tr("Edit"),
                lambda: self._open_box("edit", self.tr("Edit your comment"), comment.body),
            )
            menu.addAction(self.tr("Delete…"), self.ask_delete)
        menu.addAction(
            self.tr("Report…"),
            lambda: self._open_box("report", self.tr("Why report this comment?")),
        )
        more.setMenu(menu)
        more.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        more.setStyleSheet("QToolButton::menu-indicator { image: none; }")
        row.addWidget(more)
        self.actions.append(more)
        outer.addLayout(row)

    def _small(self, text: str, name: str) -> QToolButton:
        button = QToolButton(self)
        button.setObjectName("CommentAction")
        button.setText(text)
        button.setAccessibleName(name)
        button.setToolTip(name)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        return button

    def relative_time(self, iso: str, now: datetime | None = None) -> str:
        """ "just now", "5 min ago", "3 h ago", "2 d ago" or the date, from an ISO timestamp."""
        how_old = age(iso, now)
        if how_old is None:
            return ""
        if isinstance(how_old, datetime):
            day = QDate(how_old.year, how_old.month, how_old.day)
            # a Qt date format (d, dd, MMM, yyyy ...): the date of a comment a month old or more
            return QLocale().toString(day, self.tr("dd MMM yyyy", "date format"))
        unit, count = how_old
        if unit == "min":
            return self.tr("%n min ago", "", count)
        if unit == "h":
            return self.tr("%n h ago", "", count)
        if unit == "d":
            return self.tr("%n d ago", "", count)
        return self.tr("just now")

    def _replies_text(self, count: int, opened: bool = False) -> str:
        """ "▸ 3 replies" (closed) or "▾ 3 replies" (the replies are shown)."""
        # one on its own: reads right in English even before a translation is installed
        words = self.tr("1 reply") if count == 1 else self.tr("%Ln replies", "", count)
        return "{arrow} {words}".format(arrow="▾" if opened else "▸", words=words)

    # ---- showing -------------------------------------------------------------------------
    def set_body(self, text: str) -> None:
        """The comment's text; each ``@name`` in it a link (``user_clicked``)."""
        selectable = Qt.TextInteractionFlag.TextSelectableByMouse
        if has_mention(text):
            link = self.palette().color(self.palette().ColorRole.Link).name()
            self.body.setTextFormat(Qt.TextFormat.RichText)
            self.body.setTextInteractionFlags(
                selectable | Qt.TextInteractionFlag.LinksAccessibleByMouse
            )
            self.body.setText(linked_html(text, link))
        else:
            self.body.setTextFormat(Qt.TextFormat.PlainText)
            self.body.setTextInteractionFlags(selectable)
            self.body.setText(text)

    def show_likes(self, count: int, liked: bool) -> None:
        if self.like is None:
            return
        self.like.setChecked(liked)
        self.like.setText(f"{'♥' if liked else '♡'} {count}")
        self.like.setAccessibleName(self.tr("Unlike") if liked else self.tr("Like"))

    def like_count(self) -> int:
        if self.like is None:
            return 0
        return int(self.like.text().split()[-1])

    def show_sent(self) -> None:
        self.pending = False
        self.state.setVisible(False)

    def show_pending(self) -> None:
        """Something written about this comment (a like, an edit...) waits in the outbox."""
        self.pending = True
        self.state.setText(self.tr("pending"))
        self.state.setVisible(True)

    def show_deleted(self) -> None:
        """The "[deleted]" placeholder: no text, no author, no actions; the replies stay."""
        self.author.setText(self.tr("[deleted]"))
        self.set_body(self.tr("[deleted]"))
        self.body.setEnabled(False)
        for widget in (*self.actions, self.moment, self.box, self.confirm):
            if widget is not None:
                widget.setVisible(False)

    def has_replies(self) -> bool:
        return self.replies.count() > 0 or bool(self.comment and self.comment.reply_count)

    def ask_delete(self) -> None:
        """Ask in the card itself (no modal dialog): "Delete this comment?" Delete / Cancel."""
        if self.comment is None:
            return
        if self.confirm is None:
            self.confirm = QFrame(self)
            self.confirm.setObjectName("DeleteConfirm")
            column = QVBoxLayout(self.confirm)
            column.setContentsMargins(0, 4, 0, 0)
            column.setSpacing(4)
            question = QLabel(self.tr("Delete this comment? This cannot be undone."), self.confirm)
            question.setObjectName("CommentError")
            question.setWordWrap(True)
            self.confirm_button = QPushButton(self.tr("Delete"), self.confirm)
            self.confirm_button.setAccessibleName(self.tr("Delete the comment"))
            self.cancel_button = QPushButton(self.tr("Cancel"), self.confirm)
            row = QHBoxLayout()
            row.addStretch(1)
            row.addWidget(self.cancel_button)
            row.addWidget(self.confirm_button)
            column.addWidget(question)
            column.addLayout(row)
            comment_id = self.comment.id
            self.confirm_button.clicked.connect(lambda: self._confirmed(comment_id))
            self.cancel_button.clicked.connect(lambda: self.confirm.setVisible(False))
            layout = self.layout()
            assert isinstance(layout, QVBoxLayout)
            layout.addWidget(self.confirm)
        self.confirm.setVisible(True)
        self.cancel_button.setFocus()

    def _confirmed(self, comment_id: int) -> None:
        if self.confirm is not None:
            self.confirm.setVisible(False)
        emit(self.deleteWanted, comment_id)

    def add_reply(self, card: CommentCard) -> None:
        self.replies.addWidget(card)
        if self.replies_button is not None:
            known = self.comment.reply_count if self.comment else 0
            count = max(known, self.replies.count()) if self.replies_loaded else known + 1
            self.replies_button.setText(self._replies_text(count, opened=True))
            self.replies_button.setVisible(True)

    def show_replies(self, comments: list[Comment], own_name: str) -> list[CommentCard]:
        """Show the thread's replies (oldest first); returns their cards for the panel to wire."""
        while self.replies.count():
            widget = self.replies.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        cards = []
        for comment in comments:
            own = bool(own_name and comment.author and comment.author.username == own_name)
            card = CommentCard(comment, own=own, reply=True, parent=self)
            self.replies.addWidget(card)
            cards.append(card)
        self.replies_loaded = True
        if self.replies_button is not None and self.comment is not None:
            count = max(len(comments), self.comment.reply_count)
            self.replies_button.setText(self._replies_text(count, opened=True))
        return cards

    # ---- acting ----------------------------------------------------------------------------
    def _like_clicked(self) -> None:
        if self.comment is None or self.like is None:
            return
        liked = self.like.isChecked()
        self.show_likes(max(0, self.like_count() + (1 if liked else -1)), liked)
        emit(self.likeToggled, self.comment.id, liked)

    def _toggle_replies(self) -> None:
        if self.comment is None:
            return
        if self.replies_loaded:
            visible = not any(
                self.replies.itemAt(i).widget().isVisible()  # type: ignore[union-attr]
                for i in range(self.replies.count())
            )
            for i in range(self.replies.count()):
                self.replies.itemAt(i).widget().setVisible(visible)  # type: ignore[union-attr]
            return
        emit(self.repliesWanted, self.comment.id)

    def _open_box(self, mode: str, placeholder: str, text: str = "") -> None:
        self._mode = mode
        self.box.setPlaceholderText(
            self.tr("{prompt}  (Enter to send, Esc to cancel)").format(prompt=placeholder)
        )
        self.box.setText(text)
        self.box.setVisible(True)
        self.box.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.author
            and event.type() == QEvent.Type.MouseButtonRelease
            and self.comment is not None
            and self.comment.author is not None
            and not self.comment.deleted
            and self.comment.author.username != DELETED_USER
        ):
            emit(self.authorClicked, self.comment.author.username)
            return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: object) -> None:
        if getattr(event, "key", lambda: None)() == Qt.Key.Key_Escape and self.box.isVisible():
            self.box.setVisible(False)
            return
        super().keyPressEvent(event)  # type: ignore[arg-type]

    def _box_done(self) -> None:
        text = self.box.text().strip()
        if not text or self.comment is None:
            return
        signal = {"reply": self.replyWritten, "edit": self.editWritten,
                  "report": self.reportWritten}.get(self._mode)  # fmt: skip
        if signal is None:
            return
        self.box.clear()
        self.box.setVisible(False)
        if self._mode == "edit":
            self.set_body(text)
        emit(signal, self.comment.id, text)


def section_label(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName("CommentSection")
    return label


def primary_button(text: str, parent: QWidget) -> QPushButton:
    button = QPushButton(text, parent)
    button.setObjectName("Primary")
    button.setAccessibleName(text)
    return button
