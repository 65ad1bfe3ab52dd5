"""What the For You page shows, computed off the UI thread: plain Python, no Qt.

A :class:`RecommendSession` holds one :class:`~player.recommend.recommender.Recommender`
on its own library connection (guarded by a lock, since tasks run on a thread
pool) and turns its answers into :class:`Shelf` lists the page draws: today's
mix, a radio from what is playing, "because you liked X" rows and the result
of a "Similar tracks" / "Start radio" request. Feedback (like, skip, "not this
one") is written to the library, where the daily mix reads it, and replayed on
every radio the session keeps, so the next list moves away from (or toward) it.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from player.errors import AppError
from player.library.db import LibraryDB
from player.library.search import fetch_rows

if TYPE_CHECKING:  # the model imports scikit-learn, seconds on a cold start: load it on first use
    from player.recommend.model import Recommendation
    from player.recommend.recommender import Recommender

MIX_SIZE = 20
RADIO_SIZE = 12
BECAUSE_SIZE = 6
BECAUSE_SHELVES = 3
RESULT_SIZE = 20


@dataclass
class ShelfItem:
    """One recommended track: the core's recommendation and the track's row for display."""

    rec: Recommendation
    row: dict[str, Any]
    liked: bool = False

    @property
    def track_id(self) -> int:
        return self.rec.track_id


@dataclass
class Shelf:
    """A titled list of recommendations (``key`` names it for feedback and tests)."""

    key: str
    title: str
    subtitle: str
    items: list[ShelfItem] = field(default_factory=list)


@dataclass
class ForYou:
    """Everything the page shows, and how far analysis has come."""

    shelves: list[Shelf]
    tracks: int = 0
    analysed: int = 0
    hint: str = ""


@dataclass
class RadioPlan:
    """A radio's seeds and the feedback given so far (replayed on a fresh station)."""

    seeds: list[int]
    events: list[tuple[int, bool, bool, bool]] = field(default_factory=list)


@dataclass
class Request:
    """A "Similar tracks" or "Start radio" request from a track menu."""

    kind: str  # "similar" | "radio"
    track_ids: list[int]


def run_analysis(
    db_path: str | Path,
    progress: Callable[[int, int], None],
    cancel: threading.Event,
    workers: int | None = None,
) -> object:
    """Analyse the library at *db_path* in worker processes (own connection; resumable)."""
    from player.recommend.runner import analyse_library

    with LibraryDB(db_path) as db:
        return analyse_library(db, workers=workers, progress=progress, cancel=cancel)


