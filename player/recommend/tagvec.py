"""Tag similarity: tracks as weighted, TF-IDF scaled token vectors.

Tokens are genre names and their words, the main artist, the album and the
composer, each field with its own weight (:class:`TagWeights`). Rare tokens
weigh more than common ones (IDF), so two "Gamelan" tracks are closer than two
"Rock" tracks. Rows are L2-normalised: the dot product of two rows is their
cosine similarity. Release years are compared separately (a distance, not a
token).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.preprocessing import normalize

from player.songid import normalize_artist, normalize_text

_SPLIT = re.compile(r"\s*[;,/|]\s*|\s+&\s+")


@dataclass(frozen=True)
class TagWeights:
    """How much each tag field counts inside the tag term (relative to each other)."""

    genre: float = 1.0
    artist: float = 0.9
    album: float = 0.6
    composer: float = 0.5
    year: float = 0.25  # share of the tag term given to release-year closeness
    year_scale: float = 6.0  # years apart at which closeness has fallen to 1/e


@dataclass
class TagFields:
    """The tag text of one track, as the store holds it."""

    genre: str = ""
    artist: str = ""
    album_artist: str = ""
    album: str = ""
    composer: str = ""
    year: int | None = None


def tokens(fields: TagFields, weights: TagWeights) -> dict[str, float]:
    """Weighted tokens of one track."""
    out: dict[str, float] = {}
    for genre in _SPLIT.split(fields.genre):
        genre = normalize_text(genre)
        if not genre:
            continue
        out["g:" + genre] = weights.genre
        words = genre.replace("-", " ").split()
        if len(words) > 1:
            for word in words:
                out.setdefault("gw:" + word, weights.genre * 0.5)
    artist = normalize_artist(fields.artist)
    if artist:
        out["a:" + artist] = weights.artist
    if fields.album:
        owner = normalize_artist(fields.album_artist or fields.artist)
        out[f"al:{owner}\x1f{normalize_text(fields.album)}"] = weights.album
    if fields.composer:
        out["c:" + normalize_text(fields.composer)] = weights.composer
    return out


def tag_matrix(
    rows: Sequence[TagFields], weights: TagWeights
) -> tuple[sparse.csr_matrix, list[str]]:
    """(n x vocabulary) L2-normalised TF-IDF matrix, and the vocabulary."""
    vocab: dict[str, int] = {}
    indptr = [0]
    indices: list[int] = []
    data: list[float] = []
    for fields in rows:
        for token, weight in tokens(fields, weights).items():
            indices.append(vocab.setdefault(token, len(vocab)))
            data.append(weight)
        indptr.append(len(indices))
    matrix = sparse.csr_matrix(
        (np.asarray(data, np.float32), np.asarray(indices, np.int32), np.asarray(indptr)),
        shape=(len(rows), max(1, len(vocab))),
    )
    if vocab:
        df = np.bincount(matrix.indices, minlength=len(vocab)).astype(np.float32)
        idf = (np.log((1 + len(rows)) / (1 + df)) + 1.0).astype(np.float32)
        matrix.data *= idf[matrix.indices]
    if len(rows):
        matrix = normalize(matrix, norm="l2", copy=False).astype(np.float32)
    names = [""] * len(vocab)
    for token, index in vocab.items():
        names[index] = token
    return matrix.tocsr(), names


def year_closeness(years: np.ndarray, year: float, scale: float) -> np.ndarray:
    """exp(-|years - year| / scale), 0 where a year is unknown (NaN)."""
    if math.isnan(year):
        return np.zeros_like(years)
    close = np.exp(-np.abs(years - year) / scale)
    return np.nan_to_num(close, nan=0.0)
