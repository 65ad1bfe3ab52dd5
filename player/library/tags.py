"""Read a track's tags and stream properties with mutagen.

:func:`read_tags` turns any audio file mutagen understands into a
:class:`~player.library.track.TrackInfo`; changing tags is
:func:`player.library.tagwrite.write_tags`, which builds on this module. The
file type is sniffed from the file's header (the extension only breaks ties, as
in :func:`mutagen.File`), and each tag family (ID3, Vorbis comments, MP4 atoms,
APEv2, ASF) has one small reader that maps its native keys onto one shared set
of field names (:mod:`player.library.tagkeys`), so every later step (number
parsing, dates, gains) is written once. The file is opened exactly once and
nothing is decoded that the library does not need (cover art is only detected,
never read as an image), because the scanner calls this for every file of a
large library. Every failure becomes a :class:`~player.errors.TagError` a person
can read.
"""

from __future__ import annotations

import contextlib
import errno
import math
import os
import re
import stat
import struct
from collections.abc import Iterable
from typing import Any, BinaryIO

from mutagen import FileType
from mutagen.aac import AAC
from mutagen.ac3 import AC3
from mutagen.apev2 import APEv2
from mutagen.asf import ASF
from mutagen.dsdiff import DSDIFF
from mutagen.flac import FLAC
from mutagen.id3 import ID3
from mutagen.mp3 import MP3, MPEGInfo
from mutagen.mp4 import MP4
from mutagen.oggopus import OggOpus
from mutagen.oggvorbis import OggVorbis
from mutagen.trueaudio import TrueAudio
from mutagen.wave import WAVE
from mutagen.wavpack import WavPack

from player.errors import TagError
from player.library.tagkeys import (
    APE_FALLBACK_KINDS,
    APE_KINDS,
    ID3_KINDS,
    KINDS,
    STREAM_INFO,
    VORBIS_KINDS,
    alias,
    is_cover_key,
)
from player.library.track import TrackInfo

try:  # the lean readers use a few of mutagen's internal helpers
    from player.library import tagfast

    _LEAN = True
except ImportError:  # a mutagen that moved them: everything is read through mutagen
    _LEAN = False

__all__ = ["AUDIO_EXTENSIONS", "read_tags"]

#: Lower-case extensions (with the dot) of files the scanner should offer to
#: :func:`read_tags`. MIDI is left out on purpose: mutagen reads it, but it is
#: not recorded audio and most players cannot render it.
AUDIO_EXTENSIONS: frozenset[str] = frozenset(
    {
        ".mp3", ".mp2", ".mp1", ".mpga",
        ".flac", ".ogg", ".oga", ".opus", ".spx",
        ".m4a", ".m4b", ".m4p", ".mp4", ".alac", ".aac", ".adts",
        ".ac3", ".eac3", ".ec3",
        ".wav", ".aif", ".aiff", ".aifc",
        ".wv", ".ape", ".mpc", ".mp+", ".mpp", ".tta", ".tak", ".ofr", ".ofs",
        ".dsf", ".dff", ".wma", ".asf",
    }
)  # fmt: skip

# WAVE format tags -> codec names (1, 3 and 0xFFFE are PCM).
_WAVE_CODECS = {1: "pcm", 3: "pcm", 0xFFFE: "pcm", 2: "adpcm_ms", 0x11: "adpcm_ima",
                6: "alaw", 7: "mulaw", 0x50: "mp2", 0x55: "mp3", 0x2000: "ac3"}  # fmt: skip

# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------


def read_tags(path: str | os.PathLike, *, lean: bool = True) -> TrackInfo:
    """Read one file's tags and stream properties.

    Raises :class:`TagError` (never a mutagen exception) when the file is
    missing, unreadable, empty, not audio, or damaged beyond reading. Plain
    MP3, FLAC, MP4 and Ogg files are read with :mod:`player.library.tagfast`, and the
    common formats skip ranking the file kinds when the winner is certain,
    giving the same track; ``lean=False`` reads every file through mutagen as
    before (the tests' reference).
    """
    fspath = os.fsdecode(path)
    st = _stat_regular(fspath)
    try:
        with open(fspath, "rb") as fileobj:
            return _read_open(fileobj, fspath, st, lean and _LEAN)
    except OSError as exc:
        raise _os_error(exc, fspath) from None


