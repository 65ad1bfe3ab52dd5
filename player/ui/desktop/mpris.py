"""MPRIS2 on the session bus: desktop media keys, shell widgets and ``playerctl`` drive Kindred.

Exports ``/org/mpris/MediaPlayer2`` under ``org.mpris.MediaPlayer2.kindred``
with the root and the Player interfaces as QtDBus adaptors. The adaptors only
translate: commands go to the :class:`~player.ui.kit.bridge.PlayerBridge`, state is
read from it, and every change the bridge reports is announced with
``org.freedesktop.DBus.Properties.PropertiesChanged`` (and ``Seeked`` after a
jump in position). Only on Linux with a session bus; elsewhere it logs one line
and does nothing.

PySide6 marshals a Python ``int`` inside a map as D-Bus ``i`` when it fits 32
bits, but the spec types ``mpris:length`` as ``x`` (and ``playerctl``'s
``duration()`` refuses anything else), so it goes out as a ``QDBusArgument``
holding an ``x`` (:func:`int64`, applied by :func:`on_the_wire`); ``Position`` and the signal/method arguments
are declared ``x``.
"""

from __future__ import annotations

import ctypes
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import ClassInfo, Property, QObject, Signal, Slot
from PySide6.QtDBus import (
    QDBusAbstractAdaptor,
    QDBusArgument,
    QDBusConnection,
    QDBusMessage,
    QDBusObjectPath,
)

from player.audio.engine import PlaybackState
from player.audio.queue import QueueItem, RepeatMode, ShuffleMode
from player.ui.desktop.common import DesktopWindow, uri_to_path
from player.ui.kit.bridge import PlayerBridge
from player.ui.kit.qtfix import emit

log = logging.getLogger(__name__)

SERVICE = "org.mpris.MediaPlayer2.kindred"
OBJECT_PATH = "/org/mpris/MediaPlayer2"
ROOT_IFACE = "org.mpris.MediaPlayer2"
PLAYER_IFACE = "org.mpris.MediaPlayer2.Player"
NO_TRACK = "/org/mpris/MediaPlayer2/TrackList/NoTrack"
MIME_TYPES = [
    "audio/flac",
    "audio/x-flac",
    "audio/mpeg",
    "audio/mp4",
    "audio/x-m4a",
    "audio/ogg",
    "audio/x-vorbis+ogg",
    "audio/opus",
    "audio/x-opus+ogg",
    "audio/x-wavpack",
    "audio/x-ape",
    "audio/wav",
    "audio/x-wav",
    "audio/aac",
    "audio/x-mpegurl",
    "audio/x-scpls",
    "application/xspf+xml",
]
SEEK_JUMP_MS = 1500  # a position change this far from the expected one counts as a seek

_LOOP = {RepeatMode.OFF: "None", RepeatMode.ONE: "Track", RepeatMode.ALL: "Playlist"}
_REPEAT = {v: k for k, v in _LOOP.items()}


def playback_status(state: PlaybackState, loaded: bool) -> str:
    """The MPRIS PlaybackStatus for an engine state."""
    if state is PlaybackState.PAUSED:
        return "Paused"
    if loaded and state in (PlaybackState.PLAYING, PlaybackState.OPENING, PlaybackState.BUFFERING):
        return "Playing"
    return "Stopped"


def track_path(item: QueueItem | None) -> str:
    """The D-Bus object path naming *item* (``/org/kindred/track/123``)."""
    if item is None:
        return NO_TRACK
    if item.track_id is not None:
        return f"/org/kindred/track/{int(item.track_id)}"
    return f"/org/kindred/item/{''.join(c for c in item.id if c.isalnum()) or 'x'}"


def file_url(location: str) -> str:
    """``file://`` URL of a local path (URLs are returned as they are)."""
    if "://" in location:
        return location
    return Path(location).absolute().as_uri()


