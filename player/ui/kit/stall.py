"""A stall recorder: a fast QTimer that notes how late the event loop lets it run.

If the UI thread blocks (a slow query, a big layout), the timer fires late;
the gap between two ticks is how long the window was frozen. Each gap is also
split into the UI thread's own CPU time (:func:`time.thread_time`): a long gap
with little CPU means the thread was waiting (for the GIL, or for a core on a
busy machine), a long gap full of CPU means the UI thread itself did too much.
Tests and the startup benchmark use it to show the window stays responsive.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, Qt, QTimer

TICK_MS = 5


class StallRecorder(QObject):
    """``start()``, do things, ``stop()``; then read :attr:`max_gap_ms` and :attr:`stalls`."""

    def __init__(self, threshold_ms: float = 50.0, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.threshold_ms = threshold_ms
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.phase = ""  # a label for what is going on, kept with each stall
        self._reset()

    def _reset(self) -> None:
        self.gaps: list[float] = []  # every gap over the threshold (ms, wall clock)
        self.stalls: list[tuple[float, float, str]] = []  # (gap ms, UI-thread CPU ms, phase)
        self.max_gap_ms = 0.0
        self.max_busy_ms = 0.0  # the most CPU the UI thread spent between two ticks
        self.ticks = 0
        self._last: float | None = None
        self._last_cpu = 0.0

    def start(self) -> None:
        self._reset()
        self._last = time.perf_counter()
        self._last_cpu = time.thread_time()
        self.timer.start()

    def stop(self) -> float:
        """Stop recording; returns the longest gap (ms), counting the time since the last tick."""
        self._tick()
        self.timer.stop()
        self._last = None
        return self.max_gap_ms

    def _tick(self) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        if self._last is not None:
            gap = max(0.0, (now - self._last) * 1000 - TICK_MS)
            busy = (cpu - self._last_cpu) * 1000
            self.max_gap_ms = max(self.max_gap_ms, gap)
            self.max_busy_ms = max(self.max_busy_ms, busy)
            if gap > self.threshold_ms:
                self.gaps.append(gap)
                self.stalls.append((round(gap, 1), round(busy, 1), self.phase))
        self._last, self._last_cpu = now, cpu
        self.ticks += 1

    def summary(self) -> dict[str, object]:
        return {
            "ticks": self.ticks,
            "max_gap_ms": round(self.max_gap_ms, 1),
            "max_busy_ms": round(self.max_busy_ms, 1),
            "stalls_over_threshold": len(self.gaps),
        }
