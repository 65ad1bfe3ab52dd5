"""Comment sub-commands: ``account``, ``comments``, ``comment`` and ``outbox``.

Writing is offline-first here as in the window: ``kindred comment`` puts the
comment in the outbox and sends what is due; if the server cannot be reached
the comment stays there and goes out with the next ``kindred outbox --send``
(or when the app next runs).
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Callable
from typing import Any

from player.cli.common import EXIT_ERROR, EXIT_OK
from player.errors import AppError
from player.library.context import open_context


def add_commands(sub: Any, add_db: Callable[[argparse.ArgumentParser], None]) -> None:
    def add_server(p: argparse.ArgumentParser) -> None:
        p.add_argument("--server", metavar="URL", help="comment server (default: from settings)")
        add_db(p)

    p = sub.add_parser("account", help="register, sign in or out of the comment server")
    asub = p.add_subparsers(dest="account_command", metavar="ACTION", required=True)
    for action, text in (("register", "make an account"), ("signin", "sign in")):
        a = asub.add_parser(action, help=text)
        a.add_argument("username")
        a.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
        add_server(a)
    add_server(asub.add_parser("signout", help="sign out (the token is revoked)"))
    add_server(asub.add_parser("status", help="who is signed in"))

    p = sub.add_parser("comments", help="read a track's comments")
    p.add_argument("item", metavar="ITEM", help="a library file path or a track id")
    p.add_argument("--sort", choices=("hot", "new"), default="hot")
    p.add_argument("-n", type=int, default=20, metavar="N")
    p.add_argument("--json", action="store_true")
    add_server(p)

    p = sub.add_parser("comment", help="write a comment on a track (kept until it is sent)")
    p.add_argument("item", metavar="ITEM", help="a library file path or a track id")
    p.add_argument("text")
    p.add_argument("--at", metavar="M:SS", help="pin it to this moment of the song")
    p.add_argument("--reply-to", type=int, metavar="ID", help="answer this comment")
    add_server(p)

    p = sub.add_parser("outbox", help="what is waiting to be sent to the comment server")
    p.add_argument("--send", action="store_true", help="send what is due now")
    p.add_argument("--json", action="store_true")
    add_server(p)


def cmd_account(args: argparse.Namespace) -> int:
    with open_context(args.db) as ctx:
        social = _social(ctx, args)
        action = args.account_command
        if action == "status":
            who = social.tokens.get(social.server)
            print(f"Signed in to {social.server}." if who else f"Not signed in to {social.server}.")
            return EXIT_OK
        if action == "signout":
            social.client.sign_out()
            social.tokens.delete(social.server)
            print(f"Signed out of {social.server}.")
            return EXIT_OK
        password = _password(args.password_stdin)
        if action == "register":
            user = social.client.register(args.username, password)
            print(f"Made the account {user.username} on {social.server}.")
        session = social.client.sign_in(args.username, password)
        social.tokens.set(social.server, session.token)
        for warning in social.tokens.warnings:
            print(f"kindred: {warning}", file=sys.stderr)
        print(f"Signed in as {args.username} (until {session.expires_at}).")
    return EXIT_OK


def cmd_comments(args: argparse.Namespace) -> int:
    from player.social.errors import ServerUnreachable

    with open_context(args.db) as ctx:
        social = _social(ctx, args)
        track_id = _track(ctx.library, args.item)
        cache = social.cache()
        stale = False
        try:
            song_id = social.song_ids().song_id(track_id, social.client)
            if song_id is None:
                print("No comments yet.")
                return EXIT_OK
            page = social.client.comments(song_id, sort=args.sort, limit=args.n)
            cache.store(song_id, args.sort, page)
        except ServerUnreachable as exc:
            song_id = social.song_ids().cached(track_id)
            cached = cache.load(song_id, args.sort) if song_id is not None else None
            if cached is None:
                raise
            print(f"kindred: {exc.short}; showing comments from the cache", file=sys.stderr)
            page, stale = cached.page, True
    if args.json:
        rows = [
            {"id": c.id, "author": c.author.username if c.author else None, "body": c.body,
             "position_ms": c.position_ms, "likes": c.like_count, "replies": c.reply_count,
             "created_at": c.created_at, "stale": stale}
            for c in page.items
        ]  # fmt: skip
        print(json.dumps(rows, ensure_ascii=False))
        return EXIT_OK
    if not page.items:
        print("No comments yet.")
    for c in page.items:
        at = f" at {_clock(c.position_ms)}" if c.position_ms is not None else ""
        who = c.author.username if c.author else "[deleted]"
        print(f"#{c.id} {who}{at} · {c.like_count} likes · {c.reply_count} replies")
        print("  " + c.body.replace("\n", "\n  "))
    return EXIT_OK


def cmd_comment(args: argparse.Namespace) -> int:
    from player.social.songs import identity

    with open_context(args.db) as ctx:
        social = _social(ctx, args)
        track_id = _track(ctx.library, args.item)
        song = social.song_ids().cached(track_id)
        if song is None:
            track = ctx.library.get_track(track_id)
            assert track is not None
            target: int | dict[str, Any] = identity(track)
        else:
            target = song
        outbox = social.outbox()
        position = _parse_clock(args.at) if args.at else None
        entry = outbox.post(target, args.text, position_ms=position, parent=args.reply_to)
        delivery = outbox.deliver(social.client)
    if any(e.id == entry.id for e in delivery.sent):
        print("Posted.")
        return EXIT_OK
    for failed, error in delivery.failed:
        if failed.id == entry.id:
            print(f"kindred: not posted: {error.short}", file=sys.stderr)
            return EXIT_ERROR
    reason = delivery.waiting.short if delivery.waiting else "waiting"
    print(f"Kept in the outbox ({reason}); it is sent when the server can be reached.")
    return EXIT_OK


def cmd_outbox(args: argparse.Namespace) -> int:
    with open_context(args.db) as ctx:
        social = _social(ctx, args)
        outbox = social.outbox()
        if args.send:
            delivery = outbox.deliver(social.client)
            print(f"Sent {len(delivery.sent)}, refused {len(delivery.failed)}.")
            for entry, error in delivery.failed:
                print(f"  #{entry.id} {entry.kind}: {error.short}")
            if delivery.waiting is not None:
                print(f"  the rest waits: {delivery.waiting.short}")
        entries = [e for e in outbox.entries() if e.state != "sent"]
    if args.json:
        rows = [{"id": e.id, "kind": e.kind, "state": e.state, "attempts": e.attempts,
                 "error": e.last_error, "payload": e.payload} for e in entries]  # fmt: skip
        print(json.dumps(rows, ensure_ascii=False))
    elif not args.send:
        if not entries:
            print("Nothing waiting.")
        for e in entries:
            note = f" ({e.last_error})" if e.last_error else ""
            print(f"#{e.id} {e.kind} {e.state}{note}: {str(e.payload.get('body', ''))[:60]}")
    return EXIT_OK


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "account": cmd_account,
    "comments": cmd_comments,
    "comment": cmd_comment,
    "outbox": cmd_outbox,
}


# ---- helpers ------------------------------------------------------------------------
def _social(ctx: Any, args: argparse.Namespace) -> Any:
    from player.app import make_social

    return make_social(ctx, server=args.server)


def _password(from_stdin: bool) -> str:
    if from_stdin or not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    return getpass.getpass("Password: ")


def _track(library: Any, item: str) -> int:
    from player.library.trackref import find_track

    found = find_track(library, item)
    if found is None:
        raise AppError(
            f"Not in the library: {item}", "Comments are for library tracks: kindred scan FOLDER"
        )
    return found


def _clock(ms: int) -> str:
    return f"{ms // 60000}:{ms // 1000 % 60:02d}"


def _parse_clock(text: str) -> int:
    try:
        parts = [float(p) for p in text.split(":")]
    except ValueError:
        raise AppError(f"Not a time: {text!r}", "Give the moment as M:SS, e.g. --at 1:23") from None
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + part
    return round(seconds * 1000)
