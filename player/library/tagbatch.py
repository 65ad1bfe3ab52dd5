"""Read and write the tags of several library tracks at once (no Qt: runs on a worker).

:func:`read_tracks` gives the stored :class:`TrackInfo` of each track for the
tag editor; :func:`write_batch` writes the same changes into every file through
the atomic writer (:func:`player.library.tagwrite.write_tags`) and stores each
re-read file in the library at once, the way a scan updates one file. A file
that fails (read-only, gone, a format without tag support) is reported with
its reason and the others are still written.
"""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from player.errors import AppError, TagError
from player.library.store import LibraryDB, reader
from player.library.tagwrite import write_tags
from player.library.track import TrackInfo


@dataclass
class BatchResult:
    """What a batch write did: the ids written and ``(path, error)`` for each failure."""

    written: list[int] = field(default_factory=list)
    errors: list[tuple[str, AppError]] = field(default_factory=list)


def read_tracks(db_path: str | Path, ids: list[int]) -> list[tuple[int, TrackInfo]]:
    """``(id, TrackInfo)`` of each track still in the library, in the given order."""
    library = reader(db_path)
    out = []
    for track_id in ids:
        info = library.get_track(track_id)
        if info is not None:
            out.append((track_id, info))
    return out


def _check_writable(info: TrackInfo) -> None:
    """Refuse what the atomic writer would silently replace or cannot split up."""
    if info.cue_path:
        raise TagError(
            "Part of a CUE sheet",
            f"{info.path}: this track's tags come from {info.cue_path}; edit the sheet instead.",
        )
    try:
        mode = os.stat(info.path).st_mode
    except OSError as exc:
        raise TagError(
            "File not found" if isinstance(exc, FileNotFoundError) else "Cannot open the file",
            f"{info.path}: {exc.strerror or exc}.",
        ) from None
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise TagError(
            "The file is read-only",
            f"{info.path} is marked read-only; Kindred leaves it unchanged. "
            "Make it writable to edit its tags.",
        )


def write_batch(
    db_path: str | Path,
    tracks: list[tuple[int, TrackInfo]],
    changes: Mapping[str, object],
    *,
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
) -> BatchResult:
    """Write *changes* into each track's file and store the re-read file in the library."""
    result = BatchResult()
    if not changes:
        return result
    library = LibraryDB(db_path)
    try:
        for done, (track_id, info) in enumerate(tracks):
            if cancel is not None and cancel.is_set():
                break
            try:
                _check_writable(info)
                fresh = write_tags(info.path, changes)
                st = os.stat(info.path)
                fresh.size, fresh.mtime_ns = st.st_size, st.st_mtime_ns
                with library.transaction():
                    library.upsert_tracks([fresh])
                result.written.append(track_id)
            except AppError as exc:
                result.errors.append((info.path, exc))
            except OSError as exc:
                result.errors.append((info.path, AppError("Cannot update the file", str(exc))))
            if progress is not None:
                progress(done + 1, len(tracks))
    finally:
        library.close()
    return result
