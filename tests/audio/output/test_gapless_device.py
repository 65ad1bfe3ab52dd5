"""Gapless at a sound device: Kindred's output stage to a PulseAudio sink, recorded.

A private PulseAudio daemon plays to a null sink whose monitor ``parec``
records in real time (:mod:`tests.pulse`). One continuous sine is cut at
arbitrary samples into album tracks; ``kindred play`` (the listener's path:
controller, queue, preloading, the stage, PortAudio through ALSA's pulse
plugin) plays them, and :mod:`tests.sinegap` reads the recording: no silent
run, no phase jump at any join, nothing lost at the end. In-process tests
hold the GIL for 300 ms (as a busy UI thread in Qt code does) while the
stage plays, and check what the device gets.
"""

from __future__ import annotations

import ctypes
import itertools
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from player.audio.engine import EndReached, MediaItem, PlaybackState
from tests.pulse import PulseServer, pulse_missing
from tests.sinegap import continuous_sine, measure_sine_gaps, write_wav

RATE = 44100
FREQ = 441.0
ROOT = Path(__file__).resolve().parents[3]


def _stage_missing() -> str | None:
    problem = pulse_missing()
    if problem is None and shutil.which("ffmpeg") is None:
        problem = "ffmpeg is not installed (CI installs it)"
    if problem is None:
        from player.audio.output.sinks import portaudio_error

        error = portaudio_error()
        problem = error.short if error is not None else None
    return problem


pytestmark = pytest.mark.skipif(_stage_missing() is not None, reason=str(_stage_missing()))

#: (ffmpeg codec arguments, extension, the rate the tracks are made at)
FORMATS = {
    "flac16": (["-c:a", "flac", "-sample_fmt", "s16"], "flac", 44100),
    "flac24_96": (["-c:a", "flac", "-sample_fmt", "s32", "-bits_per_raw_sample", "24"], "flac",
                  96000),
    "mp3": (["-c:a", "libmp3lame", "-b:a", "192k"], "mp3", 44100),
    "m4a": (["-c:a", "aac", "-b:a", "192k"], "m4a", 44100),
    "opus": (["-c:a", "libopus", "-b:a", "128k"], "opus", 48000),
}  # fmt: skip


@pytest.fixture(scope="module")
def pulse() -> Iterator[PulseServer]:
    with PulseServer() as server:
        yield server


def cut_sine(folder: Path, fmt: str, cuts: list[int], seconds: float) -> tuple[list[Path], int]:
    """One sine of *seconds* cut at the given fractions' samples into tracks of *fmt*."""
    codec, ext, rate = FORMATS[fmt]
    sine = continuous_sine(seconds, FREQ, rate)
    edges = [0, *cuts, len(sine)]
    tracks = []
    for index, (start, end) in enumerate(itertools.pairwise(edges)):
        wav = write_wav(folder / f"{fmt}-{index:02}.wav", sine[start:end], rate)
        out = folder / f"{fmt}-{index:02}.{ext}"
        subprocess.run(
            ["ffmpeg", "-v", "error", "-nostdin", "-y", "-i", str(wav), *codec, str(out)],
            check=True, timeout=60,
        )  # fmt: skip
        if ext == "m4a":
            itunsmpb(out, priming=1024, samples=end - start)
        tracks.append(out)
    return tracks, round(seconds * RATE)


def itunsmpb(path: Path, *, priming: int, samples: int) -> None:
    """The gapless tag AAC encoders write: priming, padding and the true sample count.
    (ffmpeg's own MP4 states the length only to the millisecond, in its edit list.)"""
    from mutagen.mp4 import MP4, MP4FreeForm

    padding = -(priming + samples) % 1024
    fields = [0, priming, padding, samples] + [0] * 8
    text = " " + " ".join(f"{v:08X}" if i != 3 else f"{v:016X}" for i, v in enumerate(fields))
    audio = MP4(path)
    audio["----:com.apple.iTunes:iTunSMPB"] = [MP4FreeForm(text.encode("ascii"))]
    audio.save()


