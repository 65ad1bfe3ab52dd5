"""CUE sheets: one audio image split into tracks by a small text file.

A rip of a whole CD is often one FLAC/APE/WAV file plus a ``.cue`` sheet that
says where each track starts. :func:`parse_cue` reads the sheet into plain
dataclasses, :func:`referenced_files` finds the audio files it names on disk
(sheets often name ``x.wav`` when the rip is ``x.flac``), and
:func:`cue_tracks` turns the scanner's :class:`TrackInfo` of the image into one
:class:`TrackInfo` per sheet track, so the library lists the songs, not the image.

Sheets come from every corner of the world and decade: many are not UTF-8.
:func:`decode_text` (shared with the playlist and lyrics readers) tries UTF-8
first and then picks the most plausible legacy encoding (GBK, Big5, Shift-JIS,
CP949, CP1252), because CJK titles in legacy encodings are common.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from player.errors import PlaylistError
from player.library.track import TrackInfo

#: CD frames per second: INDEX times are mm:ss:ff with ff in 0..74.
FRAMES_PER_SECOND = 75
#: Sheets larger than this are not sheets.
MAX_CUE_BYTES = 1 << 20
#: Extensions tried when a FILE entry names a file that is not there.
AUDIO_SUFFIXES = (
    ".flac", ".ape", ".wv", ".wav", ".tta", ".tak", ".aiff", ".aif", ".m4a",
    ".alac", ".mp3", ".ogg", ".opus", ".dsf", ".dff", ".wma",
)  # fmt: skip
_FILE_TYPES = {"WAVE", "MP3", "AIFF", "BINARY", "MOTOROLA", "FLAC", "APE", "WV", "OGG"}
_TIME = re.compile(r"^(\d{1,4}):(\d{1,2}):(\d{1,2})$")
_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")
_YEAR = re.compile(r"\b(\d{4})\b")

#: Legacy encodings tried, in tie-break order, when a text is not UTF-8.
LEGACY_ENCODINGS = ("gb18030", "cp1252", "big5", "shift_jis", "cp949")
_COMMON_PUNCT = set("’‘“”–—…«»©®°€")
#: The most frequent Korean syllables: what tells Korean from Chinese read as CP949.
_COMMON_HANGUL = set(
    "이다는의에고하을가지사기리나로어서한도아자대일수보그게인해시정전내우들만라부요있것주상제를"
    "면장으비안원러니오소날좋은네너마음말세와과랑없그래께까해요지금거야줘던워"
)


class CueError(PlaylistError):
    """A CUE sheet is malformed or unreadable; ``line`` is 1-based (0 = whole file)."""

    def __init__(self, message: str, *, source: str = "", line: int = 0, text: str = "") -> None:
        where = Path(source).name if source else "CUE sheet"
        at = f", line {line}" if line else ""
        short = f"{where}{at}: {message}"
        detail = f"The CUE sheet {source or '(text)'} cannot be used{at}: {message}."
        if text:
            detail += f"\n  {text.strip()}"
        super().__init__(short, detail)
        self.line = line
        self.message = message


# ---- text decoding ------------------------------------------------------------------
def decode_text(data: bytes, encodings: tuple[str, ...] = LEGACY_ENCODINGS) -> tuple[str, str]:
    """Decode a small text file of unknown encoding; return ``(text, encoding)``.

    BOMs (UTF-8, UTF-16) win; then strict UTF-8; then the legacy encoding whose
    result looks most like real text (see :func:`_plausibility`); latin-1 last,
    which never fails, so the caller always gets text.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best: tuple[float, str, str] | None = None
    for rank, encoding in enumerate(encodings):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        score = _plausibility(text, encoding) - rank * 1e-6
        if best is None or score > best[0]:
            best = (score, text, encoding)
    if best is not None:
        return best[1], best[2]
    return data.decode("latin-1"), "latin-1"


