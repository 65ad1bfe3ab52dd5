"""No hard-coded English in the window: every text a person sees goes through ``tr``.

An AST scan over ``player/ui/**/*.py`` finds string literals (plain, f-strings,
``"..." + x``, ``"a" if c else "b"``, ``"...".format()``) passed straight to the
Qt calls that show a text (``QLabel(...)``, ``setText``, ``setToolTip``,
``addAction`` ...) or to the window's own helpers that do (``section(...)``,
``primary_button(...)`` ...). A literal wrapped in ``self.tr`` or
``QCoreApplication.translate`` is a call, not a literal, so it passes; so does a
literal without letters ("⋯", "♥", "—"). The few legitimate literals with letters
are listed in :data:`ALLOWED`.

The window test installs the Chinese translation and looks at the Comments tab,
the part of the window that spoke only English for longest.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from player.ui.kit import i18n

UI = Path(i18n.__file__).parents[1]

#: Qt constructors (called by name) and the positions of their text arguments.
CONSTRUCTORS: dict[str, tuple[int, ...]] = {
    "QLabel": (0,),
    "QPushButton": (0, 1),  # (text, parent) or (icon, text, parent)
    "QToolButton": (),
    "QCheckBox": (0,),
    "QRadioButton": (0,),
    "QGroupBox": (0,),
    "QCommandLinkButton": (0, 1),
    "QAction": (0, 1),  # (text, parent) or (icon, text, parent)
    "QMenu": (0,),
    "QListWidgetItem": (0, 1),
    "QMessageBox": (1, 2),  # (icon, title, text, ...)
}

#: Qt methods (called on anything) and the positions of their text arguments.
METHODS: dict[str, tuple[int, ...]] = {
    **{
        name: (0,)
        for name in (
            "setText",
            "setToolTip",
            "setPlaceholderText",
            "setWindowTitle",
            "setTitle",
            "setStatusTip",
            "setWhatsThis",
            "setAccessibleName",
            "setAccessibleDescription",
            "setInformativeText",
            "setDetailedText",
            "setLabelText",
            "setPrefix",
            "setSuffix",
            "setSpecialValueText",
            "showMessage",
            "addItems",
            "setHeaderLabels",
            "setHorizontalHeaderLabels",
            "setVerticalHeaderLabels",
        )
    },
    "setTabText": (1,),
    "setTabToolTip": (1,),
    "setItemText": (1,),
    "setItemToolTip": (1,),
    "addTab": (1, 2),  # (widget, text) or (widget, icon, text)
    "insertTab": (2, 3),
    "addAction": (0, 1),  # (text, slot), (icon, text) or (icon, text, slot)
    "addMenu": (0, 1),
    "addSection": (0, 1),
    # the window's own helpers that put their argument on screen
    "section_label": (0,),
    "primary_button": (0,),
    "section": (0,),
    "hint": (0,),
    "page_header": (1,),
    "add_row": (0, 2),
    "add_section": (0,),
    "_small": (0, 1),
    "_open_box": (1,),  # (mode, placeholder, text)
    "_show_status": (0,),
    "_say": (0,),
    "ask": (0,),
}

#: ``QMessageBox.information(parent, title, text)`` and friends, ``QFileDialog`` captions.
STATIC: dict[tuple[str, str], tuple[int, ...]] = {
    **{
        ("QMessageBox", name): (1, 2)
        for name in ("information", "warning", "question", "critical", "about")
    },
    **{
        ("QInputDialog", name): (1, 2)
        for name in ("getText", "getItem", "getInt", "getDouble", "getMultiLineText")
    },
    **{
        ("QFileDialog", name): (1,)
        for name in (
            "getOpenFileName",
            "getOpenFileNames",
            "getSaveFileName",
            "getExistingDirectory",
        )
    },
}

TEXT_KEYWORDS = {"text", "toolTip", "title", "placeholderText", "windowTitle", "statusTip"}

#: Literals with letters that are right as they are, in every language.
ALLOWED = {
    "Kindred",  # the app's name (window title, tray)
    "https://comments.example.org",  # an example address, the server URL field's placeholder
    " dB",  # a unit, written the same in every language (the ReplayGain pre-amp)
}


def _has_letters(text: str) -> bool:
    """Letters outside markup: ``"<b>{keys}</b>"`` has none, ``"Loading…"`` has."""
    return any(ch.isalpha() for ch in re.sub(r"<[^<>]*>|&#?\w+;", "", text))


def untranslated(node: ast.expr) -> Iterator[str]:
    """The literal texts with letters that *node* shows as they are (not through ``tr``)."""
    if isinstance(node, ast.Constant):
        if isinstance(node.value, str) and _has_letters(node.value) and node.value not in ALLOWED:
            yield repr(node.value)
    elif isinstance(node, ast.JoinedStr):
        literal = "".join(
            part.value
            for part in node.values
            if isinstance(part, ast.Constant) and isinstance(part.value, str)
        )
        if _has_letters(literal):
            yield ast.unparse(node)
        for part in node.values:
            if isinstance(part, ast.FormattedValue):
                yield from untranslated(part.value)
    elif isinstance(node, ast.BinOp):
        yield from untranslated(node.left)
        yield from untranslated(node.right)
    elif isinstance(node, ast.IfExp):
        yield from untranslated(node.body)
        yield from untranslated(node.orelse)
    elif isinstance(node, ast.BoolOp):
        for value in node.values:
            yield from untranslated(value)
    elif isinstance(node, (ast.List, ast.Tuple)):
        for element in node.elts:
            yield from untranslated(element)
    elif (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, (ast.Constant, ast.JoinedStr, ast.BinOp))
    ):
        # "at {time}".format(...), "hot".upper(): a method called on a literal
        yield from untranslated(node.func.value)


def _text_positions(call: ast.Call) -> tuple[int, ...]:
    func = call.func
    if isinstance(func, ast.Name):
        return CONSTRUCTORS.get(func.id, ()) or METHODS.get(func.id, ())
    if not isinstance(func, ast.Attribute):
        return ()
    if isinstance(func.value, ast.Name) and (func.value.id, func.attr) in STATIC:
        return STATIC[(func.value.id, func.attr)]
    if func.attr in ("addItem", "insertItem"):
        # (text, data) / (icon, text, data); insertItem has the index first
        first = 1 if func.attr == "insertItem" else 0
        return (first + 1,) if len(call.args) >= first + 3 else (first,)
    if isinstance(func.value, ast.Name) and func.value.id in ("log", "logging", "logger"):
        return ()
    return METHODS.get(func.attr, ())


def scan_source(source: str, filename: str = "<source>") -> list[str]:
    """``"file:line: call(text)"`` for every untranslated text in *source*."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "?")
        args = [node.args[i] for i in _text_positions(node) if i < len(node.args)]
        args += [k.value for k in node.keywords if k.arg in TEXT_KEYWORDS]
        for arg in args:
            for text in untranslated(arg):
                found.append(f"{filename}:{node.lineno}: {called}({text})")
    return found


