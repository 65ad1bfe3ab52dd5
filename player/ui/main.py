"""The window's start-up: run it on the parts :mod:`player.app` built.

:func:`player.app.run_window` (``kindred`` without a sub-command, ``kindred
demo``) makes the :class:`~player.ui.kit.parts.WindowParts` (the library, the
engine, the controller, the recommender, the comments service) and calls
:func:`run`, which installs the translation, builds the window, shows the
notice about a missing libVLC, starts the desktop integration, restores the
last session and runs the Qt event loop. This module opens no database and
builds no engine.
"""

from __future__ import annotations

import gc
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from player.ui.kit.pysideimports import skip_source_reads

skip_source_reads()  # before the window's modules are imported

if TYPE_CHECKING:
    from player.ui.kit.parts import WindowParts
    from player.ui.window.main_window import MainWindow

log = logging.getLogger(__name__)


def application(argv: list[str] | None = None) -> QApplication:
    """The process's QApplication (created once, themed)."""
    from player.ui.kit.theme import Theme

    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv if argv is not None else sys.argv[:1])
        app.setApplicationName("Kindred")
        app.setOrganizationName("Kindred")
        app.setDesktopFileName("org.kindred.Kindred")
    Theme().apply(app)
    return app


def build_window(parts: WindowParts, *, restore: bool = True) -> MainWindow:
    """The main window over *parts* (not shown)."""
    from player.ui.window.main_window import MainWindow

    return MainWindow(parts, restore=restore)


def resume_collection() -> None:
    """Turn the cyclic garbage collector back on if start-up paused it
    (:func:`player.cli._open_window`), first moving every object start-up made into the
    collector's permanent generation: later collections no longer walk them.

    Trades: the few cycles start-up left as garbage (~600 objects, well under a MiB)
    stay in memory for the life of the process.
    """
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def hand_over(files: list[str]) -> bool:
    """Give *files* to a window that is already running; True if there was one."""
    from player.ui.desktop import single_instance

    return single_instance.hand_over(single_instance.server_name(), files)


def run(
    parts: WindowParts,
    *,
    scan_folder: str | Path | None = None,
    quit_after_ms: int | None = None,
    files: list[str] | None = None,
) -> int:
    """Open the window on *parts* and run until it is closed; then close the parts.

    ``scan_folder`` is added to the library and scanned; ``quit_after_ms`` closes
    the window by itself after that long (a smoke test of the whole start-up,
    e.g. without libVLC, from a script or a test); ``files`` are added and played.
    """
    from player.ui.desktop import common, install, restart, single_instance
    from player.ui.kit import i18n

    app = QApplication.instance()
    if not isinstance(app, QApplication):  # made (and themed) already by the caller, as a rule
        app = application()
    i18n.install_translator(app, parts.context.settings.language)
    window = build_window(parts)
    if parts.engine_problem is not None:
        window.notice.show_error(parts.engine_problem)
    if scan_folder is not None:
        window.add_folder(str(scan_folder))
    window.show()
    resume_collection()
    window.desktop_parts = install.install(window)
    window.desktop_parts.instance = single_instance.serve(
        single_instance.server_name(), single_instance.window_handler(window), parent=window
    )
    if files:
        common.open_paths(window, files)
    if quit_after_ms is not None:
        QTimer.singleShot(quit_after_ms, window, window.close)
    code = app.exec()
    window.shutdown()
    parts.close()
    if restart.wanted(window):
        restart.relaunch(window)
    return int(code)
