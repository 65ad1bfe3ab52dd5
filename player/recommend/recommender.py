"""The recommender over a library: loads tracks and vectors, keeps the model current.

:class:`Recommender` is what the CLI and the window hold. It reads only what
changed since the last :meth:`Recommender.refresh` (new or edited tracks, new
analyses) and rebuilds the in-memory :class:`~player.recommend.model.Model`
from its cached arrays, which takes a fraction of a second per ten thousand
tracks. Queries never touch the database except for the play history.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence

import numpy as np

from player.errors import AppError
from player.library import history, listen_import
from player.library.store import LibraryDB, from_sql_path
from player.library.trackref import find_track
from player.recommend import feedback
from player.recommend.analysis import FEATURE_VERSION
from player.recommend.model import Model, Recommendation, TrackMeta, Weights
from player.recommend.smooth import smooth_order
from player.recommend.store import AnalysisStore
from player.recommend.tagvec import TagFields
from player.recommend.taste import EARLY_SKIP_MS, MixPlan, Radio, TrackHistory, daily_mix

#: what the model keeps of a track, in the order :meth:`Recommender.refresh` reads it
_META_COLUMNS = (
    "id", "path", "title", "artist", "album_artist", "album", "genre", "composer", "year",
    "song_key", "duration", "updated_at",
)  # fmt: skip


class RecommendError(AppError):
    """A recommendation cannot be made (unknown track, empty library)."""


class Recommender:
    """Similar tracks, radio and daily mix for one library."""

    def __init__(self, db: LibraryDB, weights: Weights | None = None) -> None:
        self.db = db
        self.weights = weights or Weights()
        self.store = AnalysisStore(db)
        self._metas: dict[int, TrackMeta] = {}
        self._vectors: dict[int, np.ndarray] = {}
        self._seen_update = -1.0
        self._seen_analysis = -1.0
        self._model: Model | None = None

    # ---- keeping current ------------------------------------------------------
    def refresh(self) -> bool:
        """Load what changed since the last call and rebuild the model; True if it changed."""
        ids = self.db.track_ids()
        gone = self._metas.keys() - ids
        rows = self.db.tracks_changed_since(self._seen_update, _META_COLUMNS)
        edited = any(row[0] in self._metas for row in rows)
        for row in rows:
            (tid, path, title, artist, album_artist, album, genre, composer, year, key,
             duration, updated) = row  # fmt: skip
            self._metas[tid] = TrackMeta(
                tid, from_sql_path(path), title, artist,
                TagFields(genre, artist, album_artist, album, composer, year), key,
                duration or 0.0,
            )  # fmt: skip
            self._seen_update = max(self._seen_update, updated)
        for tid in gone:
            self._metas.pop(tid, None)
            self._vectors.pop(tid, None)
        latest = self.store.latest()
        vectors_changed = latest > self._seen_analysis or edited or bool(gone)
        if vectors_changed:
            full = edited or bool(gone) or self._seen_analysis < 0
            if full:
                self._vectors.clear()
            since = None if full else self._seen_analysis
            vids, _times, matrix = self.store.vectors(FEATURE_VERSION, since=since)
            for tid, vector in zip(vids.tolist(), matrix, strict=True):
                self._vectors[tid] = vector
            self._seen_analysis = latest
        if rows or gone or vectors_changed or self._model is None:
            self._model = Model(list(self._metas.values()), self._vectors, self.weights)
            return True
        return False

    @property
    def model(self) -> Model:
        if self._model is None:
            self.refresh()
        assert self._model is not None
        if len(self._model) == 0:
            raise RecommendError(
                "The library is empty", "Scan some music first: kindred scan FOLDER"
            )
        return self._model

    def resolve(self, item: str | int) -> int:
        """A track id from an id or a file path."""
        track_id = find_track(self.db, item)
        if track_id is not None and track_id in self.model.row:
            return track_id
        raise RecommendError(
            "No such track in the library", f"{item!r} is neither a track id nor a library file."
        )

    # ---- queries ----------------------------------------------------------------
    def dismissed(self) -> set[int]:
        """Tracks the listener said "not this one" to: no list ever offers them."""
        return feedback.dismissed(self.db)

    def similar(self, item: str | int, n: int = 20) -> list[Recommendation]:
        return self.model.similar(self.resolve(item), n, exclude=self.dismissed())

    def radio(self, items: Sequence[str | int]) -> Radio:
        """A station seeded by ``items``; call ``next()`` for tracks, ``feedback()`` as they play."""
        seeds = [self.resolve(i) for i in items]
        radio = Radio(self.model, seeds)
        radio.played.extend(t for t in self.dismissed() if t not in seeds)  # never offered
        return radio

    def history(self) -> dict[int, TrackHistory]:
        """The play history, ratings and skips or dismissals of recommendations, per track."""
        out: dict[int, TrackHistory] = {}
        for tid, finished, early, plays, last in history.play_totals(self.db, EARLY_SKIP_MS):
            out[tid] = TrackHistory(int(finished), int(early), int(plays), last_played=last)
        for tid, count in feedback.pushes(self.db).items():
            out.setdefault(tid, TrackHistory()).early_skips += count
        for tid, days in history.finished_days(self.db).items():
            out.setdefault(tid, TrackHistory()).finished_days = days
        for tid, rating, liked in history.ratings(self.db):
            h = out.setdefault(tid, TrackHistory())
            h.rating, h.liked = rating, bool(liked)
        artists = listen_import.artist_listens(self.db)  # imported, not in the library
        for key, tids in listen_import.tracks_by_artist(self.db, artists).items():
            count, last = artists[key]
            for tid in tids:
                h = out.setdefault(tid, TrackHistory())
                h.artist_listens, h.artist_last = count, last
        return out

    def daily_mix(
        self,
        day: dt.date | None = None,
        n: int = 30,
        *,
        smooth: bool = False,
        now: float | None = None,
        exclude: Sequence[int] = (),
        salt: int = 0,
    ) -> list[Recommendation]:
        """Today's mix (or ``day``'s) from the history as it is now (see :class:`~player.recommend.shelves.Shelves` for keeping it all day)."""
        day = day or dt.date.today()
        now = time.time() if now is None else now
        mix = daily_mix(
            self.model, self.history(), day, now=now, plan=MixPlan(size=n),
            exclude=self.dismissed() | set(exclude), salt=salt,
        )  # fmt: skip
        return self.smooth(mix) if smooth else mix

    def smooth(self, items: Sequence[Recommendation]) -> list[Recommendation]:
        """``items`` ordered for smooth transitions (tempo, key, loudness)."""
        facts = self.store.sound_facts()
        return smooth_order(items, [facts.get(r.track_id, (None, "", None)) for r in items])
