"""Window state persists across a restart; a background scan fills an empty library;
shortcuts drive playback; errors show as a notice."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from player.audio.engine import PlaybackState
from player.audio.queue import QueueItem
from tests.audiogen import requires_ffmpeg
from tests.ui.conftest import wait_loaded


def test_window_state_persists_across_a_restart(qtbot, open_window, make_ctx, demo_db) -> None:
    window, _engine = open_window(demo_db)
    model = window.tracks_page.model
    wait_loaded(qtbot, model)
    window.resize(1200, 760)
    window.splitter.setSizes([240, 640, 320])
    sizes = window.splitter.sizes()
    header = window.tracks_page.view.horizontalHeader()
    genre = [c.key for c in model.columns].index("genre")
    bitrate = [c.key for c in model.columns].index("bitrate")
    header.setSectionHidden(genre, True)
    header.setSectionHidden(bitrate, False)
    header.moveSection(header.visualIndex(bitrate), 1)
    window.tracks_page.view.play_rows([2])
    playing = window.bridge.playing_item
    window.bridge.seek(2500)
    window.show_view("albums")
    window.side.setCurrentWidget(window.lyrics_panel)
    window.close()
    window.shutdown()
    ctx2 = make_ctx()  # the same home and database
    window2, engine2 = open_window(ctx=ctx2)
    assert window2.current_view() == "albums"
    assert window2.stack.currentWidget() is window2.pages["albums"]
    assert window2.size().width() == 1200 and window2.size().height() == 760
    assert window2.splitter.sizes() == sizes
    header2 = window2.tracks_page.view.horizontalHeader()
    assert header2.isSectionHidden(genre) and not header2.isSectionHidden(bitrate)
    assert header2.visualIndex(bitrate) == 1
    assert window2.side.currentWidget() is window2.lyrics_panel
    # the queue and the position in the current track came back, paused there
    restored = window2.bridge.playing_item
    assert restored is not None and restored.track_id == playing.track_id
    assert len(window2.bridge.controller.queue) == 12
    qtbot.waitUntil(lambda: engine2.state == PlaybackState.PAUSED)
    assert abs(window2.bridge.controller.position() - 2500) < 60
    assert window2.now_playing.title.text() == playing.title


def test_first_launch_then_a_background_scan_fills_the_view(
    qtbot, open_window, demo_music, tmp_path
) -> None:
    window, _ = open_window()
    assert window.stack.currentWidget() is window.pages["welcome"]
    assert window.pages["welcome"].demo.isVisible()
    from tests.ui.window.test_screenshot import _save

    _save(window, tmp_path, "welcome.png", "-welcome")
    window.add_folder(str(demo_music))
    assert window.scan.running and window.scan.cancel_button.isVisible()
    qtbot.waitUntil(lambda: not window.scan.running, timeout=60000)
    assert "Scan finished" in window.scan.label.text()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.tracks_page)
    wait_loaded(qtbot, window.tracks_page.model)
    assert window.tracks_page.model.rowCount() == 12
    assert str(demo_music.resolve()) in window.ctx.settings.library_folders


@requires_ffmpeg  # the demo library is made with ffmpeg
def test_the_welcome_page_offers_the_demo_library(qtbot, open_window, monkeypatch) -> None:
    from player.ui.window.main_window import MainWindow

    monkeypatch.setattr(MainWindow, "DEMO_SECONDS", 1.5)
    window, _ = open_window()
    qtbot.mouseClick(window.pages["welcome"].demo, Qt.MouseButton.LeftButton)
    # the demo is made, then scanned; a scan of twelve files can start and end between two
    # looks, so wait for its result rather than for it to be seen running
    qtbot.waitUntil(lambda: "Scan finished" in window.scan.label.text(), timeout=60000)
    assert not window.scan.running
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.tracks_page)
    wait_loaded(qtbot, window.tracks_page.model)
    assert window.tracks_page.model.rowCount() == 12


def test_keyboard_shortcuts_drive_playback(qtbot, open_window, demo_db) -> None:
    window, engine = open_window(demo_db)
    view = window.tracks_page.view
    wait_loaded(qtbot, window.tracks_page.model)
    view.setFocus()
    view.selectRow(1)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert engine.state == PlaybackState.PLAYING
    assert window.bridge.playing_item.track_id == window.tracks_page.model.ids[1]
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert engine.state == PlaybackState.PAUSED
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert engine.state == PlaybackState.PLAYING
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    assert window.bridge.playing_item.track_id == window.tracks_page.model.ids[2]
    qtbot.keyClick(view, Qt.Key.Key_Left, Qt.KeyboardModifier.ControlModifier)
    assert window.bridge.playing_item.track_id == window.tracks_page.model.ids[1]
    # the keyboard's media keys, where Qt delivers them
    qtbot.keyClick(view, Qt.Key.Key_MediaNext)
    assert window.bridge.playing_item.track_id == window.tracks_page.model.ids[2]
    qtbot.keyClick(view, Qt.Key.Key_MediaTogglePlayPause)
    assert engine.state == PlaybackState.PAUSED
    qtbot.keyClick(view, Qt.Key.Key_MediaTogglePlayPause)
    assert engine.state == PlaybackState.PLAYING
    qtbot.keyClick(view, Qt.Key.Key_MediaPrevious)
    assert window.bridge.playing_item.track_id == window.tracks_page.model.ids[1]
    volume = window.bridge.controller.volume
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert window.bridge.controller.volume == volume - 5
    assert window.now_playing.volume.value() == volume - 5
    qtbot.keyClick(view, Qt.Key.Key_F1)
    assert window.help_dialog is not None and window.help_dialog.isVisible()
    assert not window.help_dialog.isModal()
    window.help_dialog.close()
    # every button and list has a name for screen readers
    from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QSlider

    unnamed = [
        w for w in window.findChildren(QAbstractButton) + window.findChildren(QSlider)
        + window.findChildren(QAbstractItemView)
        if w.isVisible() and not w.accessibleName() and not (isinstance(w, QAbstractButton) and w.text())
    ]  # fmt: skip
    assert not unnamed, [type(w).__name__ + ":" + w.objectName() for w in unnamed]


def test_errors_show_as_a_notice_not_a_crash(qtbot, open_window, demo_db) -> None:
    window, _ = open_window(demo_db)
    window.bridge.play_items([QueueItem(location="/nowhere/missing.flac", title="Missing")])
    qtbot.waitUntil(lambda: window.notice.isVisible())
    assert "Missing" in window.notice.title.text()
    assert QApplication.activeModalWidget() is None
    # many failures at once make one notice, not a flood
    missing = [QueueItem(location=f"/nowhere/{i}.flac", title=f"Gone {i}") for i in range(6)]
    window.bridge.play_items(missing)
    qtbot.waitUntil(lambda: window.notice.title.text() == "6 tracks could not be played")
    assert "and 1 more" in window.notice.detail.text()


def test_a_scan_can_be_cancelled_from_the_status_bar(qtbot, open_window, demo_music) -> None:
    window, _ = open_window()
    window.add_folder(str(demo_music))
    task = window.scan.task
    qtbot.mouseClick(window.scan.cancel_button, Qt.MouseButton.LeftButton)
    assert task.cancel_event.is_set()
    qtbot.waitUntil(lambda: not window.scan.running, timeout=60000)
    assert "cancelled" in window.scan.label.text()
    assert not window.scan.cancel_button.isVisible()


def test_columns_added_since_a_layout_was_saved_start_hidden(
    qtbot, open_window, make_ctx, demo_db
) -> None:
    import json

    from PySide6.QtGui import QStandardItemModel
    from PySide6.QtWidgets import QTableView

    from player.ui.tracks.columns import COLUMNS, LEGACY_COLUMNS
    from player.ui.window.state import STATE_FILE, encode

    window, _engine = open_window(demo_db)
    wait_loaded(qtbot, window.tracks_page.model)
    keys = [c.key for c in COLUMNS]
    paths = window.ctx.paths
    window.close()
    window.shutdown()
    saved = json.loads((paths.config_dir / STATE_FILE).read_text(encoding="utf-8"))
    assert saved["header_keys"] == keys
    # what an older Kindred saved: fewer columns, genre hidden, and no column keys
    old = QTableView()
    old.setModel(QStandardItemModel(0, LEGACY_COLUMNS))
    for index, col in enumerate(COLUMNS[:LEGACY_COLUMNS]):
        old.horizontalHeader().setSectionHidden(index, not col.visible or col.key == "genre")
    saved["header"] = encode(old.horizontalHeader().saveState())
    del saved["header_keys"]
    (paths.config_dir / STATE_FILE).write_text(json.dumps(saved), encoding="utf-8")
    window2, _ = open_window(ctx=make_ctx())
    header = window2.tracks_page.view.horizontalHeader()
    assert header.count() == len(COLUMNS)
    assert header.isSectionHidden(keys.index("genre"))  # as the listener left it
    assert not header.isSectionHidden(keys.index("title"))
    assert header.isSectionHidden(keys.index("skips"))  # new: hidden, as by default
    assert header.isSectionHidden(keys.index("played"))


def test_plays_skips_and_last_played_columns(qtbot, open_window, demo_db) -> None:
    import datetime as dt

    from player.ui.tracks.columns import column

    window, _engine = open_window(demo_db)
    model = window.tracks_page.model
    wait_loaded(qtbot, model)
    track_id = model.ids[0]
    at = dt.datetime(2026, 11, 30, 21, 45).timestamp()
    window.db.record_play(track_id, listened_ms=200_000, finished=True, skipped=False, played_at=at)
    window.db.record_play(track_id, listened_ms=2_000, finished=False, skipped=True, played_at=at)
    from player.library.search import fetch_rows

    [row] = fetch_rows(window.db, [track_id])
    assert column("plays").text(row) == "1"  # a skip is not a play
    assert column("skips").text(row) == "1"
    assert column("played").text(row) == "2026-11-30 21:45"
    [fresh] = fetch_rows(window.db, [model.ids[1]])
    assert column("played").text(fresh) == "" and column("skips").text(fresh) == ""
    # sorted by when they were last played, the played track leads
    keys = [c.key for c in model.columns]
    model.sort(keys.index("played"), Qt.SortOrder.DescendingOrder)
    wait_loaded(qtbot, model)
    assert model.ids[0] == track_id