def _stat_regular(fspath: str) -> os.stat_result:
    """Stat *fspath*, refusing anything that is not a non-empty regular file.

    Checking before opening keeps a FIFO or device named "x.mp3" from hanging.
    """
    try:
        st = os.stat(fspath)
    except OSError as exc:
        raise _os_error(exc, fspath) from None
    if stat.S_ISDIR(st.st_mode):
        raise TagError("Is a directory", f"{_shown(fspath)} is a folder, not an audio file.")
    if not stat.S_ISREG(st.st_mode):
        raise TagError("Not a regular file", f"{_shown(fspath)} is a device, pipe or socket.")
    if st.st_size == 0:
        raise TagError("Empty file", f"{_shown(fspath)} is empty (0 bytes).")
    return st


def _shown(fspath: str) -> str:
    """*fspath* as printable text (undecodable bytes of a file name become U+FFFD)."""
    return os.fsencode(fspath).decode("utf-8", "replace")


def _reason(exc: BaseException, limit: int = 80) -> str:
    """A library exception's message: printable, without byte dumps, at most *limit* long."""
    text = str(exc).strip() or type(exc).__name__
    for marker in ("; got ", " b'", ' b"', ": b'"):
        text = text.split(marker, 1)[0]
    text = text.encode("utf-8", "replace").decode("utf-8")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _os_error(exc: OSError, fspath: str) -> TagError:
    reason = {
        "FileNotFoundError": "File not found",
        "PermissionError": "Permission denied",
        "IsADirectoryError": "Is a directory",
    }.get(type(exc).__name__)
    if reason is None:
        reason = (
            "File name too long" if exc.errno == errno.ENAMETOOLONG else (exc.strerror or str(exc))
        )
    return TagError(reason, f"{_shown(fspath)}: {reason} ({exc.strerror or exc}).")


def _load(
    fileobj: BinaryIO, fspath: str, lean: bool = False
) -> tuple[type[FileType], FileType, bytes]:
    """Detect the file type from its header and parse it with mutagen.

    Candidates are ranked exactly as :func:`mutagen.File` ranks them; when the
    best one fails (say, a FLAC file named ``.mp3``) the next plausible one is
    tried, so a wrong extension never hides a good file. With *lean* (reading
    for the library, not writing) a certain winner (:func:`_sure_kind`) is
    tried before ranking.
    """
    head = fileobj.read(128)
    sure = _sure_kind(fspath, head) if lean else None
    if sure is MP4:
        fileobj.seek(0, 2)
        got = tagfast.read_mp4(fileobj, fileobj.tell())
        if got is not None:
            return MP4, _Loaded(*got), head  # type: ignore[return-value]
    elif sure is OggVorbis or sure is OggOpus:
        fileobj.seek(0, 2)
        ogg = tagfast.read_ogg(fileobj, fileobj.tell(), sure is OggOpus)
        if ogg is not None:
            return sure, _Loaded(*ogg), head  # type: ignore[return-value]
    elif sure is not None:
        fileobj.seek(0)
        try:
            return sure, sure(fileobj), head
        except Exception:
            pass  # rank every kind as below: the same error, or the next kind that reads it
    ranked = []
    for kind in KINDS:
        try:
            score = kind.score(fspath, fileobj, head)
        except Exception:
            score = 0
        if score > 0:
            ranked.append((score, kind.__name__, kind))
    if not ranked:
        raise TagError("Not a recognised audio file", f"{_shown(fspath)}: no known audio header.")
    ranked.sort(key=lambda item: (item[0], item[1]), reverse=True)
    failure: tuple[type[FileType], Exception] | None = None
    weak: tuple[type[FileType], FileType] | None = None
    for _, _, kind in ranked:
        fileobj.seek(0)
        try:
            audio = kind(fileobj)
        except Exception as exc:
            failure = failure or (kind, exc)
            continue
        if kind is MP3 and audio.info.sketchy and not audio.tags:
            weak = weak or (kind, audio)  # maybe noise that looks like MPEG frames
            continue
        return kind, audio, head
    if weak is not None:
        return (*weak, head)
    assert failure is not None
    kind, exc = failure
    name = STREAM_INFO[kind][0]
    if kind.score("", fileobj, head) <= 0:
        raise TagError(
            "Not a recognised audio file",
            f"{_shown(fspath)}: the name says {name} but the content is not ({_reason(exc, 300)}).",
        )
    raise TagError(
        f"Truncated or corrupt {name} header: {_reason(exc)}",
        f"{_shown(fspath)}: the {name} header could not be read ({_reason(exc, 300)}). "
        "The file may be damaged or incompletely downloaded.",
    )


