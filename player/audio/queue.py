"""The play queue: what plays, in which order, and what played.

Plain Python so the CLI, the tests and the window drive the same object. The
queue never touches the audio engine: every navigation method returns a
:class:`Step` saying what the caller should do (play an item, restart the
current one, or stop). A UI observes changes through the optional
``on_change`` callback.

Shuffle plays every item once before any repeats: a shuffled order is drawn
when shuffle is switched on (with the current item first, so it stays current)
and a fresh one is drawn when a cycle is exhausted under repeat-all. Album
shuffle draws albums in random order and keeps tracks in queue order within
each album. Randomness comes from an injectable :class:`random.Random`.
"""

from __future__ import annotations

import logging
import random
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field, fields
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from player.audio import queue_state
from player.config import write_json_atomic
from player.errors import AppError

if TYPE_CHECKING:
    from player.library.store import LibraryDB
    from player.library.track import TrackInfo

log = logging.getLogger(__name__)

#: previous() restarts the current track instead when more than this has played
RESTART_THRESHOLD_MS = 3000
#: a play counts as skipped when left before this share of the track played ...
SKIP_FRACTION = 0.5
#: ... and before this much had played (long tracks need not reach half-way)
SKIP_LIMIT_MS = 4 * 60 * 1000
#: a play that stops this close to the end counts as finished
FINISH_TOLERANCE_MS = 2000
RECENT_HISTORY = 50


class ShuffleMode(StrEnum):
    OFF = "off"
    TRACKS = "tracks"
    ALBUMS = "albums"


class RepeatMode(StrEnum):
    OFF = "off"
    ONE = "one"
    ALL = "all"


class Action(StrEnum):
    PLAY = "play"  # load and play Step.item from its start
    RESTART = "restart"  # seek the current item back to its start
    STOP = "stop"  # stop playback; Step.item (if any) is the new current item


class Change(StrEnum):
    """What changed, passed to ``on_change``."""

    ITEMS = "items"
    CURRENT = "current"
    MODES = "modes"


@dataclass
class QueueItem:
    """One entry of the queue; the same track may be queued twice (distinct ``id``)."""

    location: str  # file path or URL
    track_id: int | None = None
    title: str = ""
    artist: str = ""
    album: str = ""
    duration_ms: int = 0
    start_ms: int | None = None  # CUE range inside the file
    end_ms: int | None = None
    album_key: str = ""  # groups items for album shuffle; "" = an album of its own
    live: bool = False  # a radio station: its URL is a live stream (or its playlist)
    id: str = field(default_factory=lambda: uuid.uuid4().hex)

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> QueueItem:
        """An item for a library row (as :func:`player.library.search.fetch_rows` gives)."""
        start, end = row.get("start_ms"), row.get("end_ms")
        duration = round((row.get("duration") or 0) * 1000)
        if start is not None and end is not None:
            duration = end - start
        album = row.get("album") or ""
        artist = row.get("album_artist") or row.get("artist")
        return cls(
            location=row["path"],
            track_id=row["id"],
            title=row.get("title") or "",
            artist=row.get("artist") or "",
            album=album,
            duration_ms=max(0, duration),
            start_ms=start,
            end_ms=end,
            album_key=f"{artist}\x1f{album}" if album else "",
        )

    @classmethod
    def from_track(cls, info: TrackInfo, track_id: int | None = None) -> QueueItem:
        """An item for a library track (duration from its CUE range when it has one)."""
        duration = round(info.duration * 1000)
        if info.start_ms is not None and info.end_ms is not None:
            duration = info.end_ms - info.start_ms
        key = f"{info.album_artist}\x1f{info.album}" if info.album else ""
        return cls(
            location=info.path,
            track_id=track_id,
            title=info.title,
            artist=info.artist,
            album=info.album,
            duration_ms=max(0, duration),
            start_ms=info.start_ms,
            end_ms=info.end_ms,
            album_key=key,
        )


