"""The library-wide analysis: worker processes, cache, resume, failures, filled-in gains."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import numpy as np
import pytest

from player.library.scanner import scan
from player.library.store import LibraryDB
from player.recommend import analysis
from player.recommend.features import DIM
from player.recommend.runner import analyse_library
from player.recommend.store import AnalysisStore
from tests.audiogen import tag
from tests.recommend.signals import clicks, noise, tone, write


@pytest.fixture
def library(tmp_path: Path) -> tuple[LibraryDB, Path]:
    music = tmp_path / "music"
    for i in range(5):
        write(music / f"album/{i:02d}.flac", tone([220.0 * (1 + i / 7)], 3.0, amp=0.1 + 0.05 * i))
    write(music / "clicks.flac", clicks(120, 6.0))
    (music / "broken.flac").write_bytes(b"fLaC" + bytes(300))
    for i in range(5):
        tag(music / f"album/{i:02d}.flac", album="Five", artists=["Band"], title=f"T{i}")
    db = LibraryDB(tmp_path / "lib.db")
    scan(db, [music], workers=1)
    yield db, music
    db.close()


def test_analyses_every_track_and_caches_them(library: tuple[LibraryDB, Path]) -> None:
    db, _ = library
    tracks = db.track_count()
    first = analyse_library(db, workers=2)
    assert first.analysed + first.failed == tracks and first.cached == 0
    second = analyse_library(db, workers=2)
    assert (second.analysed, second.cached) == (0, tracks)
    ids, _, matrix = AnalysisStore(db).vectors(analysis.FEATURE_VERSION)
    assert len(ids) == first.analysed and matrix.shape[1] == DIM


def test_broken_file_in_library_is_recorded_and_not_retried(
    library: tuple[LibraryDB, Path], tmp_path: Path
) -> None:
    db, music = library
    bad = music / "bad.wav"
    bad.write_bytes(b"RIFF" + os.urandom(4000))
    good = write(music / "zz_after.wav", noise(2.0))
    # the scanner may or may not accept the broken file; insert it as a track either way
    scan(db, [music], workers=1)
    if db.track_id(str(bad)) is None:
        from player.library.track import TrackInfo

        st = bad.stat()
        with db.transaction():
            db.upsert_tracks([TrackInfo(path=str(bad), size=st.st_size, mtime_ns=st.st_mtime_ns)])
    summary = analyse_library(db, workers=2)
    assert any(p == str(bad) for p, _ in summary.errors)
    assert summary.analysed >= 1 and db.track_id(str(good)) is not None
    failures = dict(AnalysisStore(db).failures())
    assert failures[str(bad)]
    again = analyse_library(db, workers=1)
    assert again.failed == 0 and again.analysed == 0
    assert again.failed_before == len(failures) >= 1  # reported, not tried again
    assert analyse_library(db, workers=1, retry_failed=True).failed >= 1


def test_interrupted_run_resumes_where_it_stopped(library: tuple[LibraryDB, Path]) -> None:
    db, _ = library
    total = db.track_count()
    seen: list[int] = []
    stop = threading.Event()

    def progress(done: int, _total: int) -> None:
        seen.append(done)
        if done >= 2:
            stop.set()

    first = analyse_library(db, workers=1, progress=progress, cancel=stop)
    assert first.cancelled and first.analysed + first.failed == 2
    second = analyse_library(db, workers=2)
    assert second.cached == 2
    assert second.analysed + second.failed == total - 2
    assert seen[0] == 0 and seen[-1] == 2


def test_changed_file_is_analysed_again(library: tuple[LibraryDB, Path]) -> None:
    db, music = library
    analyse_library(db, workers=1)
    path = music / "clicks.flac"
    before = AnalysisStore(db).get(str(path))["bpm"]
    write(path, clicks(90, 6.0))
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    scan(db, [music], workers=1)
    summary = analyse_library(db, workers=1)
    assert summary.analysed == 1
    after = AnalysisStore(db).get(str(path))["bpm"]
    assert before == pytest.approx(120, abs=3) and after == pytest.approx(90, abs=3)


def test_new_feature_version_recomputes(
    library: tuple[LibraryDB, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    db, _ = library
    analyse_library(db, workers=1)
    monkeypatch.setattr("player.recommend.runner.FEATURE_VERSION", analysis.FEATURE_VERSION + 1)
    again = analyse_library(db, workers=1)
    assert (again.cached, again.analysed) == (0, db.track_count())
    versions = {row[0] for row in db.conn.execute("SELECT version FROM analysis")}
    assert versions == {analysis.FEATURE_VERSION + 1}


def test_gains_bpm_and_key_fill_tracks_without_tags(library: tuple[LibraryDB, Path]) -> None:
    db, music = library
    tagged = music / "album" / "00.flac"
    tag(tagged, rg_track_gain="-3.00 dB", rg_track_peak="0.5")
    scan(db, [music], workers=1)
    analyse_library(db, workers=2)
    rows = {Path(r["path"]).name: r for r in db.tracks()}
    assert rows["00.flac"]["rg_track_gain"] == pytest.approx(-3.0)  # the tag wins
    for name in ("01.flac", "02.flac"):
        assert rows[name]["rg_track_gain"] is not None
    # louder tracks get less gain: amplitude rises with the track number
    assert rows["01.flac"]["rg_track_gain"] > rows["04.flac"]["rg_track_gain"]
    expected = 20 * np.log10((0.1 + 0.05 * 4) / (0.1 + 0.05 * 1))
    assert rows["01.flac"]["rg_track_gain"] - rows["04.flac"]["rg_track_gain"] == pytest.approx(
        expected, abs=0.3
    )
    assert rows["clicks.flac"]["bpm"] == pytest.approx(120, abs=3)
    # album gain: every album track analysed -> one gain shared by the album
    album = {rows[f"0{i}.flac"]["rg_album_gain"] for i in range(5)}
    assert len(album) == 1 and None not in album
    assert rows["01.flac"]["initial_key"]


def test_cancel_in_worker_processes_keeps_what_was_done(library: tuple[LibraryDB, Path]) -> None:
    db, _ = library
    total = db.track_count()
    first = analyse_library(db, workers=2, cancel=lambda: True)
    done = first.analysed + first.failed
    assert first.cancelled and 1 <= done < total
    second = analyse_library(db, workers=2)
    assert second.cached == done and second.analysed + second.failed == total - done


def test_album_gain_follows_a_new_album_track(library: tuple[LibraryDB, Path]) -> None:
    db, music = library
    analyse_library(db, workers=1)
    before = {r["rg_album_gain"] for r in db.tracks() if r["album"] == "Five"}
    louder = write(music / "album" / "05.flac", tone([440.0], 3.0, amp=0.9))
    tag(louder, album="Five", artists=["Band"], title="T5")
    scan(db, [music], workers=1)
    analyse_library(db, workers=1)
    after = {r["rg_album_gain"] for r in db.tracks() if r["album"] == "Five"}
    assert len(before) == len(after) == 1
    assert after.pop() < before.pop()  # a loud track joined: the album needs less gain
