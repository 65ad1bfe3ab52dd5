"""Audio analysis results in the library database: read, write, and the loudness they provide.

The ``analysis`` table (migration ``_v3`` of :mod:`player.library.store.schema`) holds one
row per file range (path + subtrack). A row is *current* while the file's size
and mtime and the feature version still match; otherwise the track is analysed
again. Failures are rows too (``ok = 0`` with a reason), so a broken file is not
retried until it changes.

Analysis also gives every file loudness data: :meth:`AnalysisStore.apply_tags`
copies computed ReplayGain track/album gains and peaks, BPM and key into the
tracks' own columns where the file's tags have none (or where the value there
is one this store wrote before), so the player's loudness normalisation and the
track fields work for every analysed file. Tag values are never overwritten.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from player.library.store import LibraryDB, clean_text, from_sql_path, sql_path
from player.library.trackquery import LOUDNESS_SQL

if TYPE_CHECKING:  # numpy loads with the recommender, not with the window's columns
    import numpy as np

REFERENCE_LUFS = -18.0


@dataclass
class AnalysisRecord:
    """One analysis outcome as stored. ``features`` is float32 bytes, None on failure."""

    path: str
    subtrack: int
    size: int
    mtime_ns: int
    version: int
    ok: bool
    reason: str = ""
    features: bytes | None = None
    seconds: float = 0.0
    bpm: float | None = None
    key: str = ""
    lufs: float | None = None
    peak: float | None = None
    gated_power: float = 0.0
    gated_blocks: int = 0

    @property
    def track_gain(self) -> float | None:
        return None if self.lufs is None else round(REFERENCE_LUFS - self.lufs, 2)


@dataclass
class PendingTrack:
    """A track whose analysis is missing or stale."""

    track_id: int
    path: str
    subtrack: int
    size: int
    mtime_ns: int
    start_ms: int | None
    end_ms: int | None


@dataclass
class Plan:
    """What an analysis run has to do: tracks to analyse, and how many are cached."""

    pending: list[PendingTrack]
    cached: int
    cached_failed: int


class AnalysisStore:
    """Reads and writes the ``analysis`` table of one :class:`LibraryDB` connection."""

    def __init__(self, db: LibraryDB) -> None:
        self.db = db

    # ---- planning ------------------------------------------------------------
    def plan(self, version: int, *, retry_failed: bool = False) -> Plan:
        """Tracks without a current analysis (new, changed, or analysed by an older version)."""
        rows = self.db.execute(
            "SELECT t.id, t.path, t.subtrack, t.size, t.mtime_ns, t.start_ms, t.end_ms, "
            "a.size, a.mtime_ns, a.version, a.ok FROM tracks t LEFT JOIN analysis a "
            "ON a.path = t.path AND a.subtrack = t.subtrack ORDER BY t.path, t.subtrack"
        ).fetchall()
        pending: list[PendingTrack] = []
        cached = failed = 0
        for tid, path, sub, size, mtime, start, end, a_size, a_mtime, a_version, ok in rows:
            current = a_version == version and a_size == size and a_mtime == mtime
            if current and (ok or not retry_failed):
                cached += 1
                failed += 0 if ok else 1
                continue
            pending.append(PendingTrack(tid, from_sql_path(path), sub, size, mtime, start, end))
        return Plan(pending, cached, failed)

    # ---- writing --------------------------------------------------------------
    def write(self, records: Iterable[AnalysisRecord], *, now: float | None = None) -> None:
        """Store outcomes (replacing older rows of the same file range). Call in a transaction."""
        now = time.time() if now is None else now
        self.db.executemany(
            "INSERT OR REPLACE INTO analysis (path, subtrack, size, mtime_ns, version, "
            "analysed_at, ok, reason, features, seconds, bpm, musical_key, loudness_lufs, "
            "sample_peak, gated_power, gated_blocks, track_gain, album_gain, album_peak) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,"
            " (SELECT album_gain FROM analysis WHERE path = ? AND subtrack = ?),"
            " (SELECT album_peak FROM analysis WHERE path = ? AND subtrack = ?))",
            [
                (
                    sql_path(r.path), r.subtrack, r.size, r.mtime_ns, r.version, now,
                    int(r.ok), clean_text(r.reason), r.features, r.seconds, r.bpm,
                    r.key, r.lufs, r.peak, r.gated_power, r.gated_blocks, r.track_gain,
                    sql_path(r.path), r.subtrack, sql_path(r.path), r.subtrack,
                )
                for r in records
            ],
        )  # fmt: skip

    def apply_tags(self) -> int:
        """Fill missing loudness, BPM and key of tracks from their analyses; return rows changed.

        Album gains are computed for albums whose tracks are all analysed: the
        power mean of their gated loudness blocks, the largest peak. Call in a
        transaction.
        """
        db = self.db
        rows = db.execute(
            "SELECT t.id, t.album_artist, t.album, t.rg_track_gain, t.rg_album_gain, "
            "t.r128_track_gain, t.r128_album_gain, t.bpm, t.initial_key, "
            "a.ok, a.size = t.size AND a.mtime_ns = t.mtime_ns, a.track_gain, a.sample_peak, "
            "a.gated_power, a.gated_blocks, a.bpm, a.musical_key, a.album_gain, a.album_peak, "
            "t.path, t.subtrack "
            "FROM tracks t LEFT JOIN analysis a ON a.path = t.path AND a.subtrack = t.subtrack"
        ).fetchall()
        albums: dict[tuple[str, str], list[tuple]] = defaultdict(list)
        for row in rows:
            if row[2]:
                albums[(row[1], row[2])].append(row)
        album_values: dict[int, tuple[float | None, float | None]] = {}
        for members in albums.values():
            if len(members) < 2 or not all(m[9] and m[10] for m in members):
                continue
            power = sum(m[13] for m in members)
            blocks = sum(m[14] for m in members)
            if blocks <= 0 or power <= 0:
                continue
            lufs = -0.691 + 10.0 * math.log10(power / blocks)
            gain = round(REFERENCE_LUFS - lufs, 2)
            peak = max((m[12] or 0.0) for m in members)
            for m in members:
                album_values[m[0]] = (gain, peak)
        changed = 0
        for row in rows:
            (tid, _aa, _al, rg_track, rg_album, r128_track, r128_album, bpm, key,
             ok, current, a_gain, a_peak, _p, _n, a_bpm, a_key, old_album, old_album_peak,
             path, sub) = row  # fmt: skip
            if not ok or not current:
                continue
            sets: dict[str, object] = {}
            if r128_track is None and a_gain is not None and rg_track is None:
                sets.update(rg_track_gain=a_gain, rg_track_peak=a_peak)
            new_album = album_values.get(tid)
            owned = new_album and r128_album is None and _ours(rg_album, old_album)
            if owned and rg_album != new_album[0]:
                sets.update(rg_album_gain=new_album[0], rg_album_peak=new_album[1])
            if new_album and (old_album, old_album_peak) != new_album:
                db.execute(
                    "UPDATE analysis SET album_gain = ?, album_peak = ? "
                    "WHERE path = ? AND subtrack = ?",
                    (*new_album, path, sub),
                )
            if bpm is None and a_bpm is not None:
                sets["bpm"] = a_bpm
            if not key and a_key:
                sets["initial_key"] = a_key
            if sets:
                names = ", ".join(f"{k} = ?" for k in sets)
                db.execute(f"UPDATE tracks SET {names} WHERE id = ?", [*sets.values(), tid])
                changed += 1
        return changed

    # ---- reading ----------------------------------------------------------------
    def vectors(
        self, version: int, *, since: float | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(track ids, analysed_at, float32 matrix) of tracks with a current, good analysis.

        ``since`` limits to analyses stored after that time (incremental model updates).
        """
        import numpy as np

        where = "" if since is None else " AND a.analysed_at > ?"
        params: list[object] = [version] + ([] if since is None else [since])
        rows = self.db.execute(
            "SELECT t.id, a.analysed_at, a.features FROM tracks t JOIN analysis a "
            "ON a.path = t.path AND a.subtrack = t.subtrack "
            "WHERE a.ok = 1 AND a.version = ? AND a.size = t.size AND a.mtime_ns = t.mtime_ns"
            + where,
            params,
        ).fetchall()
        if not rows:
            return np.zeros(0, np.int64), np.zeros(0), np.zeros((0, 0), np.float32)
        ids = np.fromiter((r[0] for r in rows), np.int64, len(rows))
        times = np.fromiter((r[1] for r in rows), np.float64, len(rows))
        matrix = np.vstack([np.frombuffer(r[2], np.float32) for r in rows])
        return ids, times, matrix

    def sound_facts(self) -> dict[int, tuple[float | None, str, float | None]]:
        """track id -> (bpm, key, LUFS) from current good analyses (for smooth ordering)."""
        return {
            tid: (bpm, key, lufs)
            for tid, bpm, key, lufs in self.db.execute(
                "SELECT t.id, a.bpm, a.musical_key, a.loudness_lufs FROM tracks t "
                "JOIN analysis a ON a.path = t.path AND a.subtrack = t.subtrack "
                "WHERE a.ok = 1 AND a.size = t.size AND a.mtime_ns = t.mtime_ns"
            )
        }

    def loudness(self) -> dict[int, float]:
        """track id -> integrated loudness (LUFS) for the "Loudness" column.

        Measured by the analysis where it is current; otherwise derived from the
        track's ReplayGain gain (ReplayGain 2 reference, -18 LUFS), which is only
        as right as the tool that wrote it. Tracks with neither are left out.
        """
        return {
            tid: round(lufs, 2)
            for tid, lufs in self.db.execute(f"SELECT t.id, {LOUDNESS_SQL} AS v FROM tracks t")
            if lufs is not None
        }

    def failures(self) -> list[tuple[str, str]]:
        """(path, reason) of every file range whose analysis failed."""
        return [
            (from_sql_path(p), r)
            for p, r in self.db.execute(
                "SELECT path, reason FROM analysis WHERE ok = 0 ORDER BY path"
            )
        ]

    def get(self, path: str, subtrack: int = 0) -> dict[str, object] | None:
        cur = self.db.execute(
            "SELECT * FROM analysis WHERE path = ? AND subtrack = ?", (sql_path(path), subtrack)
        )
        row = cur.fetchone()
        if row is None:
            return None
        out = {d[0]: v for d, v in zip(cur.description, row, strict=True)}
        out["path"] = from_sql_path(out["path"])
        return out

    def latest(self) -> float:
        """Time of the newest stored analysis (0 when none)."""
        row = self.db.execute("SELECT MAX(analysed_at) FROM analysis").fetchone()
        return float(row[0] or 0.0)


def _ours(current: float | None, ours: float | None) -> bool:
    """True when a track column is empty or holds the value analysis wrote before."""
    return current is None or (ours is not None and abs(current - ours) < 0.005)
