"""Your listening: what you played over a period, from the library's play history.

Hours listened, plays, how many tracks and artists, tracks heard for the first
time, the most played artists, albums and tracks, and when in the day you
listen. Everything is read from the ``plays`` table in a few indexed queries
(``plays_time``), so a year of a heavy listener's history answers in
milliseconds. Time counts every second heard, skipped plays included; "plays"
count only the tracks that were not skipped, as the play count does.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from player.library.db import LibraryDB

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


def create_index(conn: sqlite3.Connection) -> None:
    """The index every period query starts from (schema 7)."""
    conn.execute("CREATE INDEX IF NOT EXISTS plays_time ON plays(played_at)")


def period_start(period: str, now: float | None = None) -> float | None:
    """Where a period (``week``, ``month``, ``year``, ``all``) begins; ValueError for others."""
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r}: one of {', '.join(PERIODS)}")
    days = PERIODS[period]
    return None if days is None else (time.time() if now is None else now) - days * DAY_S


# the plays in [since, until): p = plays, t = tracks
_IN = "FROM plays p JOIN tracks t ON t.id = p.track_id WHERE p.played_at >= ? AND p.played_at < ?"
_PLAYS = "SUM(p.skipped = 0)"
_TIME = "SUM(p.listened_ms)"
# each credited artist of a track (the artists list), else its artist text
_ARTISTS = (
    "LEFT JOIN json_each(CASE WHEN json_valid(t.artists) AND json_array_length(t.artists) > 0 "
    "THEN t.artists END) a"
)


def listening_stats(
    db: LibraryDB, since: float | None, until: float | None = None, *, top: int = 10
) -> ListeningStats:
    """What was played from ``since`` (None: ever) until ``until`` (None: now)."""
    until = time.time() if until is None else until
    low = since if since is not None else float("-inf")
    span = (low, until)
    conn = db.conn
    stats = ListeningStats(since=since, until=until)
    row = conn.execute(
        f"SELECT COUNT(*), {_PLAYS}, {_TIME}, COUNT(DISTINCT p.track_id) {_IN}", span
    ).fetchone()
    total, plays, ms, tracks = row
    if not total:
        return stats
    stats.plays, stats.skips = int(plays), int(total - plays)
    stats.minutes, stats.tracks = (ms or 0) / 60000, int(tracks)
    by_artist = (
        f"SELECT COALESCE(a.value, t.artist) AS name, {_PLAYS} AS n, {_TIME} AS ms "
        f"FROM plays p JOIN tracks t ON t.id = p.track_id {_ARTISTS} "
        "WHERE p.played_at >= ? AND p.played_at < ? AND COALESCE(a.value, t.artist) != '' "
        "GROUP BY name"
    )
    stats.artists = conn.execute(f"SELECT COUNT(*) FROM ({by_artist})", span).fetchone()[0]
    stats.top_artists = [
        Top(name, "", int(n), (ms or 0) / 60000)
        for name, n, ms in conn.execute(
            f"{by_artist} ORDER BY n DESC, ms DESC LIMIT ?", (*span, top)
        )
    ]
    stats.top_albums = [
        Top(album, artist, int(n), (ms or 0) / 60000)
        for album, artist, n, ms in conn.execute(
            "SELECT t.album, CASE WHEN t.album_artist != '' THEN t.album_artist ELSE t.artist END "
            f"AS who, {_PLAYS} AS n, {_TIME} AS ms {_IN} AND t.album != '' "
            "GROUP BY t.album, who ORDER BY n DESC, ms DESC LIMIT ?",
            (*span, top),
        )
    ]
    stats.top_tracks = [
        Top(title or filename, artist, int(n), (ms or 0) / 60000, int(track_id))
        for track_id, title, filename, artist, n, ms in conn.execute(
            f"SELECT t.id, t.title, t.filename, t.artist, {_PLAYS} AS n, {_TIME} AS ms {_IN} "
            "GROUP BY t.id ORDER BY n DESC, ms DESC LIMIT ?",
            (*span, top),
        )
    ]
    for hour, ms in conn.execute(
        "SELECT CAST(strftime('%H', p.played_at, 'unixepoch', 'localtime') AS INTEGER), "
        f"{_TIME} {_IN} GROUP BY 1",
        span,
    ):
        stats.by_hour[int(hour) % 24] = (ms or 0) / 60000
    stats.first_heard = conn.execute(
        "SELECT COUNT(*) FROM (SELECT MIN(played_at) AS first FROM plays "
        "WHERE track_id IN (SELECT DISTINCT track_id FROM plays WHERE played_at >= ? "
        "AND played_at < ?) GROUP BY track_id) WHERE first >= ?",
        (*span, low),
    ).fetchone()[0]
    return stats
