"""Your listening: what you played over a period, from the library's play history.

Hours listened, plays, how many tracks and artists, tracks heard for the first
time, the most played artists, albums and tracks, and when in the day you
listen. The period's plays are read once into a per-track temporary table
(through the ``plays_time`` index of :mod:`player.library.store.schema`, or in table order for all time), and the
lists are drawn from that; ``bench/listening.py`` times it on ten years of
history. Time counts every second heard, skipped plays included; "plays"
count only the tracks that were not skipped, as the play count does.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from player.library.store import LibraryDB

#: the periods offered, as (key, length in days; None = all time)
PERIODS: dict[str, float | None] = {"week": 7, "month": 30, "year": 365, "all": None}
DAY_S = 86400.0


@dataclass(frozen=True)
class Top:
    """One entry of a most-played list."""

    name: str  # the artist, album or track title
    detail: str  # the album's artist, the track's artist ("" for artists)
    plays: int
    minutes: float
    track_id: int | None = None  # tracks only


@dataclass
class ListeningStats:
    since: float | None  # epoch seconds (None: from the first play)
    until: float
    minutes: float = 0.0
    plays: int = 0
    skips: int = 0
    tracks: int = 0
    artists: int = 0
    first_heard: int = 0  # tracks played for the first time in the period
    imported: int = 0  # of the plays and skips, those imported from a listening history
    top_artists: list[Top] = field(default_factory=list)
    top_albums: list[Top] = field(default_factory=list)
    top_tracks: list[Top] = field(default_factory=list)
    by_hour: list[float] = field(default_factory=lambda: [0.0] * 24)  # minutes, local time

    @property
    def empty(self) -> bool:
        return self.plays == 0 and self.skips == 0

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["minutes"] = round(self.minutes, 1)
        out["by_hour"] = [round(m, 1) for m in self.by_hour]
        for key in ("top_artists", "top_albums", "top_tracks"):
            for entry in out[key]:
                entry["minutes"] = round(entry["minutes"], 1)
        return out


def period_start(period: str, now: float | None = None) -> float | None:
    """Where a period (``week``, ``month``, ``year``, ``all``) begins; ValueError for others."""
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r}: one of {', '.join(PERIODS)}")
    days = PERIODS[period]
    return None if days is None else (time.time() if now is None else now) - days * DAY_S


# each credited artist of a track (the artists list), else its artist text
_ARTISTS = (
    "LEFT JOIN json_each(CASE WHEN json_valid(t.artists) AND json_array_length(t.artists) > 0 "
    "THEN t.artists END) a"
)
# per track in the period (a temporary table filled by one pass over the plays)
_PER = "temp.listen_per"


def _span(since: float | None) -> str:
    """The period's condition: through the time index, or (all time) not, so that the
    track index serves the grouping by track without a sort."""
    if since is None:
        return "? IS NOT NULL AND +played_at < ?"
    return "played_at >= ? AND played_at < ?"


def listening_stats(
    db: LibraryDB, since: float | None, until: float | None = None, *, top: int = 10
) -> ListeningStats:
    """What was played from ``since`` (None: ever) until ``until`` (None: now)."""
    until = time.time() if until is None else until
    low = since if since is not None else float("-inf")
    stats = ListeningStats(since=since, until=until)
    db.execute(f"DROP TABLE IF EXISTS {_PER}")
    db.execute(
        "CREATE TEMP TABLE listen_per AS SELECT track_id, SUM(skipped = 0) AS n, "
        f"SUM(listened_ms) AS ms, COUNT(*) AS c, SUM(imported_from != '') AS imp "
        f"FROM plays WHERE {_span(since)} "
        "GROUP BY track_id",
        (low, until),
    )
    try:
        _fill(db, stats, low, until, top)
    finally:
        db.execute(f"DROP TABLE IF EXISTS {_PER}")
    return stats


def _fill(db: LibraryDB, stats: ListeningStats, low: float, until: float, top: int) -> None:
    total, plays, ms, tracks, imported = db.execute(
        f"SELECT SUM(c), SUM(n), SUM(ms), COUNT(*), SUM(imp) FROM {_PER}"
    ).fetchone()
    if not total:
        return
    stats.imported = int(imported or 0)
    stats.plays, stats.skips = int(plays), int(total - plays)
    stats.minutes, stats.tracks = (ms or 0) / 60000, int(tracks)
    by_artist = (
        "SELECT COALESCE(a.value, t.artist) AS name, SUM(p.n) AS n, SUM(p.ms) AS ms "
        f"FROM {_PER} p JOIN tracks t ON t.id = p.track_id {_ARTISTS} "
        "WHERE COALESCE(a.value, t.artist) != '' GROUP BY name"
    )
    artists = db.execute(f"{by_artist} ORDER BY n DESC, ms DESC").fetchall()
    stats.artists = len(artists)
    stats.top_artists = [Top(name, "", int(n), (ms or 0) / 60000) for name, n, ms in artists[:top]]
    stats.top_albums = [
        Top(album, artist, int(n), (ms or 0) / 60000)
        for album, artist, n, ms in db.execute(
            "SELECT t.album, CASE WHEN t.album_artist != '' THEN t.album_artist ELSE t.artist END "
            f"AS who, SUM(p.n) AS n, SUM(p.ms) AS ms FROM {_PER} p JOIN tracks t "
            "ON t.id = p.track_id WHERE t.album != '' "
            "GROUP BY t.album, who ORDER BY n DESC, ms DESC LIMIT ?",
            (top,),
        )
    ]
    stats.top_tracks = [
        Top(title or filename, artist, int(n), (ms or 0) / 60000, int(track_id))
        for track_id, title, filename, artist, n, ms in db.execute(
            f"SELECT t.id, t.title, t.filename, t.artist, p.n, p.ms FROM {_PER} p "
            "JOIN tracks t ON t.id = p.track_id ORDER BY p.n DESC, p.ms DESC LIMIT ?",
            (top,),
        )
    ]
    stats.by_hour = _by_hour(db, low, until)
    if low == float("-inf"):
        stats.first_heard = stats.tracks  # every track was first heard in all time
    else:
        stats.first_heard = db.execute(
            f"SELECT COUNT(*) FROM {_PER} p WHERE NOT EXISTS (SELECT 1 FROM plays q "
            "WHERE q.track_id = p.track_id AND q.played_at < ?)",
            (low,),
        ).fetchone()[0]


def _by_hour(db: LibraryDB, low: float, until: float) -> list[float]:
    """Minutes per local hour of the day.

    The period is cut where the local clock's offset from UTC changes (summer
    and winter time, found day by day); each piece is read from the time index
    with its own offset, so every play lands on the hour the listener's clock
    showed.
    """
    minutes = [0] * 24  # milliseconds, in whole numbers while adding up
    first = db.execute(
        "SELECT MIN(played_at) FROM plays WHERE played_at >= ? AND played_at < ?", (low, until)
    ).fetchone()[0]
    if first is None:
        return [0.0] * 24
    for start, end, offset in _offset_spans(float(first), until):
        # summed here, not by GROUP BY: SQLite would sort every play to make 24 groups
        for hour, ms in db.execute(
            "SELECT ((CAST(played_at AS INTEGER) + ?) / 3600) % 24, listened_ms FROM plays "
            "WHERE played_at >= ? AND played_at < ?",
            (offset, start, end),
        ):
            minutes[hour] += ms
    return [ms / 60000 for ms in minutes]


def _offset_spans(start: float, end: float) -> list[tuple[float, float, int]]:
    """[start, end) cut into spans of one local UTC offset (checked once a day)."""
    spans: list[tuple[float, float, int]] = []
    offset = time.localtime(start).tm_gmtoff
    span_start = day = start
    while day < end:
        day = min(day + DAY_S, end)
        now = time.localtime(day).tm_gmtoff if day < end else offset
        if now != offset:
            spans.append((span_start, day, offset))
            span_start, offset = day, now
    spans.append((span_start, end + 1, offset))
    return spans
