"""Lyrics: LRC parsing and finding the lyrics of a track.

LRC is the de-facto format for synchronised lyrics: ``[mm:ss.xx]text`` lines,
several stamps per line for repeated choruses, ``[ar:]``/``[ti:]`` metadata,
an ``[offset:]`` correction and, in the "enhanced" (A2) flavour, per-word
``<mm:ss.xx>`` stamps for karaoke highlighting. Text without any stamp is kept
as unsynced lyrics. A bilingual file repeats each stamp: the second line at
the same time is the first one's translation. The player asks :meth:`Lyrics.line_at` many times a second,
so it is a binary search over a precomputed list of times.

:func:`load_lyrics` prefers a ``.lrc`` file next to the audio (it is what people
edit) over lyrics embedded in the tags.
"""

from __future__ import annotations

import logging
import os
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path

from player.library.cue import decode_text

log = logging.getLogger(__name__)

#: Sidecar files larger than this are not lyrics.
MAX_LRC_BYTES = 2 << 20

_STAMP = re.compile(r"\[(\d{1,3}):(\d{1,2})(?:[.:](\d{1,3}))?\]")
_BRACKET = re.compile(r"\s*\[[^\]]*\]")
_TAG = re.compile(r"^\[([A-Za-z#][A-Za-z0-9_#-]*)\s*:(.*)\]$")
_WORD = re.compile(r"<(\d{1,3}):(\d{1,2})(?:[.:](\d{1,3}))?>")
_OFFSET = re.compile(r"^\s*([-+]?\d+)\s*$")
#: ``[key:value]`` lines that are metadata, not text (``[Chorus: both]`` is text).
METADATA_TAGS = frozenset(
    {"ar", "ti", "al", "au", "by", "length", "offset", "re", "ve", "#", "tool", "la", "lang"}
)


@dataclass
class LyricWord:
    """One word (or syllable) of an enhanced line, from ``time_ms`` on."""

    time_ms: int
    text: str


@dataclass
class LyricLine:
    """One line; ``time_ms`` is None for unsynced lyrics."""

    time_ms: int | None
    text: str
    words: list[LyricWord] = field(default_factory=list)
    #: a bilingual file's second line at the same time stamp (the translation)
    translation: str = ""


