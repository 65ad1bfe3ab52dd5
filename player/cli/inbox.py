"""My notifications and mutes on the comment server: ``kindred inbox``, ``mute``, ``unmute``.

``kindred inbox`` lists the notifications, newest first, each with the song it
is about (its title when this library holds it); ``--read`` then marks them all
read. ``kindred mute NAME`` hides a user's comments from my pages and stops
their notifications; ``unmute`` undoes it.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from player.app import open_context
from player.cli.common import EXIT_OK, print_json
from player.errors import AppError

if TYPE_CHECKING:
    from player.library.context import AppContext
    from player.social.inbox import InboxItem
    from player.social.service import CommentsService


def add_commands(sub: Any, add_db: Callable[[argparse.ArgumentParser], None]) -> None:
    def add_server(p: argparse.ArgumentParser) -> None:
        p.add_argument("--server", metavar="URL", help="comment server (default: from settings)")
        add_db(p)

    p = sub.add_parser("inbox", help="my notifications: replies, likes, mentions, hides")
    p.add_argument("-n", type=int, default=20, metavar="N", help="how many (default 20)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--read", action="store_true", help="mark them all read")
    add_server(p)
    p = sub.add_parser("mute", help="hide a user's comments and notifications from me")
    p.add_argument("username", metavar="NAME")
    add_server(p)
    p = sub.add_parser("unmute", help="show a muted user's comments again")
    p.add_argument("username", metavar="NAME")
    add_server(p)


def describe(item: InboxItem) -> str:
    """One line in words: "bob replied to your comment on Song: …"."""
    n = item.notification
    song = f"{item.artist} – {item.title}" if item.artist and item.title else item.title
    where = song or f"song {n.song_id}"
    who = n.actors[0].username if n.actors else "someone"
    body = _excerpt(n.comment.body)
    if n.kind == "reply":
        return f"{who} replied on {where}: {body}"
    if n.kind == "mention":
        return f"{who} mentioned you on {where}: {body}"
    if n.kind == "like":
        people = who if n.actor_count <= 1 else f"{n.actor_count} people"
        return f"{people} liked your comment on {where}: {body}"
    if n.kind == "hidden":
        why = f" ({n.reason})" if n.reason else ""
        return f"A moderator hid your comment on {where}{why}: {body}"
    return f"{n.kind} on {where}: {body}"


def cmd_inbox(args: argparse.Namespace) -> int:
    from player.social.inbox import mark_read, read_inbox

    with open_context(args.db) as ctx:
        social = _signed_in(ctx, args)
        page = read_inbox(social, limit=max(1, min(args.n, 100)))
        unread_left = None
        if args.read and page.items:
            unread_left = mark_read(social, max(i.notification.id for i in page.items))
    if args.json:
        print_json([_json(i) for i in page.items])
        return EXIT_OK
    if not page.items:
        print("No notifications.")
    for item in page.items:
        n = item.notification
        mark = " " if n.read else "•"
        print(f"{mark} {n.created_at[:16].replace('T', ' ')}  {describe(item)}")
    if unread_left is not None:
        print("Marked read." if unread_left == 0 else f"Marked read; {unread_left} still unread.")
    return EXIT_OK


def cmd_mute(args: argparse.Namespace) -> int:
    muted = args.command == "mute"
    with open_context(args.db) as ctx:
        _signed_in(ctx, args).client.mute(args.username, muted)
    print(f"Muted {args.username}." if muted else f"Unmuted {args.username}.")
    return EXIT_OK


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "inbox": cmd_inbox,
    "mute": cmd_mute,
    "unmute": cmd_mute,
}


def _signed_in(ctx: AppContext, args: argparse.Namespace) -> CommentsService:
    from player.app import make_comments

    social = make_comments(ctx, server=args.server)
    if not social.load_account().signed_in:
        raise AppError(
            f"Not signed in to {social.server}", "Log in first: kindred account login NAME"
        )
    return social


def _excerpt(text: str, width: int = 80) -> str:
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 1] + "…"


def _json(item: InboxItem) -> dict[str, Any]:
    n = item.notification
    return {
        "id": n.id,
        "kind": n.kind,
        "read": n.read,
        "created_at": n.created_at,
        "song_id": n.song_id,
        "track_id": item.track_id,
        "title": item.title or None,
        "artist": item.artist or None,
        "actors": [a.username for a in n.actors],
        "actor_count": n.actor_count,
        "reason": n.reason,
        "comment": {"id": n.comment.id, "body": n.comment.body, "parent_id": n.comment.parent_id},
    }
