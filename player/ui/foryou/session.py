"""What the For You page shows: the core's shelves with their titles in the listener's language.

The lists themselves come from :class:`player.recommend.shelves.Shelves`
(plain Python; the composition root builds it, see
:class:`~player.ui.kit.parts.WindowParts`); this module only words them: each core
shelf names its kind and the tracks it is about, and :class:`RecommendSession`
turns that into a translated title and subtitle. Every method may run on a
worker thread (no widgets are touched here).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale

from player.library.store import LibraryDB
from player.recommend import shelves as core
from player.recommend.shelves import ShelfItem

__all__ = ["ForYou", "RecommendSession", "Shelf", "ShelfItem", "run_analysis"]


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
    hidden: int = 0  # tracks dismissed with "not this one"


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
    """The page's recommender state (:class:`~player.recommend.shelves.Shelves`), worded."""

    def __init__(self, shelves: core.Shelves) -> None:
        self.shelves = shelves

    def close(self) -> None:
        self.shelves.close()

    # ---- passed through -----------------------------------------------------------------
    def set_request(self, kind: str, track_ids: list[int]) -> None:
        self.shelves.set_request(kind, track_ids)

    def radio_items(self, seeds: list[int], n: int = core.RESULT_SIZE) -> list[ShelfItem]:
        return self.shelves.radio_items(seeds, n)

    def play_shelf(self, key: str, track_ids: list[int]) -> None:
        self.shelves.play_shelf(key, track_ids)

    def resume(self, queued: list[int | None], current_id: int | None) -> bool:
        return self.shelves.resume(queued, current_id)

    def hear(self, track_id: int | None, finished: bool, skipped: bool) -> bool:
        return self.shelves.hear(track_id, finished, skipped)

    def top_up(self, current_id: int | None, remaining: int) -> list[ShelfItem]:
        return self.shelves.top_up(current_id, remaining)

    def feedback(self, track_id: int, action: str) -> None:
        self.shelves.feedback(track_id, action)

    def set_smooth_mix(self, on: bool) -> None:
        self.shelves.smooth_mix = on

    def new_mix(self) -> None:
        self.shelves.new_mix()

    # ---- building the page ------------------------------------------------------------
    def build(
        self, playing_id: int | None, day: dt.date | None = None, playing_mix: bool = False
    ) -> ForYou:
        """All shelves for now, titled; an empty library gives a hint instead of shelves."""
        page = self.shelves.build(playing_id, day, playing_mix=playing_mix)
        if not page.tracks:
            return ForYou(
                [],
                hint=QCoreApplication.translate(
                    "ForYouShelves", "Scan some music and recommendations appear here."
                ),
            )
        subjects = sorted({t for s in page.shelves for t in s.subjects})
        names = self.shelves.names(subjects)
        worded = [self._word(s, names, day) for s in page.shelves]
        return ForYou(worded, page.tracks, page.analysed, hidden=page.hidden)

    def _word(
        self, shelf: core.Shelf, names: dict[int, tuple[str, str]], day: dt.date | None
    ) -> Shelf:
        def label(track_id: int) -> str:
            title, artist = names.get(track_id, ("", ""))
            if not title:
                return QCoreApplication.translate("ForYouShelves", "a track")
            if not artist:
                return title
            return QCoreApplication.translate("ForYouShelves", "{title} by {artist}").format(
                title=title, artist=artist
            )

        track = label(shelf.subjects[0]) if shelf.subjects else ""
        kind = shelf.kind
        if kind == "mix":
            today = QLocale().dayName((day or dt.date.today()).isoweekday())
            about = QCoreApplication.translate(
                "ForYouShelves", "Favourites and discoveries for {day}: a fresh mix every day"
            )
            title, subtitle = (
                QCoreApplication.translate("ForYouShelves", "Today's mix"),
                about.format(day=today),
            )
        elif kind in ("radio-playing", "radio-last"):
            title = (
                QCoreApplication.translate("ForYouShelves", "Radio from what's playing")
                if kind == "radio-playing"
                else QCoreApplication.translate("ForYouShelves", "Radio from what you played last")
            )
            subtitle = QCoreApplication.translate("ForYouShelves", "Starting from {track}").format(
                track=track
            )
        elif kind == "similar":
            title = QCoreApplication.translate("ForYouShelves", "Similar to {track}").format(
                track=track
            )
            subtitle = QCoreApplication.translate(
                "ForYouShelves", "Closest in sound and tags, spread over artists"
            )
        elif kind == "radio":
            tracks = ", ".join(label(t) for t in shelf.subjects[:2])
            if len(shelf.subjects) > 2:
                more = QCoreApplication.translate("ForYouShelves", "{tracks} and {count} more")
                tracks = more.format(tracks=tracks, count=len(shelf.subjects) - 2)
            title = QCoreApplication.translate("ForYouShelves", "Radio from {tracks}").format(
                tracks=tracks
            )
            subtitle = QCoreApplication.translate(
                "ForYouShelves", "Steered by what you like and skip"
            )
        else:  # because-liked / because-played
            title = (
                QCoreApplication.translate("ForYouShelves", "Because you liked {track}")
                if kind == "because-liked"
                else QCoreApplication.translate("ForYouShelves", "Because you played {track}")
            ).format(track=track)
            subtitle = QCoreApplication.translate("ForYouShelves", "More like it from your library")
        return Shelf(shelf.key, title, subtitle, shelf.items)
