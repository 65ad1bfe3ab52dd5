"""The now-playing bar: cover, what plays (clickable), transport, seek, volume, audio badge.

It only observes the :class:`~player.ui.kit.bridge.PlayerBridge` and sends it
commands; it holds no playback logic. Title, artist and album are buttons that
ask the window to show that artist or album.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QAbstractSlider,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSlider,
    QStyle,
    QStyleOptionSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from player.audio.engine import PlaybackState
from player.audio.queue import QueueItem, RepeatMode, ShuffleMode
from player.library.search import fetch_rows
from player.library.store import LibraryDB
from player.ui.kit.bridge import PlayerBridge
from player.ui.kit.covers import CoverProvider, placeholder, rounded
from player.ui.kit.qtfix import emit
from player.ui.kit.theme import Theme
from player.ui.playback.badge import audio_badge, gain_text
from player.ui.playback.sleep_menu import SleepButton
from player.ui.tracks.columns import duration_text
from player.ui.tracks.ratings import HeartButton

COVER = 60


class SeekSlider(QSlider):
    """A slider that jumps to where it is clicked (not page by page)."""

    def mousePressEvent(self, event: Any) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            opt = QStyleOptionSlider()
            self.initStyleOption(opt)
            groove = self.style().subControlRect(
                QStyle.ComplexControl.CC_Slider, opt, QStyle.SubControl.SC_SliderGroove, self
            )
            value = QStyle.sliderValueFromPosition(
                self.minimum(),
                self.maximum(),
                int(event.position().x()) - groove.x(),
                max(1, groove.width()),
            )
            self.setValue(value)
            self.triggerAction(QAbstractSlider.SliderAction.SliderMove)
        super().mousePressEvent(event)


class NowPlayingBar(QWidget):
    """The bottom bar. ``artistClicked(name)`` / ``albumClicked(album_artist, album)``."""

    artistClicked = Signal(str)
    albumClicked = Signal(str, str)
    radioRequested = Signal(int)  # track id: start a radio from it

    def __init__(
        self,
        bridge: PlayerBridge,
        db: LibraryDB,
        covers: CoverProvider,
        theme: Theme,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("NowPlaying")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.bridge, self.db, self.covers, self.theme = bridge, db, covers, theme
        self.row: dict[str, Any] | None = None
        self.item: QueueItem | None = None
        self._dragging = False
        self.setFixedHeight(92)
        self._build()
        bridge.stateChanged.connect(self._state)
        bridge.positionChanged.connect(self._position)
        bridge.trackChanged.connect(self.show_item)
        bridge.metadataChanged.connect(self._metadata)
        bridge.modesChanged.connect(self._modes)
        bridge.volumeChanged.connect(self._volume_shown)
        covers.ready.connect(self._cover_ready)
        self.show_item(bridge.playing_item)
        self._state(bridge.state)
        self._modes()
        self._volume_shown(bridge.controller.volume)

    # ---- building ----------------------------------------------------------------
    def _button(
        self, icon: str, name: str, tip: str, size: int = 20, checkable: bool = False
    ) -> QToolButton:
        button = QToolButton(self)
        self.theme.set_icon(button, icon, "text_dim" if checkable else "text")
        button.setIconSize(QSize(size, size))
        button.setAccessibleName(name)
        button.setToolTip(tip)
        button.setCheckable(checkable)
        button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        return button

    def _link(self, object_name: str, name: str) -> QToolButton:
        link = QToolButton(self)
        link.setObjectName(object_name)
        link.setAccessibleName(name)
        link.setCursor(Qt.CursorShape.PointingHandCursor)
        link.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        link.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        return link

    def _build(self) -> None:
        outer = QHBoxLayout(self)
        outer.setContentsMargins(16, 10, 20, 10)
        outer.setSpacing(16)
        # left: cover and what plays
        self.cover = QLabel(self)
        self.cover.setObjectName("Cover")
        self.cover.setFixedSize(COVER, COVER)
        self.cover.setAccessibleName(self.tr("Cover art"))
        outer.addWidget(self.cover)
        info = QVBoxLayout()
        info.setSpacing(1)
        self.title = self._link("TitleLink", self.tr("Title of the playing track"))
        self.artist = self._link(
            "LinkButton", self.tr("Artist of the playing track: show the artist")
        )
        self.album = self._link("LinkButton", self.tr("Album of the playing track: show the album"))
        info.addStretch(1)
        for widget in (self.title, self.artist, self.album):
            info.addWidget(widget)
        info.addStretch(1)
        left = QWidget(self)
        left.setLayout(info)
        left.setMinimumWidth(200)
        left.setMaximumWidth(340)
        outer.addWidget(left, 3)
        self.title.clicked.connect(self._album_clicked)
        self.album.clicked.connect(self._album_clicked)
        self.artist.clicked.connect(lambda: emit(self.artistClicked, self._album_artist()))
        # centre: transport and seek
        centre = QVBoxLayout()
        centre.setSpacing(4)
        transport = QHBoxLayout()
        transport.setSpacing(14)
        transport.addStretch(1)
        self.shuffle = self._button(
            "shuffle", self.tr("Shuffle"), self.tr("Shuffle"), 17, checkable=True
        )
        self.prev = self._button(
            "previous", self.tr("Previous track"), self.tr("Previous (Ctrl+Left)"), 18
        )
        self.play = self._button("play", self.tr("Play"), self.tr("Play / pause (Space)"), 22)
        self.play.setObjectName("PlayButton")
        self.play.setFixedSize(44, 44)
        self.next = self._button("next", self.tr("Next track"), self.tr("Next (Ctrl+Right)"), 18)
        self.repeat = self._button(
            "repeat", self.tr("Repeat"), self.tr("Repeat: off / all / one"), 17, checkable=True
        )
        for button in (self.shuffle, self.prev, self.play, self.next, self.repeat):
            transport.addWidget(button)
        transport.addStretch(1)
        centre.addLayout(transport)
        seek_row = QHBoxLayout()
        seek_row.setSpacing(10)
        self.elapsed = QLabel("0:00", self)
        self.elapsed.setObjectName("TimeLabel")
        self.elapsed.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.elapsed.setMinimumWidth(44)
        self.remaining = QLabel("", self)
        self.remaining.setObjectName("TimeLabel")
        self.remaining.setMinimumWidth(44)
        self.seek = SeekSlider(Qt.Orientation.Horizontal, self)
        self.seek.setAccessibleName(self.tr("Position in track"))
        self.seek.setRange(0, 0)
        self.seek.setSingleStep(5000)
        self.seek.setPageStep(30000)
        self.seek.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        seek_row.addWidget(self.elapsed)
        seek_row.addWidget(self.seek, 1)
        seek_row.addWidget(self.remaining)
        centre.addLayout(seek_row)
        outer.addLayout(centre, 5)
        # right: badge and volume
        right = QHBoxLayout()
        right.setSpacing(8)
        right.addStretch(1)
        badges = QVBoxLayout()
        badges.setSpacing(3)
        self.badge = QLabel("", self)
        self.badge.setObjectName("Badge")
        self.badge.setAccessibleName(self.tr("Audio format"))
        self.gain = QLabel("", self)
        self.gain.setObjectName("TimeLabel")
        self.gain.setAccessibleName(self.tr("ReplayGain"))
        badges.addStretch(1)
        badges.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignRight)
        badges.addWidget(self.gain, 0, Qt.AlignmentFlag.AlignRight)
        badges.addStretch(1)
        right.addLayout(badges)
        self.badges = badges  # the comment count joins the badges (player.ui.comments.moments)
        self.radio = self._button(
            "radio", self.tr("Radio from this track"), self.tr("Start a radio from this track"), 18
        )
        self.radio.setEnabled(False)
        self.radio.clicked.connect(self._radio_clicked)
        self.sleep = SleepButton(self.bridge, self.theme, self)
        right.addWidget(self.sleep)
        right.addWidget(self.radio)
        self.heart = HeartButton(self.bridge, self.db, self.theme, self)
        right.addWidget(self.heart)
        self.mute = self._button("volume", self.tr("Mute"), self.tr("Mute"), 18)
        self.volume = QSlider(Qt.Orientation.Horizontal, self)
        self.volume.setRange(0, 100)
        self.volume.setFixedWidth(110)
        self.volume.setAccessibleName(self.tr("Volume"))
        self.volume.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        right.addWidget(self.mute)
        right.addWidget(self.volume)
        outer.addLayout(right, 3)
        # wiring
        self.play.clicked.connect(self.bridge.toggle)
        self.prev.clicked.connect(self.bridge.previous)
        self.next.clicked.connect(self.bridge.next)
        self.shuffle.clicked.connect(self._toggle_shuffle)
        self.repeat.clicked.connect(self._cycle_repeat)
        self.seek.sliderPressed.connect(lambda: setattr(self, "_dragging", True))
        self.seek.sliderReleased.connect(self._seek_released)
        self.seek.actionTriggered.connect(self._seek_action)
        self.volume.valueChanged.connect(self._volume_moved)
        self.mute.clicked.connect(self._toggle_mute)

    # ---- showing -------------------------------------------------------------------
    def show_item(self, item: QueueItem | None) -> None:
        self.item = item
        self.row = None
        if item is not None and item.track_id is not None:
            rows = fetch_rows(self.db, [item.track_id])
            self.row = rows[0] if rows else None
        stream = item is not None and "://" in item.location and self.row is None
        if item is None:
            self.title.setText(self.tr("Nothing playing"))
            self.artist.setText(self.tr("Pick something from your library"))
            self.album.setText("")
        else:
            self.title.setText(_elide(item.title or item.location.rsplit("/", 1)[-1], 42))
            radio = self.tr("Internet radio") if stream else ""
            self.artist.setText(_elide(item.artist or radio, 46))
            self.album.setText(_elide(item.album, 46))
        self.title.setEnabled(item is not None)
        self.artist.setEnabled(bool(item and item.artist))
        self.album.setEnabled(bool(item and item.album))
        self.radio.setEnabled(item is not None and item.track_id is not None)
        self.badge.setText(audio_badge(self.row, stream=stream))
        self.badge.setVisible(bool(self.badge.text()))
        self._show_gain()
        self._show_cover()

    def _show_gain(self) -> None:
        if self.item is None:
            self.gain.setText("")
            return
        controller = self.bridge.controller
        if controller.settings.bit_perfect and controller.bit_perfect_supported:
            self.gain.setText(self.tr("Bit-perfect"))
        else:
            self.gain.setText(
                gain_text(controller.settings.replaygain_mode, controller.gain_db, self.row)
            )
        path = controller.output_path()  # what the device gets, e.g. "bit-perfect · 24/96 → hw:1,0"
        self.badge.setToolTip(path)
        self.gain.setToolTip(path)

    def _show_cover(self) -> None:
        ratio = self.devicePixelRatioF()
        size = int(COVER * ratio)
        path = self.row["path"] if self.row else ""
        pix: QPixmap | None = self.covers.get(path, size) if path else None
        if pix is None:
            label = (self.item.album or self.item.title) if self.item else "♪"
            pix = placeholder(label or "♪", COVER, ratio)
        else:
            pix = QPixmap(pix)
            pix.setDevicePixelRatio(ratio)
        self.cover.setPixmap(rounded(pix, 8))

    def _cover_ready(self, path: str, size: int) -> None:
        if self.row and path == self.row["path"]:
            self._show_cover()

    def _metadata(self, text: str) -> None:
        if text and self.item is not None and self.row is None:
            self.artist.setText(_elide(text, 46))

    def _state(self, state: PlaybackState) -> None:
        playing = state in (PlaybackState.PLAYING, PlaybackState.OPENING, PlaybackState.BUFFERING)
        self.theme.set_icon(self.play, "pause" if playing else "play", "bg")
        self.play.setAccessibleName(self.tr("Pause") if playing else self.tr("Play"))
        self._show_gain()

    def _position(self, position: int, duration: int) -> None:
        if self._dragging:
            return
        self.seek.blockSignals(True)
        self.seek.setRange(0, max(0, duration))
        self.seek.setValue(min(position, duration) if duration else 0)
        self.seek.blockSignals(False)
        self.elapsed.setText(duration_text(position / 1000) or "0:00")
        self.remaining.setText(
            "−" + (duration_text(max(0, duration - position) / 1000) or "0:00") if duration else ""
        )

    def _modes(self) -> None:
        queue = self.bridge.controller.queue
        self.shuffle.setChecked(queue.shuffle is not ShuffleMode.OFF)
        self.repeat.setChecked(queue.repeat is not RepeatMode.OFF)
        one = queue.repeat is RepeatMode.ONE
        self.theme.set_icon(self.repeat, "repeat-one" if one else "repeat", "text_dim")
        names = {
            RepeatMode.OFF: self.tr("Repeat: off"),
            RepeatMode.ALL: self.tr("Repeat: all"),
            RepeatMode.ONE: self.tr("Repeat: one"),
        }
        self.repeat.setAccessibleName(names.get(queue.repeat, f"Repeat: {queue.repeat.value}"))

    def _volume_shown(self, percent: int) -> None:
        self.volume.blockSignals(True)
        self.volume.setValue(percent)
        self.volume.blockSignals(False)
        muted = self.bridge.controller.muted or percent == 0
        self.theme.set_icon(self.mute, "volume-mute" if muted else "volume", "text_dim")

    # ---- acting ----------------------------------------------------------------------
    def _album_artist(self) -> str:
        if self.row:
            return self.row.get("album_artist") or self.row.get("artist") or ""
        return self.item.artist if self.item else ""

    def _album_clicked(self) -> None:
        if self.item and self.item.album:
            emit(self.albumClicked, self._album_artist(), self.item.album)

    def _radio_clicked(self) -> None:
        if self.item is not None and self.item.track_id is not None:
            emit(self.radioRequested, self.item.track_id)

    def _seek_released(self) -> None:
        self._dragging = False
        self.bridge.seek(self.seek.value())

    def _seek_action(self, action: int) -> None:
        if not self._dragging:
            self.bridge.seek(self.seek.sliderPosition())

    def _volume_moved(self, value: int) -> None:
        self.bridge.set_volume(value)

    def _toggle_mute(self) -> None:
        controller = self.bridge.controller
        controller.set_muted(not controller.muted)
        self._volume_shown(controller.volume)

    def _toggle_shuffle(self) -> None:
        queue = self.bridge.controller.queue
        self.bridge.set_shuffle(
            ShuffleMode.OFF if queue.shuffle is not ShuffleMode.OFF else ShuffleMode.TRACKS
        )

    def _cycle_repeat(self) -> None:
        order = [RepeatMode.OFF, RepeatMode.ALL, RepeatMode.ONE]
        queue = self.bridge.controller.queue
        self.bridge.set_repeat(order[(order.index(queue.repeat) + 1) % 3])


def _elide(text: str, limit: int) -> str:
    """Shortened to *limit* characters, with "&" doubled so Qt shows it (not a mnemonic)."""
    short = text if len(text) <= limit else text[: limit - 1] + "…"
    return short.replace("&", "&&")
