"""How the main window gets its Comments tab, moment marks, toast and comment counts.

Two calls keep the window's own edits to one line each: :func:`comments_panel`
while the side panel is built, :func:`attach_moments` once the now-playing bar
exists. A window may carry a ready ``comments_backend`` (tests, another server);
otherwise one is built from the settings' ``server_url``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QWidget

from player.ui.comments.backend import CommentsBackend
from player.ui.comments.counts import attach_counts
from player.ui.comments.moments import CommentCount, MomentMarks, MomentToast
from player.ui.comments.panel import CommentsPanel


def comments_panel(window: Any, parent: QWidget) -> CommentsPanel:
    """The Comments tab for *window* (needs ``ctx``, ``db``, ``net_runner``, ``bridge``, ``theme``)."""
    backend = getattr(window, "comments_backend", None)
    if backend is None:
        ctx = window.ctx
        backend = CommentsBackend.for_context(ctx.paths, ctx.settings.server_url, ctx.db_path)
        window.comments_backend = backend
    return CommentsPanel(backend, window.bridge, window.db, window.net_runner, window.theme, parent)


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


def _follow_selection(view: Any, panel: CommentsPanel) -> None:
    """With nothing playing, the tab shows the track chosen in *view*."""

    def chosen(current: Any, _previous: Any) -> None:
        ids = view.track_model.ids
        if current.isValid() and 0 <= current.row() < len(ids):
            panel.show_selected(ids[current.row()])

    view.selectionModel().currentRowChanged.connect(chosen)


def attach_moments(window: Any) -> None:
    """Marks on the seek slider, the passing-moment toast and the count on the bar."""
    panel: CommentsPanel = window.comments
    bar = window.now_playing
    marks = MomentMarks(bar.seek, window.theme)
    marks.seekRequested.connect(window.bridge.seek)
    toast = MomentToast(window.bridge, bar.seek, window.centralWidget() or window, above=bar)
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
    window.moment_marks, window.moment_toast, window.comment_count = marks, toast, count
    for view in window.track_views():
        _follow_selection(view, panel)
    window.comment_column = attach_counts(window, panel.backend)
    panel.accountChanged.connect(window.comment_column.clear)
    _Closer(panel, window)
