"""The navigation sidebar: Library, Playlists, Radio and For You.

Each entry carries a view key (``tracks``, ``artists``, ``playlist:7`` ...)
that the main window turns into a page; section headings are not selectable.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QSize, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QWidget

from player.library.playlists import list_playlists
from player.library.store import LibraryDB
from player.ui.kit.qtfix import emit
from player.ui.kit.theme import Theme

KEY_ROLE = Qt.ItemDataRole.UserRole + 1
LIBRARY = (
    ("browse", QT_TRANSLATE_NOOP("Navigation", "Browser"), "queue"),
    ("artists", QT_TRANSLATE_NOOP("Navigation", "Artists"), "artist"),
    ("albums", QT_TRANSLATE_NOOP("Navigation", "Albums"), "album"),
    ("tracks", QT_TRANSLATE_NOOP("Navigation", "Tracks"), "tracks"),
    ("genres", QT_TRANSLATE_NOOP("Navigation", "Genres"), "genre"),
    ("folders", QT_TRANSLATE_NOOP("Navigation", "Folders"), "folder"),
)


class Navigation(QTreeWidget):
    """``chosen(key)`` when an entry is selected (by mouse or keyboard);
    ``rebuilt()`` after the entries were listed again."""

    chosen = Signal(str)
    rebuilt = Signal()

    def __init__(self, db: LibraryDB, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.theme = db, theme
        self.setObjectName("Navigation")
        self.setAccessibleName(self.tr("Navigation"))
        self.setHeaderHidden(True)
        self.setRootIsDecorated(False)
        self.setIndentation(0)
        self.setIconSize(QSize(18, 18))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.currentItemChanged.connect(self._changed)
        self.rebuild()

    def _section(self, title: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem([title.upper()])
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        font = QFont(self.font())
        font.setPointSizeF(max(7.5, font.pointSizeF() * 0.8))
        font.setBold(True)
        font.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, 1.2)
        item.setFont(0, font)
        item.setForeground(0, self.theme.color("text_dim"))
        item.setSizeHint(0, QSize(0, 36))
        self.addTopLevelItem(item)
        return item

    def _entry(self, parent: QTreeWidgetItem, key: str, text: str, icon: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem([text])
        item.setData(0, KEY_ROLE, key)
        item.setIcon(0, self.theme.icon(icon, "text_dim", "accent"))
        item.setData(0, Qt.ItemDataRole.AccessibleTextRole, text)
        parent.addChild(item)
        return item

    def rebuild(self) -> None:
        """(Re)list everything, keeping the selected entry."""
        current = self.current_key()
        self.blockSignals(True)
        self.clear()
        library = self._section(self.tr("Library"))
        for key, text, icon in LIBRARY:
            self._entry(library, key, QCoreApplication.translate("Navigation", text), icon)
        lists = self.playlists_section = self._section(self.tr("Playlists"))
        try:
            found = list_playlists(self.db)
        except Exception:  # a listing problem leaves the section empty
            found = []
        for info in found:
            self._entry(
                lists, f"playlist:{info.id}", info.name, "smart" if info.is_smart else "playlist"
            )
        if not found:
            empty = QTreeWidgetItem([self.tr("No playlists yet")])
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            lists.addChild(empty)
        listen = self._section(self.tr("Listen"))
        self._entry(listen, "radio", self.tr("Radio stations"), "radio")
        self._entry(listen, "foryou", self.tr("For You"), "foryou")
        self._entry(listen, "listening", self.tr("Your listening"), "chart")
        self.expandAll()
        self.blockSignals(False)
        if current:
            self.select(current, emit=False)
        emit(self.rebuilt)

    def current_key(self) -> str | None:
        item = self.currentItem()
        return item.data(0, KEY_ROLE) if item is not None else None

    def select(self, key: str, *, emit: bool = True) -> bool:
        for i in range(self.topLevelItemCount()):
            section = self.topLevelItem(i)
            for j in range(section.childCount()):
                item = section.child(j)
                if item.data(0, KEY_ROLE) == key:
                    self.blockSignals(not emit)
                    self.setCurrentItem(item)
                    self.blockSignals(False)
                    return True
        return False

    def _changed(self, item: QTreeWidgetItem | None, _previous: object) -> None:
        key = item.data(0, KEY_ROLE) if item is not None else None
        if key:
            emit(self.chosen, key)
