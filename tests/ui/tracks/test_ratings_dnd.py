"""Stars and hearts, drops from a file manager, and "play from here" queuing the whole list."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWidget

from player.audio import fake_engine
from player.audio.engine import PlaybackState
from player.audio.queue import ShuffleMode
from player.ui.tracks.ratings import HeartDelegate, StarDelegate
from tests.audiogen import make_audio, tag
from tests.ui.bigdb import make_big_library
from tests.ui.conftest import wait_loaded


def _rating(db, track_id: int) -> tuple[int, int]:
    row = db.conn.execute(
        "SELECT COALESCE(rating, 0), liked FROM ratings WHERE track_id = ?", (track_id,)
    ).fetchone()
    return (int(row[0]), int(row[1])) if row else (0, 0)


def _column(model, key: str) -> int:
    return [c.key for c in model.columns].index(key)


def _click_cell(qtbot, view, row: int, column: int, point_in_cell) -> None:
    view.horizontalHeader().setSectionHidden(column, False)
    view.scrollTo(view.model().index(row, column))
    rect = view.visualRect(view.model().index(row, column))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point_in_cell(rect))


def test_star_click_keys_and_hearts_persist_and_show(qtbot, open_window, demo_db) -> None:
    window, engine = open_window(demo_db)
    view = window.tracks_page.view
    model = view.track_model
    wait_loaded(qtbot, model)
    qtbot.waitUntil(lambda: model.shown_row(0) is not None)
    stars = _column(model, "rating")
    assert isinstance(view.itemDelegateForColumn(stars), StarDelegate)
    first = model.ids[0]

    def star(n: int):
        return lambda rect: StarDelegate.star_rect(rect, n).center()

    _click_cell(qtbot, view, 0, stars, star(4))
    assert _rating(window.db, first) == (4, 0)
    assert model.row(0)["rating"] == 4
    assert model.data(model.index(0, stars)) == "★★★★☆"
    _click_cell(qtbot, view, 0, stars, star(4))  # the same star again clears
    assert _rating(window.db, first)[0] == 0
    assert model.row(0)["rating"] == 0
    # keys 0-5 rate the selection
    view.setFocus()
    view.selectRow(1)
    view.selectionModel().select(
        model.index(2, 0),
        view.selectionModel().SelectionFlag.Select | view.selectionModel().SelectionFlag.Rows,
    )
    qtbot.keyClick(view, Qt.Key.Key_3)
    assert [_rating(window.db, model.ids[r])[0] for r in (1, 2)] == [3, 3]
    assert [model.row(r)["rating"] for r in (1, 2)] == [3, 3]
    qtbot.keyClick(view, Qt.Key.Key_0)
    assert [_rating(window.db, model.ids[r])[0] for r in (1, 2)] == [0, 0]
    # the heart column toggles the like
    hearts = _column(model, "liked")
    assert isinstance(view.itemDelegateForColumn(hearts), HeartDelegate)
    _click_cell(qtbot, view, 0, hearts, lambda rect: HeartDelegate.heart_rect(rect).center())
    assert _rating(window.db, first) == (0, 1)
    assert model.row(0)["liked"] is True
    # the bar's heart follows the playing track and writes its like
    view.play_rows([0])
    qtbot.waitUntil(lambda: engine.state == PlaybackState.PLAYING)
    heart = window.now_playing.heart
    assert heart.isEnabled() and heart.liked and heart.accessibleName() == "Unlike this track"
    qtbot.mouseClick(heart, Qt.MouseButton.LeftButton)
    assert _rating(window.db, first) == (0, 0)
    assert model.row(0)["liked"] is False and not heart.liked
    qtbot.mouseClick(heart, Qt.MouseButton.LeftButton)
    assert _rating(window.db, first)[1] == 1 and model.row(0)["liked"] is True
    # a double click on the stars rates, it does not start another track
    view.play_rows([3])
    playing = window.bridge.playing_item.track_id
    rect = view.visualRect(model.index(5, stars))
    at = StarDelegate.star_rect(rect, 2).center()
    left = Qt.MouseButton.LeftButton
    # what a double click delivers: press, release, double click, release
    qtbot.mouseClick(view.viewport(), left, pos=at)
    qtbot.mouseDClick(view.viewport(), left, pos=at)
    qtbot.mouseRelease(view.viewport(), left, pos=at)
    assert window.bridge.playing_item.track_id == playing
    assert _rating(window.db, model.ids[5])[0] == 2


# ---- drops from a file manager ------------------------------------------------------------
def _mime(paths: list[Path]) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    return mime


def _drop(target: QWidget, paths: list[Path]) -> bool:
    """Drag *paths* over *target* and drop them there; True when the drop was accepted."""
    mime = _mime(paths)
    center = target.rect().center()
    actions = Qt.DropAction.CopyAction
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(center, actions, mime, buttons, mods)
    QApplication.sendEvent(target, enter)
    if not enter.isAccepted():
        return False
    drop = QDropEvent(QPointF(center), actions, mime, buttons, mods)
    QApplication.sendEvent(target, drop)
    return drop.isAccepted()


@pytest.fixture
def new_music(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "dropped"
    folder.mkdir()
    files = []
    for i, title in enumerate(("Dropped One", "Dropped Two"), start=1):
        path = make_audio(folder / f"{i:02d}.mp3", "mp3", seconds=0.5)
        tag(path, title=title, artists=["Drop Artist"], album="Drop Album", track_number=i)
        files.append(path)
    return files


def test_drop_folder_on_the_window_adds_it_to_the_library(
    qtbot, open_window, demo_db, new_music
) -> None:
    window, _ = open_window(demo_db)
    folder = new_music[0].parent
    assert _drop(window, [folder])
    menu = window.drops.menu
    assert menu is not None and menu.isVisible()
    texts = [a.text() for a in menu.actions()]
    assert texts == ["Add to library", "Play now", "Add to queue"]
    with qtbot.waitSignal(window.scan.finished, timeout=30000):
        menu.actions()[0].trigger()
    assert str(folder) in [str(f) for f in window.ctx.settings.library_folders]
    titles = {r["title"] for r in window.db.tracks("folder = ?", (str(folder),))}
    assert titles == {"Dropped One", "Dropped Two"}
    model = window.tracks_page.model
    qtbot.waitUntil(lambda: not model.loading and len(model.ids) == window.db.track_count())


def test_drop_files_on_the_queue_plays_them_and_unsupported_gets_a_notice(
    qtbot, open_window, new_music, tmp_path
) -> None:
    window, engine = open_window()
    viewport = window.queue_panel.view.viewport()
    assert _drop(viewport, list(new_music))
    queue = window.bridge.controller.queue
    qtbot.waitUntil(lambda: len(queue) == 2)
    qtbot.waitUntil(lambda: engine.state == PlaybackState.PLAYING)
    assert window.bridge.playing_item.location == str(new_music[0])
    assert [it.title for it in queue.items] == ["Dropped One", "Dropped Two"]
    assert window.queue_panel.model.rowCount() == 2
    # a drop on the now-playing bar plays now; a file that is not audio is named in one notice
    note = tmp_path / "notes.txt"
    note.write_text("not music")
    assert _drop(window.now_playing, [new_music[1], note])
    qtbot.waitUntil(lambda: window.notice.isVisible())
    assert "cannot play 1" in window.notice.title.text()
    assert "notes.txt" in window.notice.detail.text()
    qtbot.waitUntil(lambda: window.bridge.playing_item.location == str(new_music[1]))
    assert len(queue) == 1


def test_internal_drags_are_left_alone(qtbot, open_window) -> None:
    window, _ = open_window()
    mime = QMimeData()
    mime.setData("application/x-kindred-track-ids", b"1\n2")
    enter = QDragEnterEvent(
        QPoint(5, 5),
        Qt.DropAction.MoveAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    enter.ignore()
    QApplication.sendEvent(window.now_playing, enter)
    assert not enter.isAccepted()
    assert window.drops.menu is None


# ---- play from here ------------------------------------------------------------------------
class _Present:
    def is_file(self) -> bool:
        return True


def test_play_from_here_queues_the_whole_list(qtbot, open_window, tmp_path, monkeypatch) -> None:
    db = make_big_library(tmp_path / "big.db", 1_500)
    window, _ = open_window(db)
    model = window.tracks_page.model
    wait_loaded(qtbot, model)
    assert model.rowCount() == 1_500
    # the made-up rows have no files: let the fake engine take them as present
    monkeypatch.setattr(fake_engine, "Path", lambda location: _Present())
    window.tracks_page.view.play_rows([1_000])
    queue = window.bridge.controller.queue
    assert window.bridge.playing_item.track_id == model.ids[1_000]  # plays at once
    qtbot.waitUntil(lambda: len(queue) == 1_500, timeout=15000)
    assert [it.track_id for it in queue.items] == model.ids
    assert queue.current.track_id == model.ids[1_000]
    assert window.bridge.playing_item is queue.current  # the engine played on undisturbed
    assert window.queue_panel.model.rowCount() == 1_500
    # in shuffle the whole list becomes one new cycle, led by the chosen track
    window.bridge.set_shuffle(ShuffleMode.TRACKS)
    window.tracks_page.view.play_rows([200])
    assert len(queue) == 500
    qtbot.waitUntil(lambda: len(queue) == 1_500, timeout=15000)
    order = queue.play_order()
    assert order[0].track_id == model.ids[200] and queue.current is order[0]
    assert sorted(it.track_id for it in order) == sorted(model.ids)
    assert queue.shuffle is ShuffleMode.TRACKS
    # a newer list started meanwhile wins over a late one
    window.tracks_page.view.play_rows([10])
    window.bridge.play_items(queue.items[:3], 0)
    qtbot.wait(300)
    assert len(queue) == 3


def test_a_dropped_playlist_queues_its_entries_in_order(
    qtbot, open_window, new_music, tmp_path
) -> None:
    window, _engine = open_window()
    playlist = tmp_path / "mix.m3u8"
    playlist.write_text(f"#EXTM3U\n{new_music[1]}\n{new_music[0]}\n", encoding="utf-8")
    assert _drop(window.queue_panel.view.viewport(), [playlist])
    queue = window.bridge.controller.queue
    qtbot.waitUntil(lambda: len(queue) == 2)
    assert [it.location for it in queue.items] == [str(new_music[1]), str(new_music[0])]
    assert [it.title for it in queue.items] == ["Dropped Two", "Dropped One"]
