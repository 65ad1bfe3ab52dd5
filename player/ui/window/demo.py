"""The welcome page's demo: the same first hour as ``kindred demo``, in the listener's window.

:class:`WelcomeDemo` drives a :class:`~player.social.demosession.DemoSession`
(the code ``kindred demo`` runs) on the window's workers: the comment server is
launched and the music written (in the data folder's ``demo``), the music
folder is added to the library and scanned, the analysis that follows every
scan fills For You (progress in the status bar), and the server, seeded with
the demo conversations once the scan is done, is used with the demo account
signed in, for this run only. :meth:`WelcomeDemo.stop` (the window's shutdown)
stops the server and removes its database; the music stays in the library.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject

from player.social.demosession import DemoServer, DemoSession
from player.ui.comments.panel import CommentsPanel
from player.ui.kit.scanstatus import ScanStatus
from player.ui.kit.tasks import TaskRunner
from player.ui.window.notices import NoticeBar

log = logging.getLogger(__name__)


class DemoWindow(Protocol):
    """The window as the demo uses it."""

    @property
    def runner(self) -> TaskRunner: ...
    @property
    def net_runner(self) -> TaskRunner: ...
    @property
    def scan(self) -> ScanStatus: ...
    @property
    def notice(self) -> NoticeBar: ...
    @property
    def comments(self) -> CommentsPanel: ...
    @property
    def db_path(self) -> Path: ...

    def add_folder(self, folder: str) -> None: ...


class WelcomeDemo(QObject):
    """One demo session for the window: make, scan (the window's), seed and sign in, stop."""

    def __init__(self, window: DemoWindow, folder: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.window = window
        self.session = DemoSession(folder)
        self.seeded: DemoServer | None = None
        self.running = False

    def start(self, seconds: float, made: Callable[[object], None]) -> None:
        """Launch the server and write the music on a worker; *made(error)* is called when
        that is done (None: the music folder is being scanned now)."""
        self.running = True
        task = self.window.runner.submit(self.session.make, seconds, name="demo")
        task.done.connect(lambda music, error: self._made(music, error, made))

    def _made(self, music: object, error: object, made: Callable[[object], None]) -> None:
        if error is None:
            self.window.scan.finished.connect(self._scanned)
            self.window.add_folder(str(music))
        else:
            self.running = False
        made(error)

    def _scanned(self, _summary: object) -> None:
        self.window.scan.finished.disconnect(self._scanned)
        task = self.window.net_runner.submit(self.session.seed, self.window.db_path, name="seed")
        task.done.connect(self._seeded)

    def _seeded(self, seeded: object, error: object) -> None:
        self.running = False
        if error is not None or not isinstance(seeded, DemoServer):
            log.warning("the demo's comment server: %s", error)
            self.window.notice.show_error(error)
            return
        self.seeded = seeded
        self.window.comments.use_signed_in(seeded.url, seeded.account)

    def stop(self) -> None:
        """Stop the demo's server and forget its database (after the workers are done)."""
        self.session.stop(forget_server=True)
