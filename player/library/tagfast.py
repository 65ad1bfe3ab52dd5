"""Lean readers for the scanner's common files, giving exactly mutagen's result.

:mod:`player.library.tags` reads through mutagen, which builds and validates an
object for every ID3 frame, FLAC block and MP4 atom, reading each with its own
seek; on a large library that is most of the scan's CPU time. Each reader here
does the plain case itself and gives up (returns ``None``) on anything else, so
the caller reads that file through mutagen as before:

* :func:`read_id3`: an MP3's ID3v2.3/2.4 frames that the library maps onto a
  track, decoded with mutagen's own text rules
  (:func:`mutagen._util.decode_terminated` and the ID3 text fixups), as
  frame-like objects :func:`player.library.tags._id3_fields` reads exactly as it
  reads mutagen's. It gives up on ID3v2.2, an unsynchronised or extended
  header, any frame flag (compression, encryption, grouping,
  unsynchronisation, data length), a frame key seen twice (mutagen merges
  those), a frame truncated by the end of the tag data. An ID3v1 tag at the
  end fills what the ID3v2 tag left out, as in mutagen.
* :func:`read_flac`: a FLAC file's STREAMINFO, Vorbis comments and whether it
  has pictures (their data is never read).
* :func:`read_mp4`: an MP4's atom tree laid out from one read per top-level
  container; mutagen's own MP4Info, MP4Tags and MP4Chapters then read it.
* :func:`read_ogg`: an Ogg Vorbis or Opus file's header pages (mutagen's
  ``OggPage``) from one read of its first 64 KiB, its comment packet, and its
  last page through mutagen's ``OggPage.find_last``.

They lean on a few of mutagen's internal helpers (kept by ``uv.lock``);
``tests/library/test_tagfast.py`` compares every field with mutagen's reading.
"""

from __future__ import annotations

import contextlib
import functools
import re
import struct
from io import BytesIO
from itertools import zip_longest
from typing import Any, BinaryIO

from mutagen._util import decode_terminated
from mutagen._vorbis import is_valid_key
from mutagen.id3 import TCON, Encoding, Frames, ID3TimeStamp
from mutagen.id3._id3v1 import find_id3v1
from mutagen.id3._specs import iter_text_fixups  # mutagen's own text repairs
from mutagen.id3._tags import ID3Header, determine_bpi
from mutagen.id3._util import BitPaddedInt
from mutagen.mp4 import MP4Chapters, MP4Info, MP4NoTrackError, MP4Tags
from mutagen.mp4._atom import _CONTAINERS, Atom, Atoms
from mutagen.ogg import OggPage

__all__ = ["FlacStream", "Frame", "OggStream", "read_flac", "read_id3", "read_mp4", "read_ogg"]

_CODECS = {0: "latin1", 1: "utf16", 2: "utf_16_be", 3: "utf8"}
_ENCODINGS = {0: Encoding.LATIN1, 1: Encoding.UTF16, 2: Encoding.UTF16BE, 3: Encoding.UTF8}
_SIZE = struct.Struct(">4sLH")

#: Frames whose value is text (one or more values), as mutagen reads them.
_TEXT_IDS = frozenset(
    {"TIT2", "TPE1", "TALB", "TPE2", "TRCK", "TPOS", "TCOM", "TCMP", "TSRC", "TBPM",
     "TKEY", "TSOP", "TSO2", "TSOC", "TSOA", "TYER", "TDAT", "TIME", "TORY"}
)  # fmt: skip
#: Text frames whose values mutagen turns into ID3 time stamps.
_STAMP_IDS = frozenset({"TDRC", "TDRL", "TDOR"})
#: Frames read through mutagen's own frame class (rare, binary).
_MUTAGEN_IDS = frozenset({"RVA2"})


class Junk(Exception):
    """A frame mutagen would drop as junk (it is left out here too)."""


class Frame:
    """The attributes :func:`player.library.tags._id3_fields` reads from a frame."""

    __slots__ = ("_genres", "data", "desc", "owner", "text")

    def __init__(self, text: Any = None, desc: str = "", owner: str = "", data: bytes = b""):
        self.text = text
        self.desc = desc
        self.owner = owner
        self.data = data
        self._genres: list[str] | None = None

    @property
    def genres(self) -> list[str]:
        if self._genres is None:
            self._genres = _tcon_genres(tuple(self.text))
        return self._genres


