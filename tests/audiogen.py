"""Make small real audio files for tests, and tag them with plain mutagen.

``make_audio(path, fmt)`` writes a short sine tone in one of :data:`FORMATS`:
ffmpeg encodes what it can; APE, Musepack, TAK, OptimFROG, DSF and DFF (which
ffmpeg cannot encode) are built by hand with a minimal valid header that
mutagen parses, followed by a silent payload. ``tag(path, **fields)`` writes
tags with mutagen directly (not through :mod:`player.library.tags`), so the
reader is checked against an independent writer. Everything goes where the
caller says (normally ``tmp_path``); nothing is cached on disk.
"""

from __future__ import annotations

import math
import shutil
import struct
import subprocess
from collections.abc import Iterable
from pathlib import Path

import mutagen
import pytest
from mutagen import apev2, asf, id3, mp4
from mutagen.flac import FLAC, Picture

__all__ = [
    "FFMPEG_FORMATS",
    "FORMATS",
    "HANDMADE_FORMATS",
    "make_audio",
    "requires_ffmpeg",
    "tag",
    "write_id3v1",
]

requires_ffmpeg = pytest.mark.skipif(
    shutil.which("ffmpeg") is None, reason="ffmpeg not installed (CI installs it)"
)

# fmt -> (extension, ffmpeg output arguments). ``{pcm}`` is replaced by the sample
# format matching bit_depth; ``{raw}`` by the bits_per_raw_sample option.
FFMPEG_FORMATS: dict[str, tuple[str, list[str]]] = {
    "mp3": (".mp3", ["-c:a", "libmp3lame", "-b:a", "128k", "-id3v2_version", "0", "-f", "mp3"]),
    "mp2": (".mp2", ["-c:a", "mp2", "-b:a", "192k", "-f", "mp2"]),
    "flac": (".flac", ["-c:a", "flac", "-sample_fmt", "{planar_int}", "{raw}", "-f", "flac"]),
    "ogg": (".ogg", ["-c:a", "libvorbis", "-q:a", "2", "-f", "ogg"]),
    "opus": (".opus", ["-c:a", "libopus", "-b:a", "64k", "-f", "opus"]),
    "spx": (".spx", ["-c:a", "libspeex", "-f", "ogg"]),
    "oga": (".oga", ["-c:a", "flac", "-sample_fmt", "{planar_int}", "{raw}", "-f", "ogg"]),
    "m4a": (".m4a", ["-c:a", "aac", "-b:a", "128k", "-f", "ipod"]),
    "alac": (".m4a", ["-c:a", "alac", "-sample_fmt", "{planar_p}", "{raw}", "-f", "ipod"]),
    "wav": (".wav", ["-c:a", "{pcm_le}", "-f", "wav"]),
    "aiff": (".aiff", ["-c:a", "{pcm_be}", "-f", "aiff"]),
    "wv": (".wv", ["-c:a", "wavpack", "-sample_fmt", "{planar_p}", "{raw}", "-f", "wv"]),
    "tta": (".tta", ["-c:a", "tta", "-sample_fmt", "{packed}", "-f", "tta"]),
    "wma": (".wma", ["-c:a", "wmav2", "-b:a", "128k", "-f", "asf"]),
    "aac": (".aac", ["-c:a", "aac", "-b:a", "128k", "-f", "adts"]),
    "ac3": (".ac3", ["-c:a", "ac3", "-b:a", "192k", "-f", "ac3"]),
    "eac3": (".eac3", ["-c:a", "eac3", "-b:a", "192k", "-f", "eac3"]),
}
HANDMADE_FORMATS: dict[str, str] = {
    "ape": ".ape",
    "mpc": ".mpc",
    "tak": ".tak",
    "ofr": ".ofr",
    "dsf": ".dsf",
    "dff": ".dff",
}
#: Every format name make_audio accepts, mapped to its file extension.
FORMATS: dict[str, str] = {
    **{name: ext for name, (ext, _) in FFMPEG_FORMATS.items()},
    **HANDMADE_FORMATS,
}
_FIXED_RATES = {"opus": 48000, "spx": 16000, "wma": 44100, "ac3": 48000, "eac3": 48000}
_MONO_ONLY = {"spx"}


