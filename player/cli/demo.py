"""``kindred demo``: build a small demo library in a temporary folder and open the window on it.

The demo library (see :mod:`player.library.demo`) gets its own database inside
that folder, so the listener's own library is never touched.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

from player.cli.common import EXIT_OK
from player.library.demo import build_demo
from player.library.scanner import Scanner
from player.library.store import LibraryDB


def add_commands(sub: Any, add_db: Any) -> None:
    p = sub.add_parser(
        "demo",
        help="make a small demo library (generated music, covers, lyrics) and open the window",
    )
    p.add_argument(
        "--dir", metavar="FOLDER", help="where to build it (default: a new temporary folder)"
    )
    p.add_argument(
        "--seconds", type=float, default=30.0, help="length of each demo track (default 30)"
    )
    p.add_argument(
        "--no-window", action="store_true", help="only build and scan; print the database path"
    )


def build_and_scan(folder: Path, seconds: float = 30.0) -> Path:
    """Build the demo music into *folder*/music and scan it into *folder*/demo.db."""
    music = folder / "music"
    build_demo(music, seconds=seconds)
    db_path = folder / "demo.db"
    with LibraryDB(db_path) as db:
        db.add_roots([str(music.resolve())])
        Scanner(db).scan([music])
    return db_path


def cmd_demo(args: argparse.Namespace) -> int:
    folder = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="kindred-demo-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"Making the demo library in {folder} …", file=sys.stderr)
    db_path = build_and_scan(folder, seconds=args.seconds)
    if args.no_window:
        print(db_path)
        return EXIT_OK
    from player.app import run_window

    return run_window(db_path)


HANDLERS = {"demo": cmd_demo}
