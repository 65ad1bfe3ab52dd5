"""Reasons for a daily mix with no taste behind it yet (a new library, nothing played).

With no history every pick is "something you have not heard yet", which says
nothing. :func:`fresh_reason` says something true of each pick instead, and
varied: how it sounds next to another pick of the same mix (the audio groups
and tags the model finds closer than chance), the album it comes from that has
not been opened yet, its artist not played yet, or its genre and decade. The
kinds are taken in turn, pick by pick, and each template (see
:meth:`~player.recommend.reasons.Why.template`) is used at most ``limit`` times.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

import numpy as np

from player.recommend.model import Model
from player.recommend.reasons import Why

#: how many of the picks already made a pick is compared with (the closest first)
MAX_NEIGHBOURS = 6


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def opened(model: Model, played: Collection[int]) -> tuple[set[str], set[str]]:
    """The albums and artists (keys) of the tracks in *played* (ids): those are not new."""
    albums, artists = set(), set()
    for track_id in played:
        row = model.row.get(track_id)
        if row is None:
            continue
        meta = model.metas[row]
        if meta.tags.album:
            albums.add(_key(meta.tags.album))
        artists.add(model.artist_key[row])
    return albums, artists


def _sound(model: Model, row: int, taken: Sequence[int]) -> list[Why]:
    """Like another pick of this mix: the closest ones first, only where something is shared."""
    others = [r for r in taken if r != row]
    if model.has_audio[row] and others:
        sims = model.audio[others] @ model.audio[row]
        others = [others[i] for i in np.argsort(-sims, kind="stable")]
    out = []
    for ref in others[:MAX_NEIGHBOURS]:
        why = model.why(row, ref, "mix")
        if why.audio or why.tags:
            out.append(why)
    return out


def _album(model: Model, row: int, albums: set[str]) -> list[Why]:
    meta = model.metas[row]
    album = meta.tags.album.strip()
    if not album or _key(album) in albums:
        return []
    return [Why("album", album=album, ref_artist=meta.tags.album_artist or meta.artist)]


def _artist(model: Model, row: int, artists: set[str]) -> list[Why]:
    artist = model.metas[row].artist.strip()
    if not artist or model.artist_key[row] in artists:
        return []
    return [Why("artist", ref_artist=artist)]


def _genre(model: Model, row: int) -> list[Why]:
    tags = model.metas[row].tags
    genre = next((g.strip() for g in tags.genre.split(";") if g.strip()), "")
    decade = (tags.year // 10) * 10 if tags.year and tags.year > 0 else 0
    if not genre and not decade:
        return []
    return [Why("genre", genre=genre, decade=decade)]


def fresh_reason(
    model: Model,
    row: int,
    taken: Sequence[int],
    turn: int,
    seen: tuple[set[str], set[str]],
    take: Callable[[Why], bool],
) -> Why | None:
    """The reason for pick ``row`` (``taken``: the rows picked before it; ``turn``: its place),
    starting from a different kind each turn; None when every true reason is used up.

    ``seen`` is :func:`opened`'s albums and artists; ``take`` counts a reason in
    (False when its template is used up); "not heard yet" is the last resort.
    """
    albums, artists = seen
    kinds: list[Callable[[], list[Why]]] = [
        lambda: _sound(model, row, taken),
        lambda: _album(model, row, albums),
        lambda: _artist(model, row, artists),
        lambda: _genre(model, row),
    ]
    start = turn % len(kinds)
    for kind in kinds[start:] + kinds[:start]:
        for why in kind():
            if take(why):
                return why
    why = Why("new")
    return why if take(why) else None
