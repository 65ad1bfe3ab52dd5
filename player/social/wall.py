"""The comment wall as the window shows it: the period's most liked comments, each
with its song and, when this library holds that song, the track that plays it.

:func:`load_wall` is a worker call. What the server answered is kept in the
comment cache of the library (like a song's comments), so the wall is still
shown, marked stale, while the server cannot be reached.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from player.library.store.identity import held_songs
from player.social.client import Comment, SongRef
from player.social.errors import SocialError
from player.social.songs import comment_json

if TYPE_CHECKING:
    from player.social.service import CommentsService

#: how many comments the For You shelf shows
WALL_SIZE = 8


@dataclass(frozen=True)
class WallItem:
    comment: Comment
    song: SongRef | None
    #: the library's track of this song (None: the library does not hold it)
    track_id: int | None = None


@dataclass(frozen=True)
class Wall:
    items: list[WallItem]
    #: shown from the cache: the server could not be asked
    stale: bool = False
    error: SocialError | None = None


def _song_json(song: SongRef | None) -> dict[str, Any] | None:
    if song is None:
        return None
    aliases = [{"kind": k, "value": v} for k, v in song.aliases.items()]
    return {"id": song.id, "artist": song.artist, "title": song.title, "aliases": aliases}


def load_wall(service: CommentsService, period: str = "week", limit: int = WALL_SIZE) -> Wall:
    """The wall from the server (or, offline, the last one kept); empty without a server."""
    if not service.configured:
        return Wall([])
    cache = service.cache()
    key = f"wall:{period}"
    try:
        got = service.client.top_comments(period, limit)
        data = [comment_json(c) | {"song": _song_json(s)} for c, s in got]
        cache.store_other(key, json.dumps(data, ensure_ascii=False))
        stale, error = False, None
    except SocialError as exc:
        kept = cache.load_other(key)
        if kept is None:
            return Wall([], True, exc)
        got = [
            (Comment.from_json(i), SongRef.from_json(i["song"]) if i.get("song") else None)
            for i in json.loads(kept[0])
        ]
        stale, error = True, exc
    songs = [s for _, s in got if s is not None]
    held = held_songs(service.db(), service.server, [(s.id, s.aliases) for s in songs])
    items = [WallItem(c, s, held.get(s.id) if s is not None else None) for c, s in got]
    return Wall(items, stale, error)
