"""Where the stage's signal goes: a sound card through PortAudio, or a WAV file.

:class:`DeviceSink` keeps one PortAudio output stream (the ``sounddevice``
package) open across tracks; its callback asks the engine's ``render`` for
exactly the frames the card wants. :class:`FileSink` writes the same signal
into a float32 WAV as fast as decoding allows (``kindred play --output``).
Both expose ``latency_frames``: how far what the listener hears lags behind
what was handed over.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from player.audio.engine import OutputDevice
from player.audio.output.dsp import quantize
from player.audio.wavio import FloatWavWriter
from player.errors import AppError

log = logging.getLogger(__name__)

#: PortAudio's buffer: what the card can play while the app (and its GIL) is busy
DEVICE_LATENCY_S = 0.35
#: frames a file sink renders at a time
FILE_BLOCK = 1 << 15

#: render(frames, out, pad) -> frames written into out (pad: fill the rest with silence)
Render = Callable[[int, np.ndarray, bool], int]


_PORTAUDIO_HINT = (
    "On Debian or Ubuntu: `sudo apt install libportaudio2 libasound2-plugins`; Fedora: "
    "`sudo dnf install portaudio alsa-plugins-pulseaudio`; Arch: `sudo pacman -S portaudio "
    "alsa-plugins`. On Windows and macOS PortAudio comes with Kindred: reinstall it."
)


def portaudio_error(*, fallback: bool = True) -> AppError | None:
    """None when PortAudio can be loaded, else why not and what to install. *fallback*:
    libVLC's output plays meanwhile (else nothing can)."""
    try:
        import sounddevice  # noqa: F401
    except (OSError, ImportError) as exc:
        if fallback:
            return AppError(
                "PortAudio is not installed: playback is not gapless",
                f"Kindred's own output stage plays through PortAudio, which was not found "
                f"({exc}). {_PORTAUDIO_HINT} Until then Kindred plays through libVLC's "
                "output, which leaves a short silence between tracks.",
            )
        return AppError(
            "PortAudio is not installed: Kindred cannot play audio",
            f"Kindred plays through PortAudio, which was not found ({exc}). {_PORTAUDIO_HINT}"
            " Then start Kindred again.",
        )
    return None


def device_list() -> list[OutputDevice]:
    """The sound cards PortAudio can play to (its ALSA ``pulse``/``default`` included)."""
    import sounddevice as sd

    seen: set[str] = set()
    devices: list[OutputDevice] = []
    for entry in sd.query_devices():
        name = str(entry["name"])
        if entry["max_output_channels"] > 0 and name not in seen:
            seen.add(name)
            api = sd.query_hostapis(entry["hostapi"])["name"]
            devices.append(OutputDevice(name, f"{name} ({api})"))
    return devices


def default_device_problem() -> str | None:
    """Why the system's default output device cannot be played to (None: it can)."""
    import sounddevice as sd

    try:
        sd.check_output_settings(device=None, channels=2, dtype="float32")
    except Exception as exc:  # PortAudioError, or ValueError for "no default device"
        return device_words(str(exc) or type(exc).__name__)
    return None


def device_words(problem: str) -> str:
    """PortAudio's reason a device cannot be opened, in words a listener understands."""
    if "device -1" in problem or "No Default Output Device" in problem:
        return "there is no default output device (no sound card, or no sound server running)"
    return problem


def device_index(device_id: str | None) -> int | None:
    """PortAudio's index of an output device by name (None: the default)."""
    import sounddevice as sd

    if device_id is None:
        return None
    for index, entry in enumerate(sd.query_devices()):
        if entry["name"] == device_id and entry["max_output_channels"] > 0:
            return index
    raise KeyError(device_id)


