"""The content-based model: audio and tag similarity over the whole library, in memory.

Audio vectors are standardised over the listener's own library (scikit-learn's
``StandardScaler``: what is unusual *here* matters) and L2-normalised, so a
matrix-vector product gives the cosine similarity of one track to all others.
Tags are a second, separate term (:mod:`player.recommend.tagvec`). The two are
blended with :class:`Weights`; a track missing one side (not analysed yet, or
untagged) is scored on the side it has, so the model works with tags alone
(cold start) and with audio alone (bare files).

Results are spread over artists (``max_per_artist``) and skip near-duplicates:
the same recording in two files has the same :func:`player.songid.song_key`,
or near-identical audio and duration. Every result carries a short reason.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field

import numpy as np
from sklearn.preprocessing import StandardScaler

from player.recommend.features import DIM, GROUP_WEIGHTS, GROUPS
from player.recommend.reasons import Why
from player.recommend.tagvec import TagFields, TagWeights, tag_matrix, year_closeness
from player.songid import normalize_artist

#: Root-mean-square distance (in library standard deviations) under which two tracks of
#: about the same length count as one recording in two files.
DUPLICATE_DISTANCE = 0.05


@dataclass(frozen=True)
class Weights:
    """How audio and tags are blended; ``max_per_artist`` limits one artist in a list."""

    audio: float = 0.6
    tags: float = 0.4
    fields: TagWeights = field(default_factory=TagWeights)
    max_per_artist: int = 3


#: An audio group is named in a reason when its cosine is this many times what chance gives.
REASON_BAR = 1.5
#: Tracks shorter than this (seconds) are recommended only for short references.
SHORT_SECONDS = 30.0


@dataclass
class TrackMeta:
    """What the model knows of a track besides its audio vector."""

    track_id: int
    path: str
    title: str = ""
    artist: str = ""
    tags: TagFields = field(default_factory=TagFields)
    song_key: str = ""
    duration: float = 0.0


@dataclass
class Recommendation:
    """One suggested track, its score (higher is closer) and why."""

    track_id: int
    path: str
    title: str
    artist: str
    score: float
    why: Why

    @property
    def reason(self) -> str:
        """The reason in English (the command line; the window words ``why`` itself)."""
        return self.why.english()

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.track_id,
            "path": self.path,
            "title": self.title,
            "artist": self.artist,
            "score": round(self.score, 4),
            "reason": self.reason,
        }


class Model:
    """Similarity over a fixed set of tracks. Build once; queries are read-only."""

    def __init__(
        self,
        metas: Sequence[TrackMeta],
        vectors: dict[int, np.ndarray] | tuple[np.ndarray, np.ndarray],
        weights: Weights | None = None,
    ) -> None:
        self.weights = weights or Weights()
        self.metas = list(metas)
        n = len(self.metas)
        self.ids = np.fromiter((m.track_id for m in self.metas), np.int64, n)
        self.row = {int(t): i for i, t in enumerate(self.ids)}
        self.artist_key = [normalize_artist(m.artist) for m in self.metas]
        self.durations = np.fromiter((m.duration or 0.0 for m in self.metas), np.float64, n)
        self.short = (self.durations > 0) & (self.durations < SHORT_SECONDS)  # clips, interludes
        self.years = np.fromiter(
            (m.tags.year if m.tags.year else math.nan for m in self.metas), np.float64, n
        )
        self._build_audio(vectors, n)
        self.tags, self.vocab = tag_matrix([m.tags for m in self.metas], self.weights.fields)
        self.tags_csc = self.tags.tocsc()
        self.has_tags = (np.diff(self.tags.indptr) > 0) | ~np.isnan(self.years)
        # blend weights per track (a side a track lacks weighs nothing), fixed per build
        wa = np.where(self.has_audio, self.weights.audio, 0.0).astype(np.float32)
        wt = np.where(self.has_tags, self.weights.tags, 0.0).astype(np.float32)
        total = wa + wt
        total[total == 0] = 1.0
        self._wa, self._wt = wa / total, wt / total
        starts = [part.start for part in GROUPS.values()]
        self._group_starts = np.array(starts)
        self._group_root_sizes = np.sqrt([part.stop - part.start for part in GROUPS.values()])
        if self.z.shape[1] > max(starts):
            self._group_norms = np.sqrt(np.add.reduceat(self.z * self.z, starts, axis=1))
        else:  # no audio vectors at all: reasons come from tags alone
            self._group_norms = np.zeros((n, len(starts)), np.float32)

    # ---- building -----------------------------------------------------------
    def _build_audio(
        self, vectors: dict[int, np.ndarray] | tuple[np.ndarray, np.ndarray], n: int
    ) -> None:
        if isinstance(vectors, dict):
            ids = np.fromiter(vectors.keys(), np.int64, len(vectors))
            matrix = np.vstack(list(vectors.values())) if vectors else np.zeros((0, 0))
        else:
            ids, matrix = vectors
        rows = np.array([self.row.get(int(t), -1) for t in ids], np.int64)
        keep = rows >= 0
        rows, matrix = rows[keep], np.asarray(matrix, np.float32)[keep]
        dim = matrix.shape[1] if matrix.size else 1
        self.has_audio = np.zeros(n, bool)
        self.has_audio[rows] = True
        self.z = np.zeros((n, dim), np.float32)  # standardised
        self.audio = np.zeros((n, dim), np.float32)  # standardised and unit length
        if len(rows) >= 2:
            scaler = StandardScaler().fit(matrix)
            scaler.scale_[scaler.scale_ < 1e-6] = 1.0
            z = scaler.transform(matrix).astype(np.float32)
            z = np.clip(z, -6.0, 6.0)
            if dim == DIM:
                z *= _column_weights()
            self.z[rows] = z
            norms = np.linalg.norm(z, axis=1, keepdims=True)
            self.audio[rows] = z / np.maximum(norms, 1e-6)
        elif len(rows) == 1:  # one vector: nothing to compare it with
            self.has_audio[rows] = False

    def __len__(self) -> int:
        return len(self.metas)

    # ---- scoring --------------------------------------------------------------
    def scores(self, track_id: int) -> np.ndarray:
        """Similarity of every track to ``track_id`` (blended audio + tags); self included."""
        i = self.row[track_id]
        audio = tags = None
        if self.has_audio[i]:
            with _one_blas_thread():
                audio = self.audio @ self.audio[i]
        if self.has_tags[i]:
            tags = self._tag_scores(i)
        if audio is None and tags is None:
            return np.zeros(len(self), np.float32)
        if audio is None:
            return tags
        if tags is None:
            return np.where(self.has_audio, audio, 0.0).astype(np.float32)
        return self._wa * audio + self._wt * tags

    def _tag_scores(self, i: int) -> np.ndarray:
        start, end = self.tags.indptr[i], self.tags.indptr[i + 1]
        cols, vals = self.tags.indices[start:end], self.tags.data[start:end]
        token_sim = self.tags_csc[:, cols] @ vals if cols.size else np.zeros(len(self), np.float32)
        share = self.weights.fields.year
        years = year_closeness(self.years, self.years[i], self.weights.fields.year_scale)
        if math.isnan(self.years[i]):
            return np.asarray(token_sim, np.float32)
        return ((1.0 - share) * token_sim + share * years).astype(np.float32)

    # ---- picking ----------------------------------------------------------------
    def pick(
        self,
        scores: np.ndarray,
        n: int,
        *,
        exclude: Iterable[int] = (),
        references: Sequence[int] = (),
        artist_counts: dict[str, int] | None = None,
        max_per_artist: int | None = None,
    ) -> list[int]:
        """Rows of the ``n`` best tracks, spread over artists, without duplicates.

        ``exclude`` are track ids never returned; ``references`` (the seeds) also
        rule out their own recordings in other files. Tracks shorter than
        :data:`SHORT_SECONDS` (interludes, skits, sound clips) come only for
        short references, or when nothing else is left.
        """
        limit = max_per_artist or self.weights.max_per_artist
        counts = dict(artist_counts or {})
        banned = {self.row[t] for t in exclude if t in self.row}
        refs = [self.row[t] for t in references if t in self.row]
        seen_songs = {self.metas[r].song_key for r in refs if self.metas[r].song_key}
        short = self.short
        if refs and all(short[r] for r in refs):
            short = np.zeros_like(short)
        chosen: list[int] = []
        shortlist = _top(scores, min(len(scores), max(n * 20, 200)))
        # the shortlist; rarely, when it ran out, every track; then short tracks too
        passes = [(shortlist, False)]
        if len(shortlist) < len(scores):
            passes.append((None, False))
        if short.any():
            passes.append((None, True))
        for order, short_ok in passes:
            if order is None:
                order = np.argsort(-scores, kind="stable")
            for row in order:
                row = int(row)
                if row in banned or (short[row] and not short_ok):
                    continue
                banned.add(row)
                meta = self.metas[row]
                if meta.song_key and meta.song_key in seen_songs:
                    continue
                artist = self.artist_key[row]
                if artist and counts.get(artist, 0) >= limit:
                    continue
                if self._duplicate_audio(row, refs + chosen):
                    continue
                chosen.append(row)
                if meta.song_key:
                    seen_songs.add(meta.song_key)
                if artist:
                    counts[artist] = counts.get(artist, 0) + 1
                if len(chosen) >= n:
                    return chosen
        return chosen

    def _duplicate_audio(self, row: int, others: list[int]) -> bool:
        if not self.has_audio[row] or not others:
            return False
        peers = [o for o in others if self.has_audio[o]]
        if not peers:
            return False
        diff = self.z[peers] - self.z[row]
        distance = np.sqrt(np.einsum("ij,ij->i", diff, diff) / diff.shape[1])
        close = np.abs(self.durations[peers] - self.durations[row]) < 1.5
        return bool(np.any((distance < DUPLICATE_DISTANCE) & close))

    # ---- explaining ---------------------------------------------------------------
    def why(self, row: int, ref: int, ref_kind: str = "") -> Why:
        """Why ``row`` is like ``ref``: the tag fields they share and/or the audio groups."""
        a, b = self.metas[row], self.metas[ref]
        shared = _shared_tags(a, b, self.artist_key[row] == self.artist_key[ref])
        audio: list[str] = []
        if self.has_audio[row] and self.has_audio[ref]:
            dots = np.add.reduceat(self.z[row] * self.z[ref], self._group_starts)
            norms = self._group_norms[row] * self._group_norms[ref]
            cos = np.where(norms > 0, dots / np.where(norms > 0, norms, 1.0), 0.0)
            # A group counts when its cosine beats chance clearly: two random vectors of d
            # values have a cosine of about ±1/√d, so six values need more than 39 do.
            # The closest groups are named first; the stereo image, true as it is, says
            # less to a listener than timbre or tempo, so it is named only when they are not.
            close = [
                (name != "space", sim, name)
                for sim, root, name in zip(
                    cos.tolist(), self._group_root_sizes, GROUPS, strict=True
                )
                if sim * root > REASON_BAR
            ]
            audio = [name for *_, name in sorted(close, reverse=True)[:2]]
        title = b.title or b.path.rsplit("/", 1)[-1]
        return Why("similar", tuple(audio), tuple(shared), title, b.artist, ref_kind)

    def recommendation(self, row: int, score: float, why: Why) -> Recommendation:
        meta = self.metas[row]
        return Recommendation(meta.track_id, meta.path, meta.title, meta.artist, score, why)

    # ---- queries ------------------------------------------------------------------
    def similar(
        self, track_id: int, n: int = 20, exclude: Iterable[int] = ()
    ) -> list[Recommendation]:
        """Tracks most like ``track_id`` (not itself, not its other copies, not ``exclude``)."""
        i = self.row[track_id]
        scores = self.scores(track_id)
        rows = self.pick(scores, n, exclude=[track_id, *exclude], references=[track_id])
        return [self.recommendation(r, float(scores[r]), self.why(r, i)) for r in rows]


def _column_weights() -> np.ndarray:
    """Per value of the feature vector: the square root of its group's weight."""
    weights = np.ones(DIM, np.float32)
    for name, weight in GROUP_WEIGHTS.items():
        weights[GROUPS[name]] = math.sqrt(weight)
    return weights


