"""Change a track's tags atomically with mutagen.

:func:`write_tags` takes changes keyed by :class:`~player.library.track.TrackInfo`
field names, validates them, and writes them into the file's own tag family
(ID3, Vorbis comments, MP4 atoms, APEv2, ASF), removing every other name a
field may be stored under (see :func:`player.library.tagkeys.alias`). The file
is changed through a temporary copy that is synced and renamed over the
original, so a crash leaves the old file or the new one, never half of each.
Every failure becomes a :class:`~player.errors.TagError` a person can read.
"""

from __future__ import annotations

import contextlib
import math
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Mapping
from typing import Any, BinaryIO

from mutagen import FileType
from mutagen.asf import ASF
from mutagen.id3 import (
    COMM,
    ID3,
    TALB,
    TBPM,
    TCMP,
    TCOM,
    TCON,
    TDOR,
    TDRC,
    TIT2,
    TKEY,
    TPE1,
    TPE2,
    TPOS,
    TRCK,
    TSRC,
    TXXX,
    UFID,
    USLT,
    ID3TimeStamp,
)
from mutagen.mp4 import MP4, AtomDataType, MP4FreeForm
from mutagen.oggopus import OggOpus
from mutagen.oggtheora import OggTheora

from player.errors import TagError
from player.library.tagkeys import (
    APE_FALLBACK_KINDS,
    APE_KINDS,
    ID3_KINDS,
    STREAM_INFO,
    VORBIS_KINDS,
    alias,
)
from player.library.tags import (
    _load,
    _optional_ape,
    _os_error,
    _reason,
    _shown,
    _stat_regular,
    read_tags,
)
from player.library.track import TrackInfo

__all__ = ["WRITABLE_FIELDS", "write_tags"]

_TEXT_FIELDS = frozenset(
    {"title", "album", "date", "original_date", "composer", "comment", "initial_key",
     "isrc", "lyrics", "mb_recording_id", "mb_release_id", "mb_artist_id",
     "mb_release_group_id"}
)  # fmt: skip
_LIST_FIELDS = frozenset({"artists", "album_artists", "genres"})
_INT_FIELDS = frozenset({"track_number", "track_total", "disc_number", "disc_total"})
_FLOAT_FIELDS = frozenset(
    {"bpm", "rg_track_gain", "rg_track_peak", "rg_album_gain", "rg_album_peak",
     "r128_track_gain", "r128_album_gain"}
)  # fmt: skip
WRITABLE_FIELDS: frozenset[str] = (
    _TEXT_FIELDS
    | _LIST_FIELDS
    | _INT_FIELDS
    | _FLOAT_FIELDS
    | {"compilation", "year", "original_year"}
)

# Write-side groups: one entry per thing written; the shared names it replaces.
_PURGE: dict[str, frozenset[str]] = {
    "track": frozenset({"track_number", "track_total"}),
    "disc": frozenset({"disc_number", "disc_total"}),
    "artists": frozenset({"artists", "artists_multi"}),
    "date": frozenset({"date", "year", "release_date"}),
    "original_date": frozenset({"original_date", "original_year"}),
}


