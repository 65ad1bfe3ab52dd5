"""Kindred's own output stage: an Engine that owns the sound device.

Three threads and one queue:

* the *feeder* (:mod:`.stage_feeder`) decodes the current item into the
  :class:`~.pcm.PcmQueue`, with its ReplayGain applied, and when the item's
  last frame is queued goes straight on with the preloaded item, so the next
  track's first sample follows the last one with nothing between them;
* the *device* (:mod:`.sinks`) pulls exactly what the sound card asks for and
  passes it through the equalizer and the volume (a ramp, never a step) in
  32-bit float; a file sink does the same into a WAV as fast as decoding goes;
* the *worker* turns what is heard (the queue's marks, minus the device's
  latency) into Engine events: playing, the end of an item, the move to the
  preloaded one, position ticks.

Pause, resume, stop and seek fade over :data:`FADE_S` so nothing clicks. The
device stream stays open while anything plays and closes once the end of the
queue has been heard (so nothing is cut off). Shared mode: the stream opens at
the first item's rate and every following item is converted to it.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np

from player.audio.engine import (
    TICK_INTERVAL_MS,
    EndReached,
    EngineError,
    Equalizer,
    MediaItem,
    MetadataChanged,
    PlaybackState,
    PositionChanged,
    clamp_volume,
    file_duration_ms,
    missing_file_error,
)
from player.audio.engine_state import EngineState
from player.audio.output.crossfade import Playing
from player.audio.output.devicewatch import Watchdog, let_go
from player.audio.output.dsp import EQ_PRESETS, EqualizerFilter, apply_gain, filters, gain_factor
from player.audio.output.pcm import PcmQueue, Take
from player.audio.output.sinks import (
    DeviceSink,
    FileSink,
    portaudio_error,
)
from player.audio.output.stage_device import ACTIVE as _ACTIVE
from player.audio.output.stage_device import CHANNELS, FADE_S, StageDevice
from player.audio.output.stage_feeder import StageFeeder
from player.errors import AppError

log = logging.getLogger(__name__)

#: how far the decoder may run ahead of the device (seconds of audio)
AHEAD_S = 2.0
#: how often the worker looks at what is heard (events come at most this late)
WORKER_S = 0.05
#: the device stream closes after this long with nothing to play
IDLE_CLOSE_S = 2.0


class StageEngine(StageFeeder, StageDevice, EngineState):
    """An Engine on PortAudio (``output="device"``) or rendering into a float WAV (a path)."""

    backend = "Kindred's output stage"

    def __init__(
        self,
        output: str | Path = "device",
        *,
        latency_s: float | None = None,
        bit_perfect: bool = False,
    ) -> None:
        super().__init__()
        self._file = None if str(output) == "device" else Path(output)
        #: the card gets each track's own samples at its own rate and format: no volume,
        #: ReplayGain or equalizer, and a stream opened anew when the format changes
        self.bit_perfect = bit_perfect and self._file is None
        #: seconds the end of an item and the start of the next overlap (0: gapless)
        self.crossfade_s = 0.0
        #: what the card takes: "auto" (ask it), "float", or integers "32", "24", "16"
        self.sample_format = "auto"
        if self._file is None:
            missing = portaudio_error()
            if missing is not None:
                raise missing
        self._latency_s = latency_s
        self._pcm = PcmQueue(CHANNELS, capacity=int(AHEAD_S * 48000))
        self._sink: DeviceSink | FileSink | None = None
        self._sink_lock = threading.Lock()
        self._eq = EqualizerFilter(44100, CHANNELS)
        self._eq_changed = False
        self._changed = False  # the last block the card got is not the source's own samples
        self._told: set[str] = set()  # notices about the output already given
        self._level = gain_factor(self._volume, self._muted, 0.0)
        self._silent = False  # paused or stopped: the card gets silence
        self._fade_frames = round(FADE_S * 44100)
        self._fade_in = 0  # frames of the current fade-in still to go
        self._fade_out = 0  # frames of the current fade-out still to go
        self._restart_out = 0  # output frame at which the card (re)started
        self._stamp = (0, 0.0)  # (output frame, when the card plays it) of the last buffer
        self._seen_mark = 0  # marks up to this one have been acted on
        self._feeding = False  # the feeder decodes (or is about to): the queue will grow
        self._starved_since: float | None = None
        self._serial = 0
        self._min_serial = 0
        self._prepared: tuple[MediaItem, float | None, bool] | None = None
        self._prepared_cond = threading.Condition(self._lock)
        self._wanting: tuple[int, MediaItem] | None = None  # (generation, item) the feeder ended
        self._generation = self._pcm.generation
        self._now: Take | None = None  # the take being heard (or about to be)
        self._seek_ms: int | None = None  # shown as the position until the new take is heard
        self._last_ms = 0
        self._continued: MediaItem | None = None
        self._pending_error: tuple[int, AppError] | None = None
        self._source_title: Any = None  # the live source whose titles are followed
        self._now_playing: str | None = None
        self._idle_since: float | None = None
        self._device_problem: str | None = None
        self._lost: tuple[DeviceSink, str] | None = None  # a stream that died, and why
        self._watchdog = Watchdog()
        self._recovered: tuple[DeviceSink | FileSink | None, float] = (None, 0.0)
        self._known_length: int | None = None
        self.first_frame_at: float | None = None  # when play()'s first frame reached the card
        self._closed = False
        #: set on every change the worker must look at; stopped, it waits for this
        self._wake = threading.Event()
        self._worker = threading.Thread(target=self._run, name="stage-worker", daemon=True)
        self._worker.start()

    # ---- the device's thread ------------------------------------------------------------
    def _render(self, frames: int, out: np.ndarray, pad: bool) -> int:
        """Fill *out* with the next *frames* frames of the signal; see the module doc.
        Returns the frames of queued audio used (a file writes only those)."""
        sink = self._sink
        if isinstance(sink, DeviceSink):
            self._stamp = (self._pcm.out_frames, sink.dac_time)
        self._changed = bool(self._fade_out or self._fade_in) or not self._unchanged(
            self._pcm.current
        )
        done = used = 0
        if self._fade_out:  # pause, stop, seek, skip: fall over FADE_S from where it is
            n = min(frames, self._fade_out)
            _, got = self._pcm.pull(n, out[:n], pad=pad)
            self._process(out[:got])
            start = self._fade_out / self._fade_frames
            out[:got] *= np.linspace(start, start - got / self._fade_frames, got,
                                     endpoint=False, dtype=np.float32)[:, None]  # fmt: skip
            self._fade_out = 0 if got < n else self._fade_out - n
            done, used = (n if pad else got), got
        rest = out[done:]
        if not len(rest):
            return used
        if self._silent:
            if pad:
                rest.fill(0.0)
                self._pcm.silence(len(rest))
            return used
        _, got = self._pcm.pull(len(rest), rest, pad=pad)
        if got and self.first_frame_at is None:
            self.first_frame_at = time.monotonic()
        block = rest[:got]
        self._changed = self._changed or not self._unchanged(self._pcm.current)
        self._process(block)
        if self._fade_in and got:  # after a seek or resume: rise over FADE_S, never a step
            n = min(got, self._fade_in)
            start = 1.0 - self._fade_in / self._fade_frames
            block[:n] *= np.linspace(start, start + n / self._fade_frames, n, endpoint=False,
                                     dtype=np.float32)[:, None]  # fmt: skip
            self._fade_in -= n
        return used + got

    def _process(self, block: np.ndarray) -> None:
        """Equalizer and volume, in place (neither when bit-perfect)."""
        if not len(block) or self.bit_perfect:
            return
        if self._eq_changed:
            self._eq_changed = False
            self._eq.set(self._equalizer)
        was_active = self._eq.active
        block[:] = self._eq.process(block)
        self._changed = self._changed or was_active or self._eq.active
        level = gain_factor(self._volume, self._muted, 0.0)
        if level != self._level:  # a volume change: a short ramp, never a step
            n = min(len(block), self._fade_frames // 4)
            block[:n] = apply_gain(block[:n], self._level, level)
            block[n:] *= np.float32(level)
            self._level = level
            self._changed = True
        elif level != 1.0:
            block *= np.float32(level)
            self._changed = True

    def _unchanged(self, take: Take | None) -> bool:
        """Whether a take's frames, as queued, are its source's samples on the card's
        integer grid (so they need no dither)."""
        if take is None:
            return True
        playing: Playing = take.payload  # type: ignore[assignment]
        sink = self._sink
        return playing.unchanged and sink is not None and playing.source.bits <= sink.bits

    def _block_changed(self) -> bool:
        """For the device: the last rendered block is not the source's own samples."""
        return self._changed

    # ---- the worker's thread ------------------------------------------------------------
    def _run(self) -> None:
        last_tick = 0.0
        while not self._closed:
            self._wake.clear()
            if self._resting():
                self._wake.wait()  # nothing playing and no stream open: no polling
                continue
            time.sleep(WORKER_S)
            with self._lock:
                try:
                    self._follow()
                except Exception:  # the engine must go on telling what it hears
                    log.exception("the output stage's worker")
                now = time.monotonic()
                if (
                    self._state == PlaybackState.PLAYING
                    and now - last_tick >= TICK_INTERVAL_MS / 1000
                ):
                    last_tick = now
                    self._events.put(PositionChanged(self.position(), self.duration()))
                self._housekeeping(now)

    def _resting(self) -> bool:
        """Nothing for the worker to follow: stopped (or ended, idle, failed) with no
        stream open and nothing pending."""
        with self._lock:
            return (
                self._state not in (*_ACTIVE, PlaybackState.PAUSED)
                and self._sink is None
                and self._pending_error is None
                and self._device_problem is None
                and self._lost is None
            )

    def _set_state(self, state: PlaybackState) -> None:
        super()._set_state(state)
        self._wake.set()

    def _heard_frame(self) -> int:
        """The output frame the listener hears now: from the card's own clock where it
        tells when the last buffer reaches it, else what was handed its latency ago."""
        sink = self._sink
        out = self._pcm.out_frames
        if isinstance(sink, DeviceSink) and sink.active:
            frame, dac_time = self._stamp
            if dac_time > 0 and frame >= self._restart_out:
                heard = frame + round((sink.clock() - dac_time) * sink.rate)
                return max(self._restart_out, min(out, heard))
        latency = sink.latency_frames if sink is not None else 0
        return out - min(latency, out - self._restart_out)

    def _follow(self) -> None:
        """Engine events for what the listener hears now."""
        if self._pending_error is not None:
            generation, error = self._pending_error
            self._pending_error = None
            if generation == self._generation:
                self._fail(error)
            return
        if self._state == PlaybackState.OPENING and self._now is None:
            handed = self._pcm.marks_since(-1, self._pcm.out_frames)
            if any(m.take is not None and m.take.serial >= self._min_serial for m in handed):
                self._set_state(PlaybackState.PLAYING)  # its first frames are at the card
        if self._state not in (*_ACTIVE, PlaybackState.PAUSED):
            return
        heard = self._heard_frame()
        for mark in self._pcm.marks_since(self._seen_mark, heard):
            self._seen_mark = mark.seq
            take, now = mark.take, self._now
            if take is None or take.serial < self._min_serial:
                continue
            if now is not None and take.serial <= now.serial:
                continue
            playing: Playing = take.payload  # type: ignore[assignment]
            if now is not None and playing.continued:
                self._move_on(now, take)
            self._now, self._seek_ms = take, None
            if self._state == PlaybackState.OPENING:
                self._set_state(PlaybackState.PLAYING)
            self._events.put(PositionChanged(self.position(), self.duration()))
        self._pcm.forget_before(min(heard, self._pcm.marks[-1].at if self._pcm.marks else 0))
        now = self._now
        if (
            now is not None
            and now.end_at is not None
            and heard >= now.end_at
            and self._pcm.idle()
            and not self._feeding
            and self._prepared is None
        ):
            self._finish(now)

    def _move_on(self, old: Take, new: Take) -> None:
        """The preloaded item is heard now: the end of the old one, the start of the new."""
        ended: Playing = old.payload  # type: ignore[assignment]
        playing: Playing = new.payload  # type: ignore[assignment]
        self._set_state(PlaybackState.ENDED)
        self._events.put(EndReached(ended.item, self._span_ms(ended), playing.item))
        self._item = self._continued = playing.item
        self._now_playing = None
        self._set_state(PlaybackState.OPENING)
        self._set_state(PlaybackState.PLAYING)

    def _finish(self, take: Take) -> None:
        """The last frame of the queue has been heard."""
        playing: Playing = take.payload  # type: ignore[assignment]
        self._last_ms = self._span_ms(playing) or self._last_ms
        self._now = None
        self._pcm.flush()  # and a feeder waiting for a preload gives up
        self._generation = self._pcm.generation
        self._set_state(PlaybackState.ENDED)
        self._events.put(EndReached(playing.item, self._span_ms(playing)))

    def _housekeeping(self, now: float) -> None:
        sink = self._sink
        if isinstance(sink, DeviceSink):  # a stream whose callback is no longer called
            stalled = self._watchdog.check(sink, self._pcm.out_frames, now)
            if stalled is not None and self._lost is None:
                self._lost = (sink, f"it took no audio for {stalled:.1f} s")
        if self._device_problem is not None or self._lost is not None:
            self._recover_device(now)
        source = self._source_title
        if source is not None and self._state in _ACTIVE and source.title != self._now_playing:
            self._now_playing = source.title
            self._events.put(MetadataChanged(source.title))
        idle = self._state not in (*_ACTIVE, PlaybackState.PAUSED)
        if not idle:
            self._idle_since = None
        elif self._idle_since is None:
            self._idle_since = now
        elif now - self._idle_since > IDLE_CLOSE_S and self._sink is not None:
            with self._sink_lock:
                if self._sink is not None:
                    let_go(self._sink)  # a hung sound server does not hang the worker
                    self._sink = None

    # ---- position ---------------------------------------------------------------------
    def _span_ms(self, playing: Playing) -> int | None:
        item = playing.item
        start = item.start_ms or 0
        end = playing.length_ms
        if item.end_ms is not None:
            end = item.end_ms if end is None else min(end, item.end_ms)
        return None if end is None else max(0, end - start)

    def position(self) -> int:
        with self._lock:
            if self._item is None:
                return 0
            if self._state == PlaybackState.ENDED and self._now is None:
                return self.duration() or self._last_ms
            if self._seek_ms is not None:
                return self._seek_ms
            if self._state == PlaybackState.PAUSED:
                return self._last_ms
            self._last_ms = self._position_at(self._heard_frame())
            return self._last_ms

    def _position_at(self, out_frame: int) -> int:
        """The current item's position at output frame *out_frame* (the last known one
        when that frame is silence or another item's)."""
        take, offset = self._pcm.take_at(out_frame)
        if take is None or take is not self._now:
            return self._last_ms
        playing: Playing = take.payload  # type: ignore[assignment]
        offset = min(offset, take.pulled)
        ms = playing.start_ms + offset * 1000 // take.rate - (playing.item.start_ms or 0)
        span = self._span_ms(playing)
        return max(0, ms if span is None else min(ms, span))

    def duration(self) -> int | None:
        with self._lock:
            now = self._now
            if now is not None:
                return self._span_ms(now.payload)  # type: ignore[arg-type]
            item = self._item
            if item is None:
                return None
            if item.end_ms is not None:
                return item.end_ms - (item.start_ms or 0)
            return self._known_length

    # ---- transport --------------------------------------------------------------------
    def load(self, item: MediaItem) -> None:
        with self._lock:
            if (
                item == self._continued
                and self._item == item
                and self._state
                in (
                    *_ACTIVE,
                    PlaybackState.PAUSED,
                )
            ):
                return  # already moved on to it when the previous item ended
            self._prepared = None
            self._quiet_and_flush()
            self._item, self._continued, self._now = item, None, None
            self._seek_ms, self._last_ms, self._now_playing = None, 0, None
            self._source_title = None
            self._known_length = file_duration_ms(item)
            self._set_state(PlaybackState.IDLE)

    def preload(
        self, item: MediaItem, gain_db: float | None = None, crossfade: bool = True
    ) -> None:
        """Decode *item* to follow the current one (with *gain_db*; crossfaded into it when
        a crossfade is set and *crossfade* allows, i.e. not within an album)."""
        with self._prepared_cond:
            self._prepared = (item, gain_db, crossfade)
            self._prepared_cond.notify_all()

    def play(self) -> None:
        with self._lock:
            item = self._item
            if item is None or self._state in _ACTIVE:
                return
            if self._state == PlaybackState.PAUSED:
                self.resume()
                return
            if not item.is_url and not Path(item.location.removeprefix("file://")).is_file():
                self._set_state(PlaybackState.OPENING)
                self._fail(missing_file_error(item))
                return
            self._now, self._seek_ms, self._last_ms = None, None, 0
            self._silent, self._fade_in = False, 0  # a track starts from silence: bit-exact
            self._level = gain_factor(self._volume, self._muted, 0.0)
            self.first_frame_at = None
            self._set_state(PlaybackState.OPENING)
            self._start_feeding(item, item.start_ms or 0, self._gain_db)

    def pause(self) -> None:
        with self._lock:
            if self._state == PlaybackState.PLAYING:
                self._fade_out, self._fade_in = self._fade_frames, 0
                self._silent = True
                # what the listener will have heard once the fade-out has played
                self._last_ms = self._position_at(self._pcm.out_frames + self._fade_frames)
                self._set_state(PlaybackState.PAUSED)

    def resume(self) -> None:
        with self._lock:
            if self._state == PlaybackState.PAUSED:
                self._fade_out = 0
                self._silent, self._fade_in = False, self._fade_frames
                self._set_state(PlaybackState.PLAYING)

    def stop(self) -> None:
        with self._lock:
            if self._state in (PlaybackState.IDLE, PlaybackState.STOPPED):
                return
            self._prepared = None
            self._quiet_and_flush()
            self._now, self._silent = None, True
            self._set_state(PlaybackState.STOPPED)

    def seek(self, ms: int) -> None:
        with self._lock:
            item = self._item
            if item is None or self._state not in (PlaybackState.PLAYING, PlaybackState.PAUSED):
                return
            end = self.duration()
            target = max(0, int(ms) if end is None else min(int(ms), end))
            if self._source_title is not None:
                return  # a live stream cannot seek
            self._quiet_and_flush()
            self._now, self._seek_ms = None, target
            self._fade_in = self._fade_frames
            playing_gain = self._gain_db
            self._start_feeding(item, (item.start_ms or 0) + target, playing_gain)

    def _quiet_and_flush(self) -> None:
        """Drop what is queued, but for a fade-out of what plays now."""
        playing = self._sink is not None and self._sink.active and not self._silent
        keep = self._fade_frames if playing and self._file is None else 0
        self._generation = self._pcm.flush(keep)
        self._fade_out = keep
        self._min_serial = self._serial + 1  # takes of before are no longer this engine's news

    # ---- sound --------------------------------------------------------------------------
    def set_volume(self, percent: int) -> None:
        self._volume = clamp_volume(percent)

    def set_muted(self, muted: bool) -> None:
        self._muted = bool(muted)

    def set_gain_db(self, db: float) -> None:
        self._gain_db = float(db)  # from the next item (or seek) on: the queue is decoded ahead

    def set_equalizer(self, eq: Equalizer | None) -> None:
        if eq is not None and not eq.is_flat:
            filters()  # imported here, not on the device's thread
        self._equalizer = eq
        self._eq_changed = True  # taken up by the device's thread, which owns the filter

    def equalizer_presets(self) -> dict[str, Equalizer]:
        return dict(EQ_PRESETS)

    # ---- events and life ------------------------------------------------------------------
    def _fail(self, error: AppError) -> None:
        self._set_state(PlaybackState.ERROR)
        self._events.put(EngineError(error, self._item))

    def wait_event(self, timeout: float | None = None):  # type: ignore[no-untyped-def]
        return self._events.wait(timeout)

    def close(self) -> None:
        if self._closed:
            return
        with self._lock:
            self._quiet_and_flush()
        self._closed = True
        self._wake.set()
        self._pcm.close()
        self._worker.join(timeout=2)
        with self._sink_lock:
            if self._sink is not None:
                self._sink.close()
                self._sink = None
