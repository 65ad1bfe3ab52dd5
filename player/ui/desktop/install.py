"""Desktop integration: MPRIS, tray and notifications, started in one call.

:func:`install` is the one hook the window start-up calls; it returns the parts
as a :class:`DesktopParts`, which the main window keeps (the single-instance
server joins them). Each part is optional and quietly absent where the platform
lacks it (logged). What the parts share lives in :mod:`player.ui.desktop.common`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from player.ui.desktop.common import DesktopWindow

if TYPE_CHECKING:
    from player.ui.desktop.comment_alerts import CommentAlerts
    from player.ui.desktop.mpris import MprisService
    from player.ui.desktop.notify import TrackNotifier
    from player.ui.desktop.single_instance import InstanceServer
    from player.ui.desktop.tray import TrayIcon

log = logging.getLogger(__name__)


@dataclass
class DesktopParts:
    """The desktop parts running for one window (None: absent on this platform, or not started)."""

    mpris: MprisService | None = None
    tray: TrayIcon | None = None
    notifier: TrackNotifier | None = None
    instance: InstanceServer | None = None
    alerts: CommentAlerts | None = None


class InstalledWindow(DesktopWindow, Protocol):
    """A window that keeps its desktop parts (the tray for Settings, the server for a restart)."""

    @property
    def desktop_parts(self) -> DesktopParts: ...


def install(window: DesktopWindow) -> DesktopParts:
    """Start every desktop part that this platform has."""
    parts = DesktopParts()
    try:
        from player.ui.desktop import mpris

        parts.mpris = mpris.install(window)
    except Exception:  # integration must never stop the window from opening
        log.exception("MPRIS could not start")
    try:
        from player.ui.desktop import tray

        parts.tray = tray.install(window)
    except Exception:
        log.exception("the tray icon could not start")
    try:
        from player.ui.desktop import notify

        parts.notifier = notify.install(window, parts.tray)
        if parts.notifier is not None:  # replies and mentions too (their own setting)
            from player.ui.desktop import comment_alerts

            parts.alerts = comment_alerts.install(window, parts.notifier.send)
    except Exception:
        log.exception("notifications could not start")
    return parts
