"""A Last.fm account's history through ``user.getRecentTracks``, resumable.

Pages (200 listens each, newest first) are asked for up to a fixed ``to``
time chosen when an import starts, so page numbers stay put however much the
account scrobbles meanwhile. After each page is written, the import's state
(``to``, the last page done, the total) is saved in the library: a run that
stops (network, Ctrl-C) resumes at the next page, and a finished one makes
the next run ask only for what came after (``from``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import httpx

from player.errors import AppError
from player.library.listen_formats import lastfm_api_listen
from player.library.listen_import import (
    ImportSummary,
    TrackMatcher,
    import_listens,
    load_state,
    save_state,
)

if TYPE_CHECKING:
    from player.library.store import LibraryDB

API_ROOT = "https://ws.audioscrobbler.com/2.0/"
PAGE_SIZE = 200  # the most user.getRecentTracks gives per page
SOURCE = "lastfm"


class LastfmError(AppError):
    """Last.fm refused or could not be reached."""


#: Last.fm's error codes that say "try again later" (operation failed, temporarily
#: unavailable, rate limit exceeded), and how often a page is tried
TRANSIENT = {8, 16, 29}
TRIES = 3


class _Transient(LastfmError):
    """A failure worth trying again."""


def fetch_page(
    client: httpx.Client,
    root: str,
    api_key: str,
    user: str,
    page: int,
    span: dict[str, int],
    retry_wait: float = 2.0,
) -> tuple[list[Any], int]:
    """One page of recent tracks: (track objects, total pages); a transient failure
    (HTTP 5xx, Last.fm's "try later" errors, no connection) is tried again."""
    for attempt in range(1, TRIES + 1):
        try:
            return _fetch_once(client, root, api_key, user, page, span)
        except _Transient:
            if attempt == TRIES:
                raise
            time.sleep(retry_wait * attempt)
    raise AssertionError("unreachable")


def _fetch_once(
    client: httpx.Client, root: str, api_key: str, user: str, page: int, span: dict[str, int]
) -> tuple[list[Any], int]:
    params: dict[str, str | int] = {
        "method": "user.getRecentTracks",
        "user": user,
        "api_key": api_key,
        "format": "json",
        "limit": PAGE_SIZE,
        "page": page,
        **span,
    }
    try:
        response = client.get(root, params=params)
    except httpx.HTTPError as exc:
        raise _Transient("Last.fm cannot be reached", str(exc)) from exc
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and "error" in body:
        kind = (
            _Transient if body["error"] in TRANSIENT or response.status_code >= 500 else LastfmError
        )
        raise kind(
            f"Last.fm refused: {body.get('message', 'error ' + str(body['error']))}",
            "Check the API key (settings lastfm_api_key or KINDRED_LASTFM_API_KEY) and the user name.",
        )
    if response.status_code != 200 or not isinstance(body, dict):
        kind = _Transient if response.status_code >= 500 else LastfmError
        raise kind(f"Last.fm answered HTTP {response.status_code}", response.text[:200])
    recent = body.get("recenttracks")
    if not isinstance(recent, dict):
        raise LastfmError("Last.fm sent an unexpected answer", response.text[:200])
    tracks = recent.get("track", [])
    if isinstance(tracks, dict):  # a page of one track is an object, not a list
        tracks = [tracks]
    attr = recent.get("@attr") if isinstance(recent.get("@attr"), dict) else {}
    try:
        pages = int(attr.get("totalPages", 0))
    except (TypeError, ValueError):
        pages = 0
    return list(tracks), pages


def import_lastfm(
    db: LibraryDB,
    user: str,
    api_key: str,
    *,
    root: str = API_ROOT,
    now: float | None = None,
    page_done: Callable[[int, int, ImportSummary], None] | None = None,
    timeout: float = 30.0,
    retry_wait: float = 2.0,
) -> ImportSummary:
    """Import ``user``'s scrobbles, resuming where the last run stopped.

    ``page_done(page, pages, summary so far)`` after each page is saved.
    """
    if not api_key:
        raise LastfmError(
            "No Last.fm API key",
            "Set KINDRED_LASTFM_API_KEY or lastfm_api_key in the settings file.",
        )
    state = load_state(db, SOURCE, user.lower())
    if state.get("to") is None:  # a new run: up to now, after what a finished run saw
        state = {"from": state.get("done_to"), "to": int(now if now is not None else time.time()),
                 "page": 0, "done_to": state.get("done_to")}  # fmt: skip
    span = {"to": int(state["to"])}
    if state.get("from"):
        span["from"] = int(state["from"]) + 1
    matcher = TrackMatcher(db)
    total = ImportSummary()
    page = int(state.get("page", 0)) + 1
    with httpx.Client(timeout=timeout, headers={"User-Agent": "Kindred"}) as client:
        while True:
            tracks, pages = fetch_page(client, root, api_key, user, page, span, retry_wait)
            listens = [x for x in (lastfm_api_listen(t) for t in tracks) if x is not None]
            total.add(import_listens(db, listens, matcher=matcher))
            state["page"] = page
            if page >= pages or not tracks:
                state = {"done_to": state["to"]}
                save_state(db, SOURCE, user.lower(), state)
                if page_done:
                    page_done(page, max(pages, page), total)
                return total
            save_state(db, SOURCE, user.lower(), state)
            if page_done:
                page_done(page, pages, total)
            page += 1
