"""The "Your listening" page: what you played over the last week, month, year or ever.

Cards with the time listened, plays, tracks, artists and first listens; a bar
chart of the hours of the day you listen at; and the most played artists,
albums and tracks (double-click or Enter: show the artist or album, play the
track). The figures come from :func:`player.library.listening_stats.listening_stats`
on the task runner, read again each time the page is shown.
"""

from __future__ import annotations

from pathlib import Path
from string import Template
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPainterPath
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from player.audio.queue import QueueItem
from player.library.listening_stats import ListeningStats, Top, listening_stats, period_start
from player.library.search import fetch_rows
from player.library.store import reader
from player.ui.kit.flow import FlowLayout
from player.ui.kit.qtfix import emit
from player.ui.kit.tasks import TaskRunner
from player.ui.kit.theme import Theme, palette
from player.ui.pages.layout import page_header, scrolling_body

TOP_N = 10
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1

STYLE = Template(
    """
QFrame#StatCard, QFrame#StatPanel {
  background: $panel; border: 1px solid $border; border-radius: 12px;
}
QLabel#StatValue { color: $text; font-size: 17pt; font-weight: 700; }
QLabel#StatCaption, QLabel#StatNote { color: $text_dim; }
QLabel#StatHeading { color: $text; font-size: 12pt; font-weight: 700; }
QListWidget#TopList { background: transparent; border: none; }
QPushButton#PeriodButton { padding: 5px 12px; }
QPushButton#PeriodButton:checked { color: $accent; border-color: $accent; }
"""
)


def span_text(minutes: float) -> str:
    """12 min, or 3.4 h from two hours on."""
    if minutes < 120:
        return QCoreApplication.translate("ListeningPage", "{n} min").format(n=round(minutes))
    return QCoreApplication.translate("ListeningPage", "{n} h").format(n=f"{minutes / 60:.1f}")


def _stats_for(db_path: str | Path, period: str) -> ListeningStats:
    return listening_stats(reader(db_path), period_start(period), top=TOP_N)


class HourChart(QWidget):
    """Minutes listened in each hour of the day, as 24 bars."""

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self.minutes = [0.0] * 24
        self.setMinimumHeight(120)
        self.setAccessibleName(self.tr("Listening by hour of the day"))

    def sizeHint(self) -> QSize:
        return QSize(480, 140)

    def set_minutes(self, minutes: list[float]) -> None:
        self.minutes = list(minutes)
        peak = max(range(24), key=lambda h: self.minutes[h])
        self.setAccessibleDescription(
            self.tr("Most listening around {hour}:00").format(hour=peak)
            if self.minutes[peak]
            else ""
        )
        self.update()

    def paintEvent(self, _event: object) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = painter.fontMetrics()
        label_h = fm.height() + 4
        area = QRectF(self.rect()).adjusted(4, 6, -4, -label_h)
        peak = max(self.minutes) or 1.0
        slot = area.width() / 24
        bar = max(2.0, slot * 0.62)
        for hour, value in enumerate(self.minutes):
            x = area.left() + hour * slot + (slot - bar) / 2
            height = max(2.0, area.height() * value / peak) if value else 2.0
            path = QPainterPath()
            path.addRoundedRect(QRectF(x, area.bottom() - height, bar, height), 2.5, 2.5)
            painter.fillPath(path, self.theme.color("accent" if value else "border"))
            if hour % 6 == 0:
                painter.setPen(self.theme.color("text_dim"))
                painter.drawText(QRectF(x - 10, area.bottom() + 2, 40, label_h), f"{hour}h")
        painter.end()


