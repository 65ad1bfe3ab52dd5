"""When a listen counts as a scrobble (the rule both services publish).

A track is scrobbled when it is longer than 30 seconds and has been *listened
to* for half its length or for 4 minutes, whichever comes first. Listened time
is what was heard: the small steps between position ticks while playing. A
pause adds nothing, and neither does a seek forward (a jump between two ticks
is not listening); after a seek back, the part heard again counts again.

Internet radio has no length: each title the station announces (ICY) counts
once it played for 30 seconds.
"""

from __future__ import annotations

from dataclasses import dataclass

MIN_LENGTH_MS = 30_000
MAX_NEEDED_MS = 240_000
RADIO_MIN_MS = 30_000
#: position ticks further apart than this are a seek, not listening
MAX_TICK_GAP_MS = 5_000


@dataclass
class ScrobbleRule:
    """The listening of one track, from its start until it is left."""

    duration_ms: int
    started_at: float
    listened_ms: int = 0
    playing: bool = True
    _last_pos: int | None = None
    scrobbled: bool = False  # the listen was already queued (once per play)
    radio: bool = False  # a stream's title: no length, 30 s heard is enough

    def tick(self, position_ms: int) -> None:
        """The track is at *position_ms*; while playing, a small step forward is heard."""
        if self.playing and self._last_pos is not None:
            delta = position_ms - self._last_pos
            if 0 < delta <= MAX_TICK_GAP_MS:
                self.listened_ms += delta
        self._last_pos = position_ms if self.playing else None

    def pause(self) -> None:
        self.playing = False
        self._last_pos = None

    def resume(self, position_ms: int | None = None) -> None:
        self.playing = True
        self._last_pos = position_ms

    def seek(self, position_ms: int) -> None:
        """A jump: counting goes on from *position_ms*, the part skipped is not heard."""
        self._last_pos = position_ms if self.playing else None

    @property
    def eligible(self) -> bool:
        return self.radio or self.duration_ms > MIN_LENGTH_MS

    @property
    def needed_ms(self) -> int:
        if self.radio:
            return RADIO_MIN_MS
        return min(self.duration_ms // 2, MAX_NEEDED_MS)

    @property
    def due(self) -> bool:
        """Listened enough to scrobble, and not scrobbled yet."""
        return self.eligible and not self.scrobbled and self.listened_ms >= self.needed_ms


def radio_title(started_at: float, position_ms: int = 0) -> ScrobbleRule:
    """The rule for one announced title of a stream: no length, due after 30 s heard."""
    rule = ScrobbleRule(duration_ms=0, started_at=started_at, radio=True)
    rule.resume(position_ms)
    return rule
