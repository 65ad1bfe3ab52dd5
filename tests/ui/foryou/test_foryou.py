"""The For You page on the demo library, analysed in the test: shelves, reasons, feedback.

Also the "Similar tracks" / "Start radio" track-menu entries, the now-playing
radio button and audio analysis run from the status bar after a scan.
"""

from __future__ import annotations

import os
from pathlib import Path

from player.library.store import LibraryDB
from player.recommend import feedback


def _row(qtbot, model, row: int) -> dict:
    """A track row once its page has been read (a placeholder until then)."""
    qtbot.waitUntil(lambda: bool(model.row(row).get("path")))
    return model.row(row)


def _wait_page(qtbot, page, timeout: int = 10000) -> None:
    qtbot.waitUntil(lambda: page.data is not None and not page._busy, timeout=timeout)


def open_foryou(qtbot, open_window, db_path: Path):
    """A window on ``db_path`` showing For You, its first lists built: (window, engine, page)."""
    window, engine = open_window(db_path)
    page = window.pages["foryou"]
    window.show_view("foryou")
    _wait_page(qtbot, page)
    return window, engine, page


def _reload_and_wait(qtbot, page) -> None:
    with qtbot.waitSignal(page.updated, timeout=10000):
        page.reload()


def test_page_fills_with_a_reason_for_every_track(
    qtbot, open_window, analysed_demo_db, tmp_path
) -> None:
    window, engine = open_window(analysed_demo_db)
    window.resize(1440, 900)
    page = window.pages["foryou"]
    qtbot.waitUntil(lambda: not window.tracks_page.model.loading)
    qtbot.waitUntil(lambda: window.tracks_page.model.rowCount() == 12)
    playing = _row(qtbot, window.tracks_page.model, 4)["title"]
    window.tracks_page.view.play_rows([4])
    engine.advance(1000)
    with qtbot.waitSignal(page.updated, timeout=10000):
        window.show_view("foryou")
    _wait_page(qtbot, page)
    qtbot.wait(500)  # the now-playing radio follows the playing track
    _wait_page(qtbot, page)
    keys = [v.shelf.key for v in page.shelves]
    assert keys[0] == "mix" and "radio" in keys, keys
    assert any(k.startswith("because:") for k in keys), keys
    assert "analysed so far" not in page.subtitle.text()  # every track was analysed
    for view in page.shelves:
        assert view.rows, view.shelf.title
        for row in view.rows:
            assert row.reason.text().strip(), row.title.text()
            assert row.title.text()
    radio = page.shelf("radio")
    assert radio is not None and radio.shelf.title == "Radio from what's playing"
    assert playing in radio.shelf.subtitle
    assert playing not in [r.title.full_text() for r in radio.rows]
    # the audio speaks in the reasons once analysed ("similar timbre ...")
    reasons = " ".join(r.reason.text() for v in page.shelves for r in v.rows)
    assert "similar" in reasons
    window.splitter.setSizes([210, 900, 330])
    qtbot.wait(150)
    out = tmp_path / "foryou.png"
    assert window.grab().save(str(out))
    target = os.environ.get("KINDRED_SCREENSHOT")
    if target:
        shot = Path(target)
        assert window.grab().save(str(shot.with_name(shot.stem + "-foryou" + shot.suffix)))
    bar = page.scroll.verticalScrollBar()
    bar.setValue(bar.maximum())
    qtbot.wait(50)
    assert window.grab().save(str(tmp_path / "foryou-more.png"))
    if target:
        assert window.grab().save(str(shot.with_name(shot.stem + "-foryou-more" + shot.suffix)))
    # the page's own styles follow a theme switch
    window.toggle_theme()
    qtbot.wait(50)
    assert "#" in page.styleSheet() and page._styled_for == "light"
    if target:
        assert window.grab().save(str(shot.with_name(shot.stem + "-foryou-light" + shot.suffix)))
    window.toggle_theme()
    qtbot.wait(50)
    assert page._styled_for == "dark"


def _plays(db: LibraryDB, track_id: int) -> int:
    return db.conn.execute("SELECT COUNT(*) FROM plays WHERE track_id = ?", (track_id,)).fetchone()[
        0
    ]


