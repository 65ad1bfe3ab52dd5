"""The Albums view: a grid of cover thumbnails; opening an album lists its tracks.

Covers are asked of the :class:`~player.ui.kit.covers.CoverProvider` only for the
albums the view paints, so a large library costs nothing until scrolled to;
each arrives from a worker (and the disk cache) and repaints its cell.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPainterPath, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListView,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from player.library.store import LibraryDB
from player.library.trackquery import AlbumInfo, album_source, albums
from player.ui.kit.bridge import PlayerBridge
from player.ui.kit.covers import CoverProvider, placeholder, rounded
from player.ui.kit.qtfix import emit
from player.ui.kit.tasks import TaskRunner
from player.ui.kit.theme import Theme
from player.ui.pages.layout import page_header
from player.ui.pages.tracklist import TrackListPage
from player.ui.tracks.columns import duration_text

TILE = 168
PAD = 10
#: the narrowest a grid cell gets; cells widen to share out a row's spare width
CELL_MIN = TILE + 2 * PAD
#: below the cover: title, artist and year, and a line for what tells same-named albums apart
CARD_TEXT = 80
LIST_COVER = 40
LIST_ROW = 52
#: where the compact choice is remembered (the window's saved state)
COMPACT_KEY = "albums_compact"
HERO = 180
ALBUM_ROLE = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex


def _common(one: str, two: str) -> int:
    """How many leading characters two texts share."""
    n = 0
    for a, b in zip(one, two, strict=False):
        if a != b:
            break
        n += 1
    return n


def _details(albums: list[AlbumInfo]) -> dict[int, set[str]]:
    """For albums that share a title and artist: which facts tell them apart."""
    groups: dict[tuple[str, str], list[int]] = {}
    for row, album in enumerate(albums):
        groups.setdefault((album.album.casefold(), album.album_artist), []).append(row)
    out: dict[int, set[str]] = {}
    for rows in groups.values():
        if len(rows) < 2:
            continue
        differ = {
            name
            for name, value in (
                ("discs", lambda a: a.discs),
                ("tracks", lambda a: a.tracks),
                ("folder", lambda a: a.folder),
            )
            if len({value(albums[r]) for r in rows}) > 1
        }
        for r in rows:
            out[r] = differ or {"folder"}
    return out


class AlbumModel(QAbstractListModel):
    """Albums with their cover (or a placeholder until it arrives)."""

    def __init__(self, covers: CoverProvider, ratio: float) -> None:
        super().__init__()
        self.covers = covers
        self.ratio = ratio
        self.albums: list[AlbumInfo] = []
        self._rows_by_path: dict[str, int] = {}
        self._placeholders: dict[str, QPixmap] = {}
        self._details: dict[int, set[str]] = {}
        self._squeezed: tuple[int, str, dict[int, int]] | None = None
        covers.ready.connect(self._cover_ready)

    def set_albums(self, albums: list[AlbumInfo]) -> None:
        self.beginResetModel()
        self.albums = albums
        self._rows_by_path = {a.cover_path: i for i, a in enumerate(albums)}
        self._details = _details(albums)
        self._squeezed: tuple[int, str, dict[int, int]] | None = None
        self.endResetModel()

    def artist(self, album: AlbumInfo) -> str:
        return album.album_artist or self.tr("Various artists")

    def subtitle(self, row: int) -> str:
        """The card's second line: artist and year."""
        album = self.albums[row]
        return self.artist(album) + (f" · {album.year}" if album.year else "")

    def detail(self, row: int) -> str:
        """For an album that shares its title with another, what tells them apart beyond
        artist and year (disc count, tracks, folder); else empty."""
        album = self.albums[row]
        differ = self._details.get(row)
        if not differ:
            return ""
        parts = []
        if "discs" in differ:
            parts.append(self.tr("%Ln discs", "", album.discs))
        if "tracks" in differ:
            parts.append(self.tr("%Ln tracks", "", album.tracks))
        if "folder" in differ and album.folder:
            parts.append(album.folder.rstrip("/\\").replace("\\", "/").rsplit("/", 1)[-1])
        return " · ".join(parts)

    def lines(self, row: int) -> str:
        """Everything a card says below the title, on one line (tooltips, tests)."""
        return " · ".join(p for p in (self.subtitle(row), self.detail(row)) if p)

    def squeezed(self, width: int, font: QFont) -> dict[int, int]:
        """Rows whose title, cut to *width*, reads like another album's, each with where
        its title starts to differ (the card shows the title from about there)."""
        key = font.toString()
        if self._squeezed is not None and self._squeezed[:2] == (width, key):
            return self._squeezed[2]
        fm = QFontMetrics(font)
        seen: dict[str, list[int]] = {}
        for row, album in enumerate(self.albums):
            short = fm.elidedText(album.album, Qt.TextElideMode.ElideRight, width)
            if short != album.album:
                seen.setdefault(short.casefold(), []).append(row)
        starts: dict[int, int] = {}
        for rows in seen.values():
            if len(rows) < 2:
                continue
            for row in rows:
                title = self.albums[row].album
                common = max(
                    _common(title.casefold(), self.albums[o].album.casefold())
                    for o in rows
                    if o != row
                )
                # from the start of the word before the one that differs
                cut = title.rfind(" ", 0, max(0, title.rfind(" ", 0, common)))
                starts[row] = cut + 1 if cut > 0 else 0
        self._squeezed = (width, key, starts)
        return starts

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.albums)

    def cover(self, album: AlbumInfo) -> QPixmap:
        size = int(TILE * self.ratio)
        pix = self.covers.get(album.cover_path, size)
        if pix is not None:
            return pix
        key = album.album
        if key not in self._placeholders:
            self._placeholders[key] = placeholder(album.album, TILE, self.ratio)
        return self._placeholders[key]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        album = self.albums[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return album.album
        if role in (Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
            return f"{album.album} — {self.lines(index.row())}"
        if role == ALBUM_ROLE:
            return album
        return None

    def _cover_ready(self, path: str, size: int) -> None:
        row = self._rows_by_path.get(path)
        if row is not None:
            index = self.index(row)
            emit(self.dataChanged, index, index, [Qt.ItemDataRole.DecorationRole])


class AlbumDelegate(QStyledItemDelegate):
    """A card (cover with rounded corners, title in bold, artist and year dimmed) in the
    grid; a row (small cover, title, artist) in the compact list."""

    def __init__(self, model: AlbumModel, theme: Theme) -> None:
        super().__init__()
        self.model, self.theme = model, theme
        self.cell = QSize(CELL_MIN, TILE + CARD_TEXT)
        self.compact = False

    def tile(self) -> int:
        return LIST_COVER if self.compact else self.cell.width() - 2 * PAD

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        if self.compact:
            return QSize(option.rect.width() or 400, LIST_ROW)
        return self.cell

    def shown_title(self, row: int, font: QFont, width: int) -> str:
        """The title as the card shows it: cut at the end; when cut at the end it would
        read like another album's, from shortly before where the two differ."""
        title = self.model.albums[row].album
        start = self.model.squeezed(width, font).get(row, 0)
        fm = QFontMetrics(font)
        if start:
            return fm.elidedText("…" + title[start:], Qt.TextElideMode.ElideRight, width)
        return fm.elidedText(title, Qt.TextElideMode.ElideRight, width)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        album: AlbumInfo = index.data(ALBUM_ROLE)
        rect: QRect = option.rect
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        state = option.state
        if state & QStyle.StateFlag.State_Selected or state & QStyle.StateFlag.State_MouseOver:
            back = QPainterPath()
            back.addRoundedRect(QRectF(rect.adjusted(2, 2, -2, -2)), 12, 12)
            painter.fillPath(
                back,
                self.theme.color(
                    "accent_soft" if state & QStyle.StateFlag.State_Selected else "hover"
                ),
            )
        tile = self.tile()
        if self.compact:
            cover_rect = QRectF(rect.x() + 8, rect.y() + (rect.height() - tile) / 2, tile, tile)
            text_x, text_w = rect.x() + 8 + tile + 12, rect.width() - tile - 28
            text_y = rect.y() + (rect.height() - 2 * QFontMetrics(option.font).height() - 2) // 2
        else:
            cover_rect = QRectF(rect.x() + PAD, rect.y() + PAD, tile, tile)
            text_x, text_w, text_y = rect.x() + PAD, tile, rect.y() + tile + 16
        clip = QPainterPath()
        clip.addRoundedRect(cover_rect, 6 if self.compact else 10, 6 if self.compact else 10)
        painter.setClipPath(clip)
        painter.drawPixmap(cover_rect.toRect(), self.model.cover(album))
        painter.setClipping(False)
        font = QFont(option.font)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(self.theme.color("text"))
        fm = QFontMetrics(font)
        text_rect = QRect(text_x, text_y, text_w, fm.height())
        painter.drawText(
            text_rect, int(Qt.AlignmentFlag.AlignLeft), self.shown_title(index.row(), font, text_w)
        )
        font.setBold(False)
        painter.setFont(font)
        painter.setPen(self.theme.color("text_dim"))
        row = index.row()
        lines = [self.model.lines(row)] if self.compact else [self.model.subtitle(row)]
        detail = "" if self.compact else self.model.detail(row)
        if detail:
            lines.append(detail)
        for n, line in enumerate(lines, 1):
            painter.drawText(
                text_rect.translated(0, n * (fm.height() + 2)),
                int(Qt.AlignmentFlag.AlignLeft),
                QFontMetrics(font).elidedText(line, Qt.TextElideMode.ElideRight, text_w),
            )
        painter.restore()


class AlbumGrid(QListView):
    """The albums as a grid whose cells widen to fill each row, or as a compact list."""

    def __init__(self, delegate: AlbumDelegate, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.album_delegate = delegate
        self.setItemDelegate(delegate)
        self.setMovement(QListView.Movement.Static)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setUniformItemSizes(True)
        self.setMouseTracking(True)
        self.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.set_compact(False)

    def set_compact(self, compact: bool) -> None:
        self.album_delegate.compact = compact
        if compact:
            self.setViewMode(QListView.ViewMode.ListMode)
            self.setGridSize(QSize())
            self.setSpacing(0)
        else:
            self.setViewMode(QListView.ViewMode.IconMode)
            self.setSpacing(0)
        self.fit_cells()

    def layout_width(self) -> int:
        """The width the list lays its cells out in: Qt keeps room for the vertical
        scroll bar whether or not it shows."""
        bar = self.verticalScrollBar()
        extent = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, bar)
        return self.maximumViewportSize().width() - extent - 1

    def fit_cells(self) -> None:
        """Share the viewport's width out evenly between as many cells as fit."""
        if self.album_delegate.compact:
            self.doItemsLayout()
            return
        width = self.layout_width()
        columns = max(1, width // CELL_MIN)
        cell = QSize(max(CELL_MIN, width // columns), 0)
        tile = cell.width() - 2 * PAD
        cell.setHeight(tile + CARD_TEXT)
        if cell != self.album_delegate.cell or self.gridSize() != cell:
            self.album_delegate.cell = cell
            self.setGridSize(cell)
            self.doItemsLayout()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_cells()


class AlbumsPage(QStackedWidget):
    """The grid, and one album's track list with a Back button."""

    def __init__(
        self,
        db: LibraryDB,
        db_path: str | Path,
        runner: TaskRunner,
        bridge: PlayerBridge,
        covers: CoverProvider,
        theme: Theme,
        parent: QWidget | None = None,
        prefs: MutableMapping[str, object] | None = None,
    ) -> None:
        super().__init__(parent)
        self.db_path, self.runner = db_path, runner
        self.prefs: MutableMapping[str, object] = prefs if prefs is not None else {}
        grid_page = QWidget(self)
        grid_page.setObjectName("Page")
        layout = QVBoxLayout(grid_page)
        layout.setContentsMargins(0, 0, 0, 0)
        header, _, self.subtitle = page_header(grid_page, self.tr("Albums"))
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 24, 0)
        top.addWidget(header, 1)
        self.compact_button = QToolButton(grid_page)
        self.compact_button.setCheckable(True)
        self.compact_button.setText(self.tr("List"))
        self.compact_button.setToolTip(self.tr("Show the albums as a compact list"))
        self.compact_button.setAccessibleName(self.tr("Compact list"))
        top.addWidget(self.compact_button, 0, Qt.AlignmentFlag.AlignBottom)
        layout.addLayout(top)
        self.model = AlbumModel(covers, self.devicePixelRatioF())
        self.grid = AlbumGrid(AlbumDelegate(self.model, theme), grid_page)
        self.grid.setObjectName("AlbumGrid")
        self.grid.setAccessibleName(self.tr("Albums"))
        self.grid.setModel(self.model)
        compact = self.prefs.get(COMPACT_KEY) is True
        self.compact_button.setChecked(compact)
        self.grid.set_compact(compact)
        self.compact_button.toggled.connect(self.set_compact)
        self.grid.activated.connect(self._open)
        self.grid.doubleClicked.connect(self._open)
        layout.addWidget(self.grid, 1)
        self.addWidget(grid_page)
        # one album
        album_page = QWidget(self)
        album_layout = QVBoxLayout(album_page)
        album_layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        bar.setContentsMargins(16, 10, 0, 0)
        self.back = QToolButton(album_page)
        theme.set_icon(self.back, "back")
        self.back.setText(self.tr("Albums"))
        self.back.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.back.setAccessibleName(self.tr("Back to albums"))
        self.back.clicked.connect(lambda: self.setCurrentIndex(0))
        bar.addWidget(self.back)
        bar.addStretch(1)
        album_layout.addLayout(bar)
        hero = QHBoxLayout()
        hero.setContentsMargins(24, 8, 24, 12)
        hero.setSpacing(22)
        self.hero_cover = QLabel(album_page)
        self.hero_cover.setFixedSize(HERO, HERO)
        self.hero_cover.setAccessibleName(self.tr("Album cover"))
        hero.addWidget(self.hero_cover)
        texts = QVBoxLayout()
        texts.addStretch(1)
        kind = QLabel(self.tr("ALBUM"), album_page)
        kind.setObjectName("PageSubtitle")
        self.hero_title = QLabel("", album_page)
        self.hero_title.setObjectName("PageTitle")
        self.hero_title.setWordWrap(True)
        self.hero_sub = QLabel("", album_page)
        self.hero_sub.setObjectName("PageSubtitle")
        for widget in (kind, self.hero_title, self.hero_sub):
            texts.addWidget(widget)
        texts.addStretch(1)
        hero.addLayout(texts, 1)
        album_layout.addLayout(hero)
        self.tracks = TrackListPage(db, db_path, runner, bridge, album_page, header=False)
        album_layout.addWidget(self.tracks, 1)
        self.addWidget(album_page)
        self.covers = covers
        self.album: AlbumInfo | None = None
        covers.ready.connect(self._hero_ready)
        self.tracks.model.loaded.connect(self._hero_count)

    def set_compact(self, compact: bool) -> None:
        """Show the albums as a compact list (or as the grid); remembered."""
        self.prefs[COMPACT_KEY] = bool(compact)
        if self.compact_button.isChecked() != compact:
            self.compact_button.setChecked(compact)
        self.grid.set_compact(compact)

    def reload(self) -> None:
        task = self.runner.submit(albums, self.db_path, name="albums")
        task.done.connect(self._listed)

    def _listed(self, found: list[AlbumInfo] | None, error: object) -> None:
        self.model.set_albums(found or [])
        self.subtitle.setText(self.tr("%Ln albums", "", len(self.model.albums)))

    def _open(self, index: QModelIndex) -> None:
        album: AlbumInfo = index.data(ALBUM_ROLE)
        self.open_album(album)

    def open_album(self, album: AlbumInfo) -> None:
        self.album = album
        self.tracks.show_source(album_source(album))
        self.hero_title.setText(album.album)
        self.hero_sub.setText(self.model.artist(album))
        self._hero_cover()
        self.setCurrentIndex(1)

    def _hero_count(self, count: int) -> None:
        album = self.album
        if album is None:
            return
        model = self.tracks.model
        first = model.row(0) if count else None
        if first and not album.cover_path:  # opened by name: now we know a file and a year
            self.album = album = replace(album, year=first["year"], cover_path=first["path"])
            self._hero_cover()
        seconds = sum((model.row(i) or {}).get("duration") or 0 for i in range(min(count, 200)))
        parts = [
            self.model.artist(album),
            str(album.year) if album.year else "",
            self.tr("%Ln tracks", "", count),
            duration_text(seconds),
        ]
        self.hero_sub.setText("  ·  ".join(p for p in parts if p))

    def _hero_cover(self) -> None:
        album = self.album
        if album is None:
            return
        ratio = self.devicePixelRatioF()
        pix = self.covers.get(album.cover_path, int(HERO * ratio)) if album.cover_path else None
        if pix is None:
            pix = placeholder(album.album, HERO, ratio)
        else:
            pix = QPixmap(pix)
            pix.setDevicePixelRatio(ratio)
        self.hero_cover.setPixmap(rounded(pix, 12))

    def _hero_ready(self, path: str, size: int) -> None:
        if self.album is not None and path == self.album.cover_path:
            self._hero_cover()

    def open_named(self, album_artist: str, album: str) -> None:
        """Open an album by its names (the now-playing bar's link): the listed album of
        that title and artist, or the one "Various artists" album of that title."""
        same = [a for a in self.model.albums if a.album == album]
        mine = [a for a in same if a.album_artist == album_artist]
        various = [a for a in same if a.various]
        found = mine[0] if len(mine) == 1 else various[0] if len(various) == 1 else None
        self.open_album(found or AlbumInfo(album_artist, album, None, 0, ""))
