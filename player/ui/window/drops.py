"""Files and folders dropped from a file manager: add them to the library or play them.

Only external drops (``text/uri-list`` with local files) are handled here; drags
inside Kindred use their own MIME types and are left to the widgets that made
them. A drop on the queue panel queues the files (and plays them when nothing
plays); a drop on the now-playing bar plays them now; a drop anywhere else
opens a small menu: add to library, play now, or add to queue. Folders are
walked and playlists read (:mod:`player.library.playlist_files`) on a worker;
files Kindred cannot play produce one notice naming them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QEvent, QMimeData, QObject, QPoint
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QMenu, QWidget

from player.audio.queue import QueueItem
from player.errors import AppError
from player.library.playlist_files import playlist_format
from player.library.playlists import import_playlist
from player.library.store import reader
from player.ui.kit.window import KindredWindow
from player.ui.playback.nowplaying import NowPlayingBar
from player.ui.playback.queue import QueuePanel

URI_LIST = "text/uri-list"
_OWN = "application/x-kindred"  # Kindred's own drags (tracks, queue items) are not ours
_DRAG_EVENTS = (QEvent.Type.DragEnter, QEvent.Type.DragMove)


@dataclass
class DropPlan:
    """What a drop resolved to: queue items in order and the paths that cannot play."""

    items: list[QueueItem] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)
    problems: list[AppError] = field(default_factory=list)


def local_paths(mime: QMimeData) -> list[str]:
    """The local files and folders of an external drop (none for internal drags)."""
    if not mime.hasFormat(URI_LIST) or any(f.startswith(_OWN) for f in mime.formats()):
        return []
    return [url.toLocalFile() for url in mime.urls() if url.isLocalFile() and url.toLocalFile()]


def is_audio(path: str) -> bool:
    from player.library.tags import AUDIO_EXTENSIONS

    return Path(path).suffix.lower() in AUDIO_EXTENSIONS


def plan_playback(db_path: str | Path, paths: list[str]) -> DropPlan:
    """Resolve dropped paths into queue items (runs on a worker: folders can be large).

    The tag reader (Mutagen) and the folder walk it needs are imported at the first
    drop, not at start-up.
    """
    from player.audio.session import expand_items, local_item
    from player.library.tags import AUDIO_EXTENSIONS
    from player.library.walk import walk

    library = reader(db_path)
    plan = DropPlan()
    for path in paths:
        if os.path.isdir(path):
            found = sorted(walk([path], AUDIO_EXTENSIONS).files)
            plan.items += [local_item(f, library) for f in found]
            if not found:
                plan.unsupported.append(path)
        elif playlist_format(path):  # its entries, as `kindred play` queues them
            expanded = expand_items([path], library)
            plan.items += expanded.items
            plan.problems += expanded.problems
        elif is_audio(path) and os.path.isfile(path):
            plan.items.append(local_item(path, library))
        else:
            plan.unsupported.append(path)
    return plan


class DropWindow(KindredWindow, Protocol):
    """The window as drops use it: the queue panel and the now-playing bar are drop zones."""

    @property
    def queue_panel(self) -> QueuePanel: ...
    @property
    def now_playing(self) -> NowPlayingBar: ...


class DropIn(QObject):
    """Accepts file-manager drops on the main window (see the module docstring)."""

    def __init__(self, window: DropWindow) -> None:
        super().__init__(window.window())
        self.window = window
        self.menu: QMenu | None = None
        self.zones: dict[QWidget, str] = {window.window(): "ask"}
        panel = window.queue_panel
        for target in (panel, panel.view.viewport()):
            self.zones[target] = "queue"
        self.zones[window.now_playing] = "play"
        for target in self.zones:
            target.setAcceptDrops(True)
            target.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (*_DRAG_EVENTS, QEvent.Type.Drop) or watched not in self.zones:
            return False
        assert isinstance(event, QDropEvent)
        paths = local_paths(event.mimeData())
        if not paths:
            return False  # an internal drag: the widget's own handling applies
        event.acceptProposedAction()
        if kind == QEvent.Type.Drop:
            assert isinstance(watched, QWidget)
            where = watched.mapToGlobal(event.position().toPoint())
            self.dropped(self.zones[watched], paths, where)
        return True

    # ---- acting -----------------------------------------------------------------------
    def dropped(self, zone: str, paths: list[str], where: QPoint | None = None) -> None:
        """Act on *paths* dropped on *zone* (``ask``, ``queue`` or ``play``)."""
        if zone == "ask":
            self.ask(paths, where or QPoint())
        else:
            self.play(paths, now=zone == "play")

    def ask(self, paths: list[str], where: QPoint) -> QMenu:
        """The non-blocking choice for a drop on the window."""
        menu = QMenu(self.window.window())
        menu.setAccessibleName(self.tr("Dropped files"))
        menu.addAction(self.tr("Add to library"), lambda: self.add_to_library(paths))
        menu.addAction(self.tr("Play now"), lambda: self.play(paths, now=True))
        menu.addAction(self.tr("Add to queue"), lambda: self.play(paths, now=False))
        self.menu = menu
        menu.popup(where)
        return menu

    def add_to_library(self, paths: list[str]) -> None:
        """Folders become library folders; files add their folder; playlists are imported."""
        folders: list[str] = []
        unsupported: list[str] = []
        imported = False
        for path in paths:
            if os.path.isdir(path):
                folders.append(path)
            elif playlist_format(path):
                try:
                    import_playlist(self.window.db, path)
                    imported = True
                except AppError as exc:
                    self.window.notice.show_error(exc)
            elif is_audio(path) and os.path.isfile(path):
                folders.append(os.path.dirname(path))
            else:
                unsupported.append(path)
        folders = list(dict.fromkeys(folders))
        if folders:
            self.window.ctx.settings.add_folders(folders[:-1])
            self.window.add_folder(folders[-1])  # saves the settings and scans them all
        if imported:
            self.window.nav.rebuild()
        self._unsupported(unsupported)

    def play(self, paths: list[str], *, now: bool) -> None:
        """Resolve *paths* on a worker, then play them now or add them to the queue."""
        task = self.window.runner.submit(
            plan_playback, self.window.db_path, list(paths), name="dropped files"
        )
        task.done.connect(lambda plan, error: self._planned(plan, error, now))

    def _planned(self, plan: DropPlan | None, error: object, now: bool) -> None:
        if plan is None:
            self.window.notice.show_error(error)
            return
        bridge = self.window.bridge
        if plan.items:
            if now:
                bridge.play_items(plan.items, 0)
            else:
                idle = bridge.playing_item is None
                bridge.enqueue(plan.items)
                if idle:
                    bridge.jump(plan.items[0].id)
        for problem in plan.problems:
            self.window.notice.show_error(problem)
        self._unsupported(plan.unsupported)

    def _unsupported(self, paths: list[str]) -> None:
        if not paths:
            return
        names = ", ".join(os.path.basename(p.rstrip("/")) or p for p in paths[:5])
        if len(paths) > 5:
            names += self.tr(" and {n} more").format(n=len(paths) - 5)
        self.window.notice.show_error(
            AppError(
                self.tr("Kindred cannot play {n} of the dropped items").format(n=len(paths)),
                self.tr("Not audio files, playlists or folders with music: {names}").format(
                    names=names
                ),
            )
        )


def install(window: DropWindow) -> DropIn:
    """Let *window* take drops from a file manager."""
    return DropIn(window)
