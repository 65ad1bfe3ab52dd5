"""Opening the pages prints no Qt paint warning (an icon asked for an empty size used
to paint a 0×0 pixmap: "QPainter::begin: Paint device returned engine == 0")."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSize, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QIcon

from player.ui.kit.covers import placeholder, rounded
from player.ui.kit.theme import icon


@pytest.fixture
def qt_messages() -> Iterator[list[str]]:
    messages: list[str] = []

    def handler(kind: QtMsgType, _context: object, text: str) -> None:
        messages.append(text)

    previous = qInstallMessageHandler(handler)
    yield messages
    qInstallMessageHandler(previous)


def _paint_warnings(messages: list[str]) -> list[str]:
    return [m for m in messages if "QPainter" in m or "Paint device" in m or "paint" in m.lower()]


def test_an_icon_asked_for_an_empty_size_paints_nothing(qapp, qt_messages) -> None:
    ico = icon("play", "#ffffff")
    for size in (QSize(0, 0), QSize(0, 16), QSize(16, 0), QSize(-1, -1)):
        assert ico.pixmap(size).isNull()
        ico.pixmap(size, QIcon.Mode.Disabled, QIcon.State.On)
    assert not ico.pixmap(QSize(16, 16)).isNull()
    assert _paint_warnings(qt_messages) == []


def test_covers_of_no_size_paint_nothing(qapp, qt_messages) -> None:
    from PySide6.QtGui import QPixmap

    assert rounded(QPixmap(), 6).isNull()
    assert placeholder("Album", 0).isNull()
    assert not rounded(placeholder("Album", 32), 6).isNull()
    assert _paint_warnings(qt_messages) == []


@pytest.mark.parametrize("library", ["analysed", "scanned", "empty"])
def test_opening_for_you_and_the_other_pages_prints_no_paint_warning(
    qtbot, open_window, request, library, qt_messages
) -> None:
    template = {"analysed": "analysed_demo_db", "scanned": "demo_db", "empty": None}[library]
    window, _engine = open_window(request.getfixturevalue(template) if template else None)
    window.resize(1280, 800)
    page = window.pages["foryou"]
    window.show_view("foryou")
    qtbot.waitUntil(lambda: page.data is not None and not page._busy, timeout=15000)
    qtbot.wait(300)
    window.grab()  # paint everything once
    for key in ("tracks", "albums", "artists", "genres", "folders", "radio", "listening"):
        window.show_view(key)
        qtbot.wait(150)
        window.grab()
    window.show_view("foryou")
    window.grab().save(f"/work/shots/cli-foryou-{library}.png")
    for width in (900, 480, 320):  # a squeezed row gives its buttons no room at all
        window.resize(width, 600)
        qtbot.wait(100)
        page.grab()
    assert _paint_warnings(qt_messages) == [], qt_messages[:5]