def _plausibility(text: str, encoding: str) -> float:
    """How much ``text`` looks like real writing when read as ``encoding``.

    Each non-ASCII character scores by where it sits in the encoding's own code
    space: frequent hanzi/kana/hangul rows score high, rare rows and half-width
    katakana low, control and private-use characters very low. For CP1252 an
    accented letter scores high inside a Latin word and low in long runs (which
    is what CJK bytes look like when read as CP1252).
    """
    score = 0.0
    if encoding == "cp1252":
        for run, before, after in _non_ascii_runs(text):
            for ch in run:
                cat = unicodedata.category(ch)
                if cat[0] == "C":
                    score -= 10
                elif len(run) >= 3:
                    score -= 1
                elif cat[0] != "L":
                    score += 0.5 if ch in _COMMON_PUNCT and len(run) == 1 else -1
                elif len(run) == 2:
                    score += 0.5
                else:
                    score += 2 if (before.isalpha() or after.isalpha()) else 1
        return score
    for ch in text:
        if ord(ch) < 0x80:
            continue
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Co", "Cn", "Cs"):
            score -= 10
            continue
        raw = ch.encode(encoding)
        lead, trail = raw[0], raw[-1]
        if encoding == "gb18030":
            if len(raw) != 2:
                score -= 2
            elif 0xB0 <= lead <= 0xD7 and trail >= 0xA1:
                score += 2  # GB2312 level-1 hanzi: the common ones
            elif 0xA1 <= lead <= 0xA3:
                score += 1  # full-width punctuation and symbols
            elif 0xD8 <= lead <= 0xF7 and trail >= 0xA1:
                score += 0.5
            elif lead not in (0xA4, 0xA5):  # kana rows: neutral
                score -= 1
        elif encoding == "big5":
            if 0xA4 <= lead <= 0xC6:
                score += 2  # frequently used characters
            elif 0xA1 <= lead <= 0xA3:
                score += 1
            else:
                score += 0.25
        elif encoding == "shift_jis":
            if len(raw) == 1:
                score -= 2  # half-width katakana: rare in real text
            elif lead in (0x82, 0x83):
                score += 2  # hiragana, katakana
            elif lead == 0x81 or 0x88 <= lead <= 0x98:
                score += 1.5  # symbols, level-1 kanji
            else:
                score += 0.25
        elif encoding == "cp949":
            if 0xB0 <= lead <= 0xC8 and trail >= 0xA1:
                score += 3 if ch in _COMMON_HANGUL else 2  # KS X 1001 hangul
            elif "\uac00" <= ch <= "\ud7a3":
                score += 1  # the rarer UHC syllables
            elif 0xA1 <= lead <= 0xAC:
                score += 0.5
        else:
            score += 0.5
    return score


def _non_ascii_runs(text: str) -> list[tuple[str, str, str]]:
    """Runs of consecutive non-ASCII characters with the characters around them."""
    runs = []
    for match in re.finditer(r"[^\x00-\x7f]+", text):
        start, end = match.span()
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        runs.append((match.group(), before, after))
    return runs


# ---- the sheet ------------------------------------------------------------------
def frames_to_ms(frames: int) -> int:
    """CD frames (1/75 s) to milliseconds, rounded half up, in exact integer arithmetic."""
    return (frames * 1000 * 2 + FRAMES_PER_SECOND) // (2 * FRAMES_PER_SECOND)


@dataclass
class CueIndex:
    """One ``INDEX nn mm:ss:ff``: a position in frames within a FILE."""

    number: int
    frames: int
    file_index: int

    @property
    def ms(self) -> int:
        return frames_to_ms(self.frames)


@dataclass
class CueFile:
    """One ``FILE "name" TYPE`` entry."""

    name: str
    type: str = "WAVE"
    line: int = 0


