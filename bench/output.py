"""Benchmark: what reaches a sound device when album tracks join, Kindred next to mpv.

A private PulseAudio daemon plays to a null sink that ``parec`` records from
its monitor in real time (:mod:`tests.pulse`). One continuous 441 Hz sine is
cut at an arbitrary sample into two tracks, as 44.1 kHz/16-bit FLAC and as
LAME MP3 (ffmpeg's libmp3lame, with the LAME header that records the encoder
delay and padding); ``kindred play a b`` plays each pair to its end, then
``mpv`` does the same on the same sink. :mod:`tests.sinegap` reads each
recording. Figures (medians of ``--runs`` runs, per format):

* ``gap_ms``: silence (below -80 dBFS) at the join, as heard at the device;
* ``phase_jump_deg``: the sine after the join against the sine before it,
  the silence cut out (samples lost or added at the join; 3.6 degrees per sample);
* ``lost_ms``: the sine's length minus what was heard (a cut-off ending shows here);
* ``drift_ppm``: the played sine's frequency against the true one (a resampler
  that follows the sink's clock shows here);
* ``mpv_gap_ms`` / ``mpv_phase_jump_deg`` / ``mpv_lost_ms``: the same for
  ``mpv --no-video --ao=pulse``, null when mpv is not installed.

Target: ``gap_ms`` 0 and ``phase_jump_deg`` 0 for every format, as mpv.
Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.pulse import RATE, PulseServer, pulse_missing  # noqa: E402
from tests.sinegap import SineGaps, continuous_sine, measure_sine_gaps, write_wav  # noqa: E402

FREQ = 441.0
#: what each run reports, per format (and again with the ``mpv_`` prefix)
FIGURES = ("gap_ms", "phase_jump_deg", "lost_ms", "drift_ppm")
FORMATS = {
    "flac": ["-c:a", "flac", "-sample_fmt", "s16"],
    "mp3": ["-c:a", "libmp3lame", "-b:a", "192k"],
}


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y", *args], check=True, timeout=120)


def make_pairs(folder: Path, seconds: float) -> tuple[dict[str, tuple[Path, Path]], int, int]:
    """The sine cut in two, per format; also the cut and the sine's length in samples."""
    sine = continuous_sine(seconds, FREQ, RATE)
    cut = round(seconds * RATE * 0.43) + 37  # an arbitrary sample, not at a zero crossing
    wavs = (write_wav(folder / "a.wav", sine[:cut]), write_wav(folder / "b.wav", sine[cut:]))
    pairs: dict[str, tuple[Path, Path]] = {}
    for fmt, codec in FORMATS.items():
        a, b = folder / f"a.{fmt}", folder / f"b.{fmt}"
        for wav, out in zip(wavs, (a, b), strict=True):
            ffmpeg("-i", str(wav), *codec, str(out))
        pairs[fmt] = (a, b)
    return pairs, cut, len(sine)


def join_at(report: SineGaps, cut_ms: float) -> tuple[float, float]:
    """Silence and phase jump of the join nearest the cut; (0, largest jump) with no silence."""
    if not report.joins:
        return 0.0, report.max_phase_jump_deg
    join = min(report.joins, key=lambda j: abs(j.at_ms - cut_ms))
    return join.silence_ms, abs(join.phase_jump_deg)


def measure(
    pulse: PulseServer, command: list[str], pair: tuple[Path, Path], out: Path,
    env: dict[str, str], cut: int, frames: int,
) -> dict[str, float]:  # fmt: skip
    recorded = pulse.record([[*command, *map(str, pair)]], out, env=env, timeout=120)
    report = measure_sine_gaps(recorded, FREQ, RATE, source_frames=frames)
    gap, jump = join_at(report, cut * 1000 / RATE)
    return {
        "gap_ms": gap,
        "phase_jump_deg": jump,
        "lost_ms": report.lost_ms or 0.0,
        "drift_ppm": report.drift_ppm,
    }


def median(values: list[float], digits: int = 1) -> float:
    return round(statistics.median(values), digits)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=4.0, help="length of the whole sine")
    parser.add_argument("--verbose", action="store_true", help="each run's figures on stderr")
    args = parser.parse_args()
    missing = pulse_missing()
    if missing:
        raise SystemExit(f"bench/output.py: {missing}")
    players = {"": [sys.executable, "-m", "player", "play", "--volume", "100"]}
    if shutil.which("mpv"):
        players["mpv_"] = ["mpv", "--no-video", "--ao=pulse", "--no-config", "--really-quiet"]
    result: dict[str, object] = {"runs": args.runs, "seconds": args.seconds}
    with tempfile.TemporaryDirectory(prefix="kindred-bench-") as tmp, PulseServer() as pulse:
        folder = Path(tmp)
        pairs, cut, frames = make_pairs(folder, args.seconds)
        env = {"KINDRED_HOME": str(folder / "home"), "PYTHONPATH": str(ROOT)}
        env["PYTHONPATH"] += os.pathsep + os.environ.get("PYTHONPATH", "")
        for prefix, command in players.items():
            figures: dict[str, dict[str, float]] = {}
            for fmt, pair in pairs.items():
                runs = [
                    measure(pulse, command, pair, folder / "rec.raw", env, cut, frames)
                    for _ in range(args.runs)
                ]
                figures[fmt] = {key: median([r[key] for r in runs]) for key in FIGURES}
                if args.verbose:
                    print(f"{prefix or 'kindred_'}{fmt}: {runs}", file=sys.stderr)
            for key in FIGURES:
                result[prefix + key] = {fmt: figures[fmt][key] for fmt in pairs}
        if "mpv_" not in players:
            for key in FIGURES:
                result["mpv_" + key] = None
    print(json.dumps(result))


if __name__ == "__main__":
    main()
