"""Playlist files: reading and writing M3U/M3U8, PLS and XSPF.

Playlist files travel between players and machines, so reading is forgiving:
relative, absolute and Windows paths, ``file://`` URIs and stream URLs are all
understood, legacy encodings are detected, and a few bad lines become
``warnings`` rather than a failure. Only a file that is not a playlist at all
(binary data, broken XML, a PLS without ``[playlist]``) raises
:class:`PlaylistError`, naming what and where.

Writing is atomic (temporary file + rename) so a crash never leaves half a
playlist. The library's own playlists, stored in the database, live in
:mod:`player.library.playlists`.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path, PureWindowsPath
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote, urlsplit

from player.errors import PlaylistError
from player.library import paths
from player.library.paths import Flavour, current_flavour

if TYPE_CHECKING:
    import xml.etree.ElementTree as ET

FORMATS = ("m3u", "m3u8", "pls", "xspf")
XSPF_NS = "http://xspf.org/ns/0/"
#: Files larger than this are not playlists a person made.
MAX_PLAYLIST_BYTES = 64 << 20

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]+://")
_WINDOWS_ABS = re.compile(r"^(?:[A-Za-z]:[\\/]|\\\\)")
_EXTINF = re.compile(r'^\s*(-?\d+(?:\.\d*)?)((?:\s+[\w-]+="[^"]*")*)\s*(?:,(.*))?$')
_PLS_KEY = re.compile(r"^(file|title|length)(\d+)$", re.I)


# ---- records ------------------------------------------------------------------------
@dataclass
class PlaylistEntry:
    """One playlist entry: a local path (absolute once read) or a stream URL."""

    location: str
    title: str = ""
    duration: float | None = None  # seconds
    is_url: bool = False
    artist: str = ""
    album: str = ""

    @property
    def display_title(self) -> str:
        """``Artist - Title`` as M3U and PLS write it (just the title without an artist)."""
        if self.artist and self.title:
            return f"{self.artist} - {self.title}"
        return self.title or self.artist


@dataclass
class Playlist:
    """A parsed playlist file; ``warnings`` name the lines that were skipped."""

    entries: list[PlaylistEntry] = field(default_factory=list)
    name: str = ""
    warnings: list[str] = field(default_factory=list)
    format: str = ""
    encoding: str = "utf-8"


# ---- locations ------------------------------------------------------------------------
def is_url(location: str) -> bool:
    """True for ``http://...`` and other stream URLs (not ``file://``)."""
    return bool(_URL.match(location)) and not location.lower().startswith("file:")


def is_windows_path(location: str) -> bool:
    """True for ``C:\\...``, ``C:/...`` and ``\\\\server\\share`` paths."""
    return bool(_WINDOWS_ABS.match(location))


def file_uri_to_path(uri: str) -> str:
    """``file:///a%20b.flac`` -> ``/a b.flac``; drive and UNC forms kept Windows-shaped."""
    parts = urlsplit(uri)
    path = unquote(parts.path)
    if parts.netloc and parts.netloc.lower() != "localhost":
        return "\\\\" + parts.netloc + path.replace("/", "\\")
    if re.match(r"^/[A-Za-z]:[\\/]", path):
        path = path[1:]
    return path


def resolve_location(
    raw: str, base_dir: str | os.PathLike[str], flavour: Flavour | None = None
) -> tuple[str, bool]:
    """Turn an entry as written into ``(location, is_url)``.

    URLs stay as they are; ``file:`` URIs are decoded; relative paths are joined
    to ``base_dir``. ``flavour`` (default: the running OS) picks the rules: on
    Windows ``/`` and ``\\`` both separate, ``\\x`` lands on the playlist's
    drive, and the result is the library's spelling
    (:func:`player.library.paths.normalise`); elsewhere backslashes are read as
    separators and absolute Windows paths are kept as written.
    """
    text = raw.strip()
    if is_url(text):
        return text, True
    if text.lower().startswith("file:"):
        text = file_uri_to_path(text)
    if (flavour or current_flavour()) == "nt":
        return paths.join(os.fspath(base_dir), text, "nt"), False
    if is_windows_path(text):
        return text, False
    return paths.join(os.fspath(base_dir), text.replace("\\", "/"), "posix"), False


