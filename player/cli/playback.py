"""Playback sub-commands: play, devices, radio."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from player.app import open_context
from player.cli.common import EXIT_ERROR, EXIT_OK, print_json
from player.errors import AppError


def add_commands(sub: Any, add_db: Any) -> None:
    p = sub.add_parser(
        "play",
        help="play files, URLs and playlists until the end (or render them to a WAV file)",
        description="Play files, stream URLs and playlist files in order until the queue "
        "ends (Ctrl-C stops). With --output, render the same signal (ReplayGain, volume, "
        "equalizer) into a WAV file instead of the sound device.",
    )
    p.add_argument(
        "items",
        nargs="+",
        metavar="ITEM",
        help="audio file, folder, URL, playlist file or station name",
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
    p.add_argument(
        "--crossfade",
        type=float,
        metavar="SECONDS",
        help="overlap tracks of different albums by 1-12 s (0: gapless)",
    )
    p.add_argument(
        "--sample-format",
        choices=("auto", "float", "32", "24", "16"),
        help="what the card is given: what it takes (auto, the default), float, or "
        "integers of 32, 24 or 16 bits, dithered when volume, ReplayGain or EQ changed them",
    )
    p.add_argument(
        "--bit-perfect",
        action="store_true",
        help="the card gets each track's own samples at its own rate and format "
        "(volume fixed at 100 %%, no ReplayGain, no equalizer)",
    )
    p.add_argument(
        "--sleep",
        type=_minutes,
        metavar="MIN",
        help="fade out and stop after MIN minutes (a sleep timer; not with --output)",
    )
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


def _minutes(text: str) -> float:
    from player.audio.sleep import MAX_S

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of minutes: {text!r}") from None
    if not 0 < value * 60 <= MAX_S:
        raise argparse.ArgumentTypeError(
            "the sleep timer takes more than 0 and at most 1440 minutes"
        )
    return value


# ---- playback ---------------------------------------------------------------------------
def cmd_play(args: argparse.Namespace) -> int:
    from player.app import make_engine, output_notice
    from player.audio.controller import controller_for
    from player.audio.session import expand_items, play_to_end
    from player.config import Paths, Settings

    if args.sleep and args.output:
        raise AppError(
            "--sleep and --output do not go together",
            "A rendering runs faster than real time; the sleep timer counts real minutes.",
        )
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
    if args.bit_perfect:
        audio.bit_perfect = True
    if args.sample_format:
        audio.sample_format = args.sample_format
    if args.crossfade is not None:
        audio.crossfade_s = 0.0 if args.crossfade <= 0 else max(1.0, min(12.0, args.crossfade))
    if audio.bit_perfect and not args.output:
        audio.volume, audio.muted, audio.replaygain_mode = 100, False, "off"
        audio.equalizer_enabled = False
    engine = make_engine(args.output, bit_perfect=audio.bit_perfect)  # first: with no way
    # to play, nothing else matters
    notice = None if args.output else output_notice()
    if notice is not None:
        print(f"kindred: {notice.short}", file=sys.stderr)
    library = _optional_library(args.db)  # play history, ReplayGain data, station names
    controller = controller_for(engine, settings, library=library, remember=False)
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
        if args.sleep:
            controller.set_sleep_timer(args.sleep * 60)
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

    audio = Settings.load(Paths.resolve()).audio
    remembered = audio.output_device
    engine = make_engine()
    try:
        devices = engine.output_devices()
    finally:
        engine.close()
    if args.json:
        rows = [
            {
                "id": d.id,
                "description": d.description,
                "remembered": d.id == remembered,
                **_device_details(d.id, audio),
            }
            for d in devices
        ]
        print_json(rows)
        return EXIT_OK
    problem = _default_device_problem()
    if problem is not None:
        print(f"kindred: the default sound device cannot be used: {problem}", file=sys.stderr)
    if not devices:
        print("No output devices found; the system default is used.")
    for device in devices:
        mark = "*" if device.id == remembered else " "
        print(f"{mark} {device.id}  {device.description}")
    if remembered and all(d.id != remembered for d in devices):
        print(f"  (the remembered device {remembered} is not available)")
    return EXIT_OK


def _default_device_problem() -> str | None:
    """Why the default device cannot play (None: it can)."""
    from player.audio.output.sinks import default_device_problem, portaudio_error

    if portaudio_error() is not None:
        from player.audio.output.alsalog import alsa_default_problem

        return alsa_default_problem()
    return default_device_problem()


def _device_details(device_id: str, audio: Any) -> dict[str, Any]:
    """Host API, formats and output paths of a card (none for libVLC's devices)."""
    try:
        from player.audio.output.formats import device_details

        return device_details(
            device_id, bit_perfect=audio.bit_perfect, sample_format=audio.sample_format
        )
    except (ImportError, OSError, KeyError):
        return {}


def cmd_radio(args: argparse.Namespace) -> int:
    from player.library.radio import RadioStations

    with open_context(args.db) as ctx:
        stations = RadioStations(ctx.library)
        action = args.radio_command
        if action == "list":
            found = stations.list_stations()
            if args.json:
                rows = [{"id": s.id, "name": s.name, "url": s.url} for s in found]
                print_json(rows)
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


HANDLERS = {"play": cmd_play, "devices": cmd_devices, "radio": cmd_radio}
