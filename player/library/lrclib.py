"""Asking an LRCLIB server (https://lrclib.net by default) for a track's lyrics.

One lookup is ``GET /api/get`` with artist, title, album and duration (whole
seconds; LRCLIB matches within two seconds) when all four are known, then, on
a 404 ``TrackNotFound``, ``GET /api/search`` by title and artist (or ``q=`` with
only a title). Synced lyrics win over plain ones; a record marked
``instrumental`` means the track has none. Every request names Kindred in its
``User-Agent``, as LRCLIB asks its clients to.

Plain Python over httpx: the window calls it on a worker, ``kindred lyrics
--fetch`` directly. Network trouble raises :class:`LyricsLookupError`; "not
found" is an answer (:data:`NONE`), not an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from player.errors import AppError

DEFAULT_SERVER = "https://lrclib.net"
USER_AGENT = "Kindred/0.1 (desktop music player)"
TIMEOUT_S = 10.0
#: LRCLIB's own tolerance between a record's duration and the one asked for
DURATION_SLACK_S = 2.0

#: what a lookup can find
SYNCED, PLAIN, INSTRUMENTAL, NONE = "synced", "plain", "instrumental", "none"


class LyricsLookupError(AppError):
    """The lyrics server could not be reached or answered something unexpected."""


@dataclass(frozen=True)
class TrackQuery:
    """What a lyrics server is asked about one track."""

    artist: str
    title: str
    album: str = ""
    duration_s: float | None = None

    @property
    def usable(self) -> bool:
        return bool(self.title.strip())


@dataclass(frozen=True)
class Found:
    """The answer of a lookup: ``kind`` is synced, plain, instrumental or none."""

    kind: str
    text: str = ""
    source: str = ""  # the server's record id, "get" or "search"

    @property
    def has_lyrics(self) -> bool:
        return self.kind in (SYNCED, PLAIN) and bool(self.text.strip())


class LrclibClient:
    """A small client of one LRCLIB server (its ``/api/get`` and ``/api/search``)."""

    def __init__(self, server: str = DEFAULT_SERVER, http: httpx.Client | None = None) -> None:
        self.server = (server or DEFAULT_SERVER).rstrip("/")
        self._own = http is None
        self.http = http or httpx.Client(timeout=TIMEOUT_S, follow_redirects=True)
        self.requests = 0  # how many requests this client sent (shown by tests and the CLI)

    def close(self) -> None:
        if self._own:
            self.http.close()

    def __enter__(self) -> LrclibClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- requests ------------------------------------------------------------------------
    def _get(self, endpoint: str, params: dict[str, str]) -> Any:
        """The JSON of ``GET endpoint``; None on a 404."""
        url = f"{self.server}/api/{endpoint}"
        self.requests += 1
        try:
            response = self.http.get(url, params=params, headers={"User-Agent": USER_AGENT})
        except httpx.HTTPError as exc:
            raise LyricsLookupError(
                "Cannot reach the lyrics server", f"{self.server}: {exc}"
            ) from exc
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise LyricsLookupError(
                "The lyrics server refused the request",
                f"{url} answered {response.status_code}: {response.text[:200]}",
            )
        try:
            return response.json()
        except ValueError as exc:
            raise LyricsLookupError(
                "The lyrics server answered something unexpected", f"{url}: not JSON"
            ) from exc

    def lookup(self, query: TrackQuery) -> Found:
        """Lyrics for *query*: ``/api/get`` first (when album and duration are known),
        then ``/api/search``; :data:`NONE` when neither finds them."""
        if not query.usable:
            return Found(NONE)
        if query.artist and query.album and query.duration_s:
            record = self._get(
                "get",
                {
                    "artist_name": query.artist,
                    "track_name": query.title,
                    "album_name": query.album,
                    "duration": str(round(query.duration_s)),
                },
            )
            if isinstance(record, dict):
                found = from_record(record)
                if found.kind != NONE:
                    return found
        if query.artist:
            params = {"track_name": query.title, "artist_name": query.artist}
        else:
            params = {"q": query.title}
        results = self._get("search", params)
        if not isinstance(results, list):
            return Found(NONE)
        return best_of(results, query)


def from_record(record: dict[str, Any]) -> Found:
    """One LRCLIB record as an answer: synced lyrics before plain ones."""
    source = str(record.get("id", ""))
    if record.get("instrumental"):
        return Found(INSTRUMENTAL, "", source)
    synced = record.get("syncedLyrics") or ""
    if isinstance(synced, str) and synced.strip():
        return Found(SYNCED, synced, source)
    plain = record.get("plainLyrics") or ""
    if isinstance(plain, str) and plain.strip():
        return Found(PLAIN, plain, source)
    return Found(NONE, "", source)


def best_of(records: list[Any], query: TrackQuery) -> Found:
    """The best search result: the duration within LRCLIB's slack (when known), then
    synced lyrics, then plain, then an instrumental record; :data:`NONE` otherwise."""
    rank = {SYNCED: 0, PLAIN: 1, INSTRUMENTAL: 2}
    best: tuple[int, float, Found] | None = None
    for record in records:
        if not isinstance(record, dict):
            continue
        found = from_record(record)
        if found.kind not in rank:
            continue
        gap = 0.0
        if query.duration_s and isinstance(record.get("duration"), int | float):
            gap = abs(float(record["duration"]) - query.duration_s)
            if gap > DURATION_SLACK_S:
                continue
        key = (rank[found.kind], gap)
        if best is None or key < best[:2]:
            best = (key[0], key[1], found)
    return best[2] if best else Found(NONE)
