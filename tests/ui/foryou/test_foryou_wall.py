"""The For You shelf "Loved in the comments" against the real comment server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.social.live_server import LiveServer
from tests.ui.comments.test_comments import account, open_on, shot, song_of
from tests.ui.conftest import wait_loaded


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with LiveServer(tmp_path_factory.mktemp("wall-server")) as live:
        yield live


def test_the_wall_shows_top_comments_and_plays_the_librarys_song(
    qtbot, open_window, make_ctx, demo_db, server, tmp_path: Path
) -> None:
    author, author_name = account(server.url, keep=False)
    fan, _ = account(server.url, keep=False)
    window, _ = open_on(open_window, make_ctx, demo_db, server.url)
    wait_loaded(qtbot, window.tracks_page.model)
    track_id, song_id = song_of(window, author, 1)
    loved = author.post(song_id, "That chorus still gives me chills.")
    fan.like(loved.id)
    elsewhere = author.resolve({"artist": "Nobody Here", "title": "Not in This Library"}).song_id
    assert elsewhere is not None
    author.post(elsewhere, "Found this on a late train home.")

    page = window.pages["foryou"]
    window.resize(1100, 820)
    window.show_view("foryou")
    shelf = page.wall
    qtbot.waitUntil(lambda: len(shelf.rows) == 2, timeout=10000)
    assert shelf.isVisible() and shelf.title.text() == "Loved in the comments"
    top, other = shelf.rows
    assert top.item.comment.id == loved.id and top.body.text() == f"“{loved.body}”"
    assert top.meta.text() == f"{author_name} · ♥ 1"
    assert top.playable and top.play.isEnabled() and top.item.track_id == track_id
    assert other.song.text() == "Nobody Here – Not in This Library · not in your library"
    assert not other.playable and not other.play.isEnabled() and other.play.isHidden()
    assert shelf.subtitle.text().endswith("in your library: 1")
    qtbot.waitUntil(lambda: page.data is not None and not page._busy, timeout=10000)
    page.scroll.ensureWidgetVisible(shelf)
    shot(page, tmp_path, "foryou-wall-page.png")
    shot(shelf, tmp_path, "wall.png")

    qtbot.mouseDClick(other, Qt.MouseButton.LeftButton)  # not held: nothing plays
    assert window.bridge.playing_item is None
    top.play.click()
    qtbot.waitUntil(lambda: window.bridge.playing_item is not None, timeout=5000)
    assert window.bridge.playing_item.track_id == track_id
    window.bridge.stop()
    qtbot.mouseDClick(top, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.bridge.playing_item is not None, timeout=5000)
    assert window.bridge.playing_item.track_id == track_id


def test_the_wall_is_hidden_without_a_server_or_comments(
    qtbot, open_window, make_ctx, demo_db, tmp_path: Path
) -> None:
    ctx = make_ctx(demo_db)
    ctx.settings.server_url = ""
    window, _ = open_window(ctx=ctx)
    window.show_view("foryou")
    shelf = window.pages["foryou"].wall
    shelf.refresh(force=True)
    assert shelf.wall is not None and not shelf.wall.items and shelf.isHidden()
    with LiveServer(tmp_path / "empty") as empty:
        ctx2 = make_ctx(demo_db)
        ctx2.settings.server_url = empty.url
        other, _ = open_window(ctx=ctx2)
        other.show_view("foryou")
        wall = other.pages["foryou"].wall
        qtbot.waitUntil(lambda: wall.wall is not None, timeout=10000)
        assert not wall.wall.items and not wall.wall.stale and wall.isHidden()
