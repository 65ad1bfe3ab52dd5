"""The output stage's signal path in 32-bit float: equalizer, gain, quantization.

Blocks are float32 arrays of shape (frames, channels) in [-1, 1). Everything
here runs inside the sound card callback, so it is plain numpy/scipy, allocates
little and never blocks. A block nobody changed (no equalizer, unity gain)
passes through untouched and is quantized without dither, so a 16- or 24-bit
source reaches a device of the same width bit-exact.
"""

from __future__ import annotations

import math
from functools import cache
from types import ModuleType

import numpy as np

from player.audio.engine import EQ_BANDS_HZ, Equalizer
from player.audio.soundmath import volume_factor

#: bands whose centre lies above this fraction of the sample rate are left out
MAX_CENTRE_FRACTION = 0.45
#: bandwidth of every peaking band, in octaves (the bands are an octave apart)
BANDWIDTH_OCTAVES = 1.0


@cache
def filters() -> ModuleType:
    """scipy.signal, imported the first time an equalizer is set (it costs a third of a
    second or more, and most listeners never turn the equalizer on). Whoever sets one
    calls this first, off the card's thread, so the signal path never waits on an import."""
    import scipy.signal

    return scipy.signal


def peaking_section(centre_hz: float, gain_db: float, rate: int) -> np.ndarray:
    """One peaking biquad (RBJ audio EQ cookbook) as a second-order section.

    Returns ``[b0, b1, b2, 1, a1, a2]``; the gain at *centre_hz* is exactly
    *gain_db*, and 0 dB gives an exact identity.
    """
    amp = 10 ** (gain_db / 40)
    w0 = 2 * math.pi * centre_hz / rate
    alpha = math.sin(w0) * math.sinh(math.log(2) / 2 * BANDWIDTH_OCTAVES * w0 / math.sin(w0))
    cos_w0 = math.cos(w0)
    a0 = 1 + alpha / amp
    b = (1 + alpha * amp, -2 * cos_w0, 1 - alpha * amp)
    a = (a0, -2 * cos_w0, 1 - alpha / amp)
    return np.array([*b, *a]) / a0


#: one second-order section that passes the signal through: the bypassed equalizer
_DRY = np.array([[1.0, 0.0, 0.0, 1.0, 0.0, 0.0]])


