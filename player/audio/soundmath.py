"""The arithmetic between Kindred's sound settings and libVLC's controls.

Kindred speaks plain decibels: 0 dB is unity everywhere. libVLC does not:

* its volume is a percentage on a cubic curve (50 % = -18.06 dB);
* its equalizer mixes the dry signal at a quarter (-12.04 dB) and expects the
  preamp to win that back, so unity is a preamp of ``20*log10(4)``; its
  presets are written against a nominal unity of 12 dB; preamp and bands are
  limited to -20..+20 dB.

The equalizer preamp is the only per-track float gain libVLC exposes for the
sound card, so ReplayGain rides on it; whatever falls outside its range is made
up through the volume (or, for a faithful WAV render, by scaling the samples).
No libVLC here, so every rule is unit-testable.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from player.audio.engine import EQ_BANDS_HZ, Equalizer

#: libVLC preamp that gives a gain of exactly 1 with flat bands (the dry path is x0.25)
EQ_UNITY_PREAMP = 20 * math.log10(4)
#: libVLC's presets treat a preamp of 12 dB as unity; Kindred shows presets relative to it
PRESET_UNITY_PREAMP = 12.0
#: range libVLC accepts for the preamp and for every band
LIBVLC_EQ_MIN_DB = -20.0
LIBVLC_EQ_MAX_DB = 20.0
#: libVLC's volume goes up to 200 %
MAX_VOLUME_PERCENT = 200


def volume_db(percent: float) -> float:
    """Gain of a libVLC volume percentage (cubic curve); -inf at 0 %."""
    if percent <= 0:
        return -math.inf
    return 60 * math.log10(percent / 100)


def volume_factor(percent: float, muted: bool = False) -> float:
    """Linear amplitude factor of a volume percentage, 0 when muted."""
    if muted or percent <= 0:
        return 0.0
    return (percent / 100) ** 3


def volume_with_extra_gain(percent: int, extra_db: float) -> int:
    """A volume percentage that also carries *extra_db* (integer percent, so ±0.13 dB)."""
    if percent <= 0 or extra_db == 0:
        return percent
    scaled = round(percent * 10 ** (extra_db / 60))
    return max(0, min(MAX_VOLUME_PERCENT, scaled))


@dataclass(frozen=True)
class EqValues:
    """What to hand libVLC's equalizer, and the gain it could not carry."""

    preamp: float  # libVLC scale
    bands: tuple[float, ...]
    leftover_db: float  # wanted but outside the preamp range: apply elsewhere
    clamped: bool


def clamp_eq(value: float) -> float:
    return max(LIBVLC_EQ_MIN_DB, min(LIBVLC_EQ_MAX_DB, value))


def libvlc_eq_values(eq: Equalizer | None, gain_db: float) -> EqValues | None:
    """libVLC equalizer values for an equalizer plus an extra gain.

    None when nothing needs to touch the signal (no or flat equalizer and no
    gain): then no equalizer is attached at all, the faithful path.
    """
    if (eq is None or eq.is_flat) and gain_db == 0:
        return None
    eq = eq or Equalizer()
    wanted = EQ_UNITY_PREAMP + eq.preamp_db + gain_db
    preamp = clamp_eq(wanted)
    bands = tuple(clamp_eq(b) for b in eq.bands_db)
    clamped = preamp != wanted or bands != tuple(eq.bands_db)
    return EqValues(preamp, bands, wanted - preamp, clamped)


def unity_eq_values() -> EqValues:
    """An attached equalizer that leaves the signal as it is."""
    return EqValues(EQ_UNITY_PREAMP, (0.0,) * len(EQ_BANDS_HZ), 0.0, False)


def preset_from_libvlc(name: str, preamp: float, bands: list[float]) -> Equalizer:
    """A libVLC preset in Kindred's scale (0 dB preamp = unity)."""
    return Equalizer(
        preamp_db=round(preamp - PRESET_UNITY_PREAMP, 2),
        bands_db=tuple(round(b, 2) + 0.0 for b in bands),
        preset=name,
    )


def plan_equalizer(
    eq: Equalizer | None, gain_db: float, *, attached: bool, live: bool
) -> EqValues | None:
    """What the libVLC equalizer should be now; None = detach (or stay detached).

    While an item plays, attaching or detaching restarts libVLC's audio output
    (an audible dropout) but changing an attached one does not: so a playing
    item keeps an attached equalizer at unity rather than losing it.
    """
    values = libvlc_eq_values(eq, gain_db)
    if values is None and attached and live:
        return unity_eq_values()
    return values