def test_not_this_one_changes_the_next_list(qtbot, open_window, analysed_demo_db) -> None:
    window, _engine, page = open_foryou(qtbot, open_window, analysed_demo_db)
    mix = page.shelf("mix")
    assert mix is not None and len(mix.rows) >= 3
    before = [r.item.track_id for r in mix.rows]
    gone = before[0]
    plays_before = _plays(window.db, gone)
    with qtbot.waitSignal(page.updated, timeout=10000):
        mix.rows[0].dismiss.click()
    _wait_page(qtbot, page)
    after = {key: [r.item.track_id for r in v.rows] for key, v in
             ((v.shelf.key, v) for v in page.shelves)}  # fmt: skip
    assert all(gone not in ids for ids in after.values()), after
    assert after["mix"] != before
    # kept as a push for the daily mix, not as a play of a track never heard
    assert feedback.pushes(window.db)[gone] == 1
    assert _plays(window.db, gone) == plays_before
    # skip on the radio: the station moves on without it
    radio = page.shelf("radio")
    assert radio is not None and radio.shelf.title == "Radio from what you played last"
    before = [r.item.track_id for r in radio.rows]
    with qtbot.waitSignal(page.updated, timeout=10000):
        radio.rows[0].skip.click()
        assert radio.rows[0].isHidden()  # at once, before the next list arrives
    _wait_page(qtbot, page)
    after = [r.item.track_id for r in page.shelf("radio").rows]
    assert before[0] not in after and after != before
    # a like is stored and the heart stays filled in the next list
    mix = page.shelf("mix")
    liked = mix.rows[0].item.track_id
    model = window.tracks_page.model
    window.tracks_page.view.play_rows([model.ids.index(liked)])
    qtbot.waitUntil(lambda: window.now_playing.heart.track_id == liked, timeout=5000)
    assert not window.now_playing.heart.liked
    with qtbot.waitSignal(page.updated, timeout=10000):
        mix.rows[0].heart.click()
    _wait_page(qtbot, page)
    row = window.db.conn.execute("SELECT liked FROM ratings WHERE track_id = ?", (liked,))
    assert row.fetchone()[0] == 1
    assert window.now_playing.heart.liked  # the bar's heart follows at once


def test_track_menu_similar_and_radio(qtbot, open_window, analysed_demo_db) -> None:
    window, engine = open_window(analysed_demo_db)
    view = window.tracks_page.view
    qtbot.waitUntil(lambda: not window.tracks_page.model.loading and view.model().rowCount() > 0)
    view.selectRow(0)
    menu = view.context_menu()
    actions = {a.text(): a for a in menu.actions()}
    assert "Similar tracks" in actions and "Start radio" in actions
    page = window.pages["foryou"]
    actions["Similar tracks"].trigger()
    assert window.stack.currentWidget() is page
    qtbot.waitUntil(lambda: page.shelf("result") is not None, timeout=10000)
    result = page.shelf("result")
    seed_title = _row(qtbot, window.tracks_page.model, 0)["title"]
    assert result.shelf.title.startswith("Similar to " + seed_title)
    assert result.rows and all(r.reason.text() for r in result.rows)
    # start a radio from the menu: it plays the seed, then the station
    view.selectRow(1)
    seed = window.tracks_page.model.ids[1]
    view.context_menu().actions()[[a.text() for a in view.context_menu().actions()].index(
        "Start radio")].trigger()  # fmt: skip
    qtbot.waitUntil(
        lambda: (
            page.shelf("result") is not None
            and page.shelf("result").shelf.title.startswith("Radio from")
        ),
        timeout=10000,
    )
    engine.advance(500)
    qtbot.waitUntil(lambda: window.bridge.playing_item is not None, timeout=5000)
    assert window.bridge.playing_item.track_id == seed
    queued = [i.track_id for i in window.bridge.controller.queue.items]
    shown = [r.item.track_id for r in page.shelf("result").rows]
    assert queued[1 : 1 + len(shown)] == shown
    # the now-playing bar offers a radio from the playing track
    assert window.now_playing.radio.isEnabled()
    with qtbot.waitSignal(page.updated, timeout=10000):
        window.now_playing.radio.click()


def test_save_shelf_as_playlist(qtbot, open_window, analysed_demo_db) -> None:
    from player.library.playlists import list_playlists, playlist_entries

    window, _engine, page = open_foryou(qtbot, open_window, analysed_demo_db)
    mix = page.shelf("mix")
    playlist_id = page.save(mix.shelf)
    assert playlist_id is not None
    entries = [e.track_id for e in playlist_entries(window.db, playlist_id)]
    assert entries == [i.track_id for i in mix.shelf.items]
    assert any(p.name.startswith("Today's mix") for p in list_playlists(window.db))


def test_analysis_runs_after_a_scan(qtbot, open_window, demo_db, demo_music) -> None:
    window, _engine, page = open_foryou(qtbot, open_window, demo_db)
    assert "analysed so far" in page.subtitle.text()  # tags only, to start with
    window.discovery.analysis.workers = 2
    with qtbot.waitSignal(window.discovery.analysis.finished, timeout=30000) as done:
        window.scan.start([str(demo_music)])  # nothing new, but a scan ends: analysis follows
        qtbot.waitUntil(lambda: window.discovery.analysis.running, timeout=10000)
        assert window.discovery.analysis.bar.isVisible()
    assert done.args[0].analysed == 12
    assert "Analysed 12 tracks" in window.discovery.analysis.label.text()
    qtbot.waitUntil(lambda: "analysed so far" not in page.subtitle.text(), timeout=10000)