@dataclass
class CueTrack:
    """One ``TRACK nn TYPE`` with its indexes and CD-TEXT."""

    number: int
    type: str = "AUDIO"
    title: str = ""
    performer: str = ""
    songwriter: str = ""
    isrc: str = ""
    flags: list[str] = field(default_factory=list)
    pregap_frames: int = 0
    postgap_frames: int = 0
    rem: dict[str, str] = field(default_factory=dict)
    indexes: dict[int, CueIndex] = field(default_factory=dict)
    line: int = 0

    @property
    def file_index(self) -> int:
        """The FILE that holds INDEX 01 (where the track itself begins)."""
        start = self.indexes.get(1)
        return start.file_index if start else -1

    @property
    def start_ms(self) -> int:
        return self.indexes[1].ms


@dataclass
class CueSheet:
    """A parsed sheet. ``rem`` keys are upper case (``GENRE``, ``DATE``, ...)."""

    title: str = ""
    performer: str = ""
    songwriter: str = ""
    catalog: str = ""
    cdtextfile: str = ""
    rem: dict[str, str] = field(default_factory=dict)
    files: list[CueFile] = field(default_factory=list)
    tracks: list[CueTrack] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    encoding: str = "utf-8"
    path: str = ""

    @property
    def genre(self) -> str:
        return self.rem.get("GENRE", "")

    @property
    def date(self) -> str:
        return self.rem.get("DATE", "")

    def tracks_of(self, file_index: int) -> list[CueTrack]:
        """The tracks that begin in FILE number ``file_index``, in sheet order."""
        return [t for t in self.tracks if t.file_index == file_index]


def parse_cue(source: str | os.PathLike[str] | bytes) -> CueSheet:
    """Parse a CUE sheet from a path, from raw bytes, or from text.

    A ``str`` holding a line break is taken as the sheet's text, any other
    ``str`` or path-like as a file name. Raises :class:`CueError` (a
    :class:`PlaylistError`) naming the line for anything that cannot be
    trusted: a track without ``INDEX 01``, a bad time, indexes going backwards.
    Unknown commands only add to ``warnings``.
    """
    path = ""
    if isinstance(source, bytes):
        text, encoding = _decode_sheet(source, "")
    elif isinstance(source, str) and ("\n" in source or "\r" in source):
        text, encoding = source, "str"
    else:
        path = os.fspath(source)
        try:
            with open(path, "rb") as handle:
                data = handle.read(MAX_CUE_BYTES + 1)
        except OSError as exc:
            raise CueError(f"cannot be read ({exc.strerror or exc})", source=path) from exc
        if len(data) > MAX_CUE_BYTES:
            raise CueError("too large to be a CUE sheet", source=path)
        text, encoding = _decode_sheet(data, path)
    sheet = _Parser(path).parse(text.lstrip("\ufeff"))
    sheet.encoding = encoding
    sheet.path = path
    return sheet


def _decode_sheet(data: bytes, path: str) -> tuple[str, str]:
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CueError("binary data, not a CUE sheet", source=path)
    return decode_text(data)