def metadata(item: QueueItem | None, art: str | None = None, number: int = 0) -> dict[str, Any]:
    """The MPRIS Metadata map of *item* (empty but for the track id when nothing plays)."""
    if item is None:
        return {"mpris:trackid": QDBusObjectPath(NO_TRACK)}
    title = item.title or os.path.basename(item.location.rstrip("/")) or item.location
    out: dict[str, Any] = {
        "mpris:trackid": QDBusObjectPath(track_path(item)),
        "xesam:title": title,
        "xesam:url": file_url(item.location),
    }
    if item.artist:
        out["xesam:artist"] = [item.artist]
    if item.album:
        out["xesam:album"] = item.album
        album_artist = item.album_key.split("\x1f", 1)[0] if "\x1f" in item.album_key else ""
        if album_artist:
            out["xesam:albumArtist"] = [album_artist]
    if item.duration_ms > 0:
        out["mpris:length"] = int(item.duration_ms) * 1000
    if number:
        out["xesam:trackNumber"] = number
    if art:
        out["mpris:artUrl"] = art
    return out


#: QtDBus's ``QDBusArgument::operator<<(qlonglong)`` (None: not looked up yet, False:
#: not there)
_APPEND_INT64: Callable[[int, int], object] | bool | None = None


def _append_int64() -> Callable[[int, int], object] | None:
    """QtDBus's own way to write a D-Bus ``x`` (PySide6 does not expose it), from the
    QtDBus library this process has loaded; None when it cannot be found."""
    global _APPEND_INT64
    if _APPEND_INT64 is None:
        _APPEND_INT64 = False
        try:
            library = ctypes.CDLL("libQt6DBus.so.6")  # already loaded by PySide6.QtDBus
            function = library["_ZN13QDBusArgumentlsEx"]  # QDBusArgument::operator<<(qlonglong)
        except (OSError, AttributeError) as exc:
            log.info("mpris:length goes out as a plain int: %s", exc)
        else:
            function.argtypes = [ctypes.c_void_p, ctypes.c_longlong]
            function.restype = ctypes.c_void_p
            _APPEND_INT64 = function
    return _APPEND_INT64 or None


def int64(value: int) -> QDBusArgument | int:
    """*value* as a D-Bus ``x`` (int64) inside a map's variant, whatever its size.

    A plain Python ``int`` goes out as ``i`` below 2**31; MPRIS types
    ``mpris:length`` as ``x``. Falls back to the plain int where QtDBus's writer
    cannot be found.
    """
    append = _append_int64()
    if append is None:
        return value
    argument = QDBusArgument()
    append(shiboken6.getCppPointer(argument)[0], value)
    return argument


def on_the_wire(md: dict[str, Any]) -> dict[str, Any]:
    """A :func:`metadata` map as it goes out: ``mpris:length`` as an ``x``."""
    if "mpris:length" not in md:
        return md
    return {**md, "mpris:length": int64(int(md["mpris:length"]))}


def _empty_string_list() -> QDBusArgument:
    """An empty D-Bus ``as`` (a plain empty Python list would go out as ``av``)."""
    from PySide6.QtCore import QMetaType

    arg = QDBusArgument()
    arg.beginArray(QMetaType(QMetaType.Type.QString))
    arg.endArray()
    return arg


@ClassInfo({"D-Bus Interface": ROOT_IFACE})
class RootAdaptor(QDBusAbstractAdaptor):
    """``org.mpris.MediaPlayer2``: who we are, raise and quit."""

    def __init__(self, parent: QObject, service: MprisService) -> None:
        super().__init__(parent)
        self.service = service
        self.setAutoRelaySignals(False)

    def _identity(self) -> str:
        return "Kindred"

    def _desktop(self) -> str:
        return "org.kindred.Kindred"

    def _true(self) -> bool:
        return True

    def _false(self) -> bool:
        return False

    def _schemes(self) -> list[str]:
        return ["file", "http", "https"]

    def _mimes(self) -> list[str]:
        return list(MIME_TYPES)

    Identity = Property(str, _identity)
    DesktopEntry = Property(str, _desktop)
    CanQuit = Property(bool, _true)
    CanRaise = Property(bool, _true)
    HasTrackList = Property(bool, _false)
    Fullscreen = Property(bool, _false)
    CanSetFullscreen = Property(bool, _false)
    SupportedUriSchemes = Property("QStringList", _schemes)
    SupportedMimeTypes = Property("QStringList", _mimes)

    @Slot()
    def Raise(self) -> None:
        self.service.raise_window()

    @Slot()
    def Quit(self) -> None:
        self.service.quit()


