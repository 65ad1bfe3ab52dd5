"""Write ReplayGain tags (and Opus R128 gains) measured from the decoded audio.

Each file is decoded in full at 48 kHz and measured with Kindred's BS.1770
meter (:mod:`player.recommend.loudness`); the analysis itself may have heard
only part of a long track, so its figures are not reused for tags. An album's
loudness gates the 400 ms blocks of all its tracks together, i.e. the
integrated loudness of the album played in one piece (as foobar2000, loudgain
and rsgain do), not the mean of its track values.

What is written, per format (through the atomic writer,
:func:`player.library.tagwrite.write_tags`):

* FLAC, Ogg Vorbis, APE/WavPack, MP3 (ID3v2 ``TXXX``), MP4 (freeform
  ``----:com.apple.iTunes:replaygain_*``), WMA: ``REPLAYGAIN_TRACK_GAIN``,
  ``REPLAYGAIN_TRACK_PEAK``, ``REPLAYGAIN_ALBUM_GAIN``, ``REPLAYGAIN_ALBUM_PEAK``
  as ``"-6.52 dB"`` / ``"0.988525"``, ReplayGain 2.0: gain = -18 LUFS - loudness.
* Opus: ``R128_TRACK_GAIN`` / ``R128_ALBUM_GAIN`` as Q7.8 integers relative to
  -23 LUFS (RFC 7845, opus-tools); any ``REPLAYGAIN_*`` comments are removed
  and the header's output gain is left alone.

Peaks are the linear *sample* peak of the decoded audio at the file's own rate
(full scale = 1.0): ReplayGain 1/2 readers use the peak only to avoid clipping
when they apply a positive gain, the sample peak is what rsgain writes by
default, and it costs no 4x oversampling. A true peak can be up to ~0.5 dB higher
on lossy files.

The library's ``rg_*`` / ``r128_*`` columns are updated at once from the
re-read file (the same ``upsert_tracks`` a scan uses), not on the next rescan.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from player.errors import AppError, TagError
from player.library.store import LibraryDB
from player.library.tagbatch import _check_writable
from player.library.tagwrite import write_tags
from player.recommend import loudness
from player.recommend.decode import decode

__all__ = [
    "OPUS_REFERENCE_LUFS",
    "Gains",
    "RgResult",
    "album_groups",
    "measure_album",
    "tag_changes",
    "write_replaygain",
]

MEASURE_RATE = 48000
MAX_TRACK_SECONDS = 4 * 3600.0  # longer files are refused rather than tagged from a part
OPUS_REFERENCE_LUFS = -23.0  # RFC 7845 section 5.2.1: R128 gains are relative to -23 LUFS


@dataclass(frozen=True)
class Gains:
    """One file's measured loudness and its album's, with ReplayGain 2.0 gains."""

    path: str
    track_lufs: float
    track_peak: float
    album_lufs: float
    album_peak: float

    @property
    def track_gain(self) -> float:
        return loudness.gain_for(self.track_lufs)

    @property
    def album_gain(self) -> float:
        return loudness.gain_for(self.album_lufs)


@dataclass
class RgResult:
    """What a run wrote: the paths tagged and ``(path, error)`` for each failure."""

    written: list[str] = field(default_factory=list)
    written_ids: list[int] = field(default_factory=list)
    errors: list[tuple[str, AppError]] = field(default_factory=list)


def measure_album(paths: Sequence[str]) -> list[Gains]:
    """Measure each file and the files together as one album (in the given order).

    Raises :class:`~player.errors.AppError` (DecodeError) if a file cannot be
    decoded, and :class:`TagError` if a file or the album is silent.
    """
    blocks: list[np.ndarray] = []
    measured: list[tuple[str, float, float]] = []
    for path in paths:
        audio = decode(path, rate=MEASURE_RATE, max_seconds=MAX_TRACK_SECONDS)
        if audio.truncated:
            raise TagError("The track is too long to measure", f"{path}: over four hours.")
        powers = loudness.block_powers(audio.channels, audio.rate)
        track = loudness.integrate(powers)
        if track.lufs is None:
            raise TagError("The track is silent", f"{path}: no audio above -70 LUFS to measure.")
        blocks.append(powers)
        measured.append((path, track.lufs, round(audio.sample_peak, 6)))
    album = loudness.integrate(np.concatenate(blocks))
    assert album.lufs is not None  # each track has blocks above the gates
    album_peak = max(peak for _, _, peak in measured)
    return [Gains(p, lufs, peak, album.lufs, album_peak) for p, lufs, peak in measured]


def tag_changes(gains: Gains, codec: str) -> dict[str, object]:
    """The :func:`write_tags` changes for one file: R128 for Opus, ReplayGain otherwise."""
    if codec == "opus":
        return {
            "r128_track_gain": round(OPUS_REFERENCE_LUFS - gains.track_lufs, 2),
            "r128_album_gain": round(OPUS_REFERENCE_LUFS - gains.album_lufs, 2),
            "rg_track_gain": None,
            "rg_track_peak": None,
            "rg_album_gain": None,
            "rg_album_peak": None,
        }
    return {
        "rg_track_gain": gains.track_gain,
        "rg_track_peak": gains.track_peak,
        "rg_album_gain": gains.album_gain,
        "rg_album_peak": gains.album_peak,
    }


def _album_key(row: dict[str, object]) -> tuple[str, str] | None:
    album = str(row.get("album") or "").strip()
    if not album:
        return None
    return (str(row.get("album_artist") or "").casefold(), album.casefold())


def album_groups(rows: Iterable[dict[str, object]]) -> list[list[dict[str, object]]]:
    """Group library rows into albums (album artist + album, in folder order).

    A track without an album is its own album (album gain = track gain). CUE
    sheet parts are left out: their tags live in the sheet.
    """
    groups: dict[object, list[dict[str, object]]] = {}
    for row in rows:
        if row.get("cue_path") or row.get("subtrack"):
            continue
        key = _album_key(row) or ("", str(row["path"]))
        groups.setdefault(key, []).append(row)
    return [sorted(g, key=lambda r: str(r["path"])) for g in groups.values()]


def write_replaygain(
    db_path: str | Path,
    track_ids: Iterable[int] | None = None,
    *,
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
) -> RgResult:
    """Measure and tag the albums of ``track_ids`` (all tracks if None), updating the library.

    The album of a chosen track is measured with all of its tracks in the
    library, so tagging one track gives it the same album gain as tagging the
    whole album. Albums are measured one at a time; a file that fails to decode
    or write is reported and leaves its album untagged, the other albums go on.
    """
    result = RgResult()
    library = LibraryDB(db_path)
    try:
        rows = library.tracks()
        groups = album_groups(rows)
        if track_ids is not None:
            wanted = set(track_ids)
            groups = [g for g in groups if any(r["id"] in wanted for r in g)]
        total = sum(len(g) for g in groups)
        done = 0
        for group in groups:
            if cancel is not None and cancel.is_set():
                break
            paths = [str(r["path"]) for r in group]
            try:
                measured = measure_album(paths)
            except AppError as exc:
                result.errors.extend((p, exc) for p in paths)
                measured = []
            for row, gains in zip(group, measured, strict=False):
                _write_one(library, int(row["id"]), gains, result)
            done += len(group)
            if progress is not None:
                progress(done, total)
    finally:
        library.close()
    return result


def _write_one(library: LibraryDB, track_id: int, gains: Gains, result: RgResult) -> None:
    path = gains.path
    try:
        info = library.get_track(track_id)
        if info is None:
            raise TagError("The track is no longer in the library", path)
        _check_writable(info)  # read-only files are refused, as the tag editor does
        fresh = write_tags(path, tag_changes(gains, info.codec))
        st = os.stat(path)
        fresh.size, fresh.mtime_ns = st.st_size, st.st_mtime_ns
        with library.transaction():
            library.upsert_tracks([fresh])
        result.written.append(path)
        result.written_ids.append(track_id)
    except AppError as exc:
        result.errors.append((path, exc))
    except OSError as exc:
        result.errors.append((path, AppError("Cannot update the file", str(exc))))
