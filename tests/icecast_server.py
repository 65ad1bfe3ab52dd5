"""A real Icecast server for radio tests and benchmarks, on 127.0.0.1.

:class:`IcecastServer` runs the ``icecast2`` binary from a generated
``icecast.xml`` in a temporary folder, fed by ``ffmpeg`` encoding a synthesized
sine to MP3 in real time (``-re``). Its now-playing title is set through
Icecast's admin metadata endpoint, and the source can be killed and started
again to act out a station that drops. Icecast refuses to run as root, so as
root the configuration tells it to drop to ``nobody`` once its port is bound.
Import it from :mod:`tests.netservers`; plain module, no pytest in it.
"""

from __future__ import annotations

import base64
import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from types import TracebackType

from tests.processes import stop_process

HOST = "127.0.0.1"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, timeout: float = 10.0) -> None:
    """Block until something accepts connections on ``port`` (or raise)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"nothing listens on {HOST}:{port} after {timeout} s") from None
            time.sleep(0.05)


def icecast_missing() -> str | None:
    """Why an Icecast test cannot run here (None when icecast2 and ffmpeg exist)."""
    for tool in ("icecast2", "ffmpeg"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (CI installs it)"
    return None


# ---- Icecast ---------------------------------------------------------------------------
_ICECAST_XML = """<icecast>
  <location>test</location>
  <admin>test@localhost</admin>
  <hostname>{host}</hostname>
  <limits>
    <clients>50</clients>
    <sources>4</sources>
    <queue-size>524288</queue-size>
    <client-timeout>30</client-timeout>
    <header-timeout>15</header-timeout>
    <source-timeout>{source_timeout}</source-timeout>
    <burst-on-connect>1</burst-on-connect>
    <burst-size>65535</burst-size>
  </limits>
  <authentication>
    <source-password>{source_password}</source-password>
    <relay-password>{source_password}</relay-password>
    <admin-user>admin</admin-user>
    <admin-password>{admin_password}</admin-password>
  </authentication>
  <listen-socket>
    <port>{port}</port>
    <bind-address>{host}</bind-address>
  </listen-socket>
  <fileserve>0</fileserve>
  <paths>
    <basedir>{workdir}</basedir>
    <logdir>{workdir}</logdir>
    <webroot>{webroot}</webroot>
    <adminroot>{adminroot}</adminroot>
  </paths>
  <logging>
    <accesslog>-</accesslog>
    <errorlog>-</errorlog>
    <loglevel>2</loglevel>
  </logging>
  <security>
    <chroot>0</chroot>{changeowner}
  </security>