@ClassInfo({"D-Bus Interface": PLAYER_IFACE})
class PlayerAdaptor(QDBusAbstractAdaptor):
    """``org.mpris.MediaPlayer2.Player``: transport, position, modes and metadata."""

    Seeked = Signal("qlonglong")

    def __init__(self, parent: QObject, service: MprisService) -> None:
        super().__init__(parent)
        self.service = service
        self.setAutoRelaySignals(False)

    @property
    def bridge(self) -> PlayerBridge:
        return self.service.bridge

    # ---- properties ---------------------------------------------------------------
    def _status(self) -> str:
        return self.service.status()

    def _loop(self) -> str:
        return _LOOP.get(self.bridge.controller.queue.repeat, "None")

    def _set_loop(self, value: str) -> None:
        mode = _REPEAT.get(str(value))
        if mode is not None:
            self.bridge.set_repeat(mode)

    def _shuffle(self) -> bool:
        return self.bridge.controller.queue.shuffle is not ShuffleMode.OFF

    def _set_shuffle(self, on: bool) -> None:
        self.bridge.set_shuffle(ShuffleMode.TRACKS if on else ShuffleMode.OFF)

    def _volume(self) -> float:
        return self.bridge.controller.volume / 100.0

    def _set_volume(self, value: float) -> None:
        self.bridge.set_volume(round(max(0.0, min(1.0, float(value))) * 100))

    def _position(self) -> int:
        return self.service.position_us()

    def _metadata(self) -> dict[str, Any]:
        return on_the_wire(self.service.metadata())

    def _rate(self) -> float:
        return 1.0

    def _can_go_next(self) -> bool:
        return len(self.bridge.controller.queue) > 0

    def _can_play(self) -> bool:
        return len(self.bridge.controller.queue) > 0

    def _can_seek(self) -> bool:
        item = self.bridge.playing_item
        return item is not None and not item.live

    def _true(self) -> bool:
        return True

    PlaybackStatus = Property(str, _status)
    LoopStatus = Property(str, _loop, _set_loop)
    Shuffle = Property(bool, _shuffle, _set_shuffle)
    Volume = Property(float, _volume, _set_volume)
    Position = Property("qlonglong", _position)
    Metadata = Property("QVariantMap", _metadata)
    Rate = Property(float, _rate)
    MinimumRate = Property(float, _rate)
    MaximumRate = Property(float, _rate)
    CanGoNext = Property(bool, _can_go_next)
    CanGoPrevious = Property(bool, _can_go_next)
    CanPlay = Property(bool, _can_play)
    CanPause = Property(bool, _can_play)
    CanSeek = Property(bool, _can_seek)
    CanControl = Property(bool, _true)

    # ---- methods -----------------------------------------------------------------------
    @Slot()
    def PlayPause(self) -> None:
        self.bridge.toggle()

    @Slot()
    def Play(self) -> None:
        self.bridge.play()

    @Slot()
    def Pause(self) -> None:
        self.bridge.pause()

    @Slot()
    def Stop(self) -> None:
        self.bridge.stop()

    @Slot()
    def Next(self) -> None:
        self.bridge.next()

    @Slot()
    def Previous(self) -> None:
        self.bridge.previous()

    @Slot("qlonglong")
    def Seek(self, offset_us: int) -> None:
        if not self._can_seek():
            return
        target = self.service.position_us() + int(offset_us)
        duration = (self.bridge.controller.duration() or 0) * 1000
        if duration and target >= duration:
            self.bridge.next()
            return
        self.service.seek_us(max(0, target))

    @Slot(QDBusObjectPath, "qlonglong")
    def SetPosition(self, track: QDBusObjectPath, position_us: int) -> None:
        if track.path() != track_path(self.bridge.playing_item) or position_us < 0:
            return
        duration = (self.bridge.controller.duration() or 0) * 1000
        if duration and position_us > duration:
            return
        self.service.seek_us(int(position_us))

    @Slot(str)
    def OpenUri(self, uri: str) -> None:
        self.service.open_uris([uri])


