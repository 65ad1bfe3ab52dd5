"""What the output stage's feeder queues with each item: the item as it plays, and the
crossfade between the end of one item and the start of the next.

Plain numpy, no device and no decoder here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from player.audio.engine import MediaItem
from player.audio.output.decoder import SourceFormat
from player.audio.output.pcm import Take


@dataclass
class Playing:
    """What a take carries: the item, where it starts, its source's format."""

    item: MediaItem
    start_ms: int  # media time of the take's first frame
    source: SourceFormat
    length_ms: int | None  # the item's whole media length
    continued: bool  # queued by the feeder after the previous item, not asked for
    #: its frames are the source's own samples (its rate, no gain, nothing mixed in)
    unchanged: bool = False


@dataclass
class Tail:
    """The end of an item, held back from the queue to be crossfaded into the next."""

    take: Take
    frames: np.ndarray
    released: bool = False  # queued after all (or its take ended under the next item)


class Crossfade:
    """Equal-power crossfade: the previous item's end falls on a cosine while the next
    item's start rises on a sine (their powers add up to one throughout)."""

    def __init__(self, fading: np.ndarray) -> None:
        self.fading = fading
        self.at = 0

    @property
    def done(self) -> bool:
        return self.at >= len(self.fading)

    def _angles(self, n: int) -> np.ndarray:
        return (self.at + np.arange(n)) * (np.pi / 2 / max(1, len(self.fading)))

    def mix(self, block: np.ndarray) -> np.ndarray:
        if self.done:
            return block
        n = min(len(block), len(self.fading) - self.at)
        angle = self._angles(n)
        out = block.copy()
        out[:n] = (block[:n] * np.sin(angle)[:, None]
                   + self.fading[self.at : self.at + n] * np.cos(angle)[:, None])  # fmt: skip
        self.at += n
        return out

    def rest(self) -> np.ndarray:
        """What is left of the fading end, alone (the next item ended first)."""
        n = len(self.fading) - self.at
        out = self.fading[self.at :] * np.cos(self._angles(n))[:, None]
        self.at = len(self.fading)
        return out.astype(np.float32)
