"""LRC parsing, the line/word lookup the player polls, and finding a track's lyrics."""

from __future__ import annotations

from pathlib import Path

import pytest

from player.library.lyrics import LyricLine, Lyrics, load_lyrics, parse_lrc, sidecar_path

LRC = """\
[ar:Some Artist]
[ti:Some Song]
[al:Some Album]
[by:someone]
[length: 03:25]

[00:01.00]first line
[00:12.00][01:30.50]chorus
[00:05:50]colon form
[00:20]no fraction
[00:25.5]tenths
[00:30.123]milliseconds
[00:40.00]
"""


def test_stamps_forms_and_multiple_stamps_per_line() -> None:
    lyrics = parse_lrc(LRC)
    assert lyrics.synced
    assert [(line.time_ms, line.text) for line in lyrics.lines] == [
        (1000, "first line"),
        (5500, "colon form"),
        (12000, "chorus"),
        (20000, "no fraction"),
        (25500, "tenths"),
        (30123, "milliseconds"),
        (40000, ""),
        (90500, "chorus"),
    ]
    assert lyrics.metadata == {
        "ar": "Some Artist",
        "ti": "Some Song",
        "al": "Some Album",
        "by": "someone",
        "length": "03:25",
    }
    assert lyrics.warnings == []


@pytest.mark.parametrize(("offset", "expected"), [("+500", 500), ("-250", 1250), ("0", 1000)])
def test_offset_positive_means_earlier(offset: str, expected: int) -> None:
    lyrics = parse_lrc(f"[offset:{offset}]\n[00:01.00]a\n[00:00.20]b\n")
    assert lyrics.offset_ms == int(offset)
    times = {line.text: line.time_ms for line in lyrics.lines}
    assert times["a"] == expected
    assert times["b"] == max(0, 200 - int(offset))


def test_enhanced_words() -> None:
    lyrics = parse_lrc(
        "[00:10.00]<00:10.00>Hel<00:10.40>lo <00:11.00>world<00:12.00>\n"
        "[00:20.00]lead-in <00:21.00>then\n"
    )
    first, second = lyrics.lines
    assert first.text == "Hello world"
    assert [(w.time_ms, w.text) for w in first.words] == [
        (10000, "Hel"),
        (10400, "lo "),
        (11000, "world"),
    ]
    assert [(w.time_ms, w.text) for w in second.words] == [(20000, "lead-in "), (21000, "then")]
    assert lyrics.word_at(9999) == (-1, -1)
    assert lyrics.word_at(10000) == (0, 0)
    assert lyrics.word_at(10399) == (0, 0)
    assert lyrics.word_at(10400) == (0, 1)
    assert lyrics.word_at(15000) == (0, 2)
    assert lyrics.word_at(21500) == (1, 1)


def test_enhanced_words_follow_each_stamp_of_a_repeated_line() -> None:
    lyrics = parse_lrc("[00:10.00][01:00.00]<00:10.00>la <00:10.50>la\n")
    assert [[w.time_ms for w in line.words] for line in lyrics.lines] == [
        [10000, 10500],
        [60000, 60500],
    ]


def test_line_at_boundaries() -> None:
    lyrics = parse_lrc("[00:01.00]a\n[00:02.00]b\n[00:02.00]c\n[00:03.00]d\n")
    assert lyrics.line_at(0) == -1
    assert lyrics.line_at(999) == -1
    assert lyrics.line_at(1000) == 0
    assert lyrics.line_at(1999) == 0
    # two lines at one time: a bilingual file's original and its translation
    assert lyrics.line_at(2000) == 1
    assert (lyrics.lines[1].text, lyrics.lines[1].translation) == ("b", "c")
    assert lyrics.line_at(3000) == 2
    assert lyrics.line_at(10**9) == 2


def test_lines_are_sorted_even_when_built_directly() -> None:
    lyrics = Lyrics([LyricLine(3000, "late"), LyricLine(1000, "early")], synced=True)
    assert [line.text for line in lyrics.lines] == ["early", "late"]
    assert lyrics.line_at(1500) == 0


def test_malformed_lines_become_warnings() -> None:
    lyrics = parse_lrc(
        "[00:01.00]good\n[00:6x.00]bad stamp\n[00:99.00]bad seconds\n"
        "stray text\n[offset:soon]\n[00:02.00]also good\n"
    )
    assert [line.text for line in lyrics.lines] == ["good", "also good"]
    assert any(w.startswith("line 2:") for w in lyrics.warnings)
    assert any(w.startswith("line 3:") for w in lyrics.warnings)
    assert any("line 5: bad offset" in w for w in lyrics.warnings)
    assert any("1 line(s) without a time stamp" in w for w in lyrics.warnings)


def test_unsynced_text_is_kept_as_lines() -> None:
    lyrics = parse_lrc("\n[ti:Plain]\n[Chorus]\nhello\n\nworld\n\n")
    assert not lyrics.synced
    assert [line.text for line in lyrics.lines] == ["[Chorus]", "hello", "", "world"]
    assert all(line.time_ms is None for line in lyrics.lines)
    assert lyrics.metadata == {"ti": "Plain"}
    assert lyrics.line_at(5000) == -1
    assert lyrics.text == "[Chorus]\nhello\n\nworld"


def test_sidecar_is_preferred_over_embedded(tmp_path: Path) -> None:
    audio = tmp_path / "Song.flac"
    audio.write_bytes(b"x")
    assert load_lyrics(audio, "[00:01.00]embedded") is not None
    assert load_lyrics(audio, "[00:01.00]embedded").lines[0].text == "embedded"
    (tmp_path / "Song.lrc").write_text("[00:02.00]sidecar", encoding="utf-8")
    lyrics = load_lyrics(audio, "[00:01.00]embedded")
    assert lyrics is not None
    assert [line.text for line in lyrics.lines] == ["sidecar"]


def test_sidecar_case_variant_and_legacy_encoding(tmp_path: Path) -> None:
    audio = tmp_path / "晴天.mp3"
    audio.write_bytes(b"x")
    (tmp_path / "晴天.LRC").write_bytes("[ti:晴天]\n[00:01.00]故事的小黄花\n".encode("gbk"))
    assert sidecar_path(audio) == tmp_path / "晴天.LRC"
    lyrics = load_lyrics(audio)
    assert lyrics is not None
    assert lyrics.metadata["ti"] == "晴天"
    assert lyrics.lines[0].text == "故事的小黄花"


def test_nothing_found_and_empty_sidecar_falls_back(tmp_path: Path) -> None:
    audio = tmp_path / "a.ogg"
    audio.write_bytes(b"x")
    assert load_lyrics(audio) is None
    assert load_lyrics(audio, "   \n") is None
    (tmp_path / "a.lrc").write_text("[ar:nobody]\n", encoding="utf-8")
    lyrics = load_lyrics(audio, "just words")
    assert lyrics is not None
    assert not lyrics.synced
    assert lyrics.lines[0].text == "just words"
    (tmp_path / "a.lrc").write_bytes(b"\x00\x01\x02garbage")
    assert load_lyrics(audio, "fallback").lines[0].text == "fallback"
