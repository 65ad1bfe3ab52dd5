"""Fixtures for the window tests: a demo library scanned once, a fresh copy per test.

The window runs offscreen with the in-memory FakeEngine (time moves when a test
calls ``engine.advance``); the controller, queue, models and widgets are real.
"""

from __future__ import annotations

import gc
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from player.app import AppContext
from player.audio.fake_engine import FakeEngine
from player.config import Paths, Settings
from player.library.store import LibraryDB
from player.recommend.runner import analyse_library


@pytest.fixture(scope="session")
def demo_music(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from player.library.demo import build_demo

    if shutil.which("ffmpeg") is None:  # (a conftest's pytestmark marks no test)
        pytest.skip("ffmpeg not installed (CI installs it): the demo library is made with it")
    folder = tmp_path_factory.mktemp("demo-music")
    build_demo(folder, seconds=8.0, cover_px=160)
    return folder


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory, demo_music: Path) -> Path:
    from player.library.scanner import Scanner

    path = tmp_path_factory.mktemp("demo-db") / "library.db"
    with LibraryDB(path) as db:
        Scanner(db, workers=1).scan([demo_music])
        db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@pytest.fixture(scope="session")
def analysed_demo_db(tmp_path_factory: pytest.TempPathFactory, demo_db: Path) -> Path:
    """The scanned demo library, audio-analysed, with one liked and one finished track."""
    path = tmp_path_factory.mktemp("demo-analysed") / "library.db"
    shutil.copy(demo_db, path)
    with LibraryDB(path) as db:
        summary = analyse_library(db, workers=2)
        assert summary.analysed == 12 and not summary.errors, summary.errors
        ids = [r[0] for r in db.conn.execute("SELECT id FROM tracks ORDER BY id")]
        with db.transaction():
            db.set_rating(ids[0], liked=True)
        db.record_play(ids[4], listened_ms=8000, finished=True)
        db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@pytest.fixture
def make_ctx(kindred_home: Path) -> Iterator[Callable[[Path | None], AppContext]]:
    """``make_ctx(template_db)``: an AppContext on a copy of the template (or an empty library)."""
    opened: list[AppContext] = []

    def make(template: Path | None = None) -> AppContext:
        paths = Paths.resolve()
        settings = Settings.load(paths)
        db_path = paths.default_database
        db_path.parent.mkdir(parents=True, exist_ok=True)
        if template is not None and not db_path.exists():
            shutil.copy(template, db_path)
        ctx = AppContext(paths, settings, db_path, LibraryDB(db_path))
        opened.append(ctx)
        return ctx

    yield make
    for ctx in opened:
        ctx.close()


@pytest.fixture
def open_window(qtbot, make_ctx):
    """``open_window(template_db=None, restore=True)`` -> (window, engine); closed after the test."""
    from player.app import window_parts
    from player.ui.main import application, build_window

    application()
    windows = []

    def open_(template: Path | None = None, *, restore: bool = True, ctx: AppContext | None = None):
        ctx = ctx or make_ctx(template)
        parts = window_parts(ctx, fake_engine=True)
        engine = parts.engine
        assert isinstance(engine, FakeEngine)
        window = build_window(parts, restore=restore)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        windows.append(window)
        return window, engine

    yield open_
    for window in windows:
        if window.isVisible():
            window.close()
        window.shutdown()


@pytest.fixture
def english(qapp) -> Iterator[None]:
    """The English translation, as the app installs it (it has the singular forms: "1 play")."""
    from player.ui.kit import i18n

    assert i18n.install_translator(qapp, "en") == "en"
    yield
    i18n.remove_translators(qapp)


def wait_loaded(qtbot, model, timeout: int = 10000) -> None:
    """Wait until a TrackTableModel has its ids."""
    qtbot.waitUntil(lambda: not model.loading, timeout=timeout)


@pytest.fixture
def app_like_heap() -> Iterator[None]:
    """The test process's objects frozen, as the app freezes what its start-up made
    (``player.ui.main.resume_collection``): a stall test then measures the window's own
    work, not a full collection walking every object the earlier tests left behind."""
    pauses: list[tuple[int, float]] = []  # (generation, ms) of each collection meanwhile
    began = [0.0]

    def note(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            began[0] = time.perf_counter()
        else:
            pauses.append((info["generation"], (time.perf_counter() - began[0]) * 1000))

    gc.collect()
    gc.freeze()
    gc.callbacks.append(note)
    try:
        yield
    finally:
        gc.callbacks.remove(note)
        gc.unfreeze()
        longest = max(pauses, key=lambda p: p[1], default=None)
        print(f"collections meanwhile: {len(pauses)}, the longest (generation, ms): {longest}")
