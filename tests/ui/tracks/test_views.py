"""Playlists (normal and smart), radio stations, genres and folders views, For You placeholder."""

from __future__ import annotations

import os

from player.library import playlists
from player.library.radio import RadioStations
from tests.ui.conftest import wait_loaded


def test_playlists_radio_and_browse_views(qtbot, open_window, make_ctx, demo_db) -> None:
    ctx = make_ctx(demo_db)
    ids = [row["id"] for row in ctx.library.tracks()][:3]
    normal = playlists.create_playlist(ctx.library, "Road trip")
    playlists.add_to_playlist(ctx.library, normal, list(reversed(ids)))
    smart = playlists.create_playlist(ctx.library, "Eighties", query="year:1980..1989")
    RadioStations(ctx.library).add(
        "http://radio.example.org/stream.mp3", name="Example FM", genre="Jazz"
    )
    window, _ = open_window(ctx=ctx)
    assert window.nav.select(f"playlist:{normal}")
    model = window.playlist_page.model
    wait_loaded(qtbot, model)
    assert model.ids == list(reversed(ids))  # the playlist's own order
    assert window.playlist_page.title.text() == "Road trip"
    window.show_view(f"playlist:{smart}")
    qtbot.waitUntil(lambda: not model.loading and model.rowCount() == 3)
    assert {model.row(i)["year"] for i in range(3)} == {1986}
    window.show_view("radio")
    radio = window.pages["radio"]
    assert radio.list.count() == 1 and "Example FM" in radio.list.item(0).text()
    window.show_view("genres")
    page = window.pages["genres"]
    qtbot.waitUntil(lambda: len(page.names) == 4)
    page.list.setCurrentIndex(page.list_model.index(0))
    wait_loaded(qtbot, page.tracks.model)
    assert page.tracks.model.rowCount() == 3
    # folders: a tree under the library folder, each album folder with its 3 tracks
    folders = sorted({row["folder"] for row in ctx.library.tracks()})
    assert len(folders) == 4
    window.ctx.settings.library_folders = [os.path.commonpath(folders)]
    window.show_view("folders")
    tree = window.pages["folders"].model
    qtbot.waitUntil(lambda: tree.root.children is not None and not tree.loading)
    (root,) = tree.root.children
    assert root.count == 12
    node = root
    while node.folder not in folders:  # down to the first album folder
        window.pages["folders"].tree.expand(tree.index_of(node))
        qtbot.waitUntil(lambda node=node: node.children is not None and not node.loading)
        node = node.children[0]
    assert node.count == 3
    window.pages["folders"].tree.setCurrentIndex(tree.index_of(node))
    wait_loaded(qtbot, window.pages["folders"].tracks.model)
    assert window.pages["folders"].tracks.model.rowCount() == 3
    window.show_view("foryou")  # tags alone give recommendations (see test_foryou.py)
    foryou = window.pages["foryou"]
    qtbot.waitUntil(lambda: foryou.shelf("mix") is not None, timeout=10000)


def test_now_playing_links_open_the_album_and_the_artist(qtbot, open_window, demo_db) -> None:
    from PySide6.QtCore import Qt

    window, _ = open_window(demo_db)
    model = window.tracks_page.model
    wait_loaded(qtbot, model)
    window.tracks_page.view.play_rows([7])
    playing = model.row(7)
    qtbot.mouseClick(window.now_playing.album, Qt.MouseButton.LeftButton)
    albums = window.pages["albums"]
    assert window.stack.currentWidget() is albums and albums.currentIndex() == 1
    assert albums.hero_title.text() == playing["album"]
    wait_loaded(qtbot, albums.tracks.model)
    assert albums.tracks.model.rowCount() == 3
    qtbot.mouseClick(albums.back, Qt.MouseButton.LeftButton)
    assert albums.currentIndex() == 0
    qtbot.mouseClick(window.now_playing.artist, Qt.MouseButton.LeftButton)
    artists = window.pages["artists"]
    assert window.stack.currentWidget() is artists
    qtbot.waitUntil(lambda: artists.tracks.title.text() == playing["album_artist"])
    wait_loaded(qtbot, artists.tracks.model)
    assert artists.tracks.model.rowCount() == 3


