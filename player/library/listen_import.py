"""An imported listening history: listens matched to library tracks, or kept apart.

Each listen (from a ListenBrainz or Last.fm export, or the Last.fm API: see
:mod:`player.library.listen_formats` and :mod:`player.library.lastfm_history`)
is matched to a library track by the identity comment threads use: the
MusicBrainz recording ID, then the normalised artist + title of
:mod:`player.songid` (the closest duration where the listen knows one). A
matched listen becomes a play of that track, marked ``imported_from`` (never
scrobbled back) and counted once however often it is imported; the others are
kept in ``imported_listens``, where they still tell which artists the listener
likes (:func:`artist_listens`, read by the recommender's taste).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from player.songid import normalize_artist, normalize_title

if TYPE_CHECKING:
    from player.library.store import LibraryDB

#: a listen whose duration differs from every same-named track by more than this
#: (seconds, or this share of the track) is another recording
DURATION_SLACK_S = 15.0
DURATION_SLACK_SHARE = 0.1
#: listens written per transaction
BATCH = 2000


@dataclass(frozen=True)
class Listen:
    """One listen of an imported history."""

    artist: str
    title: str
    listened_at: int  # unix seconds
    source: str  # "listenbrainz" | "lastfm"
    album: str = ""
    mbid: str = ""  # MusicBrainz recording ID
    duration_s: float | None = None


@dataclass
class ImportSummary:
    """What one import did; ``matched + unmatched`` is every listen read."""

    listens: int = 0
    matched: int = 0
    unmatched: int = 0
    already: int = 0  # of those, listens imported before (kept once)
    tracks: set[int] = field(default_factory=set)
    artists: set[str] = field(default_factory=set)  # normalised, of the unmatched

    def add(self, other: ImportSummary) -> None:
        self.listens += other.listens
        self.matched += other.matched
        self.unmatched += other.unmatched
        self.already += other.already
        self.tracks |= other.tracks
        self.artists |= other.artists

    def to_dict(self) -> dict[str, int]:
        return {
            "listens": self.listens,
            "matched": self.matched,
            "tracks": len(self.tracks),
            "unmatched": self.unmatched,
            "unmatched_artists": len(self.artists),
            "already_imported": self.already,
        }

    def sentence(self) -> str:
        """ "Imported 12,345 listens: 9,876 matched to 1,234 tracks, ..."."""
        return (
            f"Imported {self.listens:,} listens: {self.matched:,} matched to "
            f"{len(self.tracks):,} tracks, {self.unmatched:,} not in the library "
            f"({len(self.artists):,} artists); {self.already:,} already imported."
        )


class TrackMatcher:
    """The library's tracks by MBID and by normalised artist + title, read once."""

    def __init__(self, db: LibraryDB) -> None:
        self.by_mbid: dict[str, int] = {}
        self.by_name: dict[tuple[str, str], list[tuple[int, float]]] = {}
        self.duration: dict[int, float] = {}
        for tid, mbid, artist, title, duration in db.query(
            "SELECT id, mb_recording_id, artist, title, duration FROM tracks ORDER BY id"
        ):
            self.duration[tid] = float(duration or 0.0)
            if mbid:
                self.by_mbid.setdefault(str(mbid).lower(), tid)
            key = (normalize_artist(artist or ""), normalize_title(title or ""))
            if key[0] and key[1]:
                self.by_name.setdefault(key, []).append((tid, float(duration or 0.0)))

    def match(self, listen: Listen) -> int | None:
        """The library track ``listen`` was a play of, or None."""
        if listen.mbid:
            tid = self.by_mbid.get(listen.mbid.lower())
            if tid is not None:
                return tid
        found = self.by_name.get((normalize_artist(listen.artist), normalize_title(listen.title)))
        if not found:
            return None
        if not listen.duration_s:
            return found[0][0]
        best = min(found, key=lambda c: abs(c[1] - listen.duration_s) if c[1] else 0.0)
        tid, duration = best
        if duration and abs(duration - listen.duration_s) > max(
            DURATION_SLACK_S, DURATION_SLACK_SHARE * duration
        ):
            return None
        return tid


