"""The Playback page of Settings: output device, bit-perfect output, crossfade and
ReplayGain.

Every control goes through the playback controller, which applies the change
to the engine at once (the playing item's gain is recomputed) and saves the
settings; the page only shows and edits what
:class:`~player.config.AudioSettings` holds.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QWidget

from player.errors import AppError
from player.ui.settings.widgets import SettingsPage, SettingsWindow, Switch, hint


class PlaybackPage(SettingsPage):
    """Output device, bit-perfect output, ReplayGain mode, preamp, fallback gain and
    clipping prevention."""

    def __init__(self, window: SettingsWindow, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Playback"), parent)
        self.window_ = window
        self.bridge = window.bridge
        self.controller = window.bridge.controller
        output = self.add_section(self.tr("Output"))
        self.device = QComboBox(output)
        self.device.setMinimumWidth(260)
        output.add_row(
            self.tr("Output device"),
            self.device,
            self.tr("Where the sound goes. Changing it moves the playing track at once."),
        )
        self.bit_perfect = Switch(self.tr("Bit-perfect"), output)
        output.add_row(
            self.tr("Bit-perfect"),
            self.bit_perfect,
            self.tr(
                "The device gets each track's own samples at its own rate and format. "
                "Volume, ReplayGain and the equalizer are bypassed. From the next track on."
            ),
        )
        self.bit_perfect.setEnabled(self.controller.bit_perfect_supported)
        self.sample_format = QComboBox(output)
        formats = (
            (self.tr("Automatic"), "auto"),
            (self.tr("32-bit float"), "float"),
            (self.tr("32-bit integer"), "32"),
            (self.tr("24-bit integer"), "24"),
            (self.tr("16-bit integer"), "16"),
        )
        for label, key in formats:
            self.sample_format.addItem(label, key)
        output.add_row(
            self.tr("Sample format"),
            self.sample_format,
            self.tr(
                "What the device is given. Automatic asks the device what it takes. "
                "Integers are dithered (TPDF) whenever volume, ReplayGain or the equalizer "
                "changed the signal. From the next track on."
            ),
        )
        self.sample_format.setEnabled(self.controller.bit_perfect_supported)
        self.crossfade = QDoubleSpinBox(output)
        self.crossfade.setRange(0.0, 12.0)
        self.crossfade.setSingleStep(1.0)
        self.crossfade.setDecimals(0)
        self.crossfade.setSuffix(self.tr(" s"))
        self.crossfade.setSpecialValueText(self.tr("Off"))
        self.crossfade.setKeyboardTracking(False)
        output.add_row(
            self.tr("Crossfade"),
            self.crossfade,
            self.tr(
                "Tracks of different albums overlap by this much; an album always plays "
                "gapless. Off in bit-perfect mode."
            ),
        )
        gain = self.add_section(self.tr("Volume levelling (ReplayGain)"))
        self.mode = QComboBox(gain)
        for code, text in (
            ("off", self.tr("Off")),
            ("track", self.tr("Track")),
            ("album", self.tr("Album")),
            ("auto", self.tr("Automatic")),
        ):
            self.mode.addItem(text, code)
        gain.add_row(
            self.tr("Mode"),
            self.mode,
            self.tr("Automatic uses album gain while an album plays in order, else track gain."),
        )
        self.preamp = self._db_box(gain, -15.0, 15.0)
        gain.add_row(
            self.tr("Preamp"), self.preamp, self.tr("Added to every ReplayGain adjustment.")
        )
        self.fallback = self._db_box(gain, -20.0, 10.0)
        gain.add_row(
            self.tr("Gain without tags"),
            self.fallback,
            self.tr("For tracks that have no ReplayGain information."),
        )
        self.clipping = Switch(self.tr("Prevent clipping"), gain)
        gain.add_row(
            self.tr("Prevent clipping"),
            self.clipping,
            self.tr("Lowers the gain where the track's peak would otherwise clip."),
        )
        self.now = hint("", self.widget())
        self.body.addWidget(self.now)
        self.finish()
        self.device.activated.connect(self._device_chosen)
        self.mode.activated.connect(self._mode_chosen)
        self.preamp.valueChanged.connect(self._gain_edited)
        self.fallback.valueChanged.connect(self._gain_edited)
        self.clipping.toggled.connect(self._gain_edited)
        self.bit_perfect.toggled.connect(self.controller.set_bit_perfect)
        self.sample_format.activated.connect(
            lambda i: self.controller.set_sample_format(str(self.sample_format.itemData(i)))
        )
        self.crossfade.valueChanged.connect(self.controller.set_crossfade)
        self.bridge.trackChanged.connect(lambda _item: self._show_now())
        self.reload()

    @staticmethod
    def _db_box(parent: QWidget, low: float, high: float) -> QDoubleSpinBox:
        box = QDoubleSpinBox(parent)
        box.setRange(low, high)
        box.setSingleStep(0.5)
        box.setDecimals(1)
        box.setSuffix(" dB")
        box.setKeyboardTracking(False)
        box.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return box

    def reload(self) -> None:
        audio = self.controller.settings
        widgets = (
            self.device, self.bit_perfect, self.sample_format, self.crossfade, self.mode,
            self.preamp,
            self.fallback, self.clipping,
        )  # fmt: skip
        for widget in widgets:
            widget.blockSignals(True)
        self._fill_devices(audio.output_device)
        index = self.mode.findData(audio.replaygain_mode)
        self.mode.setCurrentIndex(index if index >= 0 else self.mode.findData("auto"))
        self.preamp.setValue(float(audio.replaygain_preamp_db))
        self.fallback.setValue(float(audio.replaygain_fallback_db))
        self.clipping.setChecked(bool(audio.prevent_clipping))
        self.bit_perfect.setChecked(bool(audio.bit_perfect))
        index = self.sample_format.findData(audio.sample_format)
        self.sample_format.setCurrentIndex(max(index, 0))
        self.crossfade.setValue(float(audio.crossfade_s))
        for widget in widgets:
            widget.blockSignals(False)
        self._show_now()

    def _fill_devices(self, current: str) -> None:
        self.device.clear()
        self.device.addItem(self.tr("System default"), "")
        try:
            devices = self.controller.output_devices()
        except AppError as exc:
            devices = []
            self.window_.notice.show_error(exc)
        for device in devices:
            self.device.addItem(device.description or device.id, device.id)
        if current and self.device.findData(current) < 0:
            self.device.addItem(self.tr("{name} (not connected)").format(name=current), current)
        self.device.setCurrentIndex(max(0, self.device.findData(current)))

    def _device_chosen(self, index: int) -> None:
        device_id = str(self.device.itemData(index) or "")
        try:
            self.controller.select_device(device_id or None)
        except AppError as exc:
            self.window_.notice.show_error(exc)
        self.bridge.pump()

    def _mode_chosen(self, index: int) -> None:
        self._apply_gain_settings(mode=str(self.mode.itemData(index)))

    def _gain_edited(self, *_: object) -> None:
        self._apply_gain_settings()

    def _apply_gain_settings(self, mode: str | None = None) -> None:
        """Store preamp, fallback and clipping; setting the mode re-applies the gain and saves."""
        audio = self.controller.settings
        audio.replaygain_preamp_db = float(self.preamp.value())
        audio.replaygain_fallback_db = float(self.fallback.value())
        audio.prevent_clipping = self.clipping.isChecked()
        try:
            self.controller.set_replaygain_mode(mode or audio.replaygain_mode)
        except AppError as exc:
            self.window_.notice.show_error(exc)
        now_playing = getattr(self.window_, "now_playing", None)
        if now_playing is not None:
            now_playing.show_item(now_playing.item)
        self._show_now()

    def _show_now(self) -> None:
        item = self.controller.playing_item
        if item is None or self.controller.settings.replaygain_mode == "off":
            self.now.setText("")
            return
        title = item.title or item.location.rsplit("/", 1)[-1]
        gain = f"{self.controller.gain_db:+.1f}".replace("-", "−")
        self.now.setText(
            self.tr("Now playing “{title}” with {gain} dB.").format(title=title, gain=gain)
        )