def _is_under(path: str, root: str) -> bool:
    try:
        return os.path.commonpath([path, root]) == root
    except ValueError:  # different drives, or mixed absolute/relative
        return False


def _location_for_file(
    entry: PlaylistEntry, base: str, root: str | None, *, uri: bool = False
) -> str:
    """How an entry is written: relative to ``base`` when under ``root``, else absolute."""
    location = entry.location
    if entry.is_url or is_url(location):
        return location
    if is_windows_path(location) and os.name != "nt":
        return PureWindowsPath(location).as_uri() if uri else location
    path = os.path.normpath(os.path.abspath(location))
    if root is not None and _is_under(path, root):
        try:
            relative = os.path.relpath(path, base)
        except ValueError:
            relative = ""
        if relative:
            relative = relative.replace(os.sep, "/")
            return quote(relative) if uri else relative
    return Path(path).as_uri() if uri else path


# ---- reading ---------------------------------------------------------------------------
def playlist_format(path: str | os.PathLike[str]) -> str | None:
    """The format named by a file's extension, or None."""
    suffix = Path(path).suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else None


def read_playlist(
    path: str | os.PathLike[str], fmt: str | None = None, flavour: Flavour | None = None
) -> Playlist:
    """Read a playlist file; the format comes from ``fmt``, the extension or the content.

    ``flavour`` names the OS whose path rules resolve the entries (see
    :func:`resolve_location`)."""
    source = Path(path)
    try:
        with open(source, "rb") as handle:
            data = handle.read(MAX_PLAYLIST_BYTES + 1)
    except OSError as exc:
        raise PlaylistError(
            f"Cannot open playlist {source.name}", f"{source}: {exc.strerror or exc}"
        ) from exc
    if len(data) > MAX_PLAYLIST_BYTES:
        raise PlaylistError(
            f"{source.name} is too large to be a playlist",
            f"{source} is larger than {MAX_PLAYLIST_BYTES >> 20} MiB.",
        )
    playlist = parse_playlist(
        data, fmt or playlist_format(source), source.parent, str(source), flavour
    )
    if not playlist.name:
        playlist.name = source.stem
    return playlist


def parse_playlist(
    data: bytes | str,
    fmt: str | None,
    base_dir: str | os.PathLike[str],
    source: str = "",
    flavour: Flavour | None = None,
) -> Playlist:
    """Parse playlist content; relative entries resolve against ``base_dir``.

    ``fmt`` None sniffs the content. ``source`` names the file in messages.
    """
    where = Path(source).name if source else "playlist"
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if fmt is None:
        fmt = _sniff(raw)
    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise PlaylistError(f"Unknown playlist format {fmt!r}", f"Known formats: {FORMATS}.")
    if fmt == "xspf":
        playlist = _parse_xspf(raw, base_dir, where, flavour)
    else:
        if b"\x00" in raw and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise _not_a_playlist(where, "it holds binary data", raw.index(b"\x00"))
        from player.library.cue import decode_text  # with the tag model, when first read

        if isinstance(data, str):
            text, encoding = data, "utf-8"
        elif fmt == "m3u8":
            text, encoding = decode_text(raw, ("cp1252",))
        else:
            text, encoding = decode_text(raw)
        text = text.lstrip("\ufeff")
        parse = _parse_pls if fmt == "pls" else _parse_m3u
        playlist = parse(text, base_dir, where, flavour)
        playlist.encoding = encoding
    playlist.format = fmt
    return playlist


