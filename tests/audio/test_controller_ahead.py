"""What the controller gives the engine to play next: short items, an engine that
decodes ahead and asks, and queue edits after a preload (over in-memory engines)."""

from __future__ import annotations

from pathlib import Path

from player.audio.engine import EndReached, MediaItem
from player.audio.queue import QueueItem, RepeatMode, ShuffleMode
from tests.audio.controller_rig import SECOND, AheadEngine, Rig, files

SHORT_MS = (150, 400, 220, 310, 170, 380, 260, 190)


def preloaded_title(rig: Rig) -> str | None:
    item = rig.engine.preloaded
    return item.title if item is not None else None


# ---- the plain in-memory engine (it is given the next item near the end) --------------
def test_a_short_item_has_the_next_one_preloaded_as_it_starts(tmp_path: Path) -> None:
    items = files(tmp_path, "ab")
    rig = Rig(items, {items[0].location: 300})
    rig.ctl.play()
    rig.pump()  # no position tick yet: its known length is within the preload time
    assert preloaded_title(rig) == "b"


def test_removing_the_preloaded_next_item_preloads_and_plays_the_new_next(
    tmp_path: Path,
) -> None:
    items = files(tmp_path, "abc")
    rig = Rig(items, {it.location: 4 * SECOND for it in items})
    rig.ctl.play()
    rig.run(1500)
    assert preloaded_title(rig) == "b"
    rig.queue.remove([items[1].id])
    rig.pump()
    assert preloaded_title(rig) == "c"
    rig.run(3 * SECOND)
    assert rig.started() == ["a", "c"]
    assert [h.item.title for h in rig.queue.history] == ["a"]


def test_moving_an_item_before_the_preloaded_one_preloads_it(tmp_path: Path) -> None:
    items = files(tmp_path, "abc")
    rig = Rig(items, {it.location: 4 * SECOND for it in items})
    rig.ctl.play()
    rig.run(1500)
    rig.queue.move([items[2].id], 1)
    rig.pump()
    assert preloaded_title(rig) == "c"
    rig.run(7 * SECOND)
    assert rig.started() == ["a", "c", "b"]


def test_repeat_and_shuffle_changes_after_the_preload_are_followed(tmp_path: Path) -> None:
    items = files(tmp_path, "abcdef")
    rig = Rig(items, {it.location: 4 * SECOND for it in items}, shuffle_seed=3)
    rig.ctl.play()
    rig.run(1500)
    assert preloaded_title(rig) == "b"
    rig.queue.set_repeat(RepeatMode.ONE)
    rig.pump()
    assert preloaded_title(rig) == "a"
    rig.queue.set_repeat(RepeatMode.OFF)
    rig.queue.set_shuffle(ShuffleMode.TRACKS)
    rig.pump()
    following = rig.queue.play_order()[1]
    assert following.title != "b"  # (the seed draws another order)
    assert preloaded_title(rig) == following.title
    rig.run(3 * SECOND)
    assert rig.started() == ["a", following.title]


def test_an_item_added_when_the_end_is_near_is_preloaded(tmp_path: Path) -> None:
    items = files(tmp_path, "ab")
    rig = Rig(items[:1], {it.location: 2 * SECOND for it in items})
    rig.ctl.play()
    rig.run(500)
    assert rig.engine.preloaded is None  # nothing follows
    rig.queue.add(items[1:])
    rig.pump()
    assert preloaded_title(rig) == "b"


# ---- an engine that decodes ahead (as the output stage) and asks for the next ----------
def short_rig(tmp_path: Path) -> Rig:
    """A 2 s item, then eight of 150-400 ms, on an engine that decodes ahead."""
    items = files(tmp_path, ["long", *(f"s{n}" for n in range(len(SHORT_MS)))])
    lengths = {items[0].location: 2 * SECOND}
    lengths |= {it.location: ms for it, ms in zip(items[1:], SHORT_MS, strict=True)}
    return Rig(items, lengths, engine=AheadEngine)


def went_on(rig: Rig) -> list[str | None]:
    """For each end: the title of what the engine went on with by itself (None: it stopped)."""
    ends = [r for r in rig.reports if isinstance(r, EndReached)]
    return [e.next_item.title if e.next_item else None for e in ends]


