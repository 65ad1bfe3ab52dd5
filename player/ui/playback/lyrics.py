"""The Lyrics tab: synced lines that scroll smoothly, the current line (and word) lit.

Lyrics are found and parsed off the UI thread (:func:`player.library.lyrics.load_lyrics`
prefers a ``.lrc`` next to the file over embedded text). Synced lyrics follow
the playback position; enhanced LRC lights word by word; clicking a line seeks
there. Unsynced lyrics show as plain text, and a track without lyrics gets a
friendly empty state. With online lookups on (Settings -> Lyrics), a track
without local lyrics is looked up on LRCLIB
(:func:`player.library.lyrics_online.find_track_lyrics`, cached in the library):
the local lyrics and the cache are read on the shared worker pool, the request
itself goes to two threads of the panel's own (:data:`ONLINE_THREADS`), so a
slow or hanging server never holds the workers that scans and analysis need;
a lookup whose track is no longer shown when its turn comes is not sent.

A bilingual LRC shows each line's translation under it (the bar's
"Translation" switch, remembered in the settings); the bar's offset buttons
shift the lines by half a second and save the offset per track in the library.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from PySide6.QtCore import QEasingCurve, Qt, QTimer, QVariantAnimation, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QKeyEvent, QMouseEvent, QPainter, QWheelEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from player.audio.queue import QueueItem
from player.config import Settings
from player.library import lyrics_cache
from player.library.lyrics import Lyrics
from player.library.lyrics_online import LyricsOptions, TrackLyrics, find_track_lyrics
from player.library.store import reader, thread_db
from player.ui.kit.bridge import PlayerBridge
from player.ui.kit.qtfix import emit
from player.ui.kit.tasks import TaskRunner
from player.ui.kit.theme import Theme

log = logging.getLogger(__name__)

LINE_GAP = 14
MARGIN = 18
#: one press of the offset buttons, in ms
OFFSET_STEP_MS = 500
# the threads of the panel's own pool for online lookups (each may wait 10 s)
ONLINE_THREADS = 2


@dataclass
class _Placed:
    """Where one line sits: its top, height and each word's (x, row) after wrapping."""

    top: int
    height: int
    words: list[tuple[str, int, int]]  # text, x, row
    rows: int = 1  # rows of the line itself; the translation's rows follow
    translation: list[tuple[str, int, int]] = field(default_factory=list)


def options_of(settings: Settings | None) -> LyricsOptions:
    if settings is None:
        return LyricsOptions()
    return LyricsOptions(
        online=bool(settings.lyrics_online),
        server=settings.lyrics_server or LyricsOptions.server,
        save_lrc=bool(settings.lyrics_save_lrc),
    )


def find_lyrics(
    db_path: str | Path, item: QueueItem, options: LyricsOptions | None = None
) -> TrackLyrics:
    """The lyrics of a queue item: a sidecar .lrc, the embedded lyrics, or (when the
    listener allowed it) LRCLIB's, through the library's cache. Runs on a worker."""
    if "://" in item.location:
        return TrackLyrics(None)
    options = options or LyricsOptions()
    db = thread_db(db_path) if options.online else reader(db_path)
    return find_track_lyrics(db, item.location, item.track_id, options=options)


def save_offset(db_path: str | Path, track_id: int, offset_ms: int) -> int:
    """Save a track's lyrics offset (on a worker, with this thread's writer)."""
    return lyrics_cache.set_offset(thread_db(db_path), track_id, offset_ms)


def _tokens(text: str) -> list[str]:
    parts = text.split(" ")
    return [p + " " for p in parts[:-1]] + parts[-1:]


