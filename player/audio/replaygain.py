"""ReplayGain: which gain a track plays at, from the loudness data the library stored.

Kindred applies ReplayGain itself, for every format, from the values the
library read from the tags (libVLC ignores the tags of some formats and would
cut untagged files). The rules:

* mode ``off``: no gain; ``track``: the track's gain; ``album``: the album's;
  ``auto``: the album's when the album plays whole and in order (its intended
  dynamics), else the track's. Missing album data falls back to the track's
  and vice versa.
* Opus files carry ``R128_*_GAIN`` relative to -23 LUFS instead; ReplayGain's
  reference is about -18 LUFS, so 5 dB is added to speak ReplayGain terms.
  (The Opus header's output gain is applied by the decoder itself.)
* the preamp is added to a tagged gain; a file without any data gets the
  fallback gain instead (no preamp: it is the whole answer for unknown files).
* clipping prevention limits the gain so that peak * 10^(gain/20) <= 1, using
  the stored peak of the chosen source (R128 carries no peak).

Plain Python, no libVLC: the engine only receives the resulting dB.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from typing import Any, Protocol

log = logging.getLogger(__name__)

MODES = ("off", "track", "album", "auto")
#: ReplayGain 2 targets about -18 LUFS, R128 gains are relative to -23 LUFS
R128_TO_REPLAYGAIN_DB = 5.0


class LoudnessData(Protocol):
    """What a track tells about its loudness (TrackInfo has these fields)."""

    rg_track_gain: float | None
    rg_track_peak: float | None
    rg_album_gain: float | None
    rg_album_peak: float | None
    r128_track_gain: float | None
    r128_album_gain: float | None


@dataclass(frozen=True)
class GainDecision:
    """The gain to apply, where it came from, and whether clipping prevention cut it."""

    db: float
    source: str  # "off" | "track" | "album" | "r128" | "fallback"
    limited: bool = False


@dataclass(frozen=True)
class ReplayGainSettings:
    """The listener's ReplayGain preferences."""

    mode: str = "auto"
    preamp_db: float = 0.0
    fallback_db: float = -6.0
    prevent_clipping: bool = True

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"ReplayGain mode must be one of {MODES}, not {self.mode!r}")

    @classmethod
    def from_audio_settings(cls, settings: Any) -> ReplayGainSettings:
        """From :class:`player.config.AudioSettings` (or a Settings holding one in ``audio``).

        An unknown mode in a hand-edited settings file means ``auto``.
        """
        audio = getattr(settings, "audio", settings)
        mode = str(getattr(audio, "replaygain_mode", "auto") or "auto").lower()
        if mode not in MODES:
            log.warning("unknown ReplayGain mode %r in the settings; using auto", mode)
            mode = "auto"
        return cls(
            mode=mode,
            preamp_db=float(audio.replaygain_preamp_db),
            fallback_db=float(audio.replaygain_fallback_db),
            prevent_clipping=bool(audio.prevent_clipping),
        )


def _finite(value: float | None) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _candidates(data: LoudnessData, album: bool) -> list[tuple[str, float | None, float | None]]:
    """(source, gain, peak) in order of preference: R128 first (the Opus standard)."""
    get = lambda name: _finite(getattr(data, name, None))  # noqa: E731
    r128_track = get("r128_track_gain")
    r128_album = get("r128_album_gain")
    track = [
        ("r128", None if r128_track is None else r128_track + R128_TO_REPLAYGAIN_DB, None),
        ("track", get("rg_track_gain"), get("rg_track_peak")),
    ]
    album_list = [
        ("r128", None if r128_album is None else r128_album + R128_TO_REPLAYGAIN_DB, None),
        ("album", get("rg_album_gain"), get("rg_album_peak") or get("rg_track_peak")),
    ]
    return album_list + track if album else track + album_list


def limit_for_peak(db: float, peak: float | None) -> tuple[float, bool]:
    """*db* lowered so that *peak* does not exceed full scale; (db, whether lowered)."""
    if peak is None or peak <= 0:
        return db, False
    ceiling = -20 * math.log10(peak)
    return (ceiling, True) if db > ceiling else (db, False)


def compute_gain(
    data: LoudnessData | None,
    settings: ReplayGainSettings,
    *,
    album_in_order: bool = False,
) -> GainDecision:
    """The gain for a track (``data`` None = nothing known about it)."""
    if settings.mode == "off":
        return GainDecision(0.0, "off")
    album = settings.mode == "album" or (settings.mode == "auto" and album_in_order)
    chosen = None
    if data is not None:
        chosen = next(((s, g, p) for s, g, p in _candidates(data, album) if g is not None), None)
    if chosen is None:
        return GainDecision(settings.fallback_db, "fallback")
    source, gain, peak = chosen
    assert gain is not None
    db = gain + settings.preamp_db
    limited = False
    if settings.prevent_clipping:
        db, limited = limit_for_peak(db, peak)
    return GainDecision(db, source, limited)