def test_bpm_key_and_loudness_columns_after_analysis(qtbot, open_window, analysed_demo_db) -> None:
    from PySide6.QtCore import Qt

    from tests.ui.conftest import wait_loaded

    window, _engine = open_window(analysed_demo_db)
    page = window.tracks_page
    wait_loaded(qtbot, page.model)
    keys = [c.key for c in page.model.columns]
    for key in ("bpm", "key", "loudness"):
        assert page.view.horizontalHeader().isSectionHidden(keys.index(key))  # opt-in
    model = page.model
    qtbot.waitUntil(lambda: all(model.row(r).get("path") for r in range(model.rowCount())))
    assert not window.discovery.loudness.wanted  # a hidden column reads nothing at start-up
    page.view.horizontalHeader().showSection(keys.index("loudness"))
    model.data(model.index(0, keys.index("loudness")))  # a painted cell asks for the values
    qtbot.waitUntil(lambda: window.discovery.loudness.loaded, timeout=10000)
    texts = {
        key: [model.data(model.index(r, keys.index(key))) for r in range(model.rowCount())]
        for key in ("bpm", "key", "loudness")
    }
    assert all(texts["key"]) and sum(map(bool, texts["bpm"])) >= 8, texts  # ambient: no beat
    assert all(t.endswith("LUFS") for t in texts["loudness"]), texts
    # the column shows the measured loudness, even where a tag's gain says otherwise
    track_id = model.ids[0]
    measured = window.db.conn.execute(
        "SELECT a.loudness_lufs FROM analysis a JOIN tracks t ON a.path = t.path "
        "AND a.subtrack = t.subtrack WHERE t.id = ?",
        (track_id,),
    ).fetchone()[0]
    with window.db.transaction():  # a gain from another tool, 5 dB off the measurement
        window.db.conn.execute(
            "UPDATE tracks SET rg_track_gain = ? WHERE id = ?", (-18.0 - measured + 5.0, track_id)
        )
    with qtbot.waitSignal(window.discovery.loudness.changed, timeout=10000):
        window.discovery.loudness.reload()
    assert model.data(model.index(0, keys.index("loudness"))) == f"{measured:.1f} LUFS"
    page.view.horizontalHeader().setSortIndicator(
        keys.index("loudness"), Qt.SortOrder.AscendingOrder
    )
    wait_loaded(qtbot, model)
    assert model.rowCount() == 12


def test_a_playing_radio_extends_itself_and_hears_skips(
    qtbot, open_window, analysed_demo_db
) -> None:
    from player.audio.queue import QueueItem
    from player.library.search import fetch_rows
    from player.recommend.station import TOP_UP

    window, engine = open_window(analysed_demo_db)
    page = window.pages["foryou"]
    shelves = page.session.shelves
    model = window.tracks_page.model
    qtbot.waitUntil(lambda: not model.loading and model.rowCount() == 12)
    seed = model.ids[0]
    first = shelves.radio_items([seed], n=2)  # a short station, to watch it grow
    seed_row = fetch_rows(window.db, [seed])[0]
    queue = window.bridge.controller.queue
    with qtbot.waitSignal(page.radio.extended, timeout=10000) as grown:
        window.bridge.play_items([QueueItem.from_row(seed_row), *(QueueItem.from_row(i.row) for i in first)], 0)
        engine.advance(200)
    # the seed plays with two items after it: the station appends its next picks
    assert 0 < grown.args[0] <= TOP_UP
    queued = [it.track_id for it in queue.items]
    assert len(queued) == 3 + grown.args[0] and len(set(queued)) == len(queued)
    assert queued[:3] == [seed, *(i.track_id for i in first)]
    # skipping the seed a second in: the play history records a skip, the radio hears it
    engine.advance(1000)
    window.bridge.next()
    qtbot.waitUntil(lambda: window.bridge.playing_item.track_id == queued[1], timeout=5000)
    qtbot.waitUntil(
        lambda: any(e.skipped and e.track_id == seed for e in shelves.live.events), timeout=10000
    )
    # and finishing a pick pulls: played to its end
    engine.advance(10**7)
    qtbot.waitUntil(
        lambda: any(e.finished and e.track_id == queued[1] for e in shelves.live.events),
        timeout=10000,
    )


def test_smooth_order_reorders_todays_mix_and_is_remembered(
    qtbot, open_window, analysed_demo_db
) -> None:
    window, _engine, page = open_foryou(qtbot, open_window, analysed_demo_db)
    mix = page.shelf("mix")
    assert mix is not None and mix.smooth is not None and not mix.smooth.isChecked()
    assert page.shelf("radio").smooth is None  # only today's mix has the switch
    plain = [r.item.track_id for r in mix.rows]
    with qtbot.waitSignal(page.updated, timeout=10000):
        mix.smooth.click()
    _wait_page(qtbot, page)
    mix = page.shelf("mix")
    smooth = [r.item.track_id for r in mix.rows]
    assert mix.smooth.isChecked() and window.state.extra["smooth_mix"] is True
    assert sorted(smooth) == sorted(plain) and smooth != plain  # the same tracks, reordered
    rec = page.session.shelves.rec
    by_id = {r.track_id: r for r in rec.daily_mix(None, len(plain))}
    assert smooth == [r.track_id for r in rec.smooth([by_id[t] for t in plain])]
    with qtbot.waitSignal(page.updated, timeout=10000):
        mix.smooth.click()
    _wait_page(qtbot, page)
    assert [r.item.track_id for r in page.shelf("mix").rows] == plain
    assert window.state.extra["smooth_mix"] is False
