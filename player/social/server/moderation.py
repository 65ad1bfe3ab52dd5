"""Reports and moderation: anyone signed in reports, moderators review and hide.

``GET /reports`` lists open reports (not dismissed, on comments neither
hidden nor deleted), newest first, by keyset cursor. Hiding resolves every
report on a comment; dismissing resolves one report and leaves the comment be.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, Response
from sqlalchemy import BigInteger, Connection, false, func, literal, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from . import comments_read, comments_write, cursors, ratelimit
from .apierrors import not_found
from .auth import ModeratorDep, StateDep, User, UserDep
from .clock import iso, now_us
from .models import CommentOut, HideIn, PathId, ReportCreated, ReportIn, ReportPage
from .schema import comments, reports, users
from .textrules import REASON_MAX, clean_text

router = APIRouter(tags=["moderation"])


@router.post(
    "/comments/{comment_id}/reports",
    status_code=201,
    response_model=ReportCreated,
    responses={200: {"model": ReportCreated, "description": "Already reported by this user"}},
)
def report(
    comment_id: PathId,
    payload: ReportIn,
    user: UserDep,
    st: StateDep,
) -> Response:
    """Report a comment to the moderators (once per user and comment)."""
    reason = clean_text(payload.reason, REASON_MAX, "reason")
    with st.db.write() as conn:
        ratelimit.hit(conn, st.config, "report_user", str(user.id))
        comments_write.visible_row(conn, comment_id, user)
        insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
        inserted = (
            conn.execute(
                insert(reports)
                .values(
                    comment_id=comment_id, reporter_id=user.id, reason=reason, created_us=now_us()
                )
                .on_conflict_do_nothing()
                .returning(reports.c.id)
            ).first()
            is not None
        )
        report_id = conn.execute(
            select(reports.c.id).where(
                reports.c.comment_id == comment_id, reports.c.reporter_id == user.id
            )
        ).scalar_one()
    return JSONResponse({"id": report_id}, status_code=201 if inserted else 200)


@router.get("/reports", response_model=ReportPage)
def list_reports(
    moderator: ModeratorDep,
    st: StateDep,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
) -> Response:
    """Open reports, newest first (moderators only)."""
    query = (
        select(
            reports.c.id,
            reports.c.comment_id,
            reports.c.reason,
            reports.c.created_us,
            users.c.id.label("reporter_id"),
            users.c.username.label("reporter_name"),
        )
        .join(users, users.c.id == reports.c.reporter_id)
        .join(comments, comments.c.id == reports.c.comment_id)
        .where(comments.c.hidden == false(), comments.c.deleted == false())
        .where(reports.c.dismissed_us.is_(None))
        .order_by(reports.c.id.desc())
        .limit(limit + 1)
    )
    if cursor:
        _, before = cursors.decode("reports", cursor)
        query = query.where(reports.c.id < before)
    with st.db.read() as conn:
        rows = conn.execute(query).all()
        more = len(rows) > limit
        rows = rows[:limit]
        items: list[dict[str, Any]] = []
        for row in rows:
            comment = comments_read.load(conn, row.comment_id, moderator)
            items.append(
                {
                    "id": row.id,
                    "comment": comment,
                    "reporter": {"id": row.reporter_id, "username": row.reporter_name},
                    "reason": row.reason,
                    "created_at": iso(row.created_us),
                }
            )
    nxt = cursors.encode("reports", 0, rows[-1].id) if more and rows else None
    return JSONResponse({"items": items, "next_cursor": nxt})


@router.post("/comments/{comment_id}/hide", response_model=CommentOut)
def hide_comment(
    comment_id: PathId,
    moderator: ModeratorDep,
    st: StateDep,
    payload: HideIn | None = None,
) -> Response:
    """Hide a comment from everyone but its author and the moderators.

    The author is notified, with the ``reason`` when one is given.
    """
    reason = None
    if payload is not None and payload.reason is not None:
        reason = clean_text(payload.reason, REASON_MAX, "reason")
    return JSONResponse(comments_write.hide(st, moderator, comment_id, reason, on_hidden=_log_hide))


def _log_hide(conn: Connection, moderator: User, row: Any, reason: str | None) -> None:
    from .suspensions import log_action

    log_action(
        conn, moderator.id, "hide", comment_id=row.id, target_user_id=row.author_id, reason=reason
    )


@router.post("/reports/{report_id}/dismiss", status_code=204)
def dismiss_report(report_id: PathId, moderator: ModeratorDep, st: StateDep) -> Response:
    """Close a report without hiding the comment (moderators only; dismissing twice is fine)."""
    with st.db.write() as conn:
        found = conn.execute(
            reports.update()
            .where(reports.c.id == report_id)
            .values(
                dismissed_us=func.coalesce(reports.c.dismissed_us, literal(now_us(), BigInteger))
            )
            .returning(reports.c.id, reports.c.comment_id)
        ).first()
        if found is not None:
            from .suspensions import log_action

            author = conn.execute(
                select(comments.c.author_id).where(comments.c.id == found.comment_id)
            ).scalar()
            log_action(
                conn, moderator.id, "dismiss", comment_id=found.comment_id, target_user_id=author
            )
    if found is None:
        raise not_found("report")
    return Response(status_code=204)