@dataclass
class DeviceSink:
    """One open PortAudio stream; ``render`` fills each buffer the card asks for.

    *bits* 0 hands the card float32. 16, 24 or 32 hand it integers the stage
    writes itself: exactly as rendered when *exact* (bit-perfect), else with
    TPDF dither whenever *changed* says the block is not the source's own
    samples (volume, ReplayGain, equalizer, a fade, another rate or depth).
    """

    render: Render
    rate: int
    channels: int
    device_id: str | None = None
    on_error: Callable[[str], None] | None = None
    latency_s: float = DEVICE_LATENCY_S
    bits: int = 0
    exact: bool = False
    exclusive: bool = False
    extra_settings: Any = None  # the host API's exclusive-mode settings, if any
    changed: Callable[[], bool] = lambda: True

    def __post_init__(self) -> None:
        import sounddevice as sd

        self._scratch = np.zeros((0, self.channels), dtype=np.float32)
        self._rng = np.random.default_rng()
        self.xruns = 0  # buffers the card reported it played late or short
        self.dac_time = 0.0  # when the buffer being filled now reaches the card (stream time)
        self.dithered = False  # the last integer buffer had dither in it
        index = device_index(self.device_id)
        self._stream = sd.OutputStream(
            samplerate=self.rate,
            channels=self.channels,
            dtype={0: "float32", 16: "int16"}.get(self.bits, "int32"),
            device=index,
            latency=self.latency_s,
            callback=self._callback,
            finished_callback=self._finished,
            # float to a card of integers: PortAudio converts, so let it dither
            dither_off=bool(self.bits),
            extra_settings=self.extra_settings,
        )
        self._closing = False
        self.wanted = (self.rate, self.bits)  # the track format the stream was opened for
        self.latency_frames = round(float(self._stream.latency) * self.rate)
        self.name = self._stream_device_name()

    def _stream_device_name(self) -> str:
        import sounddevice as sd

        try:
            return str(sd.query_devices(self._stream.device)["name"])
        except Exception:  # the name is for people only
            return self.device_id or "default"

    def _callback(self, outdata: np.ndarray, frames: int, _time: Any, status: Any) -> None:
        if status.output_underflow:
            self.xruns += 1
        self.dac_time = float(_time.outputBufferDacTime)
        if not self.bits:
            self.render(frames, outdata, True)
            return
        if len(self._scratch) < frames:
            self._scratch = np.zeros((frames, self.channels), dtype=np.float32)
        block = self._scratch[:frames]
        self.render(frames, block, True)
        self.dithered = not self.exact and self.changed()
        outdata[:] = quantize(block, self.bits, dither=self.dithered, rng=self._rng)

    def _finished(self) -> None:
        if not self._closing and self.on_error is not None:
            self.on_error(f"the sound device {self.name!r} stopped")

    @property
    def active(self) -> bool:
        return bool(self._stream.active)

    def clock(self) -> float:
        """The stream's clock, the one ``dac_time`` is on."""
        return float(self._stream.time)

    def start(self) -> None:
        if not self._stream.active:
            self._stream.start()

    def stop(self) -> None:
        """Stop after what was handed over has played (PortAudio drains its buffer)."""
        if self._stream.active:
            self._closing = True
            self._stream.stop()
            self._closing = False

    def close(self) -> None:
        self._closing = True
        self._stream.close(ignore_errors=True)


class FileSink:
    """The stage's signal into a float32 WAV, as fast as the decoder goes."""

    latency_frames = 0
    xruns = 0
    bits = 0
    exact = False
    dithered = False

    def __init__(
        self, path: Path, render: Render, rate: int, channels: int, ready: Callable[[int], bool]
    ) -> None:
        self.path, self.render, self.rate, self.channels = Path(path), render, rate, channels
        self._ready = ready
        self.wanted = (rate, 0)
        self._writer = FloatWavWriter(self.path)
        self._run = threading.Event()
        self._closed = False
        self.name = str(self.path)
        self._thread = threading.Thread(target=self._loop, name="stage-file", daemon=True)
        self._thread.start()

    @property
    def active(self) -> bool:
        return self._run.is_set()

    def _loop(self) -> None:
        block = np.zeros((FILE_BLOCK, self.channels), dtype=np.float32)
        while not self._closed:
            if not self._run.wait(0.1):
                continue
            if not self._ready(FILE_BLOCK):
                continue
            got = self.render(FILE_BLOCK, block, False)
            if got:
                self._writer.append(block[:got], self.rate)

    def start(self) -> None:
        self._run.set()

    def stop(self) -> None:
        self._run.clear()

    def close(self) -> None:
        self._closed = True
        self._run.set()
        self._thread.join(timeout=5)
