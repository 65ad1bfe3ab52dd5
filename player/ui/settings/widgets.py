"""Building blocks shared by the Settings pages: a switch, rows, section titles, saving.

Every page saves at once, so saving lives here: :func:`save_settings` writes
the settings file and :func:`save_window_state` the window's remembered state
(theme, tray and notification switches); a failure shows on the window's
notice bar instead of raising into a slot.
"""

from __future__ import annotations

import logging
from string import Template
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from player.errors import AppError
from player.ui.desktop.install import InstalledWindow
from player.ui.kit.theme import RESOURCES, palette
from player.ui.kit.window import KindredWindow
from player.ui.playback.nowplaying import NowPlayingBar

if TYPE_CHECKING:
    from player.ui.comments.panel import CommentsPanel

log = logging.getLogger(__name__)

#: The dialog's own rules (the window's stylesheet has none for combos, spin boxes or
#: vertical sliders); ``$names`` come from the theme's palette.
DIALOG_QSS = Template("""
QDialog#Settings, QWidget#SettingsBody, QScrollArea#SettingsScroll,
QWidget#SettingsPage { background: $bg; }
QListWidget#SettingsPages { background: $sidebar; border: none; border-right: 1px solid $border;
  padding: 14px 10px; outline: 0; }
QListWidget#SettingsPages::item { height: 38px; padding-left: 8px; border-radius: 8px;
  color: $text_dim; }
QListWidget#SettingsPages::item:hover { background: $hover; color: $text; }
QListWidget#SettingsPages::item:selected { background: $accent_soft; color: $text; }
QLabel#SettingsTitle { font-size: 17pt; font-weight: 700; color: $text; }
QLabel#SettingsSection { color: $text_dim; font-size: 8.5pt; font-weight: 700;
  letter-spacing: 1px; }
QLabel#SettingsHint { color: $text_dim; font-size: 9pt; }
QLabel#SettingsNote { color: $accent; font-size: 9pt; }
QLabel#BandValue { color: $text_dim; font-size: 8pt; }
QLabel#BandName { color: $text; font-size: 8.5pt; font-weight: 600; }
QFrame#SettingsCard { background: $panel; border: 1px solid $border; border-radius: 12px; }
QFrame#SettingsCard QLabel { background: transparent; }
QFrame#SettingsDivider { background: $border; max-height: 1px; min-height: 1px; border: none; }
QListWidget#FolderList { background: $panel; border: 1px solid $border; border-radius: 10px;
  padding: 6px; outline: 0; }
QListWidget#FolderList::item { padding: 7px 8px; border-radius: 6px; }
QListWidget#FolderList::item:selected { background: $selection; color: $text; }
QComboBox, QDoubleSpinBox { background: $panel_hi; border: 1px solid $border; border-radius: 8px;
  padding: 5px 10px; min-height: 20px; color: $text; }
QComboBox { min-width: 190px; }
QDoubleSpinBox { min-width: 90px; }
QComboBox:hover, QComboBox:focus, QDoubleSpinBox:hover, QDoubleSpinBox:focus {
  border-color: $accent; }
QComboBox:disabled, QDoubleSpinBox:disabled { color: $text_dim; }
QComboBox::drop-down { border: none; width: 26px; }
QComboBox::down-arrow { image: url("$arrow_down"); width: 12px; height: 12px;
  margin-right: 8px; }
QLineEdit { background: $panel_hi; border: 1px solid $border; border-radius: 8px;
  padding: 6px 10px; color: $text; }
QLineEdit:focus { border-color: $accent; }
QDoubleSpinBox QLineEdit { background: transparent; border: none; padding: 0 0 0 6px; }
QComboBox QAbstractItemView { background: $panel_hi; border: 1px solid $border; outline: 0;
  padding: 4px; selection-background-color: $accent_soft; selection-color: $text; }
QDoubleSpinBox::up-button, QDoubleSpinBox::down-button { width: 18px; border: none;
  background: transparent; }
QDoubleSpinBox::up-arrow { image: url("$arrow_up"); width: 10px; height: 10px; }
QDoubleSpinBox::down-arrow { image: url("$arrow_down"); width: 10px; height: 10px; }
QSlider:vertical { min-width: 22px; max-width: 22px; min-height: 150px; max-height: 9999px; }
QSlider::groove:vertical { width: 4px; background: $groove; border-radius: 2px; border: none; }
QSlider::add-page:vertical { background: $accent; border-radius: 2px; }
QSlider::sub-page:vertical { background: $groove; border-radius: 2px; }
QSlider::add-page:vertical:disabled { background: $scroll; }
QSlider::handle:vertical { height: 14px; width: 14px; margin: 0 -5px; border-radius: 7px;
  background: $text; }
QSlider::handle:vertical:hover { background: $accent_hi; }
QSlider::handle:vertical:disabled { background: $text_dim; }
""")


def dialog_stylesheet(theme_name: str) -> str:
    arrows = {
        f"arrow_{way}": (RESOURCES / "themes" / f"arrow-{way}.svg").as_posix()
        for way in ("up", "down")
    }
    return DIALOG_QSS.safe_substitute(palette(theme_name), **arrows)


class FolderWatcher(Protocol):
    """The window's watcher of the library folders."""

    def update(self) -> None: ...


