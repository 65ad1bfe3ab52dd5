"""Scrobbling accounts, settings and sending: what the window and ``kindred
scrobble`` both use.

The settings live in the settings file under ``"scrobble"`` (service
addresses, so tests and a self-hosted ListenBrainz can point elsewhere; the
Last.fm API key and secret, else ``KINDRED_LASTFM_API_KEY`` and
``KINDRED_LASTFM_API_SECRET``; whether radio titles are scrobbled). The
ListenBrainz token and the Last.fm session key are kept in the credential
store, like the comment server's token (:mod:`player.social.credentials`).

Sending takes each service's queue oldest first, in batches (Last.fm 50 per
``track.scrobble``, ListenBrainz up to its per-request limits), and stops at
the first thing that must wait: an expired sign-in (the queue is kept until
the person signs in again), an outage or a rate limit (backed off, the
service's own wait when it gives one). A listen the service refuses as
invalid is dropped with its reason, logged, never retried.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from player.config import Paths, Settings
from player.library.scrobble_queue import Listen, QueuedListen, ScrobbleQueue
from player.library.store import LibraryDB
from player.social.credentials import TokenStore
from player.social.scrobble import lastfm, listenbrainz
from player.social.scrobble.errors import ListenRejected, ScrobbleError, SignInNeeded, TryLater
from player.social.scrobble.settings import (
    LASTFM,
    LISTENBRAINZ,
    NAMES,
    SERVICES,
    ScrobbleSettings,
    ServiceStatus,
)

log = logging.getLogger(__name__)

BACKOFF_S = 30.0
MAX_BACKOFF_S = 3600.0
#: the daily scrobble limit of Last.fm (ignoredMessage 5): try again in an hour
DAILY_LIMIT_WAIT_S = 3600.0
ENV_KEY = "KINDRED_LASTFM_API_KEY"
ENV_SECRET = "KINDRED_LASTFM_API_SECRET"


@dataclass
class SendReport:
    """What sending one service's queue did."""

    sent: int = 0
    dropped: list[tuple[Listen, str]] = field(default_factory=list)
    waiting: ScrobbleError | None = None


