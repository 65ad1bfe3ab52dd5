"""CUE sheets: parsing, encodings, files on disk and the tracks made from an image."""

from __future__ import annotations

from pathlib import Path

import pytest

from player.errors import PlaylistError
from player.library.cue import (
    CueError,
    cue_tracks,
    decode_text,
    frames_to_ms,
    parse_cue,
    referenced_files,
)
from player.library.track import TrackInfo

SHEET = """\
REM GENRE "Art Rock"
REM DATE 1973
REM DISCID 2F0A1B03
REM COMMENT "ExactAudioCopy v1.6"
REM REPLAYGAIN_ALBUM_GAIN -7.50 dB
REM REPLAYGAIN_ALBUM_PEAK 0.988
PERFORMER "Pink Floyd"
TITLE "The Dark Side of the Moon"
FILE "Dark Side.wav" WAVE
  TRACK 01 AUDIO
    TITLE "Speak to Me"
    INDEX 01 00:00:00
  TRACK 02 AUDIO
    TITLE "Breathe"
    PERFORMER "Pink Floyd feat. Nobody"
    SONGWRITER "Waters"
    ISRC GBAYE7300101
    REM REPLAYGAIN_TRACK_GAIN -6.20 dB
    INDEX 00 01:05:70
    INDEX 01 01:07:37
  TRACK 03 AUDIO
    TITLE "On the Run"
    INDEX 01 03:55:74
"""


def image(path: str, duration: float = 600.0) -> TrackInfo:
    return TrackInfo(
        path=path,
        title="whole image",
        artists=["Image Artist"],
        album="Image Album",
        format="FLAC",
        codec="flac",
        duration=duration,
        bitrate=900_000,
        sample_rate=44100,
        bit_depth=16,
        channels=2,
        lossless=True,
        size=123_456,
        mtime_ns=42,
        has_cover=True,
    )


def test_frames_convert_to_exact_milliseconds() -> None:
    assert frames_to_ms(0) == 0
    assert frames_to_ms(75) == 1000
    assert frames_to_ms(1) == 13  # 13.33 ms
    assert frames_to_ms(2) == 27  # 26.67 ms rounds up
    assert frames_to_ms(3) == 40


def test_parse_sheet_fields_and_index_times() -> None:
    sheet = parse_cue(SHEET)
    assert sheet.title == "The Dark Side of the Moon"
    assert sheet.performer == "Pink Floyd"
    assert sheet.genre == "Art Rock"
    assert sheet.date == "1973"
    assert sheet.rem["DISCID"] == "2F0A1B03"
    assert sheet.rem["COMMENT"] == "ExactAudioCopy v1.6"
    assert [f.name for f in sheet.files] == ["Dark Side.wav"]
    assert sheet.files[0].type == "WAVE"
    assert [t.number for t in sheet.tracks] == [1, 2, 3]
    breathe = sheet.tracks[1]
    assert breathe.title == "Breathe"
    assert breathe.songwriter == "Waters"
    assert breathe.isrc == "GBAYE7300101"
    assert breathe.rem["REPLAYGAIN_TRACK_GAIN"] == "-6.20 dB"
    # 01:07:37 = 67 s + 37 frames = 5062 frames = 67493.33 ms
    assert breathe.indexes[1].frames == 67 * 75 + 37
    assert breathe.start_ms == 67493
    assert breathe.indexes[0].ms == 65 * 1000 + 933  # 70 frames = 933.33 ms
    assert sheet.tracks[2].start_ms == 235 * 1000 + 987  # 74 frames = 986.67 ms
    assert sheet.warnings == []


def test_cue_tracks_split_the_image(tmp_path: Path) -> None:
    cue = tmp_path / "Dark Side.cue"
    cue.write_text(SHEET, encoding="utf-8")
    audio = image(str(tmp_path / "Dark Side.flac"), duration=600.5)
    tracks = cue_tracks(cue, audio)
    assert [t.subtrack for t in tracks] == [1, 2, 3]
    assert [(t.start_ms, t.end_ms) for t in tracks] == [
        (0, 67493),
        (67493, 235987),
        (235987, 600500),
    ]
    assert tracks[0].duration == pytest.approx(67.493)
    assert tracks[2].duration == pytest.approx(364.513)
    first, second, _third = tracks
    assert first.title == "Speak to Me"
    assert first.artists == ["Pink Floyd"]  # falls back to the album performer
    assert second.artists == ["Pink Floyd feat. Nobody"]
    assert second.composer == "Waters"
    assert second.isrc == "GBAYE7300101"
    assert second.rg_track_gain == pytest.approx(-6.2)
    for track in tracks:
        assert track.path == audio.path
        assert track.cue_path == str(cue)
        assert track.album == "The Dark Side of the Moon"
        assert track.album_artists == ["Pink Floyd"]
        assert track.genres == ["Art Rock"]
        assert (track.date, track.year) == ("1973", 1973)
        assert (track.track_total, track.rg_album_gain) == (3, -7.5)
        assert (track.format, track.sample_rate, track.bit_depth) == ("FLAC", 44100, 16)
        assert (track.size, track.mtime_ns, track.lossless) == (123_456, 42, True)
    assert [t.track_number for t in tracks] == [1, 2, 3]