class _Loaded:
    """What :func:`_read_open` uses of a loaded mutagen file: its info and tags."""

    __slots__ = ("info", "tags")

    def __init__(self, info: Any, tags: Any) -> None:
        self.info = info
        self.tags = tags


#: Other Ogg codecs' header markers: any of them lets another Ogg kind outrank.
_OGG_OTHERS = (b"theora", b"FLAC", b"fLaC", b"Speex   ")


def _sure_kind(fspath: str, head: bytes) -> type[FileType] | None:
    """The kind :func:`_load`'s ranking would put first, when that is certain.

    Only for the common formats, under their own extension and with their own
    header: then no other kind's score (header magic, extension, an APEv2 footer)
    reaches the winner's or wins the tie on its name, so the 23 scorers need
    not run. Anything else (or a file the kind fails on) is ranked as usual.
    """
    ext = fspath[fspath.rfind(".") :].lower()
    if ext == ".flac":
        return FLAC if head.startswith(b"fLaC") else None
    if ext in (".m4a", ".m4b", ".m4p", ".mp4"):
        # a small ftyp box first: no other kind's magic can start the file
        return MP4 if head.startswith(b"\x00\x00\x00") and head[4:8] == b"ftyp" else None
    if ext == ".wv":
        return WavPack if head.startswith(b"wvpk") else None
    if ext in (".ogg", ".oga", ".opus") and head.startswith(b"OggS"):
        if any(marker in head for marker in _OGG_OTHERS):
            return None
        vorbis, opus = b"\x01vorbis" in head, b"OpusHead" in head
        if vorbis != opus:
            return OggVorbis if vorbis else OggOpus
    return None


def _read_open(fileobj: BinaryIO, fspath: str, st: os.stat_result, lean: bool = True) -> TrackInfo:
    head = fileobj.read(128)
    if lean and head.startswith(b"ID3") and fspath[-4:].lower() == ".mp3":
        fast = _read_mp3_fast(fileobj, fspath, st, head)
        if fast is not None:
            return fast
    elif lean and head.startswith(b"fLaC") and fspath[-5:].lower() == ".flac":
        fast = _read_flac_fast(fileobj, fspath, st, head)
        if fast is not None:
            return fast
    fileobj.seek(0)
    kind, audio, head = _load(fileobj, fspath, lean)
    try:
        fields, cover, family = _tag_fields(kind, audio, fileobj, head)
        if kind is MP3 and audio.info.sketchy and family is None:
            raise TagError(
                "Not a recognised audio file",
                f"{_shown(fspath)}: no valid MPEG audio frames and no tags were found.",
            )
        stream_head = _tta_header(audio, fileobj, head) if kind is TrueAudio else head
        info = _track(fspath, st, fields, cover, kind, audio.info, stream_head)
    except TagError:
        raise
    except Exception as exc:
        message = _reason(exc)
        raise TagError(
            f"Unreadable tags: {message}",
            f"{_shown(fspath)}: the tags could not be read ({message}).",
        ) from None
    return _titled(info, fspath)


def _track(
    fspath: str,
    st: os.stat_result,
    fields: dict[str, list[Any]],
    cover: bool,
    kind: type,
    stream: Any,
    head: bytes,
) -> TrackInfo:
    """The track of a file from its shared-name fields, cover presence and stream info."""
    info = TrackInfo(path=fspath, size=st.st_size, mtime_ns=st.st_mtime_ns)
    _apply(info, fields)
    info.has_cover = cover
    _stream(info, kind, stream, head)
    return info


def _titled(info: TrackInfo, fspath: str) -> TrackInfo:
    """``info``, its title the file's name when its tags give none."""
    if not info.title:
        info.title = _shown(os.path.splitext(os.path.basename(fspath))[0])
    return info


