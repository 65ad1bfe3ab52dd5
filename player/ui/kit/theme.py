"""Themes and icons: one stylesheet, a dark and a light palette, SVG icons in any colour.

Icons are SVG files in ``resources/icons`` drawn with ``currentColor``; the
:class:`SvgIconEngine` renders them at whatever size and device pixel ratio
Qt asks for, so they stay crisp at 200 %. The palette also feeds widgets that
paint themselves (lyrics, cover placeholders).
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from string import Template

from PySide6.QtCore import QByteArray, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QIconEngine, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

RESOURCES = Path(__file__).resolve().parents[3] / "resources"
THEMES = ("dark", "light")
#: The theme choice that follows the desktop's light or dark colour scheme.
SYSTEM = "system"
#: The palette icons are painted with; a theme switch changes it and icons follow.
_current: dict[str, dict[str, str]] = {}


@functools.cache
def palette(name: str = "dark") -> dict[str, str]:
    """The colours of theme *name* (``dark`` or ``light``)."""
    return json.loads((RESOURCES / "themes" / f"{name}.json").read_text(encoding="utf-8"))


def resolve(choice: str) -> str:
    """The theme to paint for a choice: ``system`` follows the desktop (dark when unknown)."""
    if choice == SYSTEM:
        from PySide6.QtGui import QGuiApplication

        app = QGuiApplication.instance()
        scheme = app.styleHints().colorScheme() if isinstance(app, QGuiApplication) else None
        return "light" if scheme == Qt.ColorScheme.Light else "dark"
    return choice if choice in THEMES else "dark"


def stylesheet(name: str = "dark") -> str:
    template = Template((RESOURCES / "themes" / "base.qss").read_text(encoding="utf-8"))
    return template.safe_substitute(palette(name))


class Theme:
    """The current theme; ``icon()`` colours icons to match it."""

    def __init__(self, name: str = "dark") -> None:
        self.name = resolve(name)
        self.colors = palette(self.name)

    def color(self, key: str) -> QColor:
        return QColor(self.colors[key])

    def apply(self, app: QApplication) -> None:
        _current["colors"] = self.colors
        app.setStyle("Fusion")
        font = app.font()
        font.setFamilies(["Inter", "Segoe UI", "Cantarell", "Noto Sans", "DejaVu Sans"])
        app.setFont(font)
        app.setStyleSheet(stylesheet(self.name))

    def set_icon(
        self, button: QAbstractButton, name: str, color: str = "text", checked_color: str = "accent"
    ) -> None:
        """Give *button* an icon that :meth:`refresh_icons` can redraw after a theme switch."""
        button.setProperty("kindredIcon", [name, color, checked_color])
        button.setIcon(self.icon(name, color, checked_color))

    def refresh_icons(self, root: QWidget) -> None:
        """New icons for every button below *root* (Qt caches icon pixmaps per icon)."""
        for button in root.findChildren(QAbstractButton):
            spec = button.property("kindredIcon")
            if spec:
                button.setIcon(self.icon(*spec))

    def icon(self, name: str, color: str = "text", checked_color: str = "accent") -> QIcon:
        return icon(
            name, self.colors.get(color, color), self.colors.get(checked_color, checked_color)
        )


@functools.cache
def _svg(name: str) -> bytes:
    return (RESOURCES / "icons" / f"{name}.svg").read_bytes()


class SvgIconEngine(QIconEngine):
    """Paints an SVG in one colour (another when the icon is "on", e.g. a checked button).

    Colours are palette keys (``text``, ``accent``) or literal ``#rrggbb``; keys are
    looked up when painting, so icons follow a theme switch.
    """

    def __init__(self, name: str, color: str, on_color: str) -> None:
        super().__init__()
        self.name, self.color, self.on_color = name, color, on_color

    def _renderer(self, state: QIcon.State, mode: QIcon.Mode) -> QSvgRenderer:
        key = self.on_color if state == QIcon.State.On else self.color
        colors = _current.get("colors") or palette("dark")
        color = colors.get(key, key)
        if mode == QIcon.Mode.Disabled:
            c = QColor(color)
            c.setAlphaF(0.35)
            color = c.name(QColor.NameFormat.HexArgb)
        data = _svg(self.name).replace(b"currentColor", color.encode())
        return QSvgRenderer(QByteArray(data))

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        if rect.isEmpty() or not painter.isActive():
            return
        self._renderer(state, mode).render(painter, rect)

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        if size.isEmpty():  # a layout asked before it had a size: nothing to paint on
            return QPixmap()
        pix = QPixmap(size)
        pix.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pix)
        self.paint(painter, QRect(QPoint(0, 0), size), mode, state)
        painter.end()
        return pix

    def clone(self) -> QIconEngine:
        return SvgIconEngine(self.name, self.color, self.on_color)


def icon(name: str, color: str = "#eef0f3", on_color: str | None = None) -> QIcon:
    """The SVG icon *name* drawn in *color* (and *on_color* when checked)."""
    return QIcon(SvgIconEngine(name, color, on_color or color))
