"""The sleep timer: at a chosen time the music fades out and pauses.

Plain Python on the owner's clock. The playback controller asks
:meth:`SleepTimer.level` on every pump and lowers the engine's volume by it
during the last :data:`FADE_S` seconds, so the music does not stop mid-phrase
at full volume; once :meth:`SleepTimer.due`, it pauses (a live stream stops)
and puts the volume back for the next play. The listener's volume setting is
never changed by the fade.

"Stop after this track" is the other way to end the night; it lives in the
play queue (:attr:`~player.audio.queue.PlayQueue.stop_after_current`).
"""

from __future__ import annotations

import time
from collections.abc import Callable

#: how long the music fades out before the timer pauses it (seconds)
FADE_S = 12.0
#: the choices offered in the window and the tray (minutes)
PRESETS_MIN = (15, 30, 45, 60, 90, 120)
#: the longest timer accepted (a day)
MAX_S = 24 * 3600.0


class SleepTimer:
    """When playback should pause, and how loud it should be until then."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, fade_s: float = FADE_S) -> None:
        self.clock = clock
        self.fade_s = fade_s
        self.deadline: float | None = None
        self.length_s = 0.0

    @property
    def active(self) -> bool:
        return self.deadline is not None

    def start(self, seconds: float) -> None:
        """Pause playback ``seconds`` from now (a new start replaces the old one)."""
        seconds = float(seconds)
        if not 0 < seconds <= MAX_S:
            raise ValueError(f"a sleep timer runs between 1 second and 24 hours, not {seconds} s")
        self.length_s = seconds
        self.deadline = self.clock() + seconds

    def cancel(self) -> None:
        self.deadline = None
        self.length_s = 0.0

    def remaining(self) -> float | None:
        """Seconds until the pause (0 once due), or None when no timer runs."""
        if self.deadline is None:
            return None
        return max(0.0, self.deadline - self.clock())

    def due(self) -> bool:
        left = self.remaining()
        return left is not None and left <= 0.0

    def level(self) -> float:
        """The share of the listener's volume to play at now: 1 until the fade, then down to 0.

        A timer shorter than three fades fades over its last third instead.
        """
        left = self.remaining()
        if left is None:
            return 1.0
        fade = min(self.fade_s, self.length_s / 3)
        if fade <= 0 or left >= fade:
            return 1.0 if left > 0 else 0.0
        return left / fade
