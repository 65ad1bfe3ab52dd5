"""The Artists page files artists by their sort tags: the letter strip and typing on
the list land on the sort name, in each of the three roles."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtTest import QTest

from player.library.store import LibraryDB
from player.library.track import TrackInfo

SHOTS = os.environ.get("KINDRED_SHOTS", "")


@pytest.fixture(scope="module")
def sorted_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sorttags") / "library.db"

    def track(n: int, artist: str, sort: str = "", **more: object) -> TrackInfo:
        return TrackInfo(
            path=f"/music/{n}.flac", title=f"Song {n}", artists=[artist], artist_sort=sort, **more
        )

    with LibraryDB(path) as db:
        db.upsert_tracks(
            [
                track(1, "Cher"),
                track(2, "David Bowie", "Bowie, David"),
                track(3, "The Beatles", "Beatles, The"),
                track(4, "Dusty Springfield", "Springfield, Dusty"),
                track(5, "Aretha Franklin", "Franklin, Aretha"),
                track(6, "Dolly Parton"),
                track(
                    7,
                    "Cher",
                    album_artists=["Various"],
                    composer="Johann Sebastian Bach",
                    composer_sort="Bach, Johann Sebastian",
                ),
            ]
        )
    return path


def _artists(qtbot, window):
    window.show_view("artists")
    page = window.pages["artists"]
    qtbot.waitUntil(lambda: len(page.entries) > 0, timeout=10000)
    return page


def _current(page) -> str:
    return page.entries[page.list.currentIndex().row()].name


def test_letter_strip_and_typing_follow_sort_tags(qtbot, open_window, sorted_db) -> None:
    window, _ = open_window(sorted_db)
    window.resize(1100, 700)
    page = _artists(qtbot, window)
    assert [e.name for e in page.entries] == [
        "The Beatles", "David Bowie", "Cher", "Dolly Parton", "Aretha Franklin",
        "Dusty Springfield",
    ]  # fmt: skip
    # B: the sort tags file The Beatles and David Bowie there; A holds nobody now
    page.letters["B"].click()
    assert _current(page) == "The Beatles"
    assert not page.letters["A"].isEnabled()
    assert page.letters["F"].isEnabled() and page.letters["S"].isEnabled()
    page.jump("S")
    assert _current(page) == "Dusty Springfield"
    # typing on the list matches the sort name: "bo" is David Bowie, "fr" Aretha Franklin
    page.list.setFocus()
    QTest.keyClicks(page.list, "bo")
    assert _current(page) == "David Bowie"
    qtbot.wait(1100)  # a pause starts a new word
    QTest.keyClicks(page.list, "fr")
    assert _current(page) == "Aretha Franklin"
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        window.grab().save(str(Path(SHOTS) / "artists-sort-tags.png"))
    # album artists: a track without an album-artist tag takes its artist's sort tag
    page.set_role("album_artist")
    qtbot.waitUntil(lambda: "Various" in [e.name for e in page.entries])
    page.jump("B")
    assert _current(page) == "The Beatles"
    # composers: by COMPOSERSORT
    page.set_role("composer")
    qtbot.waitUntil(lambda: page.entries and page.entries[0].name == "Johann Sebastian Bach")
    assert not page.letters["J"].isEnabled()
    page.jump("B")
    assert _current(page) == "Johann Sebastian Bach"
