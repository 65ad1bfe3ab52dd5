"""Turn what a person asks to play (a path, a URL) into playable items.

Internet radio is usually published as a small playlist (``.m3u``, ``.pls``,
``.xspf``) that names the real stream; libVLC could open some of them itself,
but only through media lists, which create a second libVLC instance. So
playlists are fetched here with the client of :mod:`player.audio.httpclient`
(explicit timeouts, redirects followed) and a size cap, parsed by
:mod:`player.library.playlist_files`, nested playlists are followed to a small
depth and relative entries are resolved against the playlist's URL. Plain audio URLs are returned unchanged, without downloading
them; an HLS playlist (``#EXT-X-`` tags) is handed to the engine as it is.

Every failure (refused, 404, unknown host, no answer, not a playlist) becomes a
:class:`~player.audio.engine.PlaybackError` a person can read.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, urljoin, urlsplit

from player.audio.engine import MediaItem, PlaybackError
from player.audio.httpclient import connection_error, http_client, status_error
from player.audio.icy import live_location
from player.errors import PlaylistError
from player.library.playlist_files import (
    FORMATS,
    Playlist,
    file_uri_to_path,
    is_windows_path,
    parse_playlist,
    playlist_format,
    read_playlist,
)

if TYPE_CHECKING:  # httpx costs ~0.4 s to import: only when a URL is opened
    import httpx

#: a whole playlist download must finish within this many seconds
DEADLINE_S = 8.0
#: how long the first stream of a radio playlist may take to show its headers
PROBE_TIMEOUT_S = 2.0
#: a remote playlist larger than this is refused (real ones are a few hundred bytes)
MAX_PLAYLIST_BYTES = 1 << 20
#: how many playlists deep a playlist may point to another one
MAX_DEPTH = 3
#: asks a radio server for its ICY headers, which tell a live stream from a file
_ICY_REQUEST = {"Icy-MetaData": "1"}

#: Content-Type (without parameters) -> playlist format
PLAYLIST_TYPES = {
    "audio/x-mpegurl": "m3u",
    "audio/mpegurl": "m3u",
    "application/x-mpegurl": "m3u8",
    "application/vnd.apple.mpegurl": "m3u8",
    "audio/x-scpls": "pls",
    "audio/scpls": "pls",
    "application/pls+xml": "pls",
    "application/xspf+xml": "xspf",
}
#: URL path endings that are audio: returned without a request
AUDIO_EXTENSIONS = frozenset(
    [
        ".mp3",
        ".mp2",
        ".aac",
        ".m4a",
        ".mp4",
        ".flac",
        ".ogg",
        ".oga",
        ".opus",
        ".wav",
        ".aif",
        ".aiff",
        ".wma",
        ".ape",
        ".wv",
        ".mpc",
        ".alac",
        ".ts",
        ".webm",
        ".mka",
    ]
)
_HTTP = ("http", "https")


def resolve(
    target: str | os.PathLike[str],
    *,
    client: httpx.Client | None = None,
    max_depth: int = MAX_DEPTH,
) -> list[MediaItem]:
    """The playable items behind a path or URL, in order (never empty).

    A local playlist file gives its entries (remote playlists in it are
    resolved too); any other path gives itself. An http(s) URL is resolved by
    :func:`resolve_url`; other URL schemes are passed through for the engine.
    """
    text = os.fspath(target)
    scheme = urlsplit(text).scheme.lower() if "://" in text else ""
    if scheme in _HTTP:
        return resolve_url(text, client=client, max_depth=max_depth)
    if scheme and scheme != "file":
        return [MediaItem(text)]
    path = file_uri_to_path(text) if scheme == "file" else text
    return resolve_path(path, client=client, max_depth=max_depth)


def resolve_path(
    path: str | os.PathLike[str],
    *,
    client: httpx.Client | None = None,
    max_depth: int = MAX_DEPTH,
) -> list[MediaItem]:
    """A local playlist's entries as items; any other file as one item."""
    if playlist_format(path) is None:
        return [MediaItem(os.fspath(path))]
    try:
        playlist = read_playlist(path)
    except PlaylistError as exc:
        raise PlaybackError(exc.short, exc.detail) from exc
    with _client(client) as http:
        items = _entries(playlist, None, http, max_depth, set(), Path(path).name)
        items = _non_empty(items, Path(path).name, os.fspath(path))
        return [_probed(items[0], http), *items[1:]]


def resolve_url(
    url: str,
    *,
    client: httpx.Client | None = None,
    max_depth: int = MAX_DEPTH,
) -> list[MediaItem]:
    """The streams an http(s) URL stands for.

    The response's headers decide: a playlist (by extension or Content-Type)
    is downloaded and resolved; anything else is returned at its address after
    redirects, as a live location (see :func:`~player.audio.icy.live_location`) when it is a
    live stream, and its body is never read.
    """
    with _client(client) as http:
        return _resolve(url, http, max_depth, set())


def is_hls(text: str | bytes) -> bool:
    """True for an HTTP Live Streaming playlist (its tags start with ``#EXT-X-``)."""
    data = text.encode("utf-8", "replace") if isinstance(text, str) else text
    return b"#EXT-X-" in data[:65536].upper()


def is_live(response: httpx.Response) -> bool:
    """True for a live radio stream rather than a file served over HTTP.

    Icecast and SHOUTcast answer with ``icy-*``/``ice-*`` headers; any other
    server streaming without a length and without byte ranges is live too.
    """
    headers = response.headers
    if any(key.lower().startswith(("icy-", "ice-")) for key in headers):
        return True
    ranged = headers.get("accept-ranges", "").lower() == "bytes"
    return "content-length" not in headers and not ranged