def _read_mp3_fast(
    fileobj: BinaryIO, fspath: str, st: os.stat_result, head: bytes
) -> TrackInfo | None:
    """An MP3 with a plain ID3v2.3/2.4 tag, its frames read by :mod:`.tagfast`.

    The same track :func:`_read_open` builds through :class:`mutagen.mp3.MP3`
    (the stream is still read by mutagen's :class:`MPEGInfo`), or None when the
    file needs mutagen's full reading: then any error comes from there.
    """
    got = tagfast.read_id3(fileobj, head)
    if got is None:
        return None
    frames, cover, tag_size = got
    if not frames and not cover:
        return None  # no tag mutagen would see: it looks for APEv2 next
    try:
        stream = MPEGInfo(fileobj, tag_size)
        if stream.sketchy:
            return None
        fields, frame_cover = _id3_fields(frames)  # type: ignore[arg-type]
        info = _track(fspath, st, fields, cover or frame_cover, MP3, stream, head)
    except Exception:
        return None
    return _titled(info, fspath)


def _read_flac_fast(
    fileobj: BinaryIO, fspath: str, st: os.stat_result, head: bytes
) -> TrackInfo | None:
    """A FLAC file's blocks read by :func:`.tagfast.read_flac`: the track
    :class:`mutagen.flac.FLAC` gives, or None to read it through mutagen."""
    got = tagfast.read_flac(fileobj, st.st_size)
    if got is None:
        return None
    comments, pictures, stream = got
    try:
        fields, vc_cover = _vorbis_fields(comments) if comments is not None else ({}, False)
        info = _track(fspath, st, fields, pictures or vc_cover, FLAC, stream, head)
    except Exception:
        return None
    return _titled(info, fspath)


def _tag_fields(
    kind: type, audio: FileType, fileobj: BinaryIO, head: bytes
) -> tuple[dict[str, list[Any]], bool, str | None]:
    """Shared-name fields, cover presence and the tag family actually found."""
    tags = audio.tags
    if kind in ID3_KINDS:
        if tags:
            return (*_id3_fields(tags), "id3")
        if kind in APE_FALLBACK_KINDS:
            ape = _optional_ape(fileobj)
            if ape is not None:
                return (*_ape_fields(ape), "ape")
        return {}, False, None
    if kind in VORBIS_KINDS:
        cover = bool(getattr(audio, "pictures", None))
        if tags is None:
            return {}, cover, None
        fields, vc_cover = _vorbis_fields(tags)
        return fields, cover or vc_cover, "vorbis"
    if kind is MP4:
        return (*_mp4_fields(tags), "mp4") if tags is not None else ({}, False, None)
    if kind in APE_KINDS:
        return (*_ape_fields(tags), "ape") if tags is not None else ({}, False, None)
    if kind is ASF:
        return (*_asf_fields(tags), "asf") if tags is not None else ({}, False, None)
    if kind in (AAC, AC3):  # raw streams: mutagen ignores their ID3v2/APEv2 tags
        if head.startswith(b"ID3"):
            fileobj.seek(0)
            with contextlib.suppress(Exception):
                return (*_id3_fields(ID3(fileobj)), "id3")
        ape = _optional_ape(fileobj)
        if ape is not None:
            return (*_ape_fields(ape), "ape")
    return {}, False, None


def _optional_ape(fileobj: BinaryIO) -> APEv2 | None:
    fileobj.seek(0)
    try:
        return APEv2(fileobj)
    except Exception:
        return None


_ID3_FRAMES = {
    "TIT2": "title", "TPE1": "artists", "TALB": "album", "TPE2": "album_artists",
    "TRCK": "track_number", "TPOS": "disc_number", "TDRC": "date", "TDRL": "release_date",
    "TDOR": "original_date", "TCOM": "composer", "TCMP": "compilation", "TSRC": "isrc",
    "TBPM": "bpm", "TKEY": "initial_key",
    "TSOP": "artist_sort", "TSO2": "album_artist_sort", "TSOC": "composer_sort", "TSOA": "album_sort",
}  # fmt: skip


