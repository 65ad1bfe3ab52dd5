"""Reading comments: one query per page, visibility rules, JSON shape.

Top-level lists use the partial indexes on (song_id, created_us, id) and
(song_id, hot_score, id); replies use (parent_id, created_us, id). Hidden
comments are seen only by their author and moderators; a deleted comment is
kept as "[deleted]" while it still has replies, and vanishes otherwise.

A signed-in reader's pages leave out the comments of users they muted. The
page is cut first and filtered after, so a page may hold fewer items than
``limit`` (even none) and still have a ``next_cursor``; counts are everyone's.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import (
    Connection,
    Select,
    and_,
    bindparam,
    false,
    func,
    not_,
    or_,
    select,
    tuple_,
)

from . import cursors
from .auth import User
from .clock import iso
from .schema import comments, likes, mutes, songs, users

DELETED_BODY = "[deleted]"

_author = users.alias("author")
_answered = users.alias("answered")


def _build_select() -> Select[Any]:
    return select(
        comments.c.id,
        comments.c.song_id,
        comments.c.author_id,
        _author.c.username.label("author_name"),
        comments.c.body,
        comments.c.position_ms,
        comments.c.parent_id,
        comments.c.reply_to_user_id,
        _answered.c.username.label("reply_to_name"),
        comments.c.like_count,
        comments.c.reply_count,
        comments.c.created_us,
        comments.c.edited_us,
        comments.c.deleted,
        comments.c.hidden,
    ).select_from(
        comments.join(_author, _author.c.id == comments.c.author_id).outerjoin(
            _answered, _answered.c.id == comments.c.reply_to_user_id
        )
    )


_COMMENT_SELECT = _build_select()


def comment_select() -> Select[Any]:
    """Every column a comment's JSON needs, authors' names included (built once)."""
    return _COMMENT_SELECT


def can_see(row: Any, viewer: User | None) -> bool:
    """The visibility rule of the list queries, for one row already loaded."""
    if row.deleted and row.reply_count == 0:
        return False
    if row.hidden:
        return viewer is not None and (viewer.is_moderator or viewer.id == row.author_id)
    return True


def serialize(row: Any, liked: bool) -> dict[str, Any]:
    """A comment row as the API's JSON object."""
    deleted = bool(row.deleted)
    return {
        "id": row.id,
        "song_id": row.song_id,
        "author": None if deleted else {"id": row.author_id, "username": row.author_name},
        "body": DELETED_BODY if deleted else row.body,
        "position_ms": None if deleted else row.position_ms,
        "parent_id": row.parent_id,
        "reply_to": (
            {"id": row.reply_to_user_id, "username": row.reply_to_name}
            if row.reply_to_user_id is not None
            else None
        ),
        "like_count": row.like_count,
        "liked_by_me": liked,
        "reply_count": row.reply_count,
        "created_at": iso(row.created_us),
        "edited_at": iso(row.edited_us),
        "deleted": deleted,
        "hidden": bool(row.hidden),
    }


_LIKED = select(likes.c.comment_id).where(
    likes.c.user_id == bindparam("viewer"), likes.c.comment_id.in_(bindparam("ids", expanding=True))
)
_VERSION = select(songs.c.version).where(songs.c.id == bindparam("song"))
_TARGET = select(songs.c.id, songs.c.version, songs.c.merged_into).where(
    songs.c.id == bindparam("song")
)
_HIDDEN_AUTHORS = (
    select(comments.c.author_id)
    .where(comments.c.song_id == bindparam("song"), comments.c.hidden)
    .distinct()
)


def liked_ids(conn: Connection, viewer: User | None, ids: list[int]) -> set[int]:
    """Which of ``ids`` the viewer has liked."""
    if viewer is None or not ids:
        return set()
    return set(conn.execute(_LIKED, {"viewer": viewer.id, "ids": ids}).scalars())


def serialize_rows(conn: Connection, rows: list[Any], viewer: User | None) -> list[dict[str, Any]]:
    """Rows as JSON objects, with ``liked_by_me`` filled in (one extra query at most)."""
    liked = liked_ids(conn, viewer, [r.id for r in rows])
    return [serialize(r, r.id in liked) for r in rows]


def load(conn: Connection, comment_id: int, viewer: User | None) -> dict[str, Any] | None:
    """One comment as JSON, or None when it does not exist."""
    row = conn.execute(comment_select().where(comments.c.id == comment_id)).first()
    return None if row is None else serialize_rows(conn, [row], viewer)[0]


def song_version(conn: Connection, song_id: int) -> int | None:
    """The song's change counter (None when there is no such song)."""
    return conn.execute(_VERSION, {"song": song_id}).scalar()


def song_target(conn: Connection, song_id: int) -> tuple[int, int] | None:
    """The song whose thread ``song_id`` shows (itself, or the song it was merged
    into) and that song's version; None when there is no such song."""
    for _hop in range(4):  # merges point straight at the survivor; a few hops at most
        row = conn.execute(_TARGET, {"song": song_id}).first()
        if row is None:
            return None
        if row.merged_into is None:
            return row.id, row.version
        song_id = row.merged_into
    return None


