"""The Lyrics tab: synced lines that scroll smoothly, the current line (and word) lit.

Lyrics are found and parsed off the UI thread (:func:`player.library.lyrics.load_lyrics`
prefers a ``.lrc`` next to the file over embedded text). Synced lyrics follow
the playback position; enhanced LRC lights word by word; clicking a line seeks
there. Unsynced lyrics show as plain text, and a track without lyrics gets a
friendly empty state.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QEasingCurve, Qt, QVariantAnimation, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QKeyEvent, QMouseEvent, QPainter, QWheelEvent
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget

from player.audio.queue import QueueItem
from player.library.lyrics import Lyrics, load_lyrics
from player.library.store import reader
from player.ui.kit.bridge import PlayerBridge
from player.ui.kit.qtfix import emit
from player.ui.kit.tasks import TaskRunner
from player.ui.kit.theme import Theme

LINE_GAP = 14
MARGIN = 18


@dataclass
class _Placed:
    """Where one line sits: its top, height and each word's (x, row) after wrapping."""

    top: int
    height: int
    words: list[tuple[str, int, int]]  # text, x, row


def find_lyrics(db_path: str | Path, item: QueueItem) -> Lyrics | None:
    """The lyrics of a queue item: a sidecar .lrc or the library's embedded lyrics."""
    if "://" in item.location:
        return None
    embedded = ""
    if item.track_id is not None:
        embedded = reader(db_path).track_value(item.track_id, "lyrics") or ""
    return load_lyrics(item.location, embedded)


class LyricsView(QWidget):
    """Paints lyrics; ``seekRequested(ms)`` when a synced line is clicked (or chosen with Enter)."""

    seekRequested = Signal(int)

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self.lyrics: Lyrics | None = None
        self.current = -1
        self.word = -1
        self.offset = 0.0
        self._placed: list[_Placed] = []
        self._follow = True
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(self.tr("Lyrics"))
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.font_ = QFont(self.font())
        self.font_.setPointSizeF(12.5)
        self.font_.setBold(True)
        self.anim = QVariantAnimation(self)
        self.anim.setDuration(380)
        self.anim.setEasingCurve(QEasingCurve.Type.OutCubic)
        self.anim.valueChanged.connect(self._scrolled)

    # ---- content -----------------------------------------------------------------
    def set_lyrics(self, lyrics: Lyrics | None) -> None:
        self.lyrics = lyrics
        self.current = self.word = -1
        self.offset = 0.0
        self._follow = True
        self._layout()
        self.setAccessibleDescription(lyrics.text[:2000] if lyrics else "")
        self.update()

    def set_position(self, ms: int) -> None:
        lyrics = self.lyrics
        if lyrics is None or not lyrics.synced:
            return
        line, word = lyrics.word_at(ms)
        if line != self.current:
            self.current, self.word = line, word
            self._follow = True
            self._scroll_to_current()
            self.update()
        elif word != self.word:
            self.word = word
            self.update()

    # ---- geometry ------------------------------------------------------------------
    def _layout(self) -> None:
        """Wrap every line word by word (so single words can be lit) and stack the lines."""
        self._placed = []
        if self.lyrics is None:
            return
        fm = QFontMetrics(self.font_)
        width = max(50, self.width() - 2 * MARGIN)
        row_height = fm.lineSpacing()
        y = self.height() // 3 if self.lyrics.synced else MARGIN
        for line in self.lyrics.lines:
            if line.words:
                tokens = [w.text for w in line.words]
            else:
                parts = (line.text or "♪").split(" ")
                tokens = [p + " " for p in parts[:-1]] + parts[-1:]
            placed: list[tuple[str, int, int]] = []
            x = row = 0
            for token in tokens:
                advance = fm.horizontalAdvance(token)
                if x > 0 and x + fm.horizontalAdvance(token.rstrip()) > width:
                    x, row = 0, row + 1
                placed.append((token, x, row))
                x += advance
            height = (row + 1) * row_height
            self._placed.append(_Placed(y, height, placed))
            y += height + LINE_GAP
        self._content_height = y + self.height() // 2

    def _target_offset(self) -> float:
        if self.current < 0 or self.current >= len(self._placed):
            return 0.0
        placed = self._placed[self.current]
        return max(0.0, placed.top + placed.height / 2 - self.height() * 0.38)

    def _scroll_to_current(self) -> None:
        if not self._follow:
            return
        self.anim.stop()
        self.anim.setStartValue(float(self.offset))
        self.anim.setEndValue(self._target_offset())
        self.anim.start()

    def _scrolled(self, value: object) -> None:
        self.offset = float(value)  # type: ignore[arg-type]
        self.update()

    def resizeEvent(self, event: object) -> None:
        self._layout()
        self.offset = self._target_offset() if self._follow else self.offset

    def line_at_y(self, y: float) -> int:
        pos = y + self.offset
        for i, placed in enumerate(self._placed):
            if placed.top - LINE_GAP / 2 <= pos < placed.top + placed.height + LINE_GAP / 2:
                return i
        return -1

    # ---- painting ---------------------------------------------------------------------
    def paintEvent(self, event: object) -> None:
        if self.lyrics is None:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.setFont(self.font_)
        fm = QFontMetrics(self.font_)
        row_height, ascent = fm.lineSpacing(), fm.ascent()
        synced = self.lyrics.synced
        bright, accent = self.theme.color("text"), self.theme.color("accent")
        upcoming = QColor(self.theme.colors["text_dim"])
        sung = QColor(upcoming)
        sung.setAlphaF(0.55)
        for i, (line, placed) in enumerate(zip(self.lyrics.lines, self._placed, strict=False)):
            top = placed.top - self.offset
            if top + placed.height < 0 or top > self.height():
                continue
            for j, (token, x, row) in enumerate(placed.words):
                if not synced:
                    color = bright
                elif i != self.current:
                    color = upcoming if i > self.current else sung
                elif line.words and self.word >= 0:
                    color = accent if j <= self.word else bright
                else:
                    color = accent
                painter.setPen(color)
                painter.drawText(int(MARGIN + x), int(top + row * row_height + ascent), token)
        painter.end()

    # ---- input ------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        index = self.line_at_y(event.position().y())
        self.seek_to_line(index)

    def seek_to_line(self, index: int) -> None:
        lyrics = self.lyrics
        if lyrics is None or not lyrics.synced or not 0 <= index < len(lyrics.lines):
            return
        time_ms = lyrics.lines[index].time_ms
        if time_ms is not None:
            emit(self.seekRequested, time_ms)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down) and self.lyrics and self.lyrics.synced:
            step = -1 if event.key() == Qt.Key.Key_Up else 1
            self.seek_to_line(max(0, self.current + step))
            return
        super().keyPressEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        self._follow = False
        self.anim.stop()
        limit = max(0.0, getattr(self, "_content_height", 0) - self.height())
        self.offset = min(limit, max(0.0, self.offset - event.angleDelta().y() / 2))
        self.update()


