"""The ``kindred`` command: sub-commands for the library, or the window without one.

Every sub-command drives the same core objects the window uses. A person's
mistake (a missing path, an unreadable database, a bad query) prints one clear
line and exits non-zero; tracebacks are for bugs only.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from player import __version__
from player.app import open_context
from player.errors import AppError

if TYPE_CHECKING:
    from player.library.scanner import ScanSummary

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kindred",
        description="Kindred: a music player for people who love music. "
        "Without a sub-command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"kindred {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add_db(p: argparse.ArgumentParser) -> None:
        p.add_argument("--db", metavar="FILE", help="library database (default: from settings)")

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
    pl.add_argument("--json", action="store_true")
    _add_playback_commands(sub, add_db)
    return parser


def _add_playback_commands(sub: Any, add_db: Any) -> None:
    p = sub.add_parser(
        "play",
        help="play files, URLs and playlists until the end (or render them to a WAV file)",
        description="Play files, stream URLs and playlist files in order until the queue "
        "ends (Ctrl-C stops). With --output, render the same signal (ReplayGain, volume, "
        "equalizer) into a WAV file instead of the sound device.",
    )
    p.add_argument(
        "items", nargs="+", metavar="ITEM", help="audio file, URL, playlist file or station name"
    )
    p.add_argument("--output", metavar="FILE.wav", help="render into this WAV file")
    p.add_argument(
        "--replaygain",
        choices=("off", "track", "album", "auto"),
        help="ReplayGain mode (default: from settings)",
    )
    p.add_argument(
        "--volume",
        type=_percent,
        metavar="PCT",
        help="volume 0-100 (default: the saved volume; 100 with --output)",
    )
    p.add_argument("--eq", metavar="PRESET", help="equalizer preset, or 'off'")
    p.add_argument("--device", metavar="ID", help="output device (see: kindred devices)")
    add_db(p)

    p = sub.add_parser("devices", help="list the sound output devices")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("radio", help="list, add, remove, import or export radio stations")
    rsub = p.add_subparsers(dest="radio_command", metavar="ACTION", required=True)
    r = rsub.add_parser("list", help="list the stations")
    r.add_argument("--json", action="store_true")
    add_db(r)
    r = rsub.add_parser("add", help="add a station")
    r.add_argument("name")
    r.add_argument("url", help="stream address or the station's .m3u/.pls URL")
    add_db(r)
    r = rsub.add_parser("remove", help="remove a station by id")
    r.add_argument("id", type=int)
    add_db(r)
    r = rsub.add_parser("import", help="add the stations of an M3U/PLS/XSPF file")
    r.add_argument("file")
    add_db(r)
    r = rsub.add_parser("export", help="write the stations to an M3U/PLS/XSPF file")
    r.add_argument("file")
    add_db(r)


def _percent(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError("the volume is a percentage from 0 to 100")
    return value


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


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        return _open_window(parser)
    handler = {
        "scan": cmd_scan,
        "watch": cmd_watch,
        "search": cmd_search,
        "stats": cmd_stats,
        "errors": cmd_errors,
        "playlist": cmd_playlist,
        "play": cmd_play,
        "devices": cmd_devices,
        "radio": cmd_radio,
    }[args.command]
    try:
        return handler(args)
    except AppError as exc:
        print(f"kindred: {exc.short}", file=sys.stderr)
        if exc.detail and exc.detail != exc.short:
            print(_indent(exc.detail), file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("kindred: interrupted", file=sys.stderr)
        return 130


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())


def _open_window(parser: argparse.ArgumentParser) -> int:
    try:
        from player.ui.main import run_window  # type: ignore[import-not-found]
    except ImportError:
        from player.config import Paths, Settings

        paths = Paths.resolve()
        try:
            settings = Settings.load(paths)
            db = settings.database(paths)
        except AppError as exc:
            print(f"kindred: {exc.short}", file=sys.stderr)
            db = paths.default_database
        print("Kindred would open its window here, on the library at:")
        print(f"  {db}")
        print(
            "The window is not part of this build yet; the library works from the command line.\n"
        )
        parser.print_help()
        return EXIT_OK
    return int(run_window())


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
        print(json.dumps(data, ensure_ascii=False))
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


# ---- search -----------------------------------------------------------------------
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


def cmd_search(args: argparse.Namespace) -> int:
    from player.library.search import search

    query = " ".join(args.query)
    if args.limit is not None and args.limit < 1:
        raise AppError("--limit must be at least 1")
    with open_context(_existing_db(args.db)) as ctx:
        rows = search(ctx.library, query, limit=args.limit)
    if args.json:
        print(json.dumps([track_json(r) for r in rows], ensure_ascii=False))
        return EXIT_OK
    if not rows:
        print("No tracks match.")
    for row in rows:
        artist = row.get("artist") or "Unknown artist"
        album = f" — {row['album']}" if row.get("album") else ""
        year = f" ({row['year']})" if row.get("year") else ""
        print(f"{artist} — {row.get('title', '')}{album}{year}  [{_badge(row)}]")
    return EXIT_OK


def _existing_db(db: str | None) -> str | None:
    """An explicit ``--db`` must exist for commands that only read."""
    if db and not os.path.exists(db):
        raise AppError(
            f"No library database at {db}", "Create one with: kindred scan FOLDER --db " + db
        )
    return db


def _badge(row: dict[str, Any]) -> str:
    codec = (row.get("codec") or row.get("format") or "?").upper()
    if row.get("lossless") and row.get("bit_depth") and row.get("sample_rate"):
        return f"{codec} {row['bit_depth']}/{row['sample_rate'] / 1000:g}"
    if row.get("bitrate"):
        return f"{codec} {round(row['bitrate'] / 1000)}"
    return codec


# ---- stats and errors ---------------------------------------------------------------
def cmd_stats(args: argparse.Namespace) -> int:
    with open_context(_existing_db(args.db)) as ctx:
        stats = ctx.library.stats()
        stats["database"] = str(ctx.db_path)
    if args.json:
        print(json.dumps(stats, ensure_ascii=False))
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
    for root in stats["roots"]:
        print(f"  folder: {root}")
    return EXIT_OK


def cmd_errors(args: argparse.Namespace) -> int:
    from player.library.walk import display_path

    with open_context(_existing_db(args.db)) as ctx:
        errors = ctx.library.scan_errors()
    items = [{"path": display_path(e["path"]), "reason": e["reason"]} for e in errors]
    if args.json:
        print(json.dumps(items, ensure_ascii=False))
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
            rows = db.conn.execute(
                "SELECT p.id, p.name, p.query, COUNT(i.id) FROM playlists p "
                "LEFT JOIN playlist_items i ON i.playlist_id = p.id GROUP BY p.id ORDER BY p.name"
            ).fetchall()
            items = [{"id": r[0], "name": r[1], "query": r[2], "items": r[3]} for r in rows]
            if args.json:
                print(json.dumps(items, ensure_ascii=False))
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
                print(json.dumps(data, ensure_ascii=False))
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
            print(
                json.dumps({"file": str(args.file), "entries": result.written}, ensure_ascii=False)
            )
        else:
            print(f"Wrote {result.written} entries to {args.file}.")
    return EXIT_OK


def _find_playlist(db: Any, ref: str) -> int:
    row = None
    if ref.isdigit():
        row = db.conn.execute("SELECT id FROM playlists WHERE id = ?", (int(ref),)).fetchone()
    if row is None:
        row = db.conn.execute("SELECT id FROM playlists WHERE name = ?", (ref,)).fetchone()
    if row is None:
        raise AppError(
            f"No playlist named {ref!r}", "See the playlists with: kindred playlist list"
        )
    return int(row[0])


# ---- playback ---------------------------------------------------------------------------
def cmd_play(args: argparse.Namespace) -> int:
    from player.app import make_controller, make_engine
    from player.audio.session import expand_items, play_to_end
    from player.config import Paths, Settings

    paths = Paths.resolve()
    settings = Settings.load(paths)
    audio = settings.audio
    if args.output:  # a file gets the signal at unity unless asked otherwise
        audio.volume, audio.muted = 100, False
    if args.volume is not None:
        audio.volume = args.volume
    if args.replaygain:
        audio.replaygain_mode = args.replaygain
    if args.device:
        audio.output_device = args.device
    engine = make_engine(args.output)  # first: without libVLC nothing else matters
    library = _optional_library(args.db)  # play history, ReplayGain data, station names
    controller = make_controller(engine, settings, library=library, remember=False)
    if args.output:
        controller.queue.library = None  # a rendering is not listening: no play history
    try:
        if args.eq:
            if args.eq.lower() == "off":
                controller.set_equalizer(None)
            else:
                controller.set_equalizer_preset(args.eq)
        expanded = expand_items(args.items, library)
        for problem in expanded.problems:
            print(f"kindred: {problem.short}", file=sys.stderr)
        controller.queue.add(expanded.items)
        verb = "Rendering" if args.output else "Playing"
        result = play_to_end(controller, sys.stdout, sys.stderr, verb=verb)
    finally:
        controller.close()
        if library is not None:
            library.close()
    if args.output and result.started:
        print(f"Wrote {args.output}")
    return EXIT_ERROR if result.failed or expanded.problems or not result.started else EXIT_OK


def _optional_library(db: str | None) -> Any:
    """The library (for play history and ReplayGain data), or None when it cannot open."""
    try:
        return open_context(db).library
    except AppError as exc:
        print(f"kindred: {exc.short} (plays are not recorded)", file=sys.stderr)
        return None


def cmd_devices(args: argparse.Namespace) -> int:
    from player.app import make_engine
    from player.config import Paths, Settings

    remembered = Settings.load(Paths.resolve()).audio.output_device
    engine = make_engine()
    try:
        devices = engine.output_devices()
    finally:
        engine.close()
    if args.json:
        rows = [
            {"id": d.id, "description": d.description, "remembered": d.id == remembered}
            for d in devices
        ]
        print(json.dumps(rows, ensure_ascii=False))
        return EXIT_OK
    if not devices:
        print("No output devices found; the system default is used.")
    for device in devices:
        mark = "*" if device.id == remembered else " "
        print(f"{mark} {device.id}  {device.description}")
    if remembered and all(d.id != remembered for d in devices):
        print(f"  (the remembered device {remembered} is not available)")
    return EXIT_OK


def cmd_radio(args: argparse.Namespace) -> int:
    from player.library.radio import RadioStations

    with open_context(args.db) as ctx:
        stations = RadioStations(ctx.library)
        action = args.radio_command
        if action == "list":
            found = stations.list_stations()
            if args.json:
                rows = [{"id": s.id, "name": s.name, "url": s.url} for s in found]
                print(json.dumps(rows, ensure_ascii=False))
            elif not found:
                print("No radio stations yet. Add one with: kindred radio add NAME URL")
            for station in found if not args.json else []:
                print(f"{station.id:>4}  {station.name}  {station.url}")
        elif action == "add":
            station = stations.add(args.url, args.name)
            print(f"Added station {station.id}: {station.name}")
        elif action == "remove":
            if not stations.remove(args.id):
                raise AppError(
                    f"No radio station with id {args.id}",
                    "See the stations with: kindred radio list",
                )
            print(f"Removed station {args.id}.")
        elif action == "import":
            if not os.path.isfile(args.file):
                raise AppError(f"No such playlist file: {args.file}")
            result = stations.import_playlist(args.file)
            print(f"Imported {len(result.added)} stations.")
            for reason in result.skipped:
                print(f"  skipped {reason}")
        else:
            path = stations.export_playlist(args.file)
            print(f"Wrote {len(stations.list_stations())} stations to {path}.")
    return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
