"""How long the Artists and Albums views take to list a 100,000-track library.

Prints one JSON line: milliseconds for each artist role (grouped query plus name
splitting), for the album grouping, and for ``kindred stats`` (which counts both).

    uv run python bench/browse.py [--tracks 100000]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    from player.library.store import LibraryDB, album_groups, artist_entries
    from tests.ui.bigdb import make_big_library

    parser = argparse.ArgumentParser()
    parser.add_argument("--tracks", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.db"
        make_big_library(path, args.tracks)
        out: dict[str, object] = {"tracks": args.tracks}
        with LibraryDB(path, readonly=True) as db:
            for role in ("artist", "album_artist", "composer"):
                started = time.perf_counter()
                entries = artist_entries(db, role)
                out[f"artists_{role}_ms"] = round((time.perf_counter() - started) * 1000, 1)
                out[f"artists_{role}"] = len(entries)
            started = time.perf_counter()
            out["albums"] = len(album_groups(db))
            out["albums_ms"] = round((time.perf_counter() - started) * 1000, 1)
            started = time.perf_counter()
            db.stats()
            out["stats_ms"] = round((time.perf_counter() - started) * 1000, 1)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