def play_and_measure(pulse: PulseServer, tmp_path: Path, tracks: list[Path], frames: int) -> Any:
    command = [sys.executable, "-m", "player", "play", "--volume", "100", *map(str, tracks)]
    env = {"KINDRED_HOME": str(tmp_path / "home"), "PYTHONPATH": str(ROOT)}
    recorded = pulse.record([command], tmp_path / "rec.raw", env=env, timeout=120)
    return measure_sine_gaps(recorded, FREQ, RATE, source_frames=frames)


@pytest.mark.parametrize("fmt", ["flac16", "mp3", "m4a", "opus"])
def test_two_album_tracks_join_without_a_gap(pulse: PulseServer, tmp_path: Path, fmt: str) -> None:
    rate = FORMATS[fmt][2]
    tracks, frames = cut_sine(tmp_path, fmt, [round(1.7 * rate) + 37], 3.5)
    report = play_and_measure(pulse, tmp_path, tracks, frames)
    assert not report.joins, f"{fmt}: silence at {report.joins}"
    assert report.max_phase_jump_deg < 3.0, f"{fmt}: the join jumps {report.max_phase_jump_deg}°"
    assert (report.lost_ms or 0.0) < 1.0, f"{fmt}: {report.lost_ms} ms lost (the end cut off?)"


def test_ten_hi_res_tracks_join_without_a_gap(pulse: PulseServer, tmp_path: Path) -> None:
    rate = 96000
    cuts = [round(i * 1.01 * rate) + 13 * i for i in range(1, 10)]
    tracks, frames = cut_sine(tmp_path, "flac24_96", cuts, 10.5)
    assert len(tracks) == 10
    report = play_and_measure(pulse, tmp_path, tracks, frames)
    assert not report.joins, f"silence at {report.joins}"
    assert report.max_phase_jump_deg < 3.0
    assert (report.lost_ms or 0.0) < 1.0


def test_a_rate_change_between_tracks_stays_gapless(pulse: PulseServer, tmp_path: Path) -> None:
    """44.1 kHz then 48 kHz: the stream stays open at 44.1 and the second is converted."""
    first, _ = cut_sine(tmp_path, "flac16", [], 1.5)
    sine48 = continuous_sine(3.0, FREQ, 48000)[round(1.5 * 48000) :]
    second = write_wav(tmp_path / "second.wav", sine48, 48000).with_suffix(".flac")
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(second.with_suffix(".wav")),
                    "-sample_fmt", "s16", str(second)], check=True, timeout=60)  # fmt: skip
    report = play_and_measure(pulse, tmp_path, [first[0], second], round(3.0 * RATE))
    assert not report.joins, f"silence at {report.joins}"
    assert report.max_phase_jump_deg < 5.0


def hold_the_gil(seconds: float) -> None:
    """What a UI thread stuck in C++ does: hold the GIL (PyDLL keeps it during the call)."""
    ctypes.PyDLL(None).usleep(int(seconds * 1_000_000))


def test_a_300_ms_stall_of_another_thread_causes_no_underrun(
    pulse: PulseServer, tmp_path: Path
) -> None:
    from player.audio.output.stage import StageEngine

    tracks, frames = cut_sine(tmp_path, "flac16", [round(1.5 * RATE)], 4.0)
    with pulse.in_this_process(), pulse.recording(tmp_path / "rec.raw") as rec:
        engine = StageEngine()
        try:
            engine.load(MediaItem(str(tracks[0])))
            engine.play()
            engine.preload(MediaItem(str(tracks[1])))
            time.sleep(0.8)
            for _ in range(3):  # three stalls, one across the join
                stall = threading.Thread(target=hold_the_gil, args=(0.3,))
                stall.start()
                stall.join()
                time.sleep(0.4)
            ends = _wait_for_ends(engine, 2, timeout=10)
            underruns = engine.underruns
        finally:
            engine.close()
    from tests.pulse import read_raw

    report = measure_sine_gaps(read_raw(rec), FREQ, RATE, source_frames=frames)
    assert len(ends) == 2
    assert underruns == 0
    assert not report.joins, f"silence at {report.joins}"


