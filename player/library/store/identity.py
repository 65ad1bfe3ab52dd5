"""Which songs of the comment server this library holds.

A song on the server carries aliases (MusicBrainz recording ID, ISRC, the
normalised artist + title + duration key, a fingerprint hash); a library track
holds the same song when it shares one of them, or when it was already
resolved to that song on this server (``song_ids``, which covers fingerprint
matches too). One query each, however many songs are asked about.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol


class LibraryDB(Protocol):
    def execute(self, sql: str, params: Any = ()) -> Any: ...


def _marks(n: int) -> str:
    return ",".join("?" * n)


def held_songs(
    db: LibraryDB, server: str, songs: Iterable[tuple[int, Mapping[str, str]]]
) -> dict[int, int]:
    """For each (song id, aliases by kind) the library holds, one of its track ids."""
    wanted = list(songs)
    found: dict[int, int] = {}
    if not wanted:
        return found
    ids = [song for song, _ in wanted]
    for song_id, track_id in db.execute(
        f"SELECT song_id, MIN(track_id) FROM song_ids WHERE server = ? AND song_id IN ({_marks(len(ids))}) "
        "GROUP BY song_id",
        (server.rstrip("/"), *ids),
    ).fetchall():
        found[int(song_id)] = int(track_id)
    by_alias: dict[tuple[str, str], int] = {}
    for song, aliases in wanted:
        if song in found:
            continue
        for kind in ("mbid", "isrc", "key"):
            if aliases.get(kind):
                by_alias[(kind, aliases[kind])] = song
    if not by_alias:
        return found
    values = {kind: [v for k, v in by_alias if k == kind] for kind in ("mbid", "isrc", "key")}
    conds, params = [], []
    for kind, column in (("mbid", "mb_recording_id"), ("isrc", "isrc"), ("key", "song_key")):
        if values[kind]:
            conds.append(f"{column} IN ({_marks(len(values[kind]))})")
            params += values[kind]
    rows = db.execute(
        f"SELECT id, mb_recording_id, isrc, song_key FROM tracks WHERE {' OR '.join(conds)} "
        "ORDER BY id",
        params,
    ).fetchall()
    for track_id, mbid, isrc, key in rows:
        for alias in (("mbid", mbid), ("isrc", isrc), ("key", key)):
            song = by_alias.get(alias)
            if song is not None and song not in found:
                found[song] = int(track_id)
    return found