def hidden_authors(conn: Connection, song_id: int) -> frozenset[int]:
    """Who has hidden comments on a song (they see more than anonymous readers)."""
    return frozenset(conn.execute(_HIDDEN_AUTHORS, {"song": song_id}).scalars())


def _visibility(viewer: User | None) -> str:
    if viewer is None:
        return "anon"
    return "mod" if viewer.is_moderator else "user"


def _conditions(visibility: str) -> list[Any]:
    conds: list[Any] = [not_(and_(comments.c.deleted, comments.c.reply_count == 0))]
    if visibility == "anon":
        conds.append(comments.c.hidden == false())
    elif visibility == "user":
        conds.append(or_(comments.c.hidden == false(), comments.c.author_id == bindparam("viewer")))
    return conds


@cache
def _list_statement(kind: str, visibility: str, after_cursor: bool) -> Select[Any]:
    """The page query of a list, built once per shape; values come as bound parameters."""
    conds = _conditions(visibility)
    key = tuple_(comments.c.created_us, comments.c.id)
    cursor = tuple_(bindparam("c_us"), bindparam("c_id"))
    base = comment_select()
    if visibility != "anon":  # liked_by_me, and whether the viewer muted the author
        base = (
            base.outerjoin(
                likes,
                and_(likes.c.comment_id == comments.c.id, likes.c.user_id == bindparam("viewer")),
            )
            .outerjoin(
                mutes,
                and_(
                    mutes.c.user_id == bindparam("viewer"),
                    mutes.c.muted_id == comments.c.author_id,
                ),
            )
            .add_columns(likes.c.user_id.label("liked_by"), mutes.c.user_id.label("muted_by"))
        )
    if kind == "replies":
        query = base.where(comments.c.parent_id == bindparam("parent"), *conds)
        query = query.order_by(comments.c.created_us, comments.c.id)
        if after_cursor:
            query = query.where(key > cursor)
    else:
        query = base.where(
            comments.c.song_id == bindparam("song"), comments.c.parent_id.is_(None), *conds
        )
        if kind == "hot":
            query = query.order_by(comments.c.hot_score.desc(), comments.c.id.desc())
        else:
            query = query.order_by(comments.c.created_us.desc(), comments.c.id.desc())
            if after_cursor:
                query = query.where(key < cursor)
    return query.limit(bindparam("lim"))


def _run(
    conn: Connection,
    kind: str,
    viewer: User | None,
    cursor: tuple[int, int] | None,
    limit: int,
    **params: int,
) -> list[Any]:
    statement = _list_statement(kind, _visibility(viewer), cursor is not None)
    values: dict[str, Any] = {"lim": limit, **params}
    if viewer is not None:
        values["viewer"] = viewer.id
    if cursor is not None:
        values["c_us"], values["c_id"] = cursor
    return conn.execute(statement, values).all()


def _listed(rows: list[Any], viewer: User | None) -> list[dict[str, Any]]:
    """Rows of a list query as JSON; for a signed-in viewer (whose rows carry
    ``liked_by`` and ``muted_by``) without the comments of authors they muted."""
    if viewer is None:
        return [serialize(r, False) for r in rows]
    return [
        serialize(r, r.liked_by is not None)
        for r in rows
        if r.muted_by is None or r.deleted  # a "[deleted]" shell names nobody
    ]


_MUTE_STAMP = select(func.count(), func.max(mutes.c.created_us)).where(
    mutes.c.user_id == bindparam("viewer")
)


def mute_stamp(conn: Connection, viewer: User | None) -> str:
    """Changes whenever the viewer mutes or unmutes someone (part of their pages' ETags)."""
    if viewer is None:
        return ""
    count, latest = conn.execute(_MUTE_STAMP, {"viewer": viewer.id}).one()
    return f"{count}:{latest}"


def _paged(rows: list[Any], limit: int, viewer: User | None, kind: str) -> dict[str, Any]:
    more = len(rows) > limit
    rows = rows[:limit]
    nxt = cursors.encode(kind, rows[-1].created_us, rows[-1].id) if more and rows else None
    return {"items": _listed(rows, viewer), "next_cursor": nxt}


def newest(
    conn: Connection, song_id: int, viewer: User | None, cursor: str | None, limit: int
) -> dict[str, Any]:
    """Top-level comments of a song, newest first, one page."""
    after = cursors.decode("new", cursor) if cursor else None
    rows = _run(conn, "new", viewer, after, limit + 1, song=song_id)
    return _paged(rows, limit, viewer, "new")


def hottest(conn: Connection, song_id: int, viewer: User | None, limit: int) -> dict[str, Any]:
    """The top comments of a song by likes and recency (a short list, no cursor)."""
    rows = _run(conn, "hot", viewer, None, limit, song=song_id)
    return {"items": _listed(rows, viewer), "next_cursor": None}


def replies(
    conn: Connection, parent_id: int, viewer: User | None, cursor: str | None, limit: int
) -> dict[str, Any]:
    """Replies to a top-level comment, oldest first, one page."""
    after = cursors.decode("replies", cursor) if cursor else None
    rows = _run(conn, "replies", viewer, after, limit + 1, parent=parent_id)
    return _paged(rows, limit, viewer, "replies")
