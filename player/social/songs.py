"""Which comment thread a track belongs to, and the comments read recently.

A track's identity is every identifier the library has (MusicBrainz recording
ID, ISRC, artist/title/album/duration, and a Chromaprint fingerprint when
``fpcalc`` is installed); the server resolves it to one song, so a FLAC rip
and an MP3 of the same recording meet in one thread. The answer is cached in
the library: a track is resolved once per server. Comment pages read while
online are cached too, so the Comments tab still has something to show
offline (marked as possibly out of date).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from player.library.store import LibraryDB
from player.library.track import TrackInfo
from player.social.client import Comment, CommentPage, SocialClient

FPCALC_TIMEOUT_S = 30.0
#: cached pages older than this are dropped
CACHE_MAX_AGE_S = 30 * 86400


def fingerprint(path: str, fpcalc: str | None = None) -> str | None:
    """Chromaprint's fingerprint of an audio file, or None (no fpcalc, unreadable file)."""
    tool = fpcalc or shutil.which("fpcalc")
    if tool is None:
        return None
    try:
        out = subprocess.run(
            [tool, "-plain", path], capture_output=True, text=True, timeout=FPCALC_TIMEOUT_S,
            check=False,
        )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired):
        return None
    text = out.stdout.strip()  # fpcalc also prints one for a file with a damaged end (exit 3)
    return text if text and "\n" not in text else None


def identity(track: TrackInfo, *, with_fingerprint: bool = True) -> dict[str, Any]:
    """The identifiers the server resolves a song by, strongest first."""
    found: dict[str, Any] = {
        "mbid": track.mb_recording_id or None,
        "isrc": track.isrc or None,
        "fingerprint": fingerprint(track.path)
        if with_fingerprint and "://" not in track.path
        else None,
        "artist": track.artists[0] if track.artists else None,  # the main artist
        "title": track.title or None,
        "album": track.album or None,
        "duration_ms": round(track.duration * 1000) if track.duration else None,
    }
    return {k: v for k, v in found.items() if v is not None}


class SongIds:
    """The server's song id per library track, resolved once and remembered."""

    def __init__(self, library: LibraryDB, server: str, *, with_fingerprint: bool = True) -> None:
        self.library = library
        self.server = server.rstrip("/")
        self.with_fingerprint = with_fingerprint

    def cached(self, track_id: int) -> int | None:
        row = self.library.execute(
            "SELECT song_id FROM song_ids WHERE track_id = ? AND server = ?",
            (track_id, self.server),
        ).fetchone()
        return int(row[0]) if row else None

    def cached_many(self, track_ids: list[int]) -> dict[int, int]:
        """The remembered song ids of *track_ids* (the unresolved ones are left out)."""
        found: dict[int, int] = {}
        for start in range(0, len(track_ids), 500):
            chunk = [int(t) for t in track_ids[start : start + 500]]
            marks = ",".join("?" * len(chunk))
            rows = self.library.execute(
                f"SELECT track_id, song_id FROM song_ids WHERE server = ? AND track_id IN ({marks})",
                (self.server, *chunk),
            ).fetchall()
            found.update((int(t), int(s)) for t, s in rows)
        return found

    def song_id(self, track_id: int, client: SocialClient, *, create: bool = True) -> int | None:
        """The song id of a library track (None: the server does not know it yet).

        ``create`` False only looks the song up, even when signed in.
        """
        known = self.cached(track_id)
        if known is not None:
            return known
        track = self.library.get_track(track_id)
        if track is None:
            return None
        resolved = client.resolve(
            identity(track, with_fingerprint=self.with_fingerprint), create=create
        )
        if resolved.song_id is not None:
            with self.library.transaction():
                self.library.execute(
                    "INSERT OR REPLACE INTO song_ids (track_id, server, song_id, resolved_at) "
                    "VALUES (?, ?, ?, ?)",
                    (track_id, self.server, resolved.song_id, time.time()),
                )
        return resolved.song_id


@dataclass(frozen=True)
class CachedPage:
    page: CommentPage
    fetched_at: float
    stale: bool  # shown from the cache: the server could not be asked


class CommentCache:
    """The first page of recently read songs' comments, per sort order."""

    def __init__(
        self, library: LibraryDB, server: str, *, clock: Callable[[], float] = time.time
    ) -> None:
        self.library = library
        self.server = server.rstrip("/")
        self.clock = clock

    def store(self, song_id: int, sort: str, page: CommentPage) -> None:
        data = json.dumps(
            {"items": [comment_json(c) for c in page.items], "next_cursor": page.next_cursor},
            ensure_ascii=False,
        )
        now = self.clock()
        with self.library.transaction():
            self.library.execute(
                "INSERT OR REPLACE INTO comment_cache (server, song_id, sort, page, etag, "
                "fetched_at) VALUES (?, ?, ?, ?, ?, ?)",
                (self.server, song_id, sort, data, page.etag, now),
            )
            self.library.execute(
                "DELETE FROM comment_cache WHERE fetched_at < ?", (now - CACHE_MAX_AGE_S,)
            )

    def load(self, song_id: int, sort: str) -> CachedPage | None:
        row = self.library.execute(
            "SELECT page, etag, fetched_at FROM comment_cache "
            "WHERE server = ? AND song_id = ? AND sort = ?",
            (self.server, song_id, sort),
        ).fetchone()
        if row is None:
            return None
        raw = json.loads(row[0])
        items = [Comment.from_json(item) for item in raw["items"]]
        return CachedPage(CommentPage(items, raw.get("next_cursor"), row[1]), float(row[2]), True)

    def store_other(self, sort: str, data: str) -> None:
        """A page that belongs to no song (the comment wall), kept as JSON text under song 0."""
        with self.library.transaction():
            self.library.execute(
                "INSERT OR REPLACE INTO comment_cache (server, song_id, sort, page, etag, "
                "fetched_at) VALUES (?, 0, ?, ?, NULL, ?)",
                (self.server, sort, data, self.clock()),
            )

    def load_other(self, sort: str) -> tuple[str, float] | None:
        """What :meth:`store_other` kept, and when."""
        row = self.library.execute(
            "SELECT page, fetched_at FROM comment_cache WHERE server = ? AND song_id = 0 AND sort = ?",
            (self.server, sort),
        ).fetchone()
        return None if row is None else (str(row[0]), float(row[1]))


def comment_json(comment: Comment) -> dict[str, Any]:
    """A comment as the server's JSON (what :meth:`Comment.from_json` reads back)."""

    def user(u: Any) -> dict[str, Any] | None:
        return {"id": u.id, "username": u.username} if u else None

    return {
        "id": comment.id, "song_id": comment.song_id, "author": user(comment.author),
        "body": comment.body, "position_ms": comment.position_ms, "parent_id": comment.parent_id,
        "reply_to": user(comment.reply_to), "like_count": comment.like_count,
        "liked_by_me": comment.liked_by_me, "reply_count": comment.reply_count,
        "created_at": comment.created_at, "edited_at": comment.edited_at,
        "deleted": comment.deleted, "hidden": comment.hidden,
    }  # fmt: skip
