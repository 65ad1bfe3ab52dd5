"""``kindred import-history``: a ListenBrainz or Last.fm history, so the mix knows you."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from player.app import open_context
from player.cli.common import EXIT_OK, EXIT_USAGE, print_json
from player.library.lastfm_history import API_ROOT, import_lastfm
from player.library.listen_formats import read_history
from player.library.listen_import import ImportSummary, import_listens, rematch_kept

API_KEY_ENV = "KINDRED_LASTFM_API_KEY"
API_ROOT_ENV = "KINDRED_LASTFM_API_ROOT"


def add_commands(sub: Any, add_db: Any) -> None:
    p = sub.add_parser(
        "import-history",
        help="import a listening history (ListenBrainz export, Last.fm CSV or account)",
        description="Import listens so the daily mix and radio know your taste from day one: "
        "a ListenBrainz export (.json, .jsonl or the .zip archive), a Last.fm export CSV, "
        "or a Last.fm account through its API (--lastfm-user; API key from "
        f"{API_KEY_ENV} or lastfm_api_key in the settings). Listens are matched to library "
        "tracks (MusicBrainz ID, then artist + title); the others still count for their "
        "artist. Importing again adds nothing twice; an interrupted Last.fm import resumes.",
    )
    p.add_argument("file", nargs="?", metavar="FILE", help="the export file")
    p.add_argument("--lastfm-user", metavar="NAME", help="import this Last.fm account's scrobbles")
    p.add_argument(
        "--rematch",
        action="store_true",
        help="match the listens kept as not in the library again (after scanning more music)",
    )
    add_db(p)
    p.add_argument("--json", action="store_true", help="print the summary as one JSON object")


def _api_key(settings: Any) -> str:
    """The environment's key, else the settings' (a field, or a key kept in the file)."""
    stored = getattr(settings, "lastfm_api_key", None) or settings.extra.get("lastfm_api_key")
    return os.environ.get(API_KEY_ENV) or str(stored or "")


def cmd_import_history(args: argparse.Namespace) -> int:
    if sum((bool(args.file), bool(args.lastfm_user), args.rematch)) != 1:
        print(
            "kindred: give an export FILE, --lastfm-user NAME or --rematch (one of them)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    tty = sys.stderr.isatty() and not args.json
    with open_context(args.db) as ctx:
        if args.rematch:
            summary = rematch_kept(ctx.library)
            if not args.json:
                print(
                    f"Matched {summary.matched:,} of {summary.listens:,} kept listens to "
                    f"{len(summary.tracks):,} tracks; {summary.unmatched:,} still not in the "
                    f"library ({len(summary.artists):,} artists)."
                )
                return EXIT_OK
        elif args.lastfm_user:

            def page_done(page: int, pages: int, summary: ImportSummary) -> None:
                if not args.json:
                    print(
                        f"  page {page}/{pages}: {summary.listens:,} listens",
                        file=sys.stderr,
                        flush=True,
                    )

            summary = import_lastfm(
                ctx.library,
                args.lastfm_user,
                _api_key(ctx.settings),
                root=os.environ.get(API_ROOT_ENV) or API_ROOT,
                page_done=page_done,
            )
        else:

            def progress(done: int) -> None:
                if tty:
                    sys.stderr.write(f"\r  {done:,} listens read")
                    sys.stderr.flush()

            summary = import_listens(ctx.library, read_history(Path(args.file)), progress=progress)
            if tty:
                sys.stderr.write("\n")
    if args.json:
        print_json(summary.to_dict())
    else:
        print(summary.sentence())
    return EXIT_OK


HANDLERS = {"import-history": cmd_import_history}
