"""The smart playlist editor: a name, a query in the library's language, and a live preview.

A smart playlist is a saved query. While the query is typed the preview shows
how many tracks match and the first of them (read on a worker, a moment after
typing pauses); a malformed query shows its error in red under the field and
cannot be saved. Save creates the playlist, or updates the one being edited.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from player.errors import AppError, QueryError
from player.library import playlists
from player.library.playlists import PlaylistInfo
from player.library.query import compile_query
from player.library.query_fields import FIELDS
from player.library.search import count, search
from player.library.store import LibraryDB, reader
from player.ui.kit.dialogs import titled_layout
from player.ui.kit.qtfix import emit
from player.ui.kit.tasks import TaskRunner
from player.ui.kit.theme import Theme

DEBOUNCE_MS = 250
PREVIEW_ROWS = 50


def preview(db_path: str | Path, query: str, limit: int = PREVIEW_ROWS) -> tuple[int, list[str]]:
    """How many tracks *query* matches and ``Artist — Title`` for the first *limit* of them."""
    db = reader(db_path)
    rows = search(db, query, limit=limit)
    lines = [f"{r.get('artist') or '—'}  —  {r.get('title') or r.get('path')}" for r in rows]
    return count(db, query), lines


def field_help() -> str:
    """The query language's fields, one short line each (rich text)."""
    lines = [
        f"<tr><td><b>{html.escape(f.name)}</b></td><td>{html.escape(f.help)}</td>"
        f"<td><code>{html.escape(f.example)}</code></td></tr>"
        for f in FIELDS
    ]
    return "<table cellspacing='0' cellpadding='2'>" + "".join(lines) + "</table>"


def field_style(theme: Theme) -> str:
    """A style for text fields in dialogs that matches the theme (``bad`` marks an error)."""
    c = theme.colors
    return (
        f"QLineEdit {{ background: {c['bg']}; color: {c['text']}; border: 1px solid "
        f"{c['border']}; border-radius: 6px; padding: 5px 8px; "
        f"selection-background-color: {c['selection']}; }}"
        f"QLineEdit:focus {{ border-color: {c['accent']}; }}"
        f'QLineEdit[bad="true"] {{ border-color: {c["danger"]}; }}'
    )


def _editor_style(theme: Theme) -> str:
    c = theme.colors
    return field_style(theme) + (
        f"QListWidget#SmartPreview {{ background: {c['bg']}; border: 1px solid {c['border']}; "
        f"border-radius: 8px; padding: 4px; }}"
        f"QListWidget#SmartPreview::item {{ padding: 3px 6px; }}"
        f"QScrollArea#FieldHelp {{ background: {c['bg']}; border: 1px solid {c['border']}; "
        f"border-radius: 8px; }}"
        f"QScrollArea#FieldHelp > QWidget > QWidget {{ background: {c['bg']}; }}"
        f"QLabel#FieldHelpText {{ color: {c['text_dim']}; padding: 6px; }}"
        f"QLabel#EditorTitle {{ font-size: 14pt; font-weight: 700; }}"
    )


