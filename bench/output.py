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

Then Kindred's output stage in this process, on the same sink (medians of
``--runs``):

* ``first_audio_ms``: ``play()`` of a local FLAC to its first frame handed to
  the card; ``device_latency_ms``: what PortAudio reports for the open stream
  (the card plays a frame that long after it is handed over);
* ``pause_ms``: ``pause()`` to silence at the sink (the card's latency and
  the 100 ms fade); ``seek_ms``: ``seek()`` to the new place's sound. The
  recording's length when the call is made marks the call in it; parec's
  file trails the sink by a few tens of ms, so these two read long, never short;
* ``cpu_pct``: CPU time of the whole process per wall time while playing
  FLAC 16/44.1 and 24/96 (per cent of one core);
* ``underruns``: while another thread holds the GIL for 300 ms, three times.

Target: ``gap_ms`` 0 and ``phase_jump_deg`` 0 for every format, as mpv;
``first_audio_ms`` <= 30, ``cpu_pct`` <= 2 (16/44.1), ``underruns`` 0.
Prints one JSON line.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.pulse import CHANNELS, RATE, PulseServer, pulse_missing, read_raw  # noqa: E402
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


# ---- Kindred's output stage in this process ----------------------------------------------
def frames_so_far(path: Path) -> int:
    return path.stat().st_size // (2 * CHANNELS)


def loud_blocks(recorded: np.ndarray, threshold: float = 0.01) -> np.ndarray:
    """Per 1 ms block: is there sound?"""
    block = RATE // 1000
    frames = len(recorded) // block * block
    return np.abs(recorded[:frames, 0]).reshape(-1, block).max(axis=1) > threshold


def stage_run(folder: Path, pulse: PulseServer, flac: Path, two_tone: Path) -> dict[str, float]:
    """One run of every in-process figure; see the module doc."""
    from player.audio.engine import MediaItem
    from player.audio.output.stage import StageEngine

    rec = folder / "stage.raw"
    figures: dict[str, float] = {}
    with pulse.recording(rec):
        engine = StageEngine()
        try:
            engine.load(MediaItem(str(flac)))
            started = time.monotonic()
            engine.play()
            time.sleep(1.5)
            first = engine.first_frame_at
            figures["first_audio_ms"] = (first - started) * 1000 if first else -1.0
            figures["device_latency_ms"] = engine.latency_ms
            at_pause = frames_so_far(rec)
            engine.pause()
            time.sleep(1.0)
            engine.stop()
            time.sleep(0.3)
            engine.load(MediaItem(str(two_tone)))
            engine.play()
            time.sleep(1.0)
            at_seek = frames_so_far(rec)
            engine.seek(6000)  # into the second tone
            time.sleep(1.5)
        finally:
            engine.close()
    recorded = read_raw(rec)
    loud = loud_blocks(recorded)
    quiet_after = np.flatnonzero(~loud[at_pause // 44 :])
    figures["pause_ms"] = float(quiet_after[0]) if len(quiet_after) else -1.0
    figures["seek_ms"] = seek_heard_ms(recorded, at_seek)
    return figures


def seek_heard_ms(recorded: np.ndarray, at_seek: int) -> float:
    """From the seek's frame to where the 882 Hz tone (after 5 s) sounds: zero crossings."""
    signal = recorded[at_seek:, 0]
    block = RATE // 100
    for index in range(len(signal) // block):
        chunk = signal[index * block : (index + 1) * block]
        crossings = np.count_nonzero(np.diff(np.signbit(chunk)))
        if np.abs(chunk).max() > 0.1 and crossings >= 16:  # 882 Hz: 17.6 per 10 ms
            return index * 10.0
    return -1.0


def cpu_pct(path: Path) -> float:
    """Process CPU per wall time while the stage plays *path* for 5 s."""
    from player.audio.engine import MediaItem
    from player.audio.output.stage import StageEngine

    engine = StageEngine()
    try:
        engine.load(MediaItem(str(path)))
        engine.play()
        time.sleep(1.0)  # past the start-up
        wall, cpu = time.monotonic(), time.process_time()
        time.sleep(5.0)
        return (time.process_time() - cpu) / (time.monotonic() - wall) * 100
    finally:
        engine.close()


def stall_underruns(path: Path) -> int:
    """Underruns while another thread holds the GIL for 300 ms, three times."""
    from player.audio.engine import MediaItem
    from player.audio.output.stage import StageEngine

    engine = StageEngine()
    try:
        engine.load(MediaItem(str(path)))
        engine.play()
        time.sleep(0.8)
        for _ in range(3):
            stall = threading.Thread(target=ctypes.PyDLL(None).usleep, args=(300_000,))
            stall.start()
            stall.join()
            time.sleep(0.4)
        return engine.underruns
    finally:
        engine.close()


def stage_figures(
    folder: Path, pulse: PulseServer, runs: int, verbose: bool = False
) -> dict[str, float]:
    sine = continuous_sine(8.0, FREQ, RATE)
    flac = folder / "stage.flac"
    ffmpeg("-i", str(write_wav(folder / "stage.wav", sine)), "-c:a", "flac", str(flac))
    hi = folder / "hi.flac"
    ffmpeg("-i", str(flac), "-ar", "96000", "-c:a", "flac", "-sample_fmt", "s32",
           "-bits_per_raw_sample", "24", str(hi))  # fmt: skip
    tones = np.concatenate([sine[: 5 * RATE], continuous_sine(3.0, 2 * FREQ, RATE)])
    two_tone = folder / "two_tone.flac"
    ffmpeg("-i", str(write_wav(folder / "two.wav", tones)), "-c:a", "flac", str(two_tone))
    with pulse.in_this_process():
        runs_ = [stage_run(folder, pulse, flac, two_tone) for _ in range(runs)]
        if verbose:
            print(f"stage: {runs_}", file=sys.stderr)
        result = {key: median([r[key] for r in runs_]) for key in runs_[0]}
        result["cpu_pct"] = {  # type: ignore[assignment]
            "flac16_44": median([cpu_pct(flac) for _ in range(min(runs, 3))], 2),
            "flac24_96": median([cpu_pct(hi) for _ in range(min(runs, 3))], 2),
        }
        result["underruns"] = max(stall_underruns(flac) for _ in range(min(runs, 3)))
    return result


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
        result.update(stage_figures(folder, pulse, args.runs, args.verbose))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
