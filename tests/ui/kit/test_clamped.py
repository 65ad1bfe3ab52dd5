"""ClampedLabel: long text wraps to at most N lines and ends in an ellipsis; it grows back."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from player.ui.kit.clamped import ClampedLabel

LONG = (
    "similar timbre and sound texture to your liked Slow Tide by Aurora Vale; "
    "same artist and genre and era"
)


def test_long_text_is_cut_to_two_lines_and_comes_back_when_wide(qtbot) -> None:
    label = ClampedLabel(LONG, 2)
    qtbot.addWidget(label)
    label.resize(140, 200)
    label.show()
    qtbot.waitUntil(lambda: label.text() != LONG)
    shown = label.text()
    assert shown.count("\n") == 1 and shown.endswith("…")
    fm = label.fontMetrics()
    assert all(
        fm.horizontalAdvance(line) <= label.contentsRect().width() for line in shown.split("\n")
    )
    assert LONG.startswith(shown.split("\n")[0])
    assert label.toolTip() == label.full_text() == LONG
    label.resize(2000, 200)
    qtbot.waitUntil(lambda: label.text() == LONG)


def test_short_text_is_left_alone(qtbot) -> None:
    label = ClampedLabel("from your library", 2)
    qtbot.addWidget(label)
    label.resize(300, 50)
    label.show()
    qtbot.wait(20)
    assert label.text() == "from your library"
    assert isinstance(label, QLabel) and label.wordWrap()


def test_layouts_are_never_asked_for_more_than_its_lines(qtbot) -> None:
    label = ClampedLabel(LONG * 3, 2)
    qtbot.addWidget(label)
    two_lines = 2 * label.fontMetrics().lineSpacing()
    plain = QLabel(LONG * 3)
    plain.setWordWrap(True)
    assert plain.heightForWidth(80) > two_lines  # unclamped, it would want many lines
    assert label.heightForWidth(80) <= two_lines + 2 * label.margin() + 2
    assert label.sizeHint().height() <= two_lines + 2
