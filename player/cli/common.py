"""What the ``kindred`` sub-commands share: exit codes, a progress bar, track JSON."""

from __future__ import annotations

import json
import os
import time
from typing import Any, TextIO

from player.errors import AppError

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2


class ProgressBar:
    """A one-line terminal progress bar (only when writing to a terminal)."""

    def __init__(self, stream: TextIO, width: int = 30) -> None:
        self.stream = stream
        self.width = width
        self.started = time.perf_counter()
        self.last = 0.0

    def update(self, done: int, total: int) -> None:
        now = time.perf_counter()
        if done < total and now - self.last < 0.1:
            return
        self.last = now
        frac = done / total if total else 1.0
        filled = int(self.width * frac)
        rate = done / (now - self.started) if now > self.started else 0.0
        self.stream.write(
            f"\rscanning [{'#' * filled}{'.' * (self.width - filled)}] {done}/{total} "
            f"{rate:.0f} files/s"
        )
        self.stream.flush()

    def finish(self) -> None:
        self.stream.write("\r" + " " * (self.width + 50) + "\r")
        self.stream.flush()


def _is_duration(key: str) -> bool:
    return "duration" in key or key == "seconds" or key.endswith(("_s", "_seconds"))


def round_durations(value: Any, key: str = "") -> Any:
    """*value* with every float under a duration key (``duration``, ``duration_s``,
    ``*_seconds``, ``*_s``) rounded to the millisecond."""
    if isinstance(value, dict):
        return {k: round_durations(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [round_durations(v, key) for v in value]
    if isinstance(value, float) and _is_duration(key):
        return round(value, 3)
    return value


def print_json(value: Any) -> None:
    """Print *value* as one line of JSON (UTF-8 text as is, durations to the millisecond)."""
    print(json.dumps(round_durations(value), ensure_ascii=False))


def track_json(row: dict[str, Any]) -> dict[str, Any]:
    """The public JSON shape of a track."""
    return {
        "id": row.get("id"),
        "path": row["path"],
        "subtrack": row.get("subtrack", 0),
        "title": row.get("title", ""),
        "artist": row.get("artist", ""),
        "artists": row.get("artists", []),
        "album": row.get("album", ""),
        "album_artist": row.get("album_artist", ""),
        "track_number": row.get("track_number"),
        "disc_number": row.get("disc_number"),
        "year": row.get("year"),
        "genre": row.get("genre", ""),
        "genres": row.get("genres", []),
        "duration": row.get("duration"),
        "codec": row.get("codec", ""),
        "format": row.get("format", ""),
        "bitrate": row.get("bitrate"),
        "sample_rate": row.get("sample_rate"),
        "bit_depth": row.get("bit_depth"),
        "channels": row.get("channels"),
        "lossless": bool(row.get("lossless")),
        "rating": row.get("rating"),
        "liked": bool(row.get("liked")),
        "play_count": row.get("play_count", 0),
    }


def existing_db(db: str | None) -> str | None:
    """An explicit ``--db`` must exist for commands that only read."""
    if db and not os.path.exists(db):
        raise AppError(
            f"No library database at {db}", "Create one with: kindred scan FOLDER --db " + db
        )
    return db


def badge(row: dict[str, Any]) -> str:
    codec = (row.get("codec") or row.get("format") or "?").upper()
    if row.get("lossless") and row.get("bit_depth") and row.get("sample_rate"):
        return f"{codec} {row['bit_depth']}/{row['sample_rate'] / 1000:g}"
    if row.get("bitrate"):
        return f"{codec} {round(row['bitrate'] / 1000)}"
    return codec


def read_secret(prompt: str, from_stdin: bool) -> str:
    """A password or token: a line of stdin when asked (or when stdin is not a terminal),
    else typed at a hidden prompt."""
    import getpass
    import sys

    if from_stdin or not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    return getpass.getpass(prompt)


def comments_service(ctx: Any, args: Any) -> Any:
    """The comment server's service for a command (``--server`` or the settings' server)."""
    from player.app import make_comments

    return make_comments(ctx, server=args.server)
