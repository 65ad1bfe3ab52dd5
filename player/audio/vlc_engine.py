"""The libVLC Engine: the only module of Kindred that imports ``vlc``.

libVLC calls event callbacks on its own thread, and calling libVLC back from
there deadlocks; so callbacks here only put a tag into an internal queue. A
small worker thread of ours turns those into Engine events (and applies the
volume once Playing, since libVLC ignores it earlier), and the owner drains the
public events on its own thread. With ``output`` a WAV path, audio goes through
libVLC's ``amem`` callbacks into :class:`~player.audio.render.WavRenderer`, so
the rendered file includes everything libVLC does to the signal (volume).
"""

from __future__ import annotations

import ctypes
import queue
import sys
import threading
import time
from pathlib import Path
from typing import Any

from player.audio.engine import (
    TICK_INTERVAL_MS,
    Buffering,
    EndReached,
    EngineError,
    Event,
    EventQueue,
    MediaItem,
    PlaybackError,
    PlaybackState,
    PositionChanged,
    StateChanged,
    clamp_volume,
    missing_file_error,
)
from player.audio.render import WavRenderer
from player.errors import AppError

try:  # a missing libvlc raises OSError/FileNotFoundError/ImportError inside python-vlc
    import vlc
except Exception as exc:  # whatever happens, the app must still start
    vlc = None
    _IMPORT_ERROR: Exception | None = exc
else:
    _IMPORT_ERROR = None

VLC_ARGS = [
    "--no-video",
    "--quiet",
    "--verbose=-1",
    "--no-xlib",
    "--audio-replay-gain-mode=none",
    "--audio-replay-gain-default=0",
]

_INSTALL_HINT = {
    "linux": "Install VLC with your package manager, e.g. `sudo apt install vlc` "
    "(Debian/Ubuntu), `sudo dnf install vlc` (Fedora) or `sudo pacman -S vlc` (Arch).",
    "darwin": "Install VLC from https://www.videolan.org/vlc/ or with `brew install --cask vlc`.",
    "win32": "Install VLC (64-bit, matching Python) from https://www.videolan.org/vlc/ "
    "or with `winget install VideoLAN.VLC`.",
}


def vlc_missing_error() -> AppError | None:
    """None when libVLC can be used, else an AppError saying how to install VLC."""
    if vlc is not None:
        return None
    key = "darwin" if sys.platform == "darwin" else "win32" if sys.platform == "win32" else "linux"
    return AppError(
        "VLC is not installed: Kindred cannot play audio",
        f"Kindred plays audio through libVLC, which was not found ({_IMPORT_ERROR}). "
        + _INSTALL_HINT[key]
        + " Then start Kindred again.",
    )


def libvlc_available() -> bool:
    return vlc is not None


_SetupCb = ctypes.CFUNCTYPE(
    ctypes.c_int,
    ctypes.POINTER(ctypes.c_void_p),
    ctypes.c_void_p,  # char[4] format, written in place
    ctypes.POINTER(ctypes.c_uint),
    ctypes.POINTER(ctypes.c_uint),
)
_CleanupCb = ctypes.CFUNCTYPE(None, ctypes.c_void_p)


