"""Reasons are data in the core and words in the window: English for the CLI, any language here."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication

from player.recommend.reasons import Why
from player.ui.foryou.reasons import reason_text
from player.ui.kit import i18n

REASONS = [
    Why("similar", ("timbre", "space"), ("artist", "genre"), "Slow Tide", "Aurora Vale", "liked"),
    Why("similar", (), ("genre",), "Night Drive", "", "seed"),
    Why("similar", ("tempo",), (), "Night Drive", "Neon Harbor", ""),
    Why("similar", (), (), "Night Drive", "Neon Harbor", "finished"),
    Why("favourite", liked=True),
    Why("favourite", times=1),
    Why("favourite", times=3),
    Why("new"),
    Why("library"),
]


@pytest.fixture
def app() -> Iterator[QApplication]:
    from player.ui.main import application

    instance = application()
    yield instance
    i18n.remove_translators(instance)


def test_the_window_words_a_reason_as_the_cli_does(app) -> None:
    worded = [reason_text(why) for why in REASONS]
    english = [why.english() for why in REASONS]
    assert (
        worded[0]
        == english[0]
        == (
            "similar timbre and stereo image to your liked Slow Tide by Aurora Vale; "
            "same artist and genre"
        )
    )
    assert worded[1] == "same genre as your seed Night Drive"
    assert worded[2] == "similar tempo to Night Drive by Neon Harbor"
    assert worded[3] == "sounds close to the finished Night Drive by Neon Harbor"
    assert worded[5] == "a favourite: you finished it once"  # the CLI says "1 time"
    assert worded[6] == english[6] == "a favourite: you finished it 3 times"
    for i in (0, 1, 2, 3, 4, 7, 8):
        assert worded[i] == english[i]


def test_in_chinese_no_english_word_is_left(app) -> None:
    assert i18n.install_translator(app, "zh_CN") == "zh_CN"
    worded = [reason_text(why) for why in REASONS]
    assert worded[0] == "音色、声场与你喜欢的Aurora Vale 的《Slow Tide》相近；同一艺人、流派"
    assert worded[6] == "你的最爱：你完整听过 3 次"
    for text in worded:
        leftover = {w for w in text.replace("Aurora Vale", "").replace("Neon Harbor", "")
                    .replace("Slow Tide", "").replace("Night Drive", "").split() if w.isascii()
                    and w.isalpha()}  # fmt: skip
        assert not leftover, text


#: the reasons of a mix with nothing played yet (:mod:`player.recommend.fresh`)
FRESH = [
    Why("album", album="Night Drive", ref_artist="Neon Harbor"),
    Why("album", album="Night Drive"),
    Why("artist", ref_artist="Neon Harbor"),
    Why("genre", genre="Synthwave", decade=1980),
    Why("genre", decade=1990),
    Why("similar", ("tempo",), ("genre",), "Night Drive", "Neon Harbor", "mix"),
]


def test_a_new_librarys_reasons_in_english_and_chinese(app) -> None:
    worded = [reason_text(why) for why in FRESH]
    assert worded == [why.english() for why in FRESH]
    assert worded == [
        "from Night Drive by Neon Harbor, an album you have not opened yet",
        "from Night Drive, an album you have not opened yet",
        "Neon Harbor, an artist you have not played yet",
        "Synthwave from the 1980s",
        "from the 1990s",
        "similar tempo to Night Drive by Neon Harbor (also in this mix); same genre",
    ]
    assert i18n.install_translator(app, "zh_CN") == "zh_CN"
    chinese = [reason_text(why) for why in FRESH]
    assert chinese[3] == "1980 年代的Synthwave"
    for text in chinese:
        rest = text.replace("Neon Harbor", "").replace("Night Drive", "").replace("Synthwave", "")
        assert not {w for w in rest.split() if w.isascii() and w.isalpha()}, text
