"""Signed-in reads of a song's comments, served from the anonymous page.

A signed-in listener polling the song they play sees the same comments as an
anonymous one, except for ``liked_by_me`` and, when they have hidden comments
on the song, those comments, and without the comments of users they muted.
So, for a song page already in the read cache (:mod:`.readcache`), this
middleware answers a signed-in reader at the ASGI layer with the cached page
plus one query of two indexed lookups (their likes among the page's comments,
their mutes among its authors), spliced into the body: liked items flagged,
muted authors' items left out. It steps aside (the full
path runs) for moderators, for readers with hidden comments on the song, for
tokens not checked lately (:mod:`.tokencache`), and for anything unusual.

The ETag covers the anonymous page's ETag, the reader, the ids they liked
on the page and the authors they muted among its items, so a 304 is right
for each reader.
"""

from __future__ import annotations

import hashlib
import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .auth import ServerState, memo_user
from .liked import LikedQuery
from .readcache import LIKED_FALSE, Entry, Key

_SONG_PAGE = re.compile(r"^/api/v1/songs/\d+/comments$")
_LIKED_TRUE = b'"liked_by_me":true'
_DROPPED = (b"authorization", b"if-none-match")


def viewer_etag(
    page_etag: str, user_id: int, liked: frozenset[int], muted: frozenset[int] = frozenset()
) -> str:
    """The ETag of a cached page as one reader sees it."""
    raw = f"{page_etag}|{user_id}|{sorted(liked)}|{sorted(muted)}".encode()
    return 'W/"' + hashlib.blake2b(raw, digest_size=12).hexdigest() + '"'


def splice(entry: Entry, liked: frozenset[int], muted: frozenset[int] = frozenset()) -> bytes:
    """The cached body with ``liked_by_me`` set for the liked items and muted authors' left out."""
    assert entry.items is not None
    if not liked and not muted:
        return entry.body or b""
    out = [entry.head]
    for comment_id, author, (before, after) in zip(
        entry.ids, entry.authors, entry.items, strict=True
    ):
        if author is not None and author in muted:
            continue
        if len(out) > 1:
            out.append(b",")
        out += (before, _LIKED_TRUE if comment_id in liked else LIKED_FALSE, after)
    out.append(entry.tail)
    return b"".join(out)


class SignedInReadMiddleware:
    """Serves signed-in song pages from the read cache when the reader sees what anyone sees."""

    def __init__(self, app: ASGIApp, state: ServerState, liked: LikedQuery) -> None:
        self.app = app
        self.state = state
        self.cache = state.read_cache
        self.liked = liked

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] == "GET"
            and self.cache.enabled
            and _SONG_PAGE.match(scope["path"])
        ):
            token = bearer(scope)
            if token and await self._serve(scope, receive, send, token):
                return
        await self.app(scope, receive, send)

    async def _serve(self, scope: Scope, receive: Receive, send: Send, token: str) -> bool:
        """Answer from the cache; False when the full path must run instead."""
        user = await memo_user(self.state, token)
        if user is None or user.is_moderator:
            return False
        key: Key = (scope["path"], scope["query_string"])
        entry = self.cache.get(key)
        if entry is None or entry.items is None:
            entry = await self._render(scope, receive, key)
        if entry is None or entry.items is None or entry.hidden_authors is None:
            return False
        if user.id in entry.hidden_authors:
            return False  # they also see their hidden comments
        liked: frozenset[int] = frozenset()
        muted: frozenset[int] = frozenset()
        if entry.ids:
            authors = tuple({a for a in entry.authors if a is not None})
            try:
                liked, muted = await self.liked.fetch(user.id, entry.ids, authors)
            except Exception:
                return False  # the full path reports the database's trouble properly
        etag = viewer_etag(entry.etag, user.id, liked, muted)
        headers = [(b"etag", etag.encode()), (b"cache-control", b"private, no-cache")]
        if matches_etag(scope, etag):
            await send({"type": "http.response.start", "status": 304, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return True
        body = splice(entry, liked, muted)
        headers += [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})
        return True

    async def _render(self, scope: Scope, receive: Receive, key: Key) -> Entry | None:
        """Have the app render the anonymous page (which caches it) and return the entry."""
        anonymous = dict(scope)
        anonymous["headers"] = [(k, v) for k, v in scope["headers"] if k not in _DROPPED]

        async def discard(_message: Message) -> None:
            return None

        async def render() -> None:
            await self.app(anonymous, receive, discard)

        # joins a render of the same page under way (anonymous or signed in)
        await self.cache.render_once(key, render)
        return self.cache.peek(key)


def bearer(scope: Scope) -> str | None:
    """The bearer token of a request, parsed exactly as the app's own dependency does."""
    for name, value in scope["headers"]:
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            token = token.strip()
            return token if scheme.lower() == "bearer" and token else None
    return None


def matches_etag(scope: Scope, etag: str) -> bool:
    bare = etag.encode().removeprefix(b"W/")
    for name, value in scope["headers"]:
        if name == b"if-none-match":
            tags = [t.strip().removeprefix(b"W/") for t in value.split(b",")]
            return bare in tags or b"*" in tags
    return False
