"""An in-memory Engine: time only moves when the test calls :meth:`advance`.

It follows the same rules as the libVLC engine (events through a queue, CUE
ranges, end of track, an error for a missing file) so everything above the
engine can be tested quickly and deterministically.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from player.audio.engine import (
    TICK_INTERVAL_MS,
    DeviceChanged,
    EndReached,
    EngineError,
    Equalizer,
    Event,
    MediaItem,
    MetadataChanged,
    OutputDevice,
    PlaybackState,
    PositionChanged,
    clamp_volume,
    file_duration_ms,
    missing_file_error,
)
from player.audio.engine_state import EngineState

DEFAULT_DURATION_MS = 180_000


class FakeEngine(EngineState):
    """Plays nothing; keeps a position in memory and emits the Engine events."""

    def __init__(self, duration_of: Callable[[MediaItem], int | None] = file_duration_ms) -> None:
        super().__init__()
        self._duration_of = duration_of
        self._media_ms: int | None = None  # full length of the file
        self._pos = 0  # relative to the item's start
        self._since_tick = 0
        self.devices = [OutputDevice("fake-default", "Fake default output")]
        self.preloaded: MediaItem | None = None
        self.bit_perfect = False  # kept as set, as the output stage's are
        self.crossfade_s = 0.0
        self.sample_format = "auto"

    # --- control -----------------------------------------------------------
    def load(self, item: MediaItem) -> None:
        self._item = item
        self._pos = 0
        self._since_tick = 0
        self._media_ms = None
        self._set_state(PlaybackState.IDLE)

    def play(self) -> None:
        item = self._item
        if item is None:
            return
        if self._state == PlaybackState.PAUSED:
            self.resume()
            return
        self._set_state(PlaybackState.OPENING)
        if not item.is_url and not Path(item.location).is_file():
            self._set_state(PlaybackState.ERROR)
            self._events.put(EngineError(missing_file_error(item), item))
            return
        self._media_ms = self._duration_of(item) or DEFAULT_DURATION_MS
        self._pos = 0
        self._since_tick = 0
        self._set_state(PlaybackState.PLAYING)

    def pause(self) -> None:
        if self._state == PlaybackState.PLAYING:
            self._set_state(PlaybackState.PAUSED)

    def resume(self) -> None:
        if self._state == PlaybackState.PAUSED:
            self._set_state(PlaybackState.PLAYING)

    def stop(self) -> None:
        if self._state not in (PlaybackState.IDLE, PlaybackState.STOPPED):
            self._pos = 0
            self._set_state(PlaybackState.STOPPED)

    def seek(self, ms: int) -> None:
        if self._state in (PlaybackState.PLAYING, PlaybackState.PAUSED):
            end = self.duration()
            self._pos = max(0, min(int(ms), end if end is not None else int(ms)))

    def position(self) -> int:
        return self._pos

    def duration(self) -> int | None:
        if self._item is None or self._media_ms is None:
            return None
        start = self._item.start_ms or 0
        end = self._item.end_ms if self._item.end_ms is not None else self._media_ms
        return max(0, min(end, self._media_ms) - start)

    def set_volume(self, percent: int) -> None:
        self._volume = clamp_volume(percent)

    def set_muted(self, muted: bool) -> None:
        self._muted = bool(muted)

    def set_gain_db(self, db: float) -> None:
        self._gain_db = float(db)

    def set_equalizer(self, eq: Equalizer | None) -> None:
        self._equalizer = eq

    def equalizer_presets(self) -> dict[str, Equalizer]:
        return {"Flat": Equalizer(preset="Flat")}

    def output_devices(self) -> list[OutputDevice]:
        return list(self.devices)

    def set_output_device(self, device_id: str | None) -> None:
        if device_id is not None and device_id not in {d.id for d in self.devices}:
            self._device = None
            self._events.put(
                DeviceChanged(
                    None, f"Output device {device_id} is not available; using the default"
                )
            )
            return
        self._device = device_id
        self._events.put(DeviceChanged(device_id))

    def preload(self, item: MediaItem) -> None:
        self.preloaded = item

    # --- streams -----------------------------------------------------------
    def announce(self, title: str | None) -> None:
        """The stream playing announces ``title`` (its ICY "now playing"), as libVLC reports it."""
        if self._item is not None and self._item.is_url:
            self._events.put(MetadataChanged(title))

    # --- time --------------------------------------------------------------
    def advance(self, ms: int) -> None:
        """Let *ms* of wall-clock time pass, emitting ticks and the end of track."""
        remaining = int(ms)
        while remaining > 0 and self._state == PlaybackState.PLAYING:
            step = min(remaining, TICK_INTERVAL_MS - self._since_tick)
            remaining -= step
            self._since_tick += step
            end = self.duration()
            self._pos += step
            if end is not None and self._pos >= end:
                self._pos = end
                self._events.put(PositionChanged(self._pos, end))
                self._set_state(PlaybackState.ENDED)
                assert self._item is not None
                self._events.put(EndReached(self._item, end))
                return
            if self._since_tick >= TICK_INTERVAL_MS:
                self._since_tick = 0
                self._events.put(PositionChanged(self._pos, end))

    # --- events ------------------------------------------------------------
    def wait_event(self, timeout: float | None = None) -> Event | None:
        return self._events.wait(0)

    def close(self) -> None:
        self.stop()