@dataclass
class Lyrics:
    """Parsed lyrics. Synced lines are sorted by time, the offset already applied.

    ``offset_ms`` is the file's ``[offset:]`` (positive = lyrics earlier), kept
    for display; ``metadata`` holds the other tags by lower-case key.
    """

    lines: list[LyricLine] = field(default_factory=list)
    synced: bool = False
    metadata: dict[str, str] = field(default_factory=dict)
    offset_ms: int = 0
    warnings: list[str] = field(default_factory=list)
    _times: list[int] = field(init=False, repr=False, compare=False)
    _word_times: list[list[int]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.synced:
            self.lines.sort(key=lambda line: line.time_ms or 0)
            self._times = [line.time_ms or 0 for line in self.lines]
        else:
            self._times = []
        self._word_times = [[w.time_ms for w in line.words] for line in self.lines]

    @property
    def has_translation(self) -> bool:
        """True when some line carries a translation (a bilingual LRC)."""
        return any(line.translation for line in self.lines)

    @property
    def text(self) -> str:
        """The lyrics as plain text, one line per line."""
        return "\n".join(line.text for line in self.lines)

    def line_at(self, position_ms: int) -> int:
        """Index of the line being sung at ``position_ms``; -1 before the first (or unsynced)."""
        return bisect_right(self._times, position_ms) - 1

    def word_at(self, position_ms: int) -> tuple[int, int]:
        """``(line index, word index)`` at ``position_ms``; word is -1 without word timing."""
        index = self.line_at(position_ms)
        if index < 0:
            return -1, -1
        return index, bisect_right(self._word_times[index], position_ms) - 1


def parse_lrc(text: str) -> Lyrics:
    """Parse LRC (or plain) text. Never raises: bad lines become ``warnings``."""
    metadata: dict[str, str] = {}
    # (time, how many stamps the line had when more than one, text, words)
    timed: list[tuple[int, int, str, list[LyricWord]]] = []
    plain: list[str] = []
    warnings: list[str] = []
    offset = 0
    for number, raw in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        line = raw.strip()
        if not line:
            plain.append("")
            continue
        tag = _TAG.match(line)
        if tag and tag.group(1).lower() in METADATA_TAGS:
            key, value = tag.group(1).lower(), tag.group(2).strip()
            if key == "offset":
                match = _OFFSET.match(value)
                if match:
                    offset = int(match.group(1))
                else:
                    warnings.append(f"line {number}: bad offset {value!r} ignored")
            metadata[key] = value
            continue
        stamps, end = _stamps(line)
        if stamps is None:
            warnings.append(f"line {number}: malformed time stamp ignored: {line[:40]!r}")
            continue
        if not stamps:
            plain.append(line)
            continue
        body = line[end:]
        words = _words(body, stamps[0])
        content = "".join(w.text for w in words).strip() if words else body.strip()
        for stamp in stamps:
            shifted = [LyricWord(w.time_ms + stamp - stamps[0], w.text) for w in words]
            timed.append((stamp, len(stamps) if len(stamps) > 1 else 0, content, shifted))
    if timed:
        lines: list[LyricLine] = []
        first_at: dict[int, LyricLine] = {}
        for stamp, shared, content, words in timed:
            original = first_at.get(stamp)
            if original is not None and not shared:
                # bilingual LRC: a second line at the same time is the translation
                if content and content != original.text:
                    sep = " / " if original.translation else ""
                    original.translation += sep + content
                elif content and not original.text:
                    original.text = content
                continue
            words = [LyricWord(max(0, w.time_ms - offset), w.text) for w in words]
            line = LyricLine(max(0, stamp - offset), content, words)
            first_at.setdefault(stamp, line)
            lines.append(line)
        skipped = sum(1 for p in plain if p)
        if skipped:
            warnings.append(f"{skipped} line(s) without a time stamp ignored")
        return Lyrics(lines, True, metadata, offset, warnings)
    while plain and not plain[-1]:
        plain.pop()
    while plain and not plain[0]:
        plain.pop(0)
    return Lyrics([LyricLine(None, p) for p in plain], False, metadata, offset, warnings)


def _ms(minutes: str, seconds: str, fraction: str | None) -> int:
    """mm, ss and an optional fraction (1 digit tenths, 2 hundredths, 3 thousandths)."""
    frac = int(fraction.ljust(3, "0")) if fraction else 0
    return (int(minutes) * 60 + int(seconds)) * 1000 + frac


def _stamps(line: str) -> tuple[list[int] | None, int]:
    """The ``[mm:ss.xx]`` stamps leading a line and where its text starts.

    None when a leading bracket looks like a stamp (starts with a digit) but is
    not one; an empty list when the line has no stamp (``[Chorus]`` is text).
    """
    out: list[int] = []
    position = 0
    for chunk in _BRACKET.finditer(line):
        if chunk.start() != position:
            break
        match = _STAMP.fullmatch(chunk.group().strip())
        if match is None or int(match.group(2)) >= 60:
            if re.match(r"\s*\[\s*-?\d", chunk.group()):
                return None, 0
            break
        out.append(_ms(*match.groups()))
        position = chunk.end()
    return out, position


def _words(body: str, line_ms: int) -> list[LyricWord]:
    """Enhanced-LRC words of a line body (empty when the line has no ``<mm:ss.xx>``).

    Text before the first word stamp is a word starting with the line itself.
    """
    matches = list(_WORD.finditer(body))
    if not matches:
        return []
    words = []
    if body[: matches[0].start()].strip():
        words.append(LyricWord(line_ms, body[: matches[0].start()].lstrip()))
    for position, match in enumerate(matches):
        end = matches[position + 1].start() if position + 1 < len(matches) else len(body)
        text = body[match.end() : end]
        if text.strip():
            words.append(LyricWord(_ms(*match.groups()), text))
    if words:
        words[-1].text = words[-1].text.rstrip()
    return words


def sidecar_path(audio_path: str | os.PathLike[str]) -> Path | None:
    """The ``.lrc`` next to an audio file (same stem, any case), if there is one."""
    audio = Path(audio_path)
    exact = audio.with_suffix(".lrc")
    if exact.is_file():
        return exact
    wanted = (audio.stem + ".lrc").casefold()
    try:
        names = sorted(os.listdir(audio.parent))
    except OSError:
        return None
    for name in names:
        if name.casefold() == wanted and (audio.parent / name).is_file():
            return audio.parent / name
    return None


def load_lyrics(audio_path: str | os.PathLike[str], embedded: str = "") -> Lyrics | None:
    """The lyrics of a track: a sidecar ``.lrc`` first, then ``embedded`` text; else None.

    Either may be LRC or plain text. A sidecar that cannot be read or holds
    nothing is logged and skipped, so the embedded lyrics still show.
    """
    path = sidecar_path(audio_path)
    if path is not None:
        try:
            with open(path, "rb") as handle:
                data = handle.read(MAX_LRC_BYTES + 1)
        except OSError as exc:
            log.warning("cannot read lyrics %s: %s", path, exc)
        else:
            utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))
            if len(data) > MAX_LRC_BYTES or (b"\x00" in data and not utf16):
                log.warning("ignoring %s: not a lyrics file", path)
            else:
                lyrics = parse_lrc(decode_text(data)[0])
                if lyrics.lines:
                    return lyrics
                log.info("lyrics file %s holds no lines", path)
    if embedded.strip():
        lyrics = parse_lrc(embedded)
        if lyrics.lines:
            return lyrics
    return None
