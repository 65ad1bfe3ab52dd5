"""``kindred lyrics PATH [--fetch] [--json]``: a track's lyrics, as the lyrics tab finds them.

Local lyrics (a ``.lrc`` beside the file, then its tags) come first; then the
library's cache of LRCLIB answers, and LRCLIB itself when online lookups are
on in Settings -> Lyrics. ``--fetch`` asks the server now for a track without
local lyrics, whatever the setting and the cache say (the listener asked).
``--json`` prints one object whose lines carry their times in milliseconds,
the track's own offset applied (``offset_ms``, positive: lines earlier).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from player.app import open_context
from player.cli.common import EXIT_ERROR, EXIT_OK, print_json
from player.errors import AppError
from player.library.lrclib import INSTRUMENTAL
from player.library.lyrics_online import LyricsOptions, TrackLyrics, find_track_lyrics
from player.library.tags import read_tags


def add_commands(sub: Any, add_db: Any) -> None:
    p = sub.add_parser(
        "lyrics",
        help="print a track's lyrics (.lrc beside it, tags, or LRCLIB when enabled)",
        description="Print a track's lyrics: a .lrc beside the file, its tags, the library's "
        "cache of LRCLIB answers, or LRCLIB itself when online lookups are on.",
    )
    p.add_argument("path", metavar="PATH", help="the audio file")
    p.add_argument(
        "--fetch",
        action="store_true",
        help="ask LRCLIB now when the track has no local lyrics (even with lookups off)",
    )
    p.add_argument("--json", action="store_true", help="one JSON object; times in ms")
    add_db(p)


def cmd_lyrics(args: argparse.Namespace) -> int:
    path = Path(args.path).expanduser()
    if not path.is_file():
        raise AppError(f"No such file: {args.path}")
    with open_context(args.db) as ctx:
        settings = ctx.settings
        options = LyricsOptions(
            online=bool(settings.lyrics_online),
            server=settings.lyrics_server or LyricsOptions.server,
            save_lrc=bool(settings.lyrics_save_lrc),
        )
        location = str(path.resolve())
        track_id = ctx.library.track_id(location)
        info = None
        if track_id is None:  # a file outside the library: its tags make the question
            info = read_tags(location)
        found = find_track_lyrics(
            ctx.library, location, track_id, options=options, force=args.fetch, info=info
        )
    if args.json:
        print_json(as_json(location, found))
        return EXIT_OK if found.lyrics is not None or found.kind == INSTRUMENTAL else EXIT_ERROR
    if found.lyrics is None:
        if found.kind == INSTRUMENTAL:
            print("(instrumental: no lyrics)")
            return EXIT_OK
        hint = "" if args.fetch or options.online else " (try --fetch to ask LRCLIB)"
        print(f"kindred: no lyrics for {args.path}{hint}", file=sys.stderr)
        return EXIT_ERROR
    for time_ms, text, translation in _lines(found):
        stamp = "" if time_ms is None else f"[{_clock(time_ms)}] "
        print(stamp + text)
        if translation:
            print(" " * len(stamp) + translation)
    if found.origin in ("online", "cache"):
        print(f"(from LRCLIB{', cached' if found.origin == 'cache' else ''})", file=sys.stderr)
    if found.saved_to:
        print(f"(saved to {found.saved_to})", file=sys.stderr)
    return EXIT_OK


def _lines(found: TrackLyrics) -> list[tuple[int | None, str, str]]:
    assert found.lyrics is not None
    out = []
    for line in found.lyrics.lines:
        time_ms = None if line.time_ms is None else max(0, line.time_ms - found.offset_ms)
        out.append((time_ms, line.text, line.translation))
    return out


def _clock(ms: int) -> str:
    return f"{ms // 60000:02d}:{ms // 1000 % 60:02d}.{ms % 1000 // 10:02d}"


def as_json(location: str, found: TrackLyrics) -> dict[str, Any]:
    lyrics = found.lyrics
    return {
        "path": location,
        "origin": found.origin,
        "kind": found.kind,
        "synced": bool(lyrics and lyrics.synced),
        "offset_ms": found.offset_ms,
        "saved_to": found.saved_to,
        "lines": [
            {"time_ms": t, "text": text, "translation": translation}
            for t, text, translation in (_lines(found) if lyrics else [])
        ],
    }


HANDLERS = {"lyrics": cmd_lyrics}
