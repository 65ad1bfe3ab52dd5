"""Suspensions and the moderation log.

A moderator suspends an account for some days or for good, with a reason:
its tokens are deleted at once, so they stop working here immediately and on
every other instance once their memo there runs out (``token_cache_s``); it
cannot sign in again until the suspension ends, and its name stays taken.
Every hide, dismissal, suspension and lifting is written to the moderation
log in the same transaction, with who did it and when.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, Response
from sqlalchemy import Connection, delete, select

from . import cursors
from .apierrors import ApiError
from .auth import ModeratorDep, StateDep
from .clock import iso, now_us
from .models import ModerationLogPage, SuspendIn
from .profiles import Username, find_user, suspension
from .schema import FOREVER_US, moderation_log, tokens, users
from .textrules import REASON_MAX, clean_text

router = APIRouter(tags=["moderation"])

DAY_US = 86_400 * 1_000_000


def log_action(
    conn: Connection,
    moderator_id: int,
    action: str,
    *,
    comment_id: int | None = None,
    target_user_id: int | None = None,
    reason: str | None = None,
    until_us: int | None = None,
) -> None:
    """One line of the moderation log (inside the caller's write transaction)."""
    conn.execute(
        moderation_log.insert().values(
            moderator_id=moderator_id,
            action=action,
            comment_id=comment_id,
            target_user_id=target_user_id,
            reason=reason,
            until_us=until_us,
            created_us=now_us(),
        )
    )


@router.post("/users/{username}/suspend", response_model=None)
def suspend(
    username: Username, payload: SuspendIn, moderator: ModeratorDep, st: StateDep
) -> Response:
    """Suspend an account for ``days`` days, or for good when ``days`` is null."""
    reason = clean_text(payload.reason, REASON_MAX, "reason")
    until = FOREVER_US if payload.days is None else now_us() + payload.days * DAY_US
    with st.db.write() as conn:
        row = find_user(conn, username)
        if row.id == moderator.id:
            raise ApiError(403, "forbidden", "Moderators cannot suspend themselves.")
        if row.is_moderator:
            raise ApiError(
                403, "forbidden", "A moderator cannot be suspended; remove the role first."
            )
        conn.execute(
            users.update()
            .where(users.c.id == row.id)
            .values(suspended_until_us=until, suspend_reason=reason)
        )
        hashes = list(
            conn.execute(
                delete(tokens).where(tokens.c.user_id == row.id).returning(tokens.c.token_hash)
            ).scalars()
        )
        log_action(
            conn, moderator.id, "suspend", target_user_id=row.id, reason=reason, until_us=until
        )
        row = find_user(conn, username)
    for hashed in hashes:  # refused here at once (elsewhere within token_cache_s)
        st.tokens.forget(hashed)
    return JSONResponse({"username": row.username, "suspension": suspension(row)})


@router.delete("/users/{username}/suspend", status_code=204)
def lift(username: Username, moderator: ModeratorDep, st: StateDep) -> Response:
    """End a suspension now (lifting one that is not there is fine)."""
    with st.db.write() as conn:
        row = find_user(conn, username)
        if row.suspended_until_us is not None:
            conn.execute(
                users.update()
                .where(users.c.id == row.id)
                .values(suspended_until_us=None, suspend_reason=None)
            )
            log_action(conn, moderator.id, "unsuspend", target_user_id=row.id)
    return Response(status_code=204)


_moderator = users.alias("moderator")
_target = users.alias("target")


@router.get("/moderation/log", response_model=ModerationLogPage)
def moderation_history(
    moderator: ModeratorDep,
    st: StateDep,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
) -> Response:
    """Every hide, dismissal and suspension, newest first (moderators only)."""
    query = (
        select(
            moderation_log,
            _moderator.c.username.label("moderator_name"),
            _target.c.username.label("target_name"),
        )
        .select_from(
            moderation_log.outerjoin(
                _moderator, _moderator.c.id == moderation_log.c.moderator_id
            ).outerjoin(_target, _target.c.id == moderation_log.c.target_user_id)
        )
        .order_by(moderation_log.c.id.desc())
        .limit(limit + 1)
    )
    if cursor:
        _, before = cursors.decode("modlog", cursor)
        query = query.where(moderation_log.c.id < before)
    with st.db.read() as conn:
        rows = conn.execute(query).all()
    more = len(rows) > limit
    rows = rows[:limit]
    items: list[dict[str, Any]] = [
        {
            "id": r.id,
            "action": r.action,
            "moderator": _who(r.moderator_id, r.moderator_name),
            "target": _who(r.target_user_id, r.target_name),
            "comment_id": r.comment_id,
            "reason": r.reason,
            "until": None if r.until_us is None or r.until_us >= FOREVER_US else iso(r.until_us),
            "for_good": r.until_us is not None and r.until_us >= FOREVER_US,
            "created_at": iso(r.created_us),
        }
        for r in rows
    ]
    nxt = cursors.encode("modlog", 0, rows[-1].id) if more and rows else None
    return JSONResponse({"items": items, "next_cursor": nxt})


def _who(user_id: int | None, name: str | None) -> dict[str, Any] | None:
    return None if user_id is None else {"id": user_id, "username": name}
