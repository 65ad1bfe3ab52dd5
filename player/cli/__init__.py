"""The ``kindred`` command: sub-commands for the library, or the window without one.

Every sub-command drives the same core objects the window uses. A person's
mistake (a missing path, an unreadable database, a bad query) prints one clear
line and exits non-zero; tracebacks are for bugs only.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from player import __version__
from player.app import configure_logging
from player.cli.common import EXIT_ERROR
from player.errors import AppError

Handler = Callable[[argparse.Namespace], int]


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, Handler]]:
    """The argument parser and the handler of each sub-command."""
    # the sub-commands' modules (NumPy for the demo, httpx for the history import, ...)
    # load here, never for the window alone (``kindred`` without arguments)
    from player.cli import (
        community,
        demo,
        history,
        inbox,
        library,
        lyrics,
        playback,
        recommend,
        scrobble,
        social,
    )

    parser = argparse.ArgumentParser(
        prog="kindred",
        description="Kindred: a music player for people who love music. "
        "Without a sub-command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"kindred {__version__}")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check headless that this installation works (library, tags, playback, libVLC, sound output, window)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add_db(p: argparse.ArgumentParser) -> None:
        p.add_argument("--db", metavar="FILE", help="library database (default: from settings)")

    handlers: dict[str, Handler] = {}
    for part in (
        library,
        playback,
        recommend,
        social,
        community,
        inbox,
        demo,
        lyrics,
        history,
        scrobble,
    ):
        part.add_commands(sub, add_db)
        handlers.update(part.HANDLERS)
    return parser, handlers


def main(argv: Sequence[str] | None = None) -> int:
    if not (sys.argv[1:] if argv is None else list(argv)):  # the window: no parser needed
        configure_logging()
        return _open_window()
    parser, handlers = build_parser()
    files = _files_only(sys.argv[1:] if argv is None else list(argv), handlers)
    if files is not None:  # `kindred song.flac ...`: open (or hand to) the window
        configure_logging()
        return _open_window(files)
    missing = _missing_files(sys.argv[1:] if argv is None else list(argv), handlers)
    if missing:  # `kindred missing.flac`: say so, not argparse's list of sub-commands
        noun = "file" if len(missing) == 1 else "files"
        print(f"kindred: No such {noun}: {', '.join(missing)}", file=sys.stderr)
        return EXIT_ERROR
    args = parser.parse_args(argv)
    configure_logging()
    if args.self_test:
        from player.cli.selftest import run

        return run()
    if args.command is None:
        return _open_window()
    handler = handlers[args.command]
    try:
        return handler(args)
    except AppError as exc:
        print(f"kindred: {exc.short}", file=sys.stderr)
        detail = _unsaid(exc.detail, exc.short)
        if detail:
            print(_indent(detail), file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("kindred: interrupted", file=sys.stderr)
        return 130


def _unsaid(detail: str, short: str) -> str:
    """*detail* without a first line that only repeats *short* (a query error's message)."""
    lines = detail.splitlines()
    if lines and lines[0].strip() and short.startswith(lines[0].strip()):
        lines = lines[1:]
    return "\n".join(lines)


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())


def _files_only(argv: list[str], handlers: dict[str, Handler]) -> list[str] | None:
    """The arguments when they are all existing paths or URLs (no sub-command, no option)."""
    if not argv or argv[0] in handlers or any(a.startswith("-") for a in argv):
        return None
    if all("://" in a or os.path.exists(a) for a in argv):
        return list(argv)
    return None


def _looks_like_path(arg: str) -> bool:
    """A file name rather than a mistyped sub-command: it has a folder or an extension."""
    separators = {os.sep, "/", *([os.altsep] if os.altsep else [])}
    return any(sep in arg for sep in separators) or arg.startswith("~") or bool(Path(arg).suffix)


def _missing_files(argv: list[str], handlers: dict[str, Handler]) -> list[str]:
    """The arguments naming files that are not there, when there is no sub-command and
    no option and every missing argument looks like a path (``kindred missing.flac``);
    a bare word (``kindred scna``) is left to argparse, which lists the sub-commands."""
    if not argv or argv[0] in handlers or any(a.startswith("-") for a in argv):
        return []
    missing = [a for a in argv if "://" not in a and not os.path.exists(a)]
    return missing if all(_looks_like_path(a) for a in missing) else []


def _open_window(files: list[str] | None = None) -> int:
    # no cyclic garbage collection until the window is shown (player.ui.main.run freezes
    # what start-up made and turns it back on): start-up makes few cycles, and the
    # collections of its many young objects cost ~10 % of the CPU to the window
    gc.disable()
    try:
        try:
            importlib.import_module("player.ui.main")
        except ImportError as exc:  # Qt missing or broken: the command line still works
            print(f"kindred: the window cannot start: {exc}", file=sys.stderr)
            print(
                "  Qt 6 (PySide6) is missing or incomplete; reinstall Kindred (on Linux, also "
                "install libxcb-cursor0). The command line works: kindred --help",
                file=sys.stderr,
            )
            return EXIT_ERROR
        from player.app import run_window

        return int(run_window(files=files))
    finally:
        gc.enable()  # when no window was shown (files handed to a running one, an error)