def import_listens(
    db: LibraryDB,
    listens: Iterable[Listen],
    *,
    matcher: TrackMatcher | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Add ``listens`` to the history (matched: plays; others: ``imported_listens``).

    Written in batches, each in one transaction; ``progress(listens read)``
    after each batch.
    """
    matcher = matcher or TrackMatcher(db)
    summary = ImportSummary()
    batch: list[Listen] = []
    for listen in listens:
        batch.append(listen)
        if len(batch) >= BATCH:
            _write(db, matcher, batch, summary)
            batch = []
            if progress:
                progress(summary.listens)
    if batch:
        _write(db, matcher, batch, summary)
    if progress:
        progress(summary.listens)
    return summary


def _write(
    db: LibraryDB,
    matcher: TrackMatcher,
    batch: list[Listen],
    out: ImportSummary,
    kept_ids: list[int] | None = None,
) -> None:
    """Write ``batch`` in one transaction (and drop ``kept_ids`` from the kept listens)."""
    with db.transaction() as conn:
        if kept_ids:
            conn.executemany("DELETE FROM imported_listens WHERE id = ?", [(i,) for i in kept_ids])
        for listen in batch:
            out.listens += 1
            tid = matcher.match(listen)
            if tid is not None:
                out.matched += 1
                out.tracks.add(tid)
                seconds = listen.duration_s or matcher.duration.get(tid, 0.0)
                added = conn.execute(
                    "INSERT OR IGNORE INTO plays (track_id, played_at, listened_ms, finished, "
                    "skipped, imported_from) VALUES (?, ?, ?, 1, 0, ?)",
                    (tid, float(listen.listened_at), round(seconds * 1000), listen.source),
                ).rowcount
                if added:
                    conn.execute(
                        "UPDATE tracks SET play_count = play_count + 1, "
                        "last_played = MAX(COALESCE(last_played, 0), ?) WHERE id = ?",
                        (float(listen.listened_at), tid),
                    )
                else:
                    out.already += 1
                continue
            artist_key = normalize_artist(listen.artist)
            out.unmatched += 1
            if artist_key:
                out.artists.add(artist_key)
            added = conn.execute(
                "INSERT OR IGNORE INTO imported_listens (artist, title, album, mbid, duration, "
                "listened_at, source, artist_key, title_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    listen.artist,
                    listen.title,
                    listen.album,
                    listen.mbid,
                    listen.duration_s,
                    float(listen.listened_at),
                    listen.source,
                    artist_key,
                    normalize_title(listen.title),
                ),
            ).rowcount
            if not added:
                out.already += 1


def rematch_kept(db: LibraryDB, matcher: TrackMatcher | None = None) -> ImportSummary:
    """Match the kept (unmatched) listens again, against the library as it is now.

    A listen that now finds its track (an album scanned since the import)
    becomes an imported play of it and leaves ``imported_listens``; the
    summary counts those as matched and the rest as still unmatched.
    """
    matcher = matcher or TrackMatcher(db)
    kept = db.query(
        "SELECT id, artist, title, album, mbid, listened_at, source, duration FROM imported_listens"
    )
    found: list[tuple[int, Listen]] = []
    for row_id, artist, title, album, mbid, when, source, duration in kept:
        listen = Listen(artist, title, int(when), source, album, mbid, duration)
        if matcher.match(listen) is not None:
            found.append((int(row_id), listen))
    summary = ImportSummary()
    for start in range(0, len(found), BATCH):
        part = found[start : start + BATCH]
        _write(db, matcher, [listen for _, listen in part], summary, [i for i, _ in part])
    moved = {i for i, _ in found}
    summary.listens = len(kept)
    summary.unmatched = len(kept) - len(moved)
    summary.artists = {
        normalize_artist(row[1]) for row in kept if row[0] not in moved and row[1]
    } - {""}
    return summary


def artist_listens(db: LibraryDB) -> dict[str, tuple[int, float]]:
    """Per normalised artist of the unmatched imported listens: (listens, latest time)."""
    return {
        key: (int(n), float(last))
        for key, n, last in db.query(
            "SELECT artist_key, COUNT(*), MAX(listened_at) FROM imported_listens "
            "WHERE artist_key != '' GROUP BY artist_key"
        )
    }


def tracks_by_artist(db: LibraryDB, artist_keys: Iterable[str]) -> dict[str, list[int]]:
    """The library tracks of each of ``artist_keys`` (normalised artists)."""
    wanted = set(artist_keys)
    out: dict[str, list[int]] = {}
    if not wanted:
        return out
    for tid, artist in db.query("SELECT id, artist FROM tracks WHERE artist != ''"):
        key = normalize_artist(artist)
        if key in wanted:
            out.setdefault(key, []).append(int(tid))
    return out


def imported_counts(db: LibraryDB) -> dict[str, int]:
    """How much imported history the library holds: plays and unmatched listens."""
    return {
        "imported_plays": int(db.scalar("SELECT COUNT(*) FROM plays WHERE imported_from != ''")),
        "unmatched_listens": int(db.scalar("SELECT COUNT(*) FROM imported_listens")),
    }


def load_state(db: LibraryDB, source: str, account: str) -> dict[str, Any]:
    """How far an API import of ``account`` got ({} when never started)."""
    text = db.scalar(
        "SELECT state FROM history_import_state WHERE source = ? AND account = ?",
        (source, account),
    )
    return json.loads(text) if text else {}


def save_state(db: LibraryDB, source: str, account: str, state: dict[str, Any]) -> None:
    with db.transaction() as conn:
        conn.execute(
            "INSERT INTO history_import_state (source, account, state, updated_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (source, account) DO UPDATE SET "
            "state = excluded.state, updated_at = excluded.updated_at",
            (source, account, json.dumps(state), time.time()),
        )
