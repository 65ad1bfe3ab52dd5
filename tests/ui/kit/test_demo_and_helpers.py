"""The demo library and ``kindred demo``; the task helper; the audio badge wording."""

from __future__ import annotations

import argparse
import threading

from player.errors import AppError
from player.library.lyrics import load_lyrics
from player.library.store import LibraryDB
from player.ui.kit.tasks import TaskRunner
from player.ui.playback.badge import audio_badge, gain_text
from tests.audiogen import requires_ffmpeg


@requires_ffmpeg  # the demo library is made with ffmpeg
def test_demo_command_builds_a_tagged_library_with_covers_and_lyrics(tmp_path) -> None:
    from player.cli.demo import cmd_demo

    args = argparse.Namespace(dir=str(tmp_path), seconds=2.0, no_window=True)
    assert cmd_demo(args) == 0
    with LibraryDB(tmp_path / "demo.db") as db:
        rows = db.tracks()
        assert len(rows) == 12
        assert {r["genre"] for r in rows} == {"Ambient", "Synthwave", "Folk", "Lo-Fi"}
        assert all(r["title"] and r["artist"] and r["album"] and r["year"] for r in rows)
        assert {r["codec"] for r in rows} >= {"flac", "mp3", "vorbis"}
        assert any(r["bit_depth"] == 24 and r["sample_rate"] == 96000 for r in rows)
        assert all(r["rg_track_gain"] is not None for r in rows)
        assert sum(1 for r in rows if r["has_cover"]) == 9  # FLAC and MP3 embed it
        synced = [load_lyrics(r["path"], r["lyrics"]) for r in rows]
        assert sum(1 for ly in synced if ly and ly.synced) >= 4
        assert any(ly and ly.synced and ly.lines[0].words for ly in synced)
        assert any(ly and not ly.synced for ly in synced)
    assert len(list((tmp_path / "music").glob("*/*/cover.png"))) == 4


def test_task_runner_delivers_results_and_errors_on_the_main_thread(qtbot) -> None:
    runner = TaskRunner()
    main = threading.get_ident()
    seen = {}

    def work(x: int, progress, cancel) -> int:
        seen["worker"] = threading.get_ident()
        progress(1, 2)
        return x * 2

    task = runner.submit(work, 21, with_progress=True, with_cancel=True)
    counts = []
    task.progress.connect(lambda d, t: counts.append((d, t, threading.get_ident())))
    with qtbot.waitSignal(task.done, timeout=5000) as blocker:
        pass
    assert blocker.args == [42, None]
    assert seen["worker"] != main
    qtbot.waitUntil(lambda: bool(counts))
    assert counts[0] == (1, 2, main)

    def fail() -> None:
        raise AppError("Nope", "It failed readably")

    task = runner.submit(fail)
    with qtbot.waitSignal(task.done, timeout=5000) as blocker:
        pass
    result, error = blocker.args
    assert result is None and isinstance(error, AppError) and error.short == "Nope"


def test_a_closed_task_runner_starts_nothing(qtbot) -> None:
    from PySide6.QtCore import QThreadPool

    pool = QThreadPool()
    runner = TaskRunner(pool)
    ran = threading.Event()
    assert runner.close(1000) is True
    task = runner.submit(ran.set, name="late timer")
    pool.waitForDone(1000)
    qtbot.wait(50)
    assert not ran.is_set() and not task.finished and runner.running == 0


def test_audio_badge_wording() -> None:
    flac = {"codec": "flac", "format": "FLAC", "lossless": True, "sample_rate": 96000,
            "bit_depth": 24, "bitrate": 2_304_000}  # fmt: skip
    assert audio_badge(flac) == "FLAC 24/96 · 2.3 Mbps"
    mp3 = {
        "codec": "mp3",
        "format": "MP3",
        "lossless": False,
        "sample_rate": 44100,
        "bitrate": 320_000,
    }
    assert audio_badge(mp3) == "MP3 320"
    aac = {"codec": "aac", "lossless": False, "bitrate": 128_000}
    assert audio_badge(aac, stream=True) == "Radio · AAC 128"
    assert audio_badge(None, stream=True) == "Radio"
    cd = {
        "codec": "flac",
        "lossless": True,
        "sample_rate": 44100,
        "bit_depth": 16,
        "bitrate": 900_000,
    }
    assert audio_badge(cd) == "FLAC 16/44.1 · 900 kbps"
    assert gain_text("off", 0.0, flac) == "RG off"
    assert gain_text("track", -6.2, {"rg_track_gain": -6.2}) == "RG track −6.2 dB"
    assert gain_text("auto", 0.0, {"rg_track_gain": None}) == "RG — no tags"


def test_cover_thumbnails_are_cached_on_disk(qtbot, demo_music, tmp_path, monkeypatch) -> None:
    from player.ui.kit import covers

    track = next(demo_music.glob("Aurora Vale/*/*.flac"))  # an embedded cover
    image = covers.load_thumbnail(str(track), 96, tmp_path)
    assert image is not None and image.width() == 96 and image.height() == 96
    assert list(tmp_path.rglob("*.png"))
    monkeypatch.setattr(
        covers, "cover_bytes", lambda path: (_ for _ in ()).throw(AssertionError("re-read"))
    )
    again = covers.load_thumbnail(str(track), 96, tmp_path)  # from the disk cache
    assert again is not None and again.width() == 96
    provider = covers.CoverProvider(tmp_path)
    assert provider.get(str(track), 96) is None  # not in memory yet: loads off the UI thread
    with qtbot.waitSignal(provider.ready, timeout=5000):
        pass
    assert provider.get(str(track), 96) is not None
    provider.close()
