"""Real network servers for stream tests and benchmarks, all on 127.0.0.1.

* :class:`IcecastServer` runs the ``icecast2`` binary from a generated
  ``icecast.xml`` in a temporary folder, fed by ``ffmpeg`` encoding a
  synthesized sine to MP3 in real time (``-re``). Its now-playing title is set
  through Icecast's admin metadata endpoint, and the source can be killed and
  started again to act out a station that drops.
* :class:`HttpTestServer` is a threaded ``http.server`` serving files with byte
  ranges (206 / Content-Range / Accept-Ranges) plus the misbehaving routes that
  dead streams are made of: 404, garbage bytes typed as audio, a server that
  accepts and never answers, and a body that stops half-way.

Both are context managers that leave nothing running. This is a plain module
(no pytest in it) so that a benchmark script can import it too; the Icecast
half lives in :mod:`tests.icecast_server` and is re-exported here.
"""

from __future__ import annotations

import contextlib
import os
import socket
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType

from tests.icecast_server import HOST, IcecastServer, free_port, icecast_missing, wait_for_port

__all__ = [
    "HOST",
    "HttpTestServer",
    "IcecastServer",
    "free_port",
    "icecast_missing",
    "wait_for_port",
]

CONTENT_TYPES = {
    ".mp3": "audio/mpeg",
    ".flac": "audio/flac",
    ".ogg": "audio/ogg",
    ".opus": "audio/ogg",
    ".wav": "audio/wav",
    ".m4a": "audio/mp4",
    ".m3u": "audio/x-mpegurl",
    ".m3u8": "application/vnd.apple.mpegurl",
    ".pls": "audio/x-scpls",
    ".xspf": "application/xspf+xml",
}