</icecast>
"""

#: Icecast refuses to run as root; it drops to this user after binding its port.
_ROOT_CHANGEOWNER = """
    <changeowner>
      <user>nobody</user>
      <group>nogroup</group>
    </changeowner>"""


def _share_dir(name: str) -> str:
    for base in ("/usr/share/icecast2", "/usr/share/icecast", "/usr/local/share/icecast"):
        if os.path.isdir(os.path.join(base, name)):
            return os.path.join(base, name)
    return tempfile.gettempdir()


def _nogroup() -> str:
    import grp

    for name in ("nogroup", "nobody"):
        with contextlib.suppress(KeyError):
            grp.getgrnam(name)
            return name
    return "nogroup"


class IcecastServer:
    """An Icecast server with one MP3 mount fed by ffmpeg; use as a context manager.

    ``url`` is the listener URL. ``set_title`` changes the ICY now-playing title
    (send latin-1 text: libVLC drops titles declared as UTF-8).
    ``stop_source``/``start_source`` kill and restart the feeding ffmpeg.
    ``name`` None sends no ``icy-name`` header (many small stations do not).
    """

    def __init__(
        self,
        mount: str = "/live.mp3",
        *,
        frequency: int = 440,
        bitrate: str = "128k",
        name: str | None = "Kindred test radio",
        source_timeout: int = 3,
        workdir: str | Path | None = None,
    ) -> None:
        self.mount = mount
        self.name = name
        self.frequency = frequency
        self.bitrate = bitrate
        self.source_timeout = source_timeout
        self.port = 0
        self.source_password = "source-" + base64.b32encode(os.urandom(5)).decode().lower()
        self.admin_password = "admin-" + base64.b32encode(os.urandom(5)).decode().lower()
        self._own_dir = workdir is None
        self.workdir = Path(workdir or tempfile.mkdtemp(prefix="kindred-icecast-"))
        self._server: subprocess.Popen[bytes] | None = None
        self._source: subprocess.Popen[bytes] | None = None
        self._server_log = None
        self._source_log = None

    # ---- addresses ---------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}{self.mount}"

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    # ---- life cycle ----------------------------------------------------------------------
    def start(self, *, title: str | None = None) -> IcecastServer:
        """Start the server and its source; return once the mount is on air.

        A start that fails (the port taken between choosing and binding it, a
        machine too busy to bring ffmpeg on air in time) is tried once more on
        a fresh port; a second failure is raised with the logs.
        """
        missing = icecast_missing()
        if missing:
            raise RuntimeError(missing)
        try:
            return self._start_once(title)
        except RuntimeError:
            return self._start_once(title)

    def _start_once(self, title: str | None) -> IcecastServer:
        self.workdir.mkdir(parents=True, exist_ok=True)  # a failed start removed it
        self.port = free_port()
        root = os.geteuid() == 0
        config = _ICECAST_XML.format(
            host=HOST,
            port=self.port,
            source_timeout=self.source_timeout,
            source_password=self.source_password,
            admin_password=self.admin_password,
            workdir=self.workdir,
            webroot=_share_dir("web"),
            adminroot=_share_dir("admin"),
            changeowner=_ROOT_CHANGEOWNER.replace("nogroup", _nogroup()) if root else "",
        )
        (self.workdir / "icecast.xml").write_text(config, encoding="utf-8")
        self._server_log = open(self.workdir / "icecast.log", "ab")  # noqa: SIM115
        self._server = subprocess.Popen(
            ["icecast2", "-c", str(self.workdir / "icecast.xml")],
            stdin=subprocess.DEVNULL,
            stdout=self._server_log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for_port(self.port)
            self.start_source(title=title)
        except BaseException:
            self.stop()
            raise
        return self

    def start_source(self, *, title: str | None = None, timeout: float = 10.0) -> None:
        """(Re)start the ffmpeg source and wait until the mount is listed."""
        self.stop_source()
        self._source_log = open(self.workdir / "ffmpeg.log", "ab")  # noqa: SIM115
        tone = f"sine=frequency={self.frequency}:sample_rate=44100"
        command = ["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-re"]
        command += ["-f", "lavfi", "-i", tone, "-ac", "2", "-c:a", "libmp3lame"]
        command += ["-b:a", self.bitrate, "-f", "mp3", "-content_type", "audio/mpeg"]
        if self.name is not None:  # sent to listeners as the icy-name header
            command += ["-ice_name", self.name]
        command.append(f"icecast://source:{self.source_password}@{HOST}:{self.port}{self.mount}")
        self._source = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=self._source_log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while not self.on_air():
            if self._source.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the ffmpeg source did not come on air: {self.logs()}")
            time.sleep(0.05)
        if title is not None:
            self.set_title(title)

    def stop_source(self) -> None:
        """Kill the source (listeners then get an end of stream, as when a station dies)."""
        if self._source is not None:
            stop_process(self._source)
            self._source = None
        if self._source_log is not None:
            self._source_log.close()
            self._source_log = None

    def stop(self) -> None:
        self.stop_source()
        if self._server is not None:
            stop_process(self._server)
            self._server = None
        if self._server_log is not None:
            self._server_log.close()
            self._server_log = None
        if self._own_dir:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> IcecastServer:
        return self.start()

    def __exit__(
        self, _t: type[BaseException] | None, _e: BaseException | None, _tb: TracebackType | None
    ) -> None:
        self.stop()

    # ---- admin ---------------------------------------------------------------------------
    def _admin(self, path: str, params: dict[str, str], encoding: str = "latin-1") -> bytes:
        query = urllib.parse.urlencode(params, encoding=encoding)
        request = urllib.request.Request(f"{self.base_url}/admin/{path}?{query}")
        token = base64.b64encode(f"admin:{self.admin_password}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
        with urllib.request.urlopen(request, timeout=5) as response:
            return bytes(response.read())

    def on_air(self) -> bool:
        """True while a source feeds the mount."""
        try:
            listing = self._admin("listmounts", {})
        except (OSError, urllib.error.URLError):
            return False
        return f'mount="{self.mount}"'.encode() in listing

    def set_title(self, title: str, charset: str | None = None) -> None:
        """Set the ICY now-playing title (``StreamTitle``) of the mount.

        Without ``charset`` the title travels as latin-1; with ``charset="UTF-8"``
        Icecast takes any text and recodes it for listeners (latin-1 plus HTML
        entities for everything else), as it does for most real sources.
        """
        params = {"mount": self.mount, "mode": "updinfo", "song": title}
        if charset:
            params["charset"] = charset
        reply = self._admin("metadata", params, encoding=charset or "latin-1")
        if b"<return>1</return>" not in reply:
            raise RuntimeError(f"icecast refused the title: {reply!r}")

    def logs(self) -> str:
        parts = []
        for name in ("icecast.log", "ffmpeg.log"):
            with contextlib.suppress(OSError):
                parts.append(f"--- {name}\n" + (self.workdir / name).read_text(errors="replace"))
        return "\n".join(parts)[-4000:]
