"""The window's output stage, built after the window is shown instead of before it.

Building :class:`~player.audio.output.stage.StageEngine` imports NumPy and
sounddevice, which initialises PortAudio (together about 40 MiB and a third of a
second). :class:`LazyStage` is an Engine that keeps volume, mute, gain,
equalizer, device and the output options as set, and the transport calls made
(load, play, seek, ...: a restored track), until the real stage is built, then
hands them over in order. It is built on a worker once the window is shown
(:meth:`LazyStage.warm_up`) when a track waits to be resumed, else at the first
play (a worker too: the first sound comes that much later), or at once on this
thread when the device list or the equalizer presets are asked for.
:func:`portaudio_likely` is the cheap check that chooses it without importing
sounddevice.
"""

from __future__ import annotations

import ctypes.util
import importlib.util
import logging
import threading
import time
from typing import Any

from player.audio.engine import (
    Engine,
    EngineError,
    Equalizer,
    Event,
    MediaItem,
    OutputDevice,
    PlaybackState,
)
from player.errors import AppError

log = logging.getLogger(__name__)


def portaudio_likely() -> bool:
    """Whether sounddevice and a PortAudio it can load are installed, found the way
    sounddevice looks (its bundled copy, else the system's library) without loading it."""
    if importlib.util.find_spec("sounddevice") is None:
        return False
    if importlib.util.find_spec("_sounddevice_data") is not None:
        return True  # the wheels for Windows and macOS carry PortAudio
    return ctypes.util.find_library("portaudio") is not None


#: what a stage with nothing loaded does nothing for
_NOTHING_LOADED_NO_OP = frozenset({"stop", "pause", "resume", "seek", "play"})