# ---- plain HTTP ----------------------------------------------------------------------------
class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        return None

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def do_GET(self) -> None:
        self._serve(head=False)

    def _serve(self, *, head: bool) -> None:
        owner = self.server.owner
        path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        owner.requests.append(path)
        if self.headers.get("Range"):
            owner.ranges.append((path, self.headers["Range"]))
        if path.startswith("/hang"):
            owner._stopping.wait()  # accept, read the request, never answer
            return
        if path in owner._redirects:
            self.send_response(302)
            self.send_header("Location", owner._redirects[path])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if path in owner._routes:
            data, content_type = owner._routes[path]
            self._send_body(data, content_type, head=head)
            return
        mode = path.split("/")[1] if path.count("/") > 1 else ""
        mode = mode if mode in ("drop", "stall", "slow") else ""
        file = owner.root / path.removeprefix(f"/{mode}" if mode else "").lstrip("/")
        if not file.resolve().is_relative_to(owner.root.resolve()) or not file.is_file():
            self._send_body(b"not found\n", "text/plain", status=404, head=head)
            return
        content_type = CONTENT_TYPES.get(file.suffix.lower(), "application/octet-stream")
        self._send_body(file.read_bytes(), content_type, head=head, cut=mode)

    def _send_body(
        self,
        data: bytes,
        content_type: str,
        *,
        status: int = 200,
        head: bool = False,
        cut: str = "",
    ) -> None:
        start, end = 0, len(data) - 1
        wanted = self.headers.get("Range", "")
        if status == 200 and wanted.startswith("bytes=") and data:
            first, _, last = wanted[6:].split(",")[0].partition("-")
            try:
                if first:
                    start, end = int(first), min(int(last) if last else end, end)
                else:
                    start = max(0, len(data) - int(last))
            except ValueError:
                start, end = 0, len(data) - 1
            if start >= len(data):
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{len(data)}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            status = 206
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Length", str(end - start + 1))
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{end}/{len(data)}")
        self.end_headers()
        if head:
            return
        body = data[start : end + 1]
        if cut in ("drop", "stall"):  # promise the whole body but send only a third of it
            body = body[: max(1, len(body) // 3)]
            self.close_connection = True
        try:
            if cut == "slow":
                self._trickle(body)
            else:
                self.wfile.write(body)
            self.wfile.flush()
        except OSError:  # the client went away (a seek, a stop): normal for players
            self.close_connection = True
            return
        if cut == "stall":  # keep the connection open, send nothing more
            self.server.owner._stopping.wait()
        if cut in ("drop", "stall"):
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)

    def _trickle(self, body: bytes) -> None:
        """Send ``body`` at the owner's ``slow_rate`` bytes per second."""
        owner = self.server.owner
        chunk = max(1024, owner.slow_rate // 20)
        started = time.monotonic()
        for offset in range(0, len(body), chunk):
            if owner._stopping.is_set():
                raise ConnectionAbortedError("server stopping")
            self.wfile.write(body[offset : offset + chunk])
            due = started + (offset + chunk) / owner.slow_rate
            time.sleep(max(0.0, due - time.monotonic()))


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: HttpTestServer

    def handle_error(self, request: object, client_address: object) -> None:
        if isinstance(sys.exc_info()[1], OSError):
            return  # a player hung up mid-request (a seek, a stop): expected
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class HttpTestServer:
    """A threaded HTTP/1.1 server on 127.0.0.1 serving ``root`` with byte ranges.

    Routes besides the files under ``root``:

    * any missing path -> 404;
    * ``/hang...`` -> accepts, reads the request and never answers;
    * ``/drop/<file>`` -> announces the whole file, sends a third, then closes;
    * ``/stall/<file>`` -> announces the whole file, sends a third, then goes
      silent with the connection open (a stalled stream);
    * ``/slow/<file>`` -> sends at ``slow_rate`` bytes per second, so a player
      must ask for a byte range to seek far ahead;
    * ``/garbage.mp3`` -> random bytes typed ``audio/mpeg``;
    * :meth:`add` serves bytes with a chosen Content-Type at any path;
      :meth:`redirect` answers 302.

    ``requests`` lists the paths asked for, in order; ``ranges`` the byte ranges.
    """

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.requests: list[str] = []
        self.ranges: list[tuple[str, str]] = []  # (path, Range header) of ranged requests
        self.slow_rate = 128 * 1024  # bytes per second of the /slow/ route
        self._routes: dict[str, tuple[bytes, str]] = {
            "/garbage.mp3": (os.urandom(256 * 1024), "audio/mpeg"),
        }
        self._redirects: dict[str, str] = {}
        self._stopping = threading.Event()
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        assert self._httpd is not None, "start the server first"
        return f"http://{HOST}:{self._httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base_url + "/" + urllib.parse.quote(path.lstrip("/"))

    def add(self, path: str, data: bytes | str, content_type: str) -> str:
        """Serve ``data`` at ``path`` (with that Content-Type); return its URL."""
        body = data.encode("utf-8") if isinstance(data, str) else data
        self._routes["/" + path.lstrip("/")] = (body, content_type)
        return self.url(path)

    def redirect(self, path: str, target: str) -> str:
        """Answer ``path`` with a 302 to ``target``; return the URL of ``path``."""
        self._redirects["/" + path.lstrip("/")] = target
        return self.url(path)

    def add_playlists(self, audio_name: str, stem: str = "list") -> dict[str, str]:
        """Serve ``<stem>.m3u/.pls/.xspf`` whose first entry is ``audio_name`` (relative)
        and whose second is the same file by absolute URL; return format -> URL."""
        absolute = self.url(audio_name)
        relative = urllib.parse.quote(audio_name)
        m3u = f"#EXTM3U\n#EXTINF:-1,First\n{relative}\n#EXTINF:-1,Second\n{absolute}\n"
        pls = (
            f"[playlist]\nFile1={relative}\nTitle1=First\nLength1=-1\n"
            f"File2={absolute}\nTitle2=Second\nLength2=-1\nNumberOfEntries=2\nVersion=2\n"
        )
        xspf = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<playlist version="1" xmlns="http://xspf.org/ns/0/"><trackList>'
            f"<track><location>{relative}</location><title>First</title></track>"
            f"<track><location>{absolute}</location><title>Second</title></track>"
            "</trackList></playlist>\n"
        )
        return {
            "m3u": self.add(f"{stem}.m3u", m3u, CONTENT_TYPES[".m3u"]),
            "pls": self.add(f"{stem}.pls", pls, CONTENT_TYPES[".pls"]),
            "xspf": self.add(f"{stem}.xspf", xspf, CONTENT_TYPES[".xspf"]),
        }

    def start(self) -> HttpTestServer:
        self._httpd = _Server((HOST, 0), _Handler)
        self._httpd.owner = self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> HttpTestServer:
        return self.start()

    def __exit__(
        self, _t: type[BaseException] | None, _e: BaseException | None, _tb: TracebackType | None
    ) -> None:
        self.stop()
