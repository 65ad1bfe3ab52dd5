"""A micro-cache for anonymous comment lists, answered before the framework runs.

The hot path of the server is many listeners polling the song they play. For
requests without a token the rendered page (and its ETag) is kept for a short
time (``ServerConfig.read_cache_s``, 1 s by default) and served, or answered
304, straight from the ASGI layer: no routing, no thread hop, no database.

Writes made by this process drop the song's pages as soon as they commit (and
a page whose read began before such a write is never kept), so a process
always reads its own writes. Other instances (or ``--workers``) see a change
after at most ``read_cache_s`` plus the time one refresh takes. Song pages
also remember who has hidden comments on the song, each item's author and
where its ``liked_by_me`` sits, so :mod:`.signedin` can serve signed-in
readers from the same page (with their likes, without whom they muted).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import threading
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

from starlette.types import ASGIApp, Receive, Scope, Send

_CACHED_PATH = re.compile(r"^/api/v1/(?:songs/\d+/comments|comments/\d+/replies)$")

Key = tuple[str, bytes]
#: how an anonymous page renders each item's flag (compact JSON)
LIKED_FALSE = b'"liked_by_me":false'
#: how long others may be served an expired page while one request renders it
REFRESH_GRACE_S = 2.0
#: how long a request waits for another's render of the page it wants before rendering it too
JOIN_TIMEOUT_S = 5.0


@dataclass(frozen=True)
class Entry:
    etag: str
    #: None when only the ETag is known (the page was answered 304)
    body: bytes | None
    stored_at: float
    #: authors of hidden comments on the song (None: not known for this page)
    hidden_authors: frozenset[int] | None = None
    #: the item ids in order, and each item's author (None for a deleted comment)
    ids: tuple[int, ...] = ()
    authors: tuple[int | None, ...] = ()
    #: the body as its head, each item cut at its ``"liked_by_me":false``, and its tail
    #: (None when the page does not split cleanly)
    items: tuple[tuple[bytes, bytes], ...] | None = None
    head: bytes = b""
    tail: bytes = b""


def _json(value: object) -> bytes:
    """JSON exactly as the app's JSONResponse renders it."""
    return json.dumps(
        value, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":")
    ).encode()


def _overlay(body: bytes) -> dict[str, object]:
    """The fields of an :class:`Entry` that let :mod:`.signedin` rewrite the page per reader."""
    page = json.loads(body)
    ids = tuple(item["id"] for item in page["items"])
    authors = tuple((item["author"] or {}).get("id") for item in page["items"])
    head, tail = b'{"items":[', b'],"next_cursor":' + _json(page["next_cursor"]) + b"}"
    items = []
    for item in page["items"]:
        # inside JSON strings every quote is escaped, so only the real key matches
        parts = _json(item).split(LIKED_FALSE)
        if len(parts) != 2:
            return {"ids": ids, "authors": authors}
        items.append((parts[0], parts[1]))
    rebuilt = head + b",".join(a + LIKED_FALSE + b for a, b in items) + tail
    if rebuilt != body:
        return {"ids": ids, "authors": authors}
    return {"ids": ids, "authors": authors, "items": tuple(items), "head": head, "tail": tail}


