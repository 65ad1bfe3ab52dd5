"""The "Unknown ..." titles of the track listings, translated by the window."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from player.ui.kit import i18n
from player.ui.tracks.sources import category_source, unknown_title


def test_unknown_titles_follow_the_language(qapp: QApplication) -> None:
    try:
        assert i18n.install_translator(qapp, "zh_CN") == "zh_CN"
        assert unknown_title("artist") == "未知艺人"
        source = category_source("genre", "")
        assert (source.title, source.where, source.params) == ("未知流派", "t.genre = ?", ("",))
        assert category_source("folder", "").title == "未知文件夹"
        assert category_source("artist", "Ann").title == "Ann"
        i18n.remove_translators(qapp)
        assert category_source("artist", "").title == "Unknown artist"
    finally:
        i18n.remove_translators(qapp)
