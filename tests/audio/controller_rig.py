"""A playback controller over the in-memory engine, for the controller tests."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from pathlib import Path

from player.audio.controller import PlaybackController
from player.audio.controller_events import ItemFailed, QueueEnded, Report, TrackStarted
from player.audio.engine import (
    TICK_INTERVAL_MS,
    EndReached,
    MediaItem,
    PlaybackState,
    PositionChanged,
)
from player.audio.fake_engine import FakeEngine
from player.audio.queue import PlayQueue, QueueItem
from player.config import AudioSettings
from player.library.store import LibraryDB

SECOND = 1000
#: how far ahead of what is heard the decoding-ahead engine gets (as the output stage)
AHEAD_MS = 2000


class AheadEngine(FakeEngine):
    """The in-memory engine, decoding ahead as the output stage does: every preloaded
    item is ready at once, after the current one; it asks for more (``wants_next``)
    while less than :data:`AHEAD_MS` is ready, goes on with the first of them by
    itself at an end (``EndReached.next_item``), and drops them on a seek or a load."""

    def __init__(self, duration_of: Callable[[MediaItem], int | None]) -> None:
        super().__init__(duration_of)
        self.ahead: list[MediaItem] = []
        self.loads: list[MediaItem] = []  # items the owner had to load (not gone on with)
        self.crossfades: list[tuple[str, bool]] = []  # (title, crossfade) of each preload
        self._went_on: MediaItem | None = None

    @property
    def wants_next(self) -> MediaItem | None:
        live = (PlaybackState.OPENING, PlaybackState.PLAYING, PlaybackState.PAUSED)
        if self._item is None or self._state not in live:
            return None
        ready = (self.duration() or 0) - self._pos
        ready += sum(self._duration_of(item) or 0 for item in self.ahead)
        return (self.ahead[-1] if self.ahead else self._item) if ready < AHEAD_MS else None

    def preload(self, item: MediaItem, crossfade: bool = True) -> None:
        super().preload(item)
        self.ahead.append(item)
        self.crossfades.append((item.title, crossfade))

    def load(self, item: MediaItem) -> None:
        live = (PlaybackState.OPENING, PlaybackState.PLAYING, PlaybackState.PAUSED)
        if item == self._went_on and item == self._item and self._state in live:
            return
        self.loads.append(item)
        self.ahead, self._went_on = [], None
        super().load(item)

    def stop(self) -> None:
        self.ahead = []
        super().stop()

    def seek(self, ms: int) -> None:
        self.ahead = []  # decoded from the old position on: dropped
        super().seek(ms)

    def advance(self, ms: int) -> None:
        remaining = int(ms)
        while remaining > 0 and self._state == PlaybackState.PLAYING:
            end = self.duration()  # None: a live stream, endless
            left = remaining if end is None else end - self._pos
            step = min(remaining, left, TICK_INTERVAL_MS - self._since_tick)
            remaining -= step
            self._pos += step
            self._since_tick += step
            if end is not None and self._pos >= end:
                self._events.put(PositionChanged(end, end))
                self._set_state(PlaybackState.ENDED)
                nxt = self.ahead.pop(0) if self.ahead else None
                assert self._item is not None
                self._events.put(EndReached(self._item, end, nxt))
                if nxt is None:
                    return
                self._item = self._went_on = nxt
                self._media_ms, self._pos, self._since_tick = self._duration_of(nxt), 0, 0
                self._set_state(PlaybackState.OPENING)
                self._set_state(PlaybackState.PLAYING)
            elif self._since_tick >= TICK_INTERVAL_MS:
                self._since_tick = 0
                self._events.put(PositionChanged(self._pos, end))


class Rig:
    """A controller over a FakeEngine whose items last ``lengths`` ms."""

    def __init__(
        self,
        items: list[QueueItem],
        lengths: dict[str, int] | None = None,
        *,
        settings: AudioSettings | None = None,
        library: LibraryDB | None = None,
        shuffle_seed: int = 3,
        engine: type[FakeEngine] = FakeEngine,
    ) -> None:
        self.lengths = lengths or {}
        self.engine = engine(lambda m: self.lengths.get(m.location, 10 * SECOND))
        self.queue = PlayQueue(items, rng=random.Random(shuffle_seed), library=library)
        self.settings = settings or AudioSettings(replaygain_mode="off")
        self.saved = 0
        self.ctl = PlaybackController(
            self.engine, self.queue, self.settings, on_settings_changed=self._saved
        )
        self.reports: list[Report] = []

    def _saved(self) -> None:
        self.saved += 1

    def pump(self) -> list[Report]:
        new = self.ctl.pump()
        self.reports.extend(new)
        return new

    def run(self, ms: int, step: int = 100) -> None:
        """Let *ms* of playback pass, pumping like an owner's timer would."""
        self.pump()
        for _ in range(0, ms, step):
            self.engine.advance(step)
            self.pump()

    def started(self) -> list[str]:
        return [r.item.title for r in self.reports if isinstance(r, TrackStarted)]

    def failed(self) -> list[str]:
        return [r.item.title for r in self.reports if isinstance(r, ItemFailed)]

    def ended(self) -> bool:
        return any(isinstance(r, QueueEnded) for r in self.reports)


def files(tmp_path: Path, names: Iterable[str], album: str = "") -> list[QueueItem]:
    """Queue items for existing (empty) files: the fake engine only checks they exist."""
    items = []
    for name in names:
        path = tmp_path / f"{name}.flac"
        path.touch()
        items.append(QueueItem(location=str(path), title=name, album_key=album))
    return items
