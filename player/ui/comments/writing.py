"""Writing on the Comments tab: everything goes to the outbox first, then is delivered.

A post, reply, edit, delete, like or report is written to the outbox (one quick
insert on the UI thread) and shows at once, marked "pending"; a timer and
:meth:`CommentsWriting.deliver_soon` send the outbox on the task runner, and the
cards turn to sent (or "not sent", with the server's reason) as answers come.
Mixed into :class:`~player.ui.comments.panel.CommentsPanel`, whose parts it uses.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QTimer

from player.social.outbox import Delivery, Entry
from player.social.songs import identity
from player.ui.comments.card import CommentCard
from player.ui.comments.pending import apply_entry

if TYPE_CHECKING:
    from PySide6.QtWidgets import QVBoxLayout, QWidget

    from player.library.store import LibraryDB
    from player.social.service import CommentsService
    from player.ui.comments.account import AccountBox
    from player.ui.comments.compose import ComposeBox
    from player.ui.kit.tasks import TaskRunner

log = logging.getLogger(__name__)


class CommentsWriting:
    """The writing half of the Comments tab (see the module's docstring)."""

    backend: CommentsService
    runner: TaskRunner
    account_box: AccountBox
    compose: ComposeBox
    cards: dict[int, CommentCard]
    pending_cards: dict[int, CommentCard]
    comments: dict[int, Any]
    track_id: int | None
    song_id: int | None
    stale: bool
    _delivering: bool
    _deliver_again: bool
    _soon: QTimer
    db: LibraryDB
    list: QWidget
    pending_box: QVBoxLayout

    if TYPE_CHECKING:  # provided by the panel

        def _update_empty(self) -> None: ...
        def _moments(self) -> None: ...
        def _show_status(self, text: str) -> None: ...
        def _seek(self, ms: int) -> None: ...
        def reload(self) -> None: ...

    # ---- what the outbox holds -------------------------------------------------------------
    def _show_pending(self) -> None:
        """Posts of this track still in the outbox, newest first, marked pending."""
        try:
            entries = self.backend.pending()
        except Exception:  # a locked database must not break the list
            log.exception("reading the outbox failed")
            return
        for entry in reversed(entries):
            if entry.id in self.pending_cards:
                continue
            if entry.kind != "post" or entry.payload.get("parent") is not None:
                continue
            if self._is_this_song(entry):
                self._add_pending(entry)
        for entry in entries:  # replies, edits, deletes and likes, in the order written
            if entry.id not in self.pending_cards:
                apply_entry(self, entry)
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

    # ---- writing (outbox first) -------------------------------------------------------------
    def _need_account(self) -> bool:
        if self.backend.signed_in or not self.backend.account_known:
            return False  # not known yet: written to the outbox, sent once it is
        self.account_box.ask(
            QCoreApplication.translate(
                "CommentsPanel", "Sign in first: your words are kept until then."
            )
        )
        return True

    def post(self) -> Entry | None:
        body = self.compose.text()
        if not body or self.track_id is None:
            return None
        song: int | dict[str, Any] | None = self.song_id
        if song is None:
            song = self._identity()
        if song is None:
            return None
        position = self.compose.pinned()
        entry = self.backend.outbox().post(song, body, position_ms=position)
        self.compose.reset()
        self._add_pending(entry)
        self._update_empty()
        if not self.backend.signed_in:
            self._need_account()
        self.deliver_soon()
        return entry

    def like(self, comment_id: int, liked: bool) -> None:
        if self._need_account():
            return
        entry = self.backend.outbox().like(comment_id, liked)
        card = self.cards.get(comment_id)
        if card is not None:
            card.show_pending()
            self.pending_cards[entry.id] = card
        self.deliver_soon()

    def reply(self, comment_id: int, body: str) -> None:
        song = self.song_id if self.song_id is not None else self._identity()
        if song is None:
            return
        entry = self.backend.outbox().post(song, body, parent=comment_id)
        apply_entry(self, entry)
        self._need_account()
        self.deliver_soon()

    def pending_reply(self, card: CommentCard, body: str) -> CommentCard:
        """A reply still in the outbox, under the comment it answers."""
        pending = CommentCard(None, pending_body=body, author=self.backend.username,
                              reply=True, parent=card)  # fmt: skip
        card.add_reply(pending)
        return pending

    def edit(self, comment_id: int, body: str) -> None:
        apply_entry(self, self.backend.outbox().edit(comment_id, body))
        self.deliver_soon()

    def delete(self, comment_id: int) -> None:
        """Delete (the card asked first): gone, or "[deleted]" where replies hang from it."""
        apply_entry(self, self.backend.outbox().delete(comment_id))
        self.deliver_soon()

    def remove_card(self, comment_id: int) -> CommentCard | None:
        """Take a deleted comment out of the list, or leave its placeholder if it has replies."""
        card = self.cards.get(comment_id)
        self.comments.pop(comment_id, None)
        self._moments()
        if card is None:
            return None
        if card.has_replies():
            card.show_deleted()
            return card
        self.cards.pop(comment_id, None)
        card.setVisible(False)
        card.deleteLater()
        return None

    def report(self, comment_id: int, reason: str) -> None:
        if self._need_account():
            return
        self.backend.outbox().report(comment_id, reason)
        self._show_status(QCoreApplication.translate("CommentsWriting", "Reporting…"))
        self.deliver_soon()

    # ---- delivering ---------------------------------------------------------------------------
    def deliver_soon(self) -> None:
        self._soon.start()

    def deliver(self) -> None:
        if not self.backend.signed_in:
            return
        if self._delivering:
            self._deliver_again = True  # written while sending: goes out right after
            return
        self._deliver_again = False
        self._delivering = True
        task = self.runner.submit(self.backend.deliver, name="outbox")
        task.done.connect(self._delivered)

    def _delivered(self, delivery: Delivery | None, error: object) -> None:
        self._delivering = False
        if self._deliver_again:
            self.deliver_soon()
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
                card.state.setText(QCoreApplication.translate("CommentsWriting", "not sent"))
                card.state.setToolTip(failure.short)
        if delivery.waiting is not None:
            waiting = len(self.pending_cards)
            if waiting:
                text = QCoreApplication.translate(
                    "CommentsWriting", "{count} waiting to send: {reason}"
                )
                self._show_status(text.format(count=waiting, reason=delivery.waiting.short))
        elif any(e.kind == "report" for e in delivery.sent):
            self._show_status(
                QCoreApplication.translate(
                    "CommentsWriting", "Thank you: the moderators will look at the report."
                )
            )
        elif not self.stale:
            self._show_status("")
        if any(e.kind == "post" and e.payload.get("parent") is None for e in delivery.sent):
            self.reload()  # the new comments, with their server ids, likes and replies
        elif self.stale and delivery.sent:
            self.reload()
