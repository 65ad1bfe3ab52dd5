"""A few conversations for ``kindred demo``: listeners, comments, replies, likes.

:func:`seed_comments` talks to a (fresh, local) comment server like any
client does: it registers a handful of listeners and the demo account,
resolves demo tracks by their tags (as the window does, so the window finds
the same songs), and posts comments in English and Chinese, some pinned to a
moment of the song, with replies and likes. It returns the demo account's
name and token, so the demo opens signed in.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from player.library.store import LibraryDB
from player.social.client import SocialClient
from player.social.songs import SongIds

DEMO_USER = "demo"


@dataclass(frozen=True)
class Said:
    """One comment: who, on which track (title), what, pinned at ``at_s`` seconds or not."""

    author: str
    title: str
    body: str
    at_s: float | None = None
    replies: tuple[tuple[str, str], ...] = ()  # (author, body)
    likes: tuple[str, ...] = ()


CONVERSATIONS: tuple[Said, ...] = (
    Said("mei", "Chrome Horizon", "这段琶音一出来，整个夜晚都亮了。", 6.0,
         replies=(("sam", "Same! Straight back to 1986."), ("lin", "像在霓虹灯下开车。")),
         likes=("sam", "lin", "ana", DEMO_USER)),
    Said("sam", "Chrome Horizon", "The bass drop right here is the best moment of the album.", 12.0,
         likes=("mei", "ana")),
    Said("ana", "Chrome Horizon", "Perfect for a late drive home.",
         replies=(("mei", "深夜的高速公路，没错。"),)),
    Said("lin", "River Song", "吉他拨弦好温柔，让我想起老家的河。", 4.0,
         replies=(("ana", "Beautiful picking, yes."),), likes=("ana", "sam")),
    Said("ana", "River Song", "The second verse starts here and it gets me every time.", 15.0,
         likes=("lin",)),
    Said("sam", "Glacier Light", "Headphones on, eyes closed. Pure calm.",
         likes=("mei",)),
    Said("mei", "Glacier Light", "冰川的光，名副其实。", 10.0),
    Said("lin", "Warm Static", "Lo-fi for studying. Hear the tape hiss at the start?", 2.0,
         replies=(("mei", "学习的时候循环播放 🎧"),), likes=("sam", "mei")),
)  # fmt: skip


def seed_comments(server_url: str, db_path: str | Path) -> tuple[str, str]:
    """Fill the server at *server_url* with :data:`CONVERSATIONS` about the library in
    *db_path*; returns ``(username, token)`` of the signed-in demo account."""
    password = secrets.token_urlsafe(16)
    authors = sorted({s.author for s in CONVERSATIONS} | {DEMO_USER})
    clients: dict[str, SocialClient] = {}
    try:
        for name in authors:
            client = SocialClient(server_url, retries=1)
            client.register(name, password)
            client.sign_in(name, password)
            clients[name] = client
        with LibraryDB(db_path) as library:
            by_title: dict[str, int] = {}
            for track_id in sorted(library.track_ids()):
                track = library.get_track(track_id)
                if track is not None:
                    by_title.setdefault(track.title, track_id)
            songs = SongIds(library, server_url.rstrip("/"), with_fingerprint=False)
            for said in CONVERSATIONS:
                track_id = by_title.get(said.title)
                if track_id is None:
                    continue
                song = songs.song_id(track_id, clients[said.author])
                if song is None:
                    continue
                at = round(said.at_s * 1000) if said.at_s is not None else None
                comment = clients[said.author].post(song, said.body, position_ms=at)
                for author, body in said.replies:
                    clients[author].post(song, body, parent_id=comment.id)
                for liker in said.likes:
                    clients[liker].like(comment.id)
        return DEMO_USER, clients[DEMO_USER].token or ""  # closing does not revoke it
    finally:
        for client in clients.values():
            client.close()


__all__ = ["CONVERSATIONS", "DEMO_USER", "seed_comments"]
