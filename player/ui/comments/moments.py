"""Moments: comments pinned to a position, shown on the seek slider and as they pass.

:class:`MomentMarks` paints a small tick on the seek slider for each moment;
hovering a tick shows its comment, clicking it seeks there. :class:`MomentToast`
surfaces a moment's comment for a few seconds as playback passes it.
:class:`CommentCount` is the comment count on the now-playing bar. All three
only observe: the moments and the count come from the Comments tab's signals,
positions from the bridge.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QHelpEvent, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QLabel,
    QSlider,
    QStyle,
    QStyleOptionSlider,
    QToolButton,
    QToolTip,
    QWidget,
)

from player.ui.comments.card import moment_text
from player.ui.kit.bridge import PlayerBridge
from player.ui.kit.qtfix import emit
from player.ui.kit.theme import Theme

HIT_PX = 5  # a click or hover this close to a tick is about the tick
TOAST_MS = 4500
#: a position jump larger than this is a seek, not playback passing a moment
MAX_STEP_MS = 1500

Moment = tuple[int, str]  # position ms, text


class MomentMarks(QWidget):
    """An overlay on a slider: ticks at moments; ``seekRequested(ms)`` on a tick click."""

    seekRequested = Signal(int)

    def __init__(self, slider: QSlider, theme: Theme) -> None:
        super().__init__(slider)
        self.slider, self.theme = slider, theme
        self.moments: list[Moment] = []
        self.setObjectName("MomentMarks")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground, True)
        slider.installEventFilter(self)
        self.setGeometry(slider.rect())
        self.raise_()

    def set_moments(self, moments: list[Moment]) -> None:
        self.moments = sorted(moments)
        self.update()

    # ---- geometry ---------------------------------------------------------------------
    def _groove(self) -> QRect:
        opt = QStyleOptionSlider()
        self.slider.initStyleOption(opt)
        return self.slider.style().subControlRect(
            QStyle.ComplexControl.CC_Slider, opt, QStyle.SubControl.SC_SliderGroove, self.slider
        )

    def x_of(self, ms: int) -> int | None:
        """The slider x of a position (None while the duration is unknown)."""
        low, high = self.slider.minimum(), self.slider.maximum()
        if high <= low:
            return None
        groove = self._groove()
        width = max(1, groove.width())
        return groove.x() + QStyle.sliderPositionFromValue(
            low, high, min(max(ms, low), high), width
        )

    def moment_at(self, x: int) -> Moment | None:
        best: tuple[int, Moment] | None = None
        for moment in self.moments:
            mx = self.x_of(moment[0])
            if mx is not None and abs(mx - x) <= HIT_PX and (best is None or abs(mx - x) < best[0]):
                best = (abs(mx - x), moment)
        return best[1] if best else None

    # ---- painting and events ---------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.moments:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.theme.color("accent_hi"))
        middle = self.height() // 2
        for ms, _text in self.moments:
            x = self.x_of(ms)
            if x is not None:
                painter.drawRoundedRect(x - 1, middle - 8, 3, 5, 1, 1)
        painter.end()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self.slider:
            return False
        kind = event.type()
        if kind == QEvent.Type.Resize:
            self.setGeometry(self.slider.rect())
        elif kind == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            pos = event.pos()
            moment = self.moment_at(pos.x())
            if moment is not None:
                tip = f"{moment_text(moment[0])} — {moment[1]}"
                QToolTip.showText(event.globalPos(), tip, self.slider)
            else:
                QToolTip.hideText()
            return True
        elif (
            kind == QEvent.Type.MouseButtonPress
            and isinstance(event, QMouseEvent)
            and event.button() == Qt.MouseButton.LeftButton
        ):
            moment = self.moment_at(int(event.position().x()))
            if moment is not None:
                emit(self.seekRequested, moment[0])
                return True
        return False


class MomentToast(QLabel):
    """A small note over the window's bottom edge that shows a moment as it passes."""

    def __init__(
        self, bridge: PlayerBridge, anchor: QWidget, parent: QWidget, above: QWidget | None = None
    ) -> None:
        """Centred over *anchor*, just above *above* (the now-playing bar)."""
        super().__init__(parent)
        self.above = above
        self.setObjectName("MomentToast")
        self.setWordWrap(True)
        self.setMaximumWidth(360)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.anchor = anchor
        self.moments: list[Moment] = []
        self._last = -1
        self.shown: list[Moment] = []  # what surfaced, in order (tests and accessibility)
        self.hide()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TOAST_MS)
        self._timer.timeout.connect(self.hide)
        bridge.positionChanged.connect(self._position)
        bridge.trackChanged.connect(lambda _item: self._reset())

    def set_moments(self, moments: list[Moment]) -> None:
        self.moments = sorted(moments)

    def _reset(self) -> None:
        self._last = -1
        self.hide()

    def _position(self, position: int, _duration: int) -> None:
        last, self._last = self._last, position
        if last < 0 or not 0 < position - last <= MAX_STEP_MS:
            return
        passed = [m for m in self.moments if last < m[0] <= position]
        if passed:
            self.surface(passed[-1])

    def surface(self, moment: Moment) -> None:
        self.shown.append(moment)
        self.setText(f"{moment_text(moment[0])} · {moment[1]}")
        self.adjustSize()
        parent = self.parentWidget()
        if parent is None:
            return
        top_left = self.anchor.mapTo(parent, QPoint(0, 0))
        x = top_left.x() + (self.anchor.width() - self.width()) // 2
        bar = self.anchor.window() if self.above is None else self.above
        y = bar.mapTo(parent, QPoint(0, 0)).y() - self.height() - 10
        self.move(max(8, min(x, parent.width() - self.width() - 8)), max(8, y))
        self.show()
        self.raise_()
        self._timer.start()


class CommentCount(QToolButton):
    """The comment count of the playing track on the now-playing bar; click to open the tab."""

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CommentCount")
        theme.set_icon(self, "comments", "text_dim")
        self.setIconSize(QSize(14, 14))
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(self.tr("Comments on this song"))
        self.set_count(-1)

    def set_count(self, count: int) -> None:
        self.count = count
        self.setText(f"{count:,}" if count >= 0 else "")
        self.setAccessibleName(
            self.tr("%Ln comments", "", count) if count >= 0 else self.tr("Comments")
        )
        self.setVisible(count >= 0)