@functools.lru_cache(maxsize=4096)
def _tcon_genres(values: tuple[str, ...]) -> list[str]:
    """TCON's genres after mutagen's load: parsed once on update, again on reading."""
    frame = TCON(encoding=3, text=list(values))
    frame.genres = frame.genres
    return frame.genres


def _text(data: bytes, enc: int, v23: bool) -> tuple[str, bytes]:
    """One encoded, NUL-terminated string: mutagen's ``EncodedTextSpec.read``."""
    if enc == 3 or enc == 0:  # the fast path of decode_terminated
        index = data.find(b"\x00")
        try:
            if index == -1:
                return data.decode(_CODECS[enc]), b""
            value, rest = data[:index].decode(_CODECS[enc]), data[index + 1 :]
        except UnicodeDecodeError:
            raise Junk from None
        if v23 and not rest.strip(b"\x00"):
            rest = b""
        return value, rest
    codec = _CODECS[enc]
    for candidate in iter_text_fixups(data, _ENCODINGS[enc]):
        try:
            value, rest = decode_terminated(candidate, codec, strict=False)
        except ValueError:
            continue
        if v23 and not rest.strip(b"\x00"):
            rest = b""
        return value, rest
    raise Junk


def _texts(data: bytes, enc: int, v23: bool) -> list[str]:
    """mutagen's ``MultiSpec`` of encoded strings; it needs at least one byte."""
    if not data:
        raise Junk
    values = []
    while data:
        value, data = _text(data, enc, v23)
        values.append(value)
    return values


def _encoding(data: bytes) -> tuple[int, bytes]:
    enc = data[0]
    if enc > 3:
        raise Junk
    return enc, data[1:]


def _latin1(data: bytes) -> tuple[str, bytes]:
    value, _, rest = data.partition(b"\x00")
    return value.decode("latin1"), rest


def _lang(data: bytes) -> bytes:
    if not data:
        raise Junk
    try:
        data[:3].decode("ascii")
    except UnicodeDecodeError:
        raise Junk from None
    return data[3:]


def _frame(fid: str, data: bytes, v23: bool, header: ID3Header) -> tuple[str, Any] | None:
    """(hash key, frame) for a frame the library reads; None for any other frame."""
    if fid in _TEXT_IDS or fid == "TCON":
        enc, data = _encoding(data)
        return fid, Frame(_texts(data, enc, v23))
    if fid in _STAMP_IDS:
        enc, data = _encoding(data)
        return fid, Frame([ID3TimeStamp(value) for value in _texts(data, enc, v23)])
    if fid == "TXXX":
        enc, data = _encoding(data)
        if not data:
            raise Junk
        desc, data = _text(data, enc, v23)
        return f"TXXX:{desc}", Frame(_texts(data, enc, v23), desc=desc)
    if fid == "COMM" or fid == "USLT":
        enc, data = _encoding(data)
        lang = data[:3].decode("ascii", "replace")
        data = _lang(data)
        if not data:
            raise Junk
        desc, data = _text(data, enc, v23)
        if fid == "COMM":
            text: Any = _texts(data, enc, v23)
        elif data:
            text = _text(data, enc, v23)[0]
        else:
            raise Junk
        return f"{fid}:{desc}:{lang}", Frame(text, desc=desc)
    if fid == "APIC":
        enc, data = _encoding(data)
        if not data:
            raise Junk
        _mime, data = _latin1(data)
        if len(data) < 2:  # the picture type byte, then a description
            raise Junk
        _text(data[1:], enc, v23)
        return "APIC", None  # mutagen keeps every picture: only presence matters
    if fid == "UFID":
        owner, data = _latin1(data)
        return f"UFID:{owner}", Frame(owner=owner, data=data)
    if fid in _MUTAGEN_IDS:
        try:
            frame = Frames[fid]._fromData(header, 0, data)
        except Exception:
            raise Junk from None
        return frame.HashKey, frame
    return None


