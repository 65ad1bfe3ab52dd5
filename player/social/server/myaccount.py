"""The signed-in user's own account: change password, export, delete.

* ``POST /me/password``: a new password; every other session is signed out.
* ``GET /me/export``: everything the server holds about me, as JSON.
* ``DELETE /me``: my account goes. My comments that have replies stay, shown
  as "[deleted user]" (the thread keeps its shape); my other comments, my
  likes (the counts drop), my reports, mutes, notifications and sessions go,
  and no row names me afterwards. A suspended account cannot be deleted until
  the suspension ends, so deleting never frees a suspended name.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from sqlalchemy import Connection, delete, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from . import notify
from .apierrors import ApiError
from .auth import ServerState, StateDep, User, UserDep, token_hash, verify_password
from .clock import iso
from .comments_write import _bump_song, hot_score
from .models import AccountDelete, PasswordChange
from .profiles import refuse_suspended, songs_of, suspension
from .schema import comments, likes, mutes, notifications, rate_buckets, reports, tokens, users
from .textrules import password_ok

router = APIRouter(tags=["accounts"])

#: the one account that stands in for every deleted author of a kept comment
DELETED_NAME = "[deleted user]"
#: its key: "#" is never in a username, so nobody can register or sign in as it
DELETED_KEY = "#deleted"


def _bearer(request: Request) -> str:
    header = request.headers.get("authorization", "")
    return header.split(" ", 1)[1].strip() if " " in header else ""


def _password_matches(st: ServerState, user: User, password: str) -> Any:
    with st.db.read() as conn:
        row = conn.execute(
            select(
                users.c.id,
                users.c.password_hash,
                users.c.suspended_until_us,
                users.c.suspend_reason,
            ).where(users.c.id == user.id)
        ).first()
    if row is None or not verify_password(st.hasher, row.password_hash, password):
        raise ApiError(403, "bad_credentials", "The password is not right.")
    return row


@router.post("/me/password", status_code=204)
async def change_password(
    payload: PasswordChange, request: Request, user: UserDep, st: StateDep
) -> Response:
    """A new password; every session but this one is signed out."""
    password_ok(payload.new_password)
    await run_in_threadpool(_password_matches, st, user, payload.current_password)
    hashed = await run_in_threadpool(st.hasher.hash, payload.new_password)
    keep = token_hash(_bearer(request))
    with st.db.write() as conn:
        conn.execute(users.update().where(users.c.id == user.id).values(password_hash=hashed))
        gone = list(
            conn.execute(
                delete(tokens)
                .where(tokens.c.user_id == user.id, tokens.c.token_hash != keep)
                .returning(tokens.c.token_hash)
            ).scalars()
        )
    for hashed_token in gone:  # refused here at once (elsewhere within token_cache_s)
        st.tokens.forget(hashed_token)
    return Response(status_code=204)


@router.get("/me/export")
def export(user: UserDep, st: StateDep) -> JSONResponse:
    """Everything the server keeps about me (my comments with their songs, likes,
    reports, sessions, mutes, notifications), as one JSON document."""
    with st.db.read() as conn:
        me = conn.execute(select(users).where(users.c.id == user.id)).one()
        mine = conn.execute(
            select(comments).where(comments.c.author_id == user.id).order_by(comments.c.id)
        ).all()
        liked = conn.execute(
            select(likes.c.comment_id, likes.c.created_us, comments.c.song_id)
            .join(comments, comments.c.id == likes.c.comment_id)
            .where(likes.c.user_id == user.id)
            .order_by(likes.c.created_us)
        ).all()
        reported = conn.execute(
            select(reports.c.comment_id, reports.c.reason, reports.c.created_us)
            .where(reports.c.reporter_id == user.id)
            .order_by(reports.c.id)
        ).all()
        sessions = conn.execute(
            select(tokens.c.created_us, tokens.c.expires_us)
            .where(tokens.c.user_id == user.id)
            .order_by(tokens.c.id)
        ).all()
        song_ids = {c.song_id for c in mine} | {like.song_id for like in liked}
        by_song = songs_of(conn, song_ids)
        extra = _extra_export(conn, user.id)
    document: dict[str, Any] = {
        "user": {
            "id": me.id,
            "username": me.username,
            "joined_at": iso(me.created_us),
            "is_moderator": bool(me.is_moderator),
            "suspension": suspension(me),
        },
        "comments": [
            {
                "id": c.id,
                "song": by_song.get(c.song_id),
                "parent_id": c.parent_id,
                "body": c.body,
                "position_ms": c.position_ms,
                "like_count": c.like_count,
                "created_at": iso(c.created_us),
                "edited_at": iso(c.edited_us),
                "deleted": bool(c.deleted),
                "hidden": bool(c.hidden),
            }
            for c in mine
        ],
        "likes": [
            {"comment_id": r.comment_id, "song": by_song.get(r.song_id), "at": iso(r.created_us)}
            for r in liked
        ],
        "reports": [
            {"comment_id": r.comment_id, "reason": r.reason, "at": iso(r.created_us)}
            for r in reported
        ],
        "sessions": [
            {"signed_in_at": iso(r.created_us), "expires_at": iso(r.expires_us)} for r in sessions
        ],
        **extra,
    }
    return JSONResponse(
        document, headers={"Content-Disposition": 'attachment; filename="kindred-export.json"'}
    )


def _extra_export(conn: Connection, user_id: int) -> dict[str, Any]:
    """My mutes and notifications."""
    return {
        "mutes": [
            {"username": r.username, "since": iso(r.created_us)}
            for r in conn.execute(
                select(users.c.username, mutes.c.created_us)
                .join(users, users.c.id == mutes.c.muted_id)
                .where(mutes.c.user_id == user_id)
                .order_by(mutes.c.created_us)
            )
        ],
        "notifications": [
            {"kind": r.kind, "comment_id": r.comment_id, "at": iso(r.created_us)}
            for r in conn.execute(
                select(notifications.c.kind, notifications.c.comment_id, notifications.c.created_us)
                .where(notifications.c.user_id == user_id)
                .order_by(notifications.c.id)
            )
        ],
    }


@router.delete("/me", status_code=204)
async def delete_account(payload: AccountDelete, user: UserDep, st: StateDep) -> Response:
    """Delete my account (the password again, to be sure it is me)."""
    row = await run_in_threadpool(_password_matches, st, user, payload.password)
    refuse_suspended(row)
    hashes = await run_in_threadpool(_delete_user, st, user.id)
    for hashed in hashes:
        st.tokens.forget(hashed)
    return Response(status_code=204)


def _stand_in(conn: Connection) -> int:
    """The id of the "[deleted user]" account, made the first time it is needed."""
    insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    conn.execute(
        insert(users)
        .values(
            username=DELETED_NAME,
            username_key=DELETED_KEY,
            password_hash="!",  # no password verifies against it
            is_moderator=False,
            created_us=0,
        )
        .on_conflict_do_nothing()
    )
    return conn.execute(select(users.c.id).where(users.c.username_key == DELETED_KEY)).scalar_one()


def _delete_user(st: ServerState, user_id: int) -> list[str]:
    """Everything of the account goes in one transaction; the hashes of its tokens."""
    with st.db.write() as conn:
        me = conn.execute(select(users.c.username_key).where(users.c.id == user_id)).scalar_one()
        # my likes: each liked comment's count and hot rank drop
        for liked in (
            conn.execute(
                delete(likes).where(likes.c.user_id == user_id).returning(likes.c.comment_id)
            )
            .scalars()
            .all()
        ):
            row = conn.execute(
                comments.update()
                .where(comments.c.id == liked)
                .values(like_count=comments.c.like_count - 1)
                .returning(comments.c.like_count, comments.c.created_us, comments.c.song_id)
            ).one()
            conn.execute(
                comments.update()
                .where(comments.c.id == liked)
                .values(hot_score=hot_score(row.like_count, row.created_us))
            )
            notify.on_unlike(conn, liked, user_id)  # out of the author's like group
            _bump_song(conn, row.song_id)
        # my replies first (they count in their parents), then my top-level comments
        mine = conn.execute(
            select(
                comments.c.id,
                comments.c.song_id,
                comments.c.parent_id,
                comments.c.reply_count,
                comments.c.deleted,
                comments.c.hidden,
            )
            .where(comments.c.author_id == user_id)
            .order_by(comments.c.parent_id.is_(None), comments.c.id)
        ).all()
        stand_in: int | None = None
        for c in mine:
            replies = (
                0
                if c.parent_id is not None
                else conn.execute(
                    select(comments.c.reply_count).where(comments.c.id == c.id)
                ).scalar_one()
            )
            if replies > 0:  # others answered it: it stays, by "[deleted user]"
                stand_in = stand_in or _stand_in(conn)
                conn.execute(
                    comments.update()
                    .where(comments.c.id == c.id)
                    .values(author_id=stand_in, idem_key=f"deleted-{c.id}")
                )
                _bump_song(conn, c.song_id)
                continue
            counted = not c.deleted and not c.hidden
            if counted and c.parent_id is not None:
                conn.execute(
                    comments.update()
                    .where(comments.c.id == c.parent_id)
                    .values(reply_count=comments.c.reply_count - 1)
                )
            notify.on_take_down(conn, c.id)
            conn.execute(delete(comments).where(comments.c.id == c.id))
            _bump_song(conn, c.song_id, -1 if counted else 0)
        # rate-limit buckets that carry my id or my name
        conn.execute(
            delete(rate_buckets).where(
                or_(
                    rate_buckets.c.bucket.like(f"%_user:{user_id}"),
                    rate_buckets.c.bucket == f"login_account:{me}",
                )
            )
        )
        hashes = list(
            conn.execute(
                delete(tokens).where(tokens.c.user_id == user_id).returning(tokens.c.token_hash)
            ).scalars()
        )
        # the rest (reports, mutes, notifications, the log's references) by the foreign keys
        conn.execute(delete(users).where(users.c.id == user_id))
    return hashes
