"""``kindred`` without a sub-command: open the window.

Opens the library as :func:`player.app.open_context` does (see
:mod:`player.ui.window.context`), falls back to a silent engine (with a notice saying
why) when libVLC is missing, restores the last session and runs the Qt event loop. Also used by ``kindred demo`` with the
demo library's database.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from player.audio.engine import Engine
from player.errors import AppError
from player.library.context import open_context
from player.ui.window.context import LibraryContext, controller_for, engine_or_fake

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


def build_window(ctx: LibraryContext, engine: Engine, *, restore: bool = True):
    """The main window over *ctx* and *engine* (not shown)."""
    from player.ui.window.main_window import MainWindow

    return MainWindow(ctx, controller_for(ctx, engine), restore=restore)


def run_window(
    db: str | Path | None = None,
    *,
    scan_folder: str | Path | None = None,
    quit_after_ms: int | None = None,
    files: list[str] | None = None,
) -> int:
    """Open the window on the library (or *db*) and run until it is closed.

    ``quit_after_ms`` closes it by itself after that long (a smoke test of the
    whole start-up, e.g. without libVLC, from a script or a test). ``files`` are
    added and played; when a window is already running they are handed to it
    instead and this returns 0 at once.
    """
    from player.ui.desktop import common, install, restart, single_instance
    from player.ui.kit import i18n

    app = application()
    instance_name = single_instance.server_name()
    if single_instance.hand_over(instance_name, files or []):
        log.info("handed over to the running window")
        return 0
    try:
        ctx = open_context(db)
    except AppError as exc:
        print(f"kindred: {exc.short}", file=sys.stderr)
        print(f"  {exc.detail}", file=sys.stderr)
        return 1
    i18n.install_translator(app, ctx.settings.language)
    engine, problem = engine_or_fake()
    window = build_window(ctx, engine)
    if problem is not None:
        window.notice.show_error(problem)
    if scan_folder is not None:
        window.add_folder(str(scan_folder))
    window.show()
    window.desktop_parts = install.install(window)
    window.desktop_parts["instance"] = single_instance.serve(
        instance_name, single_instance.window_handler(window), parent=window
    )
    if files:
        common.open_paths(window, files)
    if quit_after_ms is not None:
        QTimer.singleShot(quit_after_ms, window, window.close)
    code = app.exec()
    window.shutdown()
    window.bridge.controller.close()
    ctx.close()
    if restart.wanted(window):
        restart.relaunch(window)
    return int(code)
