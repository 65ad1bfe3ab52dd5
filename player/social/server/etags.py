"""Conditional GET for comment lists: a weak ETag from the song's version.

Every write to a song's thread bumps ``songs.version``, so the version plus
who is asking plus the query identify a page's content. A client polling the
song it is playing sends ``If-None-Match`` and gets a body-less 304 for the
price of one indexed lookup.
"""

from __future__ import annotations

import hashlib

from fastapi import Request
from fastapi.responses import Response

from .auth import User


def make_etag(version: int, viewer: User | None, request: Request, extra: str = "") -> str:
    """The ETag of a list page (``extra``: what else the page depends on, e.g. mutes)."""
    who = "anon" if viewer is None else f"{viewer.id}{'m' if viewer.is_moderator else ''}"
    raw = f"{version}|{who}|{request.url.path}|{request.url.query}|{extra}".encode()
    return 'W/"' + hashlib.blake2b(raw, digest_size=12).hexdigest() + '"'


def matches(request: Request, etag: str) -> bool:
    """True when the request's If-None-Match names ``etag`` (or ``*``)."""
    header = request.headers.get("if-none-match")
    if not header:
        return False
    bare = etag.removeprefix("W/")
    for candidate in header.split(","):
        candidate = candidate.strip()
        if candidate == "*" or candidate.removeprefix("W/") == bare:
            return True
    return False


CACHE_HEADERS = {"Cache-Control": "private, no-cache"}


def not_modified(etag: str) -> Response:
    """304 with the ETag and no body."""
    return Response(status_code=304, headers={"ETag": etag, **CACHE_HEADERS})