class LazyStage:
    """An Engine that becomes the output stage on the sound device when first needed."""

    backend = "Kindred's output stage"

    def __init__(self, *, bit_perfect: bool = False) -> None:
        self._mu = threading.Lock()  # what is set, and the engine it is handed to
        self._build_lock = threading.Lock()
        self._ready = threading.Event()
        self._engine: Engine | None = None
        self._closed = False
        self._go = False  # the window is shown: a transport call starts the build
        self._building: threading.Thread | None = None
        #: transport calls made before the build, handed to the stage in order
        self._pending: list[tuple[str, tuple[Any, ...]]] = []
        self._options: dict[str, Any] = {
            "bit_perfect": bit_perfect,
            "crossfade_s": 0.0,
            "sample_format": "auto",
        }
        self._volume, self._muted, self._gain_db = 100, False, 0.0
        self._equalizer: Equalizer | None = None
        self._device: str | None = None
        #: seconds the build took (on whichever thread did it), for the log and tests
        self.build_s: float | None = None

    # ---- building -------------------------------------------------------------------------
    @property
    def built(self) -> bool:
        return self._engine is not None

    def warm_up(self) -> threading.Thread | None:
        """The window is shown: build the stage on a worker now if a track is waiting
        (restored), else at the first transport call. Returns the building thread."""
        with self._mu:
            self._go = True
            waiting = bool(self._pending)
        return self._build_later() if waiting else self._building

    def _build_later(self) -> threading.Thread:
        with self._mu:
            if self._building is None:
                self._building = threading.Thread(
                    target=self._real, name="stage-build", daemon=True
                )
                self._building.start()
            return self._building

    def _transport(self, call: str, *args: Any) -> None:
        """*call* on the stage; before it is built, kept for it (and the build begun,
        once the window is shown)."""
        with self._mu:
            engine = self._engine
            if engine is None:
                if not self._pending and call in _NOTHING_LOADED_NO_OP:
                    return  # a new stage ignores it as well (the controller's first stop)
                self._pending.append((call, args))
                go = self._go
        if engine is not None:
            getattr(engine, call)(*args)
        elif go:
            self._build_later()

    def _real(self) -> Engine:
        engine = self._engine
        if engine is not None:
            return engine
        with self._build_lock:
            if self._engine is None:
                self._build()
        assert self._engine is not None
        return self._engine

    def _build(self) -> None:
        start = time.perf_counter()
        with self._mu:
            bit_perfect = bool(self._options["bit_perfect"])
        engine: Any
        try:
            from player.audio.output.stage import StageEngine

            engine = StageEngine("device", bit_perfect=bit_perfect)
        except AppError as exc:  # PortAudio found but not loadable: libVLC's output, or none
            engine = _fallback(exc)
        except Exception as exc:  # the engine must still answer (and say why it is silent)
            log.exception("the output stage could not be built")
            engine = _fallback(AppError("The output stage could not start", str(exc)))
        with self._mu:
            for name, value in self._options.items():
                if hasattr(engine, name):
                    setattr(engine, name, value)
            engine.set_volume(self._volume)
            engine.set_muted(self._muted)
            engine.set_gain_db(self._gain_db)
            if self._device is not None:
                engine.set_output_device(self._device)
            engine.set_equalizer(self._equalizer)
            for call, args in self._pending:
                getattr(engine, call)(*args)
            self._pending.clear()
            self._engine = engine
            closed = self._closed
        self.build_s = time.perf_counter() - start
        log.info("output stage ready in %.0f ms", self.build_s * 1000)
        self._ready.set()
        if closed:
            engine.close()

    def _set(self, attr: str, value: Any, call: str | None = None) -> None:
        with self._mu:
            setattr(self, attr, value)
            engine = self._engine
            if engine is not None and call is not None:
                getattr(engine, call)(value)

    # ---- the output options (plain attributes on the stage) ------------------------------
    def _option(self, name: str) -> Any:
        engine = self._engine
        return getattr(engine, name) if engine is not None else self._options[name]

    def _set_option(self, name: str, value: Any) -> None:
        with self._mu:
            self._options[name] = value
            if self._engine is not None and hasattr(self._engine, name):
                setattr(self._engine, name, value)

    bit_perfect = property(
        lambda self: self._option("bit_perfect"),
        lambda self, v: self._set_option("bit_perfect", v),
    )
    crossfade_s = property(
        lambda self: self._option("crossfade_s"),
        lambda self, v: self._set_option("crossfade_s", v),
    )
    sample_format = property(
        lambda self: self._option("sample_format"),
        lambda self, v: self._set_option("sample_format", v),
    )

    # ---- the Engine protocol: kept until built ---------------------------------------------
    @property
    def state(self) -> PlaybackState:
        return self._engine.state if self._engine is not None else PlaybackState.IDLE

    @property
    def volume(self) -> int:
        return self._engine.volume if self._engine is not None else self._volume

    @property
    def muted(self) -> bool:
        return self._engine.muted if self._engine is not None else self._muted

    @property
    def gain_db(self) -> float:
        return self._engine.gain_db if self._engine is not None else self._gain_db

    @property
    def equalizer(self) -> Equalizer | None:
        return self._engine.equalizer if self._engine is not None else self._equalizer

    @property
    def output_device(self) -> str | None:
        return self._engine.output_device if self._engine is not None else self._device

    @property
    def wants_next(self) -> MediaItem | None:
        return self._engine.wants_next if self._engine is not None else None

    def set_volume(self, percent: int) -> None:
        self._set("_volume", percent, "set_volume")

    def set_muted(self, muted: bool) -> None:
        self._set("_muted", muted, "set_muted")

    def set_gain_db(self, db: float) -> None:
        self._set("_gain_db", db, "set_gain_db")

    def set_equalizer(self, eq: Equalizer | None) -> None:
        self._set("_equalizer", eq, "set_equalizer")

    def set_output_device(self, device_id: str | None) -> None:
        self._set("_device", device_id, "set_output_device")

    def position(self) -> int:
        return self._engine.position() if self._engine is not None else 0

    def duration(self) -> int | None:
        return self._engine.duration() if self._engine is not None else None

    def pause(self) -> None:
        self._transport("pause")

    def stop(self) -> None:
        self._transport("stop")

    def describe_output(self) -> str:
        """What the device gets (the audio badge): "" until built, as with no stream open."""
        engine = self._engine
        return str(engine.describe_output()) if engine is not None else ""  # type: ignore[attr-defined]

    def drain_events(self) -> list[Event]:
        return self._engine.drain_events() if self._engine is not None else []

    def wait_event(self, timeout: float | None = None) -> Event | None:
        start = time.monotonic()
        if not self._ready.wait(timeout):
            return None
        left = None if timeout is None else max(0.0, timeout - (time.monotonic() - start))
        assert self._engine is not None
        return self._engine.wait_event(left)

    def close(self) -> None:
        with self._mu:
            self._closed = True
            engine = self._engine
        if engine is not None:
            engine.close()

    # ---- the Engine protocol: handed over in order once built ------------------------------
    def load(self, item: MediaItem) -> None:
        self._transport("load", item)

    def play(self) -> None:
        self._transport("play")

    def resume(self) -> None:
        self._transport("resume")

    def seek(self, ms: int) -> None:
        self._transport("seek", ms)

    def preload(
        self, item: MediaItem, gain_db: float | None = None, crossfade: bool = True
    ) -> None:  # the stage's own signature: the controller hands gain and crossfade
        self._transport("preload", item, gain_db, crossfade)

    def output_devices(self) -> list[OutputDevice]:
        return self._real().output_devices()

    def equalizer_presets(self) -> dict[str, Equalizer]:
        return self._real().equalizer_presets()

    def __getattr__(self, name: str) -> Any:  # the stage's own extras (first_frame_at, ...)
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self._real(), name)


def _fallback(error: AppError) -> Any:
    """libVLC's output where the stage cannot be built after all; else the silent
    engine, with the error as its first event."""
    from player.audio import vlc_engine

    log.warning("%s: %s", error.short, error.detail)
    if vlc_engine.vlc_missing_error() is None:
        return vlc_engine.VlcEngine()
    from player.audio.fake_engine import FakeEngine

    fake = FakeEngine()
    fake._events.put(EngineError(error, None))
    return fake