class _Parser:
    """Line-by-line state machine over a sheet's text."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.sheet = CueSheet()
        self.track: CueTrack | None = None

    def error(self, message: str, line: int, text: str = "") -> CueError:
        return CueError(message, source=self.source, line=line, text=text)

    def parse(self, text: str) -> CueSheet:
        known = 0
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw.strip()
            if not line:
                continue
            if any(unicodedata.category(ch) == "Cc" and ch != "\t" for ch in line):
                raise self.error("unreadable characters (not a CUE sheet?)", number)
            parts = line.split(None, 1)
            command, rest = parts[0].upper(), parts[1].strip() if len(parts) > 1 else ""
            handler = getattr(self, f"_cmd_{command.lower()}", None)
            if handler is None:
                self.sheet.warnings.append(f"line {number}: unknown command {parts[0]!r} ignored")
                continue
            known += 1
            handler(rest, number, raw)
        if not self.sheet.tracks:
            raise self.error("no TRACK found" if known else "not a CUE sheet", 0)
        self._check()
        return self.sheet

    def _check(self) -> None:
        last: dict[int, int] = {}
        for track in self.sheet.tracks:
            start = track.indexes.get(1)
            if start is None:
                raise self.error(f"track {track.number:02d} has no INDEX 01", track.line)
            previous = last.get(start.file_index)
            if previous is not None and start.frames <= previous:
                raise self.error(
                    f"track {track.number:02d} starts before the track that precedes it",
                    track.line,
                )
            last[start.file_index] = start.frames

    # -- commands ------------------------------------------------------------
    def _text(self, attribute: str, rest: str) -> None:
        target = self.track if self.track is not None else self.sheet
        setattr(target, attribute, _unquote(rest))

    def _cmd_title(self, rest: str, number: int, raw: str) -> None:
        self._text("title", rest)

    def _cmd_performer(self, rest: str, number: int, raw: str) -> None:
        self._text("performer", rest)

    def _cmd_songwriter(self, rest: str, number: int, raw: str) -> None:
        self._text("songwriter", rest)

    def _cmd_catalog(self, rest: str, number: int, raw: str) -> None:
        self.sheet.catalog = _unquote(rest)

    def _cmd_cdtextfile(self, rest: str, number: int, raw: str) -> None:
        self.sheet.cdtextfile = _unquote(rest)

    def _cmd_rem(self, rest: str, number: int, raw: str) -> None:
        parts = rest.split(None, 1)
        if not parts:
            return
        key, value = parts[0].upper(), _unquote(parts[1]) if len(parts) > 1 else ""
        target = self.track.rem if self.track is not None else self.sheet.rem
        target[key] = value

    def _cmd_file(self, rest: str, number: int, raw: str) -> None:
        name, kind = _split_file(rest)
        if not name:
            raise self.error("FILE without a file name", number, raw)
        self.sheet.files.append(CueFile(name, kind, number))

    def _cmd_track(self, rest: str, number: int, raw: str) -> None:
        if not self.sheet.files:
            raise self.error("TRACK before any FILE", number, raw)
        parts = rest.split()
        if not parts or not parts[0].isdigit() or not 1 <= int(parts[0]) <= 99:
            raise self.error("TRACK needs a number from 01 to 99", number, raw)
        track_number = int(parts[0])
        if any(t.number == track_number for t in self.sheet.tracks):
            raise self.error(f"track {track_number:02d} appears twice", number, raw)
        kind = parts[1].upper() if len(parts) > 1 else "AUDIO"
        self.track = CueTrack(track_number, kind, line=number)
        self.sheet.tracks.append(self.track)

    def _cmd_index(self, rest: str, number: int, raw: str) -> None:
        if self.track is None:
            raise self.error("INDEX before any TRACK", number, raw)
        parts = rest.split()
        if len(parts) != 2 or not parts[0].isdigit():
            raise self.error("INDEX needs a number and a time (INDEX 01 mm:ss:ff)", number, raw)
        index = CueIndex(
            int(parts[0]), self._time(parts[1], number, raw), len(self.sheet.files) - 1
        )
        self.track.indexes[index.number] = index

    def _cmd_pregap(self, rest: str, number: int, raw: str) -> None:
        if self.track is not None:
            self.track.pregap_frames = self._time(rest, number, raw)

    def _cmd_postgap(self, rest: str, number: int, raw: str) -> None:
        if self.track is not None:
            self.track.postgap_frames = self._time(rest, number, raw)

    def _cmd_isrc(self, rest: str, number: int, raw: str) -> None:
        if self.track is not None:
            self.track.isrc = _unquote(rest)

    def _cmd_flags(self, rest: str, number: int, raw: str) -> None:
        if self.track is not None:
            self.track.flags = rest.upper().split()

    def _time(self, text: str, number: int, raw: str) -> int:
        match = _TIME.match(text.strip())
        if not match:
            raise self.error(f"bad time {text.strip()!r} (expected mm:ss:ff)", number, raw)
        minutes, seconds, frames = (int(g) for g in match.groups())
        if seconds >= 60 or frames >= FRAMES_PER_SECOND:
            raise self.error(f"bad time {text.strip()!r} (seconds < 60, frames < 75)", number, raw)
        return (minutes * 60 + seconds) * FRAMES_PER_SECOND + frames


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return text[1:-1]
    return text.strip('"')


def _split_file(rest: str) -> tuple[str, str]:
    """``"a b.flac" WAVE`` or ``a.flac WAVE`` -> (name, type)."""
    rest = rest.strip()
    if rest.startswith('"'):
        end = rest.rfind('"')
        if end > 0:
            return rest[1:end], rest[end + 1 :].strip().upper()
        return rest[1:], ""
    parts = rest.rsplit(None, 1)
    if len(parts) == 2 and parts[1].upper() in _FILE_TYPES:
        return parts[0], parts[1].upper()
    return rest, ""


# ---- files on disk ------------------------------------------------------------------
def _key(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold()


def sheet_relative_name(name: str) -> str:
    """A FILE line's name as a ``/``-separated path relative to the sheet.

    Sheets travel between Windows and other systems, so ``\\`` and ``/`` both
    separate (``Music\\Album/01.flac``). An absolute name (a drive letter, a
    UNC share, ``\\\\?\\``, a leading separator) is a path on the ripping
    machine: only its last part is kept.
    """
    text = name.replace("\\", "/")
    if re.match(r"^[A-Za-z]:", text):
        text = "/" + text[2:]  # portable: a name from the sheet, not a path here
    if text.startswith("/"):
        return text.rstrip("/").rsplit("/", 1)[-1]
    return text


def referenced_files(sheet: CueSheet, cue_path: str | os.PathLike[str]) -> list[Path]:
    """One path per FILE entry, in sheet order, resolved next to the sheet.

    Tries the name as written, then a case-insensitive match, then the same stem
    with any audio extension, then (for a one-FILE sheet) the sheet's own stem.
    A file found nowhere keeps its nominal path, so the list stays aligned with
    ``sheet.files`` and the caller can report it as missing.
    """
    cue = Path(cue_path)
    folder = cue.parent
    listings: dict[Path, list[str]] = {}
    found = []
    for cue_file in sheet.files:
        nominal = folder / sheet_relative_name(cue_file.name)
        target = _find_file(nominal, listings)
        if target is None and len(sheet.files) == 1:
            target = _find_file(nominal.with_name(cue.stem + nominal.suffix), listings)
        found.append(target or nominal)
    return found


def _find_file(nominal: Path, listings: dict[Path, list[str]]) -> Path | None:
    if nominal.is_file():
        return nominal
    parent = nominal.parent
    if parent not in listings:
        try:
            listings[parent] = sorted(os.listdir(parent))
        except OSError:
            listings[parent] = []
    names = listings[parent]
    wanted = _key(nominal.name)
    for name in names:
        if _key(name) == wanted:
            return parent / name
    stem = _key(nominal.stem)
    matches = [
        name
        for name in names
        if _key(Path(name).stem) == stem and Path(name).suffix.lower() in AUDIO_SUFFIXES
    ]
    matches.sort(key=lambda n: AUDIO_SUFFIXES.index(Path(n).suffix.lower()))
    return parent / matches[0] if matches else None


# ---- tracks for the library -------------------------------------------------------------
def cue_tracks(cue_path: str | os.PathLike[str], audio: TrackInfo) -> list[TrackInfo]:
    """One :class:`TrackInfo` per sheet track that lies in ``audio``'s file.

    ``audio`` is what the tag reader made of the whole image: stream properties,
    size and mtime are copied; album-level tags come from the sheet when it has
    them and from the image otherwise. Each track runs from its INDEX 01 to the
    next track's INDEX 01 in the same file; the last one to the end of the file.
    """
    sheet = parse_cue(cue_path)
    file_index = _file_index_for(sheet, cue_path, audio.path)
    tracks = [t for t in sheet.tracks_of(file_index) if t.type == "AUDIO"]
    if not tracks:
        raise CueError("no audio track for this file", source=os.fspath(cue_path))
    file_end = round(audio.duration * 1000) if audio.duration > 0 else None
    total = sum(1 for t in sheet.tracks if t.type == "AUDIO")
    date = sheet.date or audio.date
    year_match = _YEAR.search(date)
    out = []
    for position, track in enumerate(tracks):
        start = track.start_ms
        end = tracks[position + 1].start_ms if position + 1 < len(tracks) else file_end
        if file_end is not None and start >= file_end:
            raise CueError(
                f"track {track.number:02d} starts after the end of the audio file",
                source=os.fspath(cue_path),
                line=track.line,
            )
        performer = track.performer or sheet.performer
        info = TrackInfo(
            path=audio.path,
            title=track.title or f"Track {track.number:02d}",
            artists=[performer] if performer else list(audio.album_artists or audio.artists),
            album=sheet.title or audio.album,
            album_artists=[sheet.performer] if sheet.performer else list(audio.album_artists),
            # the audio file's sort tags hold where its own names are taken
            artist_sort=""
            if performer
            else (audio.album_artist_sort if audio.album_artists else audio.artist_sort),
            album_artist_sort="" if sheet.performer else audio.album_artist_sort,
            album_sort="" if sheet.title else audio.album_sort,
            track_number=track.number,
            track_total=total,
            disc_number=_int(sheet.rem.get("DISCNUMBER")) or audio.disc_number,
            disc_total=_int(sheet.rem.get("TOTALDISCS")) or audio.disc_total,
            date=date,
            year=int(year_match.group(1)) if year_match else audio.year,
            genres=[sheet.genre] if sheet.genre else list(audio.genres),
            composer=track.songwriter or sheet.songwriter,
            comment=sheet.rem.get("COMMENT", ""),
            mb_release_id=audio.mb_release_id,
            mb_release_group_id=audio.mb_release_group_id,
            isrc=track.isrc,
            rg_track_gain=_float(track.rem.get("REPLAYGAIN_TRACK_GAIN")),
            rg_track_peak=_float(track.rem.get("REPLAYGAIN_TRACK_PEAK")),
            rg_album_gain=_first(
                _float(sheet.rem.get("REPLAYGAIN_ALBUM_GAIN")), audio.rg_album_gain
            ),
            rg_album_peak=_first(
                _float(sheet.rem.get("REPLAYGAIN_ALBUM_PEAK")), audio.rg_album_peak
            ),
            has_cover=audio.has_cover,
            format=audio.format,
            codec=audio.codec,
            duration=((end - start) / 1000) if end is not None else 0.0,
            bitrate=audio.bitrate,
            sample_rate=audio.sample_rate,
            bit_depth=audio.bit_depth,
            channels=audio.channels,
            lossless=audio.lossless,
            size=audio.size,
            mtime_ns=audio.mtime_ns,
            subtrack=track.number,
            start_ms=start,
            end_ms=end,
            cue_path=os.fspath(cue_path),
        )
        out.append(info)
    return out


def _file_index_for(sheet: CueSheet, cue_path: str | os.PathLike[str], audio_path: str) -> int:
    if len(sheet.files) == 1:
        return 0
    wanted = _key(os.path.normpath(os.path.abspath(audio_path)))
    paths = referenced_files(sheet, cue_path)
    for index, path in enumerate(paths):
        if _key(os.path.normpath(os.path.abspath(path))) == wanted:
            return index
    stem = _key(Path(audio_path).stem)
    for index, path in enumerate(paths):
        if _key(path.stem) == stem:
            return index
    raise CueError(
        f"the sheet does not reference {Path(audio_path).name}", source=os.fspath(cue_path)
    )


def _first(value: float | None, fallback: float | None) -> float | None:
    return fallback if value is None else value


def _float(text: str | None) -> float | None:
    match = _NUMBER.search(text or "")
    return float(match.group()) if match else None


def _int(text: str | None) -> int | None:
    match = _NUMBER.search(text or "")
    return int(float(match.group())) if match else None