def read_id3(fileobj: BinaryIO, head: bytes) -> tuple[dict[str, Any], bool, int] | None:
    """(frames by mutagen's hash key, cover present, tag size) or None to use mutagen.

    *fileobj* is any position; *head* is the file's first bytes. The frames
    are ordered and named as :class:`mutagen.id3.ID3` would hold them after
    loading (ID3v2.3 dates turned into ``TDRC``/``TDOR``).
    """
    if len(head) < 10 or not head.startswith(b"ID3"):
        return None
    vmaj, flags = head[3], head[5]
    if vmaj not in (3, 4) or flags:
        return None
    size_bytes = head[6:10]
    if not BitPaddedInt.has_valid_padding(size_bytes):
        return None
    tag_size = BitPaddedInt(size_bytes) + 10
    try:
        v1 = None
        fileobj.seek(-131, 2)
        if b"TAG" in fileobj.read(131):  # maybe an ID3v1 tag: mutagen's own reading
            v1 = find_id3v1(fileobj, 4 if vmaj == 4 else 3)[0]
        fileobj.seek(10)
        data = fileobj.read(tag_size - 10)
    except Exception:
        return None
    if len(data) != tag_size - 10:
        return None
    v23 = vmaj == 3
    header = ID3Header()
    header.version = (2, vmaj, head[4])
    # v2.4 sizes are synchsafe, but iTunes wrote plain integers: mutagen guesses
    # which (determine_bpi); while every size is below 128 both read alike.
    bpi: Any = int if v23 else None
    while True:
        try:
            found = _walk(data, bpi, v23, header)
        except _Wide:
            bpi = determine_bpi(data, Frames)
            continue
        except (IndexError, struct.error):
            return None
        break
    if found is None:
        return None
    frames, cover = found
    for frame in (v1 or {}).values():  # ID3v1 fills what ID3v2 left out
        frames.setdefault(frame.HashKey, frame)
    if isinstance(frames.get("TCON"), TCON):  # ID3v1's genre: mutagen tidies it on load
        frames["TCON"].genres = frames["TCON"].genres
    _update_to_v24(frames)
    return frames, cover, tag_size


class _Wide(Exception):
    """A frame size of 128 or more: synchsafe and plain integers differ."""


def _walk(
    data: bytes, bpi: Any, v23: bool, header: ID3Header
) -> tuple[dict[str, Any], bool] | None:
    """The frames as mutagen's ``read_frames`` and ``ID3._add`` keep them, or None."""
    frames: dict[str, Any] = {}
    cover = False
    offset, end = 0, len(data)
    while offset < end:
        if end - offset < 10:
            break
        name, size, fflags = _SIZE.unpack_from(data, offset)
        if name.strip(b"\x00") == b"":
            break
        if bpi is not None:
            size = bpi(size)
        elif size >= 0x80:
            raise _Wide
        start = offset + 10
        offset = start + size
        if size == 0:
            continue
        if fflags or offset > end:
            return None
        try:
            fid = name.decode("ascii")
        except UnicodeDecodeError:
            continue
        if fid[-1] == "\x00":
            return None  # ID3v2.2 names in a v2.3 tag: mutagen renames them
        try:
            item = _frame(fid, data[start:offset], v23, header)
        except Junk:
            continue
        if item is None:
            continue
        key, frame = item
        if key == "APIC":
            cover = True
            continue
        if key in frames:
            return None  # mutagen merges repeated frames
        frames[key] = frame
    return frames, cover


def _update_to_v24(frames: dict[str, Any]) -> None:
    """mutagen's ``update_to_v24`` (run on every tag) for the frames read here."""
    stamps = []
    old = [frames.pop(n).text if n in frames else [] for n in ("TYER", "TDAT", "TIME")]
    for tyer, tdat, time in zip_longest(*old, fillvalue=""):
        ym = re.match(r"([0-9]{4})(-[0-9]{2}-[0-9]{2})?\Z", tyer)
        dm = re.match(r"([0-9]{2})([0-9]{2})\Z", tdat)
        tm = re.match(r"([0-9]{2})([0-9]{2})\Z", time)
        stamp = ""
        if ym:
            year, month_day = ym.groups()
            stamp += year
            if dm:
                month_day = "-{}-{}".format(*dm.groups()[::-1])
            if month_day:
                stamp += month_day
                if tm:
                    stamp += "T{}:{}:00".format(*tm.groups())
        if stamp:
            stamps.append(stamp)
    if stamps and "TDRC" not in frames:
        frames["TDRC"] = Frame([ID3TimeStamp(stamp) for stamp in stamps])
    if "TORY" in frames:
        tory = frames.pop("TORY")
        if "TDOR" not in frames:  # mutagen: TDOR(text=str(TORY)), split at its ","
            values = "\u0000".join(tory.text).split(",")
            frames["TDOR"] = Frame([ID3TimeStamp(value) for value in values])