def write_tags(path: str | os.PathLike, changes: Mapping[str, object]) -> TrackInfo:
    """Change tags (keyed by TrackInfo field names; ``None``/"" clears) atomically.

    The new file is written to a temporary copy in the same folder, synced to
    disk and renamed over the original, so a crash leaves either the old or the
    new file, never a half-written one. Returns the file re-read.
    """
    values = _normalise_changes(changes)
    current = read_tags(path)
    fspath = os.path.realpath(os.fsdecode(path))  # replace a symlink's target, not the link
    st = _stat_regular(fspath)
    directory = os.path.dirname(fspath) or "."
    try:
        fd, tmp = tempfile.mkstemp(prefix=".kindred-", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise _os_error(exc, directory) from None
    try:
        os.close(fd)
        shutil.copyfile(fspath, tmp)
        with open(tmp, "r+b") as fileobj:
            kind, audio, _ = _load(fileobj, fspath)
            _write_family(kind, audio, fileobj, values, current)
            fileobj.flush()
            os.fsync(fileobj.fileno())
        os.chmod(tmp, stat.S_IMODE(st.st_mode))
        with contextlib.suppress(OSError):
            os.chown(tmp, st.st_uid, st.st_gid)
        os.replace(tmp, fspath)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, TagError):
            raise
        if isinstance(exc, OSError):
            raise _os_error(exc, fspath) from None
        if isinstance(exc, Exception):
            message = _reason(exc)
            raise TagError(
                f"Could not write tags: {message}",
                f"{_shown(fspath)}: writing tags failed ({message}); the file was not changed.",
            ) from None
        raise
    _fsync_dir(directory)
    return read_tags(path)


def _fsync_dir(directory: str) -> None:
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _normalise_changes(changes: Mapping[str, object]) -> dict[str, Any]:
    """Validate and convert values; ``None`` means clear."""
    out: dict[str, Any] = {}
    for name, value in changes.items():
        if name not in WRITABLE_FIELDS:
            raise TagError(f"Cannot write field: {name}", f"'{name}' is not a writable tag.")
        empty = value is None or (isinstance(value, str | list | tuple) and not value)
        if name in ("year", "original_year"):
            target = "date" if name == "year" else "original_date"
            if target not in changes:
                out[target] = None if empty else str(_as_int(name, value))
        elif empty:
            out[name] = None
        elif name in _TEXT_FIELDS:
            out[name] = str(value).strip() or None
        elif name in _LIST_FIELDS:
            items = [value] if isinstance(value, str) else list(value)  # type: ignore[call-overload]
            out[name] = [str(v).strip() for v in items if str(v).strip()] or None
        elif name in _INT_FIELDS:
            out[name] = _as_int(name, value)
        elif name in _FLOAT_FIELDS:
            try:
                number = float(value)  # type: ignore[arg-type]
            except (TypeError, ValueError):
                raise TagError(f"Invalid value for {name}: {value!r}") from None
            if not math.isfinite(number):
                raise TagError(f"Invalid value for {name}: {value!r}")
            out[name] = number
        else:  # compilation
            out[name] = bool(value) or None
    return out


def _as_int(name: str, value: object) -> int:
    try:
        if isinstance(value, bool):
            raise ValueError
        number = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise TagError(f"Invalid value for {name}: {value!r}") from None
    if number < 0:
        raise TagError(f"Invalid value for {name}: {value!r}")
    return number


def _planned(values: dict[str, Any], current: TrackInfo) -> dict[str, Any]:
    """Group changes into write items; number pairs merge with current values."""
    plan = {k: v for k, v in values.items() if k not in _INT_FIELDS}
    for prefix in ("track", "disc"):
        number_key, total_key = f"{prefix}_number", f"{prefix}_total"
        if number_key in values or total_key in values:
            number = values.get(number_key, getattr(current, number_key))
            total = values.get(total_key, getattr(current, total_key))
            plan[prefix] = None if not number and not total else (number or 0, total or 0)
    return plan


