"""Keeps the library current while the app runs (watchdog file-system events).

Events only mark folders dirty; after a short quiet period the dirty folders are
rescanned together with the ordinary incremental scanner, so a file moved from
one folder to another is recognised as a move, and a burst of events (an album
being copied) costs one small scan instead of hundreds. The scan runs on the
watcher's own thread with its own database connection.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirModifiedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer

from player.library.scanner import Scanner, ScanSummary
from player.library.store import LibraryDB
from player.library.walk import normalize_root, under_any

log = logging.getLogger(__name__)

#: what changes the library; not a file or folder opened or read (the watcher's own walk
#: over the folders, a track being played), which by default would flood the queue
CHANGES = [FileCreatedEvent, FileDeletedEvent, FileModifiedEvent, FileMovedEvent,
           FileClosedEvent, DirCreatedEvent, DirDeletedEvent, DirModifiedEvent, DirMovedEvent]  # fmt: skip


class LibraryWatcher:
    """Watches library folders and rescans what changed, ``debounce`` seconds later."""

    def __init__(
        self,
        db_path: str | os.PathLike[str],
        roots: Iterable[str | os.PathLike[str]],
        *,
        on_change: Callable[[ScanSummary], None] | None = None,
        debounce: float = 1.0,
    ) -> None:
        self.db_path = Path(db_path)
        self.roots = [normalize_root(r) for r in roots]
        self.on_change = on_change
        self.debounce = debounce
        self._dirty: set[str] = set()
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._observer = Observer()
        self._thread = threading.Thread(target=self._run, name="library-watcher", daemon=True)
        self.last_summary: ScanSummary | None = None
        self.scans = 0

    # ---- life cycle -----------------------------------------------------------------
    def start(self) -> None:
        handler = _Handler(self._mark)
        for root in self.roots:
            if os.path.isdir(root):
                self._observer.schedule(handler, root, recursive=True, event_filter=CHANGES)
            else:
                log.warning("Not watching %s: folder not found", root)
        self._observer.start()
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        self._observer.stop()
        self._observer.join(timeout=5)
        self._thread.join(timeout=30)

    def __enter__(self) -> LibraryWatcher:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---- events -----------------------------------------------------------------------
    def _mark(self, path: str) -> None:
        folder = self._existing_folder(path)
        if folder is None:
            return
        with self._lock:
            self._dirty.add(folder)
        self._wake.set()

    def _existing_folder(self, path: str) -> str | None:
        """The nearest existing folder at or above ``path`` that lies in a root."""
        current = path
        while under_any(current, self.roots):
            if os.path.isdir(current):
                return current
            parent = os.path.dirname(current)
            if parent == current:
                break
            current = parent
        return None

    def _run(self) -> None:
        db: LibraryDB | None = None
        try:
            db = LibraryDB(self.db_path)
            while not self._stop.is_set():
                self._wake.wait()
                if self._stop.is_set():
                    break
                # quiet period: keep collecting until events stop for `debounce` seconds
                while True:
                    self._wake.clear()
                    if self._stop.wait(self.debounce) or not self._wake.is_set():
                        break
                with self._lock:
                    dirty, self._dirty = self._dirty, set()
                if dirty and not self._stop.is_set():
                    self._rescan(db, dirty)
        except Exception:  # the app keeps running without live updates; say why
            log.exception("The library watcher stopped")
        finally:
            if db is not None:
                db.close()

    def _rescan(self, db: LibraryDB, dirty: set[str]) -> None:
        folders = _outermost(dirty)
        summary = Scanner(db, workers=1).scan(folders, cancel=self._stop)
        self.last_summary = summary
        self.scans += 1
        log.info("Library updated: %s", summary.to_dict())
        if self.on_change is not None and (
            summary.added or summary.updated or summary.removed or summary.moved or summary.errors
        ):
            self.on_change(summary)


def _outermost(folders: set[str]) -> list[str]:
    """Drop folders that lie inside another folder of the set."""
    ordered = sorted(folders, key=lambda f: (len(f), f))
    kept: list[str] = []
    for folder in ordered:
        if not under_any(folder, kept):
            kept.append(folder)
    return kept


class _Handler(FileSystemEventHandler):
    def __init__(self, mark: Callable[[str], None]) -> None:
        self.mark = mark

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        for raw in (event.src_path, getattr(event, "dest_path", "")):
            if not raw:
                continue
            path = os.fsdecode(raw)
            self.mark(path if event.is_directory else os.path.dirname(path))
            if event.is_directory and event.event_type in ("deleted", "moved"):
                self.mark(os.path.dirname(path))