class SmartPlaylistEditor(QDialog):
    """Create (``info=None``) or edit a smart playlist; ``saved(playlist_id)`` on Save."""

    saved = Signal(int)

    def __init__(
        self,
        db: LibraryDB,
        db_path: str | Path,
        runner: TaskRunner,
        theme: Theme,
        info: PlaylistInfo | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db, self.db_path, self.runner, self.theme, self.info = (
            db,
            db_path,
            runner,
            theme,
            info,
        )
        self._generation = 0
        self._query_bad = False
        self.matches: int | None = None
        self.setObjectName("SmartEditor")
        self.setWindowTitle(
            self.tr("New smart playlist") if info is None else self.tr("Edit smart playlist")
        )
        self.setAccessibleName(self.windowTitle())
        self.resize(620, 640)
        layout = titled_layout(self)
        form = QFormLayout()
        form.setSpacing(8)
        self.name = QLineEdit(info.name if info else self.tr("Smart playlist"), self)
        self.name.setAccessibleName(self.tr("Playlist name"))
        self.query = QLineEdit((info.query or "") if info else "", self)
        self.query.setAccessibleName(self.tr("Query"))
        self.query.setPlaceholderText(self.tr("genre:jazz year:1990..1999 rating:>=4"))
        self.query.setClearButtonEnabled(True)
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Query"), self.query)
        layout.addLayout(form)
        self.error = QLabel("", self)
        self.error.setObjectName("SearchError")
        self.error.setAccessibleName(self.tr("Query error"))
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)
        layout.addWidget(self._help_box())
        self.count = QLabel("", self)
        self.count.setObjectName("PageSubtitle")
        self.count.setAccessibleName(self.tr("Matching tracks"))
        layout.addWidget(self.count)
        self.list = QListWidget(self)
        self.list.setAccessibleName(self.tr("Preview"))
        self.list.setObjectName("SmartPreview")
        self.list.setUniformItemSizes(True)
        layout.addWidget(self.list, 1)
        self.buttons = QDialogButtonBox(self)
        self.save_button = self.buttons.addButton(
            self.tr("Save"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.setObjectName("Primary")
        self.buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.refresh)
        self.query.textChanged.connect(self._typed)
        self.name.textChanged.connect(self._update_save)
        self.setStyleSheet(_editor_style(theme))  # last: the children are named by now
        self.query.setFocus()
        self.refresh()

    def _help_box(self) -> QWidget:
        box = QWidget(self)
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        hint = QLabel(
            self.tr(
                "Plain words match titles, artists and albums; fields narrow it down, as in "
                "genre:rock year:1990..1999 rating:>=4. A space means and; OR, -word (not) "
                "and parentheses work too."
            ),
            box,
        )
        hint.setObjectName("PageSubtitle")
        hint.setWordWrap(True)
        toggle = self.fields_button = QPushButton(self.tr("Show fields"), box)
        toggle.setCheckable(True)
        toggle.setAccessibleName(self.tr("Show the query fields"))
        self.fields = QScrollArea(box)
        self.fields.setObjectName("FieldHelp")
        self.fields.setWidgetResizable(True)
        self.fields.setMaximumHeight(170)
        self.fields.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        table = QLabel(field_help(), self.fields)
        table.setTextFormat(Qt.TextFormat.RichText)
        table.setWordWrap(True)
        table.setObjectName("FieldHelpText")
        table.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fields.setWidget(table)
        self.fields.hide()
        toggle.toggled.connect(self.fields.setVisible)
        toggle.toggled.connect(
            lambda on: toggle.setText(self.tr("Hide fields") if on else self.tr("Show fields"))
        )
        column.addWidget(hint)
        column.addWidget(toggle, 0, Qt.AlignmentFlag.AlignLeft)
        column.addWidget(self.fields)
        return box

    # ---- preview -------------------------------------------------------------------------
    def _typed(self, _text: str) -> None:
        self.timer.start()

    def refresh(self) -> None:
        """Check the query now and read its preview on a worker (the newest one wins)."""
        self.timer.stop()
        self._generation += 1
        generation = self._generation
        text = self.query.text().strip()
        self.matches = None
        if not text:
            self._show_error(None)
            self.count.setText(self.tr("Type a query to choose the tracks"))
            self.list.clear()
            self._update_save()
            return
        try:
            compile_query(text)
        except QueryError as exc:
            self._show_error(exc)
            self._update_save()
            return
        self._show_error(None)
        self.count.setText(self.tr("Counting…"))
        task = self.runner.submit(preview, self.db_path, text, name="smart preview")
        task.done.connect(lambda result, error: self._previewed(generation, result, error))
        self._update_save()

    def _previewed(self, generation: int, result: Any, error: object) -> None:
        if generation != self._generation:
            return
        if error is not None:
            self._show_error(error)
            return
        matched, lines = result
        self.matches = matched
        self.count.setText(self.tr("%Ln tracks match", "", matched))
        self.list.clear()
        self.list.addItems(lines)
        if matched > len(lines):
            self.list.addItem(self.tr("… and %Ln more", "", matched - len(lines)))

    def _show_error(self, error: object) -> None:
        bad = error is not None
        self._query_bad = isinstance(error, QueryError)
        if isinstance(error, QueryError):
            self.error.setText(
                self.tr("{message} — at character {n}").format(
                    message=error.message, n=error.position + 1
                )
            )
        elif isinstance(error, AppError):
            self.error.setText(error.short)
        elif bad:
            self.error.setText(str(error))
        self.error.setVisible(bad)
        self.query.setProperty("bad", self._query_bad)
        self.query.style().unpolish(self.query)
        self.query.style().polish(self.query)
        if self._query_bad:
            self.count.setText("")
            self.list.clear()

    def _update_save(self, *_args: object) -> None:
        ok = bool(self.name.text().strip()) and bool(self.query.text().strip())
        self.save_button.setEnabled(ok and not self._query_bad)

    # ---- saving --------------------------------------------------------------------------
    def save(self) -> int | None:
        """Store the playlist; returns its id (None when the name or query is refused)."""
        name, query = self.name.text().strip(), self.query.text().strip()
        try:
            compile_query(query)
            if not query:
                raise AppError(self.tr("A smart playlist needs a query"))
            if self.info is None:
                playlist_id = playlists.create_playlist(self.db, name, query=query)
            else:
                playlist_id = self.info.id
                with self.db.transaction():
                    if name != self.info.name:
                        playlists.rename_playlist(self.db, playlist_id, name)
                    playlists.set_playlist_query(self.db, playlist_id, query)
        except AppError as exc:
            self._show_error(exc)
            self._update_save()
            return None
        emit(self.saved, playlist_id)
        self.accept()
        return playlist_id
