"""Hours of playback emit many signals: they must not wear out ``True`` (PySide6 6.12 bug)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal

from player.audio.engine import PlaybackState
from player.ui.kit.qtfix import emit
from tests.ui.conftest import wait_loaded


class _Sender(QObject):
    ping = Signal(int)


def test_emit_keeps_reference_counts_steady() -> None:
    sender = _Sender()
    seen = []
    sender.ping.connect(seen.append)
    before = sys.getrefcount(True)
    for i in range(20_000):  # far more than True's reference count at start
        emit(sender.ping, i)
    assert len(seen) == 20_000
    assert abs(sys.getrefcount(True) - before) < 50


def test_playing_through_the_bridge_keeps_reference_counts_steady(
    qtbot, open_window, demo_db
) -> None:
    window, engine = open_window(demo_db)
    wait_loaded(qtbot, window.tracks_page.model)
    window.tracks_page.view.play_rows([0])
    assert engine.state == PlaybackState.PLAYING

    def play_a_minute() -> None:
        for _ in range(1500):  # each pump re-emits position, and more at track changes
            engine.advance(40)
            window.bridge.pump()

    # the first minute loads what playback loads late (the scrobbling clients when a
    # listen is due, ...): module globals hold True too, and that is no wear
    play_a_minute()
    before = sys.getrefcount(True)
    play_a_minute()
    assert abs(sys.getrefcount(True) - before) < 200
