"""Profiles: ``GET /users/{username}`` and ``GET /users/{username}/comments``.

A profile says when the account was made, how many comments it has and how
many likes they received, and pages its comments newest first (keyset on
``ix_comments_author``), each with its song: the artist and title it was
registered under and every alias it carries, so a client can find the song in
its own library. Hidden comments are listed only to their author and to
moderators; deleted ones to nobody.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import JSONResponse, Response
from sqlalchemy import Connection, false, func, select, true, tuple_

from . import comments_read, cursors
from .apierrors import ApiError, not_found
from .auth import StateDep, User, ViewerDep
from .clock import iso, now_us
from .models import ProfileOut, ProfilePage
from .schema import FOREVER_US, comments, mutes, song_aliases, songs, users
from .textrules import USERNAME_MAX, username_key

router = APIRouter(tags=["profiles"])

Username = Annotated[str, Path(min_length=1, max_length=USERNAME_MAX * 4)]


def find_user(conn: Connection, username: str) -> Any:
    """The users row of ``username`` (any case), or ApiError 404."""
    try:
        key = username_key(username)
    except ValueError:
        key = ""
    row = (
        conn.execute(
            select(
                users.c.id,
                users.c.username,
                users.c.created_us,
                users.c.is_moderator,
                users.c.suspended_until_us,
                users.c.suspend_reason,
            ).where(users.c.username_key == key)
        ).first()
        if key
        else None
    )
    if row is None:
        raise not_found("user")
    return row


def _visible(owner_id: int, viewer: User | None) -> list[Any]:
    """Conditions on a profile's comments for this viewer."""
    conds: list[Any] = [comments.c.author_id == owner_id, comments.c.deleted == false()]
    if viewer is None or not (viewer.is_moderator or viewer.id == owner_id):
        conds.append(comments.c.hidden == false())
    return conds


def suspension(row: Any) -> dict[str, Any] | None:
    """A users row's suspension as JSON (None: not suspended, or it has ended)."""
    until = row.suspended_until_us
    if until is None or until <= now_us():
        return None
    return {
        "until": None if until >= FOREVER_US else iso(until),
        "for_good": until >= FOREVER_US,
        "reason": row.suspend_reason,
    }


@router.get("/users/{username}", response_model=ProfileOut)
def profile(username: Username, viewer: ViewerDep, st: StateDep) -> Response:
    """Who a commenter is: joined when, how many comments, how many likes received."""
    with st.db.read() as conn:
        row = find_user(conn, username)
        counted = conn.execute(
            select(
                func.count(comments.c.id), func.coalesce(func.sum(comments.c.like_count), 0)
            ).where(*_visible(row.id, viewer))
        ).one()
        muted = viewer is not None and _mutes(conn, viewer.id, row.id)
    body: dict[str, Any] = {
        "id": row.id,
        "username": row.username,
        "joined_at": iso(row.created_us),
        "comment_count": counted[0],
        "likes_received": int(counted[1]),
        "is_moderator": bool(row.is_moderator),
        "muted_by_me": muted,
        # a suspension is the moderators' and the user's own business
        "suspension": (
            suspension(row)
            if viewer is not None and (viewer.is_moderator or viewer.id == row.id)
            else None
        ),
    }
    return JSONResponse(body)


def _mutes(conn: Connection, user_id: int, other_id: int) -> bool:
    """Whether ``user_id`` muted ``other_id``."""
    found = select(true()).where(mutes.c.user_id == user_id, mutes.c.muted_id == other_id)
    return conn.execute(found).first() is not None


def songs_of(conn: Connection, song_ids: set[int]) -> dict[int, dict[str, Any]]:
    """Each song's artist, title and aliases, as a client needs to find it in its library."""
    if not song_ids:
        return {}
    found: dict[int, dict[str, Any]] = {
        r.id: {"id": r.id, "artist": r.artist, "title": r.title, "aliases": []}
        for r in conn.execute(
            select(songs.c.id, songs.c.artist, songs.c.title).where(songs.c.id.in_(song_ids))
        )
    }
    for alias in conn.execute(
        select(song_aliases.c.song_id, song_aliases.c.kind, song_aliases.c.value)
        .where(song_aliases.c.song_id.in_(song_ids))
        .order_by(song_aliases.c.song_id, song_aliases.c.kind, song_aliases.c.value)
    ):
        found[alias.song_id]["aliases"].append({"kind": alias.kind, "value": alias.value})
    return found


@router.get("/users/{username}/comments", response_model=ProfilePage)
def user_comments(
    username: Username,
    viewer: ViewerDep,
    st: StateDep,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Response:
    """A user's comments and replies, newest first, each with its song."""
    with st.db.read() as conn:
        owner = find_user(conn, username)
        query = (
            comments_read.comment_select()
            .where(*_visible(owner.id, viewer))
            .order_by(comments.c.created_us.desc(), comments.c.id.desc())
            .limit(limit + 1)
        )
        if cursor:
            query = query.where(
                tuple_(comments.c.created_us, comments.c.id)
                < tuple_(*cursors.decode("user", cursor))
            )
        rows = conn.execute(query).all()
        more = len(rows) > limit
        rows = rows[:limit]
        items = comments_read.serialize_rows(conn, rows, viewer)
        by_song = songs_of(conn, {r.song_id for r in rows})
    for item in items:
        item["song"] = by_song.get(item["song_id"])
    nxt = cursors.encode("user", rows[-1].created_us, rows[-1].id) if more and rows else None
    return JSONResponse({"items": items, "next_cursor": nxt})


def refuse_suspended(row: Any) -> None:
    """ApiError 403 when this users row is suspended now."""
    held = suspension(row)
    if held is None:
        return
    ends = "for good" if held["for_good"] else f"until {held['until']}"
    reason = f": {held['reason']}" if held["reason"] else ""
    raise ApiError(403, "suspended", f"This account is suspended {ends}{reason}.")