def _wrap(
    tokens: list[str], fm: QFontMetrics, width: int
) -> tuple[list[tuple[str, int, int]], int]:
    """Place tokens left to right, wrapping at *width*; returns them and the rows used."""
    placed: list[tuple[str, int, int]] = []
    x = row = 0
    for token in tokens:
        advance = fm.horizontalAdvance(token)
        if x > 0 and x + fm.horizontalAdvance(token.rstrip()) > width:
            x, row = 0, row + 1
        placed.append((token, x, row))
        x += advance
    return placed, row + 1


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
        #: the listener's offset of this track (ms; positive: lines come earlier)
        self.lyrics_offset_ms = 0
        self.show_translation = True
        self._position = 0
        self._placed: list[_Placed] = []
        self._follow = True
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(self.tr("Lyrics"))
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.font_ = QFont(self.font())
        self.font_.setPointSizeF(12.5)
        self.font_.setBold(True)
        self.translation_font = QFont(self.font())
        self.translation_font.setPointSizeF(10.5)
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

    def set_translation_shown(self, shown: bool) -> None:
        self.show_translation = shown
        self._layout()
        self.offset = self._target_offset() if self._follow else self.offset
        self.update()

    def set_lyrics_offset(self, offset_ms: int) -> None:
        """Shift the lines by the listener's offset and light the line it makes current."""
        self.lyrics_offset_ms = offset_ms
        self.set_position(self._position)

    def set_position(self, ms: int) -> None:
        self._position = ms
        lyrics = self.lyrics
        if lyrics is None or not lyrics.synced:
            return
        line, word = lyrics.word_at(ms + self.lyrics_offset_ms)
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
        small = QFontMetrics(self.translation_font)
        width = max(50, self.width() - 2 * MARGIN)
        row_height = fm.lineSpacing()
        y = self.height() // 3 if self.lyrics.synced else MARGIN
        for line in self.lyrics.lines:
            tokens = [w.text for w in line.words] if line.words else _tokens(line.text or "♪")
            placed, rows = _wrap(tokens, fm, width)
            height = rows * row_height
            translation: list[tuple[str, int, int]] = []
            if self.show_translation and line.translation:
                translation, extra = _wrap(_tokens(line.translation), small, width)
                height += extra * small.lineSpacing() + 2
            self._placed.append(_Placed(y, height, placed, rows, translation))
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
        small = QFontMetrics(self.translation_font)
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
            if placed.translation:
                painter.setFont(self.translation_font)
                painter.setPen(upcoming if synced and i != self.current else bright)
                base = top + placed.rows * row_height + 2 + small.ascent()
                for token, x, row in placed.translation:
                    painter.drawText(int(MARGIN + x), int(base + row * small.lineSpacing()), token)
                painter.setFont(self.font_)
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
    """The tab: the lyrics view (with its bar: translation switch and offset), or an
    empty state while loading / without lyrics."""

    def __init__(
        self,
        bridge: PlayerBridge,
        db_path: str | Path,
        runner: TaskRunner,
        theme: Theme,
        parent: QWidget | None = None,
        *,
        settings: Settings | None = None,
        save_settings: Callable[[], object] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("LyricsPanel")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.bridge, self.db_path, self.runner = bridge, db_path, runner
        self.online_runner = TaskRunner.own_pool(ONLINE_THREADS, self)
        self.settings, self._save_settings = settings, save_settings
        self.item: QueueItem | None = None
        self.found: TrackLyrics | None = None
        self.stack = QStackedWidget(self)
        self.empty = QLabel(self)
        self.empty.setObjectName("LyricsEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.view = LyricsView(theme, self)
        self.view.show_translation = settings.lyrics_translation if settings else True
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.view)
        self.bar = self._make_bar()
        self._pending_offset: tuple[int, int] | None = None
        self._offset_timer = QTimer(self)
        self._offset_timer.setSingleShot(True)
        self._offset_timer.setInterval(300)
        self._offset_timer.timeout.connect(self._save_offset)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.bar)
        self.view.seekRequested.connect(bridge.seek)
        bridge.trackChanged.connect(self.show_item)
        bridge.positionChanged.connect(lambda pos, _dur: self.view.set_position(pos))
        self.show_item(bridge.playing_item)

    def _make_bar(self) -> QWidget:
        bar = QWidget(self)
        bar.setObjectName("LyricsBar")
        row = QHBoxLayout(bar)
        row.setContentsMargins(10, 4, 10, 6)
        row.setSpacing(4)
        self.translation_button = QToolButton(bar)
        self.translation_button.setText(self.tr("Translation"))
        self.translation_button.setCheckable(True)
        self.translation_button.setChecked(self.view.show_translation)
        self.translation_button.setToolTip(
            self.tr("Show the translation under each line (bilingual lyrics)")
        )
        self.translation_button.toggled.connect(self.set_translation_shown)
        self.earlier = QToolButton(bar)
        self.earlier.setText("−")
        self.earlier.setToolTip(self.tr("Lyrics earlier by 0.5 s"))
        self.earlier.setAccessibleName(self.tr("Lyrics earlier"))
        self.later = QToolButton(bar)
        self.later.setText("+")
        self.later.setToolTip(self.tr("Lyrics later by 0.5 s"))
        self.later.setAccessibleName(self.tr("Lyrics later"))
        self.offset_label = QLabel(bar)
        self.offset_label.setObjectName("LyricsOffset")
        self.offset_label.setToolTip(self.tr("This track's lyrics offset, saved in the library"))
        self.origin_label = QLabel(bar)
        self.origin_label.setObjectName("LyricsOrigin")
        self.earlier.clicked.connect(lambda: self.nudge(OFFSET_STEP_MS))
        self.later.clicked.connect(lambda: self.nudge(-OFFSET_STEP_MS))
        row.addWidget(self.translation_button)
        row.addStretch(1)
        row.addWidget(self.origin_label)
        row.addSpacing(8)
        row.addWidget(self.earlier)
        row.addWidget(self.offset_label)
        row.addWidget(self.later)
        bar.hide()
        return bar

    # ---- the bar ----------------------------------------------------------------------------
    def set_translation_shown(self, shown: bool) -> None:
        """Show or hide translations; remembered in the settings."""
        self.translation_button.blockSignals(True)
        self.translation_button.setChecked(shown)
        self.translation_button.blockSignals(False)
        self.view.set_translation_shown(shown)
        if self.settings is not None and self.settings.lyrics_translation != shown:
            self.settings.lyrics_translation = shown
            self._save()

    def _save(self) -> None:
        if self._save_settings is None:
            return
        try:
            self._save_settings()
        except Exception as exc:  # a failed save is logged; the switch still works
            log.warning("cannot save the lyrics settings: %s", exc)

    def nudge(self, delta_ms: int) -> None:
        """Change this track's offset by *delta_ms* (positive: lines come earlier) and save it."""
        self.set_offset(self.view.lyrics_offset_ms + delta_ms)

    def set_offset(self, offset_ms: int) -> None:
        limit = lyrics_cache.MAX_OFFSET_MS
        offset_ms = max(-limit, min(limit, offset_ms))
        self.view.set_lyrics_offset(offset_ms)
        self._show_offset()
        item = self.item
        if item is not None and item.track_id is not None:
            # saved once the clicks stop, so quick presses cannot land out of order
            self._pending_offset = (item.track_id, offset_ms)
            self._offset_timer.start()

    def _save_offset(self) -> None:
        pending, self._pending_offset = self._pending_offset, None
        self._offset_timer.stop()
        if pending is not None:
            self.runner.submit(save_offset, self.db_path, *pending, name="lyrics")

    def _show_offset(self) -> None:
        ms = self.view.lyrics_offset_ms
        # the bar speaks of when the lines come: a positive offset brings them earlier
        seconds = f"{-ms / 1000:+.1f}" if ms else "0.0"
        self.offset_label.setText(self.tr("%1 s").replace("%1", seconds))

    # ---- content -----------------------------------------------------------------------------
    def _empty(self, text: str) -> None:
        self.empty.setText(text)
        self.stack.setCurrentWidget(self.empty)
        self.bar.hide()

    def show_item(self, item: QueueItem | None) -> None:
        self._save_offset()
        self.item = item
        self.found = None
        self.view.set_lyrics(None)
        if item is None:
            self._empty("♪\n\n" + self.tr("Lyrics appear here while a song plays."))
            return
        self._empty(self.tr("Looking for lyrics…"))
        options = options_of(self.settings)
        local = replace(options, online=False)  # the files, the tags and the cache
        task = self.runner.submit(find_lyrics, self.db_path, item, local, name="lyrics")
        task.done.connect(lambda found, error, item=item: self._loaded(item, found, error, options))

    def _look_online(self, item: QueueItem, options: LyricsOptions) -> TrackLyrics | None:
        """On the online pool: ask the server, unless the track is no longer shown."""
        if item is not self.item:
            return None
        return find_lyrics(self.db_path, item, options)

    def close_lookups(self, msecs: int = 12000) -> None:
        """Wait for the online lookups still running (at shutdown), then deliver nothing."""
        self.online_runner.close(msecs)

    def _loaded(
        self,
        item: QueueItem,
        found: TrackLyrics | None,
        error: object,
        online: LyricsOptions | None = None,
    ) -> None:
        if item is not self.item:
            return
        nothing_here = found is not None and found.lyrics is None and found.origin == ""
        if online is not None and online.online and error is None and nothing_here:
            task = self.online_runner.submit(self._look_online, item, online, name="lrclib")
            task.done.connect(lambda f, e, item=item: self._loaded(item, f, e))
            return
        if error is not None:
            log.info("lyrics of %s: %s", item.location, error)
        self.found = found
        lyrics = found.lyrics if found is not None else None
        if found is not None and found.kind == "instrumental":
            self._empty("♪\n\n" + self.tr("An instrumental: no lyrics to sing along."))
            return
        if lyrics is None or not lyrics.lines:
            online = self.settings is not None and self.settings.lyrics_online
            self._empty(
                self.tr("No lyrics found for this song, here or online.")
                if online
                else self.tr(
                    "No lyrics for this song yet.\n\nPut a .lrc file next to it\n(same name) and they will show up here."
                )
            )
            return
        self.view.set_lyrics(lyrics)
        self.view.set_lyrics_offset(found.offset_ms if found else 0)
        self.view.set_position(self.bridge.controller.position())
        self.stack.setCurrentWidget(self.view)
        self.translation_button.setVisible(lyrics.has_translation)
        for widget in (self.earlier, self.later, self.offset_label):
            widget.setVisible(lyrics.synced and item.track_id is not None)
        origins = {"online": self.tr("From LRCLIB"), "cache": self.tr("From LRCLIB")}
        self.origin_label.setText(origins.get(found.origin, "") if found else "")
        self._show_offset()
        self.bar.show()