def _id3_fields(tags: ID3) -> tuple[dict[str, list[Any]], bool]:
    """ID3 frames as shared names; real frames win over TXXX, TXXX over RVA2."""
    fields: dict[str, list[Any]] = {}
    extra: dict[str, list[Any]] = {}
    cover = False
    comments: list[Any] = []
    lyrics: list[Any] = []
    rva2: dict[str, Any] = {}
    for key, frame in tags.items():
        fid = key[:4]
        name = _ID3_FRAMES.get(fid)
        if name is not None:
            fields[name] = frame.text
        elif fid == "TCON":
            fields["genres"] = frame.genres
        elif fid == "TXXX":
            name = alias(frame.desc)
            if name is not None:
                extra.setdefault(name, frame.text)
        elif fid == "COMM":
            if not frame.desc.startswith("iTun"):
                comments.append(frame)
        elif fid == "USLT":
            lyrics.append(frame.text)
        elif fid == "APIC":
            cover = True
        elif fid == "UFID":
            if frame.owner == "http://musicbrainz.org":
                fields["mb_recording_id"] = [frame.data.decode("ascii", "replace")]
        elif fid == "RVA2" and frame.channel == 1:
            rva2[frame.desc.lower()] = frame
    if comments:
        comments.sort(key=lambda f: (f.desc != "", f.desc != "ID3v1 Comment"))
        fields["comment"] = [t for f in comments for t in f.text]
    if lyrics:
        fields["lyrics"] = lyrics
    for name, values in extra.items():
        fields.setdefault(name, values)
    for scope in ("track", "album"):
        frame = rva2.get(scope)
        if frame is not None and f"rg_{scope}_gain" not in fields:
            fields[f"rg_{scope}_gain"] = [str(frame.gain)]
            if frame.peak:
                fields.setdefault(f"rg_{scope}_peak", [str(frame.peak)])
    return fields, cover


def _kv_collect(pairs: Iterable[tuple[str, Any]]) -> tuple[dict[str, list[Any]], bool]:
    """Map (key, value) pairs through the alias table, noting any cover-art key."""
    fields: dict[str, list[Any]] = {}
    cover = False
    for key, value in pairs:
        name = alias(key)
        if name is not None:
            fields.setdefault(name, []).append(value)
        elif not cover and is_cover_key(key):
            cover = True
    return fields, cover


def _vorbis_fields(tags: Any) -> tuple[dict[str, list[Any]], bool]:
    """Vorbis comments (FLAC, Ogg): free-form keys, case-insensitive, multi-valued."""
    return _kv_collect(tags)  # a VComment is a list of (key, value) pairs


def _ape_fields(tags: APEv2) -> tuple[dict[str, list[Any]], bool]:
    """APEv2 items; binary items are only checked for being cover art."""
    fields: dict[str, list[Any]] = {}
    cover = False
    for key, value in tags.items():
        name = alias(key)
        if name is not None and value.kind == 0:  # TEXT; NUL separates values
            fields.setdefault(name, []).extend(value)
        elif not cover and is_cover_key(key):
            cover = True
    return fields, cover


def _asf_fields(tags: Any) -> tuple[dict[str, list[Any]], bool]:
    """ASF/WMA attributes (WM/... names normalise onto the shared aliases)."""
    return _kv_collect((key, attr.value) for key, attr in tags)


_MP4_ATOMS = {
    "©nam": "title", "©ART": "artists", "©alb": "album", "aART": "album_artists",
    "©day": "date", "©gen": "genres", "©wrt": "composer", "©cmt": "comment",
    "©lyr": "lyrics", "cpil": "compilation", "tmpo": "bpm",
    "soar": "artist_sort", "soaa": "album_artist_sort", "soco": "composer_sort", "soal": "album_sort",
}  # fmt: skip


def _mp4_fields(tags: Any) -> tuple[dict[str, list[Any]], bool]:
    """MP4 atoms; iTunes freeform (----:) atoms fill only what the atoms left empty."""
    fields: dict[str, list[Any]] = {}
    freeform: dict[str, list[Any]] = {}
    cover = False
    for key, values in tags.items():
        name = _MP4_ATOMS.get(key)
        if name is not None:
            fields[name] = values if isinstance(values, list) else [values]
        elif key in ("trkn", "disk"):
            if values:
                number, total = values[0]
                prefix = "track" if key == "trkn" else "disc"
                fields[f"{prefix}_number"] = [str(number)]
                fields[f"{prefix}_total"] = [str(total)]
        elif key == "covr":
            cover = cover or bool(values)
        elif key.startswith("----:"):
            name = alias(key.rpartition(":")[2])
            if name is not None:
                freeform.setdefault(name, []).extend(
                    bytes(v).decode("utf-8", "replace") for v in values
                )
    for name, values in freeform.items():
        fields.setdefault(name, values)
    return fields, cover