# --- FLAC ----------------------------------------------------------------------------


class FlacStream:
    """The STREAMINFO values mutagen's ``FLAC.info`` gives, bitrate included."""

    __slots__ = ("bitrate", "bits_per_sample", "channels", "length", "sample_rate")

    def __init__(self, block: bytes) -> None:
        rate_head, rate_channels_bps = struct.unpack_from(">HB", block, 10)
        bps_total = int.from_bytes(block[13:18], "big")
        self.sample_rate = (rate_head << 4) + (rate_channels_bps >> 4)
        if not self.sample_rate:
            raise ValueError("A sample rate value of 0 is invalid")
        self.channels = ((rate_channels_bps >> 1) & 7) + 1
        self.bits_per_sample = ((rate_channels_bps & 1) << 4) + (bps_total >> 36) + 1
        self.length = (bps_total & 0xFFFFFFFFF) / float(self.sample_rate)
        self.bitrate = 0


def read_flac(
    fileobj: BinaryIO, file_size: int
) -> tuple[list[tuple[str, str]] | None, bool, FlacStream] | None:
    """(Vorbis comments, pictures present, stream) as :class:`mutagen.flac.FLAC`
    reads them from a file starting with ``fLaC``, or None to use mutagen.

    Gives up on a CUESHEET block, a second SEEKTABLE or STREAMINFO, a comment
    longer than its block, anything running past the end of the file, or no
    STREAMINFO (mutagen parses, refuses or reads those differently).
    """
    pos = 4
    comments: list[tuple[str, str]] | None = None
    pictures = False
    stream: FlacStream | None = None
    seektables = 0
    try:
        while True:
            fileobj.seek(pos)
            header = fileobj.read(4)
            if len(header) != 4:
                return None
            code, size = header[0] & 0x7F, int.from_bytes(header[1:4], "big")
            last = header[0] & 0x80
            pos += 4
            if code == 4:  # VORBIS_COMMENT: its length fields, not the block size, count
                data = fileobj.read(size)
                parsed = _vorbis_comment(data)
                if parsed is None:
                    return None
                pairs, used = parsed
                if comments is None:
                    comments = pairs
                pos += used
            elif code == 6:  # PICTURE: likewise
                used = _picture_size(fileobj, pos, file_size)
                if used is None:
                    return None
                pictures = True
                pos += used
            else:
                if pos + size > file_size or code == 5:
                    return None
                if code == 0:
                    if stream is not None or size < 34:
                        return None
                    stream = FlacStream(fileobj.read(size))
                elif code == 3:
                    seektables += 1
                    if seektables > 1:
                        return None
                pos += size
            if last:
                break
    except (ValueError, struct.error):
        return None
    if stream is None:
        return None
    if stream.length:
        stream.bitrate = int(float(file_size - pos) * 8 / stream.length)
    return comments, pictures, stream


def _vorbis_comment(data: bytes) -> tuple[list[tuple[str, str]], int] | None:
    """mutagen's ``VComment.load`` (errors="replace", no framing bit) on *data*:
    (pairs, bytes used), or None when the comment runs past *data*."""
    end = len(data)
    if end < 4:
        return None
    (vendor,) = struct.unpack_from("<I", data, 0)
    at = 4 + vendor
    if at + 4 > end:
        return None
    (count,) = struct.unpack_from("<I", data, at)
    at += 4
    pairs = []
    for i in range(count):
        if at + 4 > end:
            return None
        (length,) = struct.unpack_from("<I", data, at)
        at += 4
        if at + length > end:
            return None
        text = data[at : at + length].decode("utf-8", "replace")
        at += length
        key, sep, value = text.partition("=")
        if not sep:
            key, value = f"unknown{i}", text
        key = key.encode("ascii", "replace").decode("ascii")
        if is_valid_key(key):
            pairs.append((key, value))
    return pairs, at


