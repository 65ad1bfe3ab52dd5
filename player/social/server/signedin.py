"""Signed-in reads of a song's comments, served from the anonymous page.

A signed-in listener polling the song they play sees the same comments as an
anonymous one, except for ``liked_by_me`` and, when they have hidden comments
on the song, those comments. So, for a song page already in the read cache
(:mod:`.readcache`), this middleware answers a signed-in reader at the ASGI
layer with the cached page plus one indexed query, ``likes WHERE user_id = ?
AND comment_id IN (...)``, spliced into the body. It steps aside (the full
path runs) for moderators, for readers with hidden comments on the song, for
tokens not checked lately (:mod:`.tokencache`), and for anything unusual.

The ETag covers the anonymous page's ETag, the reader and the ids they liked
on the page, so a 304 is right for each reader.
"""

from __future__ import annotations

import hashlib
import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .auth import ServerState, token_hash
from .liked import LikedQuery
from .readcache import LIKED_FALSE, Entry, Key

_SONG_PAGE = re.compile(r"^/api/v1/songs/\d+/comments$")
_LIKED_TRUE = b'"liked_by_me":true'
_DROPPED = (b"authorization", b"if-none-match")


def viewer_etag(page_etag: str, user_id: int, liked: frozenset[int]) -> str:
    """The ETag of a cached page as one reader sees it."""
    raw = f"{page_etag}|{user_id}|{sorted(liked)}".encode()
    return 'W/"' + hashlib.blake2b(raw, digest_size=12).hexdigest() + '"'


def splice(entry: Entry, liked: frozenset[int]) -> bytes:
    """The cached body with ``liked_by_me`` set for the liked items."""
    assert entry.parts is not None
    if not liked:
        return entry.body or b""
    out = [entry.parts[0]]
    for comment_id, part in zip(entry.ids, entry.parts[1:], strict=True):
        out.append(_LIKED_TRUE if comment_id in liked else LIKED_FALSE)
        out.append(part)
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
            token = _bearer(scope)
            if token and await self._serve(scope, receive, send, token):
                return
        await self.app(scope, receive, send)

    async def _serve(self, scope: Scope, receive: Receive, send: Send, token: str) -> bool:
        """Answer from the cache; False when the full path must run instead."""
        user = self.state.tokens.get(token_hash(token))
        if user is None or user.is_moderator:
            return False
        key: Key = (scope["path"], scope["query_string"])
        entry = self.cache.get(key)
        if entry is None or entry.parts is None:
            entry = await self._render(scope, receive, key)
        if entry is None or entry.parts is None or entry.hidden_authors is None:
            return False
        if user.id in entry.hidden_authors:
            return False  # they also see their hidden comments
        liked: frozenset[int] = frozenset()
        if entry.ids:
            try:
                liked = await self.liked.fetch(user.id, entry.ids)
            except Exception:
                return False  # the full path reports the database's trouble properly
        etag = viewer_etag(entry.etag, user.id, liked)
        headers = [(b"etag", etag.encode()), (b"cache-control", b"private, no-cache")]
        if _matches(scope, etag):
            await send({"type": "http.response.start", "status": 304, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return True
        body = splice(entry, liked)
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

        await self.app(anonymous, receive, discard)
        return self.cache.peek(key)


def _bearer(scope: Scope) -> str | None:
    """The bearer token of a request, parsed exactly as the app's own dependency does."""
    for name, value in scope["headers"]:
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            token = token.strip()
            return token if scheme.lower() == "bearer" and token else None
    return None


def _matches(scope: Scope, etag: str) -> bool:
    bare = etag.encode().removeprefix(b"W/")
    for name, value in scope["headers"]:
        if name == b"if-none-match":
            tags = [t.strip().removeprefix(b"W/") for t in value.split(b",")]
            return bare in tags or b"*" in tags
    return False
