"""Scrobbling what plays: "now playing" when a track starts, and a listen queued
the moment the scrobbling rules (:mod:`player.social.scrobble.rules`) call it
done, then sent in the background.

It follows the bridge's signals, as the now-playing bar does: ``trackChanged``
starts a rule, ``stateChanged`` pauses and resumes it, ``positionChanged``
ticks it, ``seekRequested`` tells it that the next step is a seek, not
listening (however short: the keyboard's seek forward is 5 s; a jump between
ticks that no seek announced is not counted either), and a stream's
``metadataChanged`` starts a rule per ICY title when the setting says so. All
talk to the library and the services runs on one worker thread of its own, on
a connection of its own, so queueing and sending never overlap. The settings
belong to the UI thread: a change the worker makes (an expired sign-in, a
sign-in or sign-out from Settings, Accounts) is handed over and applied and
saved there, before the task's result arrives.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal

from player.audio.engine import PlaybackState
from player.audio.queue import QueueItem
from player.errors import AppError
from player.library.scrobble_queue import Listen, ScrobbleQueue
from player.library.store import LibraryDB
from player.social.scrobble.rules import ScrobbleRule, radio_title
from player.social.scrobble.settings import NAMES, SERVICES, ScrobbleSettings
from player.ui.kit.tasks import TaskRunner
from player.ui.kit.window import KindredWindow

if TYPE_CHECKING:
    from player.social.scrobble.accounts import Scrobbling

log = logging.getLogger(__name__)

# the queue is tried again this often (each service's own back-off still applies)
RETRY_MS = 60_000


class ScrobbleWatcher(QObject):
    # a change to the scrobbling settings, from the worker to the UI thread
    settingsChange = Signal(object)

    def __init__(self, window: KindredWindow) -> None:
        super().__init__(window.window())
        self.window = window
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)  # one at a time: queue writes and sends in order
        self.runner = TaskRunner(self.pool, self)
        self._library: LibraryDB | None = None
        self.rule: ScrobbleRule | None = None
        self.listen: Listen | None = None
        self._item: QueueItem | None = None
        self.told: set[str] = set()  # services whose expired sign-in was said
        self.settingsChange.connect(self._apply_settings)  # queued when emitted by the worker
        bridge = window.bridge
        bridge.trackChanged.connect(self._track_changed)
        bridge.stateChanged.connect(self._state_changed)
        bridge.positionChanged.connect(self._position_changed)
        bridge.seekRequested.connect(self._seek_requested)
        bridge.metadataChanged.connect(self._metadata_changed)
        self.timer = QTimer(self)
        self.timer.setInterval(RETRY_MS)
        self.timer.timeout.connect(self.send)
        self.timer.start()
        QTimer.singleShot(0, self.send)  # what waited since the last run

    # ---- on the worker ---------------------------------------------------------
    def _scrobbling(self) -> Scrobbling:
        from player.social.scrobble.accounts import Scrobbling  # httpx and keyring: not at start-up

        if self._library is None:
            self._library = LibraryDB(self.window.db_path)
        ctx = self.window.ctx
        return Scrobbling(self._library, ctx.settings, ctx.paths, apply=self.settingsChange.emit)

    def _apply_settings(self, change: Callable[[ScrobbleSettings], None]) -> None:
        """On the UI thread: change the scrobbling settings and save them."""
        ctx = self.window.ctx
        config = ScrobbleSettings.of(ctx.settings)
        change(config)
        config.store(ctx.settings)
        ctx.settings.save(ctx.paths)

    def _now_playing(self, listen: Listen) -> list[str]:
        return self._scrobbling().now_playing(listen)

    def _record_and_send(self, listen: Listen) -> dict[str, Any]:
        scrobbling = self._scrobbling()
        scrobbling.record(listen)
        return scrobbling.send()

    def _send(self) -> dict[str, Any]:
        if not self._queued():
            return {}  # nothing to send: httpx and keyring stay unloaded (start-up, idle)
        return self._scrobbling().send()

    def _queued(self) -> bool:
        """Worker: some service has listens waiting (one indexed count each)."""
        if self._library is None:
            self._library = LibraryDB(self.window.db_path)
        queue = ScrobbleQueue(self._library)
        return any(queue.counts(service)["pending"] for service in SERVICES)

    def send(self) -> None:
        task = self.runner.submit(self._send, name="scrobble send")
        task.done.connect(self._sent)

    def _sent(self, reports: dict[str, Any] | None, error: object) -> None:
        """An expired sign-in is said once per run and service; the queue waits for it."""
        if reports is None:
            log.warning("sending scrobbles failed: %s", error)
            return
        from player.social.scrobble.errors import SignInNeeded

        for service, report in reports.items():
            if isinstance(report.waiting, SignInNeeded) and self._signed_in_before(service):
                if service in self.told:
                    continue
                self.told.add(service)
                short = self.tr("Sign in to {service} again").format(service=NAMES[service])
                detail = self.tr(
                    "Your listens are kept and sent after you sign in again in Settings, Accounts."
                )
                self.window.notice.show_error(AppError(short, detail))

    def _signed_in_before(self, service: str) -> bool:
        return service in ScrobbleSettings.of(self.window.ctx.settings).sign_in_again

    def run(self, fn: Callable[[Scrobbling], Any], then: Callable[[Any, object], None]) -> None:
        """``fn(scrobbling)`` on the worker, in turn with queueing and sending; then
        ``then(result, error)`` on the UI thread (Settings, Accounts)."""
        task = self.runner.submit(lambda: fn(self._scrobbling()), name="scrobble account")
        task.done.connect(then)

    def close(self) -> None:
        self.timer.stop()
        self.runner.close(15000)
        if self._library is not None:
            self._library.close()
            self._library = None

    # ---- following playback -----------------------------------------------------
    def _track_changed(self, item: QueueItem | None) -> None:
        self._item = item
        self.rule = self.listen = None
        if item is None or item.live:
            return  # a stream: each announced title is its own listen
        self._start(item.artist, item.title, item.album, item.duration_ms)

    def _start(self, artist: str, title: str, album: str, duration_ms: int) -> None:
        now = time.time()
        if self._item is not None and self._item.live:
            self.rule = radio_title(now, self.window.bridge.controller.position())
        else:
            self.rule = ScrobbleRule(duration_ms=duration_ms, started_at=now)
            self.rule.resume(None)
        self.listen = Listen(artist=artist, title=title, album=album, listened_at=int(now),
                             duration_ms=max(0, duration_ms))  # fmt: skip
        if artist and title:
            self.runner.submit(self._now_playing, self.listen, name="now playing")

    def _state_changed(self, state: PlaybackState) -> None:
        if self.rule is None:
            return
        if state is PlaybackState.PLAYING:
            if not self.rule.playing:
                self.rule.resume(None)
        else:
            self.rule.pause()

    def _position_changed(self, position_ms: int, duration_ms: int) -> None:
        rule, listen = self.rule, self.listen
        if rule is None or listen is None:
            return
        if duration_ms and not rule.radio and duration_ms != rule.duration_ms:
            rule.duration_ms = duration_ms
            self.listen = listen = replace(listen, duration_ms=duration_ms)
        rule.tick(position_ms)
        if rule.due:
            rule.scrobbled = True
            if listen.artist and listen.title:
                task = self.runner.submit(self._record_and_send, listen, name="scrobble")
                task.done.connect(self._sent)

    def _seek_requested(self, position_ms: int) -> None:
        if self.rule is not None:
            self.rule.seek(position_ms)

    def _metadata_changed(self, text: str) -> None:
        item = self._item
        if item is None or not item.live:
            return
        self.rule = self.listen = None
        if not ScrobbleSettings.of(self.window.ctx.settings).radio:
            return
        artist, sep, title = text.partition(" - ")
        if not sep or not artist.strip() or not title.strip():
            return  # an announcement that is not "Artist - Title"
        self._start(artist.strip(), title.strip(), "", 0)


def install(window: KindredWindow) -> ScrobbleWatcher:
    return ScrobbleWatcher(window)
