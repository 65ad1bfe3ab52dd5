"""The playback controller's sleep timer: fade the volume, then pause.

A mixin of :class:`~player.audio.controller.PlaybackController`. The fade
lowers only what the engine plays; the listener's volume setting stays, and
comes back as soon as the timer ends or is cancelled.
"""

from __future__ import annotations

import logging

from player.audio.controller_events import SleepEnded
from player.audio.engine import Engine, PlaybackState
from player.audio.sleep import SleepTimer
from player.config import AudioSettings

log = logging.getLogger(__name__)


class SleepControl:
    """``set_sleep_timer`` and the check :meth:`pump` makes; needs ``engine``, ``settings``."""

    engine: Engine
    settings: AudioSettings
    sleep: SleepTimer
    _faded_to: int | None  # the volume last sent while fading (None: the listener's)
    _resolving: object | None  # a stream address being looked up (nothing in the engine yet)

    def pause(self) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def duration(self) -> int | None:
        raise NotImplementedError

    def set_sleep_timer(self, seconds: float | None) -> None:
        """Fade out and pause ``seconds`` from now; None (or 0) cancels the timer."""
        if seconds:
            self.sleep.start(seconds)
            log.info("sleep timer: pausing in %.0f s", seconds)
        else:
            self.sleep.cancel()
        self._apply_sleep_level()

    def audible_volume(self) -> int:
        """The volume the engine plays at: the listener's, lowered while the timer fades."""
        return round(self.settings.volume * self.sleep.level())

    def _apply_sleep_level(self) -> None:
        volume = self.audible_volume()
        faded = None if volume == self.settings.volume else volume
        if faded != self._faded_to:  # only changes reach the engine, not every pump
            self.engine.set_volume(volume)
            self._faded_to = faded

    def _check_sleep(self) -> SleepEnded | None:
        """Called on every pump: follow the fade, and pause once the timer is due."""
        if not self.sleep.active:
            return None
        if not self.sleep.due():
            self._apply_sleep_level()
            return None
        state = self.engine.state
        playing = self._resolving is not None or state in (
            PlaybackState.PLAYING,
            PlaybackState.BUFFERING,
            PlaybackState.OPENING,
        )
        if state == PlaybackState.PLAYING and self.duration():
            self.pause()
        elif playing:  # a live stream, or an item still on its way: a pause would not hold it
            self.stop()
        self.sleep.cancel()
        self._apply_sleep_level()  # the listener's volume for the next play
        log.info("sleep timer: ended, %s", "paused" if playing else "nothing was playing")
        return SleepEnded(paused=playing)
