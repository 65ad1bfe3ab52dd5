"""My notifications as the window and the command line read them: each with the library's track.

A notification names only the server's song id; :func:`read_inbox` adds the
track this library holds for it (through the remembered song ids) and its
title, so the inbox can say "on Song" rather than "on a song". Every call here
talks to the server: run them on a worker in the window.
"""

from __future__ import annotations

from dataclasses import dataclass

from player.library.store.identity import held_songs
from player.social.client import Notification, Unread
from player.social.service import CommentsService

PAGE = 20


@dataclass(frozen=True)
class InboxItem:
    """A notification and, when the library holds its song, the track and its title."""

    notification: Notification
    track_id: int | None = None
    title: str = ""
    artist: str = ""


@dataclass(frozen=True)
class InboxPage:
    items: list[InboxItem]
    next_cursor: str | None


def can_ask(service: CommentsService) -> bool:
    """A server is chosen and someone is signed in to it (reads the kept sign-in once)."""
    if not service.configured:
        return False
    service.load_account()
    return service.signed_in


def unread(service: CommentsService, etag: str | None = None) -> Unread | None:
    """The unread count (maybe "not modified" for *etag*); None when signed out or no server."""
    if not can_ask(service):
        return None
    return service.client.unread_count(etag=etag)


def read_inbox(service: CommentsService, cursor: str | None = None, limit: int = PAGE) -> InboxPage:
    """A page of my notifications, newest first, each with its track when the library has it."""
    page = service.client.notifications(cursor=cursor, limit=limit)
    db = service.db()
    held = held_songs(db, service.server, [(n.song_id, {}) for n in page.items])
    items = []
    for n in page.items:
        track_id = held.get(n.song_id)
        track = db.get_track(track_id) if track_id is not None else None
        if track is None:
            items.append(InboxItem(n))
        else:
            artist = track.artists[0] if track.artists else ""
            items.append(InboxItem(n, track_id, track.title or "", artist))
    return InboxPage(items, page.next_cursor)


def mark_read(service: CommentsService, up_to: int) -> int:
    """Mark my notifications up to id *up_to* read; returns how many stay unread."""
    return service.client.mark_read(up_to)
