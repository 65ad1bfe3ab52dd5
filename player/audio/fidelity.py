"""Render a file through libVLC faithfully and compare it with an independent decode.

:func:`render_faithful` plays a file through the engine's faithful WAV output
(float32, gain, volume and equalizer applied as on the sound card) and returns
the samples; :func:`faithful_max_deviation` is the figure the benchmark
reports: the largest difference, in LSB at the file's bit depth, between what
libVLC renders at 100 % volume with no gain and no equalizer and what ffmpeg
decodes. ffmpeg must be installed (it is the independent reference).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from player.audio.engine import EndReached, Engine, EngineError, Equalizer, MediaItem
from player.audio.wavio import read_wav
from player.errors import AppError


def play_through(
    engine: Engine, item: MediaItem, then: MediaItem | None = None, timeout_s: float = 60.0
) -> None:
    """Play *item* (and the preloaded *then*) to the end; raises AppError on an engine error."""
    engine.load(item)
    if then is not None:
        engine.preload(then)
    engine.play()
    ends = 1 if then is None else 2
    deadline = time.monotonic() + timeout_s
    seen = 0
    while seen < ends:
        if time.monotonic() > deadline:
            raise AppError("Rendering took too long", f"{item.location} did not finish playing.")
        event = engine.wait_event(0.1)
        if isinstance(event, EngineError):
            raise event.error
        if isinstance(event, EndReached):
            seen += 1


def render_faithful(
    path: Path,
    out: Path,
    *,
    gain_db: float = 0.0,
    volume: int = 100,
    muted: bool = False,
    equalizer: Equalizer | None = None,
) -> tuple[np.ndarray, int]:
    """Render *path* into the float32 WAV *out*; returns (frames x channels, rate)."""
    from player.audio.render import WavOutput
    from player.audio.vlc_engine import VlcEngine

    engine = VlcEngine(output=WavOutput(Path(out)))
    try:
        engine.set_volume(volume)
        engine.set_muted(muted)
        engine.set_gain_db(gain_db)
        engine.set_equalizer(equalizer)
        play_through(engine, MediaItem(str(path)))
    finally:
        engine.close()
    return read_wav(out)


def decode_reference(path: Path) -> tuple[np.ndarray, int]:
    """ffmpeg's decode as float64 (via 32-bit integers, exact for 16 and 24 bit)."""
    if shutil.which("ffmpeg") is None:
        raise AppError("ffmpeg is not installed", "The fidelity check decodes with ffmpeg.")
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", "a:0", "-show_entries",
         "stream=sample_rate,channels", "-of", "csv=p=0", str(path)],
        capture_output=True, text=True, check=True, timeout=60,
    ).stdout.strip().split(",")  # fmt: skip
    rate, channels = int(probe[0]), int(probe[1])
    raw = subprocess.run(
        ["ffmpeg", "-v", "error", "-nostdin", "-i", str(path), "-f", "s32le", "-"],
        capture_output=True, check=True, timeout=120,
    ).stdout  # fmt: skip
    ints = np.frombuffer(raw, dtype="<i4").reshape(-1, channels)
    return ints.astype(np.float64) / 2**31, rate


def bit_depth(path: Path) -> int:
    """The file's bit depth from its header (16 when the format has none)."""
    import mutagen

    try:
        info = mutagen.File(path)
    except Exception:  # unreadable header: assume CD depth
        return 16
    bits = getattr(getattr(info, "info", None), "bits_per_sample", None)
    return int(bits) if bits else 16


@dataclass(frozen=True)
class Comparison:
    max_deviation_lsb: float  # at the given bit depth
    compared: int  # frames compared
    expected: int  # frames in the reference
    offset: int  # rendered frame i matches reference frame i + offset


def compare(
    rendered: np.ndarray, reference: np.ndarray, bits: int, search: int = 256
) -> Comparison:
    """Align the two (the best of +-*search* frames) and measure the largest difference."""
    probe = min(len(rendered), len(reference), 8192) - search
    best, best_err = 0, np.inf
    for offset in range(-search, search + 1):
        a = rendered[max(0, -offset) : max(0, -offset) + probe]
        b = reference[max(0, offset) : max(0, offset) + probe]
        n = min(len(a), len(b))
        err = float(np.abs(a[:n] - b[:n]).max()) if n else np.inf
        if err < best_err:
            best, best_err = offset, err
    a = rendered[max(0, -best) :]
    b = reference[max(0, best) :]
    n = min(len(a), len(b))
    deviation = float(np.abs(a[:n] - b[:n]).max()) * 2 ** (bits - 1) if n else np.inf
    return Comparison(deviation, n, len(reference), best)


def faithful_comparison(path: Path, bits: int | None = None) -> Comparison:
    """Render *path* at unity (100 %, no gain, no equalizer) and compare with ffmpeg."""
    bits = bits or bit_depth(Path(path))
    with tempfile.TemporaryDirectory(prefix="kindred-fidelity-") as tmp:
        rendered, _ = render_faithful(Path(path), Path(tmp) / "render.wav")
    reference, _ = decode_reference(Path(path))
    return compare(rendered, reference, bits)


def faithful_max_deviation(path: Path, bits: int | None = None) -> int:
    """Largest deviation (LSB at the file's depth) of libVLC's render from ffmpeg's decode."""
    return int(np.ceil(faithful_comparison(path, bits).max_deviation_lsb))
