"""Live radio streams read by Kindred itself and handed to libVLC as bytes.

Why not let libVLC open the URL: its HTTP modules either connect twice
(``http://``: half a second to an Icecast server) or cannot do TLS
(``icyx://``), and both lose now-playing titles that are not plain ASCII:
Icecast recodes titles a source declared as UTF-8 into latin-1 with HTML
entities for everything else, which libVLC drops. Here one connection asks
for ICY metadata, the audio goes to libVLC through its read callback, and the
titles are decoded the way stations actually send them (UTF-8, else
Windows-1252, HTML entities resolved).

:class:`IcyParser` is the pure part (bytes in, audio and titles out);
:class:`IcyStream` runs the connection on a thread of its own.
"""

from __future__ import annotations

import html
import re
import threading
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING

from player.audio.engine import PlaybackError

if TYPE_CHECKING:
    import httpx

#: the location scheme of a live stream Kindred reads itself (``+s``: over TLS)
LIVE_SCHEMES = {"icyx": "http", "icyxs": "https"}
#: audio kept while libVLC is not reading (paused): about 4 minutes at 256 kb/s
MAX_BUFFER_BYTES = 8 << 20
#: a metadata interval beyond this is not ICY but garbage
MAX_METAINT = 1 << 20
CHUNK_BYTES: int | None = None  # whatever has arrived: libVLC starts on the first bytes

_STREAM_TITLE = re.compile(rb"StreamTitle='(.*?)';", re.S)


def is_live_location(location: str) -> bool:
    scheme = location.split("://", 1)[0].lower() if "://" in location else ""
    return scheme in LIVE_SCHEMES


def live_location(url: str) -> str:
    """The location that marks an http(s) URL as a live stream (``icyx://``, ``icyxs://``)."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    for live, plain in LIVE_SCHEMES.items():
        if scheme.lower() == plain:
            return f"{live}://{rest}"
    return url


def url_of(location: str) -> str:
    """The http(s) URL behind a live location (anything else unchanged)."""
    scheme, sep, rest = location.partition("://")
    plain = LIVE_SCHEMES.get(scheme.lower()) if sep else None
    return f"{plain}://{rest}" if plain else location


def decode_title(raw: bytes) -> str:
    """A station's title as a person should read it.

    UTF-8 when the bytes are valid UTF-8, else Windows-1252 (the SHOUTcast
    convention); numeric and named HTML entities resolved (Icecast writes
    ``&#21608;`` for a character its latin-1 recoding cannot hold).
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    text = html.unescape(text) if "&" in text else text
    return " ".join(text.replace("\x00", "").split())


class IcyParser:
    """Splits an ICY stream into audio bytes and ``StreamTitle`` values.

    Every ``metaint`` bytes of audio are followed by one length byte (×16)
    and that much metadata. ``metaint`` 0 means the server sends none.
    """

    def __init__(self, metaint: int) -> None:
        if not 0 <= metaint <= MAX_METAINT:
            raise ValueError(f"icy-metaint {metaint} is out of range")
        self.metaint = metaint
        self._left = metaint  # audio bytes before the next metadata block
        self._pending = b""  # a metadata block not complete yet

    def feed(self, data: bytes) -> tuple[bytes, list[str]]:
        """Audio and the titles found in *data* (a block may span calls)."""
        if not self.metaint:
            return data, []
        audio: list[bytes] = []
        titles: list[str] = []
        view = self._pending + data
        self._pending = b""
        i = 0
        while i < len(view):
            if self._left:
                take = min(self._left, len(view) - i)
                audio.append(view[i : i + take])
                i += take
                self._left -= take
                continue
            size = view[i] * 16
            if len(view) - i - 1 < size:
                self._pending = view[i:]
                break
            block = view[i + 1 : i + 1 + size]
            i += 1 + size
            self._left = self.metaint
            match = _STREAM_TITLE.search(block)
            if match is not None:
                titles.append(decode_title(match.group(1)))
        return b"".join(audio), titles


class IcyStream:
    """One connection to a live stream: audio for libVLC, titles for the engine.

    ``read`` is called by libVLC on its own thread and blocks until audio
    arrives, the stream ends or the stream is closed. ``error`` holds a
    readable :class:`PlaybackError` once the connection failed.
    """

    def __init__(
        self,
        location: str,
        client_factory: Callable[[], httpx.Client],
        *,
        on_title: Callable[[str], None] | None = None,
    ) -> None:
        self.url = url_of(location)
        self._client_factory = client_factory
        self._on_title = on_title
        self._chunks: deque[bytes] = deque()
        self._size = 0
        self._cond = threading.Condition()
        self._ended = False
        self._closed = False
        self.error: PlaybackError | None = None
        self.title: str | None = None
        self._thread = threading.Thread(target=self._run, name="icy-stream", daemon=True)
        self._started = False

    # ---- libVLC's side -------------------------------------------------------
    def start(self) -> None:
        if not self._started:
            self._started = True
            self._thread.start()

    def read(self, size: int, poll_s: float = 0.1) -> bytes | None:
        """Up to *size* bytes of audio; b"" at the end; None once closed or failed."""
        with self._cond:
            while not self._chunks:
                if self._closed or self.error is not None:
                    return None
                if self._ended:
                    return b""
                self._cond.wait(poll_s)
            first = self._chunks[0]
            if len(first) <= size:
                self._chunks.popleft()
                out = first
            else:
                out, self._chunks[0] = first[:size], first[size:]
            self._size -= len(out)
            self._cond.notify_all()
            return out

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._chunks.clear()
            self._size = 0
            self._cond.notify_all()

    # ---- the connection --------------------------------------------------------
    def _run(self) -> None:
        import httpx

        from player.audio.httpclient import connection_error, status_error

        try:
            with (
                self._client_factory() as client,
                client.stream("GET", self.url, headers={"Icy-MetaData": "1"}) as response,
            ):
                if response.status_code >= 400:
                    raise status_error(self.url, response)
                parser = IcyParser(_metaint(response))
                for chunk in response.iter_raw(CHUNK_BYTES):
                    audio, titles = parser.feed(chunk)
                    for title in titles:
                        self._title(title)
                    if not self._put(audio):
                        return
        except PlaybackError as exc:
            self._fail(exc)
        except httpx.HTTPError as exc:
            self._fail(connection_error(self.url, exc))
        except ValueError as exc:
            self._fail(PlaybackError(f"Cannot play {self.url}: not a radio stream", str(exc)))
        with self._cond:
            self._ended = True
            self._cond.notify_all()

    def _put(self, audio: bytes) -> bool:
        """Queue audio (waiting while the buffer is full); False once closed."""
        with self._cond:
            while self._size >= MAX_BUFFER_BYTES and not self._closed:
                self._cond.wait(0.5)
            if self._closed:
                return False
            if audio:
                self._chunks.append(audio)
                self._size += len(audio)
                self._cond.notify_all()
            return True

    def _title(self, title: str) -> None:
        self.title = title or None
        if self._on_title is not None:
            self._on_title(title)

    def _fail(self, error: PlaybackError) -> None:
        with self._cond:
            if not self._closed:
                self.error = error
            self._cond.notify_all()


def _metaint(response: httpx.Response) -> int:
    raw = response.headers.get("icy-metaint", "0").strip() or "0"
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"the server sent a malformed icy-metaint header ({raw!r})") from None
    if not 0 <= value <= MAX_METAINT:
        raise ValueError(f"the server sent an icy-metaint of {value} bytes")
    return value
