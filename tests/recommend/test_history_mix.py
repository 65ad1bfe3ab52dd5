"""A new library with an imported history: the first daily mix already knows the listener."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import mutagen.flac
import pytest

from player.cli import main
from player.library.scanner import scan
from player.library.store import LibraryDB
from player.recommend.recommender import Recommender
from player.recommend.runner import analyse_library
from tests.recommend.signals import style, write

#: two clear styles, two artists each, four tracks an artist
ARTISTS = {"tonal": ("Drone Duo", "Organ Trio"), "percussive": ("Drum Corps", "Beat Crew")}
PER_ARTIST = 4
DAYS = [dt.date(2026, 12, 1) + dt.timedelta(days=i) for i in range(6)]
MIX = 8


@pytest.fixture(scope="module")
def two_styles(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A database path: 2 styles x 2 artists x 4 tagged tracks, scanned and analysed."""
    root = tmp_path_factory.mktemp("two-styles")
    for kind, artists in ARTISTS.items():
        for a, artist in enumerate(artists):
            for i in range(PER_ARTIST):
                path = write(
                    root / "music" / kind / f"{kind}{a}{i}.flac",
                    style(kind, seed=a * 97 + i * 31 + len(kind)),
                )
                tags = mutagen.flac.FLAC(path)
                tags["artist"], tags["title"] = artist, f"{artist} song {i}"
                tags.save()
    db_path = root / "lib.db"
    with LibraryDB(db_path) as db:
        scan(db, [root / "music"], workers=1)
        summary = analyse_library(db, workers=2)
        assert summary.analysed == 4 * PER_ARTIST, summary.errors
    yield db_path


@pytest.fixture
def library(two_styles: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "lib.db"
    shutil.copy(two_styles, copy)
    return copy


def listen(artist: str, title: str, when: float) -> str:
    return json.dumps(
        {"listened_at": int(when), "track_metadata": {"artist_name": artist, "track_name": title}}
    )


def tonal_share(db_path: Path, now: float) -> tuple[float, list[str]]:
    """The share of tonal picks over a week of first mixes, and the kinds of the first."""
    with LibraryDB(db_path) as db:
        rec = Recommender(db)
        kinds = [
            [Path(r.path).parent.name for r in rec.daily_mix(day, MIX, now=now)] for day in DAYS
        ]
    picks = [k for mix in kinds for k in mix]
    return picks.count("tonal") / len(picks), kinds[0]


def import_history(db_path: Path, lines: list[str], tmp_path: Path) -> None:
    file = tmp_path / "listens.jsonl"
    file.write_text("\n".join(lines) + "\n")
    assert main(["import-history", str(file), "--db", str(db_path)]) == 0


def test_imported_plays_shape_the_first_mix(library: Path, tmp_path: Path) -> None:
    now = time.time()
    before, _ = tonal_share(library, now)
    # a month of listening: two tonal songs, most days; a percussive one once
    lines = [
        listen(artist, f"{artist} song {i}", now - day * 86400 - i * 600)
        for day in range(1, 30)
        for artist, i in (("Drone Duo", 0), ("Organ Trio", 1))
    ]
    lines.append(listen("Beat Crew", "Beat Crew song 2", now - 5 * 86400))
    import_history(library, lines, tmp_path)
    after, first = tonal_share(library, now)
    assert before <= 0.6, before  # with no history: either style, day by day
    assert after >= 0.85, (after, first)
    assert first.count("tonal") > first.count("percussive")


def test_listens_of_artists_not_in_the_library_pull_their_tracks(
    library: Path, tmp_path: Path
) -> None:
    """No listen matches a track: the artist alone tells the taste."""
    now = time.time()
    before, _ = tonal_share(library, now)
    lines = [
        listen("Drum Corps", f"A single not in the library {i}", now - i * 3600) for i in range(40)
    ]
    import_history(library, lines, tmp_path)
    with LibraryDB(library) as db:
        assert db.scalar("SELECT COUNT(*) FROM plays") == 0
        assert db.scalar("SELECT COUNT(*) FROM imported_listens") == 40
    share, _ = tonal_share(library, now)
    assert share <= 0.3 and before - share >= 0.2, (before, share)  # the artist's style
