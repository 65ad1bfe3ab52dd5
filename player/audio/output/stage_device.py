"""The output stage's side of the sound card: opening streams as
:mod:`.formats` plans them, moving to the default device when a card goes
away, and telling what the card gets.

A part of :class:`~.stage.StageEngine` (which it is mixed into), kept apart
so that the stage's own file holds its threads and the transport.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from player.audio.engine import DeviceChanged, Equalizer, EventQueue, OutputDevice, PlaybackState
from player.audio.output.decoder import SourceFormat
from player.audio.output.devicewatch import let_go, lost_notice
from player.audio.output.dsp import EqualizerFilter
from player.audio.output.formats import Plan, describe_path, exclusive_settings, plan_output
from player.audio.output.pcm import PcmQueue, Take
from player.audio.output.sinks import DeviceSink, FileSink, device_index, device_list
from player.errors import AppError, SoundDeviceError

log = logging.getLogger(__name__)

#: the fade of pause, resume, stop, seek and a skip
FADE_S = 0.1
#: how much longer than its queue a card may take to play out before a reopen
DRAIN_MARGIN_S = 1.0
#: a default device lost this soon after the stage moved to it is not tried again
RETRY_S = 2.0
CHANNELS = 2
ACTIVE = (PlaybackState.OPENING, PlaybackState.BUFFERING, PlaybackState.PLAYING)


class StageDevice:
    """Streams, devices and what the card gets, for :class:`~.stage.StageEngine`."""

    # the stage's state this part works with (set in StageEngine.__init__)
    bit_perfect: bool
    sample_format: str
    _file: Path | None
    _latency_s: float | None
    _pcm: PcmQueue
    _sink: DeviceSink | FileSink | None
    _sink_lock: threading.Lock
    _eq: EqualizerFilter
    _equalizer: Equalizer | None
    _events: EventQueue
    _fade_frames: int
    _fade_in: int
    _silent: bool
    _restart_out: int
    _told: set[str]
    _device: str | None
    _device_problem: str | None
    _lost: tuple[DeviceSink, str] | None
    _wake: threading.Event
    _recovered: tuple[DeviceSink | FileSink | None, float]
    _now: Take | None
    _gain_db: float
    _state: PlaybackState
    _render: Callable[[int, np.ndarray, bool], int]
    _block_changed: Callable[[], bool]
    _pcm_ready: Callable[[int], bool]
    _heard_frame: Callable[[], int]
    _fail: Callable[[AppError], None]

    def _ensure_sink(self, rate: int, bits: int = 0, generation: int | None = None) -> int | None:
        """The rate of the stream a track of *rate* and integer depth *bits* (0: lossy)
        plays on; opens one when none is playing. Bit-perfect: a stream opened for
        another rate or depth is closed once everything handed to it has been heard,
        and one for this track opens (None: the wait was ended by a stop or a seek)."""
        sink = self._sink
        wanted = (rate, bits if self.bit_perfect else 0)
        if sink is not None and sink.wanted == wanted:
            return sink.rate
        if sink is not None and sink.active and not self.bit_perfect:
            return sink.rate  # shared: every track is converted to the open stream
        if sink is not None and sink.active:
            # what is queued and in the card's buffer plays out first; a stream that dies
            # or is replaced meanwhile (or a clock that stops) must not keep this waiting
            left_s = (self._pcm.queued + sink.latency_frames) / sink.rate
            deadline = time.monotonic() + left_s + DRAIN_MARGIN_S
            while not self._pcm.idle() or self._heard_frame() < self._pcm.last_end_at:
                if generation is not None and generation != self._pcm.generation:
                    return None
                if self._sink is not sink or not sink.active or time.monotonic() > deadline:
                    log.warning("the card did not play out its last track in time; reopening")
                    break
                time.sleep(0.005)
        with self._sink_lock:
            if self._sink is not None:
                self._sink.close()
            self._sink = sink = self._open_sink(*wanted)
            self._eq = EqualizerFilter(sink.rate, CHANNELS)
            self._eq.set(self._equalizer)
            self._fade_frames = round(FADE_S * sink.rate)
            return sink.rate

    def _start_sink(self) -> None:
        with self._sink_lock:
            if self._sink is not None and not self._sink.active:
                self._restart_out = self._pcm.out_frames
                self._sink.start()

    def _open_sink(self, rate: int, bits: int = 0) -> DeviceSink | FileSink:
        """A stream for a track of *rate* and depth *bits*, planned by
        :func:`~.formats.plan_output` (bit-perfect where asked and possible)."""
        if self._file is not None:
            sink: DeviceSink | FileSink = FileSink(
                self._file, self._render, rate, CHANNELS, self._pcm_ready
            )
        else:
            try:
                sink = self._device_sink(self._device, rate, bits)
            except Exception as exc:
                if self._device is None:
                    raise SoundDeviceError("Cannot open the sound device", str(exc)) from exc
                chosen, self._device = self._device, None
                self._device_problem = f"{chosen}: {exc}"
                sink = self._device_sink(None, rate, bits)
        sink.wanted = (rate, bits)
        return sink

    def _device_sink(self, device: str | None, rate: int, bits: int) -> DeviceSink:
        plan = plan_output(
            device,
            device_index(device),
            rate,
            bits,
            bit_perfect=self.bit_perfect,
            sample_format=self.sample_format,
        )
        try:
            sink = self._sink_for(plan)
        except Exception as exc:
            if not plan.exact:
                raise
            # refused on opening (busy, or exclusive mode denied): shared, and say why
            shared = plan_output(
                device, device_index(device), rate, 0, bit_perfect=False,
                sample_format=self.sample_format,
            )  # fmt: skip
            why = f"{device or 'the default device'} cannot be opened for bit-perfect output"
            plan = Plan(
                shared.device, shared.rate, shared.bits, False,
                notice=f"{why} ({exc}): playing shared (not bit-perfect)",
            )  # fmt: skip
            sink = self._sink_for(plan)
        if plan.notice and plan.notice not in self._told:
            self._told.add(plan.notice)
            self._events.put(DeviceChanged(plan.device, plan.notice))
        return sink

    def _sink_for(self, plan: Plan) -> DeviceSink:
        kwargs: dict[str, Any] = {}
        if self._latency_s is not None:
            kwargs["latency_s"] = self._latency_s
        return DeviceSink(
            self._render, plan.rate, CHANNELS, plan.device, self._lost_device,
            bits=plan.bits, exact=plan.exact, exclusive=plan.exclusive,
            extra_settings=exclusive_settings(device_index(plan.device)) if plan.exclusive else None,
            changed=self._block_changed, **kwargs,
        )  # fmt: skip

    def _lost_device(self, why: str) -> None:
        """PortAudio's thread: the stream ended by itself (its device is gone)."""
        sink = self._sink
        if isinstance(sink, DeviceSink) and self._lost is None:
            self._lost = (sink, "unplugged, switched off or its sound server gone")
            self._wake.set()
        log.info("%s", why)

    def _recover_device(self, now: float) -> None:
        """The chosen device could not open (the stream plays on the default: tell why),
        or the stream died (unplugged, a hung server): let go of it and go on on the
        system default device from what was queued, the dead card's buffer lost."""
        problem, self._device_problem = self._device_problem, None
        if problem is not None:
            log.info("sound device problem: %s", problem)
            self._events.put(
                DeviceChanged(
                    None,
                    f"The output device could not be opened ({problem}); "
                    "playing on the system default device instead.",
                )
            )
        lost, self._lost = self._lost, None
        if lost is None:
            return
        dead, why = lost
        with self._sink_lock:
            if dead is not self._sink:
                return  # already closed or replaced
            self._sink = None
        let_go(dead)
        name = dead.device_id or dead.name
        log.warning("the sound device %s stopped: %s", name, why)
        if dead.device_id is not None and self._device == dead.device_id:
            self._device = None
        if self._state not in (*ACTIVE, PlaybackState.PAUSED):
            if dead.device_id is not None:
                self._events.put(DeviceChanged(None, lost_notice(name, why, again=False)))
            return
        try:
            if dead is self._recovered[0] and now - self._recovered[1] < RETRY_S:
                raise AppError("The sound device stopped", f"{name} stopped again: {why}")
            self._ensure_sink(*dead.wanted)  # the queue is at the rate that stream was opened for
            self._fade_in = 0 if self._silent else self._fade_frames  # no click where it resumes
            self._start_sink()
        except Exception as exc:  # no device left to play on
            self._fail(exc if isinstance(exc, AppError) else AppError("Cannot play", str(exc)))
            return
        self._recovered = (self._sink, now)
        self._events.put(DeviceChanged(None, lost_notice(name, why, dead.device_id is None)))

    def output_devices(self) -> list[OutputDevice]:
        if self._file is not None:
            return []
        try:
            return device_list()
        except Exception:  # PortAudio could not enumerate: the default stands
            return []

    def set_output_device(self, device_id: str | None) -> None:
        known = {d.id for d in self.output_devices()}
        if device_id is not None and device_id not in known:
            self._device = None
            self._events.put(
                DeviceChanged(
                    None,
                    (
                        f"The output device {device_id!r} is not available (unplugged or renamed); "
                        "playing on the system default device instead."
                    ),
                )
            )
            return
        self._device = device_id
        with self._sink_lock:
            sink = self._sink
            if sink is not None and self._file is None:
                playing = sink.active
                sink.close()
                self._sink = self._open_sink(*sink.wanted)
                if playing:
                    self._sink.start()
        self._events.put(DeviceChanged(device_id))

    def describe_output(self) -> str:
        """What the device gets, for people: "bit-perfect · 24/96 → hw:1,0 exclusive", or
        "shared · 44.1 → 48 kHz → hw:0,0 · 16-bit · dither · RG −6.2 dB · EQ" ("" with
        no stream open)."""
        sink = self._sink
        if sink is None or isinstance(sink, FileSink):
            return ""
        now = self._now
        source: SourceFormat | None = now.payload.source if now is not None else None  # type: ignore[union-attr]
        parts = [
            describe_path(
                exact=sink.exact, bits=sink.bits, rate=sink.rate,
                source_rate=source.rate if source else None, name=sink.name,
                exclusive=sink.exclusive, dither=sink.dithered,
            )
        ]  # fmt: skip
        if sink.exact:
            return parts[0]
        if self._gain_db and not self.bit_perfect:
            parts.append(f"RG {self._gain_db:+.1f} dB".replace("-", "−"))
        if self._equalizer is not None and not self._equalizer.is_flat and not self.bit_perfect:
            parts.append("EQ")
        return " · ".join(parts)

    @property
    def latency_ms(self) -> float:
        """How long what is handed to the card takes to be heard (0 with no card open)."""
        sink = self._sink
        return sink.latency_frames * 1000 / sink.rate if sink is not None else 0.0

    @property
    def underruns(self) -> int:
        return self._pcm.underruns + (self._sink.xruns if self._sink is not None else 0)
