"""Restarting Kindred from the window (after a language change).

Qt loads translations when widgets are built, so a new language is applied by
starting again: the window closes for real (saving its layout, the queue and
the position in the playing track), then the same command starts a new
Kindred, which comes back to the same place. The new process is started only
after this one has stopped answering as the running instance, or it would
hand itself over to the window that is closing.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys

from player.ui.desktop.install import InstalledWindow
from player.ui.desktop.tray import quit_window
from player.ui.kit.window import KindredWindow

log = logging.getLogger(__name__)

#: a window property: set when the window closes to be started again
RESTART = "kindredRestart"


def relaunch_argv() -> list[str]:
    """The command that started this Kindred, without the files it was asked to open."""
    if getattr(sys, "frozen", False):  # a bundle: its executable is Kindred itself
        return [sys.executable, *_without_files(sys.argv[1:])]
    argv = list(getattr(sys, "orig_argv", []) or [sys.executable, *sys.argv])
    # python [interpreter options] (-m module | -c code | script) [kindred's arguments]
    at = 1
    while at < len(argv) and argv[at].startswith("-") and argv[at] not in ("-m", "-c"):
        at += 1
    head = at + (2 if at < len(argv) and argv[at] in ("-m", "-c") else 1)
    return [sys.executable, *argv[1:head], *_without_files(argv[head:])]


def _without_files(args: list[str]) -> list[str]:
    """*args* less the files and URLs given to open (an option's value is kept)."""
    out = []
    for i, arg in enumerate(args):
        value_of_option = i > 0 and args[i - 1].startswith("-") and "=" not in args[i - 1]
        if (
            not value_of_option
            and not arg.startswith("-")
            and ("://" in arg or os.path.exists(arg))
        ):
            continue
        out.append(arg)
    return out


def request(window: KindredWindow) -> None:
    """Close *window* for good and start Kindred again once it is closed."""
    window.window().setProperty(RESTART, True)
    quit_window(window)


def wanted(window: KindredWindow) -> bool:
    return bool(window.window().property(RESTART))


def relaunch(window: InstalledWindow) -> bool:
    """After the event loop ended: stop being the running instance, then start again."""
    instance = window.desktop_parts.instance
    if instance is not None:
        instance.close()
    argv = relaunch_argv()
    try:
        subprocess.Popen(argv, start_new_session=True, close_fds=True)
    except OSError as exc:
        log.warning("Kindred could not start again (%s); start it yourself", exc)
        return False
    log.info("started again: %s", " ".join(argv))
    return True