def make_audio(
    path: str | Path,
    fmt: str,
    seconds: float = 1.0,
    freq: float = 440.0,
    sample_rate: int = 44100,
    channels: int = 2,
    bit_depth: int = 16,
    amplitude: float = 0.5,
) -> Path:
    """Write a *seconds*-long tone in format *fmt* to *path* and return the path.

    If *path* is a directory the file is named ``tone<ext>`` inside it. Lossy
    encoders pick their own depth; Opus is always 48 kHz, Speex 16 kHz mono.
    """
    path = Path(path)
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose from {sorted(FORMATS)}")
    if path.is_dir():
        path = path / f"tone{FORMATS[fmt]}"
    if fmt in HANDMADE_FORMATS:
        builder = _BUILDERS[fmt]
        path.write_bytes(builder(seconds, sample_rate, channels, bit_depth))
        return path
    if shutil.which("ffmpeg") is None:  # a test (or fixture) not marked requires_ffmpeg skips too
        pytest.skip("ffmpeg not installed (CI installs it)")
    if bit_depth not in (16, 24):
        raise ValueError("ffmpeg formats support bit_depth 16 or 24")
    _, args = FFMPEG_FORMATS[fmt]
    rate = _FIXED_RATES.get(fmt, sample_rate)
    chans = 1 if fmt in _MONO_ONLY else channels
    deep = bit_depth == 24
    subst = {
        "{planar_int}": "s32" if deep else "s16",
        "{planar_p}": "s32p" if deep else "s16p",
        "{packed}": "s32" if deep else "s16",
        "{pcm_le}": "pcm_s24le" if deep else "pcm_s16le",
        "{pcm_be}": "pcm_s24be" if deep else "pcm_s16be",
    }
    out_args: list[str] = []
    for arg in args:
        if arg == "{raw}":
            out_args += ["-bits_per_raw_sample", "24"] if deep else []
        else:
            out_args.append(subst.get(arg, arg))
    expr = f"{amplitude}*sin(2*PI*{freq}*t)"
    cmd = [
        "ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
        "-f", "lavfi", "-i", f"aevalsrc={'|'.join([expr] * chans)}:s={rate}:d={seconds}",
        "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:a", "+bitexact",
        *out_args, str(path),
    ]  # fmt: skip
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"ffmpeg failed for {fmt}: {result.stderr.strip()}")
    return path


# --- hand-built headers -------------------------------------------------------


def _payload(nbytes: int) -> bytes:
    return bytes(min(nbytes, 64 * 1024))  # silence; the parsers only read headers


