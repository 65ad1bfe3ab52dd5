"""The "Your listening" page: figures from the play history, periods, and where a click leads."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from player.audio.engine import PlaybackState
from player.library.listening_stats import DAY_S
from tests.ui.conftest import wait_loaded
from tests.ui.window.test_screenshot import _save


def _open(qtbot, window, key: str = "listening"):
    page = window.pages["listening"]
    with qtbot.waitSignal(page.updated, timeout=10000):
        window.show_view(key)
    qtbot.waitUntil(lambda: page._task is None, timeout=10000)
    return page


def _history(window) -> dict[str, int]:
    """Plays over the last weeks on the demo library: returns track ids by title."""
    rows = window.db.conn.execute("SELECT id, title FROM tracks ORDER BY id").fetchall()
    ids = {title: tid for tid, title in rows}
    now = time.time()
    plays = [  # title, days ago, hours earlier that day, minutes, skipped
        ("Glacier Light", 1, 2, 4, False),
        ("Glacier Light", 2, 3, 4, False),
        ("Glacier Light", 3, 9, 4, False),
        ("Slow Tide", 1, 3, 5, False),
        ("Night Drive", 2, 14, 3, False),
        ("Night Drive", 4, 2, 0.1, True),
        ("River Song", 20, 5, 6, False),  # this month, not this week
        ("River Song", 200, 1, 6, False),  # this year
    ]
    for title, days, hours, minutes, skipped in plays:
        window.db.record_play(
            ids[title],
            listened_ms=int(minutes * 60000),
            finished=not skipped,
            skipped=skipped,
            played_at=now - days * DAY_S - hours * 3600,
        )
    return ids


def test_the_page_shows_the_period_and_follows_clicks(
    qtbot, english, open_window, demo_db, tmp_path: Path
) -> None:
    window, engine = open_window(demo_db, restore=False)
    window.resize(1440, 900)
    wait_loaded(qtbot, window.tracks_page.model)
    page = _open(qtbot, window)
    assert page.isVisible() and window.nav.current_key() == "listening"
    assert page.empty.isVisible() and "Nothing played" in page.empty.text()
    assert not page.cards_box.isVisible()

    ids = _history(window)
    with qtbot.waitSignal(page.updated, timeout=10000):
        page.period_buttons["week"].click()
    qtbot.waitUntil(lambda: page._task is None, timeout=10000)
    assert page.period == "week" and window.state.extra["listening_period"] == "week"
    stats = page.stats
    assert stats is not None and stats.plays == 5 and stats.skips == 1
    assert page.values["plays"].text() == "5" and page.values["time"].text() == "20 min"
    assert page.cards_box.isVisible() and not page.empty.isVisible()
    tracks = page.top_tracks.list
    assert tracks.count() == 3
    assert tracks.item(0).data(Qt.ItemDataRole.DisplayRole) == "Glacier Light"
    artists = [page.top_artists.list.item(i).text() for i in range(page.top_artists.list.count())]
    assert artists[0] == "Aurora Vale"  # Glacier Light and Slow Tide
    assert sum(page.chart.minutes) == stats.minutes
    qtbot.wait(100)
    assert _save(window, tmp_path, "listening.png", "-listening").stat().st_size > 0

    # the longer periods take in more of the history
    for key, plays in (("month", 6), ("year", 7), ("all", 7)):
        with qtbot.waitSignal(page.updated, timeout=10000):
            page.period_buttons[key].click()
        qtbot.waitUntil(lambda: page._task is None, timeout=10000)
        assert page.stats is not None and page.stats.plays == plays, key

    # Enter on a track plays it; on an artist, the artist page opens
    tracks = page.top_tracks.list
    tracks.setCurrentRow(0)
    first = tracks.item(0).data(Qt.ItemDataRole.UserRole + 1)
    QTest.keyClick(tracks, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: engine.state == PlaybackState.PLAYING)
    assert window.bridge.playing_item.track_id == first.track_id
    assert first.track_id in ids.values()
    artists_list = page.top_artists.list
    artists_list.setCurrentRow(0)
    name = artists_list.item(0).text()
    QTest.keyClick(artists_list, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current_view() == "artists")
    albums_list = page.top_albums.list
    albums_list.setCurrentRow(0)
    album = albums_list.item(0).data(Qt.ItemDataRole.UserRole + 1)
    assert album.name and album.detail
    window.show_view("listening")
    QTest.keyClick(albums_list, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current_view() == "albums")
    assert name


def test_showing_the_page_reads_once(qtbot, open_window, demo_db, monkeypatch) -> None:
    from player.ui.pages import listening

    reads: list[str] = []
    real = listening._stats_for
    monkeypatch.setattr(
        listening, "_stats_for", lambda db, period: (reads.append(period), real(db, period))[1]
    )
    window, _ = open_window(demo_db, restore=False)
    page = _open(qtbot, window)
    qtbot.wait(100)
    assert reads == ["month"] and page.stats is not None


def test_the_period_is_remembered(qtbot, open_window, make_ctx, demo_db) -> None:
    window, _ = open_window(demo_db)
    page = _open(qtbot, window)
    with qtbot.waitSignal(page.updated, timeout=10000):
        page.set_period("year")
    window.close()
    window.shutdown()
    window2, _ = open_window(ctx=make_ctx())
    page2 = window2.pages["listening"]
    assert page2.period == "year" and page2.period_buttons["year"].isChecked()
