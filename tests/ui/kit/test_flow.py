"""FlowLayout: buttons stay on one line when there is room and wrap, whole, when there is not."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton, QWidget

from player.ui.kit.flow import FlowLayout


def test_buttons_wrap_instead_of_being_cut(qtbot) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    flow = FlowLayout(host, spacing=8)
    buttons = [QPushButton(text, host) for text in ("Play all", "Add to queue", "Save", "Smooth")]
    for button in buttons:
        flow.addWidget(button)
    wide = sum(b.sizeHint().width() for b in buttons) + 8 * 3
    host.resize(wide + 20, 200)
    host.show()
    qtbot.waitUntil(lambda: buttons[-1].y() == buttons[0].y())  # one line
    one_line = flow.heightForWidth(wide + 20)
    narrow = buttons[0].sizeHint().width() + buttons[1].sizeHint().width() + 8 + 4
    host.resize(narrow, 200)
    qtbot.waitUntil(lambda: buttons[2].y() > buttons[0].y())  # the third moved down
    assert buttons[1].y() == buttons[0].y()
    assert flow.heightForWidth(narrow) > one_line
    assert all(b.geometry().right() <= host.width() for b in buttons)  # none cut off
    assert all(b.width() == b.sizeHint().width() for b in buttons)
