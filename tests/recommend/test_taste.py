"""Radio steered by skips and likes, the daily mix, and smooth ordering."""

from __future__ import annotations

import datetime as dt
import random
import shutil
import time
from pathlib import Path

import pytest

from player.library.store import LibraryDB
from player.recommend.recommender import Recommender
from player.recommend.smooth import camelot, path_cost, smooth_order, transition_cost
from tests.recommend.conftest import style_of


@pytest.fixture
def library(styled_library: Path, tmp_path: Path) -> LibraryDB:
    copy = tmp_path / "lib.db"
    shutil.copy(styled_library, copy)
    db = LibraryDB(copy)
    yield db
    db.close()


def ids_by_name(db: LibraryDB) -> dict[str, int]:
    return {Path(r["path"]).stem: r["id"] for r in db.tracks()}


def test_radio_follows_likes_and_avoids_skips(library: LibraryDB) -> None:
    ids = ids_by_name(library)
    rec = Recommender(library)
    plain, steered = rec.radio([ids["tonal0"]]), rec.radio([ids["tonal0"]])
    first_plain, first_steered = plain.next(3), steered.next(3)
    assert [r.track_id for r in first_plain] == [r.track_id for r in first_steered]
    assert all(style_of(r.path) == "tonal" for r in first_plain)
    for r in first_steered:
        steered.feedback(r.track_id, skipped=True)
    steered.feedback(ids["tonal0"], skipped=True)
    steered.feedback(ids["percussive0"], liked=True, finished=True)
    later_plain = [style_of(r.path) for r in plain.next(3)]
    later_steered = [style_of(r.path) for r in steered.next(3)]
    assert later_steered.count("percussive") >= 2
    assert later_steered.count("tonal") < later_plain.count("tonal")
    reasons = [r.reason for r in steered.next(2)]
    assert all("your liked percussive0" in x or "your seed tonal0" in x for x in reasons), reasons


def test_radio_never_repeats_and_extends_itself(library: LibraryDB) -> None:
    ids = ids_by_name(library)
    radio = Recommender(library).radio([ids["noisy0"], ids["percussive0"]])
    seen = [r.track_id for _ in range(3) for r in radio.next(4)]
    assert len(seen) == len(set(seen)) == 12
    assert ids["noisy0"] not in seen and ids["percussive0"] not in seen


def _history(db: LibraryDB, ids: dict[str, int]) -> None:
    now = time.time()
    for k in range(3):  # finished on three different days: a favourite
        db.record_play(ids["noisy0"], listened_ms=8000, finished=True, played_at=now - 86400 * k)
    for k in range(3):  # finished three times within an hour: not yet a favourite
        db.record_play(ids["noisy1"], listened_ms=8000, finished=True, played_at=now - 600 * k)
    db.set_rating(ids["noisy2"], liked=True)
    for k in range(2):
        db.record_play(ids["tonal0"], listened_ms=2000, finished=False, skipped=True,
                       played_at=now - 60 * k)  # fmt: skip


def test_daily_mix_is_stable_within_a_day_and_fresh_the_next(library: LibraryDB) -> None:
    ids = ids_by_name(library)
    _history(library, ids)
    day = dt.date(2026, 12, 1)
    now = time.time()
    first = [r.track_id for r in Recommender(library).daily_mix(day, n=8, now=now)]
    again = [r.track_id for r in Recommender(library).daily_mix(day, n=8, now=now + 3600)]
    assert first == again and len(first) == 8 == len(set(first))
    other_days = [
        [
            r.track_id
            for r in Recommender(library).daily_mix(day + dt.timedelta(days=k), n=8, now=now)
        ]
        for k in (1, 2, 3)
    ]
    assert any(mix != first for mix in other_days)


def test_daily_mix_learns_from_history(library: LibraryDB) -> None:
    ids = ids_by_name(library)
    _history(library, ids)
    mix = Recommender(library).daily_mix(dt.date(2026, 12, 1), n=8)
    names = {Path(r.path).stem: r for r in mix}
    assert "tonal0" not in names  # skipped early, twice
    favourites = {"noisy0", "noisy2"} & names.keys()
    assert len(favourites) == 2
    assert names["noisy0"].reason == "a favourite: you played it through on 3 days"
    assert names["noisy2"].reason == "a favourite: you liked it"
    assert "noisy1" not in names  # played, but not a favourite: not a discovery either
    fresh = [r for r in mix if Path(r.path).stem not in {"noisy0", "noisy1", "noisy2"}]
    assert sum(style_of(r.path) == "noisy" for r in fresh) >= 2  # never-played, near the taste
    noisy = [r.reason for r in fresh if style_of(r.path) == "noisy"]
    refs = ("your favourite noisy0", "your liked noisy2", "the finished noisy1")
    assert all(any(ref in x for ref in refs) for x in noisy), noisy
    assert not any("your favourite noisy1" in r.reason for r in mix)


def test_daily_mix_without_history_still_gives_a_list(library: LibraryDB) -> None:
    mix = Recommender(library).daily_mix(dt.date(2026, 1, 1), n=5, smooth=True)
    assert len(mix) == 5 and all(r.reason for r in mix)


def test_camelot_wheel() -> None:
    assert camelot("Am")[0] == camelot("C")[0]  # relative keys share a position
    assert camelot("G")[0] - camelot("C")[0] in (1, -11)  # a fifth up is one step
    assert camelot("") is None and camelot("H") is None


def test_smooth_order_makes_transitions_easier() -> None:
    rng = random.Random(2)
    keys = ["C", "G", "D", "A", "E", "Am", "Em", "F#m", "Bb", "Eb"]
    facts = [(rng.uniform(70, 160), rng.choice(keys), rng.uniform(-16, -6)) for _ in range(20)]
    ordered = smooth_order(facts, facts)
    assert ordered[0] == facts[0] and sorted(ordered) == sorted(facts)
    assert path_cost(ordered) < 0.6 * path_cost(facts)


def test_half_time_tempo_flows() -> None:
    assert transition_cost((120.0, "C", -10.0), (60.0, "C", -10.0)) < 0.05
    assert transition_cost((120.0, "C", -10.0), (90.0, "C", -10.0)) > 3
