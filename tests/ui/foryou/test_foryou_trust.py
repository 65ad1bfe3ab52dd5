"""For You in the window: real favourites only, reasons on one line, a mix fixed for the day.

The analysed demo library has one liked track and one track finished once
(see ``analysed_demo_db``): only the liked one is a favourite.
"""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import Qt

from player.recommend.taste import SAME_REASON
from tests.ui.foryou.test_foryou import _reload_and_wait, _wait_page, open_foryou


def _mix_ids(page) -> list[int]:
    return [r.item.track_id for r in page.shelf("mix").rows]


def test_only_real_favourites_and_varied_reasons_on_one_line(
    qtbot, open_window, analysed_demo_db
) -> None:
    window, _engine, page = open_foryou(qtbot, open_window, analysed_demo_db)
    window.resize(1100, 760)
    window.splitter.setSizes([200, 560, 340])  # a narrow page: long reasons must be cut
    qtbot.wait(100)
    mix = page.shelf("mix")
    favourites = [r for r in mix.rows if r.item.rec.why.kind == "favourite"]
    assert [r.reason.full_text() for r in favourites] == ["a favourite: you liked it"]
    assert not any("finished it once" in r.reason.full_text() for r in mix.rows)
    for row in mix.rows:  # a pick is never explained by itself
        assert row.item.rec.why.ref_title != row.title.full_text(), row.reason.full_text()
    counts = Counter(r.item.rec.why.template() for r in mix.rows)
    assert max(counts.values()) <= SAME_REASON, counts.most_common(2)
    one_line = mix.rows[0].reason.fontMetrics().lineSpacing()
    cut = 0
    for view in page.shelves:
        for row in view.rows:
            label = row.reason
            if not row.isVisible():
                continue
            assert label.sizeHint().height() <= one_line + 4, label.full_text()
            width = label.fontMetrics().horizontalAdvance(label.text())
            assert width <= label.contentsRect().width(), (label.text(), width)
            assert label.toolTip() == label.full_text()
            assert label.geometry().right() <= row.width()
            if label.text() != label.full_text():
                cut += 1
                assert label.text().endswith("…"), label.text()
    assert cut > 0  # at this width some reasons are longer than their row


def test_the_mix_stays_put_while_music_plays_and_new_mix_changes_it(
    qtbot, open_window, analysed_demo_db
) -> None:
    window, engine, page = open_foryou(qtbot, open_window, analysed_demo_db)
    first = _mix_ids(page)
    assert len(first) >= 6
    # play the mix: as tracks end and the next ones start, the shelf keeps its order
    with qtbot.waitSignal(page.updated, timeout=10000):
        page.play(page.shelf("mix").shelf)
    for _ in range(3):
        playing = window.bridge.playing_item.track_id
        engine.advance(10**7)  # to the end: the next track plays
        qtbot.waitUntil(
            lambda was=playing: window.bridge.playing_item.track_id != was, timeout=5000
        )
        _reload_and_wait(qtbot, page)
        assert _mix_ids(page) == first
    # a track played from elsewhere is not offered in the mix while it plays
    elsewhere = first[-1]
    from player.audio.queue import QueueItem
    from player.library.search import fetch_rows

    row = fetch_rows(window.db, [elsewhere])[0]
    window.bridge.play_items([QueueItem.from_row(row)])
    qtbot.waitUntil(lambda: window.bridge.playing_item.track_id == elsewhere, timeout=5000)
    _reload_and_wait(qtbot, page)
    assert _mix_ids(page) == first[:-1]
    # "New mix" makes a different one, which then stays
    qtbot.waitUntil(lambda: not page._follow.isActive() and not page._busy)
    new = page.shelf("mix").new_mix
    assert new is not None
    qtbot.waitUntil(new.isVisible)  # shown once control returns to Qt
    qtbot.mouseClick(new, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.shelf("mix") and _mix_ids(page) != first[:-1], timeout=10000)
    _wait_page(qtbot, page)
    fresh = _mix_ids(page)
    assert elsewhere not in fresh
    _reload_and_wait(qtbot, page)
    assert _mix_ids(page) == fresh


def test_a_new_library_says_something_true_and_varied_of_each_pick(
    qtbot, open_window, demo_db, english
) -> None:
    """Nothing played yet (the demo library as scanned): the reasons name each pick's album,
    artist, genre and decade, or another pick it sounds like, not twelve times "something
    you have not heard yet"."""
    window, _engine, page = open_foryou(qtbot, open_window, demo_db)
    mix = page.shelf("mix")
    assert len(mix.rows) >= 8
    whys = [r.item.rec.why for r in mix.rows]
    texts = [r.reason.full_text() for r in mix.rows]
    assert max(Counter(w.template() for w in whys).values()) <= SAME_REASON, texts
    assert max(Counter(texts).values()) <= SAME_REASON, texts
    assert texts.count("something you have not heard yet") <= SAME_REASON
    assert len({w.kind for w in whys}) >= 3, texts
    for row, why in zip(mix.rows, whys, strict=True):
        track = window.db.get_track(row.item.track_id)
        text = row.reason.full_text()
        assert text == row.item.rec.reason  # the window words it as the command line does
        if why.kind == "album":
            assert track.album in text and "not opened yet" in text
        if why.kind == "artist":
            assert text.startswith(row.item.rec.artist)
        if why.kind == "similar":
            assert "(also in this mix)" in text
            assert why.ref_title in {r.title.full_text() for r in mix.rows}
