"""What every Engine implementation keeps the same way: its state, its settings as
last set, and the mailbox its events go through.

The libVLC engine and the in-memory fake both start from this, so the two
cannot drift apart on the plain parts of the Engine protocol.
"""

from __future__ import annotations

import threading

from player.audio.engine import (
    Equalizer,
    Event,
    EventQueue,
    MediaItem,
    PlaybackState,
    StateChanged,
)


class EngineState:
    """State, volume, mute, gain, equalizer and device as set; events out."""

    def __init__(self) -> None:
        self._events = EventQueue()
        self._lock = threading.RLock()
        self._state = PlaybackState.IDLE
        self._item: MediaItem | None = None
        self._volume = 100
        self._muted = False
        self._gain_db = 0.0
        self._equalizer: Equalizer | None = None
        self._device: str | None = None

    @property
    def state(self) -> PlaybackState:
        return self._state

    @property
    def volume(self) -> int:
        return self._volume

    @property
    def muted(self) -> bool:
        return self._muted

    @property
    def gain_db(self) -> float:
        return self._gain_db

    @property
    def equalizer(self) -> Equalizer | None:
        return self._equalizer

    @property
    def output_device(self) -> str | None:
        return self._device

    @property
    def wants_next(self) -> MediaItem | None:
        """None: this engine is given the next item near the end (see Engine.wants_next)."""
        return None

    def _set_state(self, state: PlaybackState) -> None:
        with self._lock:
            if state != self._state:
                self._state = state
                self._events.put(StateChanged(state))

    def drain_events(self) -> list[Event]:
        return self._events.drain()
