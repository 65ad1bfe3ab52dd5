"""Worker processes started by ``spawn`` (Windows' only way, macOS's default) build the
same library as the default start method: every pool's work is picklable and needs
nothing inherited from the parent process."""

from __future__ import annotations

import multiprocessing
import threading
from pathlib import Path
from typing import Any

import pytest

from player.errors import AppError
from player.library import workpool
from player.library.scanner import Scanner
from player.library.store import LibraryDB
from player.recommend.runner import analyse_library
from player.recommend.store import AnalysisStore
from tests.audiogen import tag
from tests.recommend.signals import clicks, tone, write

VOLATILE = {"id", "added_at", "updated_at"}
CUE = """PERFORMER "Band"
TITLE "Live"
FILE "live.flac" WAVE
  TRACK 01 AUDIO
    TITLE "One"
    INDEX 01 00:00:00
  TRACK 02 AUDIO
    TITLE "Two"
    INDEX 01 00:02:00
"""


@pytest.fixture(scope="module")
def music(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Tagged tones, clicks, a CUE-split file and a broken file."""
    root = tmp_path_factory.mktemp("start-methods") / "music"
    for i in range(4):
        path = root / "album" / f"{i:02d}.flac"
        write(path, tone([220.0 * (1 + i / 7)], 2.0, amp=0.1 + 0.05 * i))
        tag(path, album="Four", artists=["Band"], title=f"T{i}", track_number=i + 1)
    write(root / "clicks.flac", clicks(120, 3.0))
    write(root / "live" / "live.flac", tone([330.0, 440.0], 4.0, amp=0.2))
    (root / "live" / "live.cue").write_text(CUE, encoding="utf-8")
    (root / "broken.flac").write_bytes(b"fLaC" + bytes(300))
    return root


def build(music: Path, db_path: Path) -> tuple[list[dict[str, Any]], dict[str, Any], list[str]]:
    """Scan and analyse *music* with two worker processes each; what ended up stored."""
    with LibraryDB(db_path) as db:
        scanned = Scanner(db, workers=2, pool_from=1).scan([music])
        analysed = analyse_library(db, workers=2)
        assert analysed.analysed == 7, analysed.errors
        tracks = sorted(
            ({k: v for k, v in row.items() if k not in VOLATILE} for row in db.tracks()),
            key=lambda row: (row["path"], row["subtrack"]),
        )
        store = AnalysisStore(db)
        features = {}
        for row in tracks:
            stored = store.get(row["path"], row["subtrack"])
            assert stored is not None
            features[f"{row['path']}#{row['subtrack']}"] = {
                k: v for k, v in stored.items() if k != "analysed_at"
            }
    errors = sorted(f"{Path(path).name}: {reason}" for path, reason in scanned.errors)
    return tracks, features, errors


def test_spawned_workers_build_the_same_library(
    music: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[str] = []
    real_context = workpool.pool_context

    def spy(preload: tuple[str, ...] = ()) -> multiprocessing.context.BaseContext:
        ctx = real_context(preload)
        started.append(ctx.get_start_method())
        return ctx

    monkeypatch.setattr(workpool, "pool_context", spy)
    monkeypatch.delenv(workpool.START_METHOD_ENV, raising=False)
    default = build(music, tmp_path / "default.db")
    monkeypatch.setenv(workpool.START_METHOD_ENV, "spawn")
    spawned = build(music, tmp_path / "spawn.db")

    # a scan pool and an analysis pool each: fork (forkserver beside other threads), then spawn
    assert started[:2] in (["fork", "fork"], ["forkserver", "forkserver"])
    assert started[2:] == ["spawn", "spawn"]
    tracks, features, errors = spawned
    assert [(Path(t["path"]).name, t["subtrack"], t["title"]) for t in tracks] == [
        ("00.flac", 0, "T0"), ("01.flac", 0, "T1"), ("02.flac", 0, "T2"), ("03.flac", 0, "T3"),
        ("clicks.flac", 0, "clicks"), ("live.flac", 1, "One"), ("live.flac", 2, "Two"),
    ]  # fmt: skip
    assert errors == ["broken.flac: " + default[2][0].split(": ", 1)[1]]
    assert all(f["ok"] and f["features"] for f in features.values())
    assert tracks == default[0]
    assert features == default[1]  # the same vectors, tempo, key and loudness, bit for bit
    assert errors == default[2]


def test_the_start_method_variable_wins_over_the_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(workpool.START_METHOD_ENV, raising=False)
    alone = threading.active_count() == 1  # other tests may have left a thread running
    assert workpool.pool_context().get_start_method() == ("fork" if alone else "forkserver")
    seen: list[str] = []
    thread = threading.Thread(
        target=lambda: seen.append(workpool.pool_context().get_start_method())
    )
    thread.start()
    thread.join()
    assert seen == ["forkserver"]  # other threads: forkserver
    for method in ("spawn", "forkserver", "fork", " Spawn "):
        monkeypatch.setenv(workpool.START_METHOD_ENV, method)
        assert workpool.pool_context().get_start_method() == method.strip().lower()
    monkeypatch.setenv(workpool.START_METHOD_ENV, "thread")
    with pytest.raises(AppError, match="KINDRED_START_METHOD='thread' is not a start method"):
        workpool.pool_context()
