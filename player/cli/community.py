"""People and moderation on the comment server: ``user``, ``moderate`` and the
account's own actions (``account password|export|delete``, handled here for
``social.cmd_account``).

``kindred user NAME`` shows a profile and its latest comments, each with the
song it is on and whether that song is in this library. Moderators review
reports, hide, dismiss, suspend and read the log with ``kindred moderate``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from player.app import open_context
from player.cli.common import EXIT_OK, comments_service, print_json, read_secret
from player.errors import AppError

if TYPE_CHECKING:
    from player.library.context import AppContext
    from player.social.client import Comment, LogEntry, SocialClient, SongRef
    from player.social.service import CommentsService


def add_commands(sub: Any, add_db: Callable[[argparse.ArgumentParser], None]) -> None:
    def add_server(p: argparse.ArgumentParser) -> None:
        p.add_argument("--server", metavar="URL", help="comment server (default: from settings)")
        add_db(p)

    p = sub.add_parser("user", help="a commenter's profile and latest comments")
    p.add_argument("username", metavar="NAME")
    p.add_argument("-n", type=int, default=10, metavar="N", help="how many comments (default 10)")
    p.add_argument("--json", action="store_true")
    add_server(p)

    p = sub.add_parser("moderate", help="moderators: reports, hide, dismiss, suspend, the log")
    msub = p.add_subparsers(dest="moderate_command", metavar="ACTION", required=True)
    m = msub.add_parser("reports", help="open reports, newest first")
    m.add_argument("--json", action="store_true")
    add_server(m)
    m = msub.add_parser("hide", help="hide a comment from everyone but its author")
    m.add_argument("comment_id", type=int, metavar="ID")
    add_server(m)
    m = msub.add_parser("dismiss", help="close a report and leave the comment be")
    m.add_argument("report_id", type=int, metavar="REPORT")
    add_server(m)
    m = msub.add_parser("suspend", help="suspend an account (for good unless --days)")
    m.add_argument("username", metavar="NAME")
    m.add_argument("--reason", required=True)
    m.add_argument("--days", type=int, metavar="N", help="for N days (default: for good)")
    add_server(m)
    m = msub.add_parser("unsuspend", help="end a suspension now")
    m.add_argument("username", metavar="NAME")
    add_server(m)
    m = msub.add_parser("log", help="every hide, dismissal and suspension, newest first")
    m.add_argument("-n", type=int, default=50, metavar="N")
    m.add_argument("--json", action="store_true")
    add_server(m)


def add_account_actions(asub: Any, add_server: Callable[[argparse.ArgumentParser], None]) -> None:
    """``account password|export|delete`` (the parser lives with ``account``)."""
    a = asub.add_parser("password", help="change the password (other sessions are signed out)")
    a.add_argument("--password-stdin", action="store_true",
                   help="read the current and the new password from stdin, one per line")  # fmt: skip
    add_server(a)
    a = asub.add_parser("export", help="everything the server keeps about you, as JSON")
    a.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: stdout)")
    add_server(a)
    a = asub.add_parser("delete", help="delete the account for good (asks twice)")
    a.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    a.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    add_server(a)


ACCOUNT_ACTIONS = ("password", "export", "delete")


def account_action(action: str, social: CommentsService, args: argparse.Namespace) -> int:
    """The account's own actions; the caller has the service open."""
    account = social.load_account()
    if not account.signed_in:
        raise AppError(
            f"Not signed in to {social.server}", "Log in first: kindred account login NAME"
        )
    client = social.client
    if action == "password":
        current = read_secret("Current password: ", args.password_stdin)
        new = read_secret("New password: ", args.password_stdin)
        if not args.password_stdin and sys.stdin.isatty() and read_secret("Again: ", False) != new:
            raise AppError("The new passwords differ", "Nothing was changed; try again.")
        client.change_password(current, new)
        print("Password changed; every other session was signed out.")
        return EXIT_OK
    if action == "export":
        data = client.export()
        text = json.dumps(data, ensure_ascii=False, indent=2)
        if args.output:
            Path(args.output).write_text(text + "\n", encoding="utf-8")
            print(f"Wrote {args.output} ({len(data.get('comments', []))} comments).")
        else:
            print(text)
        return EXIT_OK
    # delete
    if not args.yes:
        if not sys.stdin.isatty():
            raise AppError("Deleting needs confirmation", "Run it in a terminal, or add --yes.")
        print(
            f"This deletes {account.username or 'your account'} on {social.server} for good:\n"
            "  your comments that have replies stay, shown as [deleted user];\n"
            "  your other comments, likes, reports, mutes and notifications go."
        )
        if input("Type the account name to go on: ").strip() != (account.username or ""):
            print("Nothing was deleted.")
            return EXIT_OK
    client.delete_account(read_secret("Password: ", args.password_stdin))
    account.sign_out()
    print(f"The account was deleted from {social.server}.")
    return EXIT_OK