def test_the_title_column_fits_without_piling_up_timers(qtbot, open_window, demo_db) -> None:
    from PySide6.QtCore import QTimer

    from player.ui.tracks.view import TITLE_MIN

    window, _ = open_window(demo_db)
    view = window.tracks_page.view
    header = view.horizontalHeader()
    title = [c.key for c in view.track_model.columns].index("title")
    timers = len(view.findChildren(QTimer))
    for width in (1200, 900, 1400, 700, 1300) * 20:  # a window dragged about
        window.resize(width, 760)
        qtbot.wait(1)
    qtbot.wait(50)
    assert len(view.findChildren(QTimer)) == timers  # fitting makes no new objects
    others = sum(
        header.sectionSize(i)
        for i in range(header.count())
        if i != title and not header.isSectionHidden(i)
    )
    expected = max(TITLE_MIN, view.viewport().width() - others)
    assert header.sectionSize(title) == expected


def test_name_columns_give_up_width_before_the_list_scrolls_sideways(
    qtbot, open_window, demo_db
) -> None:
    from player.ui.tracks.view import FLEX_MIN, TITLE_MIN

    window, _ = open_window(demo_db)
    view = window.tracks_page.view
    header = view.horizontalHeader()
    keys = [c.key for c in view.track_model.columns]
    artist, album, title = keys.index("artist"), keys.index("album"), keys.index("title")
    liked = keys.index("liked")
    assert not header.isSectionHidden(liked)

    def total() -> int:
        return sum(
            header.sectionSize(i) for i in range(header.count()) if not header.isSectionHidden(i)
        )

    window.resize(1900, 900)
    qtbot.waitUntil(lambda: header.sectionSize(artist) == 170 and header.sectionSize(album) == 190)
    assert header.sectionSize(title) > TITLE_MIN
    window.resize(1280, 800)  # the default columns no longer fit at their widths
    qtbot.waitUntil(lambda: header.sectionSize(artist) < 170)
    qtbot.wait(50)
    assert total() <= view.viewport().width()  # every column, the heart too, without scrolling
    # the title gave up the room its texts do not use before the name columns gave up any
    assert TITLE_MIN <= header.sectionSize(title) == view.title_need()
    widest = max(
        view.fontMetrics().horizontalAdvance(view.track_model.row(r)["title"])
        for r in range(view.track_model.rowCount())
    )
    assert header.sectionSize(title) <= max(TITLE_MIN, widest + 28)
    assert (
        FLEX_MIN <= header.sectionSize(artist) < 170 and FLEX_MIN <= header.sectionSize(album) < 190
    )
    assert view.horizontalScrollBar().maximum() == 0
    # the listener widens the artist column: that is the width it goes back to
    header.resizeSection(artist, 240)
    window.resize(1900, 900)
    qtbot.waitUntil(lambda: header.sectionSize(artist) == 240 and header.sectionSize(album) == 190)


def test_a_squeezed_layout_is_saved_at_its_wanted_widths(qtbot, open_window, make_ctx, demo_db):
    window, _ = open_window(demo_db)
    header = window.tracks_page.view.horizontalHeader()
    keys = [c.key for c in window.tracks_page.view.track_model.columns]
    artist = keys.index("artist")
    header.resizeSection(artist, 230)
    window.resize(1200, 800)  # squeezed: the artist column gives way
    qtbot.waitUntil(lambda: header.sectionSize(artist) < 230)
    window.close()
    window.shutdown()
    window2, _ = open_window(ctx=make_ctx())
    window2.resize(1900, 900)
    header2 = window2.tracks_page.view.horizontalHeader()
    qtbot.waitUntil(lambda: header2.sectionSize(artist) == 230)  # room again: as it was set