@dataclass(frozen=True)
class Step:
    """What the caller should do after a navigation call."""

    action: Action
    item: QueueItem | None = None


@dataclass(frozen=True)
class PlayOutcome:
    finished: bool
    skipped: bool


@dataclass(frozen=True)
class PlayRecord:
    """One entry of the in-memory recent history."""

    item: QueueItem
    listened_ms: int
    finished: bool
    skipped: bool
    played_at: float


def judge_play(listened_ms: int, duration_ms: int, reached_end: bool = False) -> PlayOutcome:
    """Decide whether a play finished or was skipped.

    Finished: the track reached its end, or stopped within 2 s of it.
    Skipped: not finished, and left before half of it (or 4 minutes, whichever
    comes first) had played. With an unknown duration only the 4-minute limit
    applies. Anything else (left late, not finished) is neither: a real listen.
    """
    finished = reached_end or (0 < duration_ms <= listened_ms + FINISH_TOLERANCE_MS)
    limit = min(duration_ms * SKIP_FRACTION, SKIP_LIMIT_MS) if duration_ms > 0 else SKIP_LIMIT_MS
    return PlayOutcome(finished, not finished and listened_ms < limit)


class PlayQueue:
    """Ordered items with a current one, shuffle, repeat and history."""

    def __init__(
        self,
        items: Iterable[QueueItem] = (),
        *,
        rng: random.Random | None = None,
        library: LibraryDB | None = None,
        on_change: Callable[[Change], None] | None = None,
    ) -> None:
        self._items: list[QueueItem] = list(items)
        self._current: str | None = None
        self._order: list[str] = []  # shuffled play order (item ids); empty when not shuffling
        self.rng = rng or random.Random()
        self.library = library
        self.on_change = on_change
        self.shuffle = ShuffleMode.OFF
        self.repeat = RepeatMode.OFF
        self.stop_after_current = False
        self.position_ms = 0  # position inside the current item, kept for resuming
        self.revision = 0  # counts the changes told to on_change (items, current, modes)
        self.warning: AppError | None = None  # set by load() when the file was unreadable
        self._recent: deque[PlayRecord] = deque(maxlen=RECENT_HISTORY)

    # ---- reading ---------------------------------------------------------
    @property
    def items(self) -> list[QueueItem]:
        """The items in queue (display) order; a copy."""
        return list(self._items)

    @property
    def current(self) -> QueueItem | None:
        return self._find(self._current) if self._current else None

    @property
    def current_index(self) -> int | None:
        """Index of the current item in :attr:`items`."""
        ids = [it.id for it in self._items]
        return ids.index(self._current) if self._current in ids else None

    def play_order(self) -> list[QueueItem]:
        """The items in the order they play (the shuffled cycle when shuffling)."""
        by_id = {it.id: it for it in self._items}
        return [by_id.get(i) for i in self._order_ids()]  # type: ignore[misc]

    def __len__(self) -> int:
        return len(self._items)

    # ---- editing ---------------------------------------------------------
    def add(self, items: Iterable[QueueItem]) -> None:
        """Append items to the end (in shuffle they land in the rest of this cycle)."""
        new = list(items)
        if not new:
            return
        self._items.extend(new)
        if self.shuffle is not ShuffleMode.OFF:
            self._insert_in_cycle(new)
        self._changed(Change.ITEMS)

    def play_next(self, items: Iterable[QueueItem]) -> None:
        """Insert items right after the current one (also in the shuffled order)."""
        new = list(items)
        if not new:
            return
        at = self.current_index
        where = 0 if at is None else at + 1
        self._items[where:where] = new
        if self.shuffle is not ShuffleMode.OFF:
            pos = self._order.index(self._current) + 1 if self._current else 0
            self._order[pos:pos] = [it.id for it in new]
        self._changed(Change.ITEMS)

    def retag(self, tags: Mapping[int, Mapping[str, str]], also: Iterable[QueueItem] = ()) -> int:
        """Show new title/artist/album for library tracks (their tags were edited).

        ``tags`` maps a track id to its new ``title``, ``artist``, ``album`` and
        ``album_artist``; every queued item of those tracks, and any item in
        ``also`` (the one loaded in the engine), is updated in place. Returns how
        many items changed.
        """
        changed = 0
        for item in {id(it): it for it in [*self._items, *also]}.values():
            new = tags.get(item.track_id) if item.track_id is not None else None
            if new is None:
                continue
            item.title = new.get("title", item.title)
            item.artist = new.get("artist", item.artist)
            item.album = new.get("album", item.album)
            if "album" in new:
                owner = new.get("album_artist", "")
                item.album_key = f"{owner}\x1f{item.album}" if item.album else ""
            changed += 1
        if changed:
            self._changed(Change.ITEMS)
        return changed

    def remove(self, item_ids: Iterable[str]) -> None:
        """Remove items; if the current one goes, the next remaining one becomes current."""
        gone = set(item_ids)
        if not gone:
            return
        current_changed = False
        if self._current in gone:
            order = self._order_ids()
            after = order[order.index(self._current) + 1 :]
            self._current = next((i for i in after if i not in gone), None)
            self.position_ms = 0
            current_changed = True
        self._items = [it for it in self._items if it.id not in gone]
        self._order = [i for i in self._order if i not in gone]
        self._changed(Change.ITEMS)
        if current_changed:
            self._changed(Change.CURRENT)

    def move(self, item_ids: Iterable[str], to_index: int) -> None:
        """Move items (kept in their relative order) to ``to_index`` of the list before the move.

        This is the drop-row convention of list views: dropping on row 5 puts
        the first moved item where row 5 was.
        """
        moving_ids = set(item_ids)
        to_index = max(0, min(to_index, len(self._items)))
        moving = [it for it in self._items if it.id in moving_ids]
        if not moving:
            return
        before = sum(1 for it in self._items[:to_index] if it.id in moving_ids)
        rest = [it for it in self._items if it.id not in moving_ids]
        at = to_index - before
        self._items = rest[:at] + moving + rest[at:]
        self._changed(Change.ITEMS)

    def clear(self) -> None:
        self._items.clear()
        self._order.clear()
        self._current = None
        self.position_ms = 0
        self._changed(Change.ITEMS)
        self._changed(Change.CURRENT)

    # ---- navigation ------------------------------------------------------
    def jump(self, item_id: str) -> Step:
        """Make an item current (a double-click); in shuffle it plays now, in this cycle."""
        if self._find(item_id) is None:
            raise KeyError(item_id)
        if self.shuffle is not ShuffleMode.OFF and item_id != self._current:
            self._order.remove(item_id)
            pos = self._order.index(self._current) + 1 if self._current else 0
            self._order.insert(pos, item_id)
        return self._go(item_id)

    def next(self) -> Step:
        """The listener pressed next: the following item (wraps only under repeat all)."""
        target = self._following()
        return self._go(target) if target else Step(Action.STOP)

    def previous(self, position_ms: int = 0) -> Step:
        """The listener pressed previous while ``position_ms`` into the current item.

        More than 3 s in, or at the start of the queue, it restarts the item.
        """
        if self._current is None:
            return self.next()
        if position_ms > RESTART_THRESHOLD_MS:
            return self._restart()
        order = self._order_ids()
        i = order.index(self._current)
        if i > 0:
            return self._go(order[i - 1])
        if self.repeat is RepeatMode.ALL and self.shuffle is ShuffleMode.OFF and len(order) > 1:
            return self._go(order[-1])
        return self._restart()

    def advance_on_end(self) -> Step:
        """The current item played to its end: decide what plays next.

        Stop-after-current wins (it is cleared, and the next item becomes current
        without playing); then repeat one; then the play order.
        """
        if self.stop_after_current:
            self.stop_after_current = False
            self._changed(Change.MODES)
            target = self._current if self.repeat is RepeatMode.ONE else self._following()
            if target and target != self._current:
                self._go(target)
            else:
                self.position_ms = 0
            return Step(Action.STOP, self.current)
        if self.repeat is RepeatMode.ONE and self._current:
            return self._restart()
        target = self._following()
        if target is None:
            self.position_ms = 0
            return Step(Action.STOP)
        return self._go(target)

    # ---- modes -----------------------------------------------------------
    def set_shuffle(self, mode: ShuffleMode) -> None:
        """Switch shuffle; the current item stays current and starts the new cycle.

        In album shuffle the current album leads; its tracks before the current
        one count as already played in this cycle. Moving items does not change
        an existing shuffled cycle.
        """
        mode = ShuffleMode(mode)
        self.shuffle = mode
        self._order = [] if mode is ShuffleMode.OFF else self._draw(first=self._current)
        self._changed(Change.MODES)

    def set_repeat(self, mode: RepeatMode) -> None:
        self.repeat = RepeatMode(mode)
        self._changed(Change.MODES)

    def set_stop_after_current(self, on: bool) -> None:
        self.stop_after_current = on
        self._changed(Change.MODES)

    # ---- history ---------------------------------------------------------
    def record(
        self,
        item: QueueItem,
        listened_ms: int,
        finished: bool | None = None,
        skipped: bool | None = None,
        *,
        played_at: float | None = None,
    ) -> PlayRecord:
        """Note that ``item`` played for ``listened_ms``.

        ``finished``/``skipped`` left as None are decided by :func:`judge_play`.
        The play goes into the recent history and, for library tracks, into the
        library's play history (which the recommender learns from).
        """
        judged = judge_play(listened_ms, item.duration_ms)
        entry = PlayRecord(
            item=item,
            listened_ms=max(0, int(listened_ms)),
            finished=judged.finished if finished is None else finished,
            skipped=judged.skipped if skipped is None else skipped,
            played_at=time.time() if played_at is None else played_at,
        )
        self._recent.appendleft(entry)
        if self.library is not None and item.track_id is not None:
            self.library.record_play(
                item.track_id,
                listened_ms=entry.listened_ms,
                finished=entry.finished,
                skipped=entry.skipped,
                played_at=entry.played_at,
            )
        return entry

    @property
    def history(self) -> list[PlayRecord]:
        """Recent plays, newest first (at most 50, this session only)."""
        return list(self._recent)

    # ---- persistence -----------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "version": queue_state.FORMAT_VERSION,
            "items": [asdict(it) for it in self._items],
            "current": self._current,
            "position_ms": int(self.position_ms),
            "shuffle": self.shuffle.value,
            "repeat": self.repeat.value,
            "stop_after_current": self.stop_after_current,
            "order": list(self._order),
        }

    def restore(self, data: dict[str, Any]) -> None:
        """Take the state of :meth:`to_dict`; raises ValueError/TypeError/KeyError if malformed."""
        names = {f.name for f in fields(QueueItem)}
        items = [QueueItem(**{k: v for k, v in raw.items() if k in names}) for raw in data["items"]]
        ids = [it.id for it in items]
        if len(set(ids)) != len(ids):
            raise ValueError("duplicate item ids")
        current = data.get("current")
        if current is not None and current not in ids:
            raise ValueError("the current item is not in the queue")
        self._items, self._current = items, current
        self.position_ms = max(0, int(data.get("position_ms", 0))) if current else 0
        self.repeat = RepeatMode(data.get("repeat", "off"))
        self.shuffle = ShuffleMode(data.get("shuffle", "off"))
        self.stop_after_current = bool(data.get("stop_after_current", False))
        order = [str(i) for i in data.get("order", [])]
        if self.shuffle is ShuffleMode.OFF:
            self._order = []
        elif sorted(order) == sorted(ids):
            self._order = order
        else:
            self._order = self._draw(first=current)
        self.revision += 1  # (an owner restoring is told by its own call, not on_change)

    def save(self, path: str | Path | None = None) -> Path:
        """Write the queue atomically (default: ``queue.json`` in the data directory)."""
        target = Path(path) if path else queue_state.default_queue_path()
        return write_json_atomic(target, self.to_dict())

    @classmethod
    def load(cls, path: str | Path | None = None, **kwargs: Any) -> PlayQueue:
        """The saved queue; empty when there is none, empty with :attr:`warning` when corrupt.

        ``kwargs`` are passed to the constructor (rng, library, on_change).
        """
        source = Path(path) if path else queue_state.default_queue_path()
        queue = cls(**kwargs)
        read = queue_state.read_state(source)
        queue.warning = read.warning
        if read.data is not None:
            try:
                queue.restore(read.data)
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                fresh = cls(**kwargs)
                fresh.warning = queue_state.set_aside(source, f"its content is malformed ({exc})")
                return fresh
        return queue

    # ---- internals -------------------------------------------------------
    def _find(self, item_id: str | None) -> QueueItem | None:
        return next((it for it in self._items if it.id == item_id), None)

    def _order_ids(self) -> list[str]:
        if self.shuffle is ShuffleMode.OFF:
            return [it.id for it in self._items]
        return self._order

    def _following(self) -> str | None:
        """The id after the current one in play order, starting a new cycle if repeating."""
        order = self._order_ids()
        if not order:
            return None
        if self._current is None:
            return order[0]
        i = order.index(self._current)
        if i + 1 < len(order):
            return order[i + 1]
        if self.repeat is not RepeatMode.ALL:
            return None
        if self.shuffle is not ShuffleMode.OFF:
            self._order = self._draw(avoid=self._current)
            return self._order[0]
        return order[0]

    def _go(self, item_id: str) -> Step:
        self._current = item_id
        self.position_ms = 0
        self._changed(Change.CURRENT)
        return Step(Action.PLAY, self._find(item_id))

    def _restart(self) -> Step:
        self.position_ms = 0
        return Step(Action.RESTART, self.current)

    def _groups(self, items: list[QueueItem]) -> list[list[str]]:
        """Item ids grouped by album (in queue order); items without a key stand alone."""
        groups: dict[str, list[str]] = {}
        for it in items:
            groups.setdefault(it.album_key or f"\x00{it.id}", []).append(it.id)
        return list(groups.values())

    def _draw(self, first: str | None = None, avoid: str | None = None) -> list[str]:
        """A new shuffled cycle; ``first`` leads it, ``avoid`` does not (no instant repeat)."""
        if self.shuffle is ShuffleMode.ALBUMS:
            groups = self._groups(self._items)
        else:
            groups = [[it.id] for it in self._items]
        self.rng.shuffle(groups)
        lead = first or None
        if lead is not None:
            groups.sort(key=lambda g: lead not in g)  # stable: only the lead's group moves
        elif avoid is not None and len(groups) > 1 and avoid in groups[0]:
            swap = self.rng.randrange(1, len(groups))
            groups[0], groups[swap] = groups[swap], groups[0]
        return [i for g in groups for i in g]

    def _insert_in_cycle(self, new: list[QueueItem]) -> None:
        """Put new items at random places in the not-yet-played part of the cycle."""
        start = self._order.index(self._current) + 1 if self._current else 0
        if self.shuffle is ShuffleMode.ALBUMS:
            keys = {it.id: it.album_key or it.id for it in self._items}
            for group in self._groups(new):
                cuts = [
                    j
                    for j in range(start, len(self._order) + 1)
                    if j in (0, len(self._order))
                    or keys[self._order[j - 1]] != keys[self._order[j]]
                ]
                j = self.rng.choice(cuts)
                self._order[j:j] = group
        else:
            for it in new:
                j = self.rng.randint(start, len(self._order))
                self._order.insert(j, it.id)

    def _changed(self, kind: Change) -> None:
        self.revision += 1
        if self.on_change is not None:
            try:
                self.on_change(kind)
            except Exception:  # an observer's bug must not break playback
                log.exception("queue on_change callback failed")