def _build_ape(seconds: float, rate: int, channels: int, bits: int) -> bytes:
    """Monkey's Audio 3.99: 52-byte descriptor + 24-byte header (what mutagen reads)."""
    blocks = max(1, round(seconds * rate))
    frame_data = _payload(blocks * channels * bits // 8 // 4)
    descriptor = struct.pack(
        "<4sHHIIIIIII16s", b"MAC ", 3990, 0, 52, 24, 0, 0, len(frame_data), 0, 0, bytes(16)
    )
    header = struct.pack("<HHIIIHHI", 2000, 0, blocks, blocks, 1, bits, channels, rate)
    return descriptor + header + frame_data


def _sv8_int(value: int) -> bytes:
    out = [value & 0x7F]
    value >>= 7
    while value:
        out.append(0x80 | (value & 0x7F))
        value >>= 7
    return bytes(reversed(out))


def _sv8_packet(key: bytes, data: bytes) -> bytes:
    size = len(key) + len(data) + 1
    if size > 127:
        size += 1
    return key + _sv8_int(size) + data


def _build_mpc(seconds: float, rate: int, channels: int, bits: int) -> bytes:
    """Musepack SV8: stream header (SH), ReplayGain (RG), then stream end (SE)."""
    rates = [44100, 48000, 37800, 32000]
    samples = max(1, round(seconds * rate))
    sh = (
        bytes(4) + b"\x08" + _sv8_int(samples) + _sv8_int(0)
        + bytes([rates.index(rate) << 5 | 0x1F, (channels - 1) << 4 | 0x0B])
    )  # fmt: skip
    rg = b"\x01" + bytes(8)
    return (
        b"MPCK"
        + _sv8_packet(b"SH", sh)
        + _sv8_packet(b"RG", rg)
        + b"SE\x03"
        + _payload(int(samples * 0.02))
    )


def _build_tak(seconds: float, rate: int, channels: int, bits: int) -> bytes:
    """TAK: "tBaK", a STREAM_INFO metadata block (LSB-first bit fields), END block."""
    samples = max(1, round(seconds * rate))
    value = (
        2 | 0 << 6 | 0 << 10 | samples << 14 | 0 << 49
        | (rate - 6000) << 52 | (bits - 8) << 70 | (channels - 1) << 75
    )  # fmt: skip
    info = value.to_bytes(10, "little") + bytes(3)  # + CRC
    block = bytes([1]) + len(info).to_bytes(3, "little") + info
    return b"tBaK" + block + bytes(4) + _payload(samples * channels * bits // 8 // 2)


def _build_ofr(seconds: float, rate: int, channels: int, bits: int) -> bytes:
    """OptimFROG: "OFR " header with sample count, type, channels and rate."""
    samples = max(1, round(seconds * rate)) * channels
    sample_type = {8: 0, 16: 2, 24: 4, 32: 6}[bits]
    header = struct.pack(
        "<4sIIHBBIHB", b"OFR ", 15, samples & 0xFFFFFFFF, samples >> 32,
        sample_type, channels - 1, rate, 0x0510, 2,
    )  # fmt: skip
    return header + bytes(76 - len(header)) + _payload(samples * bits // 8 // 2)


def _build_dsf(seconds: float, rate: int, channels: int, bits: int) -> bytes:
    """DSF (DSD64): DSD chunk, fmt chunk and data chunk of DSD silence."""
    dsd_rate = 2822400
    samples = max(1, round(seconds * dsd_rate))
    block = 4096
    data = b"\x69" * (math.ceil(samples / 8 / block) * block * channels)
    data_chunk = b"data" + struct.pack("<Q", 12 + len(data)) + data
    fmt = b"fmt " + struct.pack(
        "<QIIIIIIQII", 52, 1, 0, 2 if channels == 2 else 1, channels, dsd_rate, 1, samples,
        block, 0,
    )  # fmt: skip
    total = 28 + len(fmt) + len(data_chunk)
    return b"DSD " + struct.pack("<QQQ", 28, total, 0) + fmt + data_chunk


def _dff_chunk(cid: bytes, data: bytes) -> bytes:
    pad = b"\x00" if len(data) % 2 else b""
    return cid + struct.pack(">Q", len(data)) + data + pad


def _build_dff(seconds: float, rate: int, channels: int, bits: int) -> bytes:
    """DSDIFF (DSD64): FRM8/DSD form with FVER, PROP/SND (FS, CHNL, CMPR), DSD data."""
    dsd_rate = 2822400
    data = b"\x69" * (max(1, round(seconds * dsd_rate)) // 8 * channels)
    ids = [b"SLFT", b"SRGT", b"C   ", b"LFE ", b"LS  ", b"RS  "][:channels]
    prop = b"SND " + b"".join(
        [
            _dff_chunk(b"FS  ", struct.pack(">I", dsd_rate)),
            _dff_chunk(b"CHNL", struct.pack(">H", channels) + b"".join(ids)),
            _dff_chunk(b"CMPR", b"DSD " + bytes([14]) + b"not compressed" + b"\x00"),
        ]
    )
    body = b"DSD " + _dff_chunk(b"FVER", struct.pack(">I", 0x01050000))
    body += _dff_chunk(b"PROP", prop) + _dff_chunk(b"DSD ", data)
    return _dff_chunk(b"FRM8", body)


_BUILDERS = {
    "ape": _build_ape,
    "mpc": _build_mpc,
    "tak": _build_tak,
    "ofr": _build_ofr,
    "dsf": _build_dsf,
    "dff": _build_dff,
}


# --- tagging with plain mutagen ---------------------------------------------------


def _family(audio: mutagen.FileType) -> str:
    if isinstance(audio, mp4.MP4):
        return "mp4"
    if isinstance(audio, asf.ASF):
        return "asf"
    if isinstance(audio, apev2.APEv2File):
        return "ape"
    if isinstance(audio.tags, id3.ID3) or hasattr(audio, "ID3") or type(audio).__name__ in (
        "WAVE", "AIFF", "DSF", "DSDIFF",
    ):  # fmt: skip
        return "id3"
    return "vorbis"


def _as_list(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable):
        return [str(v) for v in value]
    return [str(value)]


# field -> (ID3 frame or TXXX:desc, Vorbis key, MP4 key, APE key, ASF key)
_KEYS: dict[str, tuple[str, str, str, str, str]] = {
    "title": ("TIT2", "TITLE", "©nam", "Title", "Title"),
    "artists": ("TPE1", "ARTIST", "©ART", "Artist", "Author"),
    "album": ("TALB", "ALBUM", "©alb", "Album", "WM/AlbumTitle"),
    "album_artists": ("TPE2", "ALBUMARTIST", "aART", "Album Artist", "WM/AlbumArtist"),
    "date": ("TDRC", "DATE", "©day", "Year", "WM/Year"),
    "original_date": ("TDOR", "ORIGINALDATE", "----:ORIGINALDATE", "ORIGINALDATE",
                      "WM/OriginalReleaseTime"),
    "genres": ("TCON", "GENRE", "©gen", "Genre", "WM/Genre"),
    "composer": ("TCOM", "COMPOSER", "©wrt", "Composer", "WM/Composer"),
    "artist_sort": ("TSOP", "ARTISTSORT", "soar", "ArtistSort", "WM/ArtistSortOrder"),
    "album_artist_sort": ("TSO2", "ALBUMARTISTSORT", "soaa", "Album Artist Sort",
                          "WM/AlbumArtistSortOrder"),
    "composer_sort": ("TSOC", "COMPOSERSORT", "soco", "ComposerSort", "WM/ComposerSortOrder"),
    "album_sort": ("TSOA", "ALBUMSORT", "soal", "AlbumSort", "WM/AlbumSortOrder"),
    "isrc": ("TSRC", "ISRC", "----:ISRC", "ISRC", "WM/ISRC"),
    "initial_key": ("TKEY", "INITIALKEY", "----:initialkey", "INITIALKEY", "WM/InitialKey"),
    "bpm": ("TBPM", "BPM", "tmpo", "BPM", "WM/BeatsPerMinute"),
    "mb_release_id": ("TXXX:MusicBrainz Album Id", "MUSICBRAINZ_ALBUMID",
                      "----:MusicBrainz Album Id", "MUSICBRAINZ_ALBUMID", "MusicBrainz/Album Id"),
    "mb_artist_id": ("TXXX:MusicBrainz Artist Id", "MUSICBRAINZ_ARTISTID",
                     "----:MusicBrainz Artist Id", "MUSICBRAINZ_ARTISTID",
                     "MusicBrainz/Artist Id"),
    "mb_release_group_id": ("TXXX:MusicBrainz Release Group Id", "MUSICBRAINZ_RELEASEGROUPID",
                            "----:MusicBrainz Release Group Id", "MUSICBRAINZ_RELEASEGROUPID",
                            "MusicBrainz/Release Group Id"),
    "mb_recording_id": ("UFID", "MUSICBRAINZ_TRACKID", "----:MusicBrainz Track Id",
                        "MUSICBRAINZ_TRACKID", "MusicBrainz/Track Id"),
    "rg_track_gain": ("TXXX:REPLAYGAIN_TRACK_GAIN", "REPLAYGAIN_TRACK_GAIN",
                      "----:replaygain_track_gain", "REPLAYGAIN_TRACK_GAIN",
                      "replaygain_track_gain"),
    "rg_track_peak": ("TXXX:REPLAYGAIN_TRACK_PEAK", "REPLAYGAIN_TRACK_PEAK",
                      "----:replaygain_track_peak", "REPLAYGAIN_TRACK_PEAK",
                      "replaygain_track_peak"),
    "rg_album_gain": ("TXXX:REPLAYGAIN_ALBUM_GAIN", "REPLAYGAIN_ALBUM_GAIN",
                      "----:replaygain_album_gain", "REPLAYGAIN_ALBUM_GAIN",
                      "replaygain_album_gain"),
    "rg_album_peak": ("TXXX:REPLAYGAIN_ALBUM_PEAK", "REPLAYGAIN_ALBUM_PEAK",
                      "----:replaygain_album_peak", "REPLAYGAIN_ALBUM_PEAK",
                      "replaygain_album_peak"),
    "r128_track_gain": ("", "R128_TRACK_GAIN", "", "", ""),
    "r128_album_gain": ("", "R128_ALBUM_GAIN", "", "", ""),
    "comment": ("COMM", "COMMENT", "©cmt", "Comment", "Description"),
    "lyrics": ("USLT", "LYRICS", "©lyr", "Lyrics", "WM/Lyrics"),
    "compilation": ("TCMP", "COMPILATION", "cpil", "Compilation", "WM/IsCompilation"),
}  # fmt: skip
_INDEX = {"id3": 0, "vorbis": 1, "mp4": 2, "ape": 3, "asf": 4}


def tag(path: str | Path, *, id3_version: int = 4, **fields: object) -> None:
    """Write tags with mutagen into any supported file (existing tags are kept).

    *fields* use TrackInfo names (``title``, ``artists`` (list), ``genres``,
    ``track_number``/``track_total``, ``disc_number``/``disc_total``, MusicBrainz
    ids, ReplayGain as ``"-6.50 dB"`` strings, ``r128_*_gain`` as Q7.8 integers
    for Opus, ...). ``cover=<bytes>`` embeds front-cover art. ID3 files are saved
    as ID3v2.*id3_version* (3 or 4).
    """
    audio = mutagen.File(path)
    if audio is None:
        raise ValueError(f"mutagen cannot open {path}")
    family = _family(audio)
    if audio.tags is None:
        audio.add_tags()
    tags = audio.tags
    for name in ("track", "disc"):
        number, total = fields.pop(f"{name}_number", None), fields.pop(f"{name}_total", None)
        if number is not None or total is not None:
            _put_pair(family, tags, name, number, total)
    cover = fields.pop("cover", None)
    if cover is not None:
        _put_cover(family, audio, bytes(cover))  # type: ignore[call-overload]
    for field, value in fields.items():
        key = _KEYS[field][_INDEX[family]]
        if not key:
            raise ValueError(f"{field} cannot be written to {family} tags")
        _put(family, tags, field, key, value)
    if family == "id3":
        kwargs = {"v2_version": id3_version}
        if id3_version == 3:
            kwargs["v23_sep"] = None  # keep multiple values as NUL-separated
        audio.save(**kwargs)
    else:
        audio.save()


def _put(family: str, tags: object, field: str, key: str, value: object) -> None:
    values = _as_list(value)
    if family == "id3":
        if key == "UFID":
            tags.add(id3.UFID(owner="http://musicbrainz.org", data=values[0].encode()))
        elif key == "COMM":
            tags.add(id3.COMM(encoding=3, lang="eng", desc="", text=values))
        elif key == "USLT":
            tags.add(id3.USLT(encoding=3, lang="eng", desc="", text=values[0]))
        elif key.startswith("TXXX:"):
            tags.add(id3.TXXX(encoding=3, desc=key[5:], text=values))
        elif key == "TCMP":
            tags.add(id3.TCMP(encoding=3, text=["1" if value else "0"]))
        else:
            tags.add(getattr(id3, key)(encoding=3, text=values))
    elif family == "mp4":
        if key.startswith("----:"):
            tags[f"----:com.apple.iTunes:{key[5:]}"] = [
                mp4.MP4FreeForm(v.encode(), dataformat=mp4.AtomDataType.UTF8) for v in values
            ]
        elif key == "cpil":
            tags[key] = bool(value)
        elif key == "tmpo":
            tags[key] = [int(float(values[0]))]
        else:
            tags[key] = values
    elif family == "asf" and key == "WM/IsCompilation":
        tags[key] = [bool(value)]
    else:  # vorbis, ape, asf take lists of strings
        tags[key] = values


def _put_pair(family: str, tags: object, name: str, number: object, total: object) -> None:
    n, t = int(number or 0), int(total or 0)
    text = f"{n}/{t}" if t else str(n)
    if family == "id3":
        tags.add((id3.TRCK if name == "track" else id3.TPOS)(encoding=3, text=[text]))
    elif family == "mp4":
        tags["trkn" if name == "track" else "disk"] = [(n, t)]
    elif family == "vorbis":
        upper = name.upper()
        tags[f"{upper}NUMBER"] = [str(n)]
        if t:
            tags[f"{upper}TOTAL"] = [str(t)]
    elif family == "ape":
        tags["Track" if name == "track" else "Disc"] = [text]
    elif name == "track":  # asf
        tags["WM/TrackNumber"] = [str(n)]
        if t:
            tags["TrackTotal"] = [str(t)]
    else:
        tags["WM/PartOfSet"] = [text]


def _put_cover(family: str, audio: mutagen.FileType, data: bytes) -> None:
    if family == "id3":
        audio.tags.add(id3.APIC(encoding=3, mime="image/jpeg", type=3, desc="", data=data))
    elif family == "mp4":
        audio.tags["covr"] = [mp4.MP4Cover(data, imageformat=mp4.MP4Cover.FORMAT_JPEG)]
    elif family == "ape":
        audio.tags["Cover Art (Front)"] = apev2.APEValue(b"cover.jpg\x00" + data, apev2.BINARY)
    elif family == "asf":
        blob = struct.pack("<bI", 3, len(data)) + "image/jpeg\0".encode("utf-16-le")
        blob += "\0".encode("utf-16-le") + data
        audio.tags["WM/Picture"] = [asf.ASFByteArrayAttribute(blob)]
    else:
        picture = Picture()
        picture.type, picture.mime, picture.data = 3, "image/jpeg", data
        if isinstance(audio, FLAC):
            audio.add_picture(picture)
        else:
            import base64

            audio.tags["METADATA_BLOCK_PICTURE"] = [base64.b64encode(picture.write()).decode()]


def write_id3v1(
    path: str | Path,
    title: str = "",
    artist: str = "",
    album: str = "",
    year: str = "",
    comment: str = "",
    track: int = 0,
    genre: int = 255,
) -> None:
    """Append a hand-made ID3v1.1 tag (latin-1, NUL padded) to the end of *path*."""

    def field(text: str, size: int) -> bytes:
        return text.encode("latin-1")[:size].ljust(size, b"\x00")

    block = (
        b"TAG" + field(title, 30) + field(artist, 30) + field(album, 30) + field(year, 4)
        + field(comment, 28) + b"\x00" + bytes([track]) + bytes([genre])
    )  # fmt: skip
    with open(path, "ab") as handle:
        handle.write(block)
