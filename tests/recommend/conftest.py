"""A small analysed library of three generated "styles", shared by the model tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from player.library.scanner import scan
from player.library.store import LibraryDB
from player.recommend.runner import analyse_library
from tests.recommend.signals import style, write

STYLES = ("noisy", "tonal", "percussive")
PER_STYLE = 6


@pytest.fixture(scope="session")
def styled_library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A database path: 3 styles x 6 untagged tracks, scanned and analysed."""
    root = tmp_path_factory.mktemp("styles")
    music = root / "music"
    for kind in STYLES:
        for i in range(PER_STYLE):
            write(music / kind / f"{kind}{i}.flac", style(kind, seed=i * 31 + len(kind)))
    db_path = root / "lib.db"
    with LibraryDB(db_path) as db:
        scan(db, [music], workers=1)
        summary = analyse_library(db, workers=2)
        assert summary.analysed == len(STYLES) * PER_STYLE, summary.errors
    yield db_path


def style_of(path: str) -> str:
    return Path(path).parent.name