def cmd_user(args: argparse.Namespace) -> int:
    with open_context(args.db) as ctx:
        social = comments_service(ctx, args)
        client = social.client
        profile = client.profile(args.username)
        page = client.user_comments(profile.username, limit=max(1, min(args.n, 100)))
        owned = _in_library(
            ctx, social.server, [song for _, song in page.items if song is not None]
        )
    items = [(c, song, song is not None and song.id in owned) for c, song in page.items]
    if args.json:
        print_json(
            {
                "username": profile.username,
                "joined_at": profile.joined_at,
                "comment_count": profile.comment_count,
                "likes_received": profile.likes_received,
                "is_moderator": profile.is_moderator,
                "muted_by_me": profile.muted_by_me,
                "suspension": profile.suspension,
                "comments": [_comment_json(c, song, mine) for c, song, mine in items],
            }
        )
        return EXIT_OK
    role = " · moderator" if profile.is_moderator else ""
    print(f"{profile.username}{role} · joined {profile.joined_at[:10]}")
    print(f"{profile.comment_count} comments · {profile.likes_received} likes received")
    if profile.suspension:
        held = profile.suspension
        ends = "for good" if held.get("for_good") else f"until {str(held.get('until'))[:10]}"
        print(f"Suspended {ends}: {held.get('reason') or ''}")
    for c, song, mine in items:
        where = _song_text(song) + (" (in your library)" if mine else "")
        print(f"#{c.id} on {where} · {c.created_at[:10]} · {c.like_count} likes")
        print("  " + c.body.replace("\n", "\n  "))
    return EXIT_OK


def cmd_moderate(args: argparse.Namespace) -> int:
    action = args.moderate_command
    with open_context(args.db) as ctx:
        client = comments_service(ctx, args).client
        if action == "reports":
            return _reports(client, args.json)
        if action == "hide":
            client.hide(args.comment_id)
            print(f"Hid #{args.comment_id}.")
        elif action == "dismiss":
            client.dismiss(args.report_id)
            print(f"Dismissed report {args.report_id}.")
        elif action == "suspend":
            held = client.suspend(args.username, args.reason, args.days)
            ends = "for good" if held.get("for_good") else f"until {held.get('until')}"
            print(f"Suspended {args.username} {ends}.")
        elif action == "unsuspend":
            client.lift_suspension(args.username)
            print(f"{args.username} may sign in again.")
        else:  # log
            entries: list[LogEntry] = []
            cursor: str | None = None
            wanted = max(1, args.n)
            while len(entries) < wanted:  # the server gives at most 100 at a time
                page, cursor = client.moderation_log(
                    cursor=cursor, limit=min(wanted - len(entries), 100)
                )
                entries.extend(page)
                if not cursor or not page:
                    break
            if args.json:
                print_json([e.__dict__ | {"moderator": _name(e.moderator),
                                          "target": _name(e.target)} for e in entries])  # fmt: skip
            elif not entries:
                print("Nothing in the log yet.")
            for e in entries if not args.json else []:
                what = f"#{e.comment_id}" if e.comment_id else ""
                whom = _name(e.target) or ""
                why = f": {e.reason}" if e.reason else ""
                print(
                    f"{e.created_at[:19]} {_name(e.moderator) or '?'} {e.action} {whom} {what}{why}"
                )
    return EXIT_OK


def _reports(client: SocialClient, as_json: bool) -> int:
    reports = client.reports()
    if as_json:
        print_json(reports)
    elif not reports:
        print("No open reports.")
    for r in reports if not as_json else []:
        comment = r.get("comment") or {}
        author = (comment.get("author") or {}).get("username", "?")
        print(f"report {r['id']} by {r['reporter']['username']}: {r['reason']}")
        print(f"  #{comment.get('id')} {author}: {str(comment.get('body', ''))[:100]}")
    return EXIT_OK


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "user": cmd_user,
    "moderate": cmd_moderate,
}


# ---- helpers ------------------------------------------------------------------------
def _in_library(ctx: AppContext, server: str, songs: list[SongRef]) -> set[int]:
    """The server songs among *songs* that this library holds (same identity as threads)."""
    from player.library.store.identity import held_songs

    return set(held_songs(ctx.library, server, [(s.id, s.aliases) for s in songs]))


def _song_text(song: SongRef | None) -> str:
    if song is None:
        return "an unknown song"
    if song.artist and song.title:
        return f"{song.artist} – {song.title}"
    return f"song {song.id}"


def _name(user: Any) -> str | None:
    return None if user is None else str(user.username)


def _comment_json(c: Comment, song: SongRef | None, in_library: bool) -> dict[str, Any]:
    return {
        "id": c.id,
        "body": c.body,
        "created_at": c.created_at,
        "like_count": c.like_count,
        "parent_id": c.parent_id,
        "song": None
        if song is None
        else {"id": song.id, "artist": song.artist, "title": song.title, "in_library": in_library},
    }
