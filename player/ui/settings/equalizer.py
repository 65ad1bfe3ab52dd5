"""The Equalizer page of Settings: on/off, the engine's presets, ten bands and a preamp.

A slider changes the sound while it moves (straight to the engine) and the
controller remembers and saves the result shortly after it stops, so dragging
does not write the settings file on every step. Touching a slider turns the
preset into "Custom".
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QSlider, QWidget

from player.audio.engine import EQ_BANDS_HZ, Equalizer
from player.errors import AppError
from player.ui.settings.widgets import SettingsPage, SettingsWindow, Switch

#: libVLC's equalizer range (dB); sliders step in tenths of a dB
LIMIT_DB = 20.0
STEPS_PER_DB = 10
SAVE_DELAY_MS = 300


def band_name(hz: int) -> str:
    return f"{hz // 1000}k" if hz >= 1000 else str(hz)


def db_text(value: float) -> str:
    return f"{value:+.1f}".replace("-", "−") if value else "0.0"


class EqualizerPage(SettingsPage):
    """The equalizer switch, the preset combo and the sliders."""

    def __init__(self, window: SettingsWindow, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Equalizer"), parent)
        self.window_ = window
        self.controller = window.bridge.controller
        try:
            self.presets: dict[str, Equalizer] = self.controller.equalizer_presets()
        except AppError as exc:
            self.presets = {}
            window.notice.show_error(exc)
        card = self.add_section(self.tr("Equalizer"))
        self.enabled = Switch(self.tr("Use the equalizer"), card)
        card.add_row(
            self.tr("Use the equalizer"),
            self.enabled,
            self.tr("Shape the sound with ten bands; off leaves the signal untouched."),
        )
        self.preset = QComboBox(card)
        self.preset.addItem(self.tr("Custom"), "")
        for name in self.presets:
            self.preset.addItem(name, name)
        card.add_row(self.tr("Preset"), self.preset)
        bands_card = self.add_section(self.tr("Bands"))
        grid_host = QWidget(bands_card)
        grid = QGridLayout(grid_host)
        grid.setContentsMargins(0, 14, 0, 12)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(6)
        self.preamp, self.preamp_value = self._slider(grid, 0, self.tr("Preamp"), "Pre")
        spacer = QLabel("", grid_host)
        spacer.setFixedWidth(14)
        grid.addWidget(spacer, 0, 1)
        self.bands: list[QSlider] = []
        self.band_values: list[QLabel] = []
        for index, hz in enumerate(EQ_BANDS_HZ):
            name = self.tr("{hz} Hz").format(hz=hz)
            slider, value = self._slider(grid, index + 2, name, band_name(hz))
            self.bands.append(slider)
            self.band_values.append(value)
        bands_card.add_widget(grid_host)
        self.finish()
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self._remember)
        self.enabled.toggled.connect(self._enabled_toggled)
        self.preset.activated.connect(self._preset_chosen)
        for slider in (self.preamp, *self.bands):
            slider.valueChanged.connect(self._slider_moved)
        self.reload()

    def _slider(self, grid: QGridLayout, column: int, name: str, short: str):
        host = grid.parentWidget()
        value = QLabel("0.0", host)
        value.setObjectName("BandValue")
        value.setAlignment(Qt.AlignmentFlag.AlignCenter)
        value.setMinimumWidth(38)
        slider = QSlider(Qt.Orientation.Vertical, host)
        slider.setRange(int(-LIMIT_DB * STEPS_PER_DB), int(LIMIT_DB * STEPS_PER_DB))
        slider.setSingleStep(5)
        slider.setPageStep(10)
        slider.setAccessibleName(name)
        slider.setToolTip(name)
        label = QLabel(short, host)
        label.setObjectName("BandName")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        grid.addWidget(value, 0, column, Qt.AlignmentFlag.AlignHCenter)
        grid.addWidget(slider, 1, column, Qt.AlignmentFlag.AlignHCenter)
        grid.addWidget(label, 2, column, Qt.AlignmentFlag.AlignHCenter)
        return slider, value

    # ---- showing -----------------------------------------------------------------------
    def reload(self) -> None:
        audio = self.controller.settings
        eq = self.controller.equalizer_from_settings()
        self.enabled.blockSignals(True)
        self.enabled.setChecked(bool(audio.equalizer_enabled))
        self.enabled.blockSignals(False)
        if eq is None:
            bands = tuple(float(b) for b in audio.equalizer_bands)
            eq = Equalizer(
                float(audio.equalizer_preamp_db),
                bands if len(bands) == len(EQ_BANDS_HZ) else Equalizer().bands_db,
                audio.equalizer_preset or None,
            )
        self._show(eq)
        self._show_preset(audio.equalizer_preset or self._preset_matching(eq))
        self._enable_controls()

    def _preset_matching(self, eq: Equalizer) -> str:
        """The preset with exactly these values ("Flat" for all bands at 0), or "" (Custom)."""
        for name, preset in self.presets.items():
            values = (preset.preamp_db, *preset.bands_db)
            if all(
                abs(a - b) < 0.5 / STEPS_PER_DB
                for a, b in zip(values, (eq.preamp_db, *eq.bands_db), strict=True)
            ):
                return name
        return ""

    def _show(self, eq: Equalizer) -> None:
        for slider, value in zip(
            (self.preamp, *self.bands), (eq.preamp_db, *eq.bands_db), strict=True
        ):
            slider.blockSignals(True)
            slider.setValue(round(value * STEPS_PER_DB))
            slider.blockSignals(False)
        self._show_values()

    def _show_values(self) -> None:
        self.preamp_value.setText(db_text(self.preamp.value() / STEPS_PER_DB))
        for slider, label in zip(self.bands, self.band_values, strict=True):
            label.setText(db_text(slider.value() / STEPS_PER_DB))

    def _show_preset(self, name: str) -> None:
        index = self.preset.findData(name or "")
        self.preset.setCurrentIndex(index if index >= 0 else 0)

    def _enable_controls(self) -> None:
        on = self.enabled.isChecked()
        for widget in (self.preset, self.preamp, *self.bands):
            widget.setEnabled(on)

    def current(self) -> Equalizer:
        """The equalizer the sliders show (its preset is the combo's, None for Custom)."""
        return Equalizer(
            self.preamp.value() / STEPS_PER_DB,
            tuple(s.value() / STEPS_PER_DB for s in self.bands),
            str(self.preset.currentData() or "") or None,
        )

    # ---- changing ----------------------------------------------------------------------
    def _enabled_toggled(self, on: bool) -> None:
        self._save_timer.stop()
        self._enable_controls()
        self.controller.set_equalizer(self.current() if on else None)

    def _preset_chosen(self, index: int) -> None:
        name = str(self.preset.itemData(index) or "")
        self._save_timer.stop()
        if not name:  # "Custom": keep the sliders as they are
            self.controller.set_equalizer(self.current())
            return
        try:
            eq = self.controller.set_equalizer_preset(name)
        except AppError as exc:
            self.window_.notice.show_error(exc)
            return
        self._show(eq)

    def _slider_moved(self, _value: int) -> None:
        self._show_values()
        self._show_preset(self._preset_matching(self.current()))
        self.controller.engine.set_equalizer(self.current())  # heard at once
        self._save_timer.start()

    def _remember(self) -> None:
        if self.enabled.isChecked():
            self.controller.set_equalizer(self.current())

    def flush(self) -> None:
        """Save a pending slider change now (the dialog calls this when it closes)."""
        if self._save_timer.isActive():
            self._save_timer.stop()
            self._remember()
