"""A radio being played: it tops the queue up, steers by real playback, and "not this one" lasts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from player.audio.queue import PlayQueue, QueueItem
from player.library.store import LibraryDB
from player.recommend import feedback
from player.recommend.recommender import Recommender
from player.recommend.shelves import Shelves
from player.recommend.station import LOW_WATER, TOP_UP, Station
from player.recommend.taste import TrackHistory
from tests.recommend.conftest import style_of


@pytest.fixture
def db_path(styled_library: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "lib.db"
    shutil.copy(styled_library, copy)
    return copy


def _ids(db_path: Path) -> dict[str, int]:
    with LibraryDB(db_path) as db:
        return {Path(r["path"]).stem: r["id"] for r in db.tracks()}


def _item(track_id: int, path: str) -> QueueItem:
    return QueueItem(location=path, track_id=track_id, duration_ms=10_000)


def test_playing_through_a_radio_extends_the_queue(db_path: Path) -> None:
    ids = _ids(db_path)
    shelves = Shelves(db_path)
    first = shelves.radio_items([ids["tonal0"]], n=2)
    with LibraryDB(db_path) as db:
        seed_path = db.tracks("id = ?", [ids["tonal0"]])[0]["path"]
        queue = PlayQueue([_item(ids["tonal0"], seed_path)], library=db)
        queue.add([_item(i.track_id, i.row["path"]) for i in first])
        queue.jump(queue.items[0].id)
        top_ups = []
        for _ in range(8):  # play each track to its end, as the player does
            current = queue.current
            assert current is not None
            record = queue.record(current, 10_000)  # a finished play, in the play history
            assert shelves.hear(current.track_id, record.finished, record.skipped)
            order = [it.id for it in queue.play_order()]
            remaining = len(order) - order.index(current.id) - 1
            more = shelves.top_up(current.track_id, remaining)
            assert len(more) == (TOP_UP if remaining < LOW_WATER else 0)
            top_ups.append(len(more))
            queue.add([_item(i.track_id, i.row["path"]) for i in more])
            queue.next()
        plays = db.conn.execute("SELECT COUNT(*) FROM plays WHERE finished = 1").fetchone()[0]
    queued = [it.track_id for it in queue.items]
    assert top_ups.count(TOP_UP) == 2 and len(queued) == 3 + 2 * TOP_UP
    assert len(queued) == len(set(queued))  # never a repeat
    assert plays == 8
    assert shelves.live is not None and len(shelves.live.events) == 8  # every finish steers
    assert shelves.top_up(None, 0) == []  # nothing playing: no top-up
    outside = next(t for t in ids.values() if t not in queued)
    assert shelves.top_up(outside, 0) == [] and shelves.live is None  # something else: over
    shelves.close()


def test_a_skip_pushes_similar_tracks_away(db_path: Path) -> None:
    ids = _ids(db_path)
    seeds = [ids["noisy0"], ids["percussive0"]]
    with LibraryDB(db_path) as db:
        model = Recommender(db).model

        def style(track_id: int) -> str:
            return style_of(model.metas[model.row[track_id]].path)

        plain, steered = Station(list(seeds)), Station(list(seeds))
        first = [r.track_id for r in steered.next(model, 3)]
        assert first == [r.track_id for r in plain.next(model, 3)]
        styles = [style(t) for t in first]
        common = max(set(styles), key=styles.count)
        assert not steered.hear(first[0], finished=False, skipped=False)  # neither: says little
        assert not steered.hear(ids["tonal1"], finished=True, skipped=False)  # not its track
        for track_id in first:  # the listener skips the picks of the commonest style
            if style(track_id) == common:
                assert steered.hear(track_id, finished=False, skipped=True)
        later_plain = [style(r.track_id) for r in plain.next(model, 3)]
        later_steered = [style(r.track_id) for r in steered.next(model, 3)]
    # fewer of that style come next than on the same radio left alone
    assert later_steered.count(common) < later_plain.count(common), (later_plain, later_steered)


def test_not_this_one_lasts_across_a_restart(db_path: Path) -> None:
    ids = _ids(db_path)
    shelves = Shelves(db_path)
    before = [i.track_id for i in shelves.build(None).shelves[0].items]
    similar = [r.track_id for r in shelves.rec.similar(ids["tonal0"], 5)]
    gone = similar[0]
    shelves.feedback(gone, "dismiss")
    shelves.close()
    with LibraryDB(db_path) as db:  # a fresh start: nothing kept in memory
        rec = Recommender(db)
        assert rec.dismissed() == {gone}
        assert gone not in [r.track_id for r in rec.similar(ids["tonal0"], 17)]
        assert gone not in [r.track_id for r in rec.radio([ids["tonal0"]]).next(17)]
        assert gone not in [r.track_id for r in rec.daily_mix(n=17)]
    again = Shelves(db_path)
    page = again.build(None)
    assert all(gone not in [i.track_id for i in s.items] for s in page.shelves)
    assert before  # the mix had tracks to start with
    again.close()


def test_skips_and_dismissals_on_recommendations_push_without_touching_the_play_history(
    db_path: Path,
) -> None:
    ids = _ids(db_path)
    shelves = Shelves(db_path)
    skipped, hidden = ids["tonal0"], ids["percussive0"]
    with LibraryDB(db_path) as db:
        counts = "SELECT play_count, skip_count, last_played FROM tracks WHERE id = ?"
        before = {t: db.conn.execute(counts, (t,)).fetchone() for t in (skipped, hidden)}
        plays = db.conn.execute("SELECT COUNT(*) FROM plays").fetchone()[0]
    shelves.feedback(skipped, "skip")
    shelves.feedback(skipped, "skip")
    shelves.feedback(hidden, "dismiss")
    shelves.close()
    with LibraryDB(db_path) as db:
        assert db.conn.execute("SELECT COUNT(*) FROM plays").fetchone()[0] == plays
        assert {t: db.conn.execute(counts, (t,)).fetchone() for t in before} == before
        history = Recommender(db).history()
        assert history[skipped].early_skips == 2 and history[skipped].plays == 0
        assert history[hidden].early_skips == 1
        assert history[skipped].weight(0.0) < 0  # pushes the daily mix away
        feedback.restore(db, [hidden])  # "restore" takes the push back too
        assert Recommender(db).history().get(hidden, TrackHistory()).early_skips == 0
