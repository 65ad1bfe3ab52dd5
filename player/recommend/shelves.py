"""The lists a listener browses ("shelves"), as plain data, and the radio being played.

:class:`Shelves` holds one :class:`~player.recommend.recommender.Recommender`
on its own library connection (guarded by a lock, so a thread pool can call
it) and answers with :class:`Shelf` lists: today's mix, a radio from what is
playing, "because you liked X" rows and the result of a "Similar tracks" /
"Start radio" request. A shelf names its *kind* and the tracks its title is
about; wording (and its translation) is the caller's business, so the CLI
and the window can share this.

Feedback (like, skip, "not this one") is written to the library, where the
daily mix and every later list read it, and replayed on the radios kept here.
A radio started to be played becomes the *live* :class:`~player.recommend.station.Station`:
:meth:`Shelves.hear` feeds it real playback and :meth:`Shelves.top_up` hands
out more picks when the queue runs low. Given a
:class:`~player.recommend.station_state.StationFile`, the live station is kept
there as it changes (and forgotten when it ends), and :meth:`Shelves.resume`
takes it up again after a restart.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from player.config import write_json_atomic
from player.errors import AppError
from player.library import history
from player.library.search import fetch_rows
from player.library.store import LibraryDB
from player.recommend import feedback
from player.recommend.reasons import Why
from player.recommend.station import Station
from player.recommend.station_state import StationFile, _library_key

log = logging.getLogger(__name__)

if TYPE_CHECKING:  # the model imports scikit-learn, seconds on a cold start: load it on first use
    from player.recommend.model import Recommendation
    from player.recommend.recommender import Recommender

MIX_SIZE = 20
RADIO_SIZE = 12
BECAUSE_SIZE = 6
BECAUSE_SHELVES = 3
RESULT_SIZE = 20
FEEDBACK = ("like", "unlike", "skip", "dismiss")
MIX_FILE = "daily-mix.json"


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
    """A list of recommendations.

    ``key`` names it for feedback and tests (``mix``, ``radio``, ``result``,
    ``because:<id>``); ``kind`` says what its title should say: ``mix``,
    ``radio-playing``, ``radio-last`` (from what played last), ``similar``,
    ``radio``, ``because-liked``, ``because-played``; ``subjects`` are the
    track ids the title is about (the seed, the liked track...).
    """

    key: str
    kind: str
    subjects: list[int] = field(default_factory=list)
    items: list[ShelfItem] = field(default_factory=list)


@dataclass
class Page:
    """Every shelf for now and how far analysis has come (``tracks == 0``: empty library)."""

    shelves: list[Shelf]
    tracks: int = 0
    analysed: int = 0
    hidden: int = 0  # tracks dismissed with "not this one"


@dataclass
class KeptMix:
    """Today's mix as it was made: fixed for the day, whatever is played meanwhile."""

    day: str
    salt: int
    picks: list[Recommendation]


class MixFile:
    """The day's mix of one library on disk, so a restart shows the same mix; never raises."""

    def __init__(self, path: str | Path, library: str | Path) -> None:
        self.path = Path(path)
        self.library = _library_key(library)

    def save(self, mix: KeptMix) -> None:
        data = {
            "library": self.library,
            "day": mix.day,
            "salt": mix.salt,
            "picks": [
                {**{k: v for k, v in vars(r).items() if k != "why"}, "why": vars(r.why)}
                for r in mix.picks
            ],
        }
        try:
            write_json_atomic(self.path, data)
        except OSError as exc:
            log.warning("could not keep the daily mix in %s: %s", self.path, exc)

    def load(self) -> KeptMix | None:
        from player.recommend.model import Recommendation

        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            if raw.get("library") != self.library:
                return None
            picks = []
            for item in raw["picks"]:
                why = item.pop("why")
                for key in ("audio", "tags"):
                    why[key] = tuple(why.get(key, ()))
                picks.append(Recommendation(**item, why=Why(**why)))
            return KeptMix(str(raw["day"]), int(raw["salt"]), picks)
        except FileNotFoundError:
            return None
        except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
            log.warning("ignoring the kept daily mix %s: %s", self.path, exc)
            return None


