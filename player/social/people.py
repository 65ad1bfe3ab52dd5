"""People on the comment server as the window shows them: profiles, mutes, moderation, my account.

Every function here talks to the server and runs on a worker thread (the
window's task runner); each takes the :class:`~player.social.service.CommentsService`
the Comments tab uses. :func:`profile_page` also says which songs of a page the
library holds (:func:`player.library.store.identity.held_songs`), through the
worker thread's own library connection.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from player.library.store.identity import held_songs
from player.social.client import Comment, LogEntry, Profile, SongRef
from player.social.service import CommentsService

PROFILE_PAGE = 20


@dataclass(frozen=True)
class ProfileItem:
    """One of a user's comments, its song, and the library track of that song (None: not held)."""

    comment: Comment
    song: SongRef | None
    track_id: int | None


@dataclass(frozen=True)
class ProfileComments:
    items: list[ProfileItem]
    next_cursor: str | None


@dataclass(frozen=True)
class Report:
    """An open report: the reported comment, who reported it and why."""

    id: int
    comment: Comment
    reporter: str
    reason: str
    created_at: str


def profile(service: CommentsService, username: str) -> Profile:
    return service.client.profile(username)


def profile_comments(
    service: CommentsService, username: str, cursor: str | None = None
) -> ProfileComments:
    """A page of *username*'s comments (newest first), each marked with the track we hold."""
    page = service.client.user_comments(username, cursor=cursor, limit=PROFILE_PAGE)
    songs = {song.id: song.aliases for _, song in page.items if song is not None}
    held = held_songs(service.db(), service.server, songs.items()) if songs else {}
    items = [
        ProfileItem(comment, song, held.get(song.id) if song is not None else None)
        for comment, song in page.items
    ]
    return ProfileComments(items, page.next_cursor)


def set_muted(service: CommentsService, username: str, muted: bool) -> bool:
    service.client.mute(username, muted)
    return muted


def am_moderator(service: CommentsService) -> bool:
    """Whether the signed-in account moderates this server (False when signed out)."""
    service.load_account()
    if not service.signed_in or not service.username:
        return False
    return service.client.profile(service.username).is_moderator


def open_reports(service: CommentsService) -> list[Report]:
    return [
        Report(
            int(raw["id"]),
            Comment.from_json(raw["comment"]),
            str((raw.get("reporter") or {}).get("username") or ""),
            str(raw.get("reason") or ""),
            str(raw.get("created_at") or ""),
        )
        for raw in service.client.reports()
    ]


#: moderation log entries asked for at once
LOG_PAGE = 50


def moderation_log(
    service: CommentsService, cursor: str | None = None
) -> tuple[list[LogEntry], str | None]:
    """A page of the moderation log, newest first, and the cursor of the next (None: the end)."""
    return service.client.moderation_log(cursor=cursor, limit=LOG_PAGE)


def hide(service: CommentsService, comment_id: int, reason: str) -> Comment:
    return service.client.hide(comment_id, reason)


def dismiss(service: CommentsService, report_id: int) -> None:
    service.client.dismiss(report_id)


def suspend(service: CommentsService, username: str, reason: str, days: int | None) -> Any:
    return service.client.suspend(username, reason, days)


def change_password(service: CommentsService, current: str, new: str) -> None:
    service.client.change_password(current, new)


def export_to(service: CommentsService, path: Path) -> Path:
    """Save everything the server keeps about this account as JSON at *path*."""
    data = service.client.export()
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def delete_account(service: CommentsService, password: str) -> None:
    """Delete the account for good, then forget its sign-in here."""
    account = service.load_account()
    account.client.delete_account(password)
    account.tokens.delete(account.server)
    account.usernames.set(account.server, None)
    account.username = ""