class EqualizerFilter:
    """Kindred's 10-band graphic equalizer on float blocks, keeping its state between them.

    The bands are peaking biquads cascaded as second-order sections, filtered
    in float64; the preamp is a plain gain. No or a flat equalizer is a bypass:
    the block comes back as it is.

    New settings while playing do not reset the filter, they take over without
    a click: the new sections go on from the inputs and outputs the old ones
    last saw (as direct form I filters would), the next block crossfades from
    the old filter to the new one and the preamp ramps across it.
    """

    def __init__(self, rate: int, channels: int) -> None:
        self.rate = rate
        self.channels = channels
        #: indices into EQ_BANDS_HZ of the bands this rate can carry
        self._bands = [i for i, f in enumerate(EQ_BANDS_HZ) if f <= MAX_CENTRE_FRACTION * rate]
        self._sos = _DRY  # the filter for the next block
        self._zi = self._fresh_state(_DRY)  # and its state
        #: the filter heard last and its state, faded out over the next block
        self._fade: tuple[np.ndarray, np.ndarray] | None = None
        #: the filter that played the last block and its state before it
        self._before = (self._sos, self._zi)
        self._last: np.ndarray | None = None  # that block's input (only its end when bypassed)
        self._gain = 1.0  # preamp factor reached at the end of the last block
        self._target = 1.0

    @property
    def active(self) -> bool:
        """Whether the equalizer changes the signal (False = bypass)."""
        return self._sos is not _DRY or self._fade is not None

    def set(self, eq: Equalizer | None) -> None:
        """Use new settings from the next block on; None or a flat equalizer bypasses."""
        if eq is None or eq.is_flat:
            sos, self._target = _DRY, 1.0
        else:
            filters()
            bands = [
                peaking_section(EQ_BANDS_HZ[i], eq.bands_db[i], self.rate) for i in self._bands
            ]
            sos, self._target = np.array(bands).reshape(-1, 6), 10 ** (eq.preamp_db / 20)
        if self._last is None or len(self._last) < 2:  # nothing (much) played: start right there
            self._zi, self._gain = self._fresh_state(sos), self._target
        else:
            if self._fade is None:
                self._fade = (self._sos, self._zi)
            self._zi = (
                self._fresh_state(sos)
                if sos is _DRY
                else _state_from_history(sos, *self._history())
            )
        self._sos = sos

    def process(self, block: np.ndarray) -> np.ndarray:
        """The equalized block (float32, same shape); the input object itself when bypassed."""
        if not len(block):
            return block
        self._before = (self._sos, self._zi)
        if self._sos is _DRY and self._fade is None:
            self._last = block[-2:].copy()
            return block
        self._last = block.copy()
        out, self._zi = filters().sosfilt(self._sos, block, axis=0, zi=self._zi)
        if self._fade is not None:
            old = filters().sosfilt(self._fade[0], block, axis=0, zi=self._fade[1])[0]
            out = old + (out - old) * np.linspace(0.0, 1.0, len(block))[:, None]
            self._fade = None
        out = apply_gain(out, self._gain, self._target)
        self._gain = self._target
        return out.astype(np.float32, copy=False)

    def _fresh_state(self, sos: np.ndarray) -> np.ndarray:
        return np.zeros((len(sos), 2, self.channels))

    def _history(self) -> tuple[np.ndarray, np.ndarray]:
        """Every band's last two inputs and outputs (newest first), shape (sections, 2, channels)."""
        assert self._last is not None
        sos, zi = self._before
        last = self._last.astype(np.float64)
        if sos is _DRY:  # bypassed: every section passed the signal through
            xs = np.broadcast_to(last[:-3:-1], (len(self._bands), 2, self.channels))
            return xs, xs
        if len(last) > 2:
            zi = filters().sosfilt(sos, last[:-2], axis=0, zi=zi)[1]
        xs = np.empty((len(sos), 2, self.channels))
        ys = np.empty_like(xs)
        signal = last[-2:]
        for k, section in enumerate(sos):
            out = filters().lfilter(section[:3], section[3:], signal, axis=0, zi=zi[k])[0]
            xs[k], ys[k] = signal[::-1], out[::-1]
            signal = out
        return xs, ys


