"""The play queue: editing, navigation, shuffle, repeat, history, persistence."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from player.audio.queue import (
    Action,
    Change,
    PlayQueue,
    QueueItem,
    RepeatMode,
    ShuffleMode,
    judge_play,
)
from player.errors import AppError
from player.library.store import LibraryDB
from player.library.track import TrackInfo


def make_items(n: int, album: str = "") -> list[QueueItem]:
    return [
        QueueItem(location=f"/music/{album or 'x'}/{i}.flac", title=f"{album}{i}", album_key=album)
        for i in range(n)
    ]


def titles(items: list[QueueItem]) -> list[str]:
    return [it.title for it in items]


def queue_of(n: int, seed: int = 1) -> PlayQueue:
    return PlayQueue(make_items(n), rng=random.Random(seed))


# ---- editing -----------------------------------------------------------------
def test_add_appends_and_same_track_twice_gets_distinct_ids() -> None:
    q = queue_of(2)
    twice = QueueItem(location="/a.flac", title="a")
    again = QueueItem(location="/a.flac", title="a")
    q.add([twice, again])
    assert titles(q.items) == ["0", "1", "a", "a"]
    assert twice.id != again.id


def test_play_next_inserts_after_current() -> None:
    q = queue_of(3)
    q.next()
    q.next()  # current = "1"
    q.play_next([QueueItem(location="/n.flac", title="n")])
    assert titles(q.items) == ["0", "1", "n", "2"]
    assert q.next().item.title == "n"


def test_play_next_without_current_goes_first() -> None:
    q = queue_of(2)
    q.play_next([QueueItem(location="/n.flac", title="n")])
    assert titles(q.items) == ["n", "0", "1"]


def test_remove_current_makes_following_current() -> None:
    q = queue_of(4)
    q.jump(q.items[1].id)
    q.remove([q.items[1].id, q.items[2].id])
    assert titles(q.items) == ["0", "3"]
    assert q.current.title == "3"


def test_remove_last_current_leaves_no_current() -> None:
    q = queue_of(2)
    q.jump(q.items[1].id)
    q.remove([q.items[1].id])
    assert q.current is None and titles(q.items) == ["0"]


@pytest.mark.parametrize(
    ("picked", "to", "expected"),
    [
        ([0], 3, ["1", "2", "0", "3", "4"]),
        ([3, 4], 0, ["3", "4", "0", "1", "2"]),
        ([1, 3], 5, ["0", "2", "4", "1", "3"]),
        ([4], 99, ["0", "1", "2", "3", "4"]),
    ],
)
def test_move(picked: list[int], to: int, expected: list[str]) -> None:
    q = queue_of(5)
    q.move([q.items[i].id for i in picked], to)
    assert titles(q.items) == expected


def test_move_keeps_current_item() -> None:
    q = queue_of(3)
    q.jump(q.items[0].id)
    q.move([q.items[0].id], 3)
    assert q.current.title == "0" and q.current_index == 2
    assert q.next().action is Action.STOP


def test_clear() -> None:
    q = queue_of(3)
    q.next()
    q.clear()
    assert len(q) == 0 and q.current is None
    assert q.next().action is Action.STOP


def test_jump_unknown_raises() -> None:
    with pytest.raises(KeyError):
        queue_of(1).jump("nope")


# ---- navigation ----------------------------------------------------------------
def test_next_walks_then_stops_at_end() -> None:
    q = queue_of(3)
    assert [q.next().item.title for _ in range(3)] == ["0", "1", "2"]
    step = q.next()
    assert step.action is Action.STOP and step.item is None
    assert q.current.title == "2"


def test_previous_restarts_after_three_seconds() -> None:
    q = queue_of(3)
    q.jump(q.items[1].id)
    q.position_ms = 5000
    step = q.previous(3001)
    assert step.action is Action.RESTART and step.item.title == "1"
    assert q.position_ms == 0
    step = q.previous(3000)
    assert step.action is Action.PLAY and step.item.title == "0"
    assert q.previous(0).action is Action.RESTART  # start of the queue


def test_previous_wraps_under_repeat_all() -> None:
    q = queue_of(3)
    q.set_repeat(RepeatMode.ALL)
    q.next()
    assert q.previous(0).item.title == "2"


def test_repeat_all_wraps_and_repeat_one_restarts() -> None:
    q = queue_of(2)
    q.set_repeat(RepeatMode.ALL)
    q.next()
    assert q.advance_on_end().item.title == "1"
    assert q.advance_on_end().item.title == "0"
    q.set_repeat(RepeatMode.ONE)
    step = q.advance_on_end()
    assert step.action is Action.RESTART and step.item.title == "0"
    assert q.next().item.title == "1"  # next always moves on, even under repeat one


def test_repeat_off_ends() -> None:
    q = queue_of(2)
    q.next()
    assert q.advance_on_end().item.title == "1"
    assert q.advance_on_end().action is Action.STOP


def test_stop_after_current_stops_once_and_advances() -> None:
    q = queue_of(3)
    q.next()
    q.set_stop_after_current(True)
    step = q.advance_on_end()
    assert step.action is Action.STOP and step.item.title == "1"
    assert q.current.title == "1" and not q.stop_after_current
    assert q.advance_on_end().action is Action.PLAY


def test_on_change_reports_kinds() -> None:
    seen: list[Change] = []
    q = PlayQueue(make_items(2), on_change=seen.append)
    q.next()
    q.add(make_items(1))
    q.set_repeat(RepeatMode.ALL)
    assert seen == [Change.CURRENT, Change.ITEMS, Change.MODES]


def test_failing_observer_does_not_break_queue() -> None:
    def boom(kind: Change) -> None:
        raise RuntimeError(kind)

    q = PlayQueue(make_items(2), on_change=boom)
    assert q.next().item.title == "0"


# ---- shuffle -------------------------------------------------------------------
@pytest.mark.parametrize("seed", range(8))
def test_shuffle_plays_each_item_once_per_cycle(seed: int) -> None:
    q = PlayQueue(make_items(7), rng=random.Random(seed))
    q.set_repeat(RepeatMode.ALL)
    q.set_shuffle(ShuffleMode.TRACKS)
    played = [q.next().item.id for _ in range(7 * 3)]
    ids = sorted(it.id for it in q.items)
    for cycle in range(3):
        assert sorted(played[cycle * 7 : cycle * 7 + 7]) == ids
    assert played[6] != played[7]  # no instant repeat across a cycle boundary


def test_shuffle_without_repeat_ends_after_one_cycle() -> None:
    q = queue_of(5, seed=3)
    q.set_shuffle(ShuffleMode.TRACKS)
    played = [q.advance_on_end() for _ in range(6)]
    assert len({s.item.id for s in played[:5]}) == 5
    assert played[5].action is Action.STOP


def test_shuffle_order_depends_on_seed() -> None:
    orders = set()
    for seed in range(5):
        q = queue_of(8, seed=seed)
        q.set_shuffle(ShuffleMode.TRACKS)
        orders.add(tuple(titles(q.play_order())))
    assert len(orders) > 1


def test_toggling_shuffle_keeps_current() -> None:
    q = queue_of(6, seed=2)
    q.jump(q.items[3].id)
    q.set_shuffle(ShuffleMode.TRACKS)
    assert q.current.title == "3" and q.play_order()[0].title == "3"
    q.next()
    now = q.current
    q.set_shuffle(ShuffleMode.OFF)
    assert q.current is now
    assert titles(q.play_order()) == titles(q.items)


def test_items_added_during_shuffle_play_in_this_cycle() -> None:
    q = queue_of(4, seed=5)
    q.set_shuffle(ShuffleMode.TRACKS)
    q.next()
    q.next()
    extra = make_items(3, album="new")
    q.add(extra)
    rest = []
    while (step := q.next()).action is Action.PLAY:
        rest.append(step.item.id)
    assert {it.id for it in extra} <= set(rest)
    assert len(rest) == 5  # 2 unplayed + 3 new, nothing twice


def test_play_next_and_jump_in_shuffle() -> None:
    q = queue_of(5, seed=4)
    q.set_shuffle(ShuffleMode.TRACKS)
    q.next()
    n = QueueItem(location="/n.flac", title="n")
    q.play_next([n])
    assert q.next().item is n
    target = q.items[-1] if q.items[-1].id != q.current.id else q.items[0]
    q.jump(target.id)
    assert q.current is target


@pytest.mark.parametrize("seed", range(6))
def test_album_shuffle_keeps_track_order_within_albums(seed: int) -> None:
    items = make_items(3, "A") + make_items(2, "B") + make_items(4, "C") + make_items(1, "")
    q = PlayQueue(items, rng=random.Random(seed))
    q.set_shuffle(ShuffleMode.ALBUMS)
    played = []
    while (step := q.next()).action is Action.PLAY:
        played.append(step.item)
    assert sorted(it.id for it in played) == sorted(it.id for it in items)
    keys = [it.album_key for it in played]
    # each album is one contiguous run, tracks in queue order
    runs = [k for i, k in enumerate(keys) if i == 0 or keys[i - 1] != k]
    assert sorted(runs) == ["", "A", "B", "C"]
    for album, size in (("A", 3), ("B", 2), ("C", 4)):
        assert titles([it for it in played if it.album_key == album]) == [
            f"{album}{i}" for i in range(size)
        ]


def test_album_shuffle_varies_album_order() -> None:
    starts = set()
    for seed in range(10):
        q = PlayQueue(
            make_items(2, "A") + make_items(2, "B") + make_items(2, "C"), rng=random.Random(seed)
        )
        q.set_shuffle(ShuffleMode.ALBUMS)
        starts.add(q.next().item.album_key)
    assert len(starts) > 1


def test_album_shuffle_add_does_not_split_albums() -> None:
    q = PlayQueue(make_items(3, "A") + make_items(3, "B"), rng=random.Random(7))
    q.set_shuffle(ShuffleMode.ALBUMS)
    q.next()
    q.add(make_items(2, "N"))
    keys = [it.album_key for it in q.play_order()]
    runs = [k for i, k in enumerate(keys) if i == 0 or keys[i - 1] != k]
    assert sorted(runs) == ["A", "B", "N"]


# ---- history -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("listened", "duration", "end", "finished", "skipped"),
    [
        (10_000, 200_000, False, False, True),  # left early
        (99_999, 200_000, False, False, True),  # just under half
        (100_000, 200_000, False, False, False),  # half: a real listen
        (198_500, 200_000, False, True, False),  # within 2 s of the end
        (5_000, 200_000, True, True, False),  # reached the end (seeked)
        (239_999, 1_200_000, False, False, True),  # long track: under 4 minutes
        (240_000, 1_200_000, False, False, False),  # long track: 4 minutes is enough
        (60_000, 0, False, False, True),  # unknown length: only the 4-minute rule
        (300_000, 0, False, False, False),
    ],
)
def test_judge_play(listened: int, duration: int, end: bool, finished: bool, skipped: bool) -> None:
    outcome = judge_play(listened, duration, reached_end=end)
    assert (outcome.finished, outcome.skipped) == (finished, skipped)


def test_record_writes_library_play_history(tmp_path: Path) -> None:
    db = LibraryDB(tmp_path / "lib.db")
    try:
        [tid] = db.upsert_tracks([TrackInfo(path="/m/a.flac", title="A", duration=200.0)])
        info = db.get_track(tid)
        item = QueueItem.from_track(info, tid)
        assert item.duration_ms == 200_000
        stream = QueueItem(location="http://radio.example/live")
        q = PlayQueue([item, stream], library=db)
        q.record(item, 20_000, played_at=1000.0)  # skipped by the rule
        q.record(item, 200_000, finished=True, skipped=False, played_at=2000.0)
        q.record(stream, 500_000)  # not a library track: memory only
        rows = db.conn.execute(
            "SELECT track_id, played_at, listened_ms, finished, skipped FROM plays ORDER BY id"
        ).fetchall()
        assert [tuple(r) for r in rows] == [
            (tid, 1000.0, 20_000, 0, 1),
            (tid, 2000.0, 200_000, 1, 0),
        ]
        counts = db.conn.execute(
            "SELECT play_count, skip_count, last_played FROM tracks WHERE id = ?", (tid,)
        ).fetchone()
        assert tuple(counts) == (1, 1, 2000.0)
        assert [h.item for h in q.history] == [stream, item, item]
        assert q.history[-1].skipped and not q.history[0].skipped
    finally:
        db.close()


def test_history_is_bounded() -> None:
    q = queue_of(1)
    for i in range(60):
        q.record(q.items[0], i)
    assert len(q.history) == 50 and q.history[0].listened_ms == 59


def test_from_track_uses_cue_range_and_album_key() -> None:
    info = TrackInfo(
        path="/m/disc.flac",
        title="t",
        album="Al",
        artists=["X"],
        duration=3000.0,
        subtrack=2,
        start_ms=60_000,
        end_ms=150_000,
    )
    item = QueueItem.from_track(info)
    assert (item.start_ms, item.end_ms, item.duration_ms) == (60_000, 150_000, 90_000)
    assert item.album_key == "X\x1fAl" and item.artist == "X"


# ---- persistence ----------------------------------------------------------------
def test_round_trip_restores_everything(tmp_path: Path) -> None:
    path = tmp_path / "q.json"
    q = PlayQueue(make_items(3, "A") + make_items(3, "B"), rng=random.Random(3))
    q.set_shuffle(ShuffleMode.ALBUMS)
    q.set_repeat(RepeatMode.ALL)
    q.next()
    q.next()
    q.set_stop_after_current(True)
    q.position_ms = 83_250
    q.save(path)
    r = PlayQueue.load(path)
    assert r.warning is None
    assert [it.id for it in r.items] == [it.id for it in q.items]
    assert r.items == q.items
    assert r.current == q.current and r.position_ms == 83_250
    assert (r.shuffle, r.repeat, r.stop_after_current) == (
        ShuffleMode.ALBUMS,
        RepeatMode.ALL,
        True,
    )
    assert [it.id for it in r.play_order()] == [it.id for it in q.play_order()]
    assert r.next().item == q.next().item


def test_save_uses_data_dir_by_default(kindred_home: Path) -> None:
    q = queue_of(2)
    q.next()
    written = q.save()
    assert written == kindred_home / "data" / "queue.json"
    assert PlayQueue.load().current.title == "0"
    assert not [p for p in written.parent.iterdir() if p.name != "queue.json"]  # no temp left


def test_missing_file_gives_empty_queue(tmp_path: Path) -> None:
    q = PlayQueue.load(tmp_path / "none.json")
    assert len(q) == 0 and q.current is None and q.warning is None


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        "[1, 2]",
        json.dumps({"version": 1, "items": [{"title": "no location"}]}),
        json.dumps({"version": 1, "items": [], "current": "ghost"}),
        json.dumps({"version": 1, "items": [], "repeat": "sometimes"}),
    ],
)
def test_corrupt_file_is_set_aside_with_a_warning(tmp_path: Path, content: str) -> None:
    path = tmp_path / "queue.json"
    path.write_text(content, encoding="utf-8")
    q = PlayQueue.load(path, rng=random.Random(1))
    assert len(q) == 0 and q.current is None
    assert isinstance(q.warning, AppError)
    assert "queue" in q.warning.short.lower() and str(path) in q.warning.detail
    assert not path.exists()
    assert (tmp_path / "queue.json.corrupt").read_text(encoding="utf-8") == content
    q.add(make_items(1))
    q.save(path)
    assert len(PlayQueue.load(path)) == 1


def test_position_is_reset_when_current_changes() -> None:
    q = queue_of(2)
    q.next()
    q.position_ms = 12_000
    q.next()
    assert q.position_ms == 0
