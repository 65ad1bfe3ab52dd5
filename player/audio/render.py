"""Render what libVLC plays into WAV files instead of a sound card.

Two renderers, chosen with :class:`WavOutput`:

* paced (``paced=True``): libVLC's ``amem`` output hands us the 16-bit
  signal (gain and equalizer included). libVLC creates that output anew for
  every item and ignores the volume until it exists, so the first 0.2 s of
  each item would play at full volume: the renderer applies the volume
  itself, on libVLC's cubic curve. :class:`WavRenderer` writes it and blocks so that no more than ``lead_s`` of audio is ahead of
  the wall clock, the way a device would, so pause, seek, position and the
  gap between tracks behave as on a speaker. It logs every delivery for the
  gap measurement.
* faithful (``paced=False``): libVLC's ``afile`` output writes float32 (which
  holds 16- and 24-bit samples exactly) faster than real time, one file per
  item; :class:`FaithfulCollector` appends each item to the output WAV.

Plain Python: no libVLC here.
"""

from __future__ import annotations

import collections
import threading
import time
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from player.audio.wavio import FloatWavWriter, read_wav


@dataclass(frozen=True)
class WavOutput:
    """Where and how a :class:`~player.audio.vlc_engine.VlcEngine` renders instead of playing.

    ``paced=False``: a faithful float32 WAV, rendered as fast as libVLC
    decodes (measurements, ``--output``). ``paced=True``: a 16-bit WAV at
    ``rate``/``channels`` delivered in real time like a sound card.
    """

    path: Path
    paced: bool = False
    rate: int = 44100
    channels: int = 2


@dataclass(frozen=True)
class Delivery:
    """One buffer libVLC handed to the paced renderer."""

    at: float  # time.monotonic() when it arrived
    done: float  # when the write returned (after pacing)
    first_frame: int
    frames: int
    ahead_s: float  # audio delivered beyond the wall clock when the write returned


class WavRenderer:
    """A 16-bit PCM WAV sink; one file for the engine's whole life (until close)."""

    def __init__(
        self, path: str | Path, *, realtime: bool = True, lead_s: float = 0.1, log: int = 100_000
    ) -> None:
        self.path = Path(path)
        self.realtime = realtime
        self.lead_s = lead_s
        self.rate: int | None = None
        self.channels: int | None = None
        self.frames = 0
        self.first_audio_at: float | None = None  # time.monotonic() of the first samples
        self.restarted_at: float | None = None  # last pause/resume/flush (a seek flushes)
        self.deliveries: collections.deque[Delivery] = collections.deque(maxlen=log)
        self._wav: wave.Wave_write | None = None
        self._lock = threading.Lock()
        self._ref = (0.0, 0)  # (wall time, frames) the pacing is measured from
        self.gain = 1.0  # linear factor applied to every sample (volume, mute)

    def setup(self, rate: int, channels: int) -> tuple[int, int]:
        """Accept the stream format; returns the format to deliver (the first one)."""
        with self._lock:
            if self._wav is None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                wav = wave.open(str(self.path), "wb")  # noqa: SIM115 - closed in close()
                wav.setnchannels(channels)
                wav.setsampwidth(2)
                wav.setframerate(rate)
                self._wav, self.rate, self.channels = wav, rate, channels
            self._ref = (time.monotonic(), self.frames)
            assert self.rate is not None and self.channels is not None
            return self.rate, self.channels

    def write(self, pcm: bytes, frames: int) -> None:
        at = time.monotonic()
        with self._lock:
            if self._wav is None:
                return
            if self.first_audio_at is None:
                self.first_audio_at = at
            rate = self.rate or 44100
            if self.gain != 1.0:
                scaled = np.frombuffer(pcm, dtype=np.int16) * self.gain
                pcm = np.clip(np.round(scaled), -32768, 32767).astype(np.int16).tobytes()
            self._wav.writeframesraw(pcm)
            first = self.frames
            self.frames += frames
            ref_time, ref_frames = self._ref
        ahead = (self.frames - ref_frames) / rate - (time.monotonic() - ref_time)
        if self.realtime and ahead > self.lead_s:
            time.sleep(ahead - self.lead_s)
            ahead = self.lead_s
        self.deliveries.append(Delivery(at, time.monotonic(), first, frames, ahead))

    def restart_clock(self) -> None:
        """Pause, resume or flush: pace from now on."""
        with self._lock:
            self._ref = (time.monotonic(), self.frames)
            self.restarted_at = self._ref[0]

    def close(self) -> None:
        with self._lock:
            if self._wav is not None:
                self._wav.close()
                self._wav = None


class FaithfulCollector:
    """Gathers the per-item float32 files libVLC's ``afile`` writes into one WAV."""

    def __init__(self, path: str | Path) -> None:
        self.writer = FloatWavWriter(path)
        self.part = self.writer.path.with_name(f".{self.writer.path.stem}.part.wav")
        self.part.parent.mkdir(parents=True, exist_ok=True)  # libVLC does not create it
        self._lock = threading.Lock()

    @property
    def path(self) -> Path:
        return self.writer.path

    def collect(self, factor: float = 1.0) -> int:
        """Append what libVLC wrote for the last item, scaled by *factor*; returns frames.

        Call it once libVLC has stopped (the file is complete only then).
        """
        with self._lock:
            if not self.part.exists():
                return 0
            try:
                samples, rate = read_wav(self.part)
            except ValueError:  # nothing decoded (header only or empty)
                samples, rate = None, 0
            self.part.unlink(missing_ok=True)
            if samples is None or not len(samples):
                return 0
            if factor != 1.0:
                samples = samples * factor
            self.writer.append(samples, rate)
            return len(samples)

    def close(self) -> None:
        with self._lock:
            self.part.unlink(missing_ok=True)
