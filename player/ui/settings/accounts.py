"""The Accounts page of Settings: scrobbling to ListenBrainz and Last.fm.

Per service: who is signed in (or that the sign-in expired and the queue waits
for a new one), how many listens wait, were sent or were dropped, and the
buttons to sign in or out. ListenBrainz signs in with the user token from the
person's profile page; Last.fm with the browser (``auth.getToken``, the person
allows Kindred on last.fm, then ``auth.getSession``). The work runs on the
scrobbler's own worker (:class:`~player.ui.playback.scrobbling.ScrobbleWatcher`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from player.errors import AppError
from player.social.scrobble.settings import (
    LASTFM,
    LISTENBRAINZ,
    NAMES,
    ScrobbleSettings,
    ServiceStatus,
)
from player.ui.playback.scrobbling import ScrobbleWatcher
from player.ui.settings.widgets import SettingsPage, SettingsWindow, Switch, hint, save_settings

if TYPE_CHECKING:
    from player.social.scrobble.accounts import Scrobbling


class AccountsWindow(SettingsWindow, Protocol):
    @property
    def scrobbling(self) -> ScrobbleWatcher: ...


class AccountsPage(SettingsPage):
    def __init__(self, window: AccountsWindow, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Accounts"), parent)
        self.window_ = window
        self.watcher = window.scrobbling
        self._lastfm_token = ""

        card = self.add_section(NAMES[LISTENBRAINZ])  # a name, the same in every language
        self.lb_status = QLabel(card)
        self.lb_status.setWordWrap(True)
        card.add_widget(self.lb_status, top=4)
        self.lb_token = QLineEdit(card)
        self.lb_token.setEchoMode(QLineEdit.EchoMode.Password)
        self.lb_token.setPlaceholderText(self.tr("User token (from your ListenBrainz settings)"))
        self.lb_sign_in = QPushButton(self.tr("Sign in"), card)
        self.lb_sign_out = QPushButton(self.tr("Sign out"), card)
        card.add_widget(
            _row(card, self.lb_token, self.lb_sign_in, self.lb_sign_out), top=8, bottom=4
        )

        card = self.add_section(NAMES[LASTFM])
        self.fm_status = QLabel(card)
        self.fm_status.setWordWrap(True)
        card.add_widget(self.fm_status, top=4)
        self.fm_sign_in = QPushButton(self.tr("Sign in with the browser"), card)
        self.fm_allowed = QPushButton(self.tr("I have allowed Kindred"), card)
        self.fm_allowed.hide()
        self.fm_sign_out = QPushButton(self.tr("Sign out"), card)
        card.add_widget(
            _row(card, self.fm_sign_in, self.fm_allowed, self.fm_sign_out), top=8, bottom=4
        )
        self.fm_link = QLabel(card)
        self.fm_link.setWordWrap(True)
        self.fm_link.setOpenExternalLinks(True)
        self.fm_link.hide()
        card.add_widget(self.fm_link, bottom=4)

        card = self.add_section(self.tr("Sending"))
        self.radio = Switch(self.tr("Scrobble internet radio"), card)
        card.add_row(
            self.tr("Scrobble internet radio"),
            self.radio,
            self.tr("Each title a station announces counts once it played for 30 seconds."),
        )
        self.send_now = QPushButton(self.tr("Send now"), card)
        card.add_row(
            self.tr("Waiting listens"),
            self.send_now,
            self.tr("Listens are kept until the service has them, also offline."),
        )
        self.error = hint("", self.widget())
        self.body.addWidget(self.error)
        self.finish()

        self.lb_sign_in.clicked.connect(self._lb_sign_in)
        self.lb_sign_out.clicked.connect(lambda: self._run(lambda s: s.logout(LISTENBRAINZ)))
        self.fm_sign_in.clicked.connect(self._fm_begin)
        self.fm_allowed.clicked.connect(self._fm_finish)
        self.fm_sign_out.clicked.connect(lambda: self._run(lambda s: s.logout(LASTFM)))
        self.send_now.clicked.connect(lambda: self._run(lambda s: s.send(now=True)))
        self.radio.toggled.connect(self._radio_toggled)
        self.statuses: dict[str, ServiceStatus] = {}
        self.reload()

    # ---- showing ---------------------------------------------------------------
    def reload(self) -> None:
        self.radio.blockSignals(True)
        self.radio.setChecked(ScrobbleSettings.of(self.window_.ctx.settings).radio)
        self.radio.blockSignals(False)
        self.watcher.run(lambda s: s.status(), self._show_status)

    def _show_status(self, statuses: list[ServiceStatus] | None, error: object) -> None:
        if statuses is None:
            self._show_error(error)
            return
        self.statuses = {s.service: s for s in statuses}
        for status, label, sign_out in (
            (self.statuses[LISTENBRAINZ], self.lb_status, self.lb_sign_out),
            (self.statuses[LASTFM], self.fm_status, self.fm_sign_out),
        ):
            label.setText(self._status_text(status))
            sign_out.setEnabled(bool(status.user))

    def _status_text(self, s: ServiceStatus) -> str:
        if s.sign_in_again:
            who = self.tr("Signed in as {user}, but the sign-in expired: sign in again.")
        elif s.user:
            who = self.tr("Signed in as {user}.")
        else:
            who = self.tr("Not signed in.")
        counts = self.tr("{pending} waiting to be sent, {sent} sent, {dropped} dropped.")
        text = (
            who.format(user=s.user)
            + " "
            + counts.format(pending=s.pending, sent=s.sent, dropped=s.dropped)
        )
        if s.last_error:
            text += "\n" + self.tr("Last error: {error}").format(error=s.last_error)
        return text

    def _show_error(self, error: object) -> None:
        if isinstance(error, AppError):
            self.error.setText(f"{error.short}: {error.detail}" if error.detail != error.short
                               else error.short)  # fmt: skip
        elif error is not None:
            self.error.setText(str(error))

    # ---- acting ------------------------------------------------------------------
    def _run(
        self, fn: Callable[[Scrobbling], Any], then: Callable[[Any], None] | None = None
    ) -> None:
        self.error.setText("")

        def done(result: Any, error: object) -> None:
            if error is not None:
                self._show_error(error)
            elif then is not None:
                then(result)
            self.reload()

        self.watcher.run(fn, done)

    def _lb_sign_in(self) -> None:
        token = self.lb_token.text().strip()
        if not token:
            self.error.setText(self.tr("Paste your ListenBrainz user token first."))
            return
        self.lb_token.clear()
        self._run(lambda s: s.login_listenbrainz(token), lambda _user: self.watcher.send())

    def _fm_begin(self) -> None:
        self._run(lambda s: s.lastfm_begin(), self._fm_began)

    def _fm_began(self, answer: tuple[str, str]) -> None:
        self._lastfm_token, url = answer
        text = self.tr(
            'Allow Kindred on Last.fm (<a href="{url}">open the page</a>), then click "I have allowed Kindred".'
        )
        self.fm_link.setText(text.format(url=url))
        self.fm_link.show()
        self.fm_allowed.show()
        QDesktopServices.openUrl(QUrl(url))

    def _fm_finish(self) -> None:
        token = self._lastfm_token

        def finished(_user: str) -> None:
            self._lastfm_token = ""
            self.fm_allowed.hide()
            self.fm_link.hide()
            self.watcher.send()

        self._run(lambda s: s.lastfm_finish(token), finished)

    def _radio_toggled(self, on: bool) -> None:
        settings = self.window_.ctx.settings
        config = ScrobbleSettings.of(settings)
        config.radio = on
        config.store(settings)
        save_settings(self.window_)


def _row(parent: QWidget, *widgets: QWidget) -> QWidget:
    row = QWidget(parent)
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget, 1 if isinstance(widget, QLineEdit) else 0)
    if not any(isinstance(w, QLineEdit) for w in widgets):
        layout.addStretch(1)
    return row