@dataclass
class Request:
    """A "Similar tracks" or "Start radio" request from a track menu."""

    kind: str  # "similar" | "radio"
    track_ids: list[int]


class Shelves:
    """Recommendation lists for one library; every public method is thread-safe."""

    def __init__(self, db_path: str | Path, station_file: str | Path | None = None) -> None:
        """``station_file``: where the live radio is kept between runs (None: memory only);
        the day's mix is kept beside it (``daily-mix.json``)."""
        self.db_path = db_path
        self.lock = threading.Lock()
        self.kept = StationFile(station_file, db_path) if station_file is not None else None
        self.mix_file = (
            MixFile(Path(station_file).with_name(MIX_FILE), db_path)
            if station_file is not None
            else None
        )
        self.mix: KeptMix | None = None
        self._mix_salt = 0

        self._db: LibraryDB | None = None
        self._rec: Recommender | None = None
        self.playing_radio: Station | None = None
        self.request: Request | None = None
        self.request_radio: Station | None = None
        self.live: Station | None = None
        #: today's mix in smooth order (tempo, key and loudness flowing track to track)
        self.smooth_mix = False

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
        dismissed = self.rec.dismissed()
        recs = [r for r in recs if r.track_id not in dismissed][:n]
        rows = {row["id"]: row for row in fetch_rows(self.rec.db, [r.track_id for r in recs])}
        return [
            ShelfItem(r, rows[r.track_id], bool(rows[r.track_id].get("liked")))
            for r in recs
            if r.track_id in rows
        ]

    def names(self, track_ids: list[int]) -> dict[int, tuple[str, str]]:
        """(title or file name, artist) of each known track, for titles."""
        with self.lock:
            return self._names(track_ids)

    def _names(self, track_ids: list[int]) -> dict[int, tuple[str, str]]:
        out = {}
        for row in fetch_rows(self.rec.db, track_ids):
            title = row.get("title") or str(row.get("path", "")).rsplit("/", 1)[-1]
            out[row["id"]] = (title, row.get("artist") or "")
        return out

    def _preview(self, station: Station, n: int) -> list[Recommendation]:
        return station.preview(self.rec.model, n, exclude=self.rec.dismissed())

    # ---- requests ---------------------------------------------------------------------
    def set_request(self, kind: str, track_ids: list[int]) -> None:
        with self.lock:
            self.request = Request(kind, list(track_ids)) if track_ids else None
            self.request_radio = Station(list(track_ids)) if kind == "radio" else None

    def radio_items(self, seeds: list[int], n: int = RESULT_SIZE) -> list[ShelfItem]:
        """A new radio from *seeds* to play at once (it becomes the live one); the request shelf shows the same."""
        with self.lock:
            self.rec.refresh()
            self.request = Request("radio", list(seeds))
            station = Station(list(seeds))
            self.request_radio = self.live = station
            items = self._items(station.next(self.rec.model, n, exclude=self.rec.dismissed()), n)
            self._keep()
            return items

    def play_shelf(self, key: str, track_ids: list[int]) -> None:
        """The listener plays a shelf: a radio shelf becomes the live radio, anything else ends it.

        Quick and lock-free (it only swaps a reference), so the window can call
        it as playback starts, even while a page is being built.
        """
        station = {"radio": self.playing_radio, "result": self.request_radio}.get(key)
        if station is None:
            self.live = None
        else:
            live = Station(list(station.seeds), list(station.events))
            live.handed_out = [t for t in track_ids if t not in live.seeds]
            self.live = live
        self._keep()

    # ---- the radio being played ---------------------------------------------------------
    def _keep(self) -> None:
        """Keep the live station on disk as it is now, or forget it there when it ended."""
        if self.kept is not None:  # StationFile serialises the writes
            self.kept.save(self.live)

    def resume(self, queued: Iterable[int | None], current_id: int | None) -> bool:
        """After a restart: the kept radio plays on if the restored queue still holds it.

        ``queued`` are the track ids in the restored queue and ``current_id``
        the one it stands at (None if none). The radio resumes when the queue
        holds one of its tracks and stands at one of them (or at nothing);
        otherwise, or when the file cannot be read, it is forgotten. Reads one
        small file and never loads the model.
        """
        if self.kept is None:
            return False
        station = self.kept.load()
        ours = station is not None and any(station.owns(t) for t in queued)
        if station is not None and ours and (current_id is None or station.owns(current_id)):
            self.live = station
            return True
        self.live = None
        self._keep()
        return False

    def hear(self, track_id: int | None, finished: bool, skipped: bool) -> bool:
        """A play ended (as the play history records it); True if it steered the live radio."""
        with self.lock:
            steered = self.live is not None and self.live.hear(
                track_id, finished=finished, skipped=skipped
            )
        if steered:
            self._keep()
        return steered

    def top_up(self, current_id: int | None, remaining: int) -> list[ShelfItem]:
        """More picks when the live radio is playing and ``remaining`` items are left after it.

        Likes given to the station's tracks anywhere (the now-playing heart,
        the library) steer it too. Empty when no radio plays or enough is
        queued; once a track that is not the station's plays, the radio is over.
        """
        try:
            with self.lock:
                return self._top_up(current_id, remaining)
        finally:
            self._keep()

    def _top_up(self, current_id: int | None, remaining: int) -> list[ShelfItem]:
        live = self.live
        if live is None or current_id is None:
            return []
        if not live.owns(current_id):
            self.live = None
            return []
        want = live.wants(remaining)
        if not want:
            return []
        rec = self.rec
        rec.refresh()
        ours = [*live.seeds, *live.handed_out]
        for track_id in history.liked_among(rec.db, ours):
            live.like(track_id)
        try:
            picks = live.next(rec.model, want, exclude=rec.dismissed())
        except KeyError:  # the seeds left the library: the station ends
            self.live = None
            return []
        return self._items(picks, want)

    # ---- building the page ------------------------------------------------------------
    def build(
        self, playing_id: int | None, day: dt.date | None = None, *, playing_mix: bool = False
    ) -> Page:
        """All shelves for now; an empty library gives a page without shelves.

        The track playing is left out of today's mix, unless it plays from the
        mix itself (``playing_mix``), whose rows then stay as they are.
        """
        with self.lock:
            rec = self.rec
            rec.refresh()
            tracks = rec.db.track_count()
            if not tracks:
                return Page([])
            analysed = int(rec.model.has_audio.sum())
            shelves: list[Shelf] = []
            result = self._result_shelf()
            if result is not None:
                shelves.append(result)
            mix = self._day_mix(day or dt.date.today(), playing_id)
            if playing_id is not None and not playing_mix:
                mix = [r for r in mix if r.track_id != playing_id]
            if self.smooth_mix:
                mix = rec.smooth(mix)
            shelves.append(Shelf("mix", "mix", [], self._items(mix, MIX_SIZE)))
            radio = self._playing_shelf(playing_id)
            if radio is not None:
                shelves.append(radio)
            shelves.extend(self._because_shelves())
            kept = [s for s in shelves if s.items or s.key == "mix"]
            return Page(kept, tracks, analysed, len(rec.dismissed()))

    def _day_mix(self, day: dt.date, playing_id: int | None) -> list[Recommendation]:
        """The mix made for ``day``: made once (without the track playing then), then kept.

        Plays during the day shape the next day's mix, not this one; only
        :meth:`new_mix` makes another for the same day.
        """
        today = day.isoformat()
        if self.mix is None and self.mix_file is not None:
            self.mix = self.mix_file.load()
            if self.mix is not None and self.mix.day == today:
                self._mix_salt = self.mix.salt
        if self.mix is None or self.mix.day != today:
            if self.mix is not None and self.mix.day != today:
                self._mix_salt = 0
            exclude = [playing_id] if playing_id is not None else []
            picks = self.rec.daily_mix(day, MIX_SIZE, exclude=exclude, salt=self._mix_salt)
            self.mix = KeptMix(today, self._mix_salt, picks)
            if self.mix_file is not None:
                self.mix_file.save(self.mix)
        known = self.rec.model.row
        return [r for r in self.mix.picks if r.track_id in known]

    def todays_mix(self, day: dt.date | None = None) -> list[Recommendation]:
        """The day's mix as For You shows it: the kept one, or made and kept now
        (the command line's ``recommend mix``); AppError on an empty library."""
        with self.lock:
            self.rec.refresh()
            return self._day_mix(day or dt.date.today(), None)

    def new_mix(self) -> None:
        """Forget today's mix: the next :meth:`build` makes a different one."""
        with self.lock:
            self._mix_salt = (self.mix.salt if self.mix is not None else self._mix_salt) + 1
            self.mix = None
            if self.mix_file is not None:
                self.mix_file.path.unlink(missing_ok=True)

    def _result_shelf(self) -> Shelf | None:
        request = self.request
        if request is None:
            return None
        try:
            if request.kind == "similar":
                seed = request.track_ids[0]
                recs = self.rec.similar(seed, RESULT_SIZE)
                return Shelf("result", "similar", [seed], self._items(recs, RESULT_SIZE))
            station = self.request_radio or Station(list(request.track_ids))
            self.request_radio = station
            recs = self._preview(station, RESULT_SIZE)
            return Shelf("result", "radio", list(station.seeds), self._items(recs, RESULT_SIZE))
        except (AppError, KeyError):  # nothing (left) to start from
            self.request = self.request_radio = None
            return None

    def _playing_shelf(self, playing_id: int | None) -> Shelf | None:
        model = self.rec.model
        seed = playing_id if playing_id in model.row else None
        kind = "radio-playing"
        if seed is None:
            last = history.last_played(self.rec.db)
            seed = last if last is not None and last in model.row else None
            kind = "radio-last"
        if seed is None:
            self.playing_radio = None
            return None
        if self.playing_radio is None or self.playing_radio.seeds != [seed]:
            self.playing_radio = Station([seed])
        recs = self._preview(self.playing_radio, RADIO_SIZE)
        return Shelf("radio", kind, [seed], self._items(recs, RADIO_SIZE))

    def _because_shelves(self) -> list[Shelf]:
        db = self.rec.db
        refs = [(t, "because-liked") for t in history.recently_liked(db, BECAUSE_SHELVES)]
        if len(refs) < BECAUSE_SHELVES:
            played = history.most_finished(db, BECAUSE_SHELVES * 2)
            seen = {t for t, _ in refs}
            refs += [(t, "because-played") for t in played if t not in seen]
        dismissed = self.rec.dismissed()
        shelves = []
        for track_id, kind in refs[:BECAUSE_SHELVES]:
            if track_id not in self.rec.model.row or track_id in dismissed:
                continue
            recs = self.rec.similar(track_id, BECAUSE_SIZE)
            shelves.append(
                Shelf(f"because:{track_id}", kind, [track_id], self._items(recs, BECAUSE_SIZE))
            )
        return shelves

    # ---- feedback -----------------------------------------------------------------------
    def feedback(self, track_id: int, action: str) -> None:
        """``like`` / ``unlike`` / ``skip`` / ``dismiss`` a recommended track.

        Likes go to the ratings. A skip or a dismissal is kept with the
        recommendation feedback, not as a play (the daily mix reads both as
        early skips); a dismissed track leaves every list, now and after a
        restart, until it is restored.
        """
        if action not in FEEDBACK:
            raise AppError(f"Unknown feedback: {action}")
        with self.lock:
            db = self.rec.db
            if action in ("like", "unlike"):
                with db.transaction():
                    db.set_rating(track_id, liked=action == "like")
            elif action == "skip":
                feedback.skip(db, track_id)
            else:
                feedback.dismiss(db, [track_id])
            if action == "unlike":
                return
            for station in {id(s): s for s in (self.playing_radio, self.request_radio, self.live)
                            if s is not None}.values():  # fmt: skip
                station.tell(
                    track_id, skipped=action in ("skip", "dismiss"), liked=action == "like"
                )
        self._keep()