def _write_family(
    kind: type,
    audio: FileType,
    fileobj: BinaryIO,
    values: dict[str, Any],
    current: TrackInfo,
) -> None:
    """Apply *values* to the loaded file's own tag family and save through *fileobj*."""
    plan = _planned(values, current)
    if kind is not OggOpus and any(
        plan.get(k) is not None for k in ("r128_track_gain", "r128_album_gain")
    ):
        raise TagError("R128 gains can only be written to Opus files")
    if kind in ID3_KINDS:
        if not audio.tags and kind in APE_FALLBACK_KINDS:
            ape = _optional_ape(fileobj)
            if ape is not None:
                _write_kv(ape, plan, _APE_KEYS, _ape_value)
                _save(ape, fileobj)
                return
        if audio.tags is None:
            audio.add_tags()
        _write_id3(audio.tags, plan)
        _save(audio, fileobj)
    elif kind in VORBIS_KINDS and kind is not OggTheora:
        if audio.tags is None:
            audio.add_tags()
        _write_kv(audio.tags, plan, _VORBIS_KEYS, _vorbis_value)
        _save(audio, fileobj)
    elif kind is MP4:
        if audio.tags is None:
            audio.add_tags()
        _write_mp4(audio.tags, plan)
        _save(audio, fileobj)
    elif kind in APE_KINDS:
        if audio.tags is None:
            audio.add_tags()
        _write_kv(audio.tags, plan, _APE_KEYS, _ape_value)
        _save(audio, fileobj)
    elif kind is ASF:
        _write_kv(audio.tags, plan, _ASF_KEYS, _asf_value)
        _save(audio, fileobj)
    else:
        name = STREAM_INFO[kind][0]
        raise TagError(
            f"Writing tags is not supported for {name}",
            f"Kindred can read but not write tags in {name} files.",
        )


def _save(target: Any, fileobj: BinaryIO) -> None:
    """Save through the open temporary file; mutagen expects it rewound."""
    fileobj.seek(0)
    target.save(fileobj)


def _shared_names(item: str) -> frozenset[str]:
    return _PURGE.get(item, frozenset({item}))


def _gain_text(item: str, value: float) -> str:
    return f"{value:.2f} dB" if item.endswith("gain") else f"{value:.6f}"


def _scalar_text(item: str, value: Any) -> str:
    if item.startswith("rg_"):
        return _gain_text(item, value)
    if item.startswith("r128_"):
        return str(max(-32768, min(32767, round(value * 256))))
    if item == "bpm":
        return f"{value:g}"
    if item == "compilation":
        return "1"
    return str(value)


# --- key/value families: Vorbis comments, APEv2, ASF -------------------------

_VORBIS_KEYS = {
    "title": "TITLE", "artists": "ARTIST", "album": "ALBUM", "album_artists": "ALBUMARTIST",
    "track": ("TRACKNUMBER", "TRACKTOTAL"), "disc": ("DISCNUMBER", "DISCTOTAL"),
    "date": "DATE", "original_date": "ORIGINALDATE", "genres": "GENRE",
    "composer": "COMPOSER", "comment": "COMMENT", "compilation": "COMPILATION",
    "mb_recording_id": "MUSICBRAINZ_TRACKID", "mb_release_id": "MUSICBRAINZ_ALBUMID",
    "mb_artist_id": "MUSICBRAINZ_ARTISTID", "mb_release_group_id": "MUSICBRAINZ_RELEASEGROUPID",
    "isrc": "ISRC", "rg_track_gain": "REPLAYGAIN_TRACK_GAIN",
    "rg_track_peak": "REPLAYGAIN_TRACK_PEAK", "rg_album_gain": "REPLAYGAIN_ALBUM_GAIN",
    "rg_album_peak": "REPLAYGAIN_ALBUM_PEAK", "r128_track_gain": "R128_TRACK_GAIN",
    "r128_album_gain": "R128_ALBUM_GAIN", "bpm": "BPM", "initial_key": "INITIALKEY",
    "lyrics": "LYRICS",
}  # fmt: skip
_APE_KEYS = {
    **_VORBIS_KEYS,
    "title": "Title", "artists": "Artist", "album": "Album", "album_artists": "Album Artist",
    "track": "Track", "disc": "Disc", "date": "Year", "genres": "Genre",
    "composer": "Composer", "comment": "Comment", "compilation": "Compilation",
    "lyrics": "Lyrics",
}  # fmt: skip
_ASF_KEYS = {
    "title": "Title", "artists": "Author", "album": "WM/AlbumTitle",
    "album_artists": "WM/AlbumArtist", "track": ("WM/TrackNumber", "TrackTotal"),
    "disc": "WM/PartOfSet", "date": "WM/Year", "original_date": "WM/OriginalReleaseTime",
    "genres": "WM/Genre", "composer": "WM/Composer", "comment": "Description",
    "compilation": "WM/IsCompilation", "mb_recording_id": "MusicBrainz/Track Id",
    "mb_release_id": "MusicBrainz/Album Id", "mb_artist_id": "MusicBrainz/Artist Id",
    "mb_release_group_id": "MusicBrainz/Release Group Id", "isrc": "WM/ISRC",
    "rg_track_gain": "replaygain_track_gain", "rg_track_peak": "replaygain_track_peak",
    "rg_album_gain": "replaygain_album_gain", "rg_album_peak": "replaygain_album_peak",
    "bpm": "WM/BeatsPerMinute", "initial_key": "WM/InitialKey", "lyrics": "WM/Lyrics",
}  # fmt: skip


