"""Writing notifications, inside the transaction of the event that causes them.

Kinds (``notifications.kind``), and the comment each row points at:

* ``reply``: someone answered my comment or reply (the reply);
* ``mention``: someone wrote ``@myname`` in a comment or reply (that comment).
  Only the first :data:`MENTION_LIMIT` distinct ``@names`` of a body are
  looked up; later ones notify nobody (the comment is still posted). A user
  both answered and mentioned gets the reply notification only;
* ``like``: people liked my comment (the liked comment). One row per comment,
  a group: ``actor_count`` people, ``actor_id`` the latest; who is in it is in
  ``notification_likers``. A new like moves the group to the top of the inbox
  (a new id, so unread again); unliking takes the liker out of the group, and
  the last one out removes it;
* ``hidden``: a moderator hid my comment (that comment), with their reason.

Nobody is notified of their own acts, nor of what a user they muted did.
Deleting or hiding a comment removes the notifications about it (and a
deleted reply's or mention's own notification, which points at it). Being
written in the same transaction as the comment or like, a notification exists
exactly when its event does: a post repeated with the same Idempotency-Key
finds the earlier comment and writes nothing.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Connection, bindparam, delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from .clock import now_us
from .schema import mutes, notification_likers, notifications, users
from .textrules import USERNAME_MAX, USERNAME_MIN, username_key

#: at most this many distinct @names of one comment are looked up and notified
MENTION_LIMIT = 5
KINDS = ("reply", "like", "mention", "hidden")

# "@name" not inside a word or an e-mail address
_MENTION = re.compile(r"(?<![\w@])@(\w+)")

_MUTERS = select(mutes.c.user_id).where(
    mutes.c.muted_id == bindparam("actor"), mutes.c.user_id.in_(bindparam("ids", expanding=True))
)
_MENTIONED = select(users.c.id).where(users.c.username_key.in_(bindparam("keys", expanding=True)))
_INSERT = notifications.insert()


def mentioned_keys(text: str) -> list[str]:
    """The username keys of the first :data:`MENTION_LIMIT` distinct ``@names`` in ``text``."""
    keys: list[str] = []
    for match in _MENTION.finditer(text):
        name = match.group(1)
        if not USERNAME_MIN <= len(name) <= USERNAME_MAX:
            continue
        key = username_key(name)
        if key not in keys:
            keys.append(key)
            if len(keys) == MENTION_LIMIT:
                break
    return keys


def _not_muting(conn: Connection, actor_id: int, recipients: list[int]) -> list[int]:
    """``recipients`` minus those who muted ``actor_id``."""
    if not recipients:
        return []
    muting = set(conn.execute(_MUTERS, {"actor": actor_id, "ids": recipients}).scalars())
    return [r for r in recipients if r not in muting]


def _add(
    conn: Connection,
    user_id: int,
    kind: str,
    comment_id: int,
    actor_id: int | None,
    *,
    count: int = 1,
    reason: str | None = None,
) -> None:
    conn.execute(
        _INSERT,
        {
            "user_id": user_id,
            "kind": kind,
            "comment_id": comment_id,
            "actor_id": actor_id,
            "actor_count": count,
            "reason": reason,
            "created_us": now_us(),
        },
    )


def on_post(
    conn: Connection, author_id: int, comment_id: int, text: str, reply_to: int | None
) -> None:
    """A new comment or reply: notify whom it answers and whom it mentions."""
    wanted: list[tuple[int, str]] = []
    if reply_to is not None and reply_to != author_id:
        wanted.append((reply_to, "reply"))
    keys = mentioned_keys(text) if "@" in text else []
    if keys:
        for user_id in conn.execute(_MENTIONED, {"keys": keys}).scalars():
            if user_id != author_id and user_id != reply_to:
                wanted.append((user_id, "mention"))
    allowed = set(_not_muting(conn, author_id, [user for user, _ in wanted]))
    for user_id, kind in wanted:
        if user_id in allowed:
            _add(conn, user_id, kind, comment_id, author_id)


def on_like(conn: Connection, comment: Any, liker_id: int) -> None:
    """``liker_id`` liked ``comment`` (a row with ``id`` and ``author_id``): join its group."""
    author = comment.author_id
    if author == liker_id or not _not_muting(conn, liker_id, [author]):
        return
    now = now_us()
    insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    conn.execute(
        insert(notification_likers)
        .values(comment_id=comment.id, user_id=liker_id, created_us=now)
        .on_conflict_do_nothing()
    )
    before = conn.execute(
        delete(notifications)
        .where(notifications.c.comment_id == comment.id, notifications.c.kind == "like")
        .returning(notifications.c.actor_count)
    ).scalar()
    _add(conn, author, "like", comment.id, liker_id, count=(before or 0) + 1)


def on_unlike(conn: Connection, comment_id: int, liker_id: int) -> None:
    """``liker_id`` took their like back: leave the group (the last one out removes it)."""
    left = conn.execute(
        delete(notification_likers)
        .where(
            notification_likers.c.comment_id == comment_id,
            notification_likers.c.user_id == liker_id,
        )
        .returning(notification_likers.c.user_id)
    ).first()
    if left is None:
        return  # their like never notified (muted, or their own comment)
    group = conn.execute(
        select(notifications.c.id, notifications.c.actor_count).where(
            notifications.c.comment_id == comment_id, notifications.c.kind == "like"
        )
    ).first()
    if group is None:
        return
    if group.actor_count <= 1:
        conn.execute(delete(notifications).where(notifications.c.id == group.id))
        return
    latest = conn.execute(
        select(notification_likers.c.user_id)
        .where(notification_likers.c.comment_id == comment_id)
        .order_by(notification_likers.c.created_us.desc(), notification_likers.c.user_id.desc())
        .limit(1)
    ).scalar()
    conn.execute(
        notifications.update()
        .where(notifications.c.id == group.id)
        .values(actor_count=group.actor_count - 1, actor_id=latest)
    )


def on_take_down(conn: Connection, comment_id: int) -> None:
    """A comment was deleted or hidden: every notification about it goes."""
    conn.execute(delete(notifications).where(notifications.c.comment_id == comment_id))
    conn.execute(delete(notification_likers).where(notification_likers.c.comment_id == comment_id))


def on_hide(conn: Connection, comment: Any, moderator_id: int, reason: str | None) -> None:
    """A moderator hid ``comment``: tell its author why (after :func:`on_take_down`)."""
    if comment.author_id != moderator_id:
        _add(conn, comment.author_id, "hidden", comment.id, None, reason=reason)
