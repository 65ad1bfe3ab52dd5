"""Why a track was recommended, as data: worded in English here, in any language by the UI.

A :class:`Why` names what a pick shares with a reference track (audio groups
such as timbre or the stereo image, tag fields such as genre or era), or that
it is a favourite, or something not heard yet. :meth:`Why.english` gives the
sentence the command line prints; the window words the same data through its
translations (:mod:`player.ui.foryou.reasons`).
"""

from __future__ import annotations

from dataclasses import dataclass

#: Words for the audio groups of :data:`player.recommend.features.GROUPS`.
AUDIO_WORDS = {
    "timbre": "timbre",
    "texture": "sound texture",
    "dynamics": "dynamics",
    "harmony": "harmony",
    "tempo": "tempo",
    "space": "stereo image",
}
#: How a reference track is introduced: "your liked X", "the finished X", ...
REF_WORDS = {
    "": "",
    "your": "your",
    "seed": "your seed",
    "liked": "your liked",
    "finished": "the finished",
    "favourite": "your favourite",
    "mix": "",  # another pick of the same mix: "X (also in this mix)"
}


@dataclass(frozen=True)
class Why:
    """One recommendation's reason.

    ``kind`` is ``similar`` (like the reference ``ref_title`` by ``ref_artist``,
    introduced as :data:`REF_WORDS` ``[ref_kind]``; ``mix``: another pick of the
    same mix), ``favourite`` (``liked``, or finished ``times`` times), ``new``
    (not heard yet), ``library`` (nothing to go on but the library), or, for a
    mix with no taste behind it (:mod:`player.recommend.fresh`), ``album`` (from
    ``album`` by ``ref_artist``, not opened yet), ``artist`` (``ref_artist``, not
    played yet) or ``genre`` (``genre`` and/or the ``decade``).
    """

    kind: str
    audio: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    ref_title: str = ""
    ref_artist: str = ""
    ref_kind: str = ""
    liked: bool = False
    times: int = 0
    rating: int = 0  # a favourite rated this many stars (of 5)
    days: int = 0  # a favourite finished on this many different days
    album: str = ""
    genre: str = ""
    decade: int = 0  # 1980 for the 1980s

    def template(self) -> tuple[object, ...]:
        """What two reasons share when they read the same: the sentence and what it names.

        Counts (stars, days) do not make a reason different; the reference
        track does ("same era as X" and "same era as Y" are different reasons).
        """
        if self.kind == "favourite":
            basis = "liked" if self.liked else "rated" if self.rating else "days"
            return ("favourite", basis)
        if self.kind == "album":
            return (self.kind, self.album.casefold(), self.ref_artist.casefold())
        if self.kind == "artist":
            return (self.kind, self.ref_artist.casefold())
        if self.kind == "genre":
            return (self.kind, self.genre.casefold(), self.decade)
        if self.kind != "similar":
            return (self.kind,)
        return (self.kind, self.audio, self.tags, self.ref_title, self.ref_artist)

    def english(self) -> str:
        if self.kind == "favourite":
            if self.liked:
                return "a favourite: you liked it"
            if self.rating:
                return f"a favourite: you rated it {self.rating} of 5"
            if self.days:
                return f"a favourite: you played it through on {self.days} days"
            plural = "s" if self.times != 1 else ""
            return f"a favourite: you finished it {self.times} time{plural}"
        if self.kind == "new":
            return "something you have not heard yet"
        if self.kind == "library":
            return "from your library"
        if self.kind == "album":
            by = f" by {self.ref_artist}" if self.ref_artist else ""
            return f"from {self.album}{by}, an album you have not opened yet"
        if self.kind == "artist":
            return f"{self.ref_artist}, an artist you have not played yet"
        if self.kind == "genre":
            if self.genre and self.decade:
                return f"{self.genre} from the {self.decade}s"
            return self.genre or f"from the {self.decade}s"
        label = f"{self.ref_title} by {self.ref_artist}" if self.ref_artist else self.ref_title
        ref = " ".join(x for x in (REF_WORDS.get(self.ref_kind, ""), label) if x)
        if self.ref_kind == "mix":
            ref = f"{label} (also in this mix)"
        parts = []
        if self.audio:
            words = " and ".join(AUDIO_WORDS[g] for g in self.audio)
            parts.append(f"similar {words} to {ref}")
        if self.tags:
            fields = " and ".join(self.tags)
            parts.append(f"same {fields} as {ref}" if not parts else f"same {fields}")
        return "; ".join(parts) or f"sounds close to {ref}"
