"""Telling a sound device that went away from one that plays, and letting go of it.

PortAudio shows a lost device in one of two ways (seen through ALSA's pulse
plugin with the PulseAudio server behind the device killed, its sink unloaded,
or the server stopped):

* the device or its server is gone: the stream's thread fails at once, PortAudio
  calls the stream's finished callback, and the stream is no longer active (nor
  stopped); closing it returns at once;
* the server hangs: the stream stays active but its callback is no longer
  called, and closing or aborting it blocks until the server wakes up, which
  may be never.

:class:`Watchdog` finds the second kind from the worker's thread: the frames the
stream has pulled stop growing while it is active. :func:`let_go` closes a
stream on a thread of its own, so a hung server cannot hang the caller.
"""

from __future__ import annotations

import logging
import threading
from typing import Protocol

log = logging.getLogger(__name__)

#: a running stream that pulls nothing for this long (or three of its buffers, when
#: longer) has stalled: its buffer ran dry long before
STALL_S = 1.0
#: ... and the watchdog must have looked that many times meanwhile, so that a thread
#: starved of the GIL (the stream's as much as the watchdog's) is not taken for a stall
STALL_LOOKS = 10
#: how long :func:`let_go` waits for a close before it leaves it to its thread
CLOSE_WAIT_S = 0.2


class Stream(Protocol):
    """What the watchdog and :func:`let_go` need of a sink."""

    name: str
    rate: int
    latency_frames: int

    @property
    def active(self) -> bool: ...

    def close(self) -> None: ...


class Watchdog:
    """Finds a stream whose callback is no longer called while it runs."""

    def __init__(self, stall_s: float = STALL_S, looks: int = STALL_LOOKS) -> None:
        self.stall_s = stall_s
        self.looks = looks
        self._stream: Stream | None = None
        self._frames = -1
        self._since = 0.0
        self._looked = 0

    def check(self, stream: Stream | None, frames: int, now: float) -> float | None:
        """Seconds *stream* (running, having pulled *frames* in all) has pulled nothing,
        once that is a stall; None while it plays, is stopped or is another stream."""
        if stream is None or not stream.active:
            self._stream = None
            return None
        if stream is not self._stream or frames != self._frames:
            self._stream, self._frames, self._since, self._looked = stream, frames, now, 0
            return None
        self._looked += 1
        limit = max(self.stall_s, 3 * stream.latency_frames / stream.rate)
        stalled = now - self._since
        if stalled >= limit and self._looked >= self.looks:
            return stalled
        return None


def let_go(stream: Stream, wait_s: float = CLOSE_WAIT_S) -> bool:
    """Close *stream* on a thread of its own, waiting *wait_s* at most; False when the
    close still blocks (a hung sound server), to end whenever the server lets it."""
    closer = threading.Thread(target=stream.close, name="stage-close", daemon=True)
    closer.start()
    closer.join(wait_s)
    if closer.is_alive():
        log.warning("the sound device %s does not answer; closing it meanwhile", stream.name)
        return False
    return True


def lost_notice(name: str, why: str, again: bool) -> str:
    """What the listener is told when the device *name* stopped while playing (*again*:
    it was the default device, opened anew)."""
    where = "the system default device again" if again else "the system default device instead"
    return f"The output device {name!r} stopped ({why}); playing on {where}."
