"""The output stage's feeder: decoding items into the PCM queue, one after another.

The feeder thread decodes the current item (:mod:`.decoder`) with its ReplayGain
applied, and when the item's last frame is queued goes straight on with the
preloaded item, so the next track's first sample follows the last one with
nothing between them; with a crossfade set it holds each item's end back and
mixes it under the next one's start (:mod:`.crossfade`).

A part of :class:`~.stage.StageEngine` (which it is mixed into), kept apart so
that the stage's own file holds the device's and the worker's threads and the
transport.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from player.audio.engine import MediaItem, PlaybackError, missing_file_error
from player.audio.output.crossfade import Crossfade, Playing, Tail
from player.audio.output.decoder import open_source
from player.audio.output.pcm import PcmQueue, Take
from player.audio.output.sinks import DeviceSink, FileSink
from player.audio.output.stage_device import CHANNELS
from player.errors import AppError

log = logging.getLogger("player.audio.output.stage")

#: audio queued beyond the card's buffer before a stopped stream starts (PortAudio
#: fills that buffer at once), so decoding never trails the card
PREFILL_S = 0.1
#: a crossfade's held-back end is queued unmixed when less than this is left to play
TAIL_LOW_S = 0.5
#: how long a file render waits at the end of an item for the owner's preload
FILE_GRACE_S = 0.6


class StageFeeder:
    """The feeder thread of :class:`~.stage.StageEngine`."""

    # the stage's state this part works with (set in StageEngine.__init__)
    bit_perfect: bool
    crossfade_s: float
    _pcm: PcmQueue
    _sink: DeviceSink | FileSink | None
    _lock: threading.RLock
    _prepared: tuple[MediaItem, float | None, bool] | None
    _prepared_cond: threading.Condition
    _wanting: tuple[int, MediaItem] | None
    _generation: int
    _feeding: bool
    _closed: bool
    _serial: int
    _gain_db: float
    _pending_error: tuple[int, AppError] | None
    _source_title: Any
    _starved_since: float | None
    _wake: threading.Event
    _start_sink: Callable[[], None]
    _ensure_sink: Callable[..., int | None]

    def _start_feeding(self, item: MediaItem, start_ms: int, gain_db: float) -> None:
        self._generation = generation = self._pcm.flush()
        self._feeding = True
        threading.Thread(
            target=self._feed,
            args=(generation, item, start_ms, gain_db),
            name="stage-feeder",
            daemon=True,
        ).start()

    def _feed(self, generation: int, item: MediaItem, start_ms: int, gain_db: float) -> None:
        try:
            self._feed_queue(generation, item, start_ms, gain_db)
        finally:
            with self._lock:
                if generation == self._pcm.generation:
                    self._feeding = False

    def _feed_queue(self, generation: int, item: MediaItem, start_ms: int, gain_db: float) -> None:
        continued = False
        tail: Tail | None = None  # the last item's end, held back to be crossfaded
        while item is not None and generation == self._pcm.generation and not self._closed:
            try:
                tail = self._feed_item(generation, item, start_ms, gain_db, continued, tail)
            except AppError as exc:
                if continued:  # the owner will load it itself and hear why
                    log.info("could not go on with %s: %s", item.location, exc.short)
                    return
                with self._lock:
                    self._pending_error = (generation, exc)
                self._wake.set()
                return
            except Exception as exc:  # a decoder crash must not take the engine down
                log.exception("decoding %s failed", item.location)
                with self._lock:
                    self._pending_error = (
                        generation,
                        PlaybackError(f"Cannot play {item.title or item.location}", str(exc)),
                    )
                self._wake.set()
                return
            nxt = self._wait_for_prepared(generation, item, tail)
            if nxt is None:
                return
            item, gain, crossfade = nxt
            if tail is not None and (tail.released or not crossfade):
                self._release(tail, generation)  # same album: gapless, not crossfaded
                tail = None
            gain_db = self._gain_db if gain is None else gain
            start_ms, continued = item.start_ms or 0, True

    def _release(self, tail: Tail, generation: int) -> None:
        """Queue a held-back end as it is, and the end of its take."""
        if not tail.released:
            tail.released = True
            self._pcm.put(tail.take, tail.frames, generation)
            self._pcm.end(tail.take, generation)
            self._start_sink()

    def _feed_item(
        self,
        generation: int,
        item: MediaItem,
        start_ms: int,
        gain_db: float,
        continued: bool,
        mix: Tail | None = None,
    ) -> Tail | None:
        """Decode *item* into the queue. With a crossfade set, its last seconds are held
        back and returned (not queued) to be mixed into the next item's start; *mix* is
        such an end of the previous item, faded out under this one's start."""
        if not item.is_url and not Path(item.location.removeprefix("file://")).is_file():
            raise missing_file_error(item)
        source = open_source(item)
        try:
            fmt = source.format
            rate = self._ensure_sink(fmt.rate, fmt.bits, generation)
            if rate is None:
                return None  # stopped or moved while the last format played out
            if mix is not None:  # the previous item ends where this one's fade-in begins
                self._pcm.end(mix.take, generation)
                mix.released = True
            length = source.length_frames()
            factor = np.float32(1.0 if self.bit_perfect else 10 ** (gain_db / 20))
            hold = 0 if self.bit_perfect or source.live else round(self.crossfade_s * rate)
            self._serial += 1
            take = Take(
                self._serial,
                rate,
                Playing(
                    item,
                    start_ms,
                    fmt,
                    None if length is None else round(length * 1000 / fmt.rate),
                    continued,
                    unchanged=bool(fmt.bits)
                    and fmt.rate == rate
                    and factor == 1.0
                    and mix is None
                    and not hold,
                ),
            )
            if source.live is not None:
                self._source_title = source
            begin = round(start_ms * fmt.rate / 1000)
            end = None if item.end_ms is None else round(item.end_ms * fmt.rate / 1000)
            sink = self._sink
            prefill = round(PREFILL_S * rate) + (sink.latency_frames if sink is not None else 0)
            mixer = Crossfade(mix.frames) if mix is not None else None
            held: list[np.ndarray] = []
            held_frames = 0
            for block in source.frames(begin, end, rate=rate, channels=CHANNELS):
                if factor != 1.0:
                    block = block * factor
                if mixer is not None:
                    block = mixer.mix(block)
                ready = [block]
                if hold:  # keep the last `hold` frames back, queue what is older
                    held.append(block)
                    held_frames += len(block)
                    ready = []
                    while held and held_frames - len(held[0]) >= hold:
                        held_frames -= len(held[0])
                        ready.append(held.pop(0))
                for out in ready:
                    if not self._pcm.put(take, out, generation):
                        return None
                if self._pcm.queued >= prefill:
                    self._start_sink()
            if mixer is not None and not mixer.done:  # this item was shorter than the fade
                self._pcm.put(take, mixer.rest(), generation)
            if held:
                frames = np.concatenate(held)
                if len(frames) > hold:
                    self._pcm.put(take, frames[:-hold], generation)
                    frames = frames[-hold:]
                self._start_sink()
                return Tail(take, frames)
            self._pcm.end(take, generation)
            self._start_sink()
            return None
        finally:
            source.close()

    def _wait_for_prepared(
        self, generation: int, after: MediaItem, tail: Tail | None = None
    ) -> tuple[MediaItem, float | None, bool] | None:
        """The preloaded item to follow *after*, once the owner gives one (asked through
        :attr:`wants_next`); None when this generation is over. A held-back end is
        queued as it is once the card is about to run out of audio."""
        with self._prepared_cond:
            self._feeding = tail is not None and not tail.released
            self._wanting = (generation, after)
            while self._prepared is None or generation != self._pcm.generation:
                if generation != self._pcm.generation or self._closed:
                    return None  # (a preload given now is for the new generation's feeder)
                if tail is not None and not tail.released:
                    low = self._pcm.queued < round(TAIL_LOW_S * tail.take.rate)
                    if low:
                        self._release(tail, generation)
                        self._feeding = False
                self._prepared_cond.wait(0.02)
            nxt, self._prepared, self._wanting = self._prepared, None, None
            self._feeding = True  # under the lock: the end is not told while it decodes
            return nxt

    @property
    def wants_next(self) -> MediaItem | None:
        """The item whose last frame is queued with nothing preloaded after it: the feeder
        waits for the owner's preload, which may come before the item is even heard."""
        with self._lock:
            generation, item = self._wanting or (None, None)
            wanted = self._prepared is None and generation == self._pcm.generation
            return item if wanted and not self._closed else None

    def _pcm_ready(self, frames: int) -> bool:
        """For a file sink: a block's worth is queued, or the end of what will come.
        At the end of an item with nothing decoding after it, the owner gets a moment to
        preload the next one (it asks once it sees the position), so a file joins
        tracks as a card does."""
        if not self._pcm.wait_for(frames, 0.1):
            return False
        if self._pcm.queued >= frames or self._feeding or self._prepared is not None:
            self._starved_since = None
            return True
        now = time.monotonic()
        if self._starved_since is None:
            self._starved_since = now
        return now - self._starved_since > FILE_GRACE_S