class LyricsPanel(QWidget):
    """The tab: the lyrics view, or an empty state while loading / without lyrics."""

    def __init__(
        self,
        bridge: PlayerBridge,
        db_path: str | Path,
        runner: TaskRunner,
        theme: Theme,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("LyricsPanel")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.bridge, self.db_path, self.runner = bridge, db_path, runner
        self.item: QueueItem | None = None
        self.stack = QStackedWidget(self)
        self.empty = QLabel(self)
        self.empty.setObjectName("LyricsEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.view = LyricsView(theme, self)
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.view)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.view.seekRequested.connect(bridge.seek)
        bridge.trackChanged.connect(self.show_item)
        bridge.positionChanged.connect(lambda pos, _dur: self.view.set_position(pos))
        self.show_item(bridge.playing_item)

    def _empty(self, text: str) -> None:
        self.empty.setText(text)
        self.stack.setCurrentWidget(self.empty)

    def show_item(self, item: QueueItem | None) -> None:
        self.item = item
        self.view.set_lyrics(None)
        if item is None:
            self._empty("♪\n\n" + self.tr("Lyrics appear here while a song plays."))
            return
        self._empty(self.tr("Looking for lyrics…"))
        task = self.runner.submit(find_lyrics, self.db_path, item, name="lyrics")
        task.done.connect(lambda lyrics, error, item=item: self._loaded(item, lyrics, error))

    def _loaded(self, item: QueueItem, lyrics: Lyrics | None, error: object) -> None:
        if item is not self.item:
            return
        if lyrics is None or not lyrics.lines:
            self._empty(
                self.tr(
                    "No lyrics for this song yet.\n\nPut a .lrc file next to it\n(same name) and they will show up here."
                )
            )
            return
        self.view.set_lyrics(lyrics)
        self.view.set_position(self.bridge.controller.position())
        self.stack.setCurrentWidget(self.view)
