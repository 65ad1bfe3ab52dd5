"""Your listening counts a history imported with ``kindred import-history``."""

from __future__ import annotations

import json
import time
from pathlib import Path

from PySide6.QtCore import Qt

from player.library.listen_formats import read_history
from player.library.listen_import import import_listens
from tests.ui.conftest import wait_loaded
from tests.ui.pages.test_listening_page import _open


def test_imported_listens_show_in_your_listening(
    qtbot, english, open_window, demo_db, tmp_path: Path
) -> None:
    window, _engine = open_window(demo_db, restore=False)
    window.resize(1280, 800)
    wait_loaded(qtbot, window.tracks_page.model)
    artist, title = window.db.conn.execute(
        "SELECT artist, title FROM tracks WHERE title = 'Slow Tide'"
    ).fetchone()
    page = _open(qtbot, window)
    assert page.stats is not None and page.stats.imported == 0
    assert page.subtitle.text() == "From what you played on this computer"
    now = time.time()
    export = tmp_path / "listens.jsonl"
    export.write_text(
        "\n".join(
            json.dumps(
                {
                    "listened_at": int(now - day * 86400),
                    "track_metadata": {"artist_name": a, "track_name": t},
                }
            )
            for day, a, t in [
                *((d, artist, title) for d in range(1, 6)),
                (2, "Not In This Library", "Elsewhere"),
            ]
        )
    )
    summary = import_listens(window.db, read_history(export))
    assert (summary.matched, summary.unmatched) == (5, 1)
    with qtbot.waitSignal(page.updated, timeout=10000):
        page.period_buttons["week"].click()
    qtbot.waitUntil(lambda: page._task is None, timeout=10000)
    assert page.stats is not None and page.stats.plays == 5 and page.stats.imported == 5
    assert page.subtitle.text() == (
        "From what you played on this computer and the listening history you imported"
    )
    assert page.values["plays"].text() == "5"
    assert page.top_tracks.list.item(0).data(Qt.ItemDataRole.DisplayRole) == "Slow Tide"
