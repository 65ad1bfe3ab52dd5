"""The Lyrics page of Settings: online lookups (LRCLIB), the server, saving ``.lrc``
files and showing translations.

Online lookups are off until the listener turns them on: nothing about a song
leaves the machine unasked. Each change is saved to the settings at once; the
lyrics tab reads them the next time it looks a song up.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QWidget

from player.library.lrclib import DEFAULT_SERVER
from player.ui.settings.widgets import SettingsPage, SettingsWindow, Switch, hint, save_settings


class LyricsPage(SettingsPage):
    """Online lookups switch, server address, "save as .lrc" and the translation switch."""

    def __init__(self, window: SettingsWindow, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Lyrics"), parent)
        self.window_ = window
        self.settings = window.ctx.settings
        online = self.add_section(self.tr("Lyrics online"))
        online.add_widget(
            hint(
                self.tr(
                    "When a song has no lyrics of its own (no .lrc beside it, none in its tags), "
                    "Kindred can ask LRCLIB, a free lyrics database. Only then are the song's "
                    "artist, title, album and length sent. Off until you turn it on."
                ),
                online,
            ),
            top=8,
            bottom=8,
        )
        self.online = Switch(self.tr("Look up missing lyrics online"), online)
        online.add_row(
            self.tr("Look up missing lyrics online"),
            self.online,
            self.tr("Answers are kept in the library, so a song is asked about once."),
        )
        row = QWidget(online)
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        self.server = QLineEdit(row)
        self.server.setAccessibleName(self.tr("Lyrics server address"))
        self.server.setPlaceholderText(DEFAULT_SERVER)
        self.server.setMinimumWidth(240)
        self.apply_button = QPushButton(self.tr("Apply"), row)
        line.addWidget(self.server, 1)
        line.addWidget(self.apply_button)
        online.add_row(
            self.tr("Server"),
            row,
            self.tr("An LRCLIB server; empty means %1.").replace("%1", DEFAULT_SERVER),
        )
        self.save_lrc = Switch(self.tr("Save found lyrics as .lrc files"), online)
        online.add_row(
            self.tr("Save found lyrics as .lrc files"),
            self.save_lrc,
            self.tr(
                "Written beside the song with the same name; an existing file is never replaced."
            ),
        )
        shown = self.add_section(self.tr("Showing lyrics"))
        self.translation = Switch(self.tr("Show translations"), shown)
        shown.add_row(
            self.tr("Show translations"),
            self.translation,
            self.tr(
                "Bilingual lyrics (two lines with the same time) show the second line "
                "under the first. Also in the lyrics tab."
            ),
        )
        self.finish()
        self.online.toggled.connect(lambda on: self._set("lyrics_online", on))
        self.save_lrc.toggled.connect(lambda on: self._set("lyrics_save_lrc", on))
        self.translation.toggled.connect(self._translation_toggled)
        self.apply_button.clicked.connect(self.apply_server)
        self.server.returnPressed.connect(self.apply_server)
        self.reload()

    def reload(self) -> None:
        for switch, value in (
            (self.online, self.settings.lyrics_online),
            (self.save_lrc, self.settings.lyrics_save_lrc),
            (self.translation, self.settings.lyrics_translation),
        ):
            switch.blockSignals(True)
            switch.setChecked(bool(value))
            switch.blockSignals(False)
        server = self.settings.lyrics_server
        self.server.setText("" if server.rstrip("/") == DEFAULT_SERVER else server)
        self._update()

    def _update(self) -> None:
        self.server.setEnabled(self.online.isChecked())
        self.apply_button.setEnabled(self.online.isChecked())
        self.save_lrc.setEnabled(self.online.isChecked())

    def _set(self, name: str, value: object) -> None:
        setattr(self.settings, name, value)
        save_settings(self.window_)
        self._update()

    def _translation_toggled(self, on: bool) -> None:
        panel = getattr(self.window_, "lyrics_panel", None)
        if panel is not None:  # the tab's switch follows (and saves)
            panel.set_translation_shown(on)
        if self.settings.lyrics_translation != on:
            self._set("lyrics_translation", on)

    def apply_server(self) -> None:
        text = self.server.text().strip().rstrip("/")
        if text and "://" not in text:
            text = "https://" + text
            self.server.setText(text)
        self._set("lyrics_server", text or DEFAULT_SERVER)
