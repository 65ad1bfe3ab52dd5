"""A desktop notification when the track changes (setting, off by default).

On Linux it goes to ``org.freedesktop.Notifications`` on the session bus with
the cover as the icon (replacing the previous one rather than piling up);
elsewhere, or with no notification service, through the tray icon's balloon.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtDBus import QDBusConnection

from player.audio.queue import QueueItem
from player.ui.kit.window import KindredWindow

log = logging.getLogger(__name__)
NOTIFY_SETTING = "notify_track_change"
SERVICE = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
TIMEOUT_MS = 5000


def enabled(window: KindredWindow) -> bool:
    return bool(window.state.extra.get(NOTIFY_SETTING, False))


def set_enabled(window: KindredWindow, on: bool) -> None:
    window.state.extra[NOTIFY_SETTING] = bool(on)


def texts(item: QueueItem) -> tuple[str, str]:
    """Summary and body of the notification for *item*."""
    title = item.title or item.location.rsplit("/", 1)[-1]
    body = " — ".join(part for part in (item.artist, item.album) if part)
    return title, body


class DBusNotifier:
    """Sends Notify calls on a bus, remembering the id so each replaces the last."""

    def __init__(self, connection: QDBusConnection) -> None:
        self.connection = connection
        self.last_id = 0

    def notify(self, summary: str, body: str, icon: str = "") -> int:
        """Show a notification; returns its id (0 when it could not be shown).

        Goes through an introspected :class:`QDBusInterface` so Qt converts the
        arguments to Notify's exact signature (``susssasa{sv}i``).
        """
        from PySide6.QtCore import Q_ARG, Q_RETURN_ARG, QMetaObject, Qt
        from PySide6.QtDBus import QDBusInterface

        hints: dict[str, Any] = {"desktop-entry": "org.kindred.Kindred"}
        if icon.startswith("file://"):
            hints["image-path"] = icon
        iface = QDBusInterface(SERVICE, PATH, SERVICE, self.connection)
        if not iface.isValid():
            log.info("notification not shown: %s", iface.lastError().message())
            return 0
        iface.setTimeout(2000)
        # through the introspected method, so Qt marshals replaces_id as u and actions as as
        # (from Python a plain call would send i and av, which servers reject)
        try:
            result = QMetaObject.invokeMethod(
                iface,
                "Notify",
                Qt.ConnectionType.DirectConnection,
                Q_RETURN_ARG("uint"),
                Q_ARG(str, "Kindred"),
                Q_ARG("uint", self.last_id),
                Q_ARG(str, icon),
                Q_ARG(str, summary),
                Q_ARG(str, body),
                Q_ARG("QStringList", []),
                Q_ARG("QVariantMap", hints),
                Q_ARG(int, TIMEOUT_MS),
            )
        except (RuntimeError, TypeError) as exc:
            log.info("notification not shown: %s", exc)
            return 0
        error = iface.lastError()
        if error.isValid():
            log.info("notification not shown: %s", error.message())
            return 0
        with contextlib.suppress(TypeError, ValueError):
            self.last_id = int(result)
        return self.last_id


class TrackNotifier(QObject):
    """Shows the track that starts, when the setting is on."""

    def __init__(
        self,
        window: KindredWindow,
        send: Callable[[str, str, str], Any],
        art_for: Callable[[QueueItem, Callable[[str | None], None]], None] | None = None,
    ) -> None:
        super().__init__(window.window())
        self.window = window
        self.send = send
        self.art_for = art_for
        window.bridge.trackChanged.connect(self.track_changed)

    def track_changed(self, item: object) -> None:
        if not isinstance(item, QueueItem) or not enabled(self.window):
            return
        summary, body = texts(item)
        if self.art_for is None:
            self.send(summary, body, "")
            return
        wanted = item

        def got(url: str | None) -> None:
            if self.window.bridge.playing_item is wanted:
                self.send(summary, body, url or "")

        self.art_for(item, got)


def install(window: KindredWindow, tray: Any = None) -> TrackNotifier | None:
    """Notifications for *window* through D-Bus on Linux, else the tray's balloon."""
    from player.ui.desktop.common import art_url_for

    def art(item: QueueItem, done: Callable[[str | None], None]) -> None:
        art_url_for(window, item, done)

    if sys.platform.startswith("linux"):
        bus = QDBusConnection.sessionBus()
        if bus.isConnected():
            notifier = DBusNotifier(bus)
            return TrackNotifier(window, notifier.notify, art)
    if tray is not None:
        from PySide6.QtWidgets import QSystemTrayIcon

        def balloon(summary: str, body: str, _icon: str) -> None:
            tray.icon.showMessage(summary, body, QSystemTrayIcon.MessageIcon.NoIcon, TIMEOUT_MS)

        return TrackNotifier(window, balloon, None)
    log.info("no notifications: neither a session bus nor a tray")
    return None
