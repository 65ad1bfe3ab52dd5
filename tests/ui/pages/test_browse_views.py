"""The Artists and Albums views and the track lists, on a library shaped like a real
soundtrack folder (tests/ui/pages/browse_library.py), with real widgets."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtTest import QTest

from player.library.store import LibraryDB
from tests.ui.conftest import wait_loaded
from tests.ui.pages import browse_library

SHOTS = os.environ.get("KINDRED_SHOTS", "")


@pytest.fixture(scope="module")
def browse_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return browse_library.build(tmp_path_factory.mktemp("browse") / "library.db")


def _shot(widget, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(SHOTS) / name))


def _artists(qtbot, window):
    window.show_view("artists")
    page = window.pages["artists"]
    qtbot.waitUntil(lambda: len(page.entries) > 0, timeout=10000)
    return page


def test_artists_split_tags_sort_by_sort_name_and_switch_roles(
    qtbot, open_window, browse_db
) -> None:
    window, _ = open_window(browse_db)
    window.resize(1280, 800)
    page = _artists(qtbot, window)
    names = [e.name for e in page.entries]
    # "A feat. B", "A; B" and "A / B" count for each name; "The Beatles" sorts under B
    assert names == [
        "Alpha Band", "Ana Ruiz", "The Beatles", "Beck", "Doug Kaufman", "Ken Mori",
        "Lea Stein", "Omar Haddad", "Zoe Quinn", "",
    ]  # fmt: skip
    assert page.subtitle.text().startswith("9")
    # the strip of letters: B jumps to The Beatles; letters nobody is under are off
    page.jump("B")
    assert page.entries[page.list.currentIndex().row()].name == "The Beatles"
    assert not page.letters["C"].isEnabled() and page.letters["Z"].isEnabled()
    # typing on the list jumps by sort name too
    page.list.setFocus()
    QTest.keyClicks(page.list, "zo")
    assert page.entries[page.list.currentIndex().row()].name == "Zoe Quinn"
    wait_loaded(qtbot, page.tracks.model)
    qtbot.waitUntil(lambda: page.tracks.model.rowCount() == 2)  # "feat." and " / " tracks
    page.list.setCurrentIndex(page.list_model.index(names.index("Doug Kaufman")))
    qtbot.waitUntil(lambda: page.tracks.model.rowCount() == 7 and not page.tracks.model.loading)
    qtbot.waitUntil(lambda: len(page.tracks.model.cached_rows()) == 7)
    qtbot.wait(50)
    _shot(window, "artists.png")
    # composers: the soundtrack's five, remembered in the window's state
    page.set_role("composer")
    qtbot.waitUntil(lambda: page.entries and page.entries[0].name == "Ana Ruiz")
    assert [e.name for e in page.entries if e.name] == list(sorted(browse_library.COMPOSERS))
    assert window.state.extra["artists_role"] == "composer"
    page.set_role("album_artist")
    qtbot.waitUntil(lambda: "Alpha Band" in [e.name for e in page.entries])
    assert "Zoe Quinn" not in [e.name for e in page.entries]  # only a featured artist


def test_the_artists_role_is_remembered(qtbot, open_window, make_ctx, browse_db) -> None:
    window, _ = open_window(browse_db)
    page = _artists(qtbot, window)
    page.set_role("composer")
    window.close()
    window.shutdown()
    window2, _ = open_window(ctx=make_ctx())
    page2 = _artists(qtbot, window2)
    assert page2.role == "composer" and page2.role_box.currentData() == "composer"
    qtbot.waitUntil(lambda: next(e.name for e in page2.entries if e.name) == "Ana Ruiz")


def _albums(qtbot, window):
    window.show_view("albums")
    page = window.pages["albums"]
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=10000)
    return page


def test_albums_group_a_soundtrack_and_tell_same_names_apart(qtbot, open_window, browse_db):
    window, _ = open_window(browse_db)
    window.resize(1280, 800)
    page = _albums(qtbot, window)
    model = page.model
    titles = [a.album for a in model.albums]
    # the soundtrack of five artists without an album-artist tag is one card
    assert titles.count(browse_library.SOUNDTRACK) == 1
    ost = model.albums[titles.index(browse_library.SOUNDTRACK)]
    assert ost.tracks == 15 and ost.various
    assert model.lines(titles.index(browse_library.SOUNDTRACK)) == "Various artists · 2014"
    # two editions of one album: the second line says which is which
    rows = [i for i, t in enumerate(titles) if t == "Abbey Road"]
    assert len(rows) == 2
    assert {model.lines(r) for r in rows} == {
        "The Beatles · 2001 · 1 discs · 3 tracks · standard",
        "The Beatles · 2011 · 2 discs · 6 tracks · deluxe",
    }
    # two titles that read alike when cut: the cards show different texts
    delegate = page.grid.album_delegate
    font = QFont(page.grid.font())
    font.setBold(True)
    width = delegate.tile()
    one, two = titles.index(browse_library.SOUNDTRACK), titles.index(browse_library.SOUNDTRACK_TWO)
    shown = delegate.shown_title(one, font, width), delegate.shown_title(two, font, width)
    assert QFontMetrics(font).horizontalAdvance(browse_library.SOUNDTRACK) > width  # really cut
    assert shown[0] != shown[1]
    # opening the soundtrack lists all its tracks, also by name from the now-playing bar
    page.open_album(ost)
    wait_loaded(qtbot, page.tracks.model)
    assert page.tracks.model.rowCount() == 15
    page.open_named("Ken Mori", browse_library.SOUNDTRACK)  # one composer's track playing
    assert page.album is ost
    wait_loaded(qtbot, page.tracks.model)
    qtbot.waitUntil(lambda: page.tracks.model.rowCount() == 15)
    page.setCurrentIndex(0)
    qtbot.wait(50)
    _shot(window, "albums.png")


def _right_margin(grid) -> int:
    model = grid.model()
    rights = [grid.visualRect(model.index(r, 0)).right() + 1 for r in range(model.rowCount())]
    return grid.viewport().width() - max(rights)


def test_the_album_grid_fills_the_row(qtbot, open_window, browse_db) -> None:
    window, _ = open_window(browse_db)
    page = _albums(qtbot, window)
    grid = page.grid
    for width in (1000, 1137, 1280, 1555):
        window.resize(width, 800)
        qtbot.wait(30)
        first_row = [
            r for r in range(page.model.rowCount()) if grid.visualRect(page.model.index(r, 0)).y()
            == grid.visualRect(page.model.index(0, 0)).y()
        ]  # fmt: skip
        # the row is full: it reaches the edge, but for the scroll bar's room Qt keeps
        bar = grid.verticalScrollBar()
        room = 0 if bar.isVisible() else grid.viewport().width() - grid.layout_width()
        assert room <= 20
        if len(first_row) < page.model.rowCount():
            assert _right_margin(grid) <= len(first_row) + room, width
    # the compact list: one album a row, remembered
    page.compact_button.click()
    assert window.state.extra["albums_compact"] is True
    qtbot.wait(30)
    rects = [grid.visualRect(page.model.index(r, 0)) for r in range(page.model.rowCount())]
    assert len({r.y() for r in rects}) == len(rects)
    assert all(r.height() <= 56 for r in rects)
    _shot(window, "albums-list.png")
    page.set_compact(False)
    assert window.state.extra["albums_compact"] is False


def test_compact_rows_fit_26_in_700_px(qtbot, open_window, browse_db) -> None:
    from player.ui.settings.appearance import set_compact_rows

    window, _ = open_window(browse_db)
    view = window.tracks_page.view
    wait_loaded(qtbot, view.track_model)
    roomy = view.rowHeight(0)
    set_compact_rows(window, True)
    assert window.state.extra["compact_rows"] is True
    compact = view.rowHeight(0)
    assert compact < roomy
    header = view.horizontalHeader().height()
    assert (700 - header) // compact >= 26
    # the same, as shown: a window whose list is 700 px high shows 26 rows or more
    window.resize(1280, 800)
    qtbot.wait(30)
    grow = 700 - view.height()
    window.resize(1280, 800 + grow)
    qtbot.waitUntil(lambda: abs(view.height() - 700) <= 2)
    qtbot.waitUntil(lambda: len(view.track_model.cached_rows()) > 0)
    qtbot.wait(50)
    shown = view.rowAt(view.viewport().height() - 1) - view.rowAt(0) + 1
    if view.model().rowCount() >= 26:
        assert shown >= 26
    _shot(window, "tracks-compact.png")
    set_compact_rows(window, False)
    assert view.rowHeight(0) == roomy


def test_no_sideways_scrollbar_when_the_columns_fit(qtbot, open_window, browse_db) -> None:
    from player.ui.tracks.view import FLEX_MIN

    window, _ = open_window(browse_db)
    window.resize(1280, 800)
    page = _artists(qtbot, window)  # nothing chosen: an empty list beside the artists
    view = page.tracks.view
    qtbot.wait(50)
    header = view.horizontalHeader()
    keys = [c.key for c in view.track_model.columns]
    shown = [i for i in range(header.count()) if not header.isSectionHidden(i)]
    total = sum(header.sectionSize(i) for i in shown)
    assert total <= view.viewport().width()
    assert view.horizontalScrollBar().maximum() == 0
    assert not view.horizontalScrollBar().isVisible()
    window.show_view("genres")  # the Genres view, the same
    genres = window.pages["genres"].tracks.view
    qtbot.wait(50)
    assert genres.horizontalScrollBar().maximum() == 0
    # with tracks: the name columns keep their width before the title keeps empty room
    page.list.setCurrentIndex(page.list_model.index(0))
    qtbot.waitUntil(lambda: view.track_model.rowCount() > 0 and not view.track_model.loading)
    qtbot.wait(50)
    title = keys.index("title")
    widest = max(
        view.fontMetrics().horizontalAdvance(view.track_model.row(r)["title"])
        for r in range(view.track_model.rowCount())
    )
    for name in ("artist", "album"):
        index = keys.index(name)
        if header.sectionSize(index) < view.track_model.columns[index].width:
            assert header.sectionSize(title) <= max(widest + 28, 120)
        assert header.sectionSize(index) >= FLEX_MIN
    assert view.horizontalScrollBar().maximum() == 0


def test_the_selection_covers_every_cell_of_the_row(qtbot, open_window, browse_db) -> None:
    window, _ = open_window(browse_db)
    window.resize(1280, 800)
    view = window.tracks_page.view
    wait_loaded(qtbot, view.track_model)
    qtbot.wait(50)
    keys = [c.key for c in view.track_model.columns]
    view.selectRow(1)
    title = view.visualRect(view.model().index(1, keys.index("title")))
    year = view.visualRect(view.model().index(1, keys.index("year")))
    # the pointer rests on the clicked title cell, as after a click
    QTest.mouseMove(view.viewport(), title.center())
    qtbot.wait(50)
    view.viewport().update()
    qtbot.wait(50)
    image = view.viewport().grab().toImage()
    y = title.center().y()
    title_colour = image.pixelColor(QPoint(title.right() - 3, y))
    year_colour = image.pixelColor(QPoint(year.left() + 3, y))
    unselected = image.pixelColor(QPoint(title.right() - 3, view.rowViewportPosition(3) + 3))
    assert title_colour == year_colour
    assert title_colour != unselected


def test_stats_and_the_window_count_alike(qtbot, open_window, browse_db) -> None:
    window, _ = open_window(browse_db)
    with LibraryDB(browse_db, readonly=True) as db:
        stats = db.stats()
    page = _artists(qtbot, window)
    assert page.subtitle.text() == f"{stats['artists']} artists"
    albums = _albums(qtbot, window)
    assert albums.model.rowCount() == stats["albums"] == 5
    assert albums.subtitle.text() == f"{stats['albums']} albums"
    assert stats["artists"] == 9