def test_short_items_are_asked_for_and_played_through_without_a_load(tmp_path: Path) -> None:
    rig = short_rig(tmp_path)
    titles = [it.title for it in rig.queue.items]
    rig.ctl.play()
    rig.run(5 * SECOND, step=50)
    assert rig.started() == titles
    assert went_on(rig) == [*titles[1:], None]  # every join made by the engine itself
    assert [m.title for m in rig.engine.loads] == ["long"]
    assert rig.ended()
    assert [h.item.title for h in reversed(rig.queue.history)] == titles
    assert all(h.finished for h in rig.queue.history)


def test_an_owner_pumping_late_does_not_restart_what_already_plays(tmp_path: Path) -> None:
    rig = short_rig(tmp_path)
    titles = [it.title for it in rig.queue.items]
    rig.ctl.play()
    rig.run(5 * SECOND, step=700)  # several items end between two pumps
    assert rig.started() == titles
    assert went_on(rig) == [*titles[1:], None]
    assert [m.title for m in rig.engine.loads] == ["long"]


def test_removing_an_item_the_engine_already_has_plays_the_queues_next(tmp_path: Path) -> None:
    rig = short_rig(tmp_path)
    rig.ctl.play()
    rig.run(1200, step=50)
    ahead = [m.title for m in rig.engine.ahead]  # type: ignore[attr-defined]
    assert ahead[:3] == ["s0", "s1", "s2"]  # decoded ahead, long before they are heard
    removed = rig.queue.items[2]  # s1
    rig.queue.remove([removed.id])
    rig.run(5 * SECOND, step=50)
    titles = [it.title for it in rig.queue.items]
    assert rig.started() == titles and "s1" not in titles
    assert "s1" not in [h.item.title for h in rig.queue.history]
    # s0 went on to the stale s1 by itself; the queue's s2 was loaded in its place and the
    # rest followed by itself again
    assert [m.title for m in rig.engine.loads] == ["long", "s2"]
    assert rig.ended()


def test_a_seek_that_drops_what_was_decoded_ahead_is_answered_again(tmp_path: Path) -> None:
    rig = short_rig(tmp_path)
    titles = [it.title for it in rig.queue.items]
    rig.ctl.play()
    rig.run(1200, step=50)
    assert rig.engine.ahead  # type: ignore[attr-defined]
    rig.ctl.seek(300)
    rig.run(6 * SECOND, step=50)
    assert rig.started() == titles
    assert went_on(rig) == [*titles[1:], None]
    assert [m.title for m in rig.engine.loads] == ["long"]


def test_a_crossfade_is_asked_for_between_albums_not_within_one(tmp_path: Path) -> None:
    items = files(tmp_path, ["x"], album="X") + files(tmp_path, ["y1", "y2"], album="Y")
    items += files(tmp_path, ["z"], album="Z")
    rig = Rig(items, {it.location: 300 for it in items}, engine=AheadEngine)
    rig.ctl.play()
    rig.run(200, step=50)
    # each against the item it follows (y2 after y1, not after the current x)
    assert rig.engine.crossfades == [("y1", True), ("y2", False), ("z", True)]  # type: ignore[attr-defined]


class StreamEngine(AheadEngine):
    """Decodes ahead; a URL is a live stream (no length) until ``stream_ended``, then asks."""

    stream_ended = False

    def duration(self) -> int | None:
        if self._item is not None and self._item.is_url:
            return None
        return super().duration()

    @property
    def wants_next(self) -> MediaItem | None:
        if self._item is not None and self._item.is_url:
            return self._item if self.stream_ended else None
        return super().wants_next


def test_the_end_of_a_live_stream_is_left_to_the_watchdog(tmp_path: Path) -> None:
    station = QueueItem(location="http://radio.invalid/live", title="radio", live=True)
    rig = Rig([station, *files(tmp_path, "b")], engine=StreamEngine)
    rig.ctl.play()
    rig.run(1000)
    assert rig.started() == ["radio"]
    rig.engine.stream_ended = True  # type: ignore[attr-defined]
    rig.run(200)
    assert rig.engine.preloaded is None  # a reconnect may follow, not the next item
