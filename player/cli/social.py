"""Comment sub-commands: ``account``, ``comments list|post|like|unlike|replies|top``,
``comment`` and ``outbox``.

Writing is offline-first here as in the window: ``kindred comments post`` puts
the comment in the outbox and sends what is due; if the server cannot be
reached the comment stays there and goes out with the next ``kindred outbox
send`` (or any command that talks to the server, or when the app next runs).
``kindred comment ITEM TEXT`` is kept as a shorter form of ``comments post``;
``account signin|signout`` as the older names of ``login|logout``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from player.app import open_context
from player.cli import community, wall
from player.cli.common import EXIT_ERROR, EXIT_OK, comments_service, print_json, read_secret
from player.errors import AppError

if TYPE_CHECKING:
    from player.library.context import AppContext
    from player.social.client import Comment
    from player.social.service import CommentsService

ACCOUNT_ALIASES = {"signin": "login", "signout": "logout"}


def add_commands(sub: Any, add_db: Callable[[argparse.ArgumentParser], None]) -> None:
    def add_server(p: argparse.ArgumentParser) -> None:
        p.add_argument("--server", metavar="URL", help="comment server (default: from settings)")
        add_db(p)

    p = sub.add_parser("account", help="register, log in or out of the comment server")
    asub = p.add_subparsers(dest="account_command", metavar="ACTION", required=True)
    for action, text, aliases in (
        ("register", "make an account and log in", []),
        ("login", "log in", ["signin"]),
    ):
        a = asub.add_parser(action, help=text, aliases=aliases)
        a.add_argument("username", nargs="?", help="(or --username NAME)")
        a.add_argument("--username", dest="username_option", metavar="NAME")
        a.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
        add_server(a)
    add_server(
        asub.add_parser("logout", aliases=["signout"], help="log out (the token is revoked)")
    )
    add_server(asub.add_parser("status", help="who is logged in"))
    community.add_account_actions(asub, add_server)

    p = sub.add_parser("comments", help="read (list) or write (post) a track's comments")
    csub = p.add_subparsers(dest="comments_command", metavar="ACTION", required=True)
    c = csub.add_parser("list", help="a track's comments (offline: the cached ones, marked stale)")
    c.add_argument("item", metavar="ITEM", help="a library file path or a track id")
    c.add_argument("--sort", choices=("hot", "new"), default="hot")
    c.add_argument("-n", type=int, default=20, metavar="N")
    c.add_argument("--json", action="store_true")
    add_server(c)
    _add_post(csub.add_parser("post", help="write a comment (kept until it is sent)"), add_server)
    for action, text in (("like", "like a comment"), ("unlike", "take a like back")):
        c = csub.add_parser(action, help=f"{text} (kept until it is sent)")
        c.add_argument("comment_id", type=int, metavar="ID", help="the comment's number (#ID)")
        add_server(c)
    c = csub.add_parser("replies", help="the answers to a comment")
    c.add_argument("comment_id", type=int, metavar="ID", help="the comment's number (#ID)")
    c.add_argument("-n", type=int, default=50, metavar="N")
    c.add_argument("--json", action="store_true")
    add_server(c)
    wall.add_top(csub, add_server)
    _add_post(sub.add_parser("comment", help="the same as: comments post"), add_server)

    p = sub.add_parser("outbox", help="what is waiting to be sent to the comment server")
    p.add_argument("action", nargs="?", choices=("send",), help="send: deliver what is due now")
    p.add_argument("--send", action="store_true", help=argparse.SUPPRESS)  # the older spelling
    p.add_argument("--json", action="store_true")
    add_server(p)


def _add_post(p: argparse.ArgumentParser, add_server: Callable[[Any], None]) -> None:
    p.add_argument("item", metavar="ITEM", help="a library file path or a track id")
    p.add_argument("text")
    p.add_argument("--at", metavar="MM:SS", help="pin it to this moment of the song")
    p.add_argument("--reply-to", type=int, metavar="ID", help="answer this comment")
    add_server(p)


def cmd_account(args: argparse.Namespace) -> int:
    action = ACCOUNT_ALIASES.get(args.account_command, args.account_command)
    with open_context(args.db) as ctx:
        social = comments_service(ctx, args)
        if action in community.ACCOUNT_ACTIONS:
            return community.account_action(action, social, args)
        account = social.load_account()
        if action == "status":
            if account.signed_in:
                who = f" as {account.username}" if account.username else ""
                print(f"Signed in to {social.server}{who}.")
            else:
                print(f"Not signed in to {social.server}.")
            return EXIT_OK
        if action == "logout":
            _deliver_first(social)
            account.sign_out()
            print(f"Signed out of {social.server}.")
            return EXIT_OK
        username = args.username_option or args.username
        if not username:
            raise AppError("Which account?", "Give the username: --username NAME")
        password = read_secret("Password: ", args.password_stdin)
        if action == "register":
            account.sign_in(username, password, register=True)
            print(f"Made the account {username} on {social.server}.")
        else:
            account.sign_in(username, password)
        print(f"Signed in as {username}.")
        _remember_server(ctx, social.server)
        _deliver_first(social)
    return EXIT_OK


def _remember_server(ctx: AppContext, server: str) -> None:
    """After a sign-in, *server* is the one the command line and the window use."""
    settings = ctx.settings
    if settings.server_url.rstrip("/") == server:
        return
    settings.server_url = server
    try:
        settings.save(ctx.paths)
    except OSError as exc:
        print(
            f"kindred: {server} could not be made the default ({exc}); "
            "give --server with each command",
            file=sys.stderr,
        )
        return
    print(f"{server} is now the comment server for kindred and the window.")


def cmd_comments(args: argparse.Namespace) -> int:
    if args.comments_command == "post":
        return cmd_comment(args)
    if args.comments_command in ("like", "unlike"):
        return _cmd_like(args, liked=args.comments_command == "like")
    if args.comments_command == "replies":
        return _cmd_replies(args)
    if args.comments_command == "top":
        return wall.cmd_top(args)
    from player.social.reading import read_comments

    with open_context(args.db) as ctx:
        social = comments_service(ctx, args)
        track_id = _track(ctx.library, args.item)
        _deliver_first(social)
        read = read_comments(social.client, social.songs(), social.cache(), track_id,
                             {args.sort: args.n})  # fmt: skip
        if read.stale:
            if not read.cached:
                assert read.error is not None
                raise read.error
            short = read.error.short if read.error else "offline"
            print(f"kindred: {short}; showing comments from the cache", file=sys.stderr)
        page = read.page(args.sort)
    _print_comments(page.items, as_json=args.json, stale=read.stale, empty="No comments yet.")
    return EXIT_OK


def _print_comments(items: list[Comment], *, as_json: bool, stale: bool, empty: str) -> None:
    if as_json:
        rows = [
            {"id": c.id, "author": c.author.username if c.author else None, "body": c.body,
             "position_ms": c.position_ms, "likes": c.like_count, "replies": c.reply_count,
             "created_at": c.created_at, "stale": stale}
            for c in items
        ]  # fmt: skip
        print_json(rows)
        return
    if not items:
        print(empty)
    for c in items:
        at = f" at {_clock(c.position_ms)}" if c.position_ms is not None else ""
        who = c.author.username if c.author else "[deleted]"
        likes = f"{c.like_count} like" + ("" if c.like_count == 1 else "s")
        replies = f"{c.reply_count} repl" + ("y" if c.reply_count == 1 else "ies")
        print(f"#{c.id} {who}{at} · {likes} · {replies}")
        print("  " + c.body.replace("\n", "\n  "))


def _cmd_like(args: argparse.Namespace, *, liked: bool) -> int:
    """Like (or unlike) a comment through the outbox, sent at once when the server answers."""
    with open_context(args.db) as ctx:
        social = comments_service(ctx, args)
        if not social.load_account().signed_in:
            raise AppError(
                f"Not signed in to {social.server}",
                "Liking needs an account: kindred account login NAME",
            )
        outbox = social.outbox()
        entry = outbox.like(args.comment_id, liked=liked)
        delivery = outbox.deliver(social.client, now=True)
        done = next((e for e in outbox.entries() if e.id == entry.id), None)
    for failed, error in delivery.failed:
        if failed.id == entry.id:
            print(f"kindred: #{args.comment_id}: {error.short}", file=sys.stderr)
            return EXIT_ERROR
    if done is not None and done.state == "sent" and done.result:
        count = int(done.result.get("like_count", 0))
        verb = "Liked" if liked else "Unliked"
        print(f"{verb} #{args.comment_id} ({count} like{'' if count == 1 else 's'}).")
        return EXIT_OK
    reason = delivery.waiting.short if delivery.waiting else "waiting"
    print(f"Kept in the outbox ({reason}); it is sent when the server can be reached.")
    return EXIT_OK


def _cmd_replies(args: argparse.Namespace) -> int:
    with open_context(args.db) as ctx:
        social = comments_service(ctx, args)
        _deliver_first(social)
        page = social.client.replies(args.comment_id, limit=args.n)
    _print_comments(page.items, as_json=args.json, stale=False, empty="No replies yet.")
    return EXIT_OK


def cmd_comment(args: argparse.Namespace) -> int:
    from player.social.songs import identity

    with open_context(args.db) as ctx:
        social = comments_service(ctx, args)
        track_id = _track(ctx.library, args.item)
        song = social.songs().cached(track_id)
        if song is None:
            track = ctx.library.get_track(track_id)
            assert track is not None
            target: int | dict[str, Any] = identity(track)
        else:
            target = song
        outbox = social.outbox()
        position = _parse_clock(args.at) if args.at else None
        entry = outbox.post(target, args.text, position_ms=position, parent=args.reply_to)
        delivery = outbox.deliver(social.client, now=True)
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
    send = args.send or args.action == "send"
    with open_context(args.db) as ctx:
        social = comments_service(ctx, args)
        outbox = social.outbox()
        if send:
            delivery = outbox.deliver(social.client, now=True)
            print(f"Sent {len(delivery.sent)}, refused {len(delivery.failed)}.")
            for entry, error in delivery.failed:
                print(f"  #{entry.id} {entry.kind}: {error.short}")
            if delivery.waiting is not None:
                print(f"  the rest waits: {delivery.waiting.short}")
        entries = [e for e in outbox.entries() if e.state != "sent"]
    if args.json:
        rows = [{"id": e.id, "kind": e.kind, "state": e.state, "attempts": e.attempts,
                 "error": e.last_error, "payload": e.payload} for e in entries]  # fmt: skip
        print_json(rows)
    elif not send:
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
def _deliver_first(social: CommentsService) -> None:
    """Send what the outbox holds before talking to the server (signed in only)."""
    from player.social.errors import SocialError

    if not social.load_account().signed_in:
        return
    try:
        delivery = social.outbox().deliver(social.client, now=True)
    except SocialError:
        return  # the command itself says what is wrong with the server
    if delivery.sent:
        print(f"kindred: sent {len(delivery.sent)} waiting from the outbox", file=sys.stderr)


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