def _wait_for_ends(engine: object, count: int, timeout: float) -> list[EndReached]:
    ends: list[EndReached] = []
    deadline = time.monotonic() + timeout
    while len(ends) < count and time.monotonic() < deadline:
        event = engine.wait_event(0.05)  # type: ignore[attr-defined]
        if isinstance(event, EndReached):
            ends.append(event)
    return ends


def test_the_end_of_the_queue_is_heard_and_the_engine_says_ended(
    pulse: PulseServer, tmp_path: Path
) -> None:
    from player.audio.output.stage import StageEngine

    tracks, frames = cut_sine(tmp_path, "flac16", [], 1.0)
    with pulse.in_this_process(), pulse.recording(tmp_path / "rec.raw") as rec:
        engine = StageEngine()
        try:
            engine.load(MediaItem(str(tracks[0])))
            started = time.monotonic()
            engine.play()
            ends = _wait_for_ends(engine, 1, timeout=10)
            took = time.monotonic() - started
            assert engine.state == PlaybackState.ENDED
        finally:
            engine.close()
    from tests.pulse import read_raw

    recorded = read_raw(rec)
    report = measure_sine_gaps(recorded, FREQ, RATE, source_frames=frames)
    assert len(ends) == 1 and ends[0].duration_ms == pytest.approx(1000, abs=2)
    assert (report.lost_ms or 0.0) < 1.0  # the last samples reached the device
    assert took >= 0.95  # the end is told when it is heard, not when it is decoded


def tone_track(folder: Path, name: str, freq: float, seconds: float, album: str) -> Path:
    """A FLAC of one steady tone, tagged with *album*."""
    from mutagen.flac import FLAC

    wav = write_wav(folder / f"{name}.wav", continuous_sine(seconds, freq, RATE))
    out = folder / f"{name}.flac"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(wav), "-sample_fmt", "s16", str(out)],
                   check=True, timeout=60)  # fmt: skip
    tags = FLAC(out)
    tags["album"], tags["title"] = album, name
    tags.save()
    return out


def tone_levels(recorded: Any, freq: float, window: int = 2205) -> Any:
    """The level of one frequency in each 50 ms window (a single-bin DFT)."""
    import numpy as np

    mono = recorded[:, 0]
    count = len(mono) // window
    t = np.arange(window) / RATE
    probe = np.exp(-2j * np.pi * freq * t)
    frames = mono[: count * window].reshape(count, window)
    return np.abs(frames @ probe) * 2 / window


@pytest.mark.parametrize("same_album", [False, True])
def test_crossfade_overlaps_tracks_of_different_albums_with_equal_power(
    pulse: PulseServer, tmp_path: Path, same_album: bool
) -> None:
    import numpy as np

    first = tone_track(tmp_path, "first", 441.0, 3.0, "One")
    second = tone_track(tmp_path, "second", 882.0, 3.0, "One" if same_album else "Two")
    command = [sys.executable, "-m", "player", "play", "--volume", "100", "--crossfade", "1.5",
               "--replaygain", "off", str(first), str(second)]  # fmt: skip
    env = {"KINDRED_HOME": str(tmp_path / "home"), "PYTHONPATH": str(ROOT)}
    recorded = pulse.record([command], tmp_path / "rec.raw", env=env, timeout=120)
    low, high = tone_levels(recorded, 441.0), tone_levels(recorded, 882.0)
    both = np.flatnonzero((low > 0.05) & (high > 0.05))  # windows where both tones sound
    overlap_s = len(both) * 0.05
    sounding_s = np.count_nonzero((low > 0.01) | (high > 0.01)) * 0.05
    if same_album:  # gapless, never crossfaded: one after the other, 6 s in all
        assert overlap_s <= 0.1
        assert sounding_s == pytest.approx(6.0, abs=0.1)
        return
    assert sounding_s == pytest.approx(4.5, abs=0.1)  # 3 + 3 - 1.5
    # equal power: cos² + sin² = 1, so the overlap is as loud as either tone alone
    power = low**2 + high**2
    steady = np.median(power[(low > 0.05) | (high > 0.05)])
    assert overlap_s == pytest.approx(1.5, abs=0.2)
    assert np.all(np.abs(10 * np.log10(power[both] / steady)) < 0.5)
