"""What the desktop parts share: the window they need (:class:`DesktopWindow`),
raising it, opening files handed in from outside, a track's number, and a cover
file for a queue item (made off the UI thread).

Kept apart from :mod:`player.ui.desktop.install`, which starts those parts, so
MPRIS, the tray, notifications and the single-instance server can use these
without importing their own installer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Protocol
from urllib.parse import unquote, urlparse

from PySide6.QtCore import Qt

from player.audio.queue import QueueItem
from player.ui.kit.window import KindredWindow
from player.ui.playback.queue import QueuePanel

log = logging.getLogger(__name__)
ART_SIZE = 256


def uri_to_path(uri: str) -> str:
    """A local path for a ``file://`` URI; other URIs unchanged."""
    if uri.startswith("file://"):
        return unquote(urlparse(uri).path)
    return uri


class DesktopWindow(KindredWindow, Protocol):
    """The window as the desktop parts use it: the kit's members and the queue panel."""

    @property
    def queue_panel(self) -> QueuePanel: ...


def raise_window(window: KindredWindow) -> None:
    """Show *window* (from the tray or hidden), un-minimise it and bring it to the front."""
    widget = window.window()
    if widget.isMinimized():
        widget.setWindowState(widget.windowState() & ~Qt.WindowState.WindowMinimized)
    widget.show()
    widget.raise_()
    widget.activateWindow()


def open_paths(window: DesktopWindow, paths: list[str], *, play: bool = True) -> int:
    """Add files, URLs and playlists handed in from outside to the queue and play the first.

    Returns how many items were added; problems go to the window's notice bar.
    """
    from player.audio.session import expand_items
    from player.ui.kit.bridge import summarize

    # the desktop entry's ``Exec=kindred %U`` passes file:// URIs, percent-encoded
    expanded = expand_items([uri_to_path(p) for p in paths], window.db)
    if expanded.problems:
        window.notice.show_error(summarize(expanded.problems))
    if not expanded.items:
        return 0
    bridge = window.bridge
    bridge.enqueue(expanded.items)
    if play:
        bridge.jump(expanded.items[0].id)
    window.queue_panel.refresh()
    return len(expanded.items)


def track_number(db: Any, item: QueueItem) -> int:
    """The library's track number of *item* (0 when unknown or not a library track)."""
    if item.track_id is None:
        return 0
    return int(db.track_value(item.track_id, "track_number") or 0)


def art_url_for(window: KindredWindow, item: QueueItem, done: Callable[[str | None], None]) -> None:
    """Call ``done(file:// URL or None)`` with *item*'s cover, cached as a PNG file."""
    if "://" in item.location:
        done(None)
        return
    from player.ui.kit.covers import cache_file, load_thumbnail

    cache_dir = window.ctx.paths.cache_dir / "covers"

    def make(path: str) -> str | None:
        image = load_thumbnail(path, ART_SIZE, cache_dir)
        if image is None:
            return None
        target = cache_file(cache_dir, path, ART_SIZE)
        return target.absolute().as_uri() if target.exists() else None

    task = window.runner.submit(make, item.location, name="cover-art")
    task.done.connect(lambda url, error: done(url if error is None else None))
