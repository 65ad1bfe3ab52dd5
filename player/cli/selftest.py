"""``kindred --self-test``: check, headless, that an installed Kindred works.

Made for bundles (a PyInstaller folder must carry everything it needs) and
for bug reports: every check prints one line, and the exit status is 0 only
when all of them passed. Nothing outside a temporary folder is touched.
"""

from __future__ import annotations

import math
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from player import __version__

SECONDS = 1.0
RATE = 44100
FREQ = 440.0


def write_flac(path: Path, seconds: float = SECONDS) -> Path:
    """A sine as 16-bit stereo FLAC, encoded by PyAV's own FFmpeg (no tools needed)."""
    import av
    import numpy as np

    t = np.arange(int(RATE * seconds)) / RATE
    wave = (0.5 * np.sin(2 * math.pi * FREQ * t) * 32767).astype(np.int16)
    stereo = np.ascontiguousarray(np.stack([wave, wave], axis=1).reshape(1, -1))
    with av.open(str(path), "w", format="flac") as container:
        stream = container.add_stream("flac", rate=RATE, layout="stereo")
        frame = av.AudioFrame.from_ndarray(stereo, format="s16", layout="stereo")
        frame.sample_rate = RATE
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return path


def check_library(folder: Path) -> str:
    from player.library.store import LibraryDB
    from player.library.track import TrackInfo

    with LibraryDB(folder / "library.db") as db:
        with db.transaction():
            [track_id] = db.insert_tracks(
                [TrackInfo(path=str(folder / "x.flac"), title="Self test")]
            )
        track = db.get_track(track_id)
        assert track is not None and track.title == "Self test", "the track did not come back"
        assert db.integrity_check() == "ok"
    return f"library database (SQLite {__import__('sqlite3').sqlite_version}, WAL)"


def check_tags(folder: Path) -> str:
    import mutagen.flac

    from player.library.tags import read_tags

    path = write_flac(folder / "tone.flac")
    audio = mutagen.flac.FLAC(path)
    audio["TITLE"], audio["ARTIST"] = "Self Test", "周杰伦"
    audio.save()
    info = read_tags(str(path))
    assert info.title == "Self Test" and info.artists == ["周杰伦"], f"read {info.title!r}"
    assert abs(info.duration - SECONDS) < 0.05, f"length {info.duration:.3f} s"
    return f"tags read from a generated FLAC ({info.duration:.2f} s, {info.sample_rate} Hz)"


def check_playback(folder: Path) -> str:
    from player.app import make_engine
    from player.audio.engine import MediaItem, PlaybackState
    from player.audio.wavio import read_wav

    source = folder / "tone.flac"
    if not source.exists():
        write_flac(source)
    out = folder / "render.wav"
    engine = make_engine(out)
    try:
        engine.load(MediaItem(str(source)))
        engine.play()
        deadline = time.monotonic() + 15
        while engine.state not in (PlaybackState.ENDED, PlaybackState.ERROR):
            assert time.monotonic() < deadline, "the output stage did not finish a 1 s file"
            time.sleep(0.05)
        assert engine.state == PlaybackState.ENDED, "the output stage reported an error"
    finally:
        engine.close()
    samples, rate = read_wav(out)
    seconds = len(samples) / rate
    peak = float(abs(samples).max()) if len(samples) else 0.0
    assert abs(seconds - SECONDS) < 0.1, f"rendered {seconds:.3f} s"
    assert 0.45 < peak < 0.55, f"peak {peak:.3f} instead of 0.5"
    return f"a second of audio rendered through the output stage ({seconds:.3f} s, peak {peak:.3f})"


class Skipped(Exception):
    """A check that does not apply here (printed as ``skip``; the self-test still passes)."""


def carries_own_libraries() -> bool:
    """A Windows or macOS bundle: it must carry libVLC and PortAudio itself."""
    return bool(getattr(sys, "frozen", False)) and sys.platform in ("win32", "darwin")


def bundle_root() -> Path:
    """The bundle's folder: ``dist/kindred`` on Windows, ``Kindred.app/Contents`` on macOS
    (whose files are split between ``Frameworks`` and ``Resources``)."""
    program = Path(sys.executable).resolve()
    return program.parents[1] if sys.platform == "darwin" else program.parent