def _picture_size(fileobj: BinaryIO, pos: int, file_size: int) -> int | None:
    """Bytes a PICTURE block at *pos* really takes (mutagen parses its fields)."""
    fileobj.seek(pos)
    head = fileobj.read(8)
    if len(head) != 8:
        return None
    mime = struct.unpack_from(">I", head, 4)[0]
    at = pos + 8 + mime
    fileobj.seek(at)
    raw = fileobj.read(4)
    if len(raw) != 4:
        return None
    at += 4 + struct.unpack(">I", raw)[0]
    fileobj.seek(at)
    raw = fileobj.read(20)
    if len(raw) != 20:
        return None
    at += 20 + struct.unpack_from(">I", raw, 16)[0]
    return at - pos if at <= file_size else None


# --- MP4 -------------------------------------------------------------------------------------

#: The largest container read whole to lay out its atoms (bigger ones: mutagen).
_MP4_CONTAINER_MAX = 16 << 20


class _OutOfBuffer(Exception):
    """An atom header lies outside the bytes read: mutagen reads further."""


def read_mp4(fileobj: BinaryIO, file_size: int) -> tuple[Any, Any] | None:
    """(info, tags) as :class:`mutagen.mp4.MP4` loads them, or None to use mutagen.

    Only the atom tree is laid out here, from one read per top-level container
    instead of a seek and a read per atom; mutagen's own :class:`MP4Info`,
    :class:`MP4Tags` and :class:`MP4Chapters` then read it. Any error (mutagen
    would raise, or read atoms beyond a container) gives None.
    """
    try:
        atoms = _mp4_atoms(fileobj, file_size)
        if atoms is None:
            return None
        info = MP4Info()
        with contextlib.suppress(MP4NoTrackError):  # as MP4.load: no audio track
            info.load(atoms, fileobj)
        tags = MP4Tags(atoms, fileobj) if MP4Tags._can_load(atoms) else None
        if MP4Chapters._can_load(atoms):
            MP4Chapters(atoms, fileobj)  # mutagen refuses a file whose chapters it cannot read
    except Exception:
        return None
    return info, tags


def _mp4_atoms(fileobj: BinaryIO, file_size: int) -> Any:
    """mutagen's ``Atoms(fileobj)``, built from whole containers read at once."""
    root = Atoms.__new__(Atoms)
    root.atoms = []
    pos = 0
    while pos + 8 <= file_size:
        fileobj.seek(pos)
        head = fileobj.read(16)
        if len(head) < 8:
            return None
        length, name = struct.unpack_from(">I4s", head)
        data_at = pos + 8
        if length == 1:
            if len(head) < 16:
                return None
            (length,) = struct.unpack_from(">Q", head, 8)
            data_at += 8
            if length < 16:
                return None
        elif length == 0:
            length = file_size - pos
        elif length < 8:
            return None
        if name in _CONTAINERS:
            if length > _MP4_CONTAINER_MAX:
                return None
            fileobj.seek(pos)
            buf = fileobj.read(length)
            if len(buf) != length:
                return None
            try:
                atom, next_at = _mp4_atom(buf, pos, 0, 0, _CONTAINERS)
            except (_OutOfBuffer, ValueError):
                return None
            root.atoms.append(atom)
            pos += next_at
        else:
            root.atoms.append(_atom(pos, length, name, data_at, None))
            pos += length
    return root


def _atom(offset: int, length: int, name: bytes, data_at: int, children: list | None) -> Any:
    atom = Atom.__new__(Atom)
    atom.offset, atom.length, atom.name, atom._dataoffset = offset, length, name, data_at
    if children is not None:
        atom.children = children
    return atom


def _mp4_atom(buf: bytes, base: int, at: int, level: int, containers: list[bytes]) -> Any:
    """(atom, where reading goes on) for the atom at *buf*[*at*:] (file offset
    *base* + *at*), as ``Atom(fileobj, level)`` reads it and leaves the file."""
    if at + 8 > len(buf):
        raise _OutOfBuffer
    length, name = struct.unpack_from(">I4s", buf, at)
    data_at = at + 8
    if length == 1:
        if at + 16 > len(buf):
            raise _OutOfBuffer
        (length,) = struct.unpack_from(">Q", buf, at + 8)
        data_at += 8
        if length < 16:
            raise ValueError("64 bit atom length can only be 16 and higher")
    elif length == 0:
        if level != 0:
            raise ValueError("only a top-level atom can have zero length")
        length = len(buf) - at
    elif length < 8:
        raise ValueError("atom length can only be 0, 1 or 8 and higher")
    if name not in containers:
        return _atom(base + at, length, name, base + data_at, None), at + length
    children = []
    next_at = data_at + (4 if name == b"meta" else 0)
    end = at + length
    while next_at < end:
        child, next_at = _mp4_atom(buf, base, next_at, level + 1, containers)
        children.append(child)
    return _atom(base + at, length, name, base + data_at, children), next_at


