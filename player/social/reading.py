"""Reading a track's comments: from the server when it answers, else from the cache.

The window's Comments tab and ``kindred comments list`` both read the same way:
resolve the track's song id (remembered in the library), fetch the first page
of each sort order asked for, and keep it in the comment cache. When the server
cannot give them, the cached pages are returned instead, marked ``stale``, with
the error that explains why.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from player.social.client import CommentPage, SocialClient
from player.social.errors import SocialError
from player.social.songs import CommentCache, SongIds


@dataclass(frozen=True)
class CommentsRead:
    """First pages per sort order. ``stale``: from the cache because of ``error``."""

    song_id: int | None
    pages: dict[str, CommentPage] = field(default_factory=dict)
    stale: bool = False
    error: SocialError | None = None
    cached: bool = True  # False: stale, and the cache had nothing either

    def page(self, sort: str) -> CommentPage:
        return self.pages.get(sort) or CommentPage([], None)


def read_comments(
    client: SocialClient,
    songs: SongIds,
    cache: CommentCache,
    track_id: int,
    sorts: dict[str, int],
) -> CommentsRead:
    """The first page of each ``{sort: limit}`` for *track_id*, online or from the cache."""
    try:
        song_id = songs.song_id(track_id, client)
    except SocialError as exc:
        return _from_cache(songs.cached(track_id), cache, sorts, exc)
    if song_id is None:
        return CommentsRead(None)  # nobody has written about this song yet
    pages: dict[str, CommentPage] = {}
    try:
        for sort, limit in sorts.items():
            pages[sort] = client.comments(song_id, sort=sort, limit=limit)
    except SocialError as exc:
        return _from_cache(song_id, cache, sorts, exc)
    for sort, page in pages.items():
        cache.store(song_id, sort, page)
    return CommentsRead(song_id, pages)


def _from_cache(
    song_id: int | None, cache: CommentCache, sorts: dict[str, int], error: SocialError
) -> CommentsRead:
    if song_id is None:
        return CommentsRead(None, {}, True, error, cached=False)
    pages: dict[str, CommentPage] = {}
    for sort in sorts:
        kept = cache.load(song_id, sort)
        if kept is not None:
            pages[sort] = kept.page
    return CommentsRead(song_id, pages, True, error, cached=bool(pages))
