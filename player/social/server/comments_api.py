"""HTTP routes for comments: lists (with ETags), posting, editing, deleting, likes."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import JSONResponse, Response

from . import comments_read, comments_write, etags
from .apierrors import not_found
from .auth import ServerState, StateDep, User, UserDep, ViewerDep, client_address
from .models import CommentEdit, CommentIn, CommentOut, CommentPage, LikeOut, PathId

router = APIRouter(tags=["comments"])

Limit = Annotated[int, Query(ge=1, le=100)]
Cursor = Annotated[str | None, Query(max_length=200)]
_CONDITIONAL = {304: {"description": "Not modified since the ETag in If-None-Match"}}


@router.get("/songs/{song_id}/comments", response_model=CommentPage, responses=_CONDITIONAL)
def list_comments(
    song_id: PathId,
    request: Request,
    viewer: ViewerDep,
    st: StateDep,
    sort: Literal["hot", "new"] = "new",
    cursor: Cursor = None,
    limit: Limit = 20,
) -> Response:
    """Top-level comments: ``new`` pages newest first by cursor; ``hot`` is a short top list.

    Signed in, comments by users you muted are left out (a page may then hold
    fewer than ``limit`` items; ``next_cursor`` still goes on).
    """
    started = st.read_cache.mark()
    with st.db.read() as conn:
        target = comments_read.song_target(conn, song_id)
        if target is None:
            raise not_found("song")
        song_id, version = target  # a merged song's id shows the surviving thread
        mutes = comments_read.mute_stamp(conn, viewer)
        etag = etags.make_etag(version, viewer, request, mutes)
        if etags.matches(request, etag):
            return _not_modified(st, request, viewer, song_id, etag, started)
        if sort == "hot":
            page = comments_read.hottest(conn, song_id, viewer, min(limit, st.config.hot_limit))
        else:
            page = comments_read.newest(conn, song_id, viewer, cursor, limit)
        # anonymous pages are also served to signed-in readers who see no more than they do
        hidden = comments_read.hidden_authors(conn, song_id) if viewer is None else None
    return _page_response(st, request, viewer, song_id, etag, page, started, hidden)


def _not_modified(
    st: ServerState,
    request: Request,
    viewer: User | None,
    song_id: int,
    etag: str,
    started: tuple[float, int],
) -> Response:
    """304; for anonymous requests the ETag alone goes to the read cache."""
    if viewer is None:
        key = (request.url.path, request.scope["query_string"])
        st.read_cache.put(key, song_id, etag, None, started)
    return etags.not_modified(etag)


def _page_response(
    st: ServerState,
    request: Request,
    viewer: User | None,
    song_id: int,
    etag: str,
    page: dict[str, Any],
    started: tuple[float, int],
    hidden_authors: frozenset[int] | None = None,
) -> Response:
    """The page as JSON with its ETag; anonymous pages also go to the read cache."""
    response = JSONResponse(page, headers={"ETag": etag, **etags.CACHE_HEADERS})
    if viewer is None:
        key = (request.url.path, request.scope["query_string"])
        st.read_cache.put(key, song_id, etag, bytes(response.body), started, hidden_authors)
    return response


@router.get("/comments/{comment_id}/replies", response_model=CommentPage, responses=_CONDITIONAL)
def list_replies(
    comment_id: PathId,
    request: Request,
    viewer: ViewerDep,
    st: StateDep,
    cursor: Cursor = None,
    limit: Limit = 20,
) -> Response:
    """Replies to a top-level comment, oldest first (without those of users you muted)."""
    started = st.read_cache.mark()
    with st.db.read() as conn:
        parent = conn.execute(
            comments_read.comment_select().where(comments_read.comments.c.id == comment_id)
        ).first()
        if parent is None or not comments_read.can_see(parent, viewer):
            raise not_found()
        version = comments_read.song_version(conn, parent.song_id) or 0
        mutes = comments_read.mute_stamp(conn, viewer)
        etag = etags.make_etag(version, viewer, request, mutes)
        if etags.matches(request, etag):
            return _not_modified(st, request, viewer, parent.song_id, etag, started)
        page = comments_read.replies(conn, comment_id, viewer, cursor, limit)
    return _page_response(st, request, viewer, parent.song_id, etag, page, started)


@router.post(
    "/songs/{song_id}/comments",
    status_code=201,
    response_model=CommentOut,
    responses={200: {"model": CommentOut, "description": "Already posted with this key"}},
)
async def post_comment(
    song_id: PathId,
    payload: CommentIn,
    request: Request,
    idempotency_key: Annotated[UUID, Header(alias="Idempotency-Key")],
    user: UserDep,
    st: StateDep,
) -> Response:
    """Post a comment or a reply; resending the same Idempotency-Key never duplicates it."""
    comment, created = await comments_write.post_grouped(
        st,
        user,
        client_address(request),
        song_id,
        payload.body,
        payload.position_ms,
        payload.parent_id,
        str(idempotency_key),
    )
    return JSONResponse(comment, status_code=201 if created else 200)


@router.patch("/comments/{comment_id}", response_model=CommentOut)
def edit_comment(
    comment_id: PathId,
    payload: CommentEdit,
    user: UserDep,
    st: StateDep,
) -> Response:
    """Edit a comment's body (the author, within 15 minutes of posting)."""
    return JSONResponse(comments_write.edit(st, user, comment_id, payload.body))


@router.delete("/comments/{comment_id}", status_code=204)
def delete_comment(comment_id: PathId, user: UserDep, st: StateDep) -> Response:
    """Delete a comment (the author or a moderator)."""
    comments_write.remove(st, user, comment_id)
    return Response(status_code=204)


@router.put("/comments/{comment_id}/like", response_model=LikeOut)
def like(
    comment_id: PathId,
    request: Request,
    user: UserDep,
    st: StateDep,
) -> Response:
    """Like a comment (liking twice counts once)."""
    return JSONResponse(
        comments_write.set_like(st, user, client_address(request), comment_id, True)
    )


@router.delete("/comments/{comment_id}/like", response_model=LikeOut)
def unlike(
    comment_id: PathId,
    request: Request,
    user: UserDep,
    st: StateDep,
) -> Response:
    """Take a like back (idempotent)."""
    return JSONResponse(
        comments_write.set_like(st, user, client_address(request), comment_id, False)
    )