class ReadCache:
    """Rendered pages by (path, query), dropped per song on local writes."""

    def __init__(self, ttl_s: float, max_entries: int = 20_000) -> None:
        self.ttl_s = ttl_s
        self.max_entries = max_entries
        self._entries: dict[Key, Entry] = {}
        self._by_song: dict[int, set[Key]] = {}
        self._refreshing: dict[Key, float] = {}
        #: a counter of invalidations, and the value it had at each song's last one
        self._epoch = 0
        self._dropped_at: dict[int, int] = {}
        #: pages read before this epoch are refused (set when _dropped_at is emptied)
        self._floor = 0
        self._lock = threading.Lock()
        #: renders under way (on the event loop's side), one per page
        self._rendering: dict[Key, asyncio.Future[None]] = {}

    @property
    def enabled(self) -> bool:
        return self.ttl_s > 0

    def get(self, key: Key) -> Entry | None:
        """A fresh entry, or None when the caller should render the page.

        When an entry expires, the first request renders it again while the
        others keep getting the expired one for up to ``REFRESH_GRACE_S``, so
        a popular page is never rendered by every waiting request at once.
        """
        entry = self._entries.get(key)
        if entry is None:
            return None
        now = time.monotonic()
        age = now - entry.stored_at
        if age <= self.ttl_s:
            return entry
        if age > self.ttl_s + REFRESH_GRACE_S:
            return None
        with self._lock:
            began = self._refreshing.get(key)
            if began is None or now - began > REFRESH_GRACE_S:
                self._refreshing[key] = now
                return None
        return entry

    def peek(self, key: Key) -> Entry | None:
        """The entry for ``key`` if it is still servable, without taking the refresh turn."""
        entry = self._entries.get(key)
        if entry is None or time.monotonic() - entry.stored_at > self.ttl_s + REFRESH_GRACE_S:
            return None
        return entry

    async def render_once(self, key: Key, render: Callable[[], Awaitable[None]]) -> bool:
        """Run ``render`` (which may put the page) unless a render of ``key`` is under way.

        True when this call rendered. Otherwise it waited (up to
        ``JOIN_TIMEOUT_S``) for the render under way and rendered nothing; the
        caller then peeks, and renders itself when nothing usable was kept (the
        page was not cacheable, or a write made that render too old to keep).
        So a page nobody holds (a cold start, a song just written to) is read
        from the database once, not once per request waiting for it. Call it on
        the event loop only.
        """
        running = self._rendering.get(key)
        if running is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(running), JOIN_TIMEOUT_S)
            return False
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._rendering[key] = done
        try:
            await render()
        finally:
            del self._rendering[key]
            done.set_result(None)
        return True

    def mark(self) -> tuple[float, int]:
        """Taken before a page is read from the database; handed back to :meth:`put`."""
        return time.monotonic(), self._epoch

    def put(
        self,
        key: Key,
        song_id: int,
        etag: str,
        body: bytes | None,
        mark: tuple[float, int],
        hidden_authors: frozenset[int] | None = None,
    ) -> None:
        """Keep a page whose database read began at ``mark``.

        Refused when a write to the song was dropped from the cache since then:
        the page may predate it, and the writer must see its write.
        ``hidden_authors`` (same snapshot) makes the page servable to signed-in
        readers.
        """
        if not self.enabled:
            return
        started_at, epoch = mark
        overlay: dict[str, object] = {}
        if hidden_authors is not None and body is not None:
            overlay = _overlay(body)
        with self._lock:
            if epoch < self._floor or self._dropped_at.get(song_id, -1) > epoch:
                return
            if len(self._entries) >= self.max_entries:
                self._entries.clear()
                self._by_song.clear()
                self._refreshing.clear()
            # stamped with the read's start, so a write committed meanwhile is not hidden long
            self._entries[key] = Entry(etag, body, started_at, hidden_authors, **overlay)  # type: ignore[arg-type]
            self._refreshing.pop(key, None)
            self._by_song.setdefault(song_id, set()).add(key)

    def invalidate(self, song_ids: Iterable[int]) -> None:
        """Drop every page of these songs (called after a local write commits)."""
        with self._lock:
            self._epoch += 1
            if len(self._dropped_at) > 10 * self.max_entries:  # keep memory bounded
                self._dropped_at.clear()
                self._floor = self._epoch
            for song_id in song_ids:
                self._dropped_at[song_id] = self._epoch
                for key in self._by_song.pop(song_id, ()):
                    self._entries.pop(key, None)
                    self._refreshing.pop(key, None)


def cacheable(scope: Scope) -> bool:
    """An anonymous GET of a comment list."""
    if scope["type"] != "http" or scope["method"] != "GET":
        return False
    if not _CACHED_PATH.match(scope["path"]):
        return False
    return not any(name == b"authorization" for name, _ in scope["headers"])


class ReadCacheMiddleware:
    """Serves cache hits (200 or 304) without calling the app."""

    def __init__(self, app: ASGIApp, cache: ReadCache) -> None:
        self.app = app
        self.cache = cache

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.cache.enabled and cacheable(scope):
            key: Key = (scope["path"], scope["query_string"])
            entry = self.cache.get(key)
            if entry is not None and await self._answer(scope, entry, send):
                return

            async def render() -> None:
                await self.app(scope, receive, send)

            if await self.cache.render_once(key, render):
                return
            # another request rendered the page meanwhile
            entry = self.cache.peek(key)
            if entry is not None and await self._answer(scope, entry, send):
                return
        await self.app(scope, receive, send)

    async def _answer(self, scope: Scope, entry: Entry, send: Send) -> bool:
        """Answer from ``entry``; False when it cannot (only an ETag, and it differs)."""
        etag = entry.etag.encode()
        bare = etag.removeprefix(b"W/")
        not_modified = False
        for name, value in scope["headers"]:
            if name == b"if-none-match":
                tags = [t.strip().removeprefix(b"W/") for t in value.split(b",")]
                not_modified = bare in tags or b"*" in tags
        headers = [(b"etag", etag), (b"cache-control", b"private, no-cache")]
        if not_modified:
            await send({"type": "http.response.start", "status": 304, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return True
        if entry.body is None:
            return False
        headers += [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(entry.body)).encode()),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": entry.body})
        return True
