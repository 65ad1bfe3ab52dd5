"""Search filters the view (bad queries inline), lyrics follow the position, the queue edits."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from player.audio.engine import PlaybackState
from tests.ui.conftest import wait_loaded


def test_search_filters_the_view_and_shows_bad_queries_inline(qtbot, open_window, demo_db) -> None:
    window, _ = open_window(demo_db)
    wait_loaded(qtbot, window.tracks_page.model)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search.field.hasFocus()
    qtbot.keyClicks(window.search.field, "neon")
    model = window.search_page.model
    qtbot.waitUntil(
        lambda: window.stack.currentWidget() is window.search_page and not model.loading
    )
    qtbot.waitUntil(lambda: model.rowCount() == 3)
    assert {model.row(i)["artist"] for i in range(3)} == {"Neon Harbor"}
    # the query language: a field filter
    window.search.field.setText("genre:folk year:2010..2020")
    qtbot.waitUntil(
        lambda: not model.loading and model.rowCount() == 3 and model.row(0)["genre"] == "Folk"
    )
    # a malformed query: the error shows inline, the window carries on
    window.search.field.setText("year:abc")
    qtbot.waitUntil(lambda: window.search.error.isVisible())
    assert "character" in window.search.error.text()
    assert window.search.field.property("bad") is True
    # clearing returns to the chosen view
    window.search.field.clear()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.tracks_page)
    assert not window.search.error.isVisible()


def test_sorting_happens_in_sql_and_columns_are_choosable(qtbot, open_window, demo_db) -> None:
    window, _ = open_window(demo_db)
    view, model = window.tracks_page.view, window.tracks_page.model
    wait_loaded(qtbot, model)
    year = [c.key for c in model.columns].index("year")
    view.horizontalHeader().setSortIndicator(year, Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: not model.loading)
    years = [model.row(i)["year"] for i in range(model.rowCount())]
    assert years == sorted(years, reverse=True)
    menu = view.column_menu()
    bitrate = next(a for a in menu.actions() if a.text() == "Bitrate")
    index = [c.key for c in model.columns].index("bitrate")
    assert view.horizontalHeader().isSectionHidden(index)
    bitrate.trigger()
    assert not view.horizontalHeader().isSectionHidden(index)
    assert model.data(model.index(0, index)).endswith("kbps")


def test_lyrics_follow_the_position_and_a_click_seeks(qtbot, open_window, demo_db) -> None:
    window, engine = open_window(demo_db)
    model = window.tracks_page.model
    wait_loaded(qtbot, model)
    row = next(i for i in range(model.rowCount()) if model.row(i)["title"] == "Chrome Horizon")
    window.tracks_page.view.play_rows([row])
    window.side.setCurrentWidget(window.lyrics_panel)
    view = window.lyrics_panel.view
    qtbot.waitUntil(lambda: view.lyrics is not None and view.lyrics.synced)
    assert view.lyrics.lines[0].words, "the first demo track has per-word timing"
    assert window.lyrics_panel.stack.currentWidget() is view
    first, second = view.lyrics.lines[0].time_ms, view.lyrics.lines[1].time_ms
    engine.advance(first + 10)
    qtbot.waitUntil(lambda: view.current == 0)
    assert view.word == 0
    engine.advance(second - first)
    qtbot.waitUntil(lambda: view.current == 1)
    # click the fourth line: the engine seeks to its time
    qtbot.wait(450)  # the scroll animation settles
    target = view._placed[3]
    y = int(target.top - view.offset + 4)
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=QPoint(30, y))
    assert abs(engine.position() - view.lyrics.lines[3].time_ms) < 5
    # a track without lyrics gets the friendly empty state
    ambient = next(i for i in range(model.rowCount()) if model.row(i)["genre"] == "Ambient")
    window.tracks_page.view.play_rows([ambient])
    panel = window.lyrics_panel
    qtbot.waitUntil(lambda: "No lyrics" in panel.empty.text())
    # unsynced lyrics show as text
    lanterns = next(i for i in range(model.rowCount()) if model.row(i)["title"] == "Lanterns")
    window.tracks_page.view.play_rows([lanterns])
    qtbot.waitUntil(lambda: view.lyrics is not None and not view.lyrics.synced)


def test_queue_panel_reorders_removes_and_clears(qtbot, open_window, demo_db) -> None:
    window, engine = open_window(demo_db)
    model = window.tracks_page.model
    wait_loaded(qtbot, model)
    view = window.tracks_page.view
    view.selectRow(0)
    view.play_selection()  # one row: the list from there
    queue = window.bridge.controller.queue
    assert len(queue) == 12
    panel = window.queue_panel
    assert panel.model.rowCount() == 12
    ids = [it.id for it in queue.items]
    # drag-and-drop goes through mimeData/dropMimeData: move the first two to the end
    mime = panel.model.mimeData([panel.model.index(0), panel.model.index(1)])
    panel.model.dropMimeData(mime, Qt.DropAction.MoveAction, 12, 0, panel.model.index(-1))
    assert [it.id for it in queue.items] == ids[2:] + ids[:2]
    # remove with the Delete key
    panel.view.setCurrentIndex(panel.model.index(0))
    panel.view.selectionModel().select(
        panel.model.index(0), panel.view.selectionModel().SelectionFlag.ClearAndSelect
    )
    qtbot.keyClick(panel.view, Qt.Key.Key_Delete)
    assert len(queue) == 11 and ids[2] not in [it.id for it in queue.items]
    # context menu actions add to the queue
    view.selectRow(4)
    menu = view.context_menu()
    next(a for a in menu.actions() if a.text() == "Add to queue").trigger()
    assert len(queue) == 12
    assert panel.model.rowCount() == 12
    qtbot.mouseClick(panel.clear_button, Qt.MouseButton.LeftButton)
    assert len(queue) == 0 and panel.model.rowCount() == 0
    assert engine.state in (PlaybackState.PLAYING, PlaybackState.STOPPED, PlaybackState.IDLE)