# --- value parsing ----------------------------------------------------------

_NUMBER = re.compile(r"\s*([+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+))")
_LEADING_INT = re.compile(r"\s*\+?(\d{1,9})")
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")


def _clean(value: Any) -> str:
    """Text without surrounding whitespace or NUL padding."""
    text = (value if value.__class__ is str else str(value)).strip()
    return text.strip("\x00").strip() if "\x00" in text else text


def _first(values: list[Any] | None) -> str:
    if values:
        for value in values:
            text = _clean(value)
            if text:
                return text
    return ""


def _multi(values: list[Any] | None) -> list[str]:
    """Non-empty cleaned values, first occurrence kept (a set: files may hold thousands)."""
    if not values:
        return []
    cleaned = (_clean(value) for value in values)
    return list(dict.fromkeys(text for text in cleaned if text))


def _int(text: str) -> int | None:
    if not text:
        return None
    match = _LEADING_INT.match(text)
    return int(match[1]) or None if match else None


def _pair(text: str) -> tuple[int | None, int | None]:
    """ "3/12" -> (3, 12); "3" -> (3, None); zero counts as missing."""
    if not text:
        return None, None
    number, _, total = text.partition("/")
    return _int(number), _int(total)


def _float(text: str) -> float | None:
    """Leading number of "-6.50 dB", "0,988" or "120"; None when absent or not finite."""
    if not text:
        return None
    match = _NUMBER.match(text)
    if not match:
        return None
    value = float(match[1].replace(",", "."))
    return value if math.isfinite(value) else None


def _year(text: str) -> int | None:
    if not text:
        return None
    match = _YEAR.search(text)
    return int(match[1]) or None if match else None


def _truthy(text: str) -> bool:
    lowered = text.lower()
    if lowered in ("true", "yes", "y"):
        return True
    number = _float(lowered)
    return bool(number)


#: Fields taken as the first non-empty value, as they are.
_FIRST_TEXT = ("title", "album", "composer", "composer_sort", "album_sort", "comment",
               "mb_recording_id", "mb_release_id", "mb_artist_id", "mb_release_group_id",
               "isrc", "initial_key", "lyrics")  # fmt: skip
_GAINS = ("rg_track_gain", "rg_track_peak", "rg_album_gain", "rg_album_peak")


def _apply(info: TrackInfo, fields: dict[str, list[Any]]) -> None:
    """Fill *info*'s tag fields from shared-name raw values.

    *info* is new: a field whose names are all absent keeps its default, which
    is what every parser below gives for no value, so only present names are
    looked at (the scanner calls this for every file).
    """
    if not fields:
        return
    get = fields.get
    for name in _FIRST_TEXT:
        if name in fields:
            setattr(info, name, _first(fields[name]))
    if "artists" in fields or "artists_multi" in fields:
        info.artists = _multi(get("artists")) or _multi(get("artists_multi"))
    if "album_artists" in fields:
        info.album_artists = _multi(fields["album_artists"])
    if "track_number" in fields or "track_total" in fields:
        info.track_number, info.track_total = _pair(_first(get("track_number")))
        if info.track_total is None:
            info.track_total = _int(_first(get("track_total")))
    if "disc_number" in fields or "disc_total" in fields:
        info.disc_number, info.disc_total = _pair(_first(get("disc_number")))
        if info.disc_total is None:
            info.disc_total = _int(_first(get("disc_total")))
    if "date" in fields or "year" in fields or "release_date" in fields:
        info.date = _first(get("date")) or _first(get("year")) or _first(get("release_date"))
        info.year = _year(info.date)
    if "original_date" in fields or "original_year" in fields:
        info.original_date = _first(get("original_date")) or _first(get("original_year"))
        info.original_year = _year(info.original_date)
    if "genres" in fields:
        info.genres = _multi(fields["genres"])
    if "artist_sort" in fields:
        info.artist_sort = "; ".join(_multi(fields["artist_sort"]))
    if "album_artist_sort" in fields:
        info.album_artist_sort = "; ".join(_multi(fields["album_artist_sort"]))
    if "compilation" in fields:
        info.compilation = _truthy(_first(fields["compilation"]))
    for name in _GAINS:
        if name in fields:
            setattr(info, name, _float(_first(fields[name])))
    if "r128_track_gain" in fields:
        q78 = _int_signed(_first(fields["r128_track_gain"]))
        info.r128_track_gain = None if q78 is None else q78 / 256.0
    if "r128_album_gain" in fields:
        q78 = _int_signed(_first(fields["r128_album_gain"]))
        info.r128_album_gain = None if q78 is None else q78 / 256.0
    if "bpm" in fields:
        info.bpm = _float(_first(fields["bpm"])) or None


