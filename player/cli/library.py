"""Library sub-commands: scan, watch, search, stats, errors, playlist."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from player.app import open_context
from player.cli.common import (
    EXIT_ERROR,
    EXIT_OK,
    ProgressBar,
    badge,
    existing_db,
    print_json,
    track_json,
)
from player.errors import AppError
from player.library.listen_import import imported_counts

if TYPE_CHECKING:
    from player.library.scanner import ScanSummary


def add_commands(sub: Any, add_db: Any) -> None:
    p = sub.add_parser("scan", help="add folders to the library and scan them")
    p.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="folders to add (default: rescan the configured ones)",
    )
    add_db(p)
    p.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    p.add_argument(
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help="worker processes (default: one per core)",
    )

    p = sub.add_parser("watch", help="scan, then keep the library current until Ctrl-C")
    p.add_argument(
        "paths", nargs="*", metavar="PATH", help="folders (default: the library folders)"
    )
    add_db(p)

    p = sub.add_parser(
        "search", help="search the library (query language: see 'kindred search --help')"
    )
    p.add_argument("query", nargs="+", metavar="QUERY")
    add_db(p)
    p.add_argument("--limit", type=int, default=50, metavar="N")
    p.add_argument("--json", action="store_true", help="print a JSON array of tracks")
    p.epilog = _query_help()
    p.formatter_class = argparse.RawDescriptionHelpFormatter

    p = sub.add_parser("stats", help="what the library holds")
    add_db(p)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser(
        "listening",
        help="your listening: time, plays and the most played, over a period",
        description="What you played over the last week, month (30 days), year (365 "
        "days) or all time: time listened, plays, first listens, the most played artists, "
        "albums and tracks, and the hours of the day you listen at.",
    )
    p.add_argument("period", nargs="?", default="month", choices=("week", "month", "year", "all"))
    p.add_argument("-n", type=int, default=10, help="entries in each most-played list")
    add_db(p)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("errors", help="files the last scans could not read, with the reason")
    add_db(p)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("playlist", help="import, export or list playlists")
    psub = p.add_subparsers(dest="playlist_command", metavar="ACTION", required=True)
    pi = psub.add_parser("import", help="import an M3U/M3U8/PLS/XSPF file")
    pi.add_argument("file")
    pi.add_argument("--name", help="playlist name (default: the file's name)")
    add_db(pi)
    pi.add_argument("--json", action="store_true")
    pe = psub.add_parser("export", help="export a playlist to M3U/M3U8/PLS/XSPF (by extension)")
    pe.add_argument("playlist", help="playlist name or id")
    pe.add_argument("file")
    pe.add_argument("--absolute", action="store_true", help="write absolute paths")
    add_db(pe)
    pe.add_argument("--json", action="store_true")
    pl = psub.add_parser("list", help="list playlists")
    add_db(pl)


def _query_help() -> str:
    return (
        "query language:\n"
        "  words             every word must match title/artist/album/genre/composer (prefix)\n"
        '  "a phrase"        words in this order\n'
        "  artist:, album:, albumartist:, title:, genre:, composer:   match within a field\n"
        "  year:1990..1999   also year:>=2000, year:1994\n"
        "  rating:>=4, liked:yes, plays:>10, played:<30d, added:<7d (h, d, w, m, y)\n"
        "  codec:flac, format:mp3, lossless:yes, samplerate:>=96000, bitdepth:24, bitrate:>=256\n"
        "  -word, -genre:rock   exclude;   a OR b   either;   ( ... )   group\n"
    )


# ---- scan -------------------------------------------------------------------------
def cmd_scan(args: argparse.Namespace) -> int:
    from player.library.scanner import Scanner

    for path in args.paths:
        if not os.path.exists(path):
            raise AppError(f"No such folder: {path}")
        if not os.path.isdir(path):
            raise AppError(
                f"Not a folder: {path}",
                "kindred scan takes folders; a file is scanned with its folder.",
            )
    with open_context(args.db) as ctx:
        if args.paths:
            added = ctx.settings.add_folders(args.paths)
            ctx.library.add_roots(ctx.settings.library_folders)
            if added and not args.db:
                ctx.settings.save(ctx.paths)
            roots = [str(Path(p).resolve()) for p in args.paths]
        else:
            roots = sorted(set(ctx.settings.library_folders) | set(ctx.library.roots()))
            if not roots:
                raise AppError(
                    "No library folders yet",
                    "Add one with: kindred scan /path/to/music",
                )
        ctx.library.add_roots(roots)
        bar = ProgressBar(sys.stderr) if sys.stderr.isatty() and not args.json else None
        summary = Scanner(ctx.library, workers=args.jobs).scan(
            roots, progress=bar.update if bar else None
        )
        if bar:
            bar.finish()
    data = summary.to_dict()
    if args.json:
        print_json(data)
    else:
        print(f"{_line(summary)} in {summary.seconds:.2f} s")
        for root, reason in summary.missing_roots.items():
            print(f"  not scanned: {root}: {reason} (its tracks were kept)")
        for item in data["error_files"][:20]:  # type: ignore[index]
            print(f"  {item['path']}: {item['reason']}")
        if len(summary.errors) > 20:
            print(f"  ... and {len(summary.errors) - 20} more (kindred errors)")
    return (
        EXIT_ERROR
        if summary.missing_roots and not (summary.added or summary.unchanged)
        else EXIT_OK
    )


def cmd_watch(args: argparse.Namespace) -> int:
    import threading

    from player.library.scanner import Scanner
    from player.library.watcher import LibraryWatcher

    for path in args.paths:
        if not os.path.isdir(path):
            raise AppError(f"No such folder: {path}")
    with open_context(args.db) as ctx:
        roots = [str(Path(p).resolve()) for p in args.paths] or sorted(
            set(ctx.settings.library_folders) | set(ctx.library.roots())
        )
        if not roots:
            raise AppError("No library folders yet", "Add one with: kindred scan /path/to/music")
        ctx.library.add_roots(roots)
        first = Scanner(ctx.library).scan(roots)
        db_path = ctx.db_path

    def report(summary: ScanSummary) -> None:
        print(_line(summary), flush=True)

    stop = threading.Event()
    with LibraryWatcher(db_path, roots, on_change=report):
        print(f"{_line(first)}; watching {len(roots)} folder(s), Ctrl-C to stop", flush=True)
        try:
            while not stop.wait(3600):
                pass
        except KeyboardInterrupt:
            pass
    return EXIT_OK


def _line(s: ScanSummary) -> str:
    return (
        f"added {s.added}, updated {s.updated}, removed {s.removed}, moved {s.moved}, "
        f"unchanged {s.unchanged}, errors {len(s.errors)}"
    )


def cmd_search(args: argparse.Namespace) -> int:
    from player.library.search import search

    query = " ".join(args.query)
    if args.limit is not None and args.limit < 1:
        raise AppError("--limit must be at least 1")
    with open_context(existing_db(args.db)) as ctx:
        # the JSON carries the whole track; a line needs only what a result list shows
        rows = search(ctx.library, query, limit=args.limit, full=args.json)
    if args.json:
        print_json([track_json(r) for r in rows])
        return EXIT_OK
    if not rows:
        print("No tracks match.")
    for row in rows:
        artist = row.get("artist") or "Unknown artist"
        album = f" — {row['album']}" if row.get("album") else ""
        year = f" ({row['year']})" if row.get("year") else ""
        print(f"{artist} — {row.get('title', '')}{album}{year}  [{badge(row)}]")
    return EXIT_OK


# ---- stats and errors ---------------------------------------------------------------
def cmd_stats(args: argparse.Namespace) -> int:
    with open_context(existing_db(args.db)) as ctx:
        stats = ctx.library.stats()
        stats.update(imported_counts(ctx.library))  # kindred import-history
        stats["database"] = str(ctx.db_path)
    if args.json:
        print_json(stats)
        return EXIT_OK
    hours = stats["duration_s"] / 3600
    print(f"Library: {ctx.db_path}")
    print(f"  {stats['tracks']} tracks, {stats['albums']} albums, {stats['artists']} artists")
    print(f"  {hours:.1f} hours, {stats['bytes'] / 1e9:.2f} GB, {stats['lossless']} lossless")
    if stats["formats"]:
        print("  formats: " + ", ".join(f"{k or '?'} {v}" for k, v in stats["formats"].items()))
    print(
        f"  {stats['playlists']} playlists, {stats['plays']} plays, {stats['scan_errors']} unreadable files"
    )
    if stats["imported_plays"] or stats["unmatched_listens"]:
        print(
            f"  imported history: {stats['imported_plays']} of the plays, "
            f"{stats['unmatched_listens']} listens not in the library"
        )
    for root in stats["roots"]:
        print(f"  folder: {root}")
    return EXIT_OK


PERIOD_NAMES = {
    "week": "the last 7 days",
    "month": "the last 30 days",
    "year": "the last 12 months",
    "all": "all time",
}
SPARKS = "▁▂▃▄▅▆▇█"


def cmd_listening(args: argparse.Namespace) -> int:
    from player.library.listening_stats import listening_stats, period_start

    if args.n < 1:
        raise AppError("-n must be at least 1")
    with open_context(existing_db(args.db)) as ctx:
        stats = listening_stats(ctx.library, period_start(args.period), top=args.n)
    if args.json:
        print_json({"period": args.period, **stats.to_dict()})
        return EXIT_OK
    print(f"Your listening, {PERIOD_NAMES[args.period]}:")
    if stats.empty:
        print("  Nothing played yet in this period.")
        return EXIT_OK
    print(
        f"  {_span(stats.minutes)} · {stats.plays} plays ({stats.skips} skipped) · "
        f"{stats.tracks} tracks · {stats.artists} artists · "
        f"{stats.first_heard} heard for the first time"
    )
    for title, entries in (
        ("artists", stats.top_artists),
        ("albums", stats.top_albums),
        ("tracks", stats.top_tracks),
    ):
        if not entries:
            continue
        print(f"  Most played {title}:")
        for i, top in enumerate(entries, 1):
            name = f"{top.name} — {top.detail}" if top.detail else top.name
            print(f"  {i:3d}. {name}  {top.plays} plays, {_span(top.minutes)}")
    peak = max(stats.by_hour)
    line = "".join(SPARKS[round(m / peak * (len(SPARKS) - 1))] if peak else SPARKS[0]
                   for m in stats.by_hour)  # fmt: skip
    print(f"  Hours of the day: 0h {line} 23h")
    return EXIT_OK


def _span(minutes: float) -> str:
    return f"{minutes:.0f} min" if minutes < 120 else f"{minutes / 60:.1f} hours"


def cmd_errors(args: argparse.Namespace) -> int:
    from player.library.walk import display_path

    with open_context(existing_db(args.db)) as ctx:
        errors = ctx.library.scan_errors()
    items = [{"path": display_path(e["path"]), "reason": e["reason"]} for e in errors]
    if args.json:
        print_json(items)
    elif not items:
        print("No unreadable files.")
    else:
        for item in items:
            print(f"{item['path']}: {item['reason']}")
    return EXIT_OK


# ---- playlists ------------------------------------------------------------------------
def cmd_playlist(args: argparse.Namespace) -> int:
    from player.library import playlists

    with open_context(args.db) as ctx:
        db = ctx.library
        if args.playlist_command == "list":
            rows = playlists.playlist_sizes(db)
            items = [{"id": r[0], "name": r[1], "query": r[2], "items": r[3]} for r in rows]
            if args.json:
                print_json(items)
            for item in items if not args.json else []:
                kind = f"smart: {item['query']}" if item["query"] else f"{item['items']} items"
                print(f"{item['id']:>4}  {item['name']}  ({kind})")
            return EXIT_OK
        if args.playlist_command == "import":
            if not os.path.isfile(args.file):
                raise AppError(f"No such playlist file: {args.file}")
            result = playlists.import_playlist(db, args.file, name=args.name)
            data = {
                "playlist_id": result.playlist_id,
                "added": result.added,
                "missing": result.missing,
                "urls": result.urls,
                "warnings": [str(w) for w in result.warnings],
            }
            if args.json:
                print_json(data)
            else:
                print(f"Imported {result.added} entries as playlist {result.playlist_id}.")
                for missing in result.missing:
                    print(f"  missing: {missing}")
                for warning in data["warnings"]:
                    print(f"  warning: {warning}")
            return EXIT_OK
        playlist_id = _find_playlist(db, args.playlist)
        result = playlists.export_playlist(db, playlist_id, args.file, relative=not args.absolute)
        if args.json:
            print_json({"file": str(args.file), "entries": result.written})
        else:
            print(f"Wrote {result.written} entries to {args.file}.")
    return EXIT_OK


def _find_playlist(db: Any, ref: str) -> int:
    from player.library import playlists

    playlist_id = playlists.find_playlist(db, ref)
    if playlist_id is None:
        raise AppError(
            f"No playlist named {ref!r}", "See the playlists with: kindred playlist list"
        )
    return playlist_id


HANDLERS = {
    "scan": cmd_scan,
    "watch": cmd_watch,
    "search": cmd_search,
    "stats": cmd_stats,
    "listening": cmd_listening,
    "errors": cmd_errors,
    "playlist": cmd_playlist,
}
