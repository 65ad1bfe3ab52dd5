"""The Comments page of the Settings dialog: which comment server, and which account.

The server URL is saved with the settings (``server_url``) and applied at once
to the Comments tab; the account box is the same one the tab shows, on the
tab's backend, so signing in here signs the tab in too.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from player.ui.comments.account import AccountBox
from player.ui.comments.account_actions import AccountActions
from player.ui.comments.style import panel_style
from player.ui.desktop import comment_alerts
from player.ui.settings.widgets import (
    Card,
    SettingsWindow,
    Switch,
    hint,
    save_window_state,
    section,
)


def check_server_url(text: str) -> str | None:
    """The URL without a trailing slash, or None when it is not an http(s) address."""
    url = text.strip().rstrip("/")
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return url


class CommentsSettingsPage(QWidget):
    """Server URL (saved and applied on "Apply" or Enter) and the account box."""

    def __init__(self, window: SettingsWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CommentsSettingsPage")
        self.window_ = window
        self.ctx = window.ctx
        self.panel = window.comments
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(section(self.tr("Comment server"), self))
        server = Card(self)
        row = QWidget(server)
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        self.url_field = QLineEdit(self.ctx.settings.server_url, row)
        self.url_field.setAccessibleName(self.tr("Comment server address"))
        self.url_field.setPlaceholderText("https://comments.example.org")
        self.url_field.setMinimumWidth(280)
        self.apply_button = QPushButton(self.tr("Apply"), row)
        line.addWidget(self.url_field, 1)
        line.addWidget(self.apply_button)
        server.add_row(
            self.tr("Address"),
            row,
            self.tr("Where comments are read and posted. Everyone on one server shares threads."),
        )
        self.message = hint("", server)
        self.message.hide()
        server.add_widget(self.message, bottom=6)
        layout.addWidget(server)
        layout.addSpacing(8)
        layout.addWidget(section(self.tr("Account"), self))
        account_card = Card(self)
        self.account = AccountBox(self.panel.backend, self.panel.runner, account_card)
        theme = getattr(window, "theme", None)
        if theme is not None:  # the account box keeps the Comments tab's look
            self.account.setStyleSheet(panel_style(theme))
        account_card.add_widget(self.account, top=6, bottom=6)
        layout.addWidget(account_card)
        self.actions = AccountActions(self.panel.backend, self.panel.runner, account_card)
        if theme is not None:
            self.actions.setStyleSheet(panel_style(theme))
        account_card.add_widget(self.actions, bottom=6)
        self.actions.accountChanged.connect(self.panel.account_changed)
        self.panel.accountChanged.connect(self.actions.refresh)
        layout.addSpacing(8)
        layout.addWidget(section(self.tr("Notifications"), self))
        alerts_card = Card(self)
        self.alerts = Switch(self.tr("Desktop notifications for replies and mentions"), alerts_card)
        self.alerts.setChecked(comment_alerts.enabled(window))
        alerts_card.add_row(
            self.tr("Replies and mentions"),
            self.alerts,
            self.tr("A desktop notification when someone replies to you or mentions you."),
        )
        layout.addWidget(alerts_card)
        self.alerts.toggled.connect(self._alerts_toggled)
        self.apply_button.clicked.connect(self.apply)
        self.url_field.returnPressed.connect(self.apply)
        self.account.accountChanged.connect(self.panel.account_changed)
        self.panel.accountChanged.connect(self.account.refresh)
        self.panel.load_account()

    def _alerts_toggled(self, on: bool) -> None:
        comment_alerts.set_enabled(self.window_, on)
        save_window_state(self.window_)

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def apply(self) -> bool:
        """Save and use the address in the field; False (with a message) when it is not valid."""
        url = check_server_url(self.url_field.text())
        if url is None:
            self._say(
                self.tr(
                    "Enter an address starting with http:// or https://, like {example}."
                ).format(example="https://comments.example.org")
            )
            return False
        settings = self.ctx.settings
        if url == settings.server_url.rstrip("/") and url == self.panel.backend.server:
            self._say(self.tr("Already using {url}.").format(url=url))
            return True
        settings.server_url = url
        settings.local_comment_server = False  # an address typed here is not ours to start
        try:
            settings.save(self.ctx.paths)
        except OSError as exc:
            self._say(self.tr("The settings could not be saved: {error}").format(error=str(exc)))
            return False
        self.url_field.setText(url)
        self.panel.set_server(url)
        self.account.refresh()
        self._say(self.tr("Now using {url}.").format(url=url))
        return True