# ---- internals --------------------------------------------------------------------------
@contextmanager
def _client(client: httpx.Client | None) -> Iterator[httpx.Client]:
    if client is not None:
        yield client
        return
    with http_client() as fresh:
        yield fresh


def _extension(url: str) -> str:
    return os.path.splitext(urlsplit(url).path)[1].lower()


def _resolve(url: str, http: httpx.Client, depth: int, seen: set[str]) -> list[MediaItem]:
    ext = _extension(url)
    if url in seen:
        raise PlaybackError(
            f"Cannot play {url}: the playlist refers to itself",
            f"{url} is part of a loop of playlists pointing at each other.",
        )
    if ext not in AUDIO_EXTENSIONS:
        seen.add(url)
    fmt = ext.lstrip(".") if ext.lstrip(".") in FORMATS else None
    started = time.monotonic()
    import httpx

    try:
        with http.stream("GET", url, headers=_ICY_REQUEST) as response:
            if response.status_code >= 400:
                raise status_error(url, response)
            content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
            if content_type in PLAYLIST_TYPES:
                fmt = PLAYLIST_TYPES[content_type]
            elif content_type.startswith(("audio/", "video/")) or ext in AUDIO_EXTENSIONS:
                fmt = None
            if fmt is None:  # a stream or a file: the engine reads it, from where it is now
                where = str(response.url)
                return [MediaItem(live_location(where) if is_live(response) else where)]
            final_url = str(response.url)
            body = _read_capped(response, url, started)
    except httpx.HTTPError as exc:
        raise connection_error(url, exc) from exc
    if fmt in ("m3u", "m3u8") and is_hls(body):
        return [MediaItem(url)]  # HTTP Live Streaming: libVLC plays it itself
    playlist = _parse(body, fmt, url)
    name = urlsplit(url).path.rsplit("/", 1)[-1] or url
    items = _non_empty(_entries(playlist, final_url, http, depth, seen, name), name, url)
    return [_probed(items[0], http), *items[1:]]


def _probed(item: MediaItem, http: httpx.Client) -> MediaItem:
    """A radio playlist's first stream, at its live location when it is live.

    Only the first entry is asked (the one that plays; the others are spare
    mirrors). A probe that fails changes nothing: playing it reports the error.
    """
    if item.location[:7].lower() != "http://":
        return item
    import httpx

    try:
        with http.stream("GET", item.location, headers=_ICY_REQUEST, timeout=PROBE_TIMEOUT_S) as r:
            if r.status_code >= 400 or not is_live(r):
                return item
            where = str(r.url)
    except httpx.HTTPError:
        return item
    return replace(item, location=live_location(where))


def _read_capped(response: httpx.Response, url: str, started: float) -> bytes:
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size > MAX_PLAYLIST_BYTES:
            raise PlaybackError(
                f"Cannot play {url}: it is too large to be a playlist",
                f"{url} is announced as a playlist but is larger than "
                f"{MAX_PLAYLIST_BYTES >> 10} KiB.",
            )
        if time.monotonic() - started > DEADLINE_S:
            raise PlaybackError(
                f"Cannot play {url}: the server is too slow",
                f"The playlist {url} did not arrive within {DEADLINE_S:.0f} s.",
            )
    return b"".join(chunks)


def _parse(body: bytes, fmt: str, url: str) -> Playlist:
    head = body[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        raise PlaybackError(
            f"Cannot play {url}: it is a web page, not a playlist",
            f"{url} answered with an HTML page. Look on that page for the stream's "
            "own address (often ending in .m3u, .pls or .mp3).",
        )
    try:
        return parse_playlist(body, fmt, "", url)
    except PlaylistError as exc:
        raise PlaybackError(f"Cannot play {url}: not a readable playlist", exc.detail) from exc


def _entries(
    playlist: Playlist,
    base_url: str | None,
    http: httpx.Client,
    depth: int,
    seen: set[str],
    name: str,
) -> list[MediaItem]:
    """Items for a parsed playlist; relative entries join ``base_url`` (None: local)."""
    items: list[MediaItem] = []
    errors: list[PlaybackError] = []
    for entry in playlist.entries:
        location = entry.location
        if base_url is not None and not entry.is_url:
            if is_windows_path(location):
                continue  # a path on someone's PC is no use to a listener
            location = urljoin(
                base_url, quote(location.replace("\\", "/"), safe="/%?=&;:@+,!$'()*~#")
            )
        title = entry.display_title
        scheme = urlsplit(location).scheme.lower() if "://" in location else ""
        if scheme in _HTTP and playlist_format(urlsplit(location).path):  # nested playlist
            if depth <= 0:
                errors.append(
                    PlaybackError(
                        f"Cannot play {name}: playlists nested too deeply",
                        f"{location} is a playlist inside {MAX_DEPTH} other playlists.",
                    )
                )
                continue
            try:
                inner = _resolve(location, http, depth - 1, seen)
            except PlaybackError as exc:
                errors.append(exc)
                continue
            if len(inner) == 1 and title and not inner[0].title:
                inner = [MediaItem(inner[0].location, title=title)]
            items.extend(inner)
            continue
        items.append(MediaItem(location, title=title))
    if not items and errors:
        raise errors[0]
    return items


def _non_empty(items: list[MediaItem], name: str, where: str) -> list[MediaItem]:
    if not items:
        raise PlaybackError(
            f"Cannot play {name}: the playlist is empty",
            f"The playlist {where} holds no stream or file to play.",
        )
    return items
