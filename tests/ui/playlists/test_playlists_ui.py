"""Playlist editing in the window: the sidebar's actions, drag-in, reorder, files, smart editor, queue.

Dialogs open without blocking and are answered the way a person would (text
typed, a button pressed) through ``window.playlist_actions.dialog``.
Screenshots of the sidebar and the smart editor are saved under the test's tmp
dir and, when KINDRED_SCREENSHOT is set, beside that path.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QWidget,
)

from player.library import playlists
from player.library.playlist_files import read_playlist
from player.library.search import count
from player.ui.playlists.actions import with_playlist_suffix
from player.ui.tracks.dnd import TRACK_IDS_MIME
from tests.ui.conftest import wait_loaded


def _shot(widget: QWidget, tmp_path: Path, name: str) -> Path:
    out = tmp_path / f"{name}.png"
    assert widget.grab().save(str(out))
    target = os.environ.get("KINDRED_SCREENSHOT")
    if target:
        path = Path(target)
        path = path.with_name(f"{path.stem}-{name}{path.suffix}")
        path.parent.mkdir(parents=True, exist_ok=True)
        assert widget.grab().save(str(path))
    return out


def _nav_names(window) -> list[str]:
    section = window.nav.playlists_section
    return [section.child(i).text(0) for i in range(section.childCount())]


def _editor(qtbot, window) -> QLineEdit:
    qtbot.waitUntil(lambda: window.nav.viewport().findChild(QLineEdit) is not None)
    return window.nav.viewport().findChild(QLineEdit)


def _select(view, rows: list[int]) -> None:
    chooser = view.selectionModel()
    chooser.clear()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for r in rows:
        chooser.select(view.model().index(r, 0), flags)


def _drop_on_nav(window, playlist_id: int, mime) -> QDropEvent:
    """Drag *mime* over a playlist entry and drop it there (enter, move, drop)."""
    item = window.playlist_sidebar.item_for(playlist_id)
    pos = QPointF(window.nav.visualItemRect(item).center())
    actions = Qt.DropAction.CopyAction | Qt.DropAction.MoveAction
    args = (actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    viewport = window.nav.viewport()
    enter = QDragEnterEvent(pos.toPoint(), *args)
    QApplication.sendEvent(viewport, enter)
    assert enter.isAccepted()
    move = QDragMoveEvent(pos.toPoint(), *args)
    QApplication.sendEvent(viewport, move)
    drop = QDropEvent(pos, *args)
    QApplication.sendEvent(viewport, drop)
    return drop


def test_create_rename_and_delete_from_the_sidebar(qtbot, open_window, demo_db, tmp_path) -> None:
    window, _ = open_window(demo_db)
    wait_loaded(qtbot, window.tracks_page.model)
    actions, sidebar = window.playlist_actions, window.playlist_sidebar
    assert "No playlists yet" in _nav_names(window)
    assert sidebar.add_button is not None and sidebar.add_button.isVisible()
    menu = sidebar.menu_for(window.nav.playlists_section)
    assert [a.text() for a in menu.actions() if a.text()] == [
        "New playlist",
        "New smart playlist…",
        "Import playlist…",
    ]
    # New playlist: created, shown, and its name is edited in place
    playlist_id = actions.new_playlist()
    assert playlist_id is not None
    assert window.stack.currentWidget() is window.playlist_page
    editor = _editor(qtbot, window)
    editor.setText("Road trip")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: playlists.get_playlist(window.db, playlist_id).name == "Road trip")
    assert "Road trip" in _nav_names(window)
    assert window.playlist_page.title.text() == "Road trip"
    assert sidebar.add_button.isVisible()  # the "+" survives the rebuild
    # F2 renames; an empty name is refused with a notice and nothing changes
    window.nav.setFocus()
    window.nav.setCurrentItem(sidebar.item_for(playlist_id))
    qtbot.keyClick(window.nav, Qt.Key.Key_F2)
    editor = _editor(qtbot, window)
    editor.setText("   ")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.notice.isVisible())
    assert "needs a name" in window.notice.title.text()
    assert playlists.get_playlist(window.db, playlist_id).name == "Road trip"
    assert "Road trip" in _nav_names(window)
    # the playlist's menu
    texts = [a.text() for a in sidebar.menu_for(sidebar.item_for(playlist_id)).actions()]
    assert {"Rename", "Export…", "Delete…"} <= set(texts) and "Edit query…" not in texts
    second = actions.new_playlist()
    qtbot.keyClick(_editor(qtbot, window), Qt.Key.Key_Escape)
    assert "New playlist" in _nav_names(window)
    _shot(window.nav.parentWidget(), tmp_path, "playlists-sidebar")
    # Delete asks first; Cancel keeps it, Delete removes it and goes back to Tracks
    window.show_view(f"playlist:{playlist_id}")
    actions.ask_delete(playlist_id)
    box = actions.dialog
    assert isinstance(box, QMessageBox) and "Road trip" in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert playlists.get_playlist(window.db, playlist_id).name == "Road trip"
    actions.ask_delete(playlist_id)
    actions.dialog.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: "Road trip" not in _nav_names(window))
    assert window.stack.currentWidget() is window.tracks_page
    assert window.current_view() == "tracks"
    assert [p.id for p in playlists.list_playlists(window.db)] == [second]


def test_drag_tracks_onto_a_playlist_and_reorder_it(qtbot, open_window, make_ctx, demo_db) -> None:
    ctx = make_ctx(demo_db)
    mix = playlists.create_playlist(ctx.library, "Mix")
    smart = playlists.create_playlist(ctx.library, "Folk", query="genre:folk")
    window, _ = open_window(ctx=ctx)
    view, model = window.tracks_page.view, window.tracks_page.model
    wait_loaded(qtbot, model)
    _select(view, [0, 2, 4])
    mime = model.mimeData(view.selectionModel().selectedRows())
    assert mime.hasFormat(TRACK_IDS_MIME) and not mime.hasFormat("text/uri-list")
    dragged = [model.ids[r] for r in (0, 2, 4)]
    event = _drop_on_nav(window, mix, mime)
    assert event.isAccepted()
    entries = playlists.playlist_entries(window.db, mix)
    assert [e.track_id for e in entries] == dragged
    assert window.playlist_actions.last_message == "Added 3 tracks to “Mix”"
    # a smart playlist refuses dropped tracks, with a notice
    event = _drop_on_nav(window, smart, model.mimeData([model.index(1, 0)]))
    assert not event.isAccepted()
    assert window.notice.isVisible() and "smart playlist" in window.notice.title.text()
    # reorder inside the playlist: the first entry dropped below the last
    window.show_view(f"playlist:{mix}")
    page = window.playlist_page
    qtbot.waitUntil(lambda: not page.model.loading and page.model.ids == dragged)
    moving = page.model.mimeData([page.model.index(0, 0)])
    assert page.model.canDropMimeData(moving, Qt.DropAction.MoveAction, 3, 0, QModelIndex())
    page.model.dropMimeData(moving, Qt.DropAction.MoveAction, 3, 0, QModelIndex())
    expected = [dragged[1], dragged[2], dragged[0]]
    qtbot.waitUntil(lambda: not page.model.loading and page.model.ids == expected)
    assert [e.track_id for e in playlists.playlist_entries(window.db, mix)] == expected
    assert page.view.selected_rows() == [2]  # the moved row stays selected
    # rows from another list are not a reorder
    assert not page.model.canDropMimeData(mime, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    # sorted by a column the order is only a view; a drag is refused, Natural order returns
    year = [c.key for c in page.model.columns].index("title")
    page.view.horizontalHeader().setSortIndicator(year, Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: not page.model.loading)
    by_title = list(page.model.ids)
    window.notice.hide()
    page.model.dropMimeData(
        page.model.mimeData([page.model.index(0, 0)]), Qt.DropAction.MoveAction, 3, 0, QModelIndex()
    )
    assert window.notice.isVisible() and "sorted" in window.notice.title.text()
    assert [e.track_id for e in playlists.playlist_entries(window.db, mix)] == expected
    page.view.natural_order()
    qtbot.waitUntil(lambda: not page.model.loading and page.model.ids == expected)
    assert sorted(by_title) == sorted(expected)
    # Delete removes the selected entry; the context menu offers the same
    _select(page.view, [0])
    menu = page.view.context_menu()
    assert "Remove from playlist" in [a.text() for a in menu.actions()]
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: not page.model.loading and page.model.ids == expected[1:])
    assert [e.track_id for e in playlists.playlist_entries(window.db, mix)] == expected[1:]
    # a smart playlist's view neither reorders nor removes
    window.show_view(f"playlist:{smart}")
    qtbot.waitUntil(lambda: not page.model.loading and page.model.rowCount() == 3)
    _select(page.view, [0])
    assert "Remove from playlist" not in [a.text() for a in page.view.context_menu().actions()]
    assert not page.model.canDropMimeData(
        page.model.mimeData([page.model.index(0, 0)]), Qt.DropAction.MoveAction, 2, 0, QModelIndex()
    )


def test_import_and_export_playlist_files(qtbot, open_window, demo_db, tmp_path) -> None:
    window, _ = open_window(demo_db)
    model = window.tracks_page.model
    wait_loaded(qtbot, model)
    actions = window.playlist_actions
    paths = [model.row(r)["path"] for r in (1, 3)]
    missing = str(tmp_path / "gone" / "lost.flac")
    m3u = tmp_path / "Evening.m3u"
    m3u.write_text("#EXTM3U\n" + "\n".join([paths[0], missing, paths[1]]) + "\n", "utf-8")
    actions.ask_import()
    dialog = actions.dialog
    assert isinstance(dialog, QFileDialog)
    dialog.selectFile(str(m3u))
    dialog.accept()
    qtbot.waitUntil(lambda: "Evening" in _nav_names(window))
    assert actions.last_message == "Imported “Evening”: 2 of 3 entries found, 1 missing"
    assert window.notice.isVisible() and "missing" in window.notice.title.text()
    assert missing in window.notice.detail.text()
    imported = next(p for p in playlists.list_playlists(window.db) if p.name == "Evening")
    page = window.playlist_page
    assert window.stack.currentWidget() is page
    qtbot.waitUntil(lambda: not page.model.loading and page.model.rowCount() == 2)
    assert "1 missing" in page.subtitle.text()
    # a malformed file: a readable error, no playlist
    junk = tmp_path / "junk.xspf"
    junk.write_text("<playlist><trackList><track>", "utf-8")
    assert actions.import_file(str(junk)) is None
    assert window.notice.isVisible() and "junk.xspf" in (
        window.notice.title.text() + window.notice.detail.text()
    )
    assert len(playlists.list_playlists(window.db)) == 1
    # export through the dialog (the format follows the extension) and read it back
    actions.ask_export(imported.id)
    dialog = actions.dialog
    assert isinstance(dialog, QFileDialog)
    out = tmp_path / "out" / "evening.xspf"
    out.parent.mkdir()
    dialog.selectFile(str(out))
    dialog.accept()
    qtbot.waitUntil(out.exists)
    back = read_playlist(out)
    assert back.format == "xspf"
    assert [e.location for e in back.entries] == [paths[0], missing, paths[1]]
    assert with_playlist_suffix(str(tmp_path / "plain"), "PLS (*.pls)").endswith("plain.pls")
    assert actions.export_to(
        imported.id, with_playlist_suffix(str(tmp_path / "evening"), "PLS (*.pls)")
    )
    pls = read_playlist(tmp_path / "evening.pls")
    assert [e.location for e in pls.entries] == [paths[0], missing, paths[1]]
    # an extension that is no playlist format: a readable error, nothing written
    window.notice.hide()
    assert not actions.export_to(imported.id, str(tmp_path / "evening.txt"))
    assert "format" in window.notice.title.text() and not (tmp_path / "evening.txt").exists()


def test_smart_editor_previews_as_you_type(qtbot, open_window, demo_db, tmp_path) -> None:
    window, _ = open_window(demo_db)
    wait_loaded(qtbot, window.tracks_page.model)
    actions = window.playlist_actions
    editor = actions.new_smart()
    assert actions.dialog is editor and editor.isVisible()
    assert not editor.save_button.isEnabled()  # no query yet
    folk, wide = "genre:folk", "genre:folk OR genre:ambient"
    expected = {q: count(window.db, q) for q in (folk, wide)}
    assert 0 < expected[folk] < expected[wide]
    qtbot.keyClicks(editor.query, folk)
    qtbot.waitUntil(lambda: editor.matches == expected[folk])
    assert editor.count.text() == f"{expected[folk]} tracks match"
    assert editor.list.count() == expected[folk]
    qtbot.keyClicks(editor.query, " OR genre:ambient")
    qtbot.waitUntil(lambda: editor.matches == expected[wide])
    assert editor.list.count() == expected[wide]
    # a malformed query: the error inline, in red, and no saving
    editor.query.setText("year:abc")
    qtbot.waitUntil(lambda: editor.error.isVisible())
    assert "character" in editor.error.text()
    assert not editor.save_button.isEnabled() and editor.list.count() == 0
    qtbot.mouseClick(editor.fields_button, Qt.MouseButton.LeftButton)
    assert editor.fields.isVisible() and editor.fields_button.text() == "Hide fields"
    _shot(editor, tmp_path, "smart-editor-error")
    editor.query.setText(wide)
    qtbot.waitUntil(lambda: editor.matches == expected[wide] and not editor.error.isVisible())
    _shot(editor, tmp_path, "smart-editor")
    editor.name.setText("Acoustic")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Acoustic" in _nav_names(window))
    info = next(p for p in playlists.list_playlists(window.db) if p.name == "Acoustic")
    assert info.query == wide and actions.dialog is None
    page = window.playlist_page
    qtbot.waitUntil(lambda: not page.model.loading and page.model.rowCount() == expected[wide])
    # Edit query… opens it filled in; saving updates the shown playlist
    texts = [a.text() for a in window.playlist_sidebar.playlist_menu(info.id).actions()]
    assert "Edit query…" in texts and "Export…" not in texts
    editor = actions.edit_query(info.id)
    assert editor.name.text() == "Acoustic" and editor.query.text() == wide
    editor.query.setText(folk)
    qtbot.waitUntil(lambda: editor.matches == expected[folk])
    assert editor.save() == info.id
    assert playlists.get_playlist(window.db, info.id).query == folk
    qtbot.waitUntil(lambda: not page.model.loading and page.model.rowCount() == expected[folk])
    assert folk in page.subtitle.text()


def test_queue_saved_as_a_playlist(qtbot, open_window, demo_db) -> None:
    window, _ = open_window(demo_db)
    model = window.tracks_page.model
    wait_loaded(qtbot, model)
    panel, actions = window.queue_panel, window.playlist_actions
    assert not panel.save_button.isEnabled()  # nothing queued
    window.tracks_page.view.play_rows([5, 1, 7])
    queued = [item.track_id for item in window.bridge.controller.queue.items]
    assert len(queued) == 3
    qtbot.waitUntil(panel.save_button.isEnabled)
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    ask = actions.dialog
    assert isinstance(ask, QInputDialog) and ask.textValue().startswith("Queue")
    ask.setTextValue("Tonight")
    ask.accept()
    qtbot.waitUntil(lambda: "Tonight" in _nav_names(window))
    saved = next(p for p in playlists.list_playlists(window.db) if p.name == "Tonight")
    assert [e.track_id for e in playlists.playlist_entries(window.db, saved.id)] == queued
    assert actions.last_message == "Saved 3 queued tracks as “Tonight”"


@pytest.mark.parametrize(
    ("name", "suggested"),
    [
        ("AC/DC: Live?", "AC-DC- Live-.m3u8"),
        ("con", "con_.m3u8"),
        ("Late night. ", "Late night.m3u8"),
    ],
)
def test_export_suggests_a_name_every_os_accepts(
    qtbot, open_window, demo_db, tmp_path, name, suggested
) -> None:
    window, _ = open_window(demo_db)
    playlist_id = playlists.create_playlist(window.db, name)
    window.playlist_actions.ask_export(playlist_id)
    dialog = window.playlist_actions.dialog
    assert isinstance(dialog, QFileDialog)
    assert Path(dialog.selectedFiles()[0]).name == suggested
    dialog.reject()
    assert window.playlist_actions.export_to(playlist_id, str(tmp_path / suggested))
    assert read_playlist(tmp_path / suggested).name == name.strip()
