"""Play a list of files, URLs and playlists to the end, reporting as it goes.

What ``kindred play`` does once the engine exists: turn what a person typed
into queue items (a local playlist file becomes its entries; a local file gets
its tags so ReplayGain and the history know it), then pump a
:class:`~player.audio.controller.PlaybackController` until the queue runs out,
printing one line per item that starts, each radio title, and one line per
item that failed.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from player.audio.controller_events import (
    ItemFailed,
    QueueEnded,
    SleepEnded,
    TrackStarted,
    display_name,
)
from player.audio.engine import DeviceChanged, MetadataChanged
from player.audio.playback_rules import is_url
from player.audio.queue import QueueItem
from player.errors import AppError, SoundDeviceError

if TYPE_CHECKING:
    from player.audio.controller import PlaybackController
    from player.library.store import LibraryDB
    from player.library.track import TrackInfo


@dataclass
class Expanded:
    """Queue items made from the command line, and the arguments that gave none."""

    items: list[QueueItem] = field(default_factory=list)
    problems: list[AppError] = field(default_factory=list)


def expand_items(args: Iterable[str], library: LibraryDB | None = None) -> Expanded:
    """Paths, URLs, local playlist files (M3U, PLS, XSPF) and saved radio station names
    as queue items, in order.

    A folder gives its audio files (see :func:`folder_items`). A missing file,
    a folder without audio or a playlist that cannot be read is a problem instead; a playlist's missing entries are queued (playing them reports them).
    """
    from player.library.playlist_files import playlist_format, read_playlist

    out = Expanded()
    for arg in args:
        if is_url(arg):
            out.items.append(QueueItem(location=arg))
            continue
        path = arg.removeprefix("file://")
        if os.path.isdir(path):
            items = folder_items(path, library)
            if items:
                out.items.extend(items)
            else:
                out.problems.append(
                    AppError(
                        f"No audio files in {arg}",
                        "kindred play takes audio files, folders, URLs and playlist files.",
                    )
                )
        elif playlist_format(path) and os.path.isfile(path):
            try:
                playlist = read_playlist(path)
            except AppError as error:
                out.problems.append(error)
                continue
            for entry in playlist.entries:
                if entry.is_url:
                    item = QueueItem(location=entry.location, title=entry.title)
                    out.items.append(item)
                else:
                    out.items.append(local_item(entry.location, library))
        elif not os.path.exists(path):
            station = station_named(arg, library)
            if station is not None:
                out.items.append(station)
            else:
                out.problems.append(
                    AppError(f"Cannot play {arg}: file not found", f"There is no file at {arg}.")
                )
        else:
            out.items.append(local_item(path, library))
    return out


def folder_items(folder: str, library: LibraryDB | None = None) -> list[QueueItem]:
    """The audio files below *folder* as queue items: folder by folder in path order,
    and inside a folder by album, disc and track number (tags), then by file name
    (files without an album tag after the others)."""
    from player.library.tags import AUDIO_EXTENSIONS, read_tags
    from player.library.walk import walk

    keyed: list[tuple[tuple[object, ...], str, TrackInfo | None]] = []
    for path in walk([folder], AUDIO_EXTENSIONS).files:
        try:
            info: TrackInfo | None = read_tags(path)
        except AppError:
            info = None
        parent, name = os.path.split(path)
        key = (
            Path(parent).parts,
            not (info and info.album),  # untagged files after the album
            (info.album if info else "").casefold(),
            (info.disc_number if info else None) or 0,
            t if info and (t := info.track_number) is not None else 1 << 30,
            name.casefold(),
            name,
        )
        keyed.append((key, path, info))
    keyed.sort(key=lambda k: k[0])
    items = []
    for _key, path, info in keyed:
        if library is not None or info is None:
            items.append(local_item(path, library))
        else:
            items.append(QueueItem.from_track(info))
    return items


def station_named(name: str, library: LibraryDB | None) -> QueueItem | None:
    """A queue item for the saved radio station called *name* (any case), if there is one."""
    if library is None:
        return None
    from player.library.radio import RadioStations

    wanted = name.strip().casefold()
    for station in RadioStations(library).list_stations():
        if station.name.casefold() == wanted:
            return QueueItem(location=station.url, title=station.name, live=True)
    return None


def local_item(path: str, library: LibraryDB | None = None) -> QueueItem:
    """A queue item for a local file: the library's row when it has one, else its own tags."""
    from player.library.search import fetch_rows
    from player.library.tags import read_tags

    absolute = str(Path(path).expanduser().absolute())
    if library is not None:
        try:
            track_id = library.track_id(absolute)
            rows = fetch_rows(library, [track_id]) if track_id is not None else []
        except Exception:  # the library is optional here
            rows = []
        if rows:
            return QueueItem.from_row(rows[0])
    try:
        return QueueItem.from_track(read_tags(absolute))
    except AppError:
        return QueueItem(location=absolute)


@dataclass
class SessionResult:
    """The items that played and the ones that failed, with the reason."""

    started: list[QueueItem] = field(default_factory=list)
    failed: list[tuple[QueueItem, AppError]] = field(default_factory=list)


def play_to_end(
    controller: PlaybackController,
    out: TextIO,
    err: TextIO,
    *,
    verb: str = "Playing",
    poll_s: float = 0.1,
) -> SessionResult:
    """Play the controller's queue from the start until nothing more plays."""
    result = SessionResult()
    early_title: str | None = None  # a stream's title can arrive before it counts as started
    controller.play()
    while True:
        for report in controller.pump(poll_s):
            if isinstance(report, TrackStarted):
                result.started.append(report.item)
                print(f"{verb}: {display_name(report.item)}", file=out, flush=True)
                if early_title:
                    print(f"  now playing: {early_title}", file=out, flush=True)
                early_title = None
            elif isinstance(report, ItemFailed):
                result.failed.append((report.item, report.error))
                print(f"kindred: {report.error.short}", file=err, flush=True)
                if isinstance(report.error, SoundDeviceError):  # playback stopped: say why
                    from player.audio.output.sinks import device_words

                    why = device_words(report.error.detail)
                    print(f"  {why}\n  See: kindred devices", file=err, flush=True)
            elif isinstance(report, MetadataChanged) and report.now_playing:
                started = result.started and result.started[-1] is controller.playing_item
                if started:
                    print(f"  now playing: {report.now_playing}", file=out, flush=True)
                else:
                    early_title = report.now_playing
            elif isinstance(report, DeviceChanged) and report.message:
                print(f"kindred: {report.message}", file=err, flush=True)
            elif isinstance(report, QueueEnded):
                return result
            elif isinstance(report, SleepEnded):
                print("Sleep timer: the music faded out.", file=out, flush=True)
                return result
        if not controller.active:
            return result
