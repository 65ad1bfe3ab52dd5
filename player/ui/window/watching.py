"""The "watch folders" setting applied: a library watcher that runs while the window does.

:class:`~player.library.watcher.LibraryWatcher` rescans folders whose files
change, on its own thread and connection. This object starts it for the
library folders when the setting is on (off the UI thread: watching a big tree
walks every folder), restarts it when the folders change, stops it when the
setting goes off or the window shuts down, and refreshes the window's views
after each change it finds.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from player.ui.kit.qtfix import emit
from player.ui.kit.window import KindredWindow

log = logging.getLogger(__name__)


class FolderWatch(QObject):
    """Keeps one LibraryWatcher in step with ``settings.watch_library`` and the folders."""

    #: a watched folder changed and the library was updated (a ScanSummary)
    changed = Signal(object)

    def __init__(self, window: KindredWindow) -> None:
        super().__init__(window.window())
        self.window_ = window
        self._lock = threading.Lock()
        self._watcher: Any = None
        self._generation = 0  # bumps on every stop, so a late start is undone
        self.roots: list[str] = []
        self.changed.connect(self._changed)

    @Slot(object)
    def _changed(self, _summary: object) -> None:
        """Main thread: show what the watcher found."""
        self.window_.refresh_current()

    @property
    def running(self) -> bool:
        with self._lock:
            return self._watcher is not None

    def update(self) -> None:
        """Watch what the settings say now (start, restart with new folders, or stop)."""
        settings = self.window_.ctx.settings
        wanted = sorted(settings.library_folders) if settings.watch_library else []
        if wanted == self.roots and (self.running or not wanted):
            return
        self.stop()
        self.roots = wanted
        if wanted:
            with self._lock:
                generation = self._generation
            self.window_.runner.submit(self._start, wanted, generation, name="watch-folders")

    def _start(self, roots: list[str], generation: int) -> None:
        """Worker thread: make and start the watcher, unless stopped meanwhile."""
        from player.library.watcher import LibraryWatcher

        watcher = LibraryWatcher(
            self.window_.db_path, roots, on_change=lambda summary: emit(self.changed, summary)
        )
        watcher.start()
        with self._lock:
            if generation == self._generation:
                self._watcher = watcher
                log.info("watching %d library folder(s)", len(roots))
                return
        watcher.stop()

    def stop(self) -> None:
        """Stop watching (waits for a rescan in progress to stop at its next step)."""
        with self._lock:
            watcher, self._watcher = self._watcher, None
            self._generation += 1
        self.roots = []
        if watcher is not None:
            watcher.stop()
