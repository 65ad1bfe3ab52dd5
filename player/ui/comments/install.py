"""How the main window gets its Comments tab, moment marks, toast and comment counts.

Two calls keep the window's own edits to one line each: :func:`comments_panel`
when the window builds its Comments tab (on the comments service the composition
root made; just after the window's first paint, or when the tab is first shown or
asked for), :func:`attach_moments` right after, the now-playing bar existing; it
returns the parts as a :class:`Moments`, which the window keeps.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt
from PySide6.QtWidgets import QTabWidget, QWidget

from player.social.service import CommentsService
from player.ui.comments.counts import CommentCounts
from player.ui.comments.moderation import ModerationTab, attach_moderation
from player.ui.comments.moments import CommentCount, MomentMarks, MomentToast
from player.ui.comments.panel import CommentsPanel
from player.ui.kit.window import KindredWindow
from player.ui.playback.nowplaying import NowPlayingBar
from player.ui.tracks.view import TracksWindow, TrackView

log = logging.getLogger(__name__)


class CommentsWindow(TracksWindow, Protocol):
    """The window as the comments feature uses it: its tab, the side panel, the bar."""

    @property
    def comments(self) -> CommentsPanel: ...
    @property
    def side(self) -> QTabWidget: ...
    @property
    def now_playing(self) -> NowPlayingBar: ...

    def centralWidget(self) -> QWidget | None: ...


@dataclass
class Moments:
    """What :func:`attach_moments` adds: slider marks, the toast, the bar's count, the column."""

    marks: MomentMarks
    toast: MomentToast
    count: CommentCount
    column: CommentCounts
    moderation: ModerationTab | None = None


def comments_panel(
    window: KindredWindow, service: CommentsService, parent: QWidget
) -> CommentsPanel:
    """The Comments tab for *window* (its ``bridge``, ``db``, ``net_runner``, ``theme``) on *service*.

    A server chosen in the tab's invitation is saved with the settings.
    """
    panel = CommentsPanel(
        service, window.bridge, window.db, window.net_runner, window.theme, parent
    )
    panel.serverChosen.connect(lambda url, local: _keep_server(window, url, local))
    return panel


def _keep_server(window: KindredWindow, url: str, local: bool) -> None:
    settings = window.ctx.settings
    settings.server_url, settings.local_comment_server = url, local
    try:
        settings.save(window.ctx.paths)
    except OSError as exc:
        log.warning("the comment server could not be saved with the settings: %s", exc)


class _Closer(QObject):
    """Stops the tab's delivery timer when the window closes."""

    def __init__(self, panel: CommentsPanel, window: QWidget) -> None:
        super().__init__(panel)
        self.panel = panel
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close:
            self.panel.stop()  # the HTTP client stays open for tasks still finishing
        return False


def _follow_selection(view: TrackView, panel: CommentsPanel) -> None:
    """With nothing playing, the tab shows the track chosen in *view*."""

    def chosen(current: QModelIndex, _previous: QModelIndex) -> None:
        ids = view.track_model.ids
        if current.isValid() and 0 <= current.row() < len(ids):
            panel.show_selected(ids[current.row()])

    view.selectionModel().currentRowChanged.connect(chosen)


def attach_moments(window: CommentsWindow, column: CommentCounts) -> Moments:
    """Marks on the seek slider, the passing-moment toast and the count on the bar;
    *column* (:func:`~player.ui.comments.counts.attach_counts`, made before the window)
    clears with the account."""
    panel = window.comments
    bar = window.now_playing
    widget = window.window()
    marks = MomentMarks(bar.seek, window.theme)
    marks.seekRequested.connect(window.bridge.seek)
    toast = MomentToast(window.bridge, bar.seek, window.centralWidget() or widget, above=bar)
    toast.setStyleSheet(panel.styleSheet())
    count = CommentCount(window.theme, bar)
    count.setStyleSheet(panel.styleSheet())
    badges = getattr(bar, "badges", None)
    if badges is not None:
        badges.insertWidget(max(0, badges.count() - 1), count, 0, Qt.AlignmentFlag.AlignRight)
    count.clicked.connect(lambda: window.side.setCurrentWidget(panel))
    panel.momentsChanged.connect(marks.set_moments)
    panel.momentsChanged.connect(toast.set_moments)
    panel.countChanged.connect(count.set_count)
    window.each_track_view(lambda view: _follow_selection(view, panel))
    panel.accountChanged.connect(column.clear)
    _Closer(panel, widget)
    return Moments(marks, toast, count, column, attach_moderation(window.side, panel))
