"""The Comments tab's invitation: connect to a comment server, or start one here.

Shown instead of the comments while no server is chosen, or while the chosen
one has never answered (a server that answered before and stops is "offline"
instead). ``connectWanted(url)`` carries a checked ``http(s)://`` address;
``startWanted()`` asks for a local ``kindred-server``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from player.ui.comments.card import primary_button
from player.ui.kit.qtfix import emit


def checked_url(text: str) -> str | None:
    """*text* as a server address (no trailing slash), or None when it is not one."""
    url = text.strip().rstrip("/")
    parts = urlsplit(url)
    return url if parts.scheme in ("http", "https") and parts.netloc else None


class ServerInvite(QFrame):
    """ "Connect to a server" (an address) or "Start a local server" (one click)."""

    connectWanted = Signal(str)
    startWanted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ServerInvite")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(8)
        self.heading = QLabel(self.tr("Talk about the music"), self)
        self.heading.setObjectName("CommentsTitle")
        self.text = QLabel(
            self.tr(
                "Comments live on a comment server. Connect to one, or start one on "
                "this computer: it keeps its comments in Kindred's data folder."
            ),
            self,
        )
        self.text.setObjectName("CommentMeta")
        self.text.setWordWrap(True)
        self.reason = QLabel("", self)
        self.reason.setObjectName("CommentMeta")
        self.reason.setWordWrap(True)
        self.reason.setVisible(False)
        self.url_field = QLineEdit(self)
        self.url_field.setPlaceholderText(
            self.tr("Server address, like https://comments.example.org")
        )
        self.url_field.setAccessibleName(self.tr("Comment server address"))
        # the address with its Connect button on one line, the one-click choice on
        # the next: side by side the two buttons are wider than a narrow side panel
        row = QHBoxLayout()
        self.connect_button = QPushButton(self.tr("Connect"), self)
        row.addWidget(self.url_field, 1)
        row.addWidget(self.connect_button)
        self.start_button = primary_button(self.tr("Start a local server"), self)
        self.error = QLabel("", self)
        self.error.setObjectName("CommentError")
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        for widget in (self.heading, self.text, self.reason):
            layout.addWidget(widget)
        layout.addLayout(row)
        layout.addWidget(self.start_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.connect_button.clicked.connect(self._connect)
        self.url_field.returnPressed.connect(self._connect)
        self.start_button.clicked.connect(self._start)

    def show_for(self, server: str) -> None:
        """Invite; *server* is the chosen address that has not answered yet ("" for none)."""
        self.reason.setText(
            self.tr("{url} has not answered yet.").format(url=server) if server else ""
        )
        self.reason.setVisible(bool(server))
        if server and not self.url_field.text():
            self.url_field.setText(server)
        self.set_busy(False)
        self.setVisible(True)

    def set_busy(self, busy: bool, error: str = "") -> None:
        self.start_button.setEnabled(not busy)
        self.connect_button.setEnabled(not busy)
        if busy:
            self.start_button.setText(self.tr("Starting…"))
        else:
            self.start_button.setText(self.tr("Start a local server"))
        self.error.setText(error)
        self.error.setVisible(bool(error))

    def _connect(self) -> None:
        url = checked_url(self.url_field.text())
        if url is None:
            self.set_busy(
                False,
                self.tr(
                    "Enter an address starting with http:// or https://, like {example}."
                ).format(example="https://comments.example.org"),
            )
            return
        self.set_busy(False)
        emit(self.connectWanted, url)

    def _start(self) -> None:
        self.set_busy(True)
        emit(self.startWanted)
