"""Benchmark: playback start, seek, CPU, the gapless hand-over and render fidelity.

Everything plays through real libVLC into Kindred's paced renderer, which
takes audio at the pace of a sound card, so "first audio" is the moment libVLC
hands over the first samples. Figures (medians of ``--runs`` runs):

* ``start_local_ms``: ``play()`` to first audio, local 16-bit FLAC;
* ``start_http_ms``: the same file over a loopback HTTP server (Range support);
* ``start_http_lookup_ms``: the same, the clock started before Kindred's
  URL lookup (one request for the headers: playlist, live stream or file);
* ``start_icecast_ms``: a loopback Icecast MP3 stream saved as a radio
  station, the way Kindred opens it (Kindred reads the stream itself over
  one connection and feeds libVLC); ``start_icecast_lookup_ms``: the same stream as a URL Kindred
  has not seen before (the look-up costs a connection of its own), and
  ``start_icecast_plain_http_ms``: libVLC's default HTTP module, for comparison;
* ``seek_ms``: ``seek()`` until the first audio from the new place arrives;
* ``cpu_pct_one_core`` / ``cpu_s_per_min``: process CPU (libVLC's threads
  included, and the renderer's own Python callback, so an upper bound for a
  sound card) while a FLAC plays;
* ``gap_ms``: the hand-over time between two halves of a split sine, the
  second preloaded, and ``gap_silence_ms``, the silence a device would play;
* ``faithful_max_dev_lsb_16`` / ``_24``: largest difference between the
  faithful render and ffmpeg's decode, in LSB at the file's bit depth.

Targets: local <= 30 ms, HTTP <= 50 ms, Icecast <= 0.35 s, CPU <= 2 %.
Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from player.audio.engine import MediaItem, PlaybackState  # noqa: E402
from player.audio.fidelity import faithful_max_deviation  # noqa: E402
from player.audio.gapless import measure_gap  # noqa: E402
from player.audio.playback_rules import direct_location  # noqa: E402
from player.audio.queue import QueueItem  # noqa: E402
from player.audio.render import WavOutput  # noqa: E402
from player.audio.streams import resolve  # noqa: E402
from player.audio.vlc_engine import VlcEngine  # noqa: E402
from tests.netservers import HttpTestServer, IcecastServer, icecast_missing  # noqa: E402

RATE = 44100


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y", *args], check=True, timeout=120)


def make_files(folder: Path) -> dict[str, Path]:
    files = {"flac": folder / "tone.flac", "long": folder / "long.flac"}
    ffmpeg("-f", "lavfi", "-i", f"sine=frequency=440:sample_rate={RATE}:duration=20",
           "-ac", "2", str(files["flac"]))  # fmt: skip
    ffmpeg("-f", "lavfi", "-i", f"sine=frequency=330:sample_rate={RATE}:duration=40",
           "-ac", "2", str(files["long"]))  # fmt: skip
    # a sine split in two at a zero crossing (1 s of a 441 Hz sine = 441 whole periods)
    t = np.arange(RATE * 3) / RATE
    wave = (0.5 * np.sin(2 * np.pi * 441 * t) * 32767).astype("<i2")
    for name, part in (("gap1", wave[:RATE]), ("gap2", wave[RATE:])):
        raw = folder / f"{name}.raw"
        raw.write_bytes(np.repeat(part[:, None], 2, axis=1).tobytes())
        files[name] = folder / f"{name}.flac"
        ffmpeg("-f", "s16le", "-ar", str(RATE), "-ac", "2", "-i", str(raw), str(files[name]))
    # true 24-bit/96 kHz: a sine plus low-level noise, so the low byte is used
    rng = np.random.default_rng(1)
    t = np.arange(96000) / 96000
    hi = 0.89 * np.sin(2 * np.pi * 997 * t) + rng.normal(0, 1e-5, t.size)
    raw = folder / "hi.raw"
    raw.write_bytes((np.round(np.repeat(hi[:, None], 2, axis=1) * (2**23 - 1)).astype("<i4") << 8).tobytes())
    files["hires"] = folder / "hires.flac"
    ffmpeg("-f", "s32le", "-ar", "96000", "-ac", "2", "-i", str(raw),
           "-c:a", "flac", "-sample_fmt", "s32", "-bits_per_raw_sample", "24", str(files["hires"]))  # fmt: skip
    return files


def start_ms(location: str, out: Path, timeout: float = 15.0, *, lookup: bool = False) -> float:
    """play() to the first samples handed to the renderer.

    With ``lookup``, the clock starts before the URL is looked up the way the
    playback controller does it (:func:`resolve`: playlist, live stream or file).
    """
    engine = VlcEngine(output=WavOutput(out, paced=True))
    try:
        t0 = time.monotonic()
        engine.load(resolve(location)[0] if lookup else MediaItem(location))
        if not lookup:
            t0 = time.monotonic()
        engine.play()
        renderer = engine.renderer
        assert renderer is not None
        while renderer.first_audio_at is None:
            if time.monotonic() - t0 > timeout:
                raise RuntimeError(f"no audio from {location} within {timeout} s")
            time.sleep(0.0005)
        return (renderer.first_audio_at - t0) * 1000
    finally:
        engine.close()


def seek_ms(path: Path, out: Path) -> float:
    engine = VlcEngine(output=WavOutput(out, paced=True))
    try:
        engine.load(MediaItem(str(path)))
        engine.play()
        deadline = time.monotonic() + 10
        while engine.state != PlaybackState.PLAYING or engine.position() < 300:
            assert time.monotonic() < deadline, "did not start"
            time.sleep(0.005)
        renderer = engine.renderer
        assert renderer is not None
        t0 = time.monotonic()
        engine.seek(12_000)
        while True:  # the flush of the seek, then the first buffer from the new place
            assert time.monotonic() - t0 < 10, "seek never landed"
            restart = renderer.restarted_at
            if restart is not None and restart >= t0:
                after = [d.at for d in list(renderer.deliveries) if d.at >= restart]
                if after:
                    return (after[0] - t0) * 1000
            time.sleep(0.0005)
    finally:
        engine.close()


def cpu_while_playing(path: Path, out: Path, seconds: float) -> tuple[float, float]:
    engine = VlcEngine(output=WavOutput(out, paced=True))
    try:
        engine.load(MediaItem(str(path)))
        engine.play()
        time.sleep(1.0)  # past the start-up
        usage = resource.getrusage(resource.RUSAGE_SELF)
        cpu0, t0 = usage.ru_utime + usage.ru_stime, time.monotonic()
        time.sleep(seconds)
        usage = resource.getrusage(resource.RUSAGE_SELF)
        cpu, wall = usage.ru_utime + usage.ru_stime - cpu0, time.monotonic() - t0
        assert engine.state == PlaybackState.PLAYING, engine.state
        return cpu / wall * 100, cpu / wall * 60
    finally:
        engine.close()


def median(values: list[float], digits: int = 1) -> float:
    return round(statistics.median(values), digits)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cpu-seconds", type=float, default=15.0)
    args = parser.parse_args()
    result: dict[str, object] = {"runs": args.runs}
    with tempfile.TemporaryDirectory(prefix="kindred-bench-") as tmp:
        folder = Path(tmp)
        files = make_files(folder)
        out = folder / "out.wav"
        start_ms(str(files["flac"]), out)  # warm libVLC's plugin cache and the page cache
        result["start_local_ms"] = median([start_ms(str(files["flac"]), out) for _ in range(args.runs)])
        with HttpTestServer(folder) as http:
            url = http.url("tone.flac")
            result["start_http_ms"] = median([start_ms(url, out) for _ in range(args.runs)])
            result["start_http_lookup_ms"] = median(
                [start_ms(url, out, lookup=True) for _ in range(args.runs)]
            )
        if icecast_missing():
            result["start_icecast_ms"] = None
            result["icecast_skipped"] = str(icecast_missing())
        else:
            with IcecastServer() as icecast:
                station = direct_location(QueueItem(location=icecast.url, live=True))
                runs = [start_ms(station, out) for _ in range(args.runs)]
                looked_up = [start_ms(icecast.url, out, lookup=True) for _ in range(args.runs)]
                plain = [start_ms(icecast.url, out) for _ in range(args.runs)]
            result["start_icecast_ms"] = median(runs)
            result["start_icecast_lookup_ms"] = median(looked_up)
            result["start_icecast_plain_http_ms"] = median(plain)
        result["seek_ms"] = median([seek_ms(files["long"], out) for _ in range(args.runs)])
        pct, per_min = cpu_while_playing(files["long"], out, args.cpu_seconds)
        result["cpu_pct_one_core"] = round(pct, 2)
        result["cpu_s_per_min"] = round(per_min, 3)
        gaps = [measure_gap(files["gap1"], files["gap2"]) for _ in range(args.runs)]
        result["gap_ms"] = median([g.handover_ms for g in gaps])
        result["gap_silence_ms"] = median([g.silence_ms for g in gaps])
        result["faithful_max_dev_lsb_16"] = faithful_max_deviation(files["flac"])
        result["faithful_max_dev_lsb_24"] = faithful_max_deviation(files["hires"])
    print(json.dumps(result))


if __name__ == "__main__":
    main()
