"""Volume, mute, output device, equalizer and ReplayGain mode of the playback controller.

Each setter applies the change to the engine and remembers it in
:class:`~player.config.AudioSettings` (then calls ``on_settings_changed`` so
the owner can save), so the next start sounds the same. A mixin of
:class:`~player.audio.controller.PlaybackController`, split out to keep the
controller's state machine readable.
"""

from __future__ import annotations

from collections.abc import Callable

from player.audio.engine import Engine, Equalizer, OutputDevice, clamp_volume
from player.audio.queue import QueueItem
from player.audio.replaygain import MODES
from player.config import AudioSettings
from player.errors import AppError


class AudioPreferences:
    """The controller's preference setters; needs ``engine``, ``settings`` and ``_muted``."""

    engine: Engine
    settings: AudioSettings
    on_settings_changed: Callable[[], None] | None
    device_message: str | None
    _muted: bool
    _pending_pause: bool
    _item: QueueItem | None

    def _apply_gain(self, item: QueueItem) -> None:
        raise NotImplementedError

    def audible_volume(self) -> int:
        raise NotImplementedError

    @property
    def volume(self) -> int:
        return self.settings.volume

    def set_volume(self, percent: int) -> None:
        self.settings.volume = clamp_volume(percent)
        self.engine.set_volume(self.audible_volume())  # a sleep timer's fade goes on
        self._settings_changed()

    @property
    def muted(self) -> bool:
        return self._muted

    def set_muted(self, muted: bool) -> None:
        self._muted = self.settings.muted = bool(muted)
        self._settings_changed()
        if not self._pending_pause:
            self.engine.set_muted(self._muted)

    def output_devices(self) -> list[OutputDevice]:
        return self.engine.output_devices()

    def select_device(self, device_id: str | None) -> None:
        """Use and remember an output device (None or "" = the system default)."""
        self.settings.output_device = device_id or ""
        self.device_message = None
        self.engine.set_output_device(device_id or None)
        self._settings_changed()

    def equalizer_presets(self) -> dict[str, Equalizer]:
        return self.engine.equalizer_presets()

    def set_equalizer(self, eq: Equalizer | None) -> None:
        """Use and remember an equalizer (None turns it off)."""
        audio = self.settings
        audio.equalizer_enabled = eq is not None
        if eq is not None:
            audio.equalizer_preset = eq.preset or ""
            audio.equalizer_bands = list(eq.bands_db)
            audio.equalizer_preamp_db = eq.preamp_db
        self.engine.set_equalizer(eq)
        self._settings_changed()

    def set_equalizer_preset(self, name: str) -> Equalizer:
        """Switch the equalizer on with a named preset; unknown names raise AppError."""
        presets = self.equalizer_presets()
        match = next((key for key in presets if key.casefold() == name.casefold()), None)
        if match is None:
            raise AppError(
                f"Unknown equalizer preset {name!r}",
                "Equalizer presets: " + ", ".join(presets),
            )
        eq = presets[match]
        self.set_equalizer(eq if eq.preset else Equalizer(eq.preamp_db, eq.bands_db, match))
        return presets[match]

    def equalizer_from_settings(self) -> Equalizer | None:
        """The equalizer the settings describe (custom bands, else the named preset)."""
        audio = self.settings
        if not audio.equalizer_enabled:
            return None
        bands = tuple(float(b) for b in audio.equalizer_bands)
        try:
            return Equalizer(audio.equalizer_preamp_db, bands, audio.equalizer_preset or None)
        except ValueError:  # no or malformed custom bands: use the preset by name
            pass
        presets = self.equalizer_presets()
        return presets.get(audio.equalizer_preset)

    def set_replaygain_mode(self, mode: str) -> None:
        """off | track | album | auto; applies to the playing item at once."""
        if mode not in MODES:
            raise AppError(
                f"Unknown ReplayGain mode {mode!r}", "ReplayGain modes: " + ", ".join(MODES)
            )
        self.settings.replaygain_mode = mode
        if self._item is not None:
            self._apply_gain(self._item)
        self._settings_changed()

    @property
    def bit_perfect_supported(self) -> bool:
        """Whether this engine can give the card each track's own samples (the output stage)."""
        return hasattr(self.engine, "bit_perfect")

    def output_path(self) -> str:
        """What the device gets, as the engine describes it ("" when it cannot say)."""
        describe = getattr(self.engine, "describe_output", None)
        return str(describe()) if describe is not None else ""

    def set_bit_perfect(self, on: bool) -> None:
        """The card gets each track's own samples, rate and format (no volume, ReplayGain or
        equalizer); from the next track on."""
        self.settings.bit_perfect = bool(on)
        if self.bit_perfect_supported:
            self.engine.bit_perfect = bool(on)  # type: ignore[attr-defined]
        self._settings_changed()

    def set_crossfade(self, seconds: float) -> None:
        """Overlap the end of a track and the start of the next (equal power) by *seconds*
        (0 = off, else 1 to 12), never within an album; from the next track on."""
        seconds = 0.0 if seconds <= 0 else max(1.0, min(12.0, float(seconds)))
        self.settings.crossfade_s = seconds
        if hasattr(self.engine, "crossfade_s"):
            self.engine.crossfade_s = seconds  # type: ignore[attr-defined]
        self._settings_changed()

    def set_sample_format(self, fmt: str) -> None:
        """What the card is given in shared mode: "auto" (what it takes), "float", or
        integers "32", "24", "16" (dithered when the signal was changed)."""
        from player.audio.output.formats import SAMPLE_FORMATS

        if fmt not in SAMPLE_FORMATS:
            raise AppError(
                f"Unknown sample format {fmt!r}", "Sample formats: " + ", ".join(SAMPLE_FORMATS)
            )
        self.settings.sample_format = fmt
        if hasattr(self.engine, "sample_format"):
            self.engine.sample_format = fmt  # type: ignore[attr-defined]
        self._settings_changed()

    def apply_settings(self) -> None:
        """Push volume, mute, output device, equalizer and bit-perfect output from the
        settings into the engine."""
        if self.bit_perfect_supported:
            self.engine.bit_perfect = bool(self.settings.bit_perfect)  # type: ignore[attr-defined]
        if hasattr(self.engine, "crossfade_s"):
            self.engine.crossfade_s = float(self.settings.crossfade_s)  # type: ignore[attr-defined]
        if hasattr(self.engine, "sample_format"):
            self.engine.sample_format = str(self.settings.sample_format)  # type: ignore[attr-defined]
        self.engine.set_volume(clamp_volume(self.settings.volume))
        self.engine.set_muted(self._muted)
        if self.settings.output_device:
            self.engine.set_output_device(self.settings.output_device)
        self.engine.set_equalizer(self.equalizer_from_settings())

    def _settings_changed(self) -> None:
        if self.on_settings_changed is not None:
            self.on_settings_changed()
