from __future__ import annotations

import pytest

from player.songid import normalize_artist, normalize_title, song_key


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Yesterday (Remastered 2009)", "yesterday"),
        ("Hey Jude - Remastered 2015", "hey jude"),
        ("Song (feat. Someone Else)", "song"),
        ("Song [2011 Remaster]", "song"),
        ("  Ｆｕｌｌ　Ｗｉｄｔｈ  ", "full width"),
        ("夜空中最亮的星", "夜空中最亮的星"),
        ("Ünïcödé", "ünïcödé"),
    ],
)
def test_title_normalisation(raw: str, expected: str) -> None:
    assert normalize_title(raw) == expected


def test_artist_drops_featured_credits_and_keeps_script() -> None:
    assert normalize_artist("Daft Punk feat. Pharrell Williams") == "daft punk"
    assert normalize_artist("逃跑计划") == "逃跑计划"
    assert normalize_artist("Björk") == "björk"


def test_song_key_matches_across_files_of_one_recording() -> None:
    a = song_key("The Beatles", "Yesterday", 125.4)
    b = song_key("THE BEATLES", "Yesterday (Remastered 2009)", 126.1)
    assert a == b
    assert song_key("The Beatles", "Yesterday", 200) != a
    assert song_key("", "Yesterday", 125) == ""
