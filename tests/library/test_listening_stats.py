"""Listening statistics over the play history: totals, most played, hours, first listens."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from player.library.listening_stats import DAY_S, listening_stats, period_start
from player.library.store import LibraryDB
from player.library.track import TrackInfo

NOW = dt.datetime(2026, 11, 30, 23, 0).timestamp()


def _at(days_ago: float, hour: int) -> float:
    """A local time ``days_ago`` days before NOW's date, at ``hour`` o'clock."""
    day = dt.datetime.fromtimestamp(NOW - days_ago * DAY_S)
    return day.replace(hour=hour, minute=10, second=0).timestamp()


@pytest.fixture
def db(tmp_path: Path):
    with LibraryDB(tmp_path / "lib.db") as library:
        ids = library.upsert_tracks(
            [
                TrackInfo(path="/m/a1.flac", title="Tide", artists=["Aurora Vale"],
                          album="Drift", album_artists=["Aurora Vale"]),
                TrackInfo(path="/m/a2.flac", title="Polar", artists=["Aurora Vale"],
                          album="Drift", album_artists=["Aurora Vale"]),
                TrackInfo(path="/m/duet.flac", title="Duet",
                          artists=["Aurora Vale", "Kiko & the Tapes"], album="Split"),
                TrackInfo(path="/m/k.flac", title="Static", artists=["Kiko & the Tapes"]),
                TrackInfo(path="/m/untagged.mp3"),
            ]
        )  # fmt: skip
        library.ids = dict(zip(["tide", "polar", "duet", "static", "untagged"], ids, strict=True))
        yield library


def _play(db, name: str, at: float, minutes: float = 4.0, skipped: bool = False) -> None:
    db.record_play(
        db.ids[name], listened_ms=int(minutes * 60000), finished=not skipped,
        skipped=skipped, played_at=at,
    )  # fmt: skip


def test_an_empty_history(db) -> None:
    stats = listening_stats(db, period_start("week", NOW), NOW)
    assert stats.empty and stats.minutes == 0 and stats.top_tracks == []
    assert stats.to_dict()["by_hour"] == [0.0] * 24


def test_a_week_of_listening(db) -> None:
    _play(db, "static", _at(40, 12))  # before the period: first heard long ago
    for days_ago in (1, 2, 3):
        _play(db, "tide", _at(days_ago, 22))
    _play(db, "polar", _at(1, 8), minutes=5)
    _play(db, "duet", _at(2, 8), minutes=3)
    _play(db, "static", _at(2, 22), minutes=0.1, skipped=True)
    _play(db, "untagged", _at(3, 13), minutes=2)
    _play(db, "polar", _at(9, 8))  # a week ago and more: not counted
    stats = listening_stats(db, period_start("week", NOW), NOW, top=3)
    assert stats.plays == 6 and stats.skips == 1
    assert stats.minutes == pytest.approx(3 * 4 + 5 + 3 + 0.1 + 2)
    assert stats.tracks == 6 - 1  # tide, polar, duet, static, untagged
    # first heard this week: tide, duet and the untagged file (polar 9 days ago, static 40)
    assert stats.first_heard == 3
    # the duet counts for both of its artists; the untagged file for none
    artists = {t.name: (t.plays, round(t.minutes, 1)) for t in stats.top_artists}
    assert artists == {"Aurora Vale": (5, 20.0), "Kiko & the Tapes": (1, 3.1)}
    assert stats.artists == 2
    assert [t.name for t in stats.top_artists] == ["Aurora Vale", "Kiko & the Tapes"]
    duet_artist = db.conn.execute(
        "SELECT artist FROM tracks WHERE id = ?", (db.ids["duet"],)
    ).fetchone()[0]
    assert "Kiko" in duet_artist  # an album without an album artist goes by the track's
    assert [(t.name, t.detail, t.plays) for t in stats.top_albums] == [
        ("Drift", "Aurora Vale", 4),
        ("Split", duet_artist, 1),
    ]
    top = stats.top_tracks
    assert [(t.name, t.plays) for t in top] == [("Tide", 3), ("Polar", 1), ("Duet", 1)]
    assert top[0].track_id == db.ids["tide"] and top[0].detail == "Aurora Vale"
    assert round(top[1].minutes) == 5  # same plays: more minutes first
    assert stats.by_hour[22] == pytest.approx(12.1) and stats.by_hour[8] == pytest.approx(8)
    assert stats.by_hour[13] == pytest.approx(2) and sum(stats.by_hour) == pytest.approx(22.1)
    assert stats.to_dict()["top_tracks"][0]["name"] == "Tide"


def test_all_time_and_the_periods(db) -> None:
    _play(db, "tide", _at(400, 9))
    _play(db, "tide", _at(100, 9))
    _play(db, "polar", _at(20, 9))
    assert listening_stats(db, period_start("all", NOW), NOW).plays == 3
    assert listening_stats(db, period_start("year", NOW), NOW).plays == 2
    month = listening_stats(db, period_start("month", NOW), NOW)
    assert month.plays == 1 and month.first_heard == 1
    year = listening_stats(db, period_start("year", NOW), NOW)
    assert year.first_heard == 1  # tide was first heard 400 days ago
    assert listening_stats(db, None, NOW).first_heard == 2
    with pytest.raises(ValueError, match="unknown period"):
        period_start("fortnight", NOW)


def test_the_schema_has_the_time_index(db) -> None:
    plan = " ".join(
        str(row[-1])
        for row in db.conn.execute(
            "EXPLAIN QUERY PLAN SELECT COUNT(*) FROM plays WHERE played_at >= ? AND played_at < ?",
            (0, 1),
        )
    )
    assert "plays_time" in plan


def test_the_listening_command(db, capsys: pytest.CaptureFixture[str]) -> None:
    import json
    import time

    from player.cli import main

    path = str(db.path)
    assert main(["listening", "week", "--db", path]) == 0
    assert "Nothing played yet" in capsys.readouterr().out
    now = time.time()
    for hours_ago in (1, 2, 30):
        _play(db, "tide", now - hours_ago * 3600)
    _play(db, "static", now - 5 * 3600, minutes=0.2, skipped=True)
    assert main(["listening", "week", "--db", path]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Your listening, the last 7 days:"
    assert out[1].startswith("  12 min · 3 plays (1 skipped) · 2 tracks · 2 artists")
    assert "    1. Aurora Vale  3 plays, 12 min" in out
    assert "    1. Tide — Aurora Vale  3 plays, 12 min" in out
    assert out[-1].startswith("  Hours of the day: 0h ") and "█" in out[-1]
    assert main(["listening", "all", "-n", "1", "--json", "--db", path]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["period"] == "all" and data["plays"] == 3 and len(data["top_tracks"]) == 1
    assert data["top_tracks"][0]["track_id"] == db.ids["tide"]
    assert len(data["by_hour"]) == 24 and sum(data["by_hour"]) == pytest.approx(12.2, abs=0.1)
    with pytest.raises(SystemExit):
        main(["listening", "fortnight", "--db", path])


def test_hours_follow_summer_and_winter_time(db, monkeypatch: pytest.MonkeyPatch) -> None:
    """Central European time (a POSIX rule: no time zone database needed)."""
    import time

    monkeypatch.setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3")
    time.tzset()
    try:
        summer = time.mktime((2026, 7, 1, 14, 10, 0, 0, 0, -1))
        winter = time.mktime((2026, 1, 15, 14, 10, 0, 0, 0, -1))
        late = time.mktime((2026, 10, 24, 23, 30, 0, 0, 0, -1))  # the night before the change
        _play(db, "tide", summer)
        _play(db, "polar", winter)
        _play(db, "duet", late, minutes=2)
        for since in (None, winter - 1):
            stats = listening_stats(db, since, late + 3600)
            assert stats.by_hour[14] == pytest.approx(8.0), stats.by_hour
            assert stats.by_hour[23] == pytest.approx(2.0) and sum(stats.by_hour) == 10.0
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