def test_last_track_without_known_duration_has_open_end(tmp_path: Path) -> None:
    cue = tmp_path / "a.cue"
    cue.write_text(SHEET, encoding="utf-8")
    tracks = cue_tracks(cue, image(str(tmp_path / "Dark Side.wav"), duration=0.0))
    assert tracks[-1].end_ms is None
    assert tracks[0].end_ms == 67493


def test_track_starting_after_the_audio_ends_is_an_error(tmp_path: Path) -> None:
    cue = tmp_path / "a.cue"
    cue.write_text(SHEET, encoding="utf-8")
    with pytest.raises(CueError, match="track 03 starts after the end") as info:
        cue_tracks(cue, image(str(tmp_path / "Dark Side.wav"), duration=200.0))
    assert info.value.line == 21  # the TRACK 03 line


GBK_SHEET = """\
REM GENRE 流行
REM DATE 2004
PERFORMER "周杰伦"
TITLE "七里香"
FILE "七里香.flac" WAVE
  TRACK 01 AUDIO
    TITLE "我的地盘"
    INDEX 01 00:00:00
  TRACK 02 AUDIO
    TITLE "七里香"
    INDEX 01 03:45:12
"""


def test_gbk_sheet_with_cjk_titles(tmp_path: Path) -> None:
    cue = tmp_path / "七里香.cue"
    cue.write_bytes(GBK_SHEET.replace("\n", "\r\n").encode("gbk"))
    sheet = parse_cue(cue)
    assert sheet.encoding == "gb18030"
    assert sheet.performer == "周杰伦"
    assert sheet.genre == "流行"
    assert [t.title for t in sheet.tracks] == ["我的地盘", "七里香"]
    (tmp_path / "七里香.flac").write_bytes(b"fLaC")
    assert referenced_files(sheet, cue) == [tmp_path / "七里香.flac"]
    tracks = cue_tracks(cue, image(str(tmp_path / "七里香.flac")))
    assert [t.title for t in tracks] == ["我的地盘", "七里香"]
    assert tracks[1].start_ms == 225160


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ('TITLE "千と千尋の神隠し"\nPERFORMER "久石譲"', "shift_jis"),
        ('TITLE "月亮代表我的心"\nPERFORMER "鄧麗君"', "big5"),
        ('TITLE "사랑해요"\nPERFORMER "아이유"', "cp949"),
        ('PERFORMER "Mötley Crüe"\nTITLE "Café – Ærø"', "cp1252"),
    ],
)
def test_legacy_encodings_are_detected(text: str, encoding: str) -> None:
    decoded, used = decode_text(text.encode(encoding))
    assert decoded == text
    assert used == encoding


def test_utf8_bom_and_utf16_are_read() -> None:
    sheet = parse_cue(("\ufeff" + GBK_SHEET).encode("utf-8"))
    assert sheet.performer == "周杰伦"
    assert sheet.encoding == "utf-8-sig"
    sheet16 = parse_cue(GBK_SHEET.encode("utf-16"))
    assert sheet16.tracks[1].title == "七里香"


MULTI_FILE = """\
PERFORMER "Various"
TITLE "Two Files"
FILE "01 - One.wav" WAVE
  TRACK 01 AUDIO
    TITLE "One"
    INDEX 01 00:00:00
  TRACK 02 AUDIO
    TITLE "One B"
    INDEX 01 02:00:00
  TRACK 03 AUDIO
    TITLE "Two"
    INDEX 00 04:10:20
FILE "02 - Two.wav" WAVE
    INDEX 01 00:00:00
  TRACK 04 AUDIO
    TITLE "Three"
    PERFORMER "Someone"
    INDEX 01 03:00:00
"""


def test_multi_file_sheet_assigns_tracks_by_index_01(tmp_path: Path) -> None:
    cue = tmp_path / "multi.cue"
    cue.write_text(MULTI_FILE, encoding="utf-8")
    sheet = parse_cue(cue)
    assert [f.name for f in sheet.files] == ["01 - One.wav", "02 - Two.wav"]
    assert [t.number for t in sheet.tracks_of(0)] == [1, 2]
    assert [t.number for t in sheet.tracks_of(1)] == [3, 4]
    # the gap before track 3 lies in the first file
    assert sheet.tracks[2].indexes[0].file_index == 0
    # rips are FLAC while the sheet names WAV, with other letter case
    (tmp_path / "01 - one.flac").write_bytes(b"x")
    (tmp_path / "02 - Two.flac").write_bytes(b"x")
    (tmp_path / "02 - Two.log").write_bytes(b"x")
    assert referenced_files(sheet, cue) == [tmp_path / "01 - one.flac", tmp_path / "02 - Two.flac"]
    second = cue_tracks(cue, image(str(tmp_path / "02 - Two.flac"), duration=400))
    assert [(t.subtrack, t.start_ms, t.end_ms) for t in second] == [
        (3, 0, 180000),
        (4, 180000, 400000),
    ]
    assert second[1].artists == ["Someone"]
    assert second[0].track_total == 4
    first = cue_tracks(cue, image(str(tmp_path / "01 - one.flac"), duration=260))
    assert [(t.subtrack, t.end_ms) for t in first] == [(1, 120000), (2, 260000)]


