"""``kindred scrobble status|send|login|logout [--service listenbrainz|lastfm]``.

Listens are queued by the window as they finish (the queue lives in the
library database); this sends what is waiting, shows it, and signs in or out.
ListenBrainz signs in with the user token (from stdin or a prompt); Last.fm
with user name and password (``auth.getMobileSession``) or, with
``--browser``, the desktop flow: open the printed address, allow Kindred,
then press Enter.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from player.app import open_context
from player.cli.common import EXIT_ERROR, EXIT_OK, print_json, read_secret
from player.errors import AppError
from player.social.scrobble.accounts import LISTENBRAINZ, NAMES, SERVICES, Scrobbling


def add_commands(sub: Any, add_db: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("scrobble", help="scrobbling to ListenBrainz and Last.fm")
    ssub = p.add_subparsers(dest="scrobble_command", metavar="ACTION", required=True)

    def add_service(a: argparse.ArgumentParser, *, required: bool = False) -> None:
        a.add_argument("--service", choices=SERVICES, required=required,
                       help="one service (default: both)" if not required else "the service")  # fmt: skip
        add_db(a)

    a = ssub.add_parser("status", help="who is signed in and what is waiting to be sent")
    a.add_argument("--json", action="store_true")
    add_service(a)
    add_service(ssub.add_parser("send", help="send the queued listens now"))
    a = ssub.add_parser("login", help="sign in to a service")
    a.add_argument("--username", metavar="NAME", help="Last.fm user name")
    a.add_argument("--password-stdin", action="store_true",
                   help="read the Last.fm password, or the ListenBrainz token, from stdin")  # fmt: skip
    a.add_argument("--browser", action="store_true",
                   help="Last.fm: allow Kindred in the browser instead of a password")  # fmt: skip
    add_service(a, required=True)
    add_service(ssub.add_parser("logout", help="sign out (queued listens are kept)"))


def cmd_scrobble(args: argparse.Namespace) -> int:
    with open_context(args.db) as ctx:
        scrobbling = Scrobbling(ctx.library, ctx.settings, ctx.paths)
        services = [args.service] if args.service else list(SERVICES)
        action = args.scrobble_command
        if action == "status":
            return _status(scrobbling, services, args.json)
        if action == "send":
            return _send(scrobbling, services)
        if action == "login":
            return _login(scrobbling, args)
        for service in services:
            scrobbling.logout(service)
            print(f"Signed out of {NAMES[service]}.")
        return EXIT_OK


def _status(scrobbling: Scrobbling, services: list[str], as_json: bool) -> int:
    rows = [s for s in scrobbling.status() if s.service in services]
    if as_json:
        print_json([
            {"service": s.service, "user": s.user, "sign_in_again": s.sign_in_again,
             "pending": s.pending, "sent": s.sent, "dropped": s.dropped,
             "last_error": s.last_error}
            for s in rows
        ])  # fmt: skip
        return EXIT_OK
    for s in rows:
        who = f"signed in as {s.user}" if s.user else "signed out"
        if s.sign_in_again:
            who += " (sign in again)"
        print(f"{NAMES[s.service]}: {who}; {s.pending} waiting, {s.sent} sent, {s.dropped} dropped")
        if s.last_error:
            print(f"  last error: {s.last_error}")
    return EXIT_OK


def _send(scrobbling: Scrobbling, services: list[str]) -> int:
    failed = False
    for service, report in scrobbling.send(services, now=True).items():
        line = f"{NAMES[service]}: {report.sent} sent"
        if report.dropped:
            line += f", {len(report.dropped)} dropped"
        print(line)
        for listen, reason in report.dropped:
            print(f"  dropped {listen.artist} - {listen.title}: {reason}")
        if report.waiting is not None:
            failed = True
            print(f"  waiting: {report.waiting.short} ({report.waiting.detail})", file=sys.stderr)
    return EXIT_ERROR if failed else EXIT_OK


def _login(scrobbling: Scrobbling, args: argparse.Namespace) -> int:
    if args.service == LISTENBRAINZ:
        token = read_secret("ListenBrainz user token: ", args.password_stdin)
        user = scrobbling.login_listenbrainz(token)
    elif args.browser:
        token, url = scrobbling.lastfm_begin()
        print(f"Open this address, allow Kindred, then press Enter:\n{url}")
        sys.stdin.readline()
        user = scrobbling.lastfm_finish(token)
    else:
        username = args.username or input("Last.fm user name: ").strip()
        if not username:
            raise AppError("A Last.fm user name is needed", "Pass --username NAME.")
        user = scrobbling.login_lastfm(username, read_secret("Password: ", args.password_stdin))
    print(f"Signed in to {NAMES[args.service]} as {user}.")
    pending = scrobbling.queue.counts(args.service)["pending"]
    if pending:
        print(f"{pending} queued listens go out with the next send.")
    return EXIT_OK


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {"scrobble": cmd_scrobble}
