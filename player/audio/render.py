"""Render decoded PCM into a WAV file, paced like a sound card.

libVLC's ``amem`` output hands us the finished signal (volume included) as
16-bit native samples, faster than real time. :class:`WavRenderer` writes it
with the stdlib ``wave`` module and, when ``realtime`` is set, blocks the
caller so that no more than ``lead_s`` of audio is ahead of the wall clock —
the way a device would — so pause, seek and position behave as they do on a
speaker. Plain Python: no libVLC here.
"""

from __future__ import annotations

import threading
import time
import wave
from pathlib import Path


class WavRenderer:
    """A 16-bit PCM WAV sink; one file for the whole session (until close)."""

    def __init__(self, path: str | Path, *, realtime: bool = True, lead_s: float = 0.1) -> None:
        self.path = Path(path)
        self.realtime = realtime
        self.lead_s = lead_s
        self.rate: int | None = None
        self.channels: int | None = None
        self.frames = 0
        self.first_audio_at: float | None = None  # time.monotonic() of the first samples
        self._wav: wave.Wave_write | None = None
        self._lock = threading.Lock()
        self._ref = (0.0, 0)  # (wall time, frames) the pacing is measured from

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
        with self._lock:
            if self._wav is None:
                return
            if self.first_audio_at is None:
                self.first_audio_at = time.monotonic()
            self._wav.writeframesraw(pcm)
            self.frames += frames
            rate = self.rate or 44100
            ref_time, ref_frames = self._ref
        if self.realtime:
            ahead = (self.frames - ref_frames) / rate - (time.monotonic() - ref_time)
            if ahead > self.lead_s:
                time.sleep(ahead - self.lead_s)

    def restart_clock(self) -> None:
        """Pause, resume or flush: pace from now on."""
        with self._lock:
            self._ref = (time.monotonic(), self.frames)

    def close(self) -> None:
        with self._lock:
            if self._wav is not None:
                self._wav.close()
                self._wav = None
