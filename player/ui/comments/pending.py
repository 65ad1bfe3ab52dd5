"""What the outbox still holds, shown on the Comments tab's cards as "pending".

The outbox outlives the app: after a restart, replies, edits, deletes and likes
written earlier are still waiting, and the cards they are about must say so
(with the edited text, the like, the deletion already visible), exactly as they
did right after they were written. :func:`apply_entry` does that for one entry.
"""

from __future__ import annotations

from typing import Protocol

from player.social.outbox import Entry
from player.ui.comments.card import CommentCard


class Thread(Protocol):
    """The panel as seen from here."""

    cards: dict[int, CommentCard]
    pending_cards: dict[int, CommentCard]

    def pending_reply(self, card: CommentCard, body: str) -> CommentCard: ...

    def remove_card(self, comment_id: int) -> CommentCard | None: ...


def comment_id(entry: Entry) -> int | None:
    """The server id the entry is about (None: a comment still in the outbox itself)."""
    ref = entry.payload.get("parent") if entry.kind == "post" else entry.payload.get("comment")
    return ref if isinstance(ref, int) else None


def apply_entry(panel: Thread, entry: Entry) -> bool:
    """Show a pending reply, edit, delete or like on its card; False when it has none here."""
    target = comment_id(entry)
    card = panel.cards.get(target) if target is not None else None
    if card is None or card.comment is None:
        return False
    if entry.kind == "post":
        reply = panel.pending_reply(card, str(entry.payload.get("body", "")))
        panel.pending_cards[entry.id] = reply
        return True
    if entry.kind == "edit":
        card.set_body(str(entry.payload.get("body", "")))
    elif entry.kind in ("like", "unlike"):
        liked = entry.kind == "like"
        if card.like is not None and card.like.isChecked() != liked:
            card.show_likes(max(0, card.like_count() + (1 if liked else -1)), liked)
    elif entry.kind == "delete":
        kept = panel.remove_card(card.comment.id)  # the "[deleted]" placeholder, or gone
        if kept is None:
            return True
        card = kept
    else:
        return False
    card.show_pending()
    panel.pending_cards[entry.id] = card
    return True