def _state_from_history(sos: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """The sosfilt state that makes *sos* go on from these inputs and outputs (as lfiltic)."""
    b1, b2, a1, a2 = (sos[:, i, None] for i in (1, 2, 4, 5))
    z1 = b1 * xs[:, 0] + b2 * xs[:, 1] - a1 * ys[:, 0] - a2 * ys[:, 1]
    z2 = b2 * xs[:, 0] - a2 * ys[:, 0]
    return np.stack([z1, z2], axis=1)


def gain_factor(volume_percent: float, muted: bool, gain_db: float) -> float:
    """The linear factor of a volume (Kindred's cubic curve) plus an extra gain in dB."""
    return volume_factor(volume_percent, muted) * 10 ** (gain_db / 20)


def apply_gain(block: np.ndarray, start: float, end: float) -> np.ndarray:
    """The block times a gain going linearly from *start* (first frame) to *end* (last frame).

    Ramping over the block keeps a volume change from clicking; unity gives
    back the input itself.
    """
    if start == end == 1.0:
        return block
    if start == end:
        return block * block.dtype.type(start)
    ramp = np.linspace(start, end, len(block), dtype=block.dtype)
    return block * ramp.reshape((-1,) + (1,) * (block.ndim - 1))


def needs_dither(gain: float, eq_active: bool) -> bool:
    """Whether the signal was changed, so its quantization needs dither.

    An untouched signal (unity gain, no equalizer) already lies on the device's
    integer grid and must stay bit-exact.
    """
    return gain != 1.0 or eq_active


def quantize(block: np.ndarray, bits: int, *, dither: bool, rng: np.random.Generator) -> np.ndarray:
    """Float samples in [-1, 1) as the integers a 16-, 24- or 32-bit device takes.

    16 bits give int16; 24 and 32 bits give int32, 24 bits left-justified
    (value << 8) as PortAudio's paInt32 expects. With *dither*, TPDF dither of
    ±1 LSB goes in before rounding; the result is clipped, never wrapped.
    """
    if bits not in (16, 24, 32):
        raise ValueError(f"cannot quantize to {bits} bits")
    top = 2.0 ** (bits - 1)
    scaled = block.astype(np.float64) * top
    if dither:
        scaled += rng.random(block.shape) - rng.random(block.shape)
    ints = np.clip(np.rint(scaled), -top, top - 1)
    if bits == 16:
        return ints.astype(np.int16)
    ints = ints.astype(np.int32)
    return ints << 8 if bits == 24 else ints


#: libVLC 3's equalizer presets in Kindred's scale (preamp relative to libVLC's
#: nominal 12 dB, see soundmath.preset_from_libvlc), so no libVLC is needed for them
_LIBVLC_PRESETS: dict[str, tuple[float, tuple[float, ...]]] = {
    "Flat": (0.0, (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)),
    "Classical": (0.0, (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -7.2, -7.2, -7.2, -9.6)),
    "Club": (-6.0, (0.0, 0.0, 8.0, 5.6, 5.6, 5.6, 3.2, 0.0, 0.0, 0.0)),
    "Dance": (-7.0, (9.6, 7.2, 2.4, 0.0, 0.0, -5.6, -7.2, -7.2, 0.0, 0.0)),
    "Full bass": (-7.0, (-8.0, 9.6, 9.6, 5.6, 1.6, -4.0, -8.0, -10.4, -11.2, -11.2)),
    "Full bass and treble": (-8.0, (7.2, 5.6, 0.0, -7.2, -4.8, 1.6, 8.0, 11.2, 12.0, 12.0)),
    "Full treble": (-9.0, (-9.6, -9.6, -9.6, -4.0, 2.4, 11.2, 16.0, 16.0, 16.0, 16.8)),
    "Headphones": (-8.0, (4.8, 11.2, 5.6, -3.2, -2.4, 1.6, 4.8, 9.6, 12.8, 14.4)),
    "Large Hall": (-7.0, (10.4, 10.4, 5.6, 5.6, 0.0, -4.8, -4.8, -4.8, 0.0, 0.0)),
    "Live": (-5.0, (-4.8, 0.0, 4.0, 5.6, 5.6, 5.6, 4.0, 2.4, 2.4, 2.4)),
    "Party": (-6.0, (7.2, 7.2, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 7.2, 7.2)),
    "Pop": (-6.0, (-1.6, 4.8, 7.2, 8.0, 5.6, 0.0, -2.4, -2.4, -1.6, -1.6)),
    "Reggae": (-4.0, (0.0, 0.0, 0.0, -5.6, 0.0, 6.4, 6.4, 0.0, 0.0, 0.0)),
    "Rock": (-7.0, (8.0, 4.8, -5.6, -8.0, -3.2, 4.0, 8.8, 11.2, 11.2, 11.2)),
    "Ska": (-6.0, (-2.4, -4.8, -4.0, 0.0, 4.0, 5.6, 8.8, 9.6, 11.2, 9.6)),
    "Soft": (-7.0, (4.8, 1.6, 0.0, -2.4, 0.0, 4.0, 8.0, 9.6, 11.2, 12.0)),
    "Soft rock": (-5.0, (4.0, 4.0, 2.4, 0.0, -4.0, -5.6, -3.2, 0.0, 2.4, 8.8)),
    "Techno": (-7.0, (8.0, 5.6, 0.0, -5.6, -4.8, 0.0, 8.0, 9.6, 9.6, 8.8)),
}

EQ_PRESETS: dict[str, Equalizer] = {
    name: Equalizer(preamp_db=preamp, bands_db=bands, preset=name)
    for name, (preamp, bands) in _LIBVLC_PRESETS.items()
}