class RecommendSession:
    """The page's recommender state; every public method may run on a worker thread."""

    def __init__(self, db_path: str | Path) -> None:
        self.db_path = db_path
        self.lock = threading.Lock()
        self._db: LibraryDB | None = None
        self._rec: Recommender | None = None
        self.dismissed: set[int] = set()
        self.playing_radio: RadioPlan | None = None
        self.request: Request | None = None
        self.request_radio: RadioPlan | None = None

    # ---- plumbing -------------------------------------------------------------------
    @property
    def rec(self) -> Recommender:
        if self._rec is None:
            from player.recommend.recommender import Recommender

            self._db = LibraryDB(self.db_path)
            self._rec = Recommender(self._db)
        return self._rec

    def close(self) -> None:
        with self.lock:
            if self._db is not None:
                self._db.close()
            self._db = self._rec = None

    def _items(self, recs: list[Recommendation], n: int) -> list[ShelfItem]:
        recs = [r for r in recs if r.track_id not in self.dismissed][:n]
        db = self.rec.db
        rows = {row["id"]: row for row in fetch_rows(db, [r.track_id for r in recs])}
        return [
            ShelfItem(r, rows[r.track_id], bool(rows[r.track_id].get("liked")))
            for r in recs
            if r.track_id in rows
        ]

    def _label(self, track_id: int) -> str:
        rows = fetch_rows(self.rec.db, [track_id])
        if not rows:
            return "a track"
        row = rows[0]
        title = row.get("title") or str(row.get("path", "")).rsplit("/", 1)[-1]
        return f"{title} by {row['artist']}" if row.get("artist") else title

    def _radio(self, plan: RadioPlan, n: int) -> list[Recommendation]:
        station = self.rec.radio(plan.seeds)
        for track_id, finished, skipped, liked in plan.events:
            station.feedback(track_id, finished=finished, skipped=skipped, liked=liked)
        for track_id in self.dismissed:  # never again on this station
            station.feedback(track_id, skipped=True)
        return station.next(n)

    # ---- requests ---------------------------------------------------------------------
    def set_request(self, kind: str, track_ids: list[int]) -> None:
        with self.lock:
            self.request = Request(kind, list(track_ids)) if track_ids else None
            self.request_radio = RadioPlan(list(track_ids)) if kind == "radio" else None

    def radio_items(self, seeds: list[int], n: int = RESULT_SIZE) -> list[ShelfItem]:
        """A new radio from *seeds* for playing at once; the request shelf shows the same."""
        with self.lock:
            self.rec.refresh()
            self.request = Request("radio", list(seeds))
            self.request_radio = RadioPlan(list(seeds))
            return self._items(self._radio(self.request_radio, n), n)

    # ---- building the page ------------------------------------------------------------
    def build(self, playing_id: int | None, day: dt.date | None = None) -> ForYou:
        """All shelves for now; an empty library gives a hint instead of shelves."""
        with self.lock:
            rec = self.rec
            rec.refresh()
            conn = rec.db.conn
            tracks = conn.execute("SELECT COUNT(*) FROM tracks").fetchone()[0]
            if not tracks:
                return ForYou([], hint="Scan some music and recommendations appear here.")
            analysed = int(rec.model.has_audio.sum())
            shelves: list[Shelf] = []
            result = self._result_shelf()
            if result is not None:
                shelves.append(result)
            shelves.append(self._mix_shelf(day))
            radio = self._playing_shelf(playing_id)
            if radio is not None:
                shelves.append(radio)
            shelves.extend(self._because_shelves())
            return ForYou([s for s in shelves if s.items or s.key == "mix"], tracks, analysed)

    def _result_shelf(self) -> Shelf | None:
        request = self.request
        if request is None:
            return None
        try:
            if request.kind == "similar":
                seed = request.track_ids[0]
                recs = self.rec.similar(seed, RESULT_SIZE + len(self.dismissed))
                return Shelf(
                    "result",
                    f"Similar to {self._label(seed)}",
                    "Closest in sound and tags, spread over artists",
                    self._items(recs, RESULT_SIZE),
                )
            plan = self.request_radio or RadioPlan(list(request.track_ids))
            self.request_radio = plan
            names = ", ".join(self._label(t) for t in plan.seeds[:2])
            more = f" and {len(plan.seeds) - 2} more" if len(plan.seeds) > 2 else ""
            recs = self._radio(plan, RESULT_SIZE)
            return Shelf(
                "result",
                f"Radio from {names}{more}",
                "Steered by what you like and skip",
                self._items(recs, RESULT_SIZE),
            )
        except AppError:  # RecommendError: nothing to start a radio from
            self.request = self.request_radio = None
            return None

    def _mix_shelf(self, day: dt.date | None) -> Shelf:
        recs = self.rec.daily_mix(day, MIX_SIZE)
        today = (day or dt.date.today()).strftime("%A")
        return Shelf(
            "mix",
            "Today's mix",
            f"Favourites and discoveries for {today}: a fresh mix every day",
            self._items(recs, MIX_SIZE),
        )

    def _playing_shelf(self, playing_id: int | None) -> Shelf | None:
        seed = playing_id if playing_id in self.rec.model.row else None
        what = "what's playing"
        if seed is None:
            row = self.rec.db.conn.execute(
                "SELECT track_id FROM plays ORDER BY played_at DESC LIMIT 1"
            ).fetchone()
            seed = row[0] if row and row[0] in self.rec.model.row else None
            what = "what you played last"
        if seed is None:
            self.playing_radio = None
            return None
        if self.playing_radio is None or self.playing_radio.seeds != [seed]:
            self.playing_radio = RadioPlan([seed])
        recs = self._radio(self.playing_radio, RADIO_SIZE)
        return Shelf(
            "radio",
            f"Radio from {what}",
            f"Starting from {self._label(seed)}",
            self._items(recs, RADIO_SIZE),
        )

    def _because_shelves(self) -> list[Shelf]:
        conn = self.rec.db.conn
        liked = [
            (r[0], "liked")
            for r in conn.execute(
                "SELECT track_id FROM ratings WHERE liked = 1 ORDER BY updated_at DESC LIMIT ?",
                (BECAUSE_SHELVES,),
            )
        ]
        if len(liked) < BECAUSE_SHELVES:
            played = conn.execute(
                "SELECT track_id FROM plays WHERE finished = 1 GROUP BY track_id "
                "ORDER BY COUNT(*) DESC, MAX(played_at) DESC LIMIT ?",
                (BECAUSE_SHELVES * 2,),
            ).fetchall()
            seen = {t for t, _ in liked}
            liked += [(r[0], "played") for r in played if r[0] not in seen]
        shelves = []
        for track_id, why in liked[:BECAUSE_SHELVES]:
            if track_id not in self.rec.model.row or track_id in self.dismissed:
                continue
            recs = self.rec.similar(track_id, BECAUSE_SIZE + len(self.dismissed))
            shelves.append(
                Shelf(
                    f"because:{track_id}",
                    f"Because you {why} {self._label(track_id)}",
                    "More like it from your library",
                    self._items(recs, BECAUSE_SIZE),
                )
            )
        return shelves

    # ---- feedback -----------------------------------------------------------------------
    def feedback(self, track_id: int, action: str) -> None:
        """``like`` / ``unlike`` / ``skip`` / ``dismiss`` a recommended track.

        Likes go to the ratings; a skip or a dismissal is recorded as an early skip
        (the daily mix reads both); a dismissed track also leaves every list.
        """
        if action not in ("like", "unlike", "skip", "dismiss"):
            raise AppError(f"Unknown feedback: {action}")
        with self.lock:
            db = self.rec.db
            if action in ("like", "unlike"):
                with db.transaction():
                    db.set_rating(track_id, liked=action == "like")
            else:
                db.record_play(track_id, listened_ms=0, finished=False, skipped=True)
            if action == "dismiss":
                self.dismissed.add(track_id)
            event = (track_id, False, action in ("skip", "dismiss"), action == "like")
            for plan in (self.playing_radio, self.request_radio):
                if plan is not None and action != "unlike":
                    plan.events.append(event)