class SettingsWindow(InstalledWindow, Protocol):
    """The window as the Settings pages use it: the kit's members and the parts they set up."""

    settings_dialog: QWidget | None

    @property
    def comments(self) -> CommentsPanel: ...
    @property
    def now_playing(self) -> NowPlayingBar: ...
    @property
    def folder_watch(self) -> FolderWatcher: ...

    def rescan(self) -> None: ...


def save_settings(window: KindredWindow) -> bool:
    """Write the window's settings file now; a failure is shown, not raised."""
    try:
        window.ctx.settings.save(window.ctx.paths)
    except (AppError, OSError) as exc:
        _show(window, exc, "Cannot save settings")
        return False
    return True


def save_window_state(window: KindredWindow) -> bool:
    """Write the window's remembered state (theme, tray and notification switches) now."""
    try:
        window.state.save(window.ctx.paths)
    except OSError as exc:
        _show(window, exc, "Cannot save settings")
        return False
    return True


def _show(window: KindredWindow, exc: Exception, short: str) -> None:
    log.warning("%s: %s", short, exc)
    error = exc if isinstance(exc, AppError) else AppError(short, str(exc))
    window.notice.show_error(error)


class Switch(QCheckBox):
    """An on/off switch: a check box painted as a sliding toggle, in the theme's colours."""

    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(accessible_name)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def sizeHint(self) -> QSize:
        return QSize(42, 24)

    def hitButton(self, pos: Any) -> bool:
        return self.rect().contains(pos)

    def paintEvent(self, event: QPaintEvent) -> None:
        colors = palette(_theme_of(self))
        on = self.isChecked()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        track = QRectF(1, 2, 40, 22)
        fill = QColor(colors["accent"] if on else colors["groove"])
        if not self.isEnabled():
            fill.setAlphaF(0.4)
        painter.setPen(QColor(colors["accent_hi"]) if self.hasFocus() else Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(track, 11, 11)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(colors["on_accent"] if on else colors["text"]))
        centre = QPointF(track.right() - 11 if on else track.left() + 11, track.center().y())
        painter.drawEllipse(centre, 8, 8)
        painter.end()


def _theme_of(widget: QWidget) -> str:
    """The palette name the widget's dialog is styled with (dark when unknown)."""
    node: QWidget | None = widget
    while node is not None:
        name = node.property("kindredTheme")
        if name:
            return str(name)
        node = node.parentWidget()
    return "dark"


def section(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text.upper(), parent)
    label.setObjectName("SettingsSection")
    return label


#: a row control wider than this (or a list, a number or a text field) gets its help
#: text below it, across the row
WIDE_CONTROL_PX = 120


def hint(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName("SettingsHint")
    label.setWordWrap(True)
    return label


class Card(QFrame):
    """A rounded panel of setting rows separated by thin lines."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SettingsCard")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(18, 8, 18, 8)
        self.box.setSpacing(0)

    def add_row(self, title: str, control: QWidget, description: str = "") -> QWidget:
        """A row: title (and a dim description) on the left, *control* on the right."""
        if self.box.count():
            line = QFrame(self)
            line.setObjectName("SettingsDivider")
            self.box.addWidget(line)
        row = QWidget(self)
        # beside a wide control (a device list) the help would be a narrow column:
        # there it goes below the title and the control, across the whole row
        wide = isinstance(control, QComboBox | QAbstractSpinBox | QLineEdit) or (
            max(control.minimumWidth(), control.sizeHint().width()) > WIDE_CONTROL_PX
        )
        outer = QVBoxLayout(row)
        outer.setContentsMargins(0, 10, 0, 10)
        outer.setSpacing(4)
        layout = QHBoxLayout()
        layout.setSpacing(16)
        outer.addLayout(layout)
        texts = QVBoxLayout()
        texts.setSpacing(2)
        name = QLabel(title, row)
        name.setBuddy(control)
        texts.addWidget(name)
        if description and not wide:
            texts.addWidget(hint(description, row))
        layout.addLayout(texts, 1)
        layout.addWidget(control, 0, Qt.AlignmentFlag.AlignVCenter)
        if description and wide:
            outer.addWidget(hint(description, row))
        if not control.accessibleName():
            control.setAccessibleName(title)
        self.box.addWidget(row)
        return row

    def add_widget(self, widget: QWidget, *, top: int = 0, bottom: int = 0) -> None:
        """Add *widget* across the card, with extra space above and below it."""
        if top:
            self.box.addSpacing(top)
        self.box.addWidget(widget)
        if bottom:
            self.box.addSpacing(bottom)


class SettingsPage(QScrollArea):
    """A scrollable page with a big title; subclasses add sections to ``self.body``."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SettingsScroll")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        inner = QWidget(self)
        inner.setObjectName("SettingsPage")
        self.body = QVBoxLayout(inner)
        self.body.setContentsMargins(28, 24, 28, 24)
        self.body.setSpacing(10)
        heading = QLabel(title, inner)
        heading.setObjectName("SettingsTitle")
        self.body.addWidget(heading)
        self.body.addSpacing(6)
        self.setWidget(inner)

    def add_section(self, title: str) -> Card:
        self.body.addSpacing(8)
        self.body.addWidget(section(title, self.widget()))
        card = Card(self.widget())
        self.body.addWidget(card)
        return card

    def finish(self) -> None:
        """Push the content to the top."""
        self.body.addStretch(1)

    def reload(self) -> None:
        """Show the saved values again (the dialog calls this each time it opens)."""
