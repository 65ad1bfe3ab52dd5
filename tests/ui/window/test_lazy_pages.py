"""The window's pages are built when first shown or asked for, and a page built late is
wired as one built at start: its track lists follow the playing track, the density, the
remembered columns, the loudness and comment columns and the track menus."""

from __future__ import annotations

from player.ui.tracks.view import COMPACT_KEY, TrackView
from tests.ui.conftest import wait_loaded


def test_only_the_page_shown_is_built_at_start(qtbot, open_window, demo_db) -> None:
    window, _engine = open_window(demo_db)
    assert set(window.pages.built()) == {"tracks"}
    assert "albums" in window.pages and len(window.pages) == 12  # known, not built
    assert window.pages.peek("albums") is None
    window.show_view("albums")
    albums = window.pages.peek("albums")
    assert albums is not None and window.stack.currentWidget() is albums
    assert window.pages["albums"] is albums  # built once
    assert set(window.pages.built()) == {"tracks", "albums"}
    window.run_search("artist:nobody")  # the search page, built for its results
    assert window.stack.currentWidget() is window.pages.peek("search")


def test_a_page_built_late_is_wired_like_the_first(qtbot, open_window, demo_db) -> None:
    window, _engine = open_window(demo_db)
    page = window.tracks_page
    wait_loaded(qtbot, page.model)
    page.view.play_rows([0])
    playing = window.bridge.playing_item.track_id
    qtbot.waitUntil(lambda: page.model.playing_id == playing)
    window.state.extra[COMPACT_KEY] = True
    search = window.search_page  # built now
    views = search.findChildren(TrackView)
    assert views and all(v.track_model.playing_id == playing for v in views)
    view = views[0]
    assert (
        view.verticalHeader().defaultSectionSize() < page.view.verticalHeader().defaultSectionSize()
    )
    # the features' columns and the track menu reach the late list too
    keys = [c.key for c in view.track_model.columns]
    for key in ("loudness", "comments"):
        if key in keys:
            assert key in view.track_model.cell_text
    view.recommend.emit("similar", [playing])
    assert window.stack.currentWidget() is window.pages.peek("foryou")


def test_a_page_built_late_gets_the_remembered_columns(
    qtbot, open_window, demo_db, make_ctx
) -> None:
    window, _engine = open_window(demo_db)
    header = window.tracks_page.view.horizontalHeader()
    header.setSortIndicator(2, header.sortIndicatorOrder())
    header.moveSection(3, 1)
    window.save_layout()
    window.close()
    again, _engine = open_window(ctx=window.ctx)
    assert again.pages.peek("search") is None
    late = again.search_page.findChildren(TrackView)[0].horizontalHeader()
    assert late.sortIndicatorSection() == 2
    assert late.visualIndex(3) == 1


def test_the_first_visit_to_artists_does_not_move_the_splitter(qtbot, open_window, demo_db) -> None:
    from player.ui.pages.artists import least_width

    window, _engine = open_window(demo_db)
    sizes = window.splitter.sizes()
    window.show_view("artists")
    artists = window.pages["artists"]
    assert artists.minimumSizeHint().width() == least_width()  # the strip, measured unbuilt
    qtbot.wait(50)
    assert window.splitter.sizes() == sizes
