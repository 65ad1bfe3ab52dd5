"""Desktop notifications for replies to my comments and mentions of me (setting, off by default).

When the bell's unread count goes up, :class:`CommentAlerts` reads the newest
notifications (on the network task runner) and shows each reply or mention it
has not shown before through the same notifier as track changes (D-Bus, else
the tray's balloon). Likes and hides only go to the bell. At most
:data:`MOST` are shown at once; the rest are summed up in one more.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject

from player.social.inbox import InboxPage, read_inbox
from player.ui.comments.inbox import Inbox, excerpt
from player.ui.kit.window import KindredWindow

log = logging.getLogger(__name__)
SETTING = "notify_comment_replies"
KINDS = ("reply", "mention")
MOST = 3


def enabled(window: KindredWindow) -> bool:
    return bool(window.state.extra.get(SETTING, False))


def set_enabled(window: KindredWindow, on: bool) -> None:
    window.state.extra[SETTING] = bool(on)


class CommentAlerts(QObject):
    """Shows new replies and mentions with ``send(summary, body, icon)`` when enabled."""

    def __init__(
        self, window: KindredWindow, inbox: Inbox, send: Callable[[str, str, str], Any]
    ) -> None:
        super().__init__(window.window())
        self.window, self.inbox, self.send = window, inbox, send
        self.shown: set[int] = set()  # notification ids already shown
        inbox.poller.increased.connect(self.increased)

    def increased(self, _count: int) -> None:
        if not enabled(self.window):
            return
        backend = self.inbox.panel.backend
        task = self.window.net_runner.submit(read_inbox, backend, None, 10, name="new replies")
        task.done.connect(self._read)

    def _read(self, page: InboxPage | None, error: Any) -> None:
        if page is None:
            log.info("new replies could not be read: %s", error)
            return
        new = [
            item
            for item in page.items
            if item.notification.kind in KINDS
            and not item.notification.read
            and item.notification.id not in self.shown
        ]
        self.shown.update(item.notification.id for item in new)
        for item in new[:MOST]:
            n = item.notification
            who = n.actors[0].username if n.actors else self.tr("Someone")
            if n.kind == "reply":
                summary = self.tr("{name} replied to your comment").format(name=who)
            else:
                summary = self.tr("{name} mentioned you").format(name=who)
            song = item.title or self.tr("a song")
            body = self.tr("“{text}” on {song}").format(text=excerpt(n.comment.body), song=song)
            self.send(summary, body, "")
        if len(new) > MOST:
            more = len(new) - MOST
            self.send(self.tr("%n more replies and mentions", "", more), "", "")


def install(window: KindredWindow, send: Callable[[str, str, str], Any]) -> CommentAlerts | None:
    """Alerts for *window*'s inbox (None when the window has no bell)."""
    inbox = getattr(window, "inbox", None)
    if not isinstance(inbox, Inbox):
        return None
    return CommentAlerts(window, inbox, send)