def _int_signed(text: str) -> int | None:
    """Opus R128 gains: a whole signed Q7.8 number, nothing else."""
    match = re.match(r"\s*([+-]?\d{1,6})\s*$", text)
    return int(match[1]) if match else None


# --- stream properties -------------------------------------------------------


def _stream(info: TrackInfo, kind: type, si: Any, head: bytes) -> None:
    """Fill format, codec, duration, bitrate, sample rate, depth and channels."""
    fmt, codec, lossless = STREAM_INFO[kind]
    bits = getattr(si, "bits_per_sample", 0) or None
    sample_rate = int(getattr(si, "sample_rate", 0) or 0)
    if kind is MP3:
        layer = getattr(si, "layer", 3)
        codec = f"mp{layer}"
        fmt = codec.upper()
    elif kind is MP4:
        codec, lossless = _mp4_codec(si.codec or "")
    elif kind is WAVE:
        code = getattr(si, "audio_format", 1)
        codec = _WAVE_CODECS.get(code, f"0x{code:04x}")
        lossless = code in (1, 3, 0xFFFE)
    elif kind is WavPack and len(head) >= 28 and head.startswith(b"wvpk"):
        flags = struct.unpack_from("<I", head, 24)[0]
        lossless = not flags & 0x8  # hybrid mode: the .wv alone is lossy
        if flags & 0x80 and not flags & 0x80000000:
            bits = 32  # float samples
    elif kind is ASF:
        name = f"{si.codec_type} {si.codec_name}".lower()
        lossless = "lossless" in name
    elif kind is DSDIFF:
        codec = "dst" if (si.compression or "").upper().startswith("DST") else "dsd"
    elif kind is AC3:
        if getattr(si, "codec", "") == "ec-3":
            fmt, codec = "E-AC-3", "eac3"
    elif kind is TrueAudio and head.startswith(b"TTA1") and len(head) >= 10:
        channels, bits = struct.unpack_from("<HH", head, 6)
        info.channels = channels
    elif kind is OggOpus:
        sample_rate = 48000  # Opus always decodes at 48 kHz
    info.format = fmt
    info.codec = codec
    info.lossless = lossless
    info.bit_depth = bits if lossless and bits else None
    length = float(getattr(si, "length", 0) or 0)
    info.duration = length if math.isfinite(length) and length > 0 else 0.0
    bitrate = int(getattr(si, "bitrate", 0) or 0)
    if bitrate <= 0 and info.duration > 0:
        bitrate = int(info.size * 8 / info.duration)
    info.bitrate = bitrate
    info.sample_rate = sample_rate
    info.channels = int(getattr(si, "channels", 0) or 0) or info.channels


def _tta_header(audio: FileType, fileobj: BinaryIO, head: bytes) -> bytes:
    """The TTA stream header (mutagen skips channels and depth), after any ID3v2 tag."""
    offset = getattr(audio.tags, "size", 0) if audio.tags is not None else 0
    if offset + 10 <= len(head):
        return head[offset:]
    fileobj.seek(offset)
    return fileobj.read(18)


def _mp4_codec(raw: str) -> tuple[str, bool]:
    """Short codec name and losslessness from an MP4 sample entry ("mp4a.40.2", "alac")."""
    lowered = raw.lower()
    if lowered.startswith("mp4a.6b") or lowered.startswith("mp4a.69"):
        return "mp3", False
    if lowered.startswith("mp4a") or not lowered:
        return "aac", False
    named = {"alac": ("alac", True), "flac": ("flac", True), "ac-3": ("ac3", False),
             "ec-3": ("eac3", False), "opus": ("opus", False)}  # fmt: skip
    return named.get(lowered, (lowered, False))
