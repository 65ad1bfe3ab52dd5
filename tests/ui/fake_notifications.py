"""A stand-in ``org.freedesktop.Notifications`` on the session bus that records Notify calls.

Run as ``python -m tests.ui.fake_notifications``; prints ``READY`` and then one
JSON line per Notify call. Its Notify has the specification's exact signature
(``susssasa{sv}i`` -> ``u``), so a call with other argument types fails.
"""

from __future__ import annotations

import json
import sys

from PySide6.QtCore import ClassInfo, QCoreApplication, QObject, Slot
from PySide6.QtDBus import QDBusAbstractAdaptor, QDBusConnection


@ClassInfo({"D-Bus Interface": "org.freedesktop.Notifications"})
class Notifications(QDBusAbstractAdaptor):
    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.count = 0

    @Slot(str, "uint", str, str, str, "QStringList", "QVariantMap", int, result="uint")
    def Notify(self, app, replaces, icon, summary, body, actions, hints, timeout):
        self.count += 1
        print(
            json.dumps(
                {
                    "app": app,
                    "replaces": replaces,
                    "icon": icon,
                    "summary": summary,
                    "body": body,
                    "hints": {k: str(v) for k, v in dict(hints).items()},
                    "timeout": timeout,
                }
            ),
            flush=True,
        )
        return replaces or self.count

    @Slot(result="QStringList")
    def GetCapabilities(self):
        return ["body", "icon-static"]


def main() -> int:
    app = QCoreApplication(sys.argv[:1])
    bus = QDBusConnection.sessionBus()
    root = QObject()
    Notifications(root)
    ok = bus.registerObject(
        "/org/freedesktop/Notifications", root, QDBusConnection.RegisterOption.ExportAdaptors
    ) and bus.registerService("org.freedesktop.Notifications")
    print("READY" if ok else "FAILED", flush=True)
    return app.exec() if ok else 1


if __name__ == "__main__":
    sys.exit(main())
