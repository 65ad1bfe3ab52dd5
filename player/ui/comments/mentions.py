"""``@name`` in comments: drawn as links in a card, completed from the thread in the composer.

:func:`linked_html` turns a comment's text into rich text in which each
``@name`` (as the server reads mentions: not inside a word or an e-mail
address) is a ``user:name`` link; the card emits ``user_clicked(name)`` for it.
:class:`MentionCompleter` offers the names of the open thread's authors once
``@`` is typed in the composer (Enter or Tab takes the highlighted name, Esc closes it).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QStringListModel, Qt
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import QCompleter, QPlainTextEdit

# the same rule as the server's (``player.social.server.notify``)
MENTION = re.compile(r"(?<![\w@])@(\w+)")
LINK_SCHEME = "user:"


def has_mention(text: str) -> bool:
    return MENTION.search(text) is not None


def linked_html(text: str, link_color: str = "") -> str:
    """*text* as escaped rich text, every ``@name`` a ``user:name`` link, line breaks kept."""
    style = f' style="color:{link_color}; text-decoration:none;"' if link_color else ""
    parts: list[str] = []
    last = 0
    for match in MENTION.finditer(text):
        parts.append(html.escape(text[last : match.start()]))
        name = match.group(1)
        parts.append(f'<a href="{LINK_SCHEME}{html.escape(name)}"{style}>@{html.escape(name)}</a>')
        last = match.end()
    parts.append(html.escape(text[last:]))
    return "".join(parts).replace("\n", "<br>")


def name_of_link(link: str) -> str:
    return link[len(LINK_SCHEME) :] if link.startswith(LINK_SCHEME) else ""


def _typed_name(editor: QPlainTextEdit) -> str | None:
    """The name being typed after an ``@`` just before the cursor ("" right after it), or None."""
    cursor = editor.textCursor()
    before = editor.toPlainText()[: cursor.position()]
    match = re.search(r"(?<![\w@])@(\w*)$", before)
    return match.group(1) if match else None


class MentionCompleter(QObject):
    """Completes ``@name`` in *editor* from ``names()`` (asked each time ``@`` starts a name)."""

    def __init__(self, editor: QPlainTextEdit, names: Callable[[], list[str]]) -> None:
        super().__init__(editor)
        self.editor = editor
        self.names = names
        self.model = QStringListModel(self)
        self.completer = QCompleter(self.model, self)
        self.completer.setWidget(editor)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.completer.activated.connect(self.insert)
        editor.textChanged.connect(self._changed)
        # after the completer's own: filters installed last are asked first
        self.completer.popup().installEventFilter(self)

    def set_names(self, names: Callable[[], list[str]]) -> None:
        self.names = names

    def offered(self) -> list[str]:
        """The names the popup offers now (for the typed prefix)."""
        model = self.completer.completionModel()
        return [str(model.index(row, 0).data()) for row in range(model.rowCount())]

    def _changed(self) -> None:
        typed = _typed_name(self.editor)
        popup = self.completer.popup()
        if typed is None:
            popup.hide()
            return
        if typed == "" or not self.model.stringList():
            self.model.setStringList(sorted(set(self.names()), key=str.casefold))
        self.completer.setCompletionPrefix(typed)
        if self.completer.completionCount() == 0 or (
            self.completer.completionCount() == 1 and self.completer.currentCompletion() == typed
        ):
            popup.hide()
            return
        rect = self.editor.cursorRect()
        rect.setWidth(max(160, popup.sizeHintForColumn(0) + 24))
        self.completer.complete(rect)
        popup.setCurrentIndex(self.completer.completionModel().index(0, 0))

    def insert(self, name: str) -> None:
        """Replace the typed ``@prefix`` with ``@name `` ."""
        typed = _typed_name(self.editor)
        if typed is None:
            return
        cursor = self.editor.textCursor()
        cursor.movePosition(
            QTextCursor.MoveOperation.Left, QTextCursor.MoveMode.KeepAnchor, len(typed)
        )
        cursor.insertText(f"{name} ")
        self.editor.setTextCursor(cursor)
        self.completer.popup().hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """On the popup (before the completer's own filter): Enter or Tab takes the
        highlighted name, Esc closes it; none of them reaches the editor."""
        popup = self.completer.popup()
        if (
            watched is not popup
            or event.type() != QEvent.Type.KeyPress
            or not isinstance(event, QKeyEvent)
        ):
            return False
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab):
            current = popup.currentIndex()
            if not current.isValid():
                popup.hide()
                return False  # nothing highlighted: the key is the editor's
            self.insert(str(current.data()))
            return True
        if key == Qt.Key.Key_Escape:
            popup.hide()
            return True
        return False
