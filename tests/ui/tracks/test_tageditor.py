"""The tag editor: several tracks at once, mixed values left alone, per-file errors, live lists.

Files are real (ffmpeg tones tagged with plain mutagen) and are read back with
mutagen after the editor wrote them through the library's atomic writer.
"""

from __future__ import annotations

import os
from pathlib import Path

import mutagen
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from player.library.scanner import Scanner
from player.library.store import LibraryDB
from player.ui.tracks.tageditor import TagEditor
from tests.audiogen import make_audio, tag
from tests.ui.conftest import wait_loaded


@pytest.fixture
def tagged(tmp_path: Path) -> tuple[Path, dict[str, Path]]:
    """Three tagged files (two FLAC, one MP3) in one album, and a library scanned from them."""
    folder = tmp_path / "music"
    folder.mkdir()
    files = {}
    for name, fmt, title, artist in (
        ("a", "flac", "Alpha", "Ann"),
        ("b", "mp3", "Beta", "Bob"),
        ("c", "flac", "Gamma", "Cy"),
    ):
        path = make_audio(folder / f"{name}.{fmt}", fmt, seconds=0.5)
        tag(path, title=title, artists=[artist], album="Shared Album", genres=["Rock"])
        files[name] = path
    db_path = tmp_path / "template.db"
    with LibraryDB(db_path) as db:
        Scanner(db, workers=1).scan([folder])
    return db_path, files


def _easy(path: Path, key: str) -> list[str]:
    return list(mutagen.File(path, easy=True).get(key) or [])


def _rows_for(model, paths: list[Path]) -> list[int]:
    wanted = {str(p) for p in paths}
    return [r for r in range(model.rowCount()) if model.row(r)["path"] in wanted]


def _open_editor(qtbot, window, paths: list[Path]) -> TagEditor:
    view = window.tracks_page.view
    model = window.tracks_page.model
    wait_loaded(qtbot, model)
    rows = _rows_for(model, paths)
    assert len(rows) == len(paths)
    ids = [model.ids[r] for r in rows]
    editor = TagEditor.open_for(view, ids)
    assert editor is not None
    qtbot.waitUntil(lambda: bool(editor.tracks), timeout=5000)
    return editor


def _album_text(model, row: int) -> str:
    col = [c.key for c in model.columns].index("album")
    return model.data(model.index(row, col))


def test_edit_two_files_writes_both_and_leaves_mixed_fields_alone(
    qtbot, open_window, tagged
) -> None:
    db_path, files = tagged
    window, _ = open_window(db_path)
    editor = _open_editor(qtbot, window, [files["a"], files["b"]])
    fields = editor.fields
    assert editor.heading.text() == "Editing 2 tracks"
    assert fields["album"].text() == "Shared Album"
    assert fields["title"].text() == "" and fields["title"].placeholderText() == "(mixed)"
    assert fields["artists"].placeholderText() == "(mixed)"
    fields["album"].selectAll()
    qtbot.keyClicks(fields["album"], "New Album")
    qtbot.keyClicks(fields["genres"], "; Jazz")
    qtbot.keyClicks(fields["track_total"], "9")
    assert editor.changes() == {
        "album": "New Album",
        "genres": ["Rock", "Jazz"],
        "track_total": 9,
    }
    editor.resize(560, editor.sizeHint().height())
    editor.grab().save(str(Path(os.environ["KINDRED_HOME"]) / "tageditor.png"))
    with qtbot.waitSignal(editor.written, timeout=15000) as blocker:
        editor.save()
    result = blocker.args[0]
    assert result.errors == [] and len(result.written) == 2
    for name, title, artist in (("a", "Alpha", "Ann"), ("b", "Beta", "Bob")):
        path = files[name]
        assert _easy(path, "album") == ["New Album"]
        assert _easy(path, "genre") == ["Rock", "Jazz"]
        assert _easy(path, "title") == [title]  # mixed: untouched
        assert _easy(path, "artist") == [artist]
    assert _easy(files["c"], "album") == ["Shared Album"]  # not selected
    # the library and the visible list show the new album at once
    model = window.tracks_page.model
    stored = {r["path"]: r for r in window.db.tracks()}
    assert stored[str(files["a"])]["album"] == "New Album"
    assert stored[str(files["b"])]["track_total"] == 9
    rows = _rows_for(model, [files["a"], files["b"]])
    qtbot.waitUntil(lambda: all(_album_text(model, r) == "New Album" for r in rows))


def test_read_only_file_is_reported_while_the_other_is_written(qtbot, open_window, tagged) -> None:
    db_path, files = tagged
    locked = files["c"]
    before = locked.read_bytes()
    os.chmod(locked, 0o444)
    try:
        window, _ = open_window(db_path)
        editor = _open_editor(qtbot, window, [files["a"], locked])
        assert editor.fields["genres"].text() == "Rock"
        editor.fields["genres"].selectAll()
        qtbot.keyClicks(editor.fields["genres"], "Ambient")
        with qtbot.waitSignal(editor.written, timeout=15000) as blocker:
            editor.save()
        result = blocker.args[0]
        assert result.written == [window.db.track_id(str(files["a"]))]
        assert [path for path, _ in result.errors] == [str(locked)]
        assert "read-only" in result.errors[0][1].short
        assert _easy(files["a"], "genre") == ["Ambient"]
        assert locked.read_bytes() == before
        # the dialog stays open and names the file that failed
        assert editor.isVisible()
        assert editor.errors.count() == 1 and "c.flac" in editor.errors.item(0).text()
        assert "1 of 2" in editor.problem.text()
    finally:
        os.chmod(locked, 0o644)


def test_edit_tags_from_the_menu_and_ctrl_e(qtbot, open_window, tagged) -> None:
    db_path, files = tagged
    window, _ = open_window(db_path)
    view = window.tracks_page.view
    wait_loaded(qtbot, view.track_model)
    view.selectRow(_rows_for(view.track_model, [files["b"]])[0])
    menu = view.context_menu()
    assert menu is not None
    action = next(a for a in menu.actions() if a.text() == "Edit tags…")
    action.trigger()
    editor = window.findChild(TagEditor)
    assert editor is not None
    qtbot.waitUntil(lambda: bool(editor.tracks))
    assert editor.heading.text() == "Editing b.mp3"
    assert editor.fields["title"].text() == "Beta"
    editor.close()
    qtbot.waitUntil(lambda: window.findChild(TagEditor) is None)  # deleted on close
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.findChild(TagEditor) is not None)
    assert window.findChild(TagEditor).track_ids == [view.track_model.ids[view.selected_rows()[0]]]


def test_the_playing_track_retagged_shows_new_tags_on_the_bar_and_in_the_queue(
    qtbot, open_window, tagged
) -> None:
    db_path, files = tagged
    window, _ = open_window(db_path)
    model = window.tracks_page.model
    wait_loaded(qtbot, model)
    [row] = _rows_for(model, [files["a"]])
    window.tracks_page.view.play_rows([row])
    qtbot.waitUntil(lambda: window.now_playing.title.text() == "Alpha", timeout=5000)
    editor = _open_editor(qtbot, window, [files["a"]])
    editor.fields["title"].selectAll()
    qtbot.keyClicks(editor.fields["title"], "Alpha (Live)")
    with qtbot.waitSignal(editor.written, timeout=15000):
        editor.save()
    assert _easy(files["a"], "title") == ["Alpha (Live)"]
    assert window.now_playing.title.text() == "Alpha (Live)"
    queued = [it for it in window.bridge.controller.queue.items if it.track_id == model.ids[row]]
    assert queued and all(it.title == "Alpha (Live)" for it in queued)
