"""One window per user: a second ``kindred`` hands its files to the running one and exits.

The running window listens on a :class:`QLocalServer` whose name is per user
(and per Kindred home, so test runs and separate profiles do not meet). A new
start first tries to connect: when someone answers it sends one JSON line
``{"files": [...]}`` (absolute paths or URLs), waits for ``ok`` and exits;
the window raises itself and adds and plays the files.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
import os
import re
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QDir, QObject

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalSocket

    from player.ui.desktop.common import DesktopWindow

log = logging.getLogger(__name__)
TIMEOUT_MS = 2000
MAX_MESSAGE = 1 << 20


#: a unix socket's path holds 104 bytes on macOS (108 on Linux), its final NUL included
SOCKET_PATH_MAX = 103
#: a Windows pipe name (after ``\\.\pipe\``) holds 256 characters, any but ``\``
PIPE_NAME_MAX = 256
#: how much of the user name shows in the name (the digest tells users apart)
USER_CHARS = 16
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment: the home folder still tells users apart
        return os.path.basename(os.path.expanduser("~")) or "user"


def server_name(
    home: str | os.PathLike[str] | None = None,
    *,
    user: str | None = None,
    tempdir: str | None = None,
    platform: str = sys.platform,
) -> str:
    """The per-user (and per config directory) name of the running window's server.

    ``kindred-<user>-<digest>``: letters, digits, ``.``, ``_`` and ``-`` only, at
    most 37 characters, so it is a valid Windows pipe name for any user. On
    macOS and Linux Qt makes it a socket file in the temporary folder
    (*tempdir*, Qt's ``QDir.tempPath()``); when that path would pass the
    104-byte limit of a socket path (a long ``TMPDIR``), the name is a full
    path in ``/tmp`` instead.
    """
    if home is None:
        from player.config import Paths

        home = Paths.resolve().config_dir
    user = _user() if user is None else user
    digest = hashlib.sha1(f"{user}\x00{os.fspath(home)}".encode()).hexdigest()[:12]
    name = f"kindred-{_UNSAFE.sub('_', user)[:USER_CHARS] or 'user'}-{digest}"
    if platform == "win32":
        return name
    if _fits(QDir.tempPath() if tempdir is None else tempdir, name):
        return name
    return os.path.join("/tmp", name)  # short on every Unix, and Qt takes a full path


def _fits(folder: str, name: str) -> bool:
    """Whether the socket *name* in *folder* is a path a unix socket can have."""
    return len(os.fsencode(os.path.join(folder, name))) <= SOCKET_PATH_MAX


def _socket_path(name: str) -> str:
    """Where Qt puts the unix socket of the server *name* (a full path, or in QDir.tempPath())."""
    return name if os.path.isabs(name) else os.path.join(QDir.tempPath(), name)


def absolute(items: list[str]) -> list[str]:
    """Paths made absolute against this process's directory; URLs unchanged."""
    return [item if "://" in item else os.path.abspath(os.path.expanduser(item)) for item in items]


def hand_over(name: str, files: list[str], timeout_ms: int = TIMEOUT_MS) -> bool:
    """Send *files* to the running window; True when one took them (then exit).

    On macOS and Linux a server is a socket file: when there is none, nobody runs and
    QtNetwork is not imported before this start's own window (it serves after it)."""
    if sys.platform != "win32" and not os.path.exists(_socket_path(name)):
        return False
    from PySide6.QtNetwork import QLocalSocket

    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(timeout_ms):
        return False
    payload = json.dumps({"files": absolute(files)}).encode("utf-8") + b"\n"
    socket.write(payload)
    if not socket.waitForBytesWritten(timeout_ms):
        socket.abort()
        return False
    answer = b""
    while b"\n" not in answer and socket.waitForReadyRead(timeout_ms):
        answer += bytes(socket.readAll().data())
    socket.disconnectFromServer()
    return answer.strip() == b"ok"


class InstanceServer(QObject):
    """Listens for later starts and passes their files to ``on_files``."""

    def __init__(
        self, name: str, on_files: Callable[[list[str]], None], parent: QObject | None = None
    ) -> None:
        from PySide6.QtNetwork import QLocalServer

        super().__init__(parent)
        self.name = name
        self.on_files = on_files
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._accept)
        self._buffers: dict[QLocalSocket, bytes] = {}

    def listen(self) -> bool:
        """Start listening; a stale socket left by a crash is removed first."""
        if self.server.listen(self.name):
            return True
        # hand_over() already found nobody answering, so the socket file is stale
        self.server.removeServer(self.name)
        if self.server.listen(self.name):
            return True
        log.info("single instance off: %s", self.server.errorString())
        return False

    def close(self) -> None:
        self.server.close()

    def _accept(self) -> None:
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            self._buffers[socket] = b""
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(lambda s=socket: self._drop(s))
            if socket.bytesAvailable():
                self._read(socket)

    def _drop(self, socket: QLocalSocket) -> None:
        self._buffers.pop(socket, None)
        socket.deleteLater()

    def _read(self, socket: QLocalSocket) -> None:
        data = self._buffers.get(socket, b"") + bytes(socket.readAll().data())
        if len(data) > MAX_MESSAGE:
            socket.abort()
            return
        if b"\n" not in data:
            self._buffers[socket] = data
            return
        line = data.split(b"\n", 1)[0]
        self._buffers[socket] = b""
        try:
            message = json.loads(line.decode("utf-8"))
            files = [str(f) for f in message.get("files", [])]
        except (ValueError, AttributeError, UnicodeDecodeError) as exc:
            log.warning("ignoring a bad message from another start: %s", exc)
            socket.write(b"error\n")
            socket.flush()
            return
        socket.write(b"ok\n")
        socket.flush()
        try:
            self.on_files(files)
        except Exception:  # a bad file must not take the window down
            log.exception("opening files from another start failed")


def serve(
    name: str, on_files: Callable[[list[str]], None], parent: QObject | None = None
) -> InstanceServer | None:
    """An :class:`InstanceServer` listening on *name*, or None when it cannot listen."""
    server = InstanceServer(name, on_files, parent)
    return server if server.listen() else None


def window_handler(window: DesktopWindow) -> Callable[[list[str]], None]:
    """What the running window does with files from another start: raise, add, play."""
    from player.ui.desktop.common import open_paths, raise_window

    def handle(files: list[str]) -> None:
        raise_window(window)
        if files:
            open_paths(window, files)

    return handle
