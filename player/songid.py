"""Song identity: the normalised artist + title + duration key (shared by library and server).

Two files of the same recording should meet on the same comment thread and be
recognised as one song by the recommender. Normalisation keeps the original
script (NFKC + casefold, no transliteration: Chinese stays Chinese), collapses
whitespace and drops "feat." credits and "remaster"/"live version" clutter.
"""

from __future__ import annotations

import re
import unicodedata

DURATION_BUCKET_S = 3

_FEAT = re.compile(r"\s*[\(\[]?\s*\b(?:feat\.?|ft\.?|featuring|with)\s+[^\)\]]*[\)\]]?\s*$", re.I)
_CLUTTER = re.compile(
    r"\s*[\(\[][^\)\]]*\b(?:remaster(?:ed)?|remix(?:ed)?\s+\d{4}|deluxe|bonus track|"
    r"mono|stereo|single version|album version|radio edit)\b[^\)\]]*[\)\]]",
    re.I,
)
_DASH_CLUTTER = re.compile(
    r"\s+-\s+(?:\d{4}\s+)?remaster(?:ed)?(?:\s+\d{4})?(?:\s+version)?\s*$", re.I
)
_SPACE = re.compile(r"\s+")
_FEAT_SPLIT = re.compile(r"\s+(?:feat\.?|ft\.?|featuring)\s+", re.I)
_PUNCT_EDGES = re.compile(r"^[\s\W_]+|[\s\W_]+$", re.UNICODE)


def normalize_text(text: str) -> str:
    """NFKC, case-folded, whitespace collapsed; script preserved."""
    if text.isascii():
        return " ".join(text.lower().split())
    text = unicodedata.normalize("NFKC", text).casefold()
    return _SPACE.sub(" ", text).strip()


def normalize_title(title: str) -> str:
    """A title without "(feat. X)", "(2011 Remaster)" or " - Remastered 2009"."""
    text = unicodedata.normalize("NFKC", title)
    text = _CLUTTER.sub("", text)
    text = _DASH_CLUTTER.sub("", text)
    text = _FEAT.sub("", text)
    return _PUNCT_EDGES.sub("", normalize_text(text)) or normalize_text(title)


def normalize_artist(artist: str) -> str:
    """The main artist: credits after "feat." are dropped."""
    text = unicodedata.normalize("NFKC", artist)
    text = _FEAT_SPLIT.split(text, maxsplit=1)[0]
    text = text.split(";")[0]
    return normalize_text(text)


def song_key(artist: str, title: str, duration_s: float) -> str:
    """``artist\\x1ftitle\\x1fbucket``, or ``""`` when artist or title is missing."""
    a, t = normalize_artist(artist), normalize_title(title)
    if not a or not t:
        return ""
    bucket = round(duration_s / DURATION_BUCKET_S) if duration_s else 0
    return f"{a}\x1f{t}\x1f{bucket}"
