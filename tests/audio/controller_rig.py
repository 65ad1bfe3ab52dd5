"""A playback controller over the in-memory engine, for the controller tests."""

from __future__ import annotations

import random
from collections.abc import Iterable
from pathlib import Path

from player.audio.controller import PlaybackController
from player.audio.controller_events import ItemFailed, QueueEnded, Report, TrackStarted
from player.audio.fake_engine import FakeEngine
from player.audio.queue import PlayQueue, QueueItem
from player.config import AudioSettings
from player.library.store import LibraryDB

SECOND = 1000


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
    ) -> None:
        self.lengths = lengths or {}
        self.engine = FakeEngine(duration_of=lambda m: self.lengths.get(m.location, 10 * SECOND))
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
