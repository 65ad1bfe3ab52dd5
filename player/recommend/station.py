"""A radio that is being listened to: it tops the queue up and learns from real playback.

:class:`~player.recommend.taste.Radio` answers "what next?" for one model.
A :class:`Station` is what outlives a model rebuild: the seeds, every pick it
has handed out and what the listener did with them (skipped early, finished,
liked). A fresh ``Radio`` replays that on the current model, so the station
keeps steering after analysis or a rescan rebuilt the model.

The player tells the station how each of its tracks went (from the play
history: a skip pushes similar tracks away, a finish pulls) and how
many items are left after the one playing; below :data:`LOW_WATER` it hands
out :data:`TOP_UP` more, so the radio never runs dry.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the model brings scikit-learn (seconds cold): stations exist before it loads
    from player.recommend.model import Model, Recommendation
    from player.recommend.taste import Radio

#: Fewer items than this after the current one and the station adds more.
LOW_WATER = 3
#: How many picks a top-up appends.
TOP_UP = 5


@dataclass(frozen=True)
class Heard:
    """What the listener did with one track: ``finished``, ``skipped`` (early) or ``liked``."""

    track_id: int
    finished: bool = False
    skipped: bool = False
    liked: bool = False


@dataclass
class Station:
    """One radio's seeds, the picks handed out so far and the feedback on them."""

    seeds: list[int]
    events: list[Heard] = field(default_factory=list)
    handed_out: list[int] = field(default_factory=list)

    def owns(self, track_id: int | None) -> bool:
        """True for the seeds and every pick this station handed out."""
        return track_id is not None and (track_id in self.seeds or track_id in self.handed_out)

    def tell(self, track_id: int, *, finished: bool = False, skipped: bool = False,
             liked: bool = False) -> None:  # fmt: skip
        """Feedback from the For You buttons (applies to any track, as "more/less like it")."""
        if finished or skipped or liked:
            self.events.append(Heard(track_id, finished, skipped, liked))

    def hear(self, track_id: int | None, *, finished: bool, skipped: bool) -> bool:
        """A play of one of the station's tracks ended; True if it changes the steering.

        ``finished`` and ``skipped`` are as the play history records them
        (:func:`player.audio.queue.judge_play`: a skip left before half the
        track): a skip pushes the station away from the track, a finish pulls
        toward it, a play that was neither says little and is ignored.
        """
        if track_id is None or not self.owns(track_id) or not (finished or skipped):
            return False
        self.events.append(Heard(track_id, finished=finished, skipped=skipped and not finished))
        return True

    def like(self, track_id: int) -> bool:
        """The listener liked one of the station's tracks (once per track counts)."""
        if not self.owns(track_id) or any(e.liked and e.track_id == track_id for e in self.events):
            return False
        self.events.append(Heard(track_id, liked=True))
        return True

    def radio(self, model: Model, *, skip_handed_out: bool = True) -> Radio:
        """A ``Radio`` on ``model`` with this station's history replayed."""
        from player.recommend.taste import Radio

        radio = Radio(model, [s for s in self.seeds if s in model.row] or self.seeds)
        for event in self.events:
            if event.track_id in model.row:
                radio.feedback(
                    event.track_id, finished=event.finished, skipped=event.skipped,
                    liked=event.liked,
                )  # fmt: skip
        if skip_handed_out:
            radio.played.extend(t for t in self.handed_out if t not in radio.played)
        return radio

    def preview(self, model: Model, n: int, exclude: Iterable[int] = ()) -> list[Recommendation]:
        """What the station would play from the start now (nothing is handed out)."""
        return self.radio(model, skip_handed_out=False).next(n, exclude=exclude)

    def next(self, model: Model, n: int, exclude: Iterable[int] = ()) -> list[Recommendation]:
        """The next ``n`` picks; they count as handed out and never come again."""
        picks = self.radio(model).next(n, exclude=exclude)
        self.handed_out.extend(r.track_id for r in picks)
        return picks

    # ---- kept between runs (see player.recommend.station_state) --------------------------
    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data: the seeds, the picks handed out and the feedback, in order."""
        return {
            "seeds": list(self.seeds),
            "handed_out": list(self.handed_out),
            "events": [
                [e.track_id, int(e.finished), int(e.skipped), int(e.liked)] for e in self.events
            ],
        }

    @classmethod
    def from_dict(cls, data: object) -> Station:
        """The station :meth:`to_dict` described; ValueError when the data is not one."""
        if not isinstance(data, dict):
            raise ValueError("a station is a JSON object")
        seeds, handed_out = _ids(data.get("seeds")), _ids(data.get("handed_out", []))
        if not seeds:
            raise ValueError("a station needs seeds")
        raw_events = data.get("events", [])
        if not isinstance(raw_events, list):
            raise ValueError("events must be a list")
        events = []
        for raw in raw_events:
            if not (isinstance(raw, list) and len(raw) == 4 and _is_id(raw[0])):
                raise ValueError(f"not an event: {raw!r}")
            if any(flag not in (0, 1) or isinstance(flag, float) for flag in raw[1:]):
                raise ValueError(f"not an event: {raw!r}")
            events.append(Heard(raw[0], bool(raw[1]), bool(raw[2]), bool(raw[3])))
        return cls(seeds, events, handed_out)

    @staticmethod
    def wants(remaining: int) -> int:
        """How many picks to add when ``remaining`` items are left after the current one."""
        return TOP_UP if remaining < LOW_WATER else 0


def _is_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _ids(value: object) -> list[int]:
    if not isinstance(value, list) or not all(_is_id(v) for v in value):
        raise ValueError(f"not a list of track ids: {value!r}")
    return list(value)