def _sniff(raw: bytes) -> str:
    head = raw[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<?xml", b"<playlist")):
        return "xspf"
    if head.startswith(b"[playlist]"):
        return "pls"
    return "m3u"


def _not_a_playlist(where: str, reason: str, line: int = 0, *, byte: bool = True) -> PlaylistError:
    at = "" if not line else (f" (at byte {line})" if byte else f" (line {line})")
    return PlaylistError(
        f"{where} is not a readable playlist: {reason}{at}",
        f"{where} cannot be read as a playlist: {reason}{at}. Is it the right file?",
    )


def _junk(line: str) -> bool:
    return any((ord(ch) < 32 and ch != "\t") or 0x7F <= ord(ch) < 0xA0 for ch in line)


def _fail_if_all_bad(playlist: Playlist, bad: list[int], where: str) -> None:
    if bad and not playlist.entries:
        raise _not_a_playlist(where, "no usable entry", bad[0], byte=False)


def _split_display(text: str, url: bool) -> tuple[str, str]:
    """``Artist - Title`` -> (artist, title); stream titles are kept whole."""
    if not url and " - " in text:
        artist, title = text.split(" - ", 1)
        return artist.strip(), title.strip()
    return "", text.strip()


def _parse_m3u(
    text: str, base_dir: str | os.PathLike[str], where: str, flavour: Flavour | None = None
) -> Playlist:
    playlist = Playlist()
    bad: list[int] = []
    pending: tuple[float | None, str, int] | None = None  # EXTINF waiting for its entry
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if _junk(line):
            playlist.warnings.append(f"line {number}: unreadable characters, skipped")
            bad.append(number)
            continue
        if line.startswith("#"):
            upper = line.upper()
            if upper.startswith("#EXTINF:"):
                if pending is not None:
                    playlist.warnings.append(f"line {pending[2]}: #EXTINF without an entry")
                pending = _extinf(line[8:], number, playlist.warnings)
            elif upper.startswith("#PLAYLIST:"):
                playlist.name = line[10:].strip()
            continue
        location, url = resolve_location(line, base_dir, flavour)
        entry = PlaylistEntry(location, is_url=url)
        if pending is not None:
            entry.duration = pending[0]
            entry.artist, entry.title = _split_display(pending[1], url)
            pending = None
        playlist.entries.append(entry)
    if pending is not None:
        playlist.warnings.append(f"line {pending[2]}: #EXTINF without an entry")
    _fail_if_all_bad(playlist, bad, where)
    return playlist


def _extinf(body: str, number: int, warnings: list[str]) -> tuple[float | None, str, int]:
    match = _EXTINF.match(body)
    if match:
        seconds = float(match.group(1))
        return (seconds if seconds >= 0 else None), (match.group(3) or "").strip(), number
    warnings.append(f"line {number}: malformed #EXTINF, duration ignored")
    return None, body.split(",", 1)[1].strip() if "," in body else "", number


def _parse_pls(
    text: str, base_dir: str | os.PathLike[str], where: str, flavour: Flavour | None = None
) -> Playlist:
    playlist = Playlist()
    bad: list[int] = []
    section: str | None = None
    seen_playlist = False
    files: dict[int, str] = {}
    titles: dict[int, str] = {}
    lengths: dict[int, float | None] = {}
    declared: int | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith((";", "#")):
            continue
        if _junk(line):
            if not seen_playlist:
                raise _not_a_playlist(where, "unreadable characters", number, byte=False)
            playlist.warnings.append(f"line {number}: unreadable characters, skipped")
            bad.append(number)
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip().lower()
            seen_playlist = seen_playlist or section == "playlist"
            continue
        if not seen_playlist:
            raise _not_a_playlist(
                where, "no [playlist] section before the entries", number, byte=False
            )
        if section != "playlist":
            continue
        key, sep, value = line.partition("=")
        key, value = key.strip(), value.strip()
        match = _PLS_KEY.match(key)
        if not sep:
            playlist.warnings.append(f"line {number}: not a key=value line, skipped")
            bad.append(number)
        elif match:
            kind, index = match.group(1).lower(), int(match.group(2))
            if kind == "file":
                files[index] = value
            elif kind == "title":
                titles[index] = value
            else:
                try:
                    seconds = float(value)
                    lengths[index] = seconds if seconds >= 0 else None
                except ValueError:
                    playlist.warnings.append(f"line {number}: bad length {value!r} ignored")
        elif key.lower() == "numberofentries":
            declared = int(value) if value.isdigit() else None
        elif key.lower() not in ("version", "x-gspot1-version"):
            playlist.warnings.append(f"line {number}: unknown key {key!r} ignored")
    if not seen_playlist:
        raise _not_a_playlist(where, "no [playlist] section", 1, byte=False)
    for index in sorted(files):
        location, url = resolve_location(files[index], base_dir, flavour)
        artist, title = _split_display(titles.get(index, ""), url)
        playlist.entries.append(PlaylistEntry(location, title, lengths.get(index), url, artist))
    for index in sorted(set(titles) - set(files)):
        playlist.warnings.append(f"entry {index} has a title but no File{index}, skipped")
    if declared is not None and declared != len(files):
        playlist.warnings.append(
            f"NumberOfEntries says {declared}, the file holds {len(files)} entries"
        )
    _fail_if_all_bad(playlist, bad, where)
    return playlist


class _Forbidden(Exception):
    """Raised from inside expat when the XML declares a DOCTYPE or entities."""


def _parse_xml(raw: bytes, where: str) -> tuple[ET.Element, dict[int, int]]:
    """Parse XML with expat, refusing DTDs (entity bombs, external entities).

    Returns the root and a map from ``id(element)`` to its line number.
    """
    import xml.etree.ElementTree as ET
    from xml.parsers import expat

    parser = expat.ParserCreate(namespace_separator="}")
    builder = ET.TreeBuilder()
    lines: dict[int, int] = {}

    def tag(name: str) -> str:
        return "{" + name if "}" in name else name

    def start(name: str, attrs: dict[str, str]) -> None:
        element = builder.start(tag(name), {tag(k): v for k, v in attrs.items()})
        lines[id(element)] = parser.CurrentLineNumber

    def forbid(*_args: object) -> None:
        raise _Forbidden

    parser.StartElementHandler = start
    parser.EndElementHandler = lambda name: builder.end(tag(name))
    parser.CharacterDataHandler = builder.data
    parser.StartDoctypeDeclHandler = forbid
    parser.EntityDeclHandler = forbid
    parser.ExternalEntityRefHandler = forbid
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        parser.Parse(raw, True)
        return builder.close(), lines
    except _Forbidden:
        raise _not_a_playlist(
            where, "XML with a DOCTYPE or entities is refused", parser.CurrentLineNumber, byte=False
        ) from None
    except expat.ExpatError as exc:
        raise _not_a_playlist(
            where, f"broken XML ({expat.errors.messages[exc.code]})", exc.lineno, byte=False
        ) from None
    except AssertionError:  # TreeBuilder on an unbalanced document
        raise _not_a_playlist(where, "broken XML") from None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child_text(element: ET.Element, name: str) -> str:
    for child in element:
        if _local(child.tag) == name:
            return (child.text or "").strip()
    return ""


def _parse_xspf(
    raw: bytes, base_dir: str | os.PathLike[str], where: str, flavour: Flavour | None = None
) -> Playlist:
    root, lines = _parse_xml(raw, where)
    if _local(root.tag) != "playlist":
        raise _not_a_playlist(where, f"XML root is <{_local(root.tag)}>, not an XSPF <playlist>")
    playlist = Playlist(name=_child_text(root, "title"))
    track_lists = [child for child in root if _local(child.tag) == "trackList"]
    if not track_lists:
        playlist.warnings.append("no <trackList>: the playlist is empty")
        return playlist
    for track in track_lists[0]:
        if _local(track.tag) != "track":
            continue
        line = lines.get(id(track), 0)
        raw_location = _child_text(track, "location")
        if not raw_location:
            playlist.warnings.append(f"line {line}: <track> without a <location>, skipped")
            continue
        if is_url(raw_location) or raw_location.lower().startswith("file:"):
            location, url = resolve_location(raw_location, base_dir, flavour)
        else:
            location, url = resolve_location(unquote(raw_location), base_dir, flavour)
        entry = PlaylistEntry(
            location,
            _child_text(track, "title"),
            None,
            url,
            _child_text(track, "creator"),
            _child_text(track, "album"),
        )
        duration = _child_text(track, "duration")
        if duration:
            try:
                entry.duration = int(duration) / 1000
            except ValueError:
                playlist.warnings.append(f"line {line}: bad <duration> {duration!r} ignored")
        playlist.entries.append(entry)
    return playlist


# ---- writing ---------------------------------------------------------------------------
def _seconds(value: float) -> str:
    """Whole seconds as an integer, otherwise up to milliseconds."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return text or "0"


def write_playlist(
    path: str | os.PathLike[str],
    entries: Iterable[PlaylistEntry],
    fmt: str | None = None,
    relative_to: str | os.PathLike[str] | None = None,
    *,
    name: str = "",
    relative: bool = True,
) -> Path:
    """Write ``entries`` atomically; return the path written.

    Entries under ``relative_to`` (default: the playlist's folder) are written
    relative to the playlist's folder, others absolute; URLs as they are.
    ``relative=False`` writes every path absolute.
    """
    target = Path(os.path.abspath(path))
    fmt = (fmt or playlist_format(target) or "").lower()
    if fmt not in FORMATS:
        raise PlaylistError(
            f"Cannot tell the playlist format of {target.name}",
            f"Use one of the extensions {', '.join('.' + f for f in FORMATS)} or pass a format.",
        )
    base = str(target.parent)
    root = None
    if relative:
        root = os.path.normpath(os.path.abspath(relative_to if relative_to is not None else base))
    items = list(entries)
    if fmt == "xspf":
        data = _xspf_bytes(items, base, root, name)
    elif fmt == "pls":
        data = _pls_text(items, base, root).encode("utf-8")
    else:
        data = _m3u_text(items, base, root, name).encode("utf-8")
    _atomic_write(target, data)
    return target


def _m3u_text(entries: list[PlaylistEntry], base: str, root: str | None, name: str) -> str:
    lines = ["#EXTM3U"]
    if name:
        lines.append(f"#PLAYLIST:{_one_line(name)}")
    for entry in entries:
        if entry.display_title or entry.duration is not None:
            duration = "-1" if entry.duration is None else _seconds(entry.duration)
            lines.append(f"#EXTINF:{duration},{_one_line(entry.display_title)}")
        location = _location_for_file(entry, base, root)
        # playlists write relative entries with "/" on every OS (see _location_for_file)
        lines.append("./" + location if location.startswith("#") else location)  # portable: M3U
    return "\n".join(lines) + "\n"


def _pls_text(entries: list[PlaylistEntry], base: str, root: str | None) -> str:
    lines = ["[playlist]"]
    for number, entry in enumerate(entries, start=1):
        lines.append(f"File{number}={_location_for_file(entry, base, root)}")
        if entry.display_title:
            lines.append(f"Title{number}={_one_line(entry.display_title)}")
        duration = "-1" if entry.duration is None else _seconds(entry.duration)
        lines.append(f"Length{number}={duration}")
    lines += [f"NumberOfEntries={len(entries)}", "Version=2"]
    return "\n".join(lines) + "\n"


def _xspf_bytes(entries: list[PlaylistEntry], base: str, root: str | None, name: str) -> bytes:
    import xml.etree.ElementTree as ET

    playlist = ET.Element("playlist", {"version": "1", "xmlns": XSPF_NS})
    if name:
        ET.SubElement(playlist, "title").text = name
    track_list = ET.SubElement(playlist, "trackList")
    for entry in entries:
        track = ET.SubElement(track_list, "track")
        ET.SubElement(track, "location").text = _location_for_file(entry, base, root, uri=True)
        for tag, value in (
            ("title", entry.title),
            ("creator", entry.artist),
            ("album", entry.album),
        ):
            if value:
                ET.SubElement(track, tag).text = value
        if entry.duration is not None:
            ET.SubElement(track, "duration").text = str(round(entry.duration * 1000))
    ET.indent(playlist)
    return ET.tostring(playlist, encoding="UTF-8", xml_declaration=True) + b"\n"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _atomic_write(target: Path, data: bytes) -> None:
    """Write to a temporary file beside ``target``, then rename over it."""
    temp = ""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, target)
        temp = ""
    except OSError as exc:
        raise PlaylistError(
            f"Cannot write playlist {target.name}", f"{target}: {exc.strerror or exc}"
        ) from exc
    finally:
        if temp:
            with suppress(OSError):
                os.unlink(temp)
