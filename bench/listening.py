"""Listening statistics benchmark: how long "Your listening" takes to read a long history.

A library of ``--tracks`` made-up tracks (default 100,000, built once into
``--cache``) gets ``--plays`` plays (default 500,000: ten years at about 140 a
day) spread over ten years, a few tracks much more played than most. Each
period (week, month, year, all) is read ``--runs`` times; the medians are
reported in milliseconds, and the same queries on a copy with schema 6's
indexes (no ``plays_time``, a ``plays_track`` that holds only the track and the
time) are the baseline (``ratio_vs_unindexed``: below 1 is faster).
Prints one JSON line. Targets (the page reads off the UI thread; this is how
long its figures take to appear): the week, month and year under 300 ms, all
time under 1.5 s.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

YEAR_S = 365 * 86400.0


def add_plays(db_path: Path, plays: int, now: float, seed: int = 7) -> None:
    from player.library.store import LibraryDB

    rng = random.Random(seed)
    with LibraryDB(db_path) as db:
        ids = [row[0] for row in db.conn.execute("SELECT id FROM tracks")]
        weights = [1.0 / (rank + 10) for rank in range(len(ids))]  # a long tail
        rng.shuffle(ids)
        chosen = rng.choices(ids, weights=weights, k=plays)
        rows = []
        for track_id in chosen:
            skipped = rng.random() < 0.15
            ms = rng.randint(2_000, 20_000) if skipped else rng.randint(120_000, 360_000)
            rows.append((track_id, now - rng.random() * 10 * YEAR_S, ms, int(not skipped),
                         int(skipped)))  # fmt: skip
        with db.transaction() as conn:
            conn.executemany(
                "INSERT INTO plays (track_id, played_at, listened_ms, finished, skipped) "
                "VALUES (?, ?, ?, ?, ?)",
                rows,
            )
        db.conn.execute("ANALYZE")


def time_periods(db_path: Path, runs: int, now: float) -> dict[str, float]:
    from player.library.listening_stats import PERIODS, listening_stats, period_start
    from player.library.store import LibraryDB

    out: dict[str, float] = {}
    with LibraryDB(db_path, readonly=True) as db:
        for period in PERIODS:
            since = period_start(period, now)
            listening_stats(db, since, now)  # warm the page cache
            times = []
            for _ in range(runs):
                started = time.perf_counter()
                stats = listening_stats(db, since, now)
                times.append((time.perf_counter() - started) * 1000)
            assert stats.plays > 0, period
            out[period] = max(0.01, round(statistics.median(times), 2))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tracks", type=int, default=100_000)
    parser.add_argument("--plays", type=int, default=500_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "kindred-bench"))
    args = parser.parse_args()
    from bench.ui_startup import build_db

    library = build_db(Path(args.cache), args.tracks)
    now = time.time()
    with tempfile.TemporaryDirectory(prefix="kindred-listening-") as tmp:
        indexed = Path(tmp) / "indexed.db"
        shutil.copy(library, indexed)
        started = time.perf_counter()
        add_plays(indexed, args.plays, now)
        fill_s = time.perf_counter() - started
        plain = Path(tmp) / "plain.db"
        shutil.copy(indexed, plain)
        import sqlite3

        conn = sqlite3.connect(plain)  # the indexes of schema 6
        conn.execute("DROP INDEX plays_time")
        conn.execute("DROP INDEX plays_track")
        conn.execute("CREATE INDEX plays_track ON plays(track_id, played_at)")
        conn.commit()
        conn.close()
        fast = time_periods(indexed, args.runs, now)
        slow = time_periods(plain, args.runs, now)
    print(
        json.dumps(
            {
                "tracks": args.tracks,
                "plays": args.plays,
                "runs": args.runs,
                "median_ms": fast,
                "unindexed_median_ms": slow,
                "ratio_vs_unindexed": {k: round(fast[k] / slow[k], 2) for k in fast},
                "slowest_ms": max(fast.values()),
                "fill_s": round(fill_s, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