def scan_ui(folder: Path = UI) -> list[str]:
    found = []
    for path in sorted(folder.rglob("*.py")):
        found += scan_source(path.read_text(encoding="utf-8"), str(path.relative_to(folder)))
    return found


# ---- the scan ----------------------------------------------------------------------------------
def test_no_user_visible_text_is_left_untranslated() -> None:
    found = scan_ui()
    assert found == [], (
        "texts shown without tr(): wrap them in self.tr(...) (or QCoreApplication.translate "
        "with a literal context), or add a true constant to ALLOWED:\n" + "\n".join(found)
    )


@pytest.mark.parametrize(
    "line",
    [
        'QLabel("Comments", head)',
        'self.title = QLabel("No comments yet.", self.list)',
        'label.setText(f"Could not load more: {error}")',
        'button.setToolTip("Play from this moment")',
        'self.box.setPlaceholderText(placeholder + "  (Enter to send, Esc to cancel)")',
        'self.like.setAccessibleName("Unlike" if liked else "Like")',
        'self.author = QLabel(name or "you", self)',
        'menu.addAction("Report…", self.report)',
        'menu.addAction(icon, "Edit", self.edit)',
        'self.theme.addItem("dark")',
        'combo.addItem(icon, "Dark", "dark")',
        'tabs.addTab(page, "Queue")',
        'tabs.setTabText(0, "Queue")',
        'self.moment.setText("at {time}".format(time=t))',
        'QMessageBox.warning(self, "Kindred", "Could not save")',
        'self.hot_label = section_label("HOT", self.list)',
        'self._small("Reply", "Reply to this comment")',
        'self._show_status(f"{n} waiting to send: {why}")',
        'card.state.setText("not sent")',
        'widget.setText(text="Loading…")',
    ],
)
def test_the_scan_finds_hard_coded_texts(line: str) -> None:
    assert scan_source(line) != []