def _shared_tags(a: TrackMeta, b: TrackMeta, same_artist: bool) -> list[str]:
    shared = []
    if same_artist and a.artist:
        shared.append("artist")
    genres_a = {g.strip().casefold() for g in a.tags.genre.split(";") if g.strip()}
    genres_b = {g.strip().casefold() for g in b.tags.genre.split(";") if g.strip()}
    if genres_a & genres_b:
        shared.append("genre")
    if a.tags.year and b.tags.year and abs(a.tags.year - b.tags.year) <= 5:
        shared.append("era")
    if a.tags.composer and a.tags.composer.casefold() == b.tags.composer.casefold():
        shared.append("composer")
    return shared


_CONTROLLER: list[object] = []


def _one_blas_thread() -> AbstractContextManager[object]:
    """One BLAS thread for a matrix-vector product.

    The product is bound by memory bandwidth; extra BLAS threads only contend
    (on a busy two-core machine a query took seven times longer with them).
    """
    if not _CONTROLLER:
        try:
            from threadpoolctl import ThreadpoolController

            _CONTROLLER.append(ThreadpoolController())
        except Exception:  # threadpoolctl missing or confused: run as is
            _CONTROLLER.append(None)
    controller = _CONTROLLER[0]
    if controller is None:
        return nullcontext()
    return controller.limit(limits=1, user_api="blas")  # type: ignore[attr-defined]


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    """Indexes of the ``k`` largest scores, best first."""
    if k >= len(scores):
        return np.argsort(-scores, kind="stable")
    part = np.argpartition(-scores, k)[:k]
    return part[np.argsort(-scores[part], kind="stable")]
