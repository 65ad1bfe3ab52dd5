"""A radio playing when Kindred closes plays on after it starts again, steered as before."""

from __future__ import annotations

import json

from player.audio.engine import PlaybackState
from player.library.store import LibraryDB
from player.recommend.station import TOP_UP, Station
from player.recommend.station_state import default_station_path
from tests.ui.conftest import wait_loaded


def _copy(station: Station) -> Station:
    return Station(list(station.seeds), list(station.events), list(station.handed_out))


def _idle(qtbot, page) -> None:
    """Wait until the radio has handled the last track change (it shares the pool with slow
    work, such as comment look-ups that retry while the server is unreachable)."""
    qtbot.waitUntil(lambda: not page.radio._busy and not page.radio._again, timeout=30000)


def test_a_radio_survives_a_restart(qtbot, open_window, make_ctx, analysed_demo_db) -> None:
    from player.audio.queue import QueueItem
    from player.library.search import fetch_rows
    from player.recommend.recommender import Recommender

    window, engine = open_window(analysed_demo_db)
    page = window.pages["foryou"]
    shelves = page.session.shelves
    wait_loaded(qtbot, window.tracks_page.model)
    seed = window.tracks_page.model.ids[0]
    first = shelves.radio_items([seed], n=4)  # enough to need no top-up before the restart
    kept = default_station_path()
    assert json.loads(kept.read_text())["station"]["seeds"] == [seed]
    seed_row = fetch_rows(window.db, [seed])[0]
    window.bridge.play_items([QueueItem.from_row(seed_row), *(QueueItem.from_row(i.row) for i in first)], 0)
    engine.advance(200)
    queue = window.bridge.controller.queue
    _idle(qtbot, page)
    # a skip of the seed steers the radio, and is kept at once
    engine.advance(1000)
    window.bridge.next()
    qtbot.waitUntil(
        lambda: any(e.skipped and e.track_id == seed for e in shelves.live.events), timeout=10000
    )
    _idle(qtbot, page)
    before = _copy(shelves.live)
    queued = [it.track_id for it in queue.items]
    assert len(queued) == 5 and before.handed_out == queued[1:]
    playing = window.bridge.playing_item.track_id
    assert playing == queued[1]
    window.close()
    window.shutdown()
    assert Station.from_dict(json.loads(kept.read_text())["station"]) == before

    # Kindred starts again on the same home: the queue and the radio come back
    window2, engine2 = open_window(ctx=make_ctx())
    page2 = window2.pages["foryou"]
    shelves2 = page2.session.shelves
    assert shelves2 is not shelves
    assert window2.bridge.playing_item.track_id == playing
    assert shelves2.live == before  # seeds, picks and the skip, as they were
    assert shelves2._rec is None  # taking it up loaded no model
    queue2 = window2.bridge.controller.queue
    assert [it.track_id for it in queue2.items] == queued
    window2.bridge.play()
    qtbot.waitUntil(lambda: engine2.state == PlaybackState.PLAYING)
    _idle(qtbot, page2)
    assert len(queue2.items) == len(queued)  # three left after the one playing: enough
    # the restored track plays to its end (a finish steers), then near the end of the queue
    with qtbot.waitSignal(page2.radio.extended, timeout=30000) as grown:
        engine2.advance(10**7)  # two left after the next one: the radio tops up
    more = [it.track_id for it in queue2.items][len(queued) :]
    assert len(more) == grown.args[0] > 0
    assert not set(more) & set(queued)  # never a repeat of a pick from before the restart
    live = shelves2.live
    assert live is not None and live.handed_out == [*before.handed_out, *more]
    # steered by the skip from before the restart and the finishes since, in that order
    assert live.events[: len(before.events)] == before.events
    since = live.events[len(before.events) :]
    assert since[0].finished and since[0].track_id == playing
    with LibraryDB(window2.db_path) as db:
        rec = Recommender(db)
        steering = Station(list(before.seeds), list(live.events), list(before.handed_out))
        expected = [r.track_id for r in steering.next(rec.model, TOP_UP, exclude=rec.dismissed())]
    assert more == expected[: len(more)]
    # and the picks handed out since are kept too, for the next start
    assert Station.from_dict(json.loads(kept.read_text())["station"]).handed_out == live.handed_out