class Scrobbling:
    """The scrobbling of one library, for every service signed in."""

    def __init__(
        self,
        library: LibraryDB,
        settings: Settings,
        paths: Paths,
        *,
        tokens: TokenStore | None = None,
        clock: Callable[[], float] = time.time,
        save: bool = True,
        apply: Callable[[Callable[[ScrobbleSettings], None]], None] | None = None,
    ) -> None:
        self.library = library
        self.settings = settings
        self.paths = paths
        self.tokens = tokens if tokens is not None else TokenStore(paths)
        self.clock = clock
        self.queue = ScrobbleQueue(library, clock=clock)
        self._save = save
        self._apply = apply

    # ---- settings and accounts ----------------------------------------------
    @property
    def config(self) -> ScrobbleSettings:
        return ScrobbleSettings.of(self.settings)

    def _update(self, change: Callable[[ScrobbleSettings], None]) -> None:
        """Change the settings and save them; with ``apply``, hand *change* to it
        instead (the window applies it on its own thread, which owns the settings)."""
        if self._apply is not None:
            self._apply(change)
            return
        config = self.config
        change(config)
        config.store(self.settings)
        if self._save:
            self.settings.save(self.paths)

    def root(self, service: str) -> str:
        c = self.config
        return c.listenbrainz_url if service == LISTENBRAINZ else c.lastfm_url

    def _key(self, service: str) -> str:
        return f"scrobble:{service}:{self.root(service).rstrip('/')}"

    def credential(self, service: str) -> str | None:
        return self.tokens.get(self._key(service))

    def signed_in(self, service: str) -> bool:
        return bool(self.credential(service))

    def active(self) -> list[str]:
        """The services a listen is queued for: signed in (expired sign-ins included:
        their queue waits for the next sign-in)."""
        return [s for s in SERVICES if self.signed_in(s)]

    def lastfm_keys(self) -> tuple[str, str]:
        c = self.config
        extra = self.settings.extra  # the history import's top-level keys count too
        key = (
            c.lastfm_api_key
            or str(extra.get("lastfm_api_key") or "")
            or os.environ.get(ENV_KEY, "")
        )
        secret = (
            c.lastfm_api_secret
            or str(extra.get("lastfm_api_secret") or "")
            or os.environ.get(ENV_SECRET, "")
        )
        if not key or not secret:
            raise ScrobbleError(
                "Last.fm needs an API key",
                f"Set {ENV_KEY} and {ENV_SECRET}, or the key and secret in Settings, Accounts.",
            )
        return key, secret

    def _lastfm(self, session_key: str = "") -> lastfm.LastfmClient:
        key, secret = self.lastfm_keys()
        return lastfm.LastfmClient(self.config.lastfm_url, key, secret, session_key)

    def login_listenbrainz(self, token: str) -> str:
        client = listenbrainz.ListenBrainzClient(self.config.listenbrainz_url, token.strip())
        try:
            user = client.validate()
        finally:
            client.close()
        self._signed_in(LISTENBRAINZ, token.strip(), user)
        return user

    def login_lastfm(self, username: str, password: str) -> str:
        """``auth.getMobileSession``: for the command line."""
        client = self._lastfm()
        try:
            session = client.get_mobile_session(username, password)
        finally:
            client.close()
        self._signed_in(LASTFM, session.key, session.name)
        return session.name

    def lastfm_begin(self) -> tuple[str, str]:
        """The desktop flow's first step: a token and the page where the person allows it."""
        client = self._lastfm()
        try:
            token = client.get_token()
        finally:
            client.close()
        return token, client.auth_url(self.config.lastfm_auth_page, client.api_key, token)

    def lastfm_finish(self, token: str) -> str:
        """After the person allowed *token* in the browser: ``auth.getSession``."""
        client = self._lastfm()
        try:
            session = client.get_session(token)
        finally:
            client.close()
        self._signed_in(LASTFM, session.key, session.name)
        return session.name

    def _signed_in(self, service: str, secret: str, user: str) -> None:
        self.tokens.set(self._key(service), secret)

        def change(c: ScrobbleSettings) -> None:
            c.users[service] = user
            c.sign_in_again = [s for s in c.sign_in_again if s != service]

        self._update(change)
        self.queue.clear_wait(service)

    def logout(self, service: str) -> None:
        """Forget the sign-in. Listens already queued stay until the next sign-in."""
        self.tokens.delete(self._key(service))

        def change(c: ScrobbleSettings) -> None:
            c.users.pop(service, None)
            c.sign_in_again = [s for s in c.sign_in_again if s != service]

        self._update(change)

    def status(self) -> list[ServiceStatus]:
        c = self.config
        out = []
        for service in SERVICES:
            counts = self.queue.counts(service)
            pending = self.queue.pending(service, limit=1)
            out.append(
                ServiceStatus(
                    service=service,
                    user=c.users.get(service, "") if self.signed_in(service) else "",
                    sign_in_again=service in c.sign_in_again,
                    pending=counts["pending"],
                    sent=counts["sent"],
                    dropped=counts["dropped"],
                    last_error=pending[0].last_error if pending else "",
                )
            )
        return out

    # ---- listening -----------------------------------------------------------
    def record(self, listen: Listen) -> list[int]:
        """Queue a finished listen for every active service (instant, offline)."""
        if not listen.artist or not listen.title:
            log.info("not scrobbled: %r has no artist or title", listen)
            return []
        return self.queue.add(self.active(), listen)

    def now_playing(self, listen: Listen) -> list[str]:
        """Tell each usable service what started (best effort: never queued)."""
        told = []
        for service in self.active():
            if service in self.config.sign_in_again or not listen.artist or not listen.title:
                continue
            try:
                if service == LISTENBRAINZ:
                    lb = listenbrainz.ListenBrainzClient(
                        self.root(service), self.credential(service) or ""
                    )
                    try:
                        lb.playing_now(listen)
                    finally:
                        lb.close()
                else:
                    fm = self._lastfm(self.credential(service) or "")
                    try:
                        fm.update_now_playing(listen)
                    finally:
                        fm.close()
                told.append(service)
            except SignInNeeded as exc:
                self._expired(service, exc)
            except ScrobbleError as exc:
                log.info("now playing not sent to %s: %s", service, exc)
        return told

    # ---- sending ---------------------------------------------------------------
    def send(
        self, services: list[str] | None = None, *, now: bool = False
    ) -> dict[str, SendReport]:
        """Send what is due of each service's queue. ``now``: ignore the back-off."""
        return {s: self._send(s, now) for s in (services or list(SERVICES))}

    def _send(self, service: str, now: bool) -> SendReport:
        report = SendReport()
        if not self.queue.counts(service)["pending"]:
            return report
        secret = self.credential(service)
        if not secret or service in self.config.sign_in_again:
            report.waiting = SignInNeeded(f"Sign in to {NAMES[service]} to send the queue")
            return report
        batch = (
            lastfm.MAX_PER_SCROBBLE if service == LASTFM else listenbrainz.MAX_LISTENS_PER_REQUEST
        )
        try:
            client: Any = (
                self._lastfm(secret)
                if service == LASTFM
                else listenbrainz.ListenBrainzClient(self.root(service), secret)
            )
        except ScrobbleError as exc:
            report.waiting = exc
            return report
        try:
            while True:
                rows = self.queue.pending(service, limit=batch)
                if not rows:
                    break
                if rows[0].next_attempt_at > self.clock() and not now:
                    report.waiting = TryLater(
                        f"{NAMES[service]}: waiting to retry", rows[0].last_error
                    )
                    break
                try:
                    if service == LASTFM:
                        self._lastfm_batch(client, rows, report)
                    else:
                        self._listenbrainz_batch(client, rows, report)
                except SignInNeeded as exc:
                    self._expired(service, exc)
                    self.queue.retry_later([rows[0].id], 0.0, exc.short)
                    report.waiting = exc
                    break
                except ScrobbleError as exc:  # TryLater, or a refusal of the whole request
                    wait = exc.wait_s if isinstance(exc, TryLater) and exc.wait_s else None
                    pending = self.queue.pending(service, limit=1)
                    if pending:
                        at = self.clock() + (wait or _backoff(pending[0].attempts))
                        self.queue.retry_later([pending[0].id], at, _text(exc))
                    report.waiting = exc
                    break
        finally:
            client.close()
        return report

    def _listenbrainz_batch(
        self, client: listenbrainz.ListenBrainzClient, rows: list[QueuedListen], report: SendReport
    ) -> None:
        for group in _split(rows, listenbrainz.batches([r.listen for r in rows])):
            try:
                client.submit([r.listen for r in group])
            except ListenRejected as exc:
                if len(group) > 1:  # find the listen it means: one at a time
                    for row in group:
                        self._listenbrainz_batch(client, [row], report)
                    continue
                self._drop(group[0], _text(exc), report)
                continue
            self.queue.mark_sent([r.id for r in group])
            report.sent += len(group)

    def _lastfm_batch(
        self, client: lastfm.LastfmClient, rows: list[QueuedListen], report: SendReport
    ) -> None:
        result = client.scrobble([r.listen for r in rows])
        taken = []
        for row, ignored in zip(rows, result.ignored, strict=True):
            if ignored is None:
                taken.append(row.id)
                continue
            code, reason = ignored
            if code == lastfm.DAILY_LIMIT:  # not this listen's fault: the rest waits
                self.queue.mark_sent(taken)
                report.sent += len(taken)
                raise TryLater("Last.fm's daily scrobble limit", reason, wait_s=DAILY_LIMIT_WAIT_S)
            self._drop(row, f"Last.fm ignored it: {reason} (code {code})", report)
        self.queue.mark_sent(taken)
        report.sent += len(taken)

    def _drop(self, row: QueuedListen, reason: str, report: SendReport) -> None:
        log.warning("scrobble dropped (%s): %s - %s: %s", row.service, row.listen.artist,
                    row.listen.title, reason)  # fmt: skip
        self.queue.drop(row.id, reason)
        report.dropped.append((row.listen, reason))

    def _expired(self, service: str, exc: ScrobbleError) -> None:
        log.warning("%s: %s", service, _text(exc))

        def change(c: ScrobbleSettings) -> None:
            if service not in c.sign_in_again:
                c.sign_in_again.append(service)

        self._update(change)


def _split(rows: list[QueuedListen], groups: list[list[Listen]]) -> list[list[QueuedListen]]:
    out, start = [], 0
    for group in groups:
        out.append(rows[start : start + len(group)])
        start += len(group)
    return out


def _backoff(attempts: int) -> float:
    return min(MAX_BACKOFF_S, BACKOFF_S * 2**attempts)


def _text(exc: ScrobbleError) -> str:
    return f"{exc.short}: {exc.detail}" if exc.detail and exc.detail != exc.short else exc.short