def _vorbis_value(item: str, value: Any) -> list[Any]:
    return value if isinstance(value, list) else [_scalar_text(item, value)]


def _ape_value(item: str, value: Any) -> list[Any]:
    if isinstance(value, tuple):
        number, total = value
        return [f"{number}/{total}" if total else str(number)]
    return _vorbis_value(item, value)


def _asf_value(item: str, value: Any) -> list[Any]:
    if item == "compilation":
        return [True]
    return _ape_value(item, value) if item == "disc" else _vorbis_value(item, value)


def _write_kv(
    tags: Any,
    plan: dict[str, Any],
    keys: Mapping[str, str | tuple[str, str]],
    convert: Callable[[str, Any], list[Any]],
) -> None:
    """Replace each planned item in a key/value tag, removing every alias of it."""
    existing = list(dict.fromkeys(tags.keys()))
    for item, value in plan.items():
        names = _shared_names(item)
        for key in existing:
            if alias(key) in names and key in tags:
                del tags[key]
        if value is None:
            continue
        target = keys[item]
        if isinstance(target, tuple):  # separate number and total keys
            number, total = value
            for key, part in zip(target, (number, total), strict=True):
                if part:
                    tags[key] = [str(part)]
        else:
            tags[target] = convert(item, value)


# --- MP4 ----------------------------------------------------------------------

_MP4_WRITE = {
    "title": "©nam", "artists": "©ART", "album": "©alb", "album_artists": "aART",
    "date": "©day", "genres": "©gen", "composer": "©wrt", "comment": "©cmt",
    "lyrics": "©lyr", "compilation": "cpil", "bpm": "tmpo", "track": "trkn", "disc": "disk",
}  # fmt: skip
_MP4_FREEFORM = {
    "mb_recording_id": "MusicBrainz Track Id", "mb_release_id": "MusicBrainz Album Id",
    "mb_artist_id": "MusicBrainz Artist Id",
    "mb_release_group_id": "MusicBrainz Release Group Id", "isrc": "ISRC",
    "rg_track_gain": "replaygain_track_gain", "rg_track_peak": "replaygain_track_peak",
    "rg_album_gain": "replaygain_album_gain", "rg_album_peak": "replaygain_album_peak",
    "initial_key": "initialkey", "original_date": "ORIGINALDATE",
}  # fmt: skip


def _write_mp4(tags: Any, plan: dict[str, Any]) -> None:
    freeform = [k for k in tags if k.startswith("----:")]
    for item, value in plan.items():
        names = _shared_names(item)
        for key in freeform:
            if key in tags and alias(key.rpartition(":")[2]) in names:
                del tags[key]
        atom = _MP4_WRITE.get(item)
        if atom is not None:
            tags.pop(atom, None)
            if item == "genres":
                tags.pop("gnre", None)
        if value is None:
            continue
        if atom is None:
            data = _scalar_text(item, value).encode("utf-8")
            tags[f"----:com.apple.iTunes:{_MP4_FREEFORM[item]}"] = [
                MP4FreeForm(data, dataformat=AtomDataType.UTF8)
            ]
        elif item in ("track", "disc"):
            tags[atom] = [value]
        elif item == "compilation":
            tags[atom] = True
        elif item == "bpm":
            tags[atom] = [max(0, min(65535, round(value)))]
        else:
            tags[atom] = value if isinstance(value, list) else [value]


