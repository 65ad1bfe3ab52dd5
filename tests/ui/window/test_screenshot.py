"""A screenshot of the main window on the demo library, for a person to look at.

Saved under the test's tmp dir and, when KINDRED_SCREENSHOT is set, to that path
too (for the light theme: the same name with ``-light`` before the suffix).
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtGui import QImage

from tests.ui.conftest import wait_loaded


def _save(window, tmp_path: Path, name: str, suffix: str = "") -> Path:
    out = tmp_path / name
    assert window.grab().save(str(out))
    target = os.environ.get("KINDRED_SCREENSHOT")
    if target:
        path = Path(target)
        path = path.with_name(path.stem + suffix + path.suffix)
        path.parent.mkdir(parents=True, exist_ok=True)
        assert window.grab().save(str(path))
    return out


def test_screenshot_of_the_main_window(qtbot, open_window, demo_db, tmp_path) -> None:
    window, engine = open_window(demo_db)
    window.resize(1440, 900)
    page = window.tracks_page
    wait_loaded(qtbot, page.model)
    keys = [c.key for c in page.model.columns]
    for key, hidden in (("sample", False), ("genre", True)):
        page.view.horizontalHeader().setSectionHidden(keys.index(key), hidden)
    window.splitter.setSizes([210, 900, 330])
    page.view.play_rows([3])  # a track with enhanced lyrics
    engine.advance(1500)
    qtbot.waitUntil(lambda: window.now_playing.title.text() != "Nothing playing")
    window.side.setCurrentWidget(window.lyrics_panel)
    qtbot.waitUntil(lambda: window.lyrics_panel.view.lyrics is not None, timeout=5000)
    engine.advance(700)
    qtbot.wait(600)  # covers arrive, the lyrics scroll settles
    page.view.selectRow(5)
    out = _save(window, tmp_path, "main-window.png")
    image = QImage(str(out))
    assert image.width() >= 1000 and image.height() >= 600
    # the albums grid, with covers from the off-thread loader
    window.show_view("albums")
    albums = window.pages["albums"]
    qtbot.waitUntil(lambda: albums.model.rowCount() == 4)
    qtbot.wait(300)
    qtbot.waitUntil(lambda: window.covers.runner.running == 0, timeout=5000)
    qtbot.wait(100)
    _save(window, tmp_path, "albums.png", "-albums")
    # artists
    window.go_to_artist("Neon Harbor")
    artists = window.pages["artists"]
    qtbot.waitUntil(
        lambda: artists.tracks.model.rowCount() == 3 and not artists.tracks.model.loading
    )
    qtbot.wait(50)
    _save(window, tmp_path, "artists.png", "-artists")
    # the light theme: everything (icons included) follows
    window.show_view("tracks")
    window.toggle_theme()
    assert window.state.theme == "light"
    qtbot.wait(100)
    _save(window, tmp_path, "main-light.png", "-light")
    window.toggle_theme()