def check_libvlc(folder: Path) -> str:
    from player.audio import vlc_engine
    from player.audio.engine import MediaItem, PlaybackState
    from player.audio.wavio import read_wav

    missing = vlc_engine.vlc_missing_error()
    if missing is not None:
        if carries_own_libraries():
            raise AssertionError(f"the bundle's libVLC did not load: {missing.detail}")
        raise Skipped("libVLC is not installed here (the output stage plays without it)")
    source = folder / "tone.flac"
    write_flac(source)
    out = folder / "render.wav"
    engine = vlc_engine.VlcEngine(out, realtime=False)  # libVLC's decoders and audio output
    try:
        engine.load(MediaItem(str(source)))
        engine.play()
        deadline = time.monotonic() + 15
        while engine.state not in (PlaybackState.ENDED, PlaybackState.ERROR):
            assert time.monotonic() < deadline, "libVLC did not finish a 1 s file"
            time.sleep(0.05)
        assert engine.state == PlaybackState.ENDED, "libVLC reported an error"
    finally:
        engine.close()
    samples, rate = read_wav(out)
    seconds = len(samples) / rate
    assert abs(seconds - SECONDS) < 0.1, f"libVLC rendered {seconds:.3f} s"
    if carries_own_libraries():
        loaded = Path(vlc_engine.libvlc_path()).resolve()
        assert bundle_root() in loaded.parents, f"libVLC from outside the bundle: {loaded}"
    return f"{vlc_engine.libvlc_description()}: a FLAC decoded ({seconds:.3f} s)"


def check_sound_output(folder: Path) -> str:
    from player.audio.output.sinks import portaudio_error

    if portaudio_error() is not None:
        from player.audio.vlc_engine import libvlc_available

        if carries_own_libraries() or not libvlc_available():
            missing = portaudio_error(fallback=False)
            raise AssertionError(missing.short if missing else "PortAudio did not load")
        raise Skipped("PortAudio is not installed here (libVLC's output plays, not gapless)")
    import sounddevice as sd

    library = Path(str(sd._libname))
    if carries_own_libraries():
        assert bundle_root() in library.resolve().parents, f"PortAudio from outside: {library}"
    apis = [str(api["name"]) for api in sd.query_hostapis()]
    assert apis, "PortAudio has no host audio API"
    outputs = sum(1 for d in sd.query_devices() if d["max_output_channels"] > 0)
    version = sd.get_portaudio_version()[1].split(",")[0]
    return (
        f"sound output through {version} ({library.name}; {', '.join(apis)}; "
        f"{outputs} output device(s) here)"
    )


def check_window(folder: Path) -> str:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from player.app import open_context, window_parts
    from player.ui.main import application, build_window

    app = application([])
    ctx = open_context(folder / "library.db")
    try:
        window = build_window(window_parts(ctx, fake_engine=True), restore=False)
        window.show()
        for _ in range(20):
            app.processEvents()
            time.sleep(0.01)
        assert window.isVisible(), "the window did not show"
        size = window.size()
        window.close()
        app.processEvents()
    finally:
        ctx.close()
    return f"the window opened and closed offscreen ({size.width()}x{size.height()})"


CHECKS: list[tuple[str, Callable[[Path], str]]] = [
    ("library", check_library),
    ("tags", check_tags),
    ("playback", check_playback),
    ("libvlc", check_libvlc),
    ("sound output", check_sound_output),
    ("window", check_window),
]


def run(out: TextIO = sys.stdout) -> int:
    """Run every check; print one line each; 0 when all passed."""
    print(f"Kindred {__version__} self-test (Python {sys.version.split()[0]})", file=out)
    failed = 0
    with tempfile.TemporaryDirectory(prefix="kindred-self-test-") as tmp:
        os.environ["KINDRED_HOME"] = tmp  # nothing of the person's is touched
        for name, check in CHECKS:
            folder = Path(tmp) / name.replace(" ", "-")
            folder.mkdir()
            try:
                print(f"  ok    {check(folder)}", file=out, flush=True)
            except Skipped as why:
                print(f"  skip  {name}: {why}", file=out, flush=True)
            except Exception as exc:  # a check's failure is reported, the others still run
                failed += 1
                reason = str(exc) or type(exc).__name__
                print(f"  FAIL  {name}: {reason}", file=out, flush=True)
                if os.environ.get("KINDRED_SELF_TEST_TRACE"):
                    traceback.print_exc(file=out)
    print("all checks passed" if not failed else f"{failed} check(s) failed", file=out)
    return 0 if not failed else 1
