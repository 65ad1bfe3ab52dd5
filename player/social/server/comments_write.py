"""Writing comments: post (idempotent), edit, delete, like, hide.

Each write is one transaction that also keeps the denormalised counters
(song ``comment_count``, parent ``reply_count``, ``like_count`` and
``hot_score``) and bumps the song's ``version`` so ETags change.

Idempotency: a post carries a client-made key, unique per author. Sending the
same key again returns the comment it created (whenever that was); the same
key with a different request is a conflict.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable
from typing import Any

from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Connection, bindparam, delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from . import comments_read, notify, ratelimit
from .apierrors import ApiError, not_found
from .auth import ServerState, User
from .clock import iso, now_us
from .db import TOUCHED_SONGS
from .schema import comments, likes, songs
from .textrules import clean_text

HOT_HALF_DAY_S = 45_000


def hot_score(like_count: int, created_us: int) -> float:
    """Ten times the likes are worth ~12.5 hours of recency; never needs re-ranking."""
    return math.log10(1 + like_count) + created_us / 1_000_000 / HOT_HALF_DAY_S


def _request_hash(song_id: int, body: str, position_ms: int | None, parent_id: int | None) -> str:
    raw = json.dumps([song_id, body, position_ms, parent_id], ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()


def _bump_song(conn: Connection, song_id: int, comment_delta: int = 0) -> None:
    values: dict[str, Any] = {"version": songs.c.version + 1}
    if comment_delta:
        values["comment_count"] = songs.c.comment_count + comment_delta
    conn.execute(songs.update().where(songs.c.id == song_id).values(**values))
    conn.info.setdefault(TOUCHED_SONGS, set()).add(song_id)


def _row(conn: Connection, comment_id: int) -> Any:
    return conn.execute(
        select(
            comments.c.id,
            comments.c.song_id,
            comments.c.author_id,
            comments.c.parent_id,
            comments.c.created_us,
            comments.c.deleted,
            comments.c.hidden,
            comments.c.reply_count,
        ).where(comments.c.id == comment_id)
    ).first()


def visible_row(conn: Connection, comment_id: int, user: User | None) -> Any:
    """The comment's row when ``user`` may see it and it is not deleted; else 404."""
    row = _row(conn, comment_id)
    if row is None or row.deleted or not comments_read.can_see(row, user):
        raise not_found()
    return row


def post(
    st: ServerState,
    user: User,
    address: str,
    song_id: int,
    body: str,
    position_ms: int | None,
    parent_id: int | None,
    idem_key: str,
) -> tuple[dict[str, Any], bool]:
    """Create a comment (or return the one this key already made); True when new."""
    text = clean_text(body)
    wanted = _request_hash(song_id, text, position_ms, parent_id)
    for _attempt in range(_ATTEMPTS):
        try:
            with st.db.write() as conn:
                return _post_once(
                    conn, st, user, address, song_id, text, position_ms, parent_id, idem_key, wanted
                )
        except IntegrityError:
            continue  # a concurrent request with the same key won; look again
    raise _lost_race()


#: tries of a post whose idempotency key a concurrent request may be inserting
_ATTEMPTS = 3


def _lost_race() -> ApiError:
    return ApiError(409, "conflict", "The comment could not be saved; try again.")


async def post_grouped(
    st: ServerState,
    user: User,
    address: str,
    song_id: int,
    body: str,
    position_ms: int | None,
    parent_id: int | None,
    idem_key: str,
) -> tuple[dict[str, Any], bool]:
    """:func:`post` in the next shared transaction (:mod:`.groupcommit`); answered once committed."""
    if st.group is None:
        return await run_in_threadpool(
            post, st, user, address, song_id, body, position_ms, parent_id, idem_key
        )
    text = clean_text(body)
    wanted = _request_hash(song_id, text, position_ms, parent_id)

    def work(conn: Connection) -> tuple[dict[str, Any], bool]:
        return _post_once(
            conn, st, user, address, song_id, text, position_ms, parent_id, idem_key, wanted
        )

    for _attempt in range(_ATTEMPTS):
        try:
            return await st.group.run(work)
        except IntegrityError:
            continue  # as in post()
    raise _lost_race()


