"""The listener's taste: radio that learns while it plays, and the daily mix.

Both score candidates against a set of reference tracks: the pull of what the
listener finishes and likes minus the push of what they skip early. Because a
model score is linear in its reference, a profile is a weighted sum of the
references' score vectors (the strongest two dozen each way, to stay fast).

The daily mix is seeded by the date: the same day (and the same history)
gives the same mix, the next day a fresh one.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from player.recommend import fresh
from player.recommend.model import Model, Recommendation
from player.recommend.reasons import Why

#: A play shorter than this that was skipped counts against the track.
EARLY_SKIP_MS = 30_000
#: How strongly skipped tracks push the radio away (relative to the pull of liked ones).
PUSH = 0.8
MAX_REFERENCES = 24
#: a track is a favourite when liked, rated at least this (of 5) ...
FAVOURITE_RATING = 4
#: ... or finished on at least this many different days
FAVOURITE_DAYS = 3
#: at most this many picks of a mix give the same reason (see :meth:`Why.template`)
SAME_REASON = 2
#: how much an artist's imported listens that matched no library track pull that
#: artist's tracks: this times log2(1 + listens), at most ARTIST_PULL_MAX
ARTIST_PULL = 0.5
ARTIST_PULL_MAX = 2.0


@dataclass
class TrackHistory:
    """What the listener did with one track."""

    finished: int = 0
    early_skips: int = 0
    plays: int = 0
    liked: bool = False
    rating: int | None = None
    last_played: float = 0.0
    finished_days: int = 0  # different days on which it was played to the end
    #: imported listens of this track's artist that matched no library track, and
    #: the latest of them (see :mod:`player.library.listen_import`)
    artist_listens: int = 0
    artist_last: float = 0.0

    @property
    def favourite(self) -> bool:
        """Liked, rated 4 or 5, or finished on three different days: one play is not enough."""
        return (
            self.liked
            or (self.rating is not None and self.rating >= FAVOURITE_RATING)
            or self.finished_days >= FAVOURITE_DAYS
        )

    def weight(self, now: float, half_life_days: float = 90.0) -> float:
        """Positive: the listener likes it; negative: they skip it."""
        w = self.finished + (3.0 if self.liked else 0.0) - 1.5 * self.early_skips
        if self.rating is not None:
            w += self.rating - 3
        if self.last_played and w > 0 and not self.liked:
            age_days = max(0.0, now - self.last_played) / 86400.0
            w *= 0.5 ** (age_days / half_life_days)
        if self.artist_listens and w >= 0:
            pull = min(ARTIST_PULL_MAX, ARTIST_PULL * float(np.log2(1 + self.artist_listens)))
            age_days = max(0.0, now - self.artist_last) / 86400.0
            w += pull * 0.5 ** (age_days / half_life_days)
        return w


def _profile(model: Model, refs: dict[int, float]) -> tuple[np.ndarray, list[tuple[int, float]]]:
    """(pull - push score vector, positive references strongest first)."""
    pos = sorted(((t, w) for t, w in refs.items() if w > 0 and t in model.row), key=lambda x: -x[1])
    neg = sorted(((t, w) for t, w in refs.items() if w < 0 and t in model.row), key=lambda x: x[1])
    pos, neg = pos[:MAX_REFERENCES], neg[:MAX_REFERENCES]
    total = np.zeros(len(model), np.float32)
    if pos:
        weight = sum(w for _, w in pos)
        for t, w in pos:
            total += (w / weight) * model.scores(t)
    if neg:
        weight = sum(-w for _, w in neg)
        push = np.zeros(len(model), np.float32)
        for t, w in neg:
            push += (-w / weight) * model.scores(t)
        total -= PUSH * np.maximum(push, 0.0)
    return total, pos


def _explain(model: Model, row: int, pos: list[tuple[int, float]], what: dict[int, str]) -> Why:
    """Reason naming the positive reference most like ``row`` ("your liked X", ...)."""
    if not pos:
        return Why("library")
    refs = [model.row[t] for t, _ in pos]
    if len(refs) == 1:
        best = refs[0]
    else:
        sims = model.audio[refs] @ model.audio[row] if model.has_audio[row] else np.zeros(len(refs))
        best = refs[int(np.argmax(sims))]
    track_id = int(model.ids[best])
    return model.why(row, best, what.get(track_id, "your"))


class Radio:
    """An endless station from one or more seeds, steered by what the listener does."""

    def __init__(self, model: Model, seeds: Sequence[int]) -> None:
        missing = [s for s in seeds if s not in model.row]
        if missing or not seeds:
            raise KeyError(f"unknown seed tracks: {missing}")
        self.model = model
        self.seeds = list(seeds)
        self.refs: dict[int, float] = {s: 2.0 for s in seeds}
        self.played: list[int] = list(seeds)
        self.kinds: dict[int, str] = {s: "seed" for s in seeds}  # for reasons

    def feedback(self, track_id: int, *, finished: bool = False, skipped: bool = False,
                 liked: bool = False) -> None:  # fmt: skip
        """Tell the radio how a track went: finishing and liking pull, skipping pushes."""
        change = (1.0 if finished else 0.0) + (2.0 if liked else 0.0) - (1.5 if skipped else 0.0)
        self.refs[track_id] = self.refs.get(track_id, 0.0) + change
        if liked:
            self.kinds[track_id] = "liked"
        elif finished and track_id not in self.kinds:
            self.kinds[track_id] = "finished"
        if track_id not in self.played:
            self.played.append(track_id)

    def next(self, n: int = 10, exclude: Iterable[int] = ()) -> list[Recommendation]:
        """The next ``n`` tracks (never one already played or queued by this radio, nor ``exclude``)."""
        scores, pos = _profile(self.model, self.refs)
        # spread artists over the recent part of the station, not the whole history
        recent = self.played[-15:]
        counts: dict[str, int] = {}
        for t in recent:
            key = self.model.artist_key[self.model.row[t]] if t in self.model.row else ""
            if key:
                counts[key] = counts.get(key, 0) + 1
        rows = self.model.pick(
            scores, n, exclude=[*self.played, *exclude], references=self.played,
            artist_counts=counts,
        )  # fmt: skip
        picks = []
        for row in rows:
            track_id = int(self.model.ids[row])
            self.played.append(track_id)
            picks.append(
                self.model.recommendation(
                    row, float(scores[row]), _explain(self.model, row, pos, self.kinds)
                )
            )
        return picks


@dataclass
class MixPlan:
    """How a daily mix is made."""

    size: int = 30
    favourite_share: float = 0.4
    rarely_played: int = 1  # at most this many plays counts as a discovery
    temperature: float = 0.1  # score difference that makes a discovery e times less likely


def daily_mix(
    model: Model,
    history: dict[int, TrackHistory],
    day: dt.date,
    *,
    now: float,
    plan: MixPlan | None = None,
    exclude: Iterable[int] = (),
    salt: int = 0,
) -> list[Recommendation]:
    """Favourites mixed with never- or rarely-played tracks close to the listener's taste.

    ``exclude`` (tracks the listener said "not this one" to, the track playing)
    never appear; ``salt`` > 0 draws another mix for the same day.
    """
    plan = plan or MixPlan()
    rng = random.Random(f"kindred-daily-mix-{day.isoformat()}" + (f"-{salt}" if salt else ""))
    excluded = set(exclude)
    weights = {t: h.weight(now) for t, h in history.items() if t in model.row}
    scores, pos = _profile(model, weights)
    if not pos:  # no taste yet: a different corner of the library each day
        seed = day.toordinal() * 1000 + salt
        scores = np.random.default_rng(seed).random(len(model)).astype(np.float32)
    favourites = sorted(
        (t for t, w in weights.items() if w > 0 and t not in excluded and history[t].favourite),
        key=lambda t: (-weights[t], t),
    )
    n_fav = min(len(favourites), round(plan.size * plan.favourite_share))
    chosen_fav: list[int] = []
    pool = favourites[: max(n_fav * 3, n_fav)]
    while pool and len(chosen_fav) < n_fav:
        pick = rng.choices(pool, weights=[max(weights[t], 0.1) for t in pool])[0]
        pool.remove(pick)
        chosen_fav.append(pick)
    played = {t for t, h in history.items() if h.plays > plan.rarely_played}
    disliked = {t for t, w in weights.items() if w < 0}
    # discoveries: a shortlist by taste, then a day-seeded draw that favours the closest
    uses: dict[tuple[object, ...], int] = {}
    fav_items = []
    for t in chosen_fav:
        why = _favourite_reason(history[t])
        if _take(uses, why):
            fav_items.append(model.recommendation(model.row[t], float(scores[model.row[t]]), why))
    want = plan.size - len(fav_items)
    shortlist = model.pick(
        scores,
        want * 4,
        exclude=played | disliked | excluded | set(chosen_fav),
        references=chosen_fav,
    )
    drawn = _weighted_draw(shortlist, scores, len(shortlist), rng, plan.temperature if pos else 1e9)
    kinds = {t: _ref_kind(h) for t, h in history.items()}
    seen = fresh.opened(model, list(history))
    new_items = []
    taken: list[int] = []
    for r in drawn:
        if len(new_items) >= want:
            break
        if not pos:  # no taste yet: what is true of the pick, and of it among the others
            fresh_why = fresh.fresh_reason(
                model, r, taken, len(taken), seen, lambda w: _take(uses, w)
            )
            if fresh_why is not None:
                taken.append(r)
                new_items.append(model.recommendation(r, 0.0, fresh_why))
            continue
        why = _varied_reason(model, r, pos, kinds, uses)
        if why is not None:
            new_items.append(model.recommendation(r, float(scores[r]), why))
    return _interleave(fav_items, new_items, rng)


def _take(uses: dict[tuple[object, ...], int], why: Why) -> bool:
    """Count ``why`` in; False (and not counted) when its template is used up."""
    key = why.template()
    if uses.get(key, 0) >= SAME_REASON:
        return False
    uses[key] = uses.get(key, 0) + 1
    return True


def _varied_reason(
    model: Model,
    row: int,
    pos: list[tuple[int, float]],
    what: dict[int, str],
    uses: dict[tuple[object, ...], int],
) -> Why | None:
    """The truest reason for ``row`` whose template is not used up yet (None: none is left).

    The references are tried from the one ``row`` sounds closest to, so a pick
    keeps the best reason unless two picks already gave it.
    """
    refs = [model.row[t] for t, _ in pos]
    if model.has_audio[row] and len(refs) > 1:
        sims = model.audio[refs] @ model.audio[row]
        order = [refs[i] for i in np.argsort(-sims, kind="stable")]
    else:
        order = refs
    for ref in [r for r in order if r != row][:8]:  # never "similar to itself"
        why = model.why(row, ref, what.get(int(model.ids[ref]), "your"))
        if _take(uses, why):
            return why
    return None


def _weighted_draw(
    rows: list[int], scores: np.ndarray, k: int, rng: random.Random, temperature: float
) -> list[int]:
    """``k`` of ``rows`` drawn without replacement, weight exp(score / temperature)."""
    if len(rows) <= k:
        return list(rows)
    top = max(float(scores[r]) for r in rows)
    keyed = []
    for r in rows:
        weight = np.exp((float(scores[r]) - top) / temperature)
        keyed.append((rng.random() ** (1.0 / max(weight, 1e-12)), r))
    keyed.sort(reverse=True)
    return [r for _, r in keyed[:k]]


def _ref_kind(h: TrackHistory) -> str:
    """How a reference is introduced: only a real favourite is called one."""
    if h.liked:
        return "liked"
    if h.favourite:
        return "favourite"
    return "finished" if h.finished else "your"


def _favourite_reason(h: TrackHistory) -> Why:
    if h.liked:
        return Why("favourite", liked=True)
    if h.rating is not None and h.rating >= FAVOURITE_RATING:
        return Why("favourite", rating=h.rating)
    return Why("favourite", days=h.finished_days)


def _interleave(
    a: list[Recommendation], b: list[Recommendation], rng: random.Random
) -> list[Recommendation]:
    out: list[Recommendation] = []
    a, b = list(a), list(b)
    while a or b:
        take_a = a and (not b or rng.random() < len(a) / (len(a) + len(b)))
        out.append(a.pop(0) if take_a else b.pop(0))
    return out
