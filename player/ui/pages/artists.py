"""The Artists page: track artists, album artists or composers (a remembered choice),
several names of one tag listed apart, sorted by sort name, with a strip of letters
to jump by; the chosen artist's tracks beside them.

The list is read on a worker (:func:`player.library.trackquery.artists`); the
splitting and the sort rules live in the store (:mod:`player.library.store.groups`),
so the page counts what ``kindred stats`` counts.
"""

from __future__ import annotations

import time
from collections.abc import MutableMapping
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QModelIndex, QObject
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QToolButton, QWidget

from player.library.store import ArtistEntry
from player.library.trackquery import TrackSource, artist_source, artists
from player.ui.kit.bridge import PlayerBridge
from player.ui.kit.tasks import TaskRunner
from player.ui.pages.browse import CategoryPage

#: where the chosen role is remembered (the window's saved state)
ROLE_KEY = "artists_role"
ROLES = ("artist", "album_artist", "composer")
LETTERS = "#ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def least_width() -> int:
    """The width the Artists page needs at least (its role switch and letter strip), found
    without building the page: the window keeps this room for its pages from the start,
    so that showing Artists the first time does not widen them."""
    box = QComboBox()
    box.addItem(QCoreApplication.translate("ArtistsPage", "Track artists"))
    box.addItem(QCoreApplication.translate("ArtistsPage", "Album artists"))
    box.addItem(QCoreApplication.translate("ArtistsPage", "Composers"))
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    box.setMinimumContentsLength(12)
    box.ensurePolished()  # the theme's style sheet sizes it
    width = box.minimumSizeHint().width()
    box.deleteLater()
    # margins 24 + 24, the combo, 8 of space, 22 per letter and 2 before each
    return 48 + width + 8 + len(LETTERS) * (22 + 2)


class ArtistsPage(CategoryPage):
    """Artists of one role on the left, with a role switch and a letter strip."""

    def __init__(
        self,
        db: object,
        db_path: str | Path,
        runner: TaskRunner,
        bridge: PlayerBridge,
        parent: QWidget | None = None,
        prefs: MutableMapping[str, object] | None = None,
    ) -> None:
        super().__init__("artist", self.tr("Artists"), db, db_path, runner, bridge, parent)  # type: ignore[arg-type]
        self.prefs: MutableMapping[str, object] = prefs if prefs is not None else {}
        saved = self.prefs.get(ROLE_KEY)
        self.role = saved if isinstance(saved, str) and saved in ROLES else "artist"
        self.entries: list[ArtistEntry] = []
        bar = QWidget(self)
        row = QHBoxLayout(bar)
        row.setContentsMargins(24, 0, 24, 6)
        row.setSpacing(2)
        self.role_box = QComboBox(bar)
        self.role_box.setAccessibleName(self.tr("Which artists"))
        self.role_box.addItem(self.tr("Track artists"), "artist")
        self.role_box.addItem(self.tr("Album artists"), "album_artist")
        self.role_box.addItem(self.tr("Composers"), "composer")
        self.role_box.setCurrentIndex(ROLES.index(self.role))
        self.role_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.role_box.setMinimumContentsLength(12)
        self.role_box.activated.connect(lambda i: self.set_role(ROLES[i]))
        row.addWidget(self.role_box)
        row.addSpacing(8)
        self.letters: dict[str, QToolButton] = {}
        for letter in LETTERS:
            button = QToolButton(bar)
            button.setObjectName("LetterJump")
            button.setText(letter)
            button.setAutoRaise(True)
            button.setFixedWidth(22)
            button.setAccessibleName(self.tr("Artists under %1").replace("%1", letter))
            button.clicked.connect(lambda _=False, letter=letter: self.jump(letter))
            row.addWidget(button)
            self.letters[letter] = button
        row.addStretch(1)
        layout = self.layout()
        layout.insertWidget(1, bar)  # type: ignore[attr-defined]
        self._typed, self._typed_at = "", 0.0
        self.list.installEventFilter(self)

    def set_role(self, role: str) -> None:
        """Show the artists of *role* (``artist``, ``album_artist``, ``composer``)."""
        if role not in ROLES:
            return
        self.role = role
        self.prefs[ROLE_KEY] = role
        if self.role_box.currentIndex() != ROLES.index(role):
            self.role_box.setCurrentIndex(ROLES.index(role))
        self.reload()

    def reload(self) -> None:
        task = self.runner.submit(artists, self.db_path, self.role, name="artist list")
        task.done.connect(self._entries)

    def _entries(self, rows: list[ArtistEntry] | None, error: object) -> None:
        self.entries = rows or []
        self.names = [e.name for e in self.entries]
        unknown = self.tr("Unknown artist")
        self.list_model.setStringList([f"{e.name or unknown}  ·  {e.tracks}" for e in self.entries])
        named = sum(1 for e in self.entries if e.name)
        self.subtitle.setText(self.tr("%Ln artists", "", named))
        present = {e.letter for e in self.entries if e.name}
        for letter, button in self.letters.items():
            button.setEnabled(letter in present)

    def first_row(self, letter: str) -> int:
        """The row of the first artist filed under *letter* (-1 when none)."""
        for row, entry in enumerate(self.entries):
            if entry.name and entry.letter == letter:
                return row
        return -1

    def jump(self, letter: str) -> None:
        row = self.first_row(letter)
        if row >= 0:
            index = self.list_model.index(row)
            self.list.setCurrentIndex(index)
            self.list.scrollTo(index, self.list.ScrollHint.PositionAtTop)

    def keyboard_jump(self, text: str) -> bool:
        """Type-to-jump by sort name ("beat" finds "The Beatles")."""
        needle = text.casefold()
        for row, entry in enumerate(self.entries):
            if entry.name and entry.sort_key.startswith(needle):
                index = self.list_model.index(row)
                self.list.setCurrentIndex(index)
                self.list.scrollTo(index)
                return True
        return False

    def select(self, name: str) -> bool:
        """Show *name*'s tracks (used by the now-playing bar's artist link)."""
        wanted = name.casefold()
        for row, entry in enumerate(self.entries):
            if entry.name.casefold() == wanted:
                index = self.list_model.index(row)
                self.list.setCurrentIndex(index)
                self.list.scrollTo(index)
                return True
        self.tracks.show_source(_named(name))
        return False

    def _chosen(self, index: QModelIndex) -> None:
        row = index.row()
        if 0 <= row < len(self.entries):
            entry = self.entries[row]
            source = artist_source(entry, self.role)
            if not entry.name:
                source = replace(source, title=self.tr("Unknown artist"))
            self.tracks.show_source(source)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Letters typed on the list jump by sort name, not by the shown text."""
        if watched is self.list and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            text = event.text()
            if text and text.isprintable() and not text.isspace():
                now = time.monotonic()
                self._typed = (self._typed if now - self._typed_at < 1.0 else "") + text
                self._typed_at = now
                self.keyboard_jump(self._typed)
                return True
        return super().eventFilter(watched, event)


def _named(name: str) -> TrackSource:
    """The tracks of an artist not in the list (yet): the name as track or album artist."""
    return TrackSource(name, "t.artist = ? OR t.album_artist = ?", (name, name), kind="artist")