# Statements of the posting path, built once (constructing them per request
# costs more than running them).
_FIND_EARLIER = select(comments.c.id, comments.c.idem_hash).where(
    comments.c.author_id == bindparam("author"), comments.c.idem_key == bindparam("key")
)
_TOUCH_SONG = (
    songs.update()
    .where(songs.c.id == bindparam("sid"), songs.c.merged_into.is_(None))
    .values(version=songs.c.version + 1, comment_count=songs.c.comment_count + 1)
    .returning(songs.c.id)
)
_INSERT = comments.insert().returning(comments.c.id)


def _post_once(
    conn: Connection,
    st: ServerState,
    user: User,
    address: str,
    song_id: int,
    text: str,
    position_ms: int | None,
    parent_id: int | None,
    idem_key: str,
    wanted: str,
) -> tuple[dict[str, Any], bool]:
    earlier = conn.execute(_FIND_EARLIER, {"author": user.id, "key": idem_key}).first()
    if earlier is not None:
        if earlier.idem_hash != wanted:
            raise ApiError(
                409, "idempotency_conflict", "This Idempotency-Key was used for another comment."
            )
        found = comments_read.load(conn, earlier.id, user)
        assert found is not None
        return found, False
    ratelimit.hit(conn, st.config, "post_user", str(user.id))
    ratelimit.hit(conn, st.config, "post_addr", address)
    if conn.execute(_TOUCH_SONG, {"sid": song_id}).first() is None:
        # a merged song's id posts to the surviving thread
        target = comments_read.song_target(conn, song_id)
        if target is None or target[0] == song_id:
            raise not_found("song")
        song_id = target[0]
        if conn.execute(_TOUCH_SONG, {"sid": song_id}).first() is None:
            raise not_found("song")
    conn.info.setdefault(TOUCHED_SONGS, set()).add(song_id)
    top_id = reply_to = None
    if parent_id is not None:
        parent = visible_row(conn, parent_id, user)
        if parent.song_id != song_id:
            raise not_found()
        top_id = parent.parent_id or parent.id
        reply_to = parent.author_id
    now = now_us()
    new_id = conn.execute(
        _INSERT,
        {
            "song_id": song_id,
            "author_id": user.id,
            "parent_id": top_id,
            "reply_to_user_id": reply_to,
            "body": text,
            "position_ms": position_ms,
            "like_count": 0,
            "reply_count": 0,
            "hot_score": hot_score(0, now),
            "created_us": now,
            "edited_us": None,
            "deleted": False,
            "hidden": False,
            "idem_key": idem_key,
            "idem_hash": wanted,
        },
    ).scalar_one()
    notify.on_post(conn, user.id, new_id, text, reply_to)
    if top_id is None:  # everything is known: no need to read it back
        return {
            "id": new_id,
            "song_id": song_id,
            "author": {"id": user.id, "username": user.username},
            "body": text,
            "position_ms": position_ms,
            "parent_id": None,
            "reply_to": None,
            "like_count": 0,
            "liked_by_me": False,
            "reply_count": 0,
            "created_at": iso(now),
            "edited_at": None,
            "deleted": False,
            "hidden": False,
        }, True
    conn.execute(
        comments.update()
        .where(comments.c.id == top_id)
        .values(reply_count=comments.c.reply_count + 1)
    )
    created = comments_read.load(conn, new_id, user)
    assert created is not None
    return created, True