# --- ID3 ----------------------------------------------------------------------

_ID3_WRITE = {
    "title": TIT2, "artists": TPE1, "album": TALB, "album_artists": TPE2, "track": TRCK,
    "disc": TPOS, "date": TDRC, "original_date": TDOR, "genres": TCON, "composer": TCOM,
    "compilation": TCMP, "isrc": TSRC, "bpm": TBPM, "initial_key": TKEY,
}  # fmt: skip
_ID3_TXXX = {
    "mb_release_id": "MusicBrainz Album Id", "mb_artist_id": "MusicBrainz Artist Id",
    "mb_release_group_id": "MusicBrainz Release Group Id",
    "rg_track_gain": "REPLAYGAIN_TRACK_GAIN", "rg_track_peak": "REPLAYGAIN_TRACK_PEAK",
    "rg_album_gain": "REPLAYGAIN_ALBUM_GAIN", "rg_album_peak": "REPLAYGAIN_ALBUM_PEAK",
}  # fmt: skip
_ID3_EXTRA_FRAMES = {"date": ("TYER", "TDAT", "TIME", "TDRL"), "original_date": ("TORY",)}
_MB_OWNER = "http://musicbrainz.org"


def _write_id3(tags: ID3, plan: dict[str, Any]) -> None:
    txxx = [k for k in tags if k.startswith("TXXX:")]
    for item, value in plan.items():
        names = _shared_names(item)
        for key in txxx:
            if key in tags and alias(key[5:]) in names:
                del tags[key]
        frame_cls = _ID3_WRITE.get(item)
        if frame_cls is not None:
            tags.delall(frame_cls.__name__)
            for extra in _ID3_EXTRA_FRAMES.get(item, ()):
                tags.delall(extra)
        elif item == "comment":
            for key in [
                k for k in tags if k.startswith("COMM") and not tags[k].desc.startswith("iTun")
            ]:
                del tags[key]
        elif item == "lyrics":
            tags.delall("USLT")
        elif item == "mb_recording_id":
            tags.pop(f"UFID:{_MB_OWNER}", None)
        elif item.startswith("rg_") and item.endswith("_gain"):
            scope = item.split("_")[1]
            for key in [k for k in tags if k.startswith("RVA2") and tags[k].desc.lower() == scope]:
                del tags[key]
        if value is None:
            continue
        if frame_cls is TDRC or frame_cls is TDOR:
            stamp = ID3TimeStamp(value).text
            if not stamp:
                raise TagError(
                    f"Invalid date: {value!r}", "Dates must look like 2001, 2001-05 or 2001-05-31."
                )
            tags.add(frame_cls(encoding=3, text=[stamp]))
        elif frame_cls is not None:
            if isinstance(value, tuple):
                number, total = value
                text = [f"{number}/{total}" if total else str(number)]
            elif isinstance(value, list):
                text = value
            else:
                text = [_scalar_text(item, value)]
            tags.add(frame_cls(encoding=3, text=text))
        elif item == "comment":
            tags.add(COMM(encoding=3, lang="eng", desc="", text=[value]))
        elif item == "lyrics":
            tags.add(USLT(encoding=3, lang="eng", desc="", text=value))
        elif item == "mb_recording_id":
            tags.add(UFID(owner=_MB_OWNER, data=value.encode("ascii", "replace")))
        else:
            desc = _ID3_TXXX[item]
            tags.add(TXXX(encoding=3, desc=desc, text=[_scalar_text(item, value)]))
