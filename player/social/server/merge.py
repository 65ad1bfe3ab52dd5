"""Merging songs: when one request ties aliases that belong to two songs.

Two listeners may first register one recording through different identifiers
(one file tagged with an MBID, another known only by artist + title), so it
gets two song ids. When a later ``POST /songs/resolve`` carries aliases of
both, they become one song: the survivor is the song with the strongest
identity (an MBID beats an ISRC beats a fingerprint beats tags), then the
oldest. Comments, aliases and the comment count move to it; the other song
row stays, with ``merged_into`` pointing at the survivor, so its id keeps
resolving (``GET /songs/{old}/comments`` shows the surviving thread).

Songs that each carry a different MusicBrainz recording ID are different
recordings and are never merged.
"""

from __future__ import annotations

from sqlalchemy import Connection, select

from .db import TOUCHED_SONGS
from .schema import comments, song_aliases, songs

#: strongest identity first
KIND_RANK = {"mbid": 0, "isrc": 1, "fp": 2, "key": 3}


class Raced(Exception):
    """A song changed under us (merged concurrently): the caller should try again."""


def _strength(conn: Connection, song_ids: list[int]) -> dict[int, int]:
    rows = conn.execute(
        select(song_aliases.c.song_id, song_aliases.c.kind)
        .where(song_aliases.c.song_id.in_(song_ids))
        .distinct()
    ).all()
    best = dict.fromkeys(song_ids, len(KIND_RANK))
    for row in rows:
        best[row.song_id] = min(best[row.song_id], KIND_RANK.get(row.kind, len(KIND_RANK)))
    return best


def mergeable(conn: Connection, song_ids: list[int]) -> bool:
    """False when two of the songs carry MusicBrainz IDs (different recordings)."""
    with_mbid = conn.execute(
        select(song_aliases.c.song_id)
        .where(song_aliases.c.song_id.in_(song_ids), song_aliases.c.kind == "mbid")
        .distinct()
    ).all()
    return len(with_mbid) <= 1


def merge_songs(conn: Connection, song_ids: set[int]) -> int:
    """Fold ``song_ids`` into one song (inside the caller's write transaction); its id.

    Raises :class:`Raced` when one of them was merged meanwhile.
    """
    ordered = sorted(song_ids)
    query = (
        select(songs.c.id, songs.c.created_us, songs.c.comment_count, songs.c.merged_into)
        .where(songs.c.id.in_(ordered))
        .order_by(songs.c.id)
    )
    if conn.dialect.name == "postgresql":
        query = query.with_for_update()  # in id order: two merges cannot deadlock
    rows = conn.execute(query).all()
    if len(rows) != len(ordered) or any(r.merged_into is not None for r in rows):
        raise Raced
    strength = _strength(conn, ordered)
    survivor = min(rows, key=lambda r: (strength[r.id], r.created_us, r.id))
    moved = 0
    for row in rows:
        if row.id == survivor.id:
            continue
        conn.execute(
            comments.update().where(comments.c.song_id == row.id).values(song_id=survivor.id)
        )
        conn.execute(
            song_aliases.update()
            .where(song_aliases.c.song_id == row.id)
            .values(song_id=survivor.id)
        )
        # songs merged into this one earlier now point straight at the survivor
        conn.execute(
            songs.update().where(songs.c.merged_into == row.id).values(merged_into=survivor.id)
        )
        conn.execute(
            songs.update()
            .where(songs.c.id == row.id)
            .values(merged_into=survivor.id, comment_count=0, version=songs.c.version + 1)
        )
        moved += row.comment_count
    conn.execute(
        songs.update()
        .where(songs.c.id == survivor.id)
        .values(comment_count=songs.c.comment_count + moved, version=songs.c.version + 1)
    )
    conn.info.setdefault(TOUCHED_SONGS, set()).update(ordered)
    return survivor.id


def live_song_ids(conn: Connection, song_ids: list[int]) -> dict[int, int]:
    """Each id mapped to the song that now holds its thread (itself unless merged)."""
    rows = conn.execute(
        select(songs.c.id, songs.c.merged_into).where(songs.c.id.in_(song_ids))
    ).all()
    return {r.id: r.merged_into or r.id for r in rows}