# --- Ogg Vorbis and Opus --------------------------------------------------------------------

#: How much of an Ogg file's start is read at once for its header pages.
_OGG_HEAD = 64 << 10


class OggStream:
    """The stream values mutagen's ``OggVorbisInfo`` / ``OggOpusInfo`` give."""

    __slots__ = ("bitrate", "channels", "length", "sample_rate")

    def __init__(self) -> None:
        self.length = 0.0
        self.channels = 0
        self.bitrate = 0
        self.sample_rate = 0


def read_ogg(
    fileobj: BinaryIO, file_size: int, opus: bool
) -> tuple[OggStream, list[tuple[str, str]]] | None:
    """(stream, Vorbis comments) as :class:`mutagen.oggvorbis.OggVorbis` or
    :class:`mutagen.oggopus.OggOpus` load them, or None to use mutagen.

    The header pages are parsed by mutagen's :class:`OggPage` from the file's
    first 64 KiB read at once, the comment packet here; the last page is found
    by mutagen's ``OggPage.find_last``. Gives up on any error, or when the
    header pages run past what was read.
    """
    fileobj.seek(0)
    buf = BytesIO(fileobj.read(_OGG_HEAD))
    stream = OggStream()
    try:
        page = OggPage(buf)
        marker = b"OpusHead" if opus else b"\x01vorbis"
        if not opus and not page.packets:
            return None
        while not page.packets[0].startswith(marker):
            page = OggPage(buf)
        serial = page.serial
        if not page.first:
            return None
        head = page.packets[0]
        if opus:
            version, stream.channels, pre_skip = struct.unpack_from("<BBH", head, 8)
            struct.unpack_from("<IhB", head, 12)  # mutagen reads these too
            if version >> 4 != 0:
                return None
            page = OggPage(buf)
            while serial != page.serial or not page.packets[0].startswith(b"OpusTags"):
                page = OggPage(buf)
            pages = [page]
            while not (pages[-1].complete or len(pages[-1].packets) > 1):
                page = OggPage(buf)
                if page.serial == serial:
                    pages.append(page)
            data = OggPage.to_packets(pages)[0][8:]
            parsed = _vorbis_comment(data)
            if parsed is None:
                return None
            audio_size = file_size - buf.tell()
            last = OggPage.find_last(fileobj, serial, finishing=True)
            if last is None:
                return None
            stream.length = (last.position - pre_skip) / float(48000)
            stream.bitrate = round(audio_size * 8 / stream.length) if stream.length else 0
            return stream, parsed[0]
        if len(head) < 28:
            return None
        channels, rate, high, nominal, low = struct.unpack("<BI3i", head[11:28])
        if rate == 0:
            return None
        stream.channels, stream.sample_rate = channels, rate
        high, low, nominal = max(0, high), max(0, low), max(0, nominal)
        if nominal == 0:
            stream.bitrate = (high + low) // 2
        elif high and high < nominal:
            stream.bitrate = high
        elif low > nominal:
            stream.bitrate = low
        else:
            stream.bitrate = nominal
        pages = []
        complete = False
        while not complete:
            page = OggPage(buf)
            if page.serial == serial:
                pages.append(page)
                complete = page.complete or len(page.packets) > 1
        data = OggPage.to_packets(pages)[0][7:]
        parsed = _vorbis_comment(data)
        if parsed is None or not data[parsed[1] : parsed[1] + 1] or not data[parsed[1]] & 1:
            return None  # mutagen wants the framing bit set
        last = OggPage.find_last(fileobj, serial, finishing=True)
        if last is None:
            return None
        stream.length = last.position / float(rate)
        return stream, parsed[0]
    except Exception:
        return None
