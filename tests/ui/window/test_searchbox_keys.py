"""The search box asks at once for a key typed after a pause and waits for a burst of keys
to pause before asking for its last text."""

from __future__ import annotations

from PySide6.QtCore import Qt

from player.ui.window.searchbox import DEBOUNCE_MS


def test_first_key_at_once_and_a_burst_once_it_pauses(qtbot, open_window) -> None:
    window, _ = open_window()
    box = window.search
    asked: list[str] = []
    box.searched.connect(asked.append)
    box.cleared.connect(lambda: asked.append(""))
    qtbot.keyClick(box.field, Qt.Key.Key_L)
    assert asked == ["l"]  # no wait after a pause
    qtbot.wait(DEBOUNCE_MS * 3)
    assert asked == ["l"]  # ... and not asked again when the pause comes
    qtbot.keyClicks(box.field, "ove")  # a burst: its first key at once, its last on pausing
    assert asked == ["l", "lo"]
    qtbot.waitUntil(lambda: asked[-1] == "love", timeout=2000)
    assert asked == ["l", "lo", "love"]
    qtbot.wait(DEBOUNCE_MS * 3)
    box.field.clear()
    assert asked[-1] == ""
    qtbot.wait(DEBOUNCE_MS * 3)
    qtbot.keyClicks(box.field, "year:abc")  # a malformed query shows its error
    qtbot.waitUntil(lambda: box.field.property("bad") is True, timeout=2000)
    assert box.error.isVisibleTo(box) and "abc" not in window.search_page.title.text()
