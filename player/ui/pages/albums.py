"""The Albums view: a grid of cover thumbnails; opening an album lists its tracks.

Covers are asked of the :class:`~player.ui.kit.covers.CoverProvider` only for the
albums the view paints, so a large library costs nothing until scrolled to;
each arrives from a worker (and the disk cache) and repaints its cell.
"""

from __future__ import annotations

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
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPainterPath, QPixmap
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
HERO = 180
ALBUM_ROLE = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex


class AlbumModel(QAbstractListModel):
    """Albums with their cover (or a placeholder until it arrives)."""

    def __init__(self, covers: CoverProvider, ratio: float) -> None:
        super().__init__()
        self.covers = covers
        self.ratio = ratio
        self.albums: list[AlbumInfo] = []
        self._rows_by_path: dict[str, int] = {}
        self._placeholders: dict[str, QPixmap] = {}
        covers.ready.connect(self._cover_ready)

    def set_albums(self, albums: list[AlbumInfo]) -> None:
        self.beginResetModel()
        self.albums = albums
        self._rows_by_path = {a.cover_path: i for i, a in enumerate(albums)}
        self.endResetModel()

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
            return f"{album.album} — {album.album_artist}" + (
                f" ({album.year})" if album.year else ""
            )
        if role == ALBUM_ROLE:
            return album
        return None

    def _cover_ready(self, path: str, size: int) -> None:
        row = self._rows_by_path.get(path)
        if row is not None:
            index = self.index(row)
            emit(self.dataChanged, index, index, [Qt.ItemDataRole.DecorationRole])


class AlbumDelegate(QStyledItemDelegate):
    """Cover with rounded corners, album title in bold, artist and year dimmed."""

    def __init__(self, model: AlbumModel, theme: Theme) -> None:
        super().__init__()
        self.model, self.theme = model, theme

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        return QSize(TILE + 20, TILE + 64)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        album: AlbumInfo = index.data(ALBUM_ROLE)
        rect: QRect = option.rect
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
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
        cover_rect = QRectF(rect.x() + 10, rect.y() + 10, TILE, TILE)
        clip = QPainterPath()
        clip.addRoundedRect(cover_rect, 10, 10)
        painter.setClipPath(clip)
        painter.drawPixmap(cover_rect.toRect(), self.model.cover(album))
        painter.setClipping(False)
        font = QFont(option.font)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(self.theme.color("text"))
        fm = QFontMetrics(font)
        text_rect = QRect(rect.x() + 10, rect.y() + TILE + 16, TILE, fm.height())
        painter.drawText(
            text_rect,
            int(Qt.AlignmentFlag.AlignLeft),
            fm.elidedText(album.album, Qt.TextElideMode.ElideRight, TILE),
        )
        font.setBold(False)
        painter.setFont(font)
        painter.setPen(self.theme.color("text_dim"))
        sub = album.album_artist + (f" · {album.year}" if album.year else "")
        painter.drawText(
            text_rect.translated(0, fm.height() + 2),
            int(Qt.AlignmentFlag.AlignLeft),
            QFontMetrics(font).elidedText(sub, Qt.TextElideMode.ElideRight, TILE),
        )
        painter.restore()


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
    ) -> None:
        super().__init__(parent)
        self.db_path, self.runner = db_path, runner
        grid_page = QWidget(self)
        grid_page.setObjectName("Page")
        layout = QVBoxLayout(grid_page)
        layout.setContentsMargins(0, 0, 0, 0)
        header, _, self.subtitle = page_header(grid_page, self.tr("Albums"))
        layout.addWidget(header)
        self.model = AlbumModel(covers, self.devicePixelRatioF())
        self.grid = QListView(grid_page)
        self.grid.setObjectName("AlbumGrid")
        self.grid.setAccessibleName(self.tr("Albums"))
        self.grid.setViewMode(QListView.ViewMode.IconMode)
        self.grid.setResizeMode(QListView.ResizeMode.Adjust)
        self.grid.setMovement(QListView.Movement.Static)
        self.grid.setUniformItemSizes(True)
        self.grid.setSpacing(6)
        self.grid.setMouseTracking(True)
        self.grid.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.grid.setModel(self.model)
        self.grid.setItemDelegate(AlbumDelegate(self.model, theme))
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
        self.hero_sub.setText(album.album_artist)
        self._hero_cover()
        self.setCurrentIndex(1)

    def _hero_count(self, count: int) -> None:
        album = self.album
        if album is None:
            return
        model = self.tracks.model
        first = model.row(0) if count else None
        if first and not album.cover_path:  # opened by name: now we know a file and a year
            self.album = album = AlbumInfo(
                album.album_artist, album.album, first["year"], count, first["path"]
            )
            self._hero_cover()
        seconds = sum((model.row(i) or {}).get("duration") or 0 for i in range(min(count, 200)))
        parts = [
            album.album_artist,
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
        self.open_album(AlbumInfo(album_artist, album, None, 0, ""))