class TopDelegate(QStyledItemDelegate):
    """A most-played entry: rank and name, what it is by, plays and time, a share bar."""

    def __init__(self, theme: Theme) -> None:
        super().__init__()
        self.theme = theme

    def sizeHint(self, option: QStyleOptionViewItem, index: Any) -> QSize:
        return QSize(200, 50)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        entry: Top = index.data(ENTRY_ROLE)
        share: float = index.data(ENTRY_ROLE + 1)
        rect = option.rect.adjusted(2, 1, -2, -1)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if option.state & (QStyle.StateFlag.State_Selected | QStyle.StateFlag.State_MouseOver):
            path = QPainterPath()
            path.addRoundedRect(QRectF(rect), 7, 7)
            painter.fillPath(
                path,
                self.theme.color(
                    "selection" if option.state & QStyle.StateFlag.State_Selected else "hover"
                ),
            )
        bold = QFont(option.font)
        bold.setBold(True)
        small = QFont(option.font)
        small.setPointSizeF(max(7.0, small.pointSizeF() * 0.9))
        bfm, sfm = QFontMetrics(bold), QFontMetrics(small)
        counts = self.tr("%Ln plays", "", entry.plays) + " · " + span_text(entry.minutes)
        right = sfm.horizontalAdvance(counts) + 10
        rank = f"{index.row() + 1}"
        left = rect.x() + 8 + bfm.horizontalAdvance("10") + 8
        width = max(20, rect.right() - left - right)
        # one line (an artist) sits in the middle above the bar; two lines start at the top
        top = rect.y() + (5 if entry.detail else (rect.height() - 6 - bfm.height()) // 2)
        top += bfm.ascent()
        painter.setFont(bold)
        painter.setPen(self.theme.color("text_dim"))
        painter.drawText(rect.x() + 8, top, rank)
        painter.setPen(self.theme.color("text"))
        painter.drawText(left, top, bfm.elidedText(entry.name, Qt.TextElideMode.ElideRight, width))
        painter.setFont(small)
        painter.setPen(self.theme.color("text_dim"))
        painter.drawText(rect.right() - right + 6, top, counts)
        second = top + 4 + sfm.height()
        if entry.detail:
            painter.drawText(
                left, second, sfm.elidedText(entry.detail, Qt.TextElideMode.ElideRight, width)
            )
        bar = QRectF(left, rect.bottom() - 4, (rect.right() - 8 - left) * share, 3)
        path = QPainterPath()
        path.addRoundedRect(bar, 1.5, 1.5)
        painter.fillPath(path, self.theme.color("accent"))
        painter.restore()


class TopList(QFrame):
    """A titled most-played list; ``chosen(Top)`` on double-click or Enter."""

    chosen = Signal(object)

    def __init__(self, title: str, hint: str, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("StatPanel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 10)
        layout.setSpacing(6)
        heading = QLabel(title, self)
        heading.setObjectName("StatHeading")
        layout.addWidget(heading)
        self.list = QListWidget(self)
        self.list.setObjectName("TopList")
        self.list.setAccessibleName(title)
        self.list.setToolTip(hint)
        self.list.setItemDelegate(TopDelegate(theme))
        self.list.setMouseTracking(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.itemActivated.connect(lambda item: emit(self.chosen, item.data(ENTRY_ROLE)))
        layout.addWidget(self.list)
        self.setMinimumWidth(230)

    def set_entries(self, entries: list[Top]) -> None:
        self.list.clear()
        most = max((e.plays for e in entries), default=0) or 1
        for entry in entries:
            item = QListWidgetItem(entry.name)
            item.setData(ENTRY_ROLE, entry)
            item.setData(ENTRY_ROLE + 1, entry.plays / most)
            text = f"{entry.name} — {entry.detail}" if entry.detail else entry.name
            item.setData(Qt.ItemDataRole.AccessibleTextRole, text)
            self.list.addItem(item)
        self.list.setFixedHeight(max(1, len(entries)) * 52 + 4)
        self.setVisible(bool(entries))


class ListeningPage(QWidget):
    """Listening statistics for a chosen period.

    ``artistChosen(name)``, ``albumChosen(album_artist, album)``,
    ``periodChanged(key)``, ``updated()`` after each load.
    """

    artistChosen = Signal(str)
    albumChosen = Signal(str, str)
    periodChanged = Signal(str)
    updated = Signal()

    def __init__(
        self,
        db: Any,
        db_path: str | Path,
        runner: TaskRunner,
        bridge: Any,
        theme: Theme,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("Page")
        self.setAccessibleName(self.tr("Your listening"))
        self.db, self.db_path, self.runner, self.bridge, self.theme = (
            db, db_path, runner, bridge, theme,
        )  # fmt: skip
        self.period = "month"
        self.stats: ListeningStats | None = None
        self._task: Any = None
        self._again = False
        self._task_period = ""
        self._styled_for = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        header, _, self.subtitle = page_header(
            self, self.tr("Your listening"), self.tr("From what you played on this computer")
        )
        periods = QHBoxLayout()
        periods.setContentsMargins(0, 8, 0, 0)
        periods.setSpacing(8)
        self.period_group = QButtonGroup(self)
        self.period_buttons: dict[str, QPushButton] = {}
        for key, text in (
            ("week", self.tr("7 days")),
            ("month", self.tr("30 days")),
            ("year", self.tr("12 months")),
            ("all", self.tr("All time")),
        ):
            button = QPushButton(text, header)
            button.setObjectName("PeriodButton")
            button.setCheckable(True)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.clicked.connect(lambda _=False, k=key: self.set_period(k))
            self.period_group.addButton(button)
            self.period_buttons[key] = button
            periods.addWidget(button)
        periods.addStretch(1)
        header.layout().addLayout(periods)  # type: ignore[union-attr]
        layout.addWidget(header)
        scroll, body, column = scrolling_body(self, (24, 6, 24, 24), 14)
        self.empty = QLabel(self.tr("Reading your listening…"), body)
        self.empty.setObjectName("EmptyText")
        self.empty.setWordWrap(True)
        column.addWidget(self.empty)
        self.cards_box = QWidget(body)
        self.cards = FlowLayout(self.cards_box, spacing=10)
        self.values: dict[str, QLabel] = {}
        for key, caption in (
            ("time", self.tr("listened")),
            ("plays", self.tr("plays")),
            ("tracks", self.tr("tracks")),
            ("artists", self.tr("artists")),
            ("first", self.tr("heard for the first time")),
        ):
            self.values[key] = self._card(caption)
        column.addWidget(self.cards_box)
        chart_panel = QFrame(body)
        chart_panel.setObjectName("StatPanel")
        chart_layout = QVBoxLayout(chart_panel)
        chart_layout.setContentsMargins(14, 12, 14, 10)
        heading = QLabel(self.tr("When you listen"), chart_panel)
        heading.setObjectName("StatHeading")
        chart_layout.addWidget(heading)
        self.chart = HourChart(theme, chart_panel)
        chart_layout.addWidget(self.chart)
        self.chart_panel = chart_panel
        column.addWidget(chart_panel)
        lists = QHBoxLayout()
        lists.setSpacing(12)
        self.top_artists = TopList(
            self.tr("Most played artists"), self.tr("Double-click to show the artist"), theme, body
        )
        self.top_albums = TopList(
            self.tr("Most played albums"), self.tr("Double-click to show the album"), theme, body
        )
        self.top_tracks = TopList(
            self.tr("Most played tracks"), self.tr("Double-click to play"), theme, body
        )
        for top in (self.top_artists, self.top_albums, self.top_tracks):
            lists.addWidget(top, 1, Qt.AlignmentFlag.AlignTop)
        self.top_artists.chosen.connect(lambda e: emit(self.artistChosen, e.name))
        self.top_albums.chosen.connect(lambda e: emit(self.albumChosen, e.detail, e.name))
        self.top_tracks.chosen.connect(self.play_entry)
        column.addLayout(lists)
        column.addStretch(1)
        scroll.setWidget(body)
        layout.addWidget(scroll, 1)
        self.period_buttons[self.period].setChecked(True)
        self._show(None)

    def _card(self, caption: str) -> QLabel:
        card = QFrame(self.cards_box)
        card.setObjectName("StatCard")
        card.setMinimumWidth(130)
        box = QVBoxLayout(card)
        box.setContentsMargins(14, 10, 14, 10)
        box.setSpacing(0)
        value = QLabel("–", card)
        value.setObjectName("StatValue")
        note = QLabel(caption, card)
        note.setObjectName("StatCaption")
        box.addWidget(value)
        box.addWidget(note)
        card.setAccessibleName(caption)
        self.cards.addWidget(card)
        return value

    # ---- loading --------------------------------------------------------------------------
    def set_period(self, key: str) -> None:
        if key not in self.period_buttons:
            return
        self.period_buttons[key].setChecked(True)
        if key != self.period:
            self.period = key
            emit(self.periodChanged, key)
        self.reload()

    def reload(self) -> None:
        """Read the figures for the period again (on the task runner)."""
        self._restyle()
        if self._task is not None:
            # a read of this period under way is fresh enough: the page shown and the
            # window's first load of it both ask, and are answered once
            self._again = self._again or self._task_period != self.period
            return
        self._task_period = self.period
        self._task = self.runner.submit(_stats_for, self.db_path, self.period, name="listening")
        self._task.done.connect(self._loaded)

    def _loaded(self, stats: ListeningStats | None, error: Any) -> None:
        self._task = None
        if self._again:
            self._again = False
            self.reload()
            return
        if error is not None:
            self.empty.setText(self.tr("Your listening could not be read: {error}").format(
                error=getattr(error, "short", str(error))
            ))  # fmt: skip
            self.empty.show()
            emit(self.updated)
            return
        self._show(stats)
        emit(self.updated)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.reload()  # plays since the last look

    def _restyle(self) -> None:
        if self._styled_for != self.theme.name:
            self._styled_for = self.theme.name
            self.setStyleSheet(STYLE.safe_substitute(palette(self.theme.name)))

    # ---- showing --------------------------------------------------------------------------
    def _show(self, stats: ListeningStats | None) -> None:
        self.stats = stats
        if stats is not None:  # while the figures are read, the page says what it said
            self.subtitle.setText(
                self.tr(
                    "From what you played on this computer and the listening history you imported"
                )
                if stats.imported
                else self.tr("From what you played on this computer")
            )
        has = stats is not None and not stats.empty
        for widget in (self.cards_box, self.chart_panel):
            widget.setVisible(has)
        if stats is None or not has:
            if stats is not None:
                self.empty.setText(
                    self.tr("Nothing played in this period yet. What you play shows up here.")
                )
            self.empty.show()
            for top in (self.top_artists, self.top_albums, self.top_tracks):
                top.set_entries([])
            return
        self.empty.hide()
        self.values["time"].setText(span_text(stats.minutes))
        self.values["plays"].setText(f"{stats.plays}")
        self.values["tracks"].setText(f"{stats.tracks}")
        self.values["artists"].setText(f"{stats.artists}")
        self.values["first"].setText(f"{stats.first_heard}")
        self.chart.set_minutes(stats.by_hour)
        self.top_artists.set_entries(stats.top_artists)
        self.top_albums.set_entries(stats.top_albums)
        self.top_tracks.set_entries(stats.top_tracks)

    def play_entry(self, entry: Top) -> None:
        """Play a most-played track now."""
        if entry.track_id is None:
            return
        rows = fetch_rows(self.db, [entry.track_id])
        if rows:
            self.bridge.play_items([QueueItem.from_row(rows[0])])