def test_referenced_files_fall_back_to_the_sheets_own_name(tmp_path: Path) -> None:
    cue = tmp_path / "Album.cue"
    cue.write_text(SHEET.replace('"Dark Side.wav"', '"C:\\rips\\CDImage.wav"'), encoding="utf-8")
    (tmp_path / "Album.ape").write_bytes(b"x")
    assert referenced_files(parse_cue(cue), cue) == [tmp_path / "Album.ape"]


def test_missing_file_keeps_its_nominal_path(tmp_path: Path) -> None:
    cue = tmp_path / "x.cue"
    cue.write_text(MULTI_FILE, encoding="utf-8")
    assert referenced_files(parse_cue(cue), cue) == [
        tmp_path / "01 - One.wav",
        tmp_path / "02 - Two.wav",
    ]


def test_cue_tracks_rejects_a_file_the_sheet_does_not_name(tmp_path: Path) -> None:
    cue = tmp_path / "multi.cue"
    cue.write_text(MULTI_FILE, encoding="utf-8")
    with pytest.raises(CueError, match=r"does not reference other\.flac"):
        cue_tracks(cue, image(str(tmp_path / "other.flac")))


def test_unquoted_values_and_unknown_commands() -> None:
    sheet = parse_cue(
        "PERFORMER Some Band\nTITLE Live at Home\nFILE live.flac WAVE\n"
        "  TRACK 1 AUDIO\n  TITLE Opening\n  FOO bar\n  INDEX 1 0:02:00\n"
    )
    assert (sheet.performer, sheet.title) == ("Some Band", "Live at Home")
    assert sheet.files[0].name == "live.flac"
    assert sheet.tracks[0].title == "Opening"
    assert sheet.tracks[0].start_ms == 2000
    assert sheet.warnings == ["line 6: unknown command 'FOO' ignored"]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('TITLE "x"\nTRACK 01 AUDIO\n  INDEX 01 00:00:00\n', 2, "TRACK before any FILE"),
        ('FILE "a.wav" WAVE\n  TRACK 01 AUDIO\n  INDEX 01 00:61:00\n', 3, "bad time"),
        ('FILE "a.wav" WAVE\n  TRACK 01 AUDIO\n  INDEX 01 00:01:75\n', 3, "bad time"),
        ('FILE "a.wav" WAVE\n  TRACK 01 AUDIO\n  INDEX 01 1:2\n', 3, "bad time '1:2'"),
        ('FILE "a.wav" WAVE\n  TRACK xx AUDIO\n', 2, "TRACK needs a number"),
        ('FILE "a.wav" WAVE\n  TRACK 01 AUDIO\n  INDEX 00 00:00:00\n', 2, "no INDEX 01"),
        ('FILE "a.wav" WAVE\n  INDEX 01 00:00:00\n', 2, "INDEX before any TRACK"),
        (
            'FILE "a.wav" WAVE\n TRACK 01 AUDIO\n INDEX 01 01:00:00\n'
            " TRACK 02 AUDIO\n INDEX 01 00:30:00\n",
            4,
            "track 02 starts before",
        ),
        (
            'FILE "a.wav" WAVE\n TRACK 01 AUDIO\n INDEX 01 00:00:00\n'
            " TRACK 01 AUDIO\n INDEX 01 00:30:00\n",
            4,
            "appears twice",
        ),
    ],
)
def test_malformed_sheets_name_the_line(text: str, line: int, message: str) -> None:
    with pytest.raises(CueError, match=message) as info:
        parse_cue(text)
    assert info.value.line == line
    assert f"line {line}" in info.value.short
    assert isinstance(info.value, PlaylistError)


def test_binary_junk_and_empty_sheets_are_refused(tmp_path: Path) -> None:
    junk = tmp_path / "junk.cue"
    junk.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(CueError, match="binary data"):
        parse_cue(junk)
    with pytest.raises(CueError, match="not a CUE sheet"):
        parse_cue("hello there\nthis is prose\n")
    with pytest.raises(CueError, match="no TRACK"):
        parse_cue('TITLE "x"\nPERFORMER "y"\n')
    with pytest.raises(CueError, match="cannot be read"):
        parse_cue(tmp_path / "absent.cue")
