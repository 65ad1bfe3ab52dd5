"""What a signed-in account can do to itself: change its password, export its data, delete it.

Shown in Settings → Comments under the account box, only while signed in. Every
call runs on the task runner; a failure shows as a sentence under the box.
Deleting asks twice and says what happens first: comments that have replies
stay, shown as "[deleted user]"; everything else of the account goes.
``accountChanged`` fires once the account is deleted (it is signed out here too).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from player.social import people
from player.social.service import CommentsService
from player.ui.comments.card import primary_button
from player.ui.comments.profile import error_text
from player.ui.kit.qtfix import emit
from player.ui.kit.tasks import TaskRunner


class AccountActions(QFrame):
    """Change password, Export my data, Delete account (for the signed-in account)."""

    accountChanged = Signal()

    def __init__(
        self, backend: CommentsService, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("AccountBox")
        self.backend, self.runner = backend, runner
        self.exported: Path | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 6, 14, 8)
        layout.setSpacing(6)
        self.controls = QWidget(self)
        inner = QVBoxLayout(self.controls)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.setSpacing(6)
        title = QLabel(self.tr("Change password"), self)
        title.setObjectName("CommentAuthor")
        inner.addWidget(title)
        self.current = self._password(self.tr("Current password"))
        self.new = self._password(self.tr("New password"))
        self.again = self._password(self.tr("New password again"))
        self.password_button = QPushButton(self.tr("Change password"), self)
        for widget in (self.current, self.new, self.again):
            inner.addWidget(widget)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.password_button)
        inner.addLayout(row)
        data = QLabel(self.tr("Your data"), self)
        data.setObjectName("CommentAuthor")
        inner.addWidget(data)
        buttons = QHBoxLayout()
        self.export_button = QPushButton(self.tr("Export my data…"), self)
        self.export_button.setToolTip(
            self.tr("Save everything the server keeps about your account as a JSON file")
        )
        self.delete_button = QPushButton(self.tr("Delete account…"), self)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        inner.addLayout(buttons)
        # deleting: the first ask (what happens, the password), then the second
        self.delete_box = QFrame(self)
        self.delete_box.setObjectName("DeleteConfirm")
        column = QVBoxLayout(self.delete_box)
        column.setContentsMargins(0, 4, 0, 0)
        column.setSpacing(6)
        self.delete_text = QLabel(
            self.tr(
                "Deleting your account cannot be undone. Your comments that have replies "
                "stay, shown as \u201c[deleted user]\u201d; your other comments, your likes, "
                "mutes and notifications go. Enter your password to go on."
            ),
            self.delete_box,
        )
        self.delete_text.setObjectName("CommentError")
        self.delete_text.setWordWrap(True)
        self.delete_password = QLineEdit(self.delete_box)
        self.delete_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.delete_password.setPlaceholderText(self.tr("Password"))
        self.delete_password.setAccessibleName(self.tr("Password to delete the account"))
        self.delete_next = QPushButton(self.tr("Delete my account"), self.delete_box)
        self.delete_cancel = QPushButton(self.tr("Cancel"), self.delete_box)
        self.really = QLabel(
            self.tr("Really delete your account? This is the last question."), self.delete_box
        )
        self.really.setObjectName("CommentError")
        self.really.setWordWrap(True)
        self.delete_final = primary_button(self.tr("Yes, delete it for good"), self.delete_box)
        choices = QHBoxLayout()
        choices.addStretch(1)
        choices.addWidget(self.delete_cancel)
        choices.addWidget(self.delete_next)
        choices.addWidget(self.delete_final)
        for widget in (self.delete_text, self.delete_password, self.really):
            column.addWidget(widget)
        column.addLayout(choices)
        inner.addWidget(self.delete_box)
        layout.addWidget(self.controls)
        self.message = QLabel("", self)
        self.message.setObjectName("CommentMeta")
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        self.error = QLabel("", self)
        self.error.setObjectName("CommentError")
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        layout.addWidget(self.message)
        layout.addWidget(self.error)
        self.password_button.clicked.connect(self.change_password)
        self.again.returnPressed.connect(self.change_password)
        self.export_button.clicked.connect(self.ask_export)
        self.delete_button.clicked.connect(self.ask_delete)
        self.delete_cancel.clicked.connect(self._close_delete)
        self.delete_next.clicked.connect(self.ask_again)
        self.delete_password.returnPressed.connect(self.ask_again)
        self.delete_final.clicked.connect(self.delete)
        self._close_delete()
        self.refresh()

    def _password(self, name: str) -> QLineEdit:
        field = QLineEdit(self)
        field.setEchoMode(QLineEdit.EchoMode.Password)
        field.setPlaceholderText(name)
        field.setAccessibleName(name)
        return field

    def refresh(self) -> None:
        """The actions only while signed in (the last message stays, e.g. "deleted")."""
        signed = self.backend.account_known and self.backend.signed_in
        self.controls.setVisible(signed)
        self.setVisible(signed or bool(self.message.text()))

    def _say(self, message: str = "", error: str = "") -> None:
        self.message.setText(message)
        self.message.setVisible(bool(message))
        self.error.setText(error)
        self.error.setVisible(bool(error))

    # ---- password ---------------------------------------------------------------------
    def change_password(self) -> None:
        current, new, again = self.current.text(), self.new.text(), self.again.text()
        if not current or not new:
            self._say(error=self.tr("Enter your current password and a new one."))
            return
        if new != again:
            self._say(error=self.tr("The new passwords do not match."))
            return
        self.password_button.setEnabled(False)
        self._say(self.tr("Changing the password…"))
        task = self.runner.submit(
            people.change_password, self.backend, current, new, name="password"
        )
        task.done.connect(self._password_changed)

    def _password_changed(self, _result: object, error: object) -> None:
        self.password_button.setEnabled(True)
        if error is not None:
            self._say(error=self.tr("The password was not changed: {error}").format(
                error=error_text(error)))  # fmt: skip
            return
        for field in (self.current, self.new, self.again):
            field.clear()
        self._say(self.tr("Password changed. Your other devices are signed out."))

    # ---- export ---------------------------------------------------------------------------
    def ask_export(self) -> None:
        name = self.backend.username or "account"
        default = str(Path.home() / f"kindred-comments-{name}.json")
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export my data"), default, self.tr("JSON files (*.json)")
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        self.export_button.setEnabled(False)
        self._say(self.tr("Exporting…"))
        task = self.runner.submit(people.export_to, self.backend, path, name="export")
        task.done.connect(self._exported)

    def _exported(self, path: Path | None, error: object) -> None:
        self.export_button.setEnabled(True)
        if path is None:
            self._say(error=self.tr("Your data could not be exported: {error}").format(
                error=error_text(error)))  # fmt: skip
            return
        self.exported = path
        self._say(self.tr("Your data was saved to {path}.").format(path=str(path)))

    # ---- delete ---------------------------------------------------------------------------
    def ask_delete(self) -> None:
        """The first ask: what happens, and the password."""
        self.delete_box.setVisible(True)
        self.delete_text.setVisible(True)
        self.delete_password.setVisible(True)
        self.delete_next.setVisible(True)
        self.really.setVisible(False)
        self.delete_final.setVisible(False)
        self.delete_password.setFocus()

    def ask_again(self) -> None:
        """The second ask, once a password was given."""
        if not self.delete_password.text():
            self._say(error=self.tr("Enter your password to delete the account."))
            return
        self._say()
        self.delete_next.setVisible(False)
        self.delete_password.setEnabled(False)
        self.really.setVisible(True)
        self.delete_final.setVisible(True)
        self.delete_cancel.setFocus()

    def _close_delete(self) -> None:
        self.delete_box.setVisible(False)
        self.delete_password.setEnabled(True)
        self.delete_password.clear()

    def delete(self) -> None:
        password = self.delete_password.text()
        if not password:
            self.ask_delete()
            return
        self.delete_final.setEnabled(False)
        self._say(self.tr("Deleting the account…"))
        task = self.runner.submit(people.delete_account, self.backend, password, name="delete")
        task.done.connect(self._deleted)

    def _deleted(self, _result: object, error: object) -> None:
        self.delete_final.setEnabled(True)
        if error is not None:
            self.ask_delete()
            self._say(error=self.tr("The account was not deleted: {error}").format(
                error=error_text(error)))  # fmt: skip
            return
        self._close_delete()
        self._say(self.tr("Your account was deleted."))
        emit(self.accountChanged)
        self.refresh()
