"""How long the playing item has really been listened to.

The play history (and the recommender that learns from it) wants listened
time, not the final position: a seek forward is not listening. The tracker
adds up the small steps between position ticks and ignores jumps.
"""

from __future__ import annotations

from dataclasses import dataclass

from player.audio.queue import PlayOutcome, judge_play

#: position ticks further apart than this are a jump (a seek), not listening
MAX_TICK_GAP_MS = 5000


@dataclass
class ListenTracker:
    """Listening of one item, from load to the moment it stops being current."""

    started: bool = False  # the engine reached Playing for it
    listened_ms: int = 0
    last_pos: int = 0
    max_pos: int = 0
    duration_ms: int | None = None

    def tick(self, position_ms: int, duration_ms: int | None = None) -> None:
        """The item is at *position_ms*; a small step forward counts as listened."""
        if duration_ms:
            self.duration_ms = duration_ms
        delta = position_ms - self.last_pos
        if 0 < delta <= MAX_TICK_GAP_MS:
            self.listened_ms += delta
        self.last_pos = position_ms
        self.max_pos = max(self.max_pos, position_ms)

    def jumped(self, position_ms: int) -> None:
        """A seek: continue counting from *position_ms*."""
        self.last_pos = position_ms

    def reached_end(self, duration_ms: int | None) -> None:
        """The item played to its end (the last tick may have come a little before)."""
        if duration_ms:
            self.tick(duration_ms, duration_ms)

    def produced_audio(self, duration_ms: int | None) -> bool:
        """False when the item ended having neither a length nor any position."""
        return self.max_pos > 0 or bool(duration_ms or self.duration_ms)

    def outcome(self, item_duration_ms: int) -> PlayOutcome:
        return judge_play(self.listened_ms, item_duration_ms or self.duration_ms or 0)
