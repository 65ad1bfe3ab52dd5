"""The queue of decoded audio between the decoder thread and the device.

The decoder puts float32 blocks (frames x channels) tagged with the *take*
they belong to (one take = one item from one start position: a seek starts a
new take) and, when an item is fully decoded, an end mark. The device side
pulls exactly as many frames as the sound card asks for, across takes, so the
first frame of the next item follows the last frame of the current one with
nothing between them. It never blocks: what is not there is an underrun,
filled with silence and counted. Every pull records which take the frames
came from (:class:`Mark`), so the engine can tell what is being heard now.

The producer blocks while ``capacity`` frames are queued (the decoder runs
ahead of the device by at most that much).
"""

from __future__ import annotations

import collections
import threading
from dataclasses import dataclass, field

import numpy as np


@dataclass
class Take:
    """One item decoded from one start position."""

    serial: int
    rate: int
    payload: object = None  # what the engine keeps with it (the item, its gain)
    end_at: int | None = None  # its end mark was pulled: the output frame after its last
    pulled: int = 0  # frames of this take handed to the device


@dataclass(frozen=True)
class Mark:
    """From output frame ``at`` on, the device plays ``take`` from its frame ``offset``
    (``take`` None: silence)."""

    at: int
    take: Take | None
    offset: int = 0
    seq: int = 0  # its place among all marks (several can fall on one frame)


@dataclass
class _Block:
    take: Take
    data: np.ndarray | None  # None: the take's end mark
    offset: int = 0


@dataclass
class PcmQueue:
    """Thread-safe FIFO of takes' frames; see the module doc."""

    channels: int
    capacity: int  # frames the decoder may queue ahead
    _blocks: collections.deque[_Block] = field(default_factory=collections.deque)
    _queued: int = 0
    _cond: threading.Condition = field(default_factory=threading.Condition)
    _closed: bool = False
    _generation: int = 0  # bumped by flush(): a producer of an older generation stops
    out_frames: int = 0  # frames handed to the device since the queue was made
    underruns: int = 0  # device pulls that found too little audio while a take was on
    marks: collections.deque[Mark] = field(default_factory=lambda: collections.deque(maxlen=512))
    last_end_at: int = 0  # output frame after the last take that ended
    _current: Take | None = None
    _seq: int = 0

    # ---- the decoder's side ------------------------------------------------------------
    @property
    def generation(self) -> int:
        return self._generation

    def put(self, take: Take, data: np.ndarray, generation: int) -> bool:
        """Queue *data* for *take*; blocks while full. False: flushed or closed, stop."""
        with self._cond:
            while (
                self._queued >= self.capacity
                and not self._closed
                and generation == self._generation
            ):
                self._cond.wait(0.5)
            if self._closed or generation != self._generation:
                return False
            self._blocks.append(_Block(take, data))
            self._queued += len(data)
            self._cond.notify_all()
            return True

    def end(self, take: Take, generation: int) -> bool:
        """Mark the end of *take*: all its frames are queued."""
        with self._cond:
            if self._closed or generation != self._generation:
                return False
            self._blocks.append(_Block(take, None))
            self._cond.notify_all()
            return True

    def _mark(self, at: int, take: Take | None, offset: int = 0) -> None:
        self._seq += 1
        self.marks.append(Mark(at, take, offset, self._seq))

    # ---- the engine's side -------------------------------------------------------------
    def flush(self, keep: int = 0) -> int:
        """Drop what is queued (stop, seek, a new item) but the next *keep* frames of audio
        (what a fade-out is made of); returns the new generation."""
        with self._cond:
            kept: list[_Block] = []
            for block in self._blocks:
                if keep <= 0 or block.data is None:
                    break
                n = min(keep, len(block.data) - block.offset)
                kept.append(_Block(block.take, block.data[block.offset : block.offset + n]))
                keep -= n
            self._blocks = collections.deque(kept)
            self._queued = sum(len(b.data) for b in kept if b.data is not None)
            self._generation += 1
            if self._current is not None and not kept:
                self._current = None
                self._mark(self.out_frames, None)
            self._cond.notify_all()
            return self._generation

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    @property
    def current(self) -> Take | None:
        """The take the last pulled frame belongs to (None after its end)."""
        return self._current

    @property
    def queued(self) -> int:
        return self._queued

    def idle(self) -> bool:
        """Nothing queued and nothing playing: the last take's end mark was pulled."""
        with self._cond:
            return not self._blocks and self._current is None

    # ---- the device's side -------------------------------------------------------------
    def silence(self, frames: int) -> None:
        """The device plays *frames* of silence instead of queued audio (paused)."""
        with self._cond:
            if self._current is not None:
                self._current = None
                self._mark(self.out_frames, None)
            self.out_frames += frames

    def pull(
        self, frames: int, out: np.ndarray | None = None, *, pad: bool = True
    ) -> tuple[np.ndarray, int]:
        """Up to *frames* frames into *out*; returns (out, got). With *pad* (a device)
        the rest is silence and counts as played; without (a file) it is left out.

        Never waits. Silence after a take that is still being decoded counts as
        an underrun; silence after the last end mark does not.
        """
        if out is None:
            out = np.zeros((frames, self.channels), dtype=np.float32)
        got = 0
        with self._cond:
            while got < frames and self._blocks:
                block = self._blocks[0]
                if block.take is not self._current:
                    self._current = block.take
                    self._mark(self.out_frames + got, block.take, block.take.pulled)
                if block.data is None:  # end mark
                    self._blocks.popleft()
                    block.take.end_at = self.last_end_at = self.out_frames + got
                    self._current = None
                    self._mark(self.out_frames + got, None)
                    continue
                n = min(frames - got, len(block.data) - block.offset)
                out[got : got + n] = block.data[block.offset : block.offset + n]
                block.offset += n
                block.take.pulled += n
                got += n
                self._queued -= n
                if block.offset == len(block.data):
                    self._blocks.popleft()
            if got < frames and pad:
                out[got:] = 0.0
                if self._current is not None:
                    self.underruns += 1
            self.out_frames += frames if pad else got
            self._cond.notify_all()
        return out, got

    def wait_for(self, frames: int, timeout: float) -> bool:
        """For a file sink: wait until *frames* are queued or an end mark is (True), or not."""
        with self._cond:
            return self._cond.wait_for(
                lambda: (
                    self._closed
                    or self._queued >= frames
                    or any(b.data is None for b in self._blocks)
                ),
                timeout,
            )

    def marks_since(self, after_seq: int, until: int) -> list[Mark]:
        """The marks after mark number *after_seq* up to output frame *until*, in order."""
        found = []
        with self._cond:
            for mark in self.marks:
                if mark.at > until:
                    break
                if mark.seq > after_seq:
                    found.append(mark)
        return found

    def forget_before(self, out_frame: int) -> None:
        """Drop marks no longer needed: all before the last one at or before *out_frame*."""
        with self._cond:
            while len(self.marks) > 1 and self.marks[1].at <= out_frame:
                self.marks.popleft()

    def take_at(self, out_frame: int) -> tuple[Take | None, int]:
        """The take heard at output frame *out_frame*, and how many of its frames came before."""
        with self._cond:
            found: Mark | None = None
            for mark in self.marks:
                if mark.at <= out_frame:
                    found = mark
                else:
                    break
        if found is None or found.take is None:
            return None, 0
        return found.take, found.offset + out_frame - found.at
