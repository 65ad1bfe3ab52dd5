"""Kindred's HTTP client for streams, and the readable error of a failed request.

:func:`http_client` is how every stream request is made (playlists in
:mod:`player.audio.streams`, live radio in :mod:`player.audio.icy`): TLS with
certifi's certificates, explicit timeouts, redirects followed, Kindred's name.
:func:`status_error` and :func:`connection_error` turn an HTTP status or an
httpx failure into a :class:`~player.audio.engine.PlaybackError` a person can
read.
"""

from __future__ import annotations

import functools
import socket
import ssl
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import certifi

from player.audio.engine import PlaybackError

if TYPE_CHECKING:  # httpx costs ~0.4 s to import: only when a URL is opened
    import httpx

#: seconds allowed to connect, and between two reads (a playlist, a radio stream)
TIMEOUT_S = 5.0
MAX_REDIRECTS = 5
USER_AGENT = "Kindred/0.1 (music player)"


def http_client(timeout: float = TIMEOUT_S) -> httpx.Client:
    """An HTTP client as Kindred uses it for streams: redirects, timeouts, its name."""
    import httpx

    return httpx.Client(
        verify=_tls_context(),
        timeout=httpx.Timeout(timeout),
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        headers={"User-Agent": USER_AGENT},
    )


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """The TLS settings, made once: loading the CA certificates costs ~25 ms a time."""
    return ssl.create_default_context(cafile=certifi.where())  # as httpx would, once


def status_error(url: str, response: httpx.Response) -> PlaybackError:
    status = response.status_code
    reason = response.reason_phrase or ""
    if status == 404:
        short = f"Cannot play {url}: not found on the server (404)"
    else:
        short = f"Cannot play {url}: the server answered {status} {reason}".rstrip()
    return PlaybackError(
        short,
        f"{response.url} answered HTTP {status} {reason}. The address may be outdated, "
        "or the station is off the air.",
    )


def connection_error(url: str, exc: httpx.HTTPError) -> PlaybackError:
    import httpx

    host = urlsplit(url).hostname or url
    if isinstance(exc, httpx.TimeoutException):
        return PlaybackError(
            f"Cannot play {url}: the server does not answer",
            f"{host} did not answer within {TIMEOUT_S:.0f} s. It may be down or overloaded; "
            "try again later.",
        )
    if isinstance(exc, httpx.TooManyRedirects):
        return PlaybackError(
            f"Cannot play {url}: too many redirects",
            f"{url} redirected more than {MAX_REDIRECTS} times.",
        )
    if isinstance(exc, httpx.ConnectError):
        if _caused_by(exc, socket.gaierror):
            return PlaybackError(
                f"Cannot play {url}: unknown server {host}",
                f"The name {host} could not be found. Check the address and your "
                "internet connection.",
            )
        return PlaybackError(
            f"Cannot play {url}: cannot connect to {host}",
            f"The connection to {host} failed ({exc}). The server may be down, or the "
            "address or port is wrong.",
        )
    return PlaybackError(
        f"Cannot play {url}: the download failed",
        f"Fetching {url} failed: {exc or type(exc).__name__}.",
    )


def _caused_by(exc: BaseException, kind: type[BaseException]) -> bool:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, kind):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False
