"""The account box: "signed in as X / sign out", or the sign-in and register form.

Used by the Comments tab (above the comments) and by the Comments page of the
Settings dialog. Signing in, registering and signing out run on the task
runner; ``accountChanged`` fires on the UI thread once one of them is done, so
whoever shows comments can reload them with the new account.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from player.social.errors import SocialError
from player.ui.comments.card import primary_button
from player.ui.kit.qtfix import emit
from player.ui.kit.tasks import TaskRunner


class Account(Protocol):
    """What the box needs of the comments backend."""

    username: str

    @property
    def signed_in(self) -> bool: ...

    @property
    def account_known(self) -> bool: ...

    def sign_in(self, username: str, password: str, register: bool = False) -> object: ...

    def sign_out(self) -> None: ...


class AccountBox(QFrame):
    """Sign in / register / sign out against the backend's comment server."""

    accountChanged = Signal()

    def __init__(self, backend: Account, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("AccountBox")
        self.backend, self.runner = backend, runner
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 6, 14, 8)
        layout.setSpacing(6)
        self.signin = QWidget(self)
        form = QVBoxLayout(self.signin)
        form.setContentsMargins(0, 0, 0, 0)
        form.setSpacing(6)
        hint = QLabel(self.tr("Sign in to like, reply and post."), self.signin)
        hint.setObjectName("CommentMeta")
        self.user_field = QLineEdit(self.signin)
        self.user_field.setPlaceholderText(self.tr("Username"))
        self.user_field.setAccessibleName(self.tr("Username"))
        self.password_field = QLineEdit(self.signin)
        self.password_field.setPlaceholderText(self.tr("Password"))
        self.password_field.setAccessibleName(self.tr("Password"))
        self.password_field.setEchoMode(QLineEdit.EchoMode.Password)
        buttons = QHBoxLayout()
        self.signin_button = primary_button(self.tr("Sign in"), self.signin)
        self.register_button = QPushButton(self.tr("Register"), self.signin)
        buttons.addWidget(self.signin_button)
        buttons.addWidget(self.register_button)
        buttons.addStretch(1)
        self.error = QLabel("", self.signin)
        self.error.setObjectName("CommentError")
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        for widget in (hint, self.user_field, self.password_field):
            form.addWidget(widget)
        form.addLayout(buttons)
        form.addWidget(self.error)
        self.signed = QWidget(self)
        row = QHBoxLayout(self.signed)
        row.setContentsMargins(0, 0, 0, 0)
        self.who = QLabel("", self.signed)
        self.who.setObjectName("CommentMeta")
        self.signout_button = QToolButton(self.signed)
        self.signout_button.setObjectName("CommentAction")
        self.signout_button.setText(self.tr("Sign out"))
        self.signout_button.clicked.connect(self.sign_out)
        row.addWidget(self.who, 1)
        row.addWidget(self.signout_button)
        layout.addWidget(self.signin)
        layout.addWidget(self.signed)
        self.signin_button.clicked.connect(lambda: self.sign_in(register=False))
        self.register_button.clicked.connect(lambda: self.sign_in(register=True))
        self.password_field.returnPressed.connect(lambda: self.sign_in(register=False))
        self.refresh()

    def refresh(self) -> None:
        """Show the backend's account as it is now (nothing until the token was read)."""
        known = self.backend.account_known
        signed = known and self.backend.signed_in
        self.signin.setVisible(known and not signed)
        self.signed.setVisible(signed)
        name = self.backend.username or self.tr("you")
        self.who.setText(self.tr("Signed in as {name}").format(name=name))

    def ask(self, text: str) -> None:
        """Show *text* under the form and put the cursor in it (e.g. "sign in first")."""
        self.show_error(text)
        self.user_field.setFocus()

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def sign_in(self, register: bool = False) -> None:
        name, password = self.user_field.text().strip(), self.password_field.text()
        if not name or not password:
            self.show_error(self.tr("Enter a username and a password."))
            return
        self._busy(True)
        task = self.runner.submit(self.backend.sign_in, name, password, register, name="sign-in")
        task.done.connect(self._signed_in)

    def _signed_in(self, _user: object, error: object) -> None:
        self._busy(False)
        if error is not None:
            self.show_error(error.short if isinstance(error, SocialError) else str(error))
            return
        self.show_error("")
        self.password_field.clear()
        self.refresh()
        emit(self.accountChanged)

    def sign_out(self) -> None:
        self.signout_button.setEnabled(False)
        task = self.runner.submit(self.backend.sign_out, name="sign-out")
        task.done.connect(self._signed_out)

    def _signed_out(self, _result: object, _error: object) -> None:
        self.signout_button.setEnabled(True)
        self.refresh()
        emit(self.accountChanged)

    def _busy(self, busy: bool) -> None:
        self.signin_button.setEnabled(not busy)
        self.register_button.setEnabled(not busy)
