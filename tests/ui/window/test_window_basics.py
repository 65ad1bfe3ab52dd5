"""The window opens on a library, lists it, and playback through the UI reaches the engine."""

from __future__ import annotations

from PySide6.QtCore import Qt

from player.audio.engine import PlaybackState
from tests.ui.conftest import wait_loaded


def test_window_lists_the_library_and_plays_through_the_bar(qtbot, open_window, demo_db) -> None:
    window, engine = open_window(demo_db)
    page = window.tracks_page
    wait_loaded(qtbot, page.model)
    assert page.model.rowCount() == 12
    assert window.stack.currentWidget() is page
    # double-click-equivalent: play the first row
    page.view.play_rows([0])
    qtbot.waitUntil(lambda: engine.state == PlaybackState.PLAYING)
    first = page.model.row(0)
    assert window.bridge.playing_item.track_id == first["id"]
    qtbot.waitUntil(lambda: window.now_playing.title.text() == first["title"])
    # pause via the play/pause button
    qtbot.mouseClick(window.now_playing.play, Qt.MouseButton.LeftButton)
    assert engine.state == PlaybackState.PAUSED
    qtbot.mouseClick(window.now_playing.play, Qt.MouseButton.LeftButton)
    assert engine.state == PlaybackState.PLAYING
    # seek through the slider: the engine moves there
    slider = window.now_playing.seek
    qtbot.waitUntil(lambda: slider.maximum() > 0)
    slider.setSliderPosition(slider.maximum() // 2)
    slider.sliderReleased.emit()
    assert abs(engine.position() - slider.maximum() // 2) < 50
    # time passes: the bar follows
    engine.advance(300)
    qtbot.waitUntil(lambda: window.now_playing.elapsed.text() != "0:00" or engine.position() < 1000)
    # next through the button
    qtbot.mouseClick(window.now_playing.next, Qt.MouseButton.LeftButton)
    assert window.bridge.playing_item.track_id == page.model.row(1)["id"]
    assert window.now_playing.badge.text()


def test_the_window_starts_with_no_way_to_play_and_says_why(kindred_home) -> None:
    import subprocess
    import sys

    script = (
        "import sys; sys.modules['vlc'] = None; sys.modules['sounddevice'] = None\n"
        "from player.app import run_window\n"
        "sys.exit(run_window(quit_after_ms=600))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "PortAudio is not installed: Kindred cannot play audio" in result.stderr
    assert "Traceback" not in result.stderr
