"""``kindred demo``: build a small demo library in a temporary folder and open the window on it.

The demo library (see :mod:`player.library.demo`) gets its own database inside
that folder, so the listener's own library is never touched. With the window,
the demo is a whole first hour (:class:`~player.social.demosession.DemoSession`,
shared with the welcome page's demo button): its own settings (``KINDRED_HOME`` below the
folder, with the music folder in Settings -> Library), the window scans and then
analyses the music in the background (so For You fills), and a local comment
server (:class:`~player.social.localserver.LocalServer`, SQLite in the folder)
holds a few seeded conversations, with the demo account signed in. The server
stops when the window closes, and a temporary folder is removed then
(``--dir`` keeps it).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from player.cli.common import EXIT_OK
from player.config import Paths, Settings
from player.errors import AppError
from player.library.scanner import Scanner
from player.library.store import LibraryDB
from player.social.demosession import DemoSession


def add_commands(sub: Any, add_db: Any) -> None:
    p = sub.add_parser(
        "demo",
        help="make a small demo library (generated music, covers, lyrics) and open the window",
    )
    p.add_argument(
        "--dir",
        metavar="FOLDER",
        help="where to build it, kept afterwards (default: a temporary folder, removed at the end)",
    )
    p.add_argument(
        "--seconds", type=float, default=30.0, help="length of each demo track (default 30)"
    )
    p.add_argument(
        "--no-window", action="store_true", help="only build and scan; print the database path"
    )


def build_and_scan(session: DemoSession, seconds: float = 30.0) -> Path:
    """Make the demo (music, server launched) and scan its music into *folder*/demo.db."""
    music = session.make(seconds)
    db_path = session.folder / "demo.db"
    with LibraryDB(db_path) as db:
        db.add_roots([str(music.resolve())])
        Scanner(db).scan([music])
    return db_path


def demo_settings(folder: Path, db_path: Path, server_url: str) -> Paths:
    """The demo's own settings below *folder*/home: the listener's preferences (language,
    theme, sound) with the demo's library, music folder and comment server."""
    try:
        settings = Settings.load(Paths.resolve())
    except Exception:  # a broken settings file of the listener's: the defaults will do
        settings = Settings()
    paths = Paths(*(folder / "home" / part for part in ("config", "data", "cache", "logs")))
    settings.database_path = str(db_path)
    settings.library_folders = [str((folder / "music").resolve())]
    settings.server_url = server_url
    settings.save(paths)
    return paths


def open_demo(session: DemoSession, db_path: Path) -> int:
    """Seed the demo's (launched) comment server and open the window until it is closed."""
    from player.app import run_window

    folder = session.folder
    try:
        seeded = session.seed(db_path)
        account: tuple[str, str] | None = seeded.account
        url = seeded.url
    except AppError as exc:  # e.g. without the server extra: no comments
        print(f"kindred: the demo's comment server: {exc.short}", file=sys.stderr)
        account, url = None, ""
    demo_settings(folder, db_path, url)
    before = os.environ.get("KINDRED_HOME")
    os.environ["KINDRED_HOME"] = str(folder / "home")
    try:
        return run_window(db_path, scan_folder=folder / "music", comments_account=account)
    finally:
        if before is None:
            os.environ.pop("KINDRED_HOME", None)
        else:
            os.environ["KINDRED_HOME"] = before


def cmd_demo(args: argparse.Namespace) -> int:
    temporary = not args.dir
    folder = Path(tempfile.mkdtemp(prefix="kindred-demo-")) if temporary else Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
    # the comment server starts while the music is made (it takes seconds to answer)
    session = DemoSession(folder, with_server=not args.no_window)
    try:
        print(f"Making the demo library in {folder} …", file=sys.stderr)
        db_path = build_and_scan(session, seconds=args.seconds)
        if args.no_window:
            temporary = False  # its database is the answer: it stays
            print(db_path)
            return EXIT_OK
        return open_demo(session, db_path)
    finally:
        session.stop()  # the window has closed
        if temporary:
            shutil.rmtree(folder, ignore_errors=True)


HANDLERS = {"demo": cmd_demo}