class MprisService(QObject):
    """The exported object; owns the adaptors and announces the bridge's changes."""

    def __init__(
        self,
        bridge: PlayerBridge,
        *,
        raise_window: Callable[[], None] | None = None,
        quit: Callable[[], None] | None = None,
        open_paths: Callable[[list[str]], None] | None = None,
        art_for: Callable[[QueueItem, Callable[[str | None], None]], None] | None = None,
        number_for: Callable[[QueueItem], int] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self._raise = raise_window
        self._quit = quit
        self._open = open_paths
        self._art_for = art_for
        self._number_for = number_for
        self._number: tuple[QueueItem | None, int] = (None, 0)
        self._art: str | None = None
        self._art_item: QueueItem | None = None
        self.connection: QDBusConnection | None = None
        self.service_name = ""
        self.root = RootAdaptor(self, self)
        self.player = PlayerAdaptor(self, self)
        self._last: dict[str, Any] = {}
        self._last_pos = 0
        bridge.stateChanged.connect(self._changed)
        bridge.trackChanged.connect(self._track_changed)
        bridge.modesChanged.connect(self._changed)
        bridge.volumeChanged.connect(self._changed)
        bridge.queueChanged.connect(self._changed)
        bridge.positionChanged.connect(self._position_changed)

    # ---- registration -----------------------------------------------------------------
    def register(self, connection: QDBusConnection | None = None) -> bool:
        """Export on the session bus; False (with a log line) when there is none."""
        bus = connection if connection is not None else QDBusConnection.sessionBus()
        if not bus.isConnected():
            log.info("MPRIS off: no D-Bus session bus (%s)", bus.lastError().message())
            return False
        if not bus.registerObject(OBJECT_PATH, self, QDBusConnection.RegisterOption.ExportAdaptors):
            log.info("MPRIS off: cannot export %s", OBJECT_PATH)
            return False
        name = SERVICE
        if not bus.registerService(name):
            name = f"{SERVICE}.instance{os.getpid()}"
            if not bus.registerService(name):
                log.info("MPRIS off: cannot own %s", name)
                bus.unregisterObject(OBJECT_PATH)
                return False
        self.connection, self.service_name = bus, name
        self._last = self._snapshot()
        log.info("MPRIS on the session bus as %s", name)
        return True

    def unregister(self) -> None:
        if self.connection is not None:
            self.connection.unregisterService(self.service_name)
            self.connection.unregisterObject(OBJECT_PATH)
            self.connection = None

    # ---- reading ----------------------------------------------------------------------
    def status(self) -> str:
        return playback_status(self.bridge.state, self.bridge.playing_item is not None)

    def position_us(self) -> int:
        if self.bridge.playing_item is None:
            return 0
        return max(0, int(self.bridge.controller.position())) * 1000

    def metadata(self) -> dict[str, Any]:
        item = self.bridge.playing_item
        art = self._art if item is not None and item is self._art_item else None
        return metadata(item, art, self._track_number(item))

    def _track_number(self, item: QueueItem | None) -> int:
        if item is None or self._number_for is None:
            return 0
        if self._number[0] is not item:
            try:
                self._number = (item, int(self._number_for(item) or 0))
            except Exception as exc:  # a missing number never breaks the metadata
                log.info("no track number for %s: %s", item.location, exc)
                self._number = (item, 0)
        return self._number[1]

    # ---- commands ---------------------------------------------------------------------
    def seek_us(self, position_us: int) -> None:
        self.bridge.seek(position_us // 1000)
        self._last_pos = position_us // 1000
        self._seeked()

    def raise_window(self) -> None:
        if self._raise is not None:
            self._raise()

    def quit(self) -> None:
        if self._quit is not None:
            self._quit()

    def open_uris(self, uris: list[str]) -> None:
        if self._open is not None:
            self._open([uri_to_path(uri) for uri in uris])

    # ---- announcing ---------------------------------------------------------------------
    def _snapshot(self) -> dict[str, Any]:
        p = self.player
        return {
            "PlaybackStatus": p._status(),
            "LoopStatus": p._loop(),
            "Shuffle": p._shuffle(),
            "Volume": p._volume(),
            "Metadata": self.metadata(),  # plain values, to compare (typed when sent)
            "CanGoNext": p._can_go_next(),
            "CanGoPrevious": p._can_go_next(),
            "CanPlay": p._can_play(),
            "CanPause": p._can_play(),
            "CanSeek": p._can_seek(),
        }

    def _changed(self, *_: object) -> None:
        if self.connection is None:
            return
        now = self._snapshot()
        changed = {k: v for k, v in now.items() if _comparable(self._last.get(k)) != _comparable(v)}
        self._last = now
        if changed:
            self.properties_changed(PLAYER_IFACE, changed)

    def properties_changed(self, interface: str, changed: dict[str, Any]) -> None:
        """Send ``PropertiesChanged`` for *changed* on *interface*."""
        if self.connection is None:
            return
        message = QDBusMessage.createSignal(
            OBJECT_PATH, "org.freedesktop.DBus.Properties", "PropertiesChanged"
        )
        if "Metadata" in changed:
            changed = {**changed, "Metadata": on_the_wire(changed["Metadata"])}
        message.setArguments([interface, changed, _empty_string_list()])
        self.connection.send(message)

    def _track_changed(self, item: object) -> None:
        self._art = None
        self._art_item = None
        self._last_pos = 0
        if isinstance(item, QueueItem) and self._art_for is not None:
            wanted = item

            def got(url: str | None) -> None:
                if url and self.bridge.playing_item is wanted:
                    self._art, self._art_item = url, wanted
                    self._changed()

            self._art_for(item, got)
        self._changed()

    def _position_changed(self, position_ms: int, _duration_ms: int) -> None:
        expected = self._last_pos
        self._last_pos = position_ms
        if self.connection is None or self.bridge.playing_item is None:
            return
        if abs(position_ms - expected) > SEEK_JUMP_MS:
            self._seeked()

    def _seeked(self) -> None:
        if self.connection is not None:
            emit(self.player.Seeked, self.position_us())


def _comparable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _comparable(v) for k, v in value.items()}
    if isinstance(value, QDBusObjectPath):
        return ("path", value.path())
    return value


def available() -> bool:
    """True on Linux when a session bus answers."""
    return sys.platform.startswith("linux") and QDBusConnection.sessionBus().isConnected()


def install(window: DesktopWindow) -> MprisService | None:
    """Export MPRIS for *window*; None where there is no session bus."""
    if not sys.platform.startswith("linux"):
        log.info("MPRIS off: not Linux")
        return None
    from player.ui.desktop.common import art_url_for, open_paths, raise_window, track_number
    from player.ui.desktop.tray import quit_window

    service = MprisService(
        window.bridge,
        raise_window=lambda: raise_window(window),
        quit=lambda: quit_window(window),
        open_paths=lambda paths: open_paths(window, paths),
        art_for=lambda item, done: art_url_for(window, item, done),
        number_for=lambda item: track_number(window.db, item),
        parent=window.window(),
    )
    if not service.register():
        service.deleteLater()
        return None
    return service