def edit(st: ServerState, user: User, comment_id: int, body: str) -> dict[str, Any]:
    """Change the body: only the author, only within the edit window."""
    text = clean_text(body)
    with st.db.write() as conn:
        row = visible_row(conn, comment_id, user)
        if row.author_id != user.id:
            raise ApiError(403, "forbidden", "Only the author may edit a comment.")
        now = now_us()
        if now - row.created_us > st.config.edit_window_s * 1_000_000:
            minutes = st.config.edit_window_s // 60
            raise ApiError(
                403, "edit_window_closed", f"Comments can be edited for {minutes} minutes only."
            )
        conn.execute(
            comments.update().where(comments.c.id == comment_id).values(body=text, edited_us=now)
        )
        _bump_song(conn, row.song_id)
        result = comments_read.load(conn, comment_id, user)
    assert result is not None
    return result


def _take_down(conn: Connection, row: Any, **values: Any) -> None:
    """Mark a comment deleted or hidden and take it out of the counters once."""
    counted = not row.deleted and not row.hidden
    conn.execute(comments.update().where(comments.c.id == row.id).values(**values))
    if counted and row.parent_id is not None:
        conn.execute(
            comments.update()
            .where(comments.c.id == row.parent_id)
            .values(reply_count=comments.c.reply_count - 1)
        )
    _bump_song(conn, row.song_id, -1 if counted else 0)
    notify.on_take_down(conn, row.id)


def remove(st: ServerState, user: User, comment_id: int) -> None:
    """Delete: the author or a moderator; the text is wiped, the thread keeps its shape."""
    with st.db.write() as conn:
        row = _row(conn, comment_id)
        if row is None or (not row.deleted and not comments_read.can_see(row, user)):
            raise not_found()
        if row.author_id != user.id and not user.is_moderator:
            raise ApiError(403, "forbidden", "Only the author or a moderator may delete this.")
        if not row.deleted:
            _take_down(conn, row, deleted=True, body="")


def hide(
    st: ServerState,
    moderator: User,
    comment_id: int,
    reason: str | None = None,
    on_hidden: Callable[[Connection, User, Any, str | None], None] | None = None,
) -> dict[str, Any]:
    """Hide a comment from everyone but its author and moderators (the author is told
    why); ``on_hidden`` runs in the same transaction when it was not hidden yet (the
    moderation log)."""
    with st.db.write() as conn:
        row = visible_row(conn, comment_id, moderator)
        if not row.hidden:
            _take_down(conn, row, hidden=True)
            notify.on_hide(conn, row, moderator.id, reason)
            if on_hidden is not None:
                on_hidden(conn, moderator, row, reason)
        result = comments_read.load(conn, comment_id, moderator)
    assert result is not None
    return result


def set_like(
    st: ServerState, user: User, address: str, comment_id: int, on: bool
) -> dict[str, Any]:
    """Like or unlike (idempotent: liking twice counts once)."""
    with st.db.write() as conn:
        ratelimit.hit(conn, st.config, "like_user", str(user.id))
        ratelimit.hit(conn, st.config, "like_addr", address)
        row = visible_row(conn, comment_id, user)
        if on:
            insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
            changed = (
                conn.execute(
                    insert(likes)
                    .values(comment_id=comment_id, user_id=user.id, created_us=now_us())
                    .on_conflict_do_nothing()
                    .returning(likes.c.user_id)
                ).first()
                is not None
            )
        else:
            changed = (
                conn.execute(
                    delete(likes)
                    .where(likes.c.comment_id == comment_id, likes.c.user_id == user.id)
                    .returning(likes.c.user_id)
                ).first()
                is not None
            )
        if changed:
            count = conn.execute(
                comments.update()
                .where(comments.c.id == comment_id)
                .values(like_count=comments.c.like_count + (1 if on else -1))
                .returning(comments.c.like_count)
            ).scalar_one()
            conn.execute(
                comments.update()
                .where(comments.c.id == comment_id)
                .values(hot_score=hot_score(count, row.created_us))
            )
            _bump_song(conn, row.song_id)
            if on:
                notify.on_like(conn, row, user.id)
            else:
                notify.on_unlike(conn, comment_id, user.id)
        else:
            count = conn.execute(
                select(comments.c.like_count).where(comments.c.id == comment_id)
            ).scalar_one()
    return {"like_count": count, "liked_by_me": on}
