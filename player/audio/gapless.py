"""Measure the gap libVLC leaves between two consecutive items.

The first item plays through the paced renderer (which delivers audio at the
pace of a sound card) with the second preloaded, so the engine continues by
itself the moment the first ends, as it does for a listener. From the
renderer's delivery log: the *hand-over* time between the last buffer of the
first item (once delivered) and the first buffer of the second, and the
*silence* a device still holding the audio delivered ahead of the clock (the
renderer's lead, 0.1 s) would have played.
The rendered samples are also checked to join: first + second, nothing lost
or repeated at the seam.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from player.audio.engine import MediaItem
from player.audio.fidelity import play_through
from player.audio.render import WavOutput
from player.audio.wavio import read_wav


@dataclass(frozen=True)
class GapMeasurement:
    handover_ms: float  # wall clock from the first item's last delivery to the second's first
    silence_ms: float  # dropout a device holding the renderer's lead would have played
    seam_frame: int  # frame where the second item starts in the render
    samples: np.ndarray  # the whole render (frames x channels, float64)
    rate: int


def measure_gap(
    first: Path, second: Path, *, rate: int = 44100, channels: int = 2
) -> GapMeasurement:
    """Play *first* then the preloaded *second* in real time; see the module doc."""
    from player.audio.vlc_engine import VlcEngine

    with tempfile.TemporaryDirectory(prefix="kindred-gap-") as tmp:
        out = Path(tmp) / "gap.wav"
        engine = VlcEngine(output=WavOutput(out, paced=True, rate=rate, channels=channels))
        try:
            length_s = engine_length_s(first) + engine_length_s(second)
            items = MediaItem(str(first)), MediaItem(str(second))
            play_through(engine, *items, timeout_s=length_s + 30)
            renderer = engine.renderer
            assert renderer is not None
            deliveries = list(renderer.deliveries)
        finally:
            engine.close()
        samples, got_rate = read_wav(out)
    first_frames = decoded_frames(first, rate)
    seam = next((i for i, d in enumerate(deliveries) if d.first_frame >= first_frames), None)
    if seam is None or seam == 0:
        raise RuntimeError("the render does not contain both items")
    before, after = deliveries[seam - 1], deliveries[seam]
    return GapMeasurement(
        handover_ms=(after.at - before.done) * 1000,
        silence_ms=max(0.0, (after.at - before.done - before.ahead_s) * 1000),
        seam_frame=after.first_frame,
        samples=samples,
        rate=got_rate,
    )


def measure_gap_ms(first: Path, second: Path) -> float:
    """The hand-over time (ms) libVLC needs to go from *first* to *second*."""
    return measure_gap(Path(first), Path(second)).handover_ms


def engine_length_s(path: Path) -> float:
    """Length from the header (mutagen), 60 s when unknown."""
    import mutagen

    try:
        info = mutagen.File(path)
        return float(info.info.length)
    except Exception:  # unknown length: allow a generous minute
        return 60.0


def decoded_frames(path: Path, rate: int) -> int:
    """How many frames *path* yields at *rate* (from the header's length)."""
    return round(engine_length_s(path) * rate)
