"""Message pages: empty states and placeholders (an icon, a title, a text, buttons), and
the welcome page of a first launch with an empty library."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from player.ui.kit.theme import Theme


class MessagePage(QWidget):
    """A centred icon, title, text and optional buttons: empty states and placeholders."""

    def __init__(
        self, theme: Theme, icon: str, title: str, text: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("Page")
        outer = QVBoxLayout(self)
        outer.addStretch(2)
        box = QWidget(self)
        box.setMaximumWidth(540)
        outer.addWidget(box, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(3)
        layout = QVBoxLayout(box)
        layout.setSpacing(10)
        picture = QLabel(self)
        picture.setPixmap(
            theme.icon(icon, "accent").pixmap(QSize(64, 64), self.devicePixelRatioF())
        )
        picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title = QLabel(title, self)
        self.title.setObjectName("EmptyTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text = QLabel(text, self)
        self.text.setObjectName("EmptyText")
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text.setWordWrap(True)
        self.setAccessibleName(title)
        for widget in (picture, self.title, self.text):
            layout.addWidget(widget)
        self.buttons = QHBoxLayout()
        self.buttons.setSpacing(10)
        self.buttons.addStretch(1)
        layout.addSpacing(12)
        layout.addLayout(self.buttons)

    def add_button(self, text: str, primary: bool = False) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(text)
        if primary:
            button.setObjectName("Primary")
        self.buttons.addWidget(button)
        return button

    def finish_buttons(self) -> None:
        self.buttons.addStretch(1)


class WelcomePage(MessagePage):
    """First launch with an empty library: choose a music folder, or try the demo."""

    folderChosen = Signal()
    demoChosen = Signal()

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(
            theme,
            "logo",
            QCoreApplication.translate("WelcomePage", "Welcome to Kindred"),
            QCoreApplication.translate(
                "WelcomePage",
                "Your library is empty. Choose the folder where your music lives and Kindred will "
                "find every track in it, in the background. Or try a small demo library first.",
            ),
            parent,
        )
        self.choose = self.add_button(self.tr("Choose music folder…"), primary=True)
        self.demo = self.add_button(self.tr("Try the demo library"))
        self.finish_buttons()
        self.choose.clicked.connect(self.folderChosen)
        self.demo.clicked.connect(self.demoChosen)