@pytest.mark.parametrize(
    "line",
    [
        'QLabel(self.tr("Comments"), head)',
        'label.setText(self.tr("Could not load more: {error}").format(error=e))',
        'card.state.setText(QCoreApplication.translate("CommentsWriting", "not sent"))',
        'self.like.setText(f"{heart} {count}")',
        'more = self._small("⋯", self.tr("More actions"))',
        'self.footer.setText("")',
        'self.theme.addItem(self.tr("Dark"), "dark")',
        'self._open_box("reply", self.tr("Write a reply…"))',
        'self.setWindowTitle("Kindred")',
        'field.setPlaceholderText("https://comments.example.org")',
        'log.warning("delivering the outbox failed: %s", error)',
        'self.setObjectName("CommentsPanel")',
        'button.setText(self.tr("%Ln replies", "", n))',
        'QLabel(f"<b>{keys}</b>", self)',
        'spin.setSuffix(" dB")',
    ],
)
def test_the_scan_lets_translated_texts_and_symbols_pass(line: str) -> None:
    assert scan_source(line) == []


# ---- the window in Chinese ---------------------------------------------------------------------
@pytest.fixture
def app() -> Iterator[QApplication]:
    """The themed application; the translator the test installs is removed after it."""
    from player.ui.main import application

    instance = application()
    yield instance
    i18n.remove_translators(instance)


def _comment(**changes: object):
    from player.social.client import Comment, User

    created = (datetime.now(UTC) - timedelta(minutes=5)).isoformat()
    fields: dict[str, object] = dict(
        id=1, song_id=1, author=User(1, "lin"), body="前奏一响就回到那个夏天",
        position_ms=83000, parent_id=None, reply_to=None, like_count=2, liked_by_me=False,
        reply_count=3, created_at=created, edited_at=created, deleted=False,
    )  # fmt: skip
    fields.update(changes)
    return Comment(**fields)  # type: ignore[arg-type]


def test_comments_tab_in_chinese(app: QApplication, open_window) -> None:
    from player.ui.comments.card import CommentCard

    assert i18n.install_translator(app, "zh_CN") == "zh_CN"
    window, _engine = open_window()
    panel = window.comments
    assert panel.title.text() == "评论"
    assert panel.empty.text() == "还没有评论，来说点什么吧！"
    panel.show_track(None)
    assert panel.empty.text() == "每首歌都有自己的评论区：播放或选中一首歌即可查看。"
    assert panel.hot_label.text() == "热门评论" and panel.new_label.text() == "最新评论"
    # a card: its age, moment, actions and reply count
    card = CommentCard(_comment(), own=True, parent=panel.list)
    assert card.age.text() == "5 分钟前 · 已编辑"
    assert card.moment is not None and card.moment.text() == "于 1:23"
    assert card.moment.toolTip() == "从这一刻开始播放"
    assert card.replies_button is not None and card.replies_button.text() == "▸ 3 条回复"
    assert card.like is not None and card.like.accessibleName() == "点赞"
    card.show_likes(3, True)
    assert card.like.accessibleName() == "取消点赞" and card.like.text() == "♥ 3"
    assert card.like_count() == 3
    pending = CommentCard(None, pending_body="还在路上", parent=panel.list)
    assert pending.state.text() == "待发送" and pending.author.text() == "我"
    card.show_deleted()
    assert card.author.text() == "[已删除]"


def test_comment_card_in_english(app: QApplication, open_window) -> None:
    """The English texts stay as they were (the plural needs the English translation)."""
    from player.ui.comments.card import CommentCard

    assert i18n.install_translator(app, "en") == "en"
    window, _engine = open_window()
    panel = window.comments
    assert panel.title.text() == "Comments"
    card = CommentCard(_comment(), parent=panel.list)
    assert card.age.text() == "5 min ago · edited"
    assert card.moment is not None and card.moment.text() == "at 1:23"
    assert card.replies_button is not None and card.replies_button.text() == "▸ 3 replies"
    card.show_replies([], "")
    assert card.replies_button.text() == "▾ 3 replies"
    one = CommentCard(_comment(reply_count=1, edited_at=None), parent=panel.list)
    assert one.replies_button is not None and one.replies_button.text() == "▸ 1 reply"
    old = datetime(2020, 3, 5, 12, tzinfo=UTC).isoformat()
    dated = CommentCard(_comment(created_at=old, edited_at=None), parent=panel.list)
    assert dated.age.text() == "05 Mar 2020"
