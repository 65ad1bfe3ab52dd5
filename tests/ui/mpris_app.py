"""A window for the desktop-integration tests, run as ``python -m tests.ui.mpris_app DB``.

Opens Kindred offscreen on a copy of *DB* (in ``$KINDRED_HOME``) with the
FakeEngine whose clock a timer moves in real time, queues the whole library,
installs MPRIS, the tray, notifications and the single-instance server as
``kindred`` does, prints ``READY <bus address>`` and runs until quit.
"""

from __future__ import annotations

import os
import shutil
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main(template: str) -> int:
    from PySide6.QtCore import QTimer

    from player.app import AppContext, window_parts
    from player.audio.engine import PlaybackState
    from player.audio.fake_engine import FakeEngine
    from player.audio.queue import QueueItem
    from player.config import Paths, Settings
    from player.library.search import fetch_rows
    from player.library.store import LibraryDB
    from player.ui.desktop import install, single_instance
    from player.ui.main import application, build_window

    app = application()
    paths = Paths.resolve()
    settings = Settings.load(paths)
    db_path = paths.default_database
    db_path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(template, db_path)
    ctx = AppContext(paths, settings, db_path, LibraryDB(db_path))
    parts = window_parts(ctx, fake_engine=True)
    engine = parts.engine
    assert isinstance(engine, FakeEngine)
    window = build_window(parts, restore=False)
    window.state.extra["notify_track_change"] = os.environ.get("KINDRED_TEST_NOTIFY") == "1"
    window.show()
    window.desktop_parts = install.install(window)
    window.desktop_parts.instance = single_instance.serve(
        single_instance.server_name(), single_instance.window_handler(window), parent=window
    )
    ids = [row[0] for row in ctx.library.conn.execute("SELECT id FROM tracks ORDER BY id")]
    items = [QueueItem.from_row(row) for row in fetch_rows(ctx.library, ids)]
    window.bridge.play_items(items)

    def tick() -> None:
        if engine.state == PlaybackState.PLAYING:
            engine.advance(100)

    clock = QTimer(window)
    clock.timeout.connect(tick)
    clock.start(100)
    mpris = window.desktop_parts.mpris
    bus = os.environ.get("DBUS_SESSION_BUS_ADDRESS", "")
    print("READY", "mpris" if mpris else "no-mpris", bus, flush=True)
    code = app.exec()
    window.shutdown()
    parts.close()
    return int(code)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