class VlcEngine:
    """Plays on the sound device (``output="device"``) or renders into a WAV file."""

    def __init__(self, output: str | Path = "device", *, realtime: bool = True) -> None:
        missing = vlc_missing_error()
        if missing is not None:
            raise missing
        self._instance = vlc.Instance(VLC_ARGS)
        if self._instance is None:
            raise AppError(
                "libVLC could not start",
                "libVLC is installed but failed to initialise; reinstall VLC and its plugins.",
            )
        self._player = self._instance.media_player_new()
        self._events = EventQueue()
        self._raw: queue.Queue[tuple[str, Any]] = queue.Queue()
        self._lock = threading.RLock()
        self._state = PlaybackState.IDLE
        self._item: MediaItem | None = None
        self._volume = 100
        self._muted = False
        self._closed = False
        self.renderer: WavRenderer | None = None
        if str(output) != "device":
            self.renderer = WavRenderer(output, realtime=realtime)
            self._attach_renderer(self.renderer)
        manager = self._player.event_manager()
        et = vlc.EventType
        for kind, tag in (
            (et.MediaPlayerOpening, "opening"),
            (et.MediaPlayerPlaying, "playing"),
            (et.MediaPlayerPaused, "paused"),
            (et.MediaPlayerStopped, "stopped"),
            (et.MediaPlayerEndReached, "end"),
            (et.MediaPlayerEncounteredError, "error"),
            (et.MediaPlayerBuffering, "buffering"),
        ):
            manager.event_attach(kind, self._forward, tag)
        self._worker = threading.Thread(target=self._run, name="vlc-engine", daemon=True)
        self._worker.start()

    # --- libVLC threads: forward only --------------------------------------
    def _forward(self, event: Any, tag: str) -> None:
        arg = event.u.new_cache if tag == "buffering" else None
        self._raw.put((tag, arg))

    def _attach_renderer(self, renderer: WavRenderer) -> None:
        def play(_opaque: Any, samples: int, count: int, _pts: int) -> None:
            renderer.write(ctypes.string_at(samples, count * 2 * (renderer.channels or 2)), count)

        def restart(_opaque: Any, _pts: int) -> None:
            renderer.restart_clock()

        def setup(_opaque: Any, fmt: int, rate: Any, channels: Any) -> int:
            # amem in libVLC 3.0 accepts only S16N (FL32/S32N are refused)
            ctypes.memmove(fmt, b"S16N", 4)
            rate[0], channels[0] = renderer.setup(int(rate[0]), min(int(channels[0]), 2))
            return 0

        def cleanup(_opaque: Any) -> None:
            return None

        cb = vlc.CallbackDecorators
        self._callbacks = (
            cb.AudioPlayCb(play),
            cb.AudioPauseCb(restart),
            cb.AudioResumeCb(restart),
            cb.AudioFlushCb(restart),
            _SetupCb(setup),
            _CleanupCb(cleanup),
        )
        play_cb, pause_cb, resume_cb, flush_cb, setup_cb, cleanup_cb = self._callbacks
        self._player.audio_set_callbacks(play_cb, pause_cb, resume_cb, flush_cb, None, None)
        # python-vlc types the format as c_char_p (read-only); declare it writable
        set_format = ctypes.CFUNCTYPE(None, ctypes.c_void_p, _SetupCb, _CleanupCb)(
            ("libvlc_audio_set_format_callbacks", vlc.dll)
        )
        set_format(self._player._as_parameter_, setup_cb, cleanup_cb)

    # --- our worker thread: turns raw tags into Engine events ---------------
    def _run(self) -> None:
        last_tick = 0.0
        while not self._closed:
            try:
                tag, arg = self._raw.get(timeout=0.05)
            except queue.Empty:
                tag, arg = "", None
            if tag:
                self._handle(tag, arg)
            now = time.monotonic()
            if self._state == PlaybackState.PLAYING and now - last_tick >= TICK_INTERVAL_MS / 1000:
                last_tick = now
                self._events.put(PositionChanged(self.position(), self.duration()))

    def _handle(self, tag: str, arg: Any) -> None:
        with self._lock:
            state, item = self._state, self._item
            if tag == "opening" and state not in (PlaybackState.ERROR, PlaybackState.STOPPED):
                self._set_state(PlaybackState.OPENING)
            elif tag == "playing" and state not in (PlaybackState.ERROR, PlaybackState.STOPPED):
                self._apply_volume()
                self._set_state(PlaybackState.PLAYING)
            elif tag == "paused" and state == PlaybackState.PLAYING:
                self._set_state(PlaybackState.PAUSED)
            elif tag == "end" and state not in (PlaybackState.ERROR, PlaybackState.STOPPED):
                self._set_state(PlaybackState.ENDED)
                if item is not None:
                    self._events.put(EndReached(item))
            elif tag == "error" and item is not None and state != PlaybackState.STOPPED:
                self._fail(
                    PlaybackError(
                        f"Cannot play {item.title or item.location}",
                        f"libVLC could not open or decode {item.location}. The file may be "
                        "damaged or in an unsupported format, or the stream is unreachable.",
                    )
                )
            elif tag == "buffering" and arg is not None:
                self._events.put(Buffering(float(arg)))

    def _set_state(self, state: PlaybackState) -> None:
        with self._lock:
            if state != self._state:
                self._state = state
                self._events.put(StateChanged(state))

    def _fail(self, error: AppError) -> None:
        self._set_state(PlaybackState.ERROR)
        self._events.put(EngineError(error, self._item))

    def _apply_volume(self) -> None:
        self._player.audio_set_volume(self._volume)
        self._player.audio_set_mute(self._muted)

    # --- Engine ------------------------------------------------------------
    @property
    def state(self) -> PlaybackState:
        return self._state

    @property
    def volume(self) -> int:
        return self._volume

    @property
    def muted(self) -> bool:
        return self._muted

    def load(self, item: MediaItem) -> None:
        media = self._instance.media_new(item.location)
        if item.start_ms:
            media.add_option(f":start-time={item.start_ms / 1000:.3f}")
        if item.end_ms is not None:
            media.add_option(f":stop-time={item.end_ms / 1000:.3f}")
        with self._lock:
            self._player.stop()
            self._player.set_media(media)
            self._item = item
            self._set_state(PlaybackState.IDLE)

    def play(self) -> None:
        item = self._item
        if item is None:
            return
        if self._state == PlaybackState.PAUSED:
            self.resume()
            return
        if not item.is_url and not Path(item.location.removeprefix("file://")).is_file():
            self._set_state(PlaybackState.OPENING)
            self._fail(missing_file_error(item))
            return
        if self._state in (PlaybackState.ENDED, PlaybackState.STOPPED, PlaybackState.ERROR):
            self._player.stop()
        self._set_state(PlaybackState.OPENING)
        self._player.play()

    def pause(self) -> None:
        if self._state == PlaybackState.PLAYING:
            self._player.set_pause(1)

    def resume(self) -> None:
        if self._state == PlaybackState.PAUSED:
            self._player.set_pause(0)
            self._set_state(PlaybackState.PLAYING)

    def stop(self) -> None:
        if self._state in (PlaybackState.IDLE, PlaybackState.STOPPED):
            return
        self._set_state(PlaybackState.STOPPED)
        self._player.stop()

    def seek(self, ms: int) -> None:
        if self._item is None or self._state not in (PlaybackState.PLAYING, PlaybackState.PAUSED):
            return
        end = self.duration()
        target = max(0, int(ms) if end is None else min(int(ms), end))
        self._player.set_time((self._item.start_ms or 0) + target)

    def position(self) -> int:
        if self._item is None:
            return 0
        if self._state == PlaybackState.ENDED:
            return self.duration() or 0
        now = self._player.get_time()
        if now is None or now < 0:
            return 0
        end = self.duration()
        pos = max(0, now - (self._item.start_ms or 0))
        return pos if end is None else min(pos, end)

    def duration(self) -> int | None:
        if self._item is None:
            return None
        length = self._player.get_length()
        start = self._item.start_ms or 0
        end = self._item.end_ms
        if length and length > 0:
            end = length if end is None else min(end, length)
        return None if end is None else max(0, end - start)

    def set_volume(self, percent: int) -> None:
        self._volume = clamp_volume(percent)
        if self._state in (PlaybackState.PLAYING, PlaybackState.PAUSED):
            self._player.audio_set_volume(self._volume)

    def set_muted(self, muted: bool) -> None:
        self._muted = bool(muted)
        if self._state in (PlaybackState.PLAYING, PlaybackState.PAUSED):
            self._player.audio_set_mute(self._muted)

    def drain_events(self) -> list[Event]:
        return self._events.drain()

    def wait_event(self, timeout: float | None = None) -> Event | None:
        return self._events.wait(timeout)

    def close(self) -> None:
        if self._closed:
            return
        self._player.stop()
        self._closed = True
        self._worker.join(timeout=2)
        self._player.release()
        self._instance.release()
        if self.renderer is not None:
            self.renderer.close()
