"""Muting: a user's own list of people they no longer want to hear from.

A muted user's comments and replies are left out of the muter's pages (hot,
new, replies; see :mod:`.comments_read` and :mod:`.signedin`), and their
likes, replies and mentions do not notify the muter (:mod:`.notify`). Counts
stay everyone's. Nobody is told they were muted, and a user sees only their
own list.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import JSONResponse, Response
from sqlalchemy import Connection, delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from .apierrors import ApiError, not_found
from .auth import StateDep, UserDep
from .clock import now_us
from .models import MuteList
from .schema import mutes, users
from .textrules import username_key, username_ok

router = APIRouter(tags=["mutes"])

#: how many users one account may mute
MUTE_LIMIT = 1000
Username = Annotated[str, Path(min_length=1, max_length=64)]


def _user_id(conn: Connection, username: str) -> int:
    try:
        key = username_key(username_ok(username))
    except ApiError:
        raise not_found("user") from None  # no account can have such a name
    found = conn.execute(select(users.c.id).where(users.c.username_key == key)).scalar()
    if found is None:
        raise not_found("user")
    return int(found)


@router.get("/me/mutes", response_model=MuteList)
def list_mutes(user: UserDep, st: StateDep) -> Response:
    """The users I muted, most recently muted first."""
    with st.db.read() as conn:
        rows = conn.execute(
            select(users.c.id, users.c.username)
            .join(mutes, mutes.c.muted_id == users.c.id)
            .where(mutes.c.user_id == user.id)
            .order_by(mutes.c.created_us.desc(), users.c.id.desc())
        ).all()
    return JSONResponse({"items": [{"id": r.id, "username": r.username} for r in rows]})


@router.put("/me/mutes/{username}", status_code=204)
def mute(username: Username, user: UserDep, st: StateDep) -> Response:
    """Mute a user (muting twice is fine); at most 1000 users."""
    with st.db.write() as conn:
        target = _user_id(conn, username)
        if target == user.id:
            raise ApiError(422, "cannot_mute_self", "You cannot mute yourself.")
        count = conn.execute(
            select(func.count()).select_from(mutes).where(mutes.c.user_id == user.id)
        ).scalar_one()
        if count >= MUTE_LIMIT:
            raise ApiError(
                422,
                "too_many_mutes",
                f"You can mute at most {MUTE_LIMIT} users; unmute some first.",
            )
        insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
        conn.execute(
            insert(mutes)
            .values(user_id=user.id, muted_id=target, created_us=now_us())
            .on_conflict_do_nothing()
        )
    return Response(status_code=204)


@router.delete("/me/mutes/{username}", status_code=204)
def unmute(username: Username, user: UserDep, st: StateDep) -> Response:
    """Unmute a user (unmuting someone not muted is fine)."""
    with st.db.write() as conn:
        target = _user_id(conn, username)
        conn.execute(delete(mutes).where(mutes.c.user_id == user.id, mutes.c.muted_id == target))
    return Response(status_code=204)
