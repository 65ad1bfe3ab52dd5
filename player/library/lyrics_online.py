"""A track's lyrics from wherever they are: the ``.lrc`` beside it, its tags, the
library's cache of online answers, or (only when allowed) an LRCLIB server.

:func:`find_track_lyrics` is what both the lyrics tab (on a worker thread, its
own connection) and ``kindred lyrics`` call. Local lyrics always win and never
cause a request; an answer already in the cache is used whatever the setting. Online lookups happen only with ``LyricsOptions.online`` (the
listener's setting, off by default) or ``force`` (``kindred lyrics --fetch``);
every answer, "none found" included, is kept in the library database
(:mod:`player.library.lyrics_cache`). With ``save_lrc``, lyrics found online are
written as a ``.lrc`` beside the audio file: atomically, and never over a file
that is already there.
"""

from __future__ import annotations

import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from player.library import lyrics_cache
from player.library.lrclib import DEFAULT_SERVER, NONE, Found, LrclibClient, TrackQuery
from player.library.lyrics import Lyrics, load_lyrics, parse_lrc, sidecar_path
from player.library.store import LibraryDB
from player.library.track import TrackInfo

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LyricsOptions:
    """The listener's lyrics settings, as plain values."""

    online: bool = False
    server: str = DEFAULT_SERVER
    save_lrc: bool = False


@dataclass
class TrackLyrics:
    """What was found: ``origin`` is file, tags, cache, online or "" (nothing)."""

    lyrics: Lyrics | None
    origin: str = ""
    kind: str = NONE  # synced, plain, instrumental or none
    offset_ms: int = 0  # the listener's own offset of this track
    saved_to: str = ""  # the .lrc written beside the audio, if one was
    requests: int = 0  # requests sent to the lyrics server


def query_for(info: TrackInfo) -> TrackQuery:
    return TrackQuery(info.artist, info.title, info.album, info.duration or None)


def find_track_lyrics(
    db: LibraryDB,
    location: str,
    track_id: int | None = None,
    *,
    options: LyricsOptions = LyricsOptions(),
    force: bool = False,
    client: LrclibClient | None = None,
    info: TrackInfo | None = None,
    now: float | None = None,
) -> TrackLyrics:
    """The lyrics of the track at *location* (library track *track_id* when known).

    *db* must be writable when an online answer may be stored. *force* asks the
    server even when the setting is off, and does not trust the cache.
    """
    if "://" in location:
        return TrackLyrics(None)
    if track_id is None:
        track_id = db.track_id(location)
    offset = lyrics_cache.offset_of(db, track_id)
    embedded = (db.track_value(track_id, "lyrics") or "") if track_id is not None else ""
    local = load_lyrics(location, embedded)
    if local is not None:
        origin = "file" if sidecar_path(location) is not None else "tags"
        kind = "synced" if local.synced else "plain"
        return TrackLyrics(local, origin, kind, offset)
    if info is None and track_id is not None:
        info = db.get_track(track_id)
    if info is None:
        return TrackLyrics(None, "", NONE, offset)
    query = query_for(info)
    key = lyrics_cache.query_key(options.server, query)
    # reading the cache sends nothing, so it answers even with lookups off
    hit = None if force else lyrics_cache.cached(db, key, now=now)
    if hit is not None:
        return _answer(hit.found, "cache", offset)
    if not (options.online or force):
        return TrackLyrics(None, "", NONE, offset)
    own = client is None
    client = client or LrclibClient(options.server)
    try:
        before = client.requests
        found = client.lookup(query)
        sent = client.requests - before
    finally:
        if own:
            client.close()
    lyrics_cache.store(db, key, found, now=now)
    result = _answer(found, "online", offset)
    result.requests = sent
    if options.save_lrc and found.has_lyrics:
        saved = save_lrc(location, found.text)
        result.saved_to = str(saved) if saved else ""
    return result


def _answer(found: Found, origin: str, offset: int) -> TrackLyrics:
    lyrics = parse_lrc(found.text) if found.has_lyrics else None
    if lyrics is not None and not lyrics.lines:
        lyrics = None
    return TrackLyrics(lyrics, origin, found.kind, offset)


def save_lrc(audio_path: str | os.PathLike[str], text: str) -> Path | None:
    """Write *text* as the ``.lrc`` beside *audio_path*; None when one is already there.

    The text goes to a temporary file in the same folder first, which is then
    linked to the final name; a link never replaces an existing file, so an
    ``.lrc`` the listener made (or one written meanwhile) is never overwritten,
    and a reader never sees half a file.
    """
    target = Path(audio_path).with_suffix(".lrc")
    if sidecar_path(audio_path) is not None or target.exists():
        return None
    data = text.replace("\r\n", "\n").rstrip("\n") + "\n"
    try:
        fd, tmp = tempfile.mkstemp(prefix=".kindred-", suffix=".lrc.tmp", dir=target.parent)
    except OSError as exc:
        log.warning("cannot save lyrics beside %s: %s", audio_path, exc)
        return None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, target)
        except FileExistsError:
            return None
        except OSError:  # a file system without hard links: rename (never over a file)
            if target.exists():
                return None
            os.replace(tmp, target)
            return target
        return target
    except OSError as exc:
        log.warning("cannot save lyrics to %s: %s", target, exc)
        return None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
