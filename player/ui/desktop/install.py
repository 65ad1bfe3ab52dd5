"""Desktop integration: MPRIS, tray and notifications, started in one call.

:func:`install` is the one hook the window start-up calls; each part is
optional and quietly absent where the platform lacks it (logged). What the
parts share lives in :mod:`player.ui.desktop.common`.
"""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)


def install(window: Any) -> dict[str, Any]:
    """Start every desktop part that this platform has; returns them by name."""
    parts: dict[str, Any] = {}
    try:
        from player.ui.desktop import mpris

        parts["mpris"] = mpris.install(window)
    except Exception:  # integration must never stop the window from opening
        log.exception("MPRIS could not start")
    try:
        from player.ui.desktop import tray

        parts["tray"] = tray.install(window)
    except Exception:
        log.exception("the tray icon could not start")
    try:
        from player.ui.desktop import notify

        parts["notifier"] = notify.install(window, parts.get("tray"))
    except Exception:
        log.exception("notifications could not start")
    return parts
