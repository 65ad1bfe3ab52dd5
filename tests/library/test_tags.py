"""Tests for player.library.tags: reading every format, hostile input, atomic writes.

Files are real audio made by tests.audiogen (ffmpeg or hand-built headers) and
tagged with plain mutagen, so the reader is checked against an independent
writer; write_tags is checked by reading the result back with raw mutagen.
"""

from __future__ import annotations

import base64
import builtins
import os
import random
import shutil
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import mutagen
import mutagen.asf
import mutagen.dsdiff
import mutagen.flac
import mutagen.mp4
import mutagen.wave
import pytest
from mutagen.apev2 import APEv2
from mutagen.id3 import ID3, RVA2, TCON, TPE1, TXXX
from mutagen.oggopus import OggOpus

from player.errors import TagError
from player.library import tags as tags_module
from player.library.tags import AUDIO_EXTENSIONS, read_tags
from player.library.tagwrite import WRITABLE_FIELDS, write_tags
from player.library.track import TrackInfo
from tests.audiogen import (
    FFMPEG_FORMATS,
    FORMATS,
    make_audio,
    requires_ffmpeg,
    tag,
    write_id3v1,
)

SECONDS = 0.5


def _param(fmt: str) -> object:
    return pytest.param(fmt, marks=requires_ffmpeg, id=fmt) if fmt in FFMPEG_FORMATS else fmt


# fmt -> (format, codec, lossless, sample_rate, channels, bit_depth)
STREAM = {
    "mp3": ("MP3", "mp3", False, 44100, 2, None),
    "mp2": ("MP2", "mp2", False, 44100, 2, None),
    "flac": ("FLAC", "flac", True, 44100, 2, 16),
    "ogg": ("Ogg Vorbis", "vorbis", False, 44100, 2, None),
    "opus": ("Opus", "opus", False, 48000, 2, None),
    "spx": ("Speex", "speex", False, 16000, 1, None),
    "oga": ("Ogg FLAC", "flac", True, 44100, 2, 16),
    "m4a": ("MP4", "aac", False, 44100, 2, None),
    "alac": ("MP4", "alac", True, 44100, 2, 16),
    "wav": ("WAV", "pcm", True, 44100, 2, 16),
    "aiff": ("AIFF", "pcm", True, 44100, 2, 16),
    "wv": ("WavPack", "wavpack", True, 44100, 2, 16),
    "tta": ("TTA", "tta", True, 44100, 2, 16),
    "wma": ("ASF", "wma", False, 44100, 2, None),
    "aac": ("AAC", "aac", False, 44100, 2, None),
    "ac3": ("AC-3", "ac3", False, 48000, 2, None),
    "eac3": ("E-AC-3", "eac3", False, 48000, 2, None),
    "ape": ("APE", "ape", True, 44100, 2, 16),
    "mpc": ("Musepack", "musepack", False, 44100, 2, None),
    "tak": ("TAK", "tak", True, 44100, 2, 16),
    "ofr": ("OptimFROG", "optimfrog", True, 44100, 2, 16),
    "dsf": ("DSF", "dsd", True, 2822400, 2, 1),
    "dff": ("DFF", "dsd", True, 2822400, 2, 1),
}
TAGGABLE = [f for f in FORMATS if f not in ("aac", "ac3", "eac3")]
WRITABLE = TAGGABLE  # every taggable format is writable through its family
LOSSLESS_24 = ["flac", "oga", "wav", "aiff", "alac", "wv", "tta", "ape", "tak", "ofr"]

FULL_TAGS: dict[str, object] = {
    "title": "夜空中最亮的星",
    "artists": ["逃跑计划", "Гость"],
    "album": "世界",
    "album_artists": ["逃跑计划"],
    "track_number": 3,
    "track_total": 12,
    "disc_number": 1,
    "disc_total": 2,
    "date": "2011-05-03",
    "original_date": "1999-01-02",
    "genres": ["Rock", "Indie"],
    "composer": "毛川",
    "comment": "great 🎵 song",
    "compilation": True,
    "mb_recording_id": "8f1e5c0a-0000-4000-8000-000000000001",
    "mb_release_id": "8f1e5c0a-0000-4000-8000-000000000002",
    "mb_artist_id": "8f1e5c0a-0000-4000-8000-000000000003",
    "mb_release_group_id": "8f1e5c0a-0000-4000-8000-000000000004",
    "isrc": "CNA0E1100001",
    "rg_track_gain": "-6.50 dB",
    "rg_track_peak": "0.988000",
    "rg_album_gain": "-7.25 dB",
    "rg_album_peak": "1.000000",
    "bpm": "128",
    "initial_key": "F#m",
    "lyrics": "第一行\nsecond line",
}
EXPECTED_FULL = {
    **FULL_TAGS,
    "year": 2011,
    "original_year": 1999,
    "rg_track_gain": -6.5,
    "rg_track_peak": 0.988,
    "rg_album_gain": -7.25,
    "rg_album_peak": 1.0,
    "bpm": 128.0,
    "has_cover": False,
}


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    """Untagged sample files, made once per module on demand (never modify them)."""
    base = tmp_path_factory.mktemp("samples")
    made: dict[tuple, Path] = {}

    def get(fmt: str, **kwargs: object) -> Path:
        key = (fmt, tuple(sorted(kwargs.items())))
        if key not in made:
            target = base / f"{fmt}-{len(made)}{FORMATS[fmt]}"
            made[key] = make_audio(target, fmt, seconds=SECONDS, **kwargs)  # type: ignore[arg-type]
        return made[key]

    return get


@pytest.fixture
def fresh(samples: Callable[..., Path], tmp_path: Path) -> Callable[..., Path]:
    """A private copy of a sample, safe to tag or rewrite."""

    def get(fmt: str, name: str | None = None, **kwargs: object) -> Path:
        target = tmp_path / (name or f"track{FORMATS[fmt]}")
        shutil.copyfile(samples(fmt, **kwargs), target)
        return target

    return get


def _jpeg(size: int) -> bytes:
    return b"\xff\xd8\xff\xe0" + random.Random(size).randbytes(size - 4)


# --- stream properties ---------------------------------------------------------


@pytest.mark.parametrize("fmt", [_param(f) for f in STREAM])
def test_stream_properties(fmt: str, samples: Callable[..., Path]) -> None:
    path = samples(fmt)
    info = read_tags(path)
    fmt_name, codec, lossless, rate, channels, depth = STREAM[fmt]
    assert (info.format, info.codec, info.lossless) == (fmt_name, codec, lossless)
    assert info.sample_rate == rate
    assert info.channels == channels
    assert info.bit_depth == depth
    assert info.duration == pytest.approx(SECONDS, abs=0.1)
    assert info.bitrate > 0
    st = os.stat(path)
    assert (info.size, info.mtime_ns, info.path) == (st.st_size, st.st_mtime_ns, str(path))


@pytest.mark.parametrize("fmt", [_param(f) for f in LOSSLESS_24])
def test_24_bit_lossless(fmt: str, samples: Callable[..., Path]) -> None:
    rate = 96000 if fmt in FFMPEG_FORMATS and fmt != "tta" else 48000
    info = read_tags(samples(fmt, bit_depth=24, sample_rate=rate))
    assert (info.bit_depth, info.sample_rate, info.lossless) == (24, rate, True)


def test_bitrate_computed_from_size_when_stream_has_none(samples: Callable[..., Path]) -> None:
    info = read_tags(samples("tak"))  # mutagen reports 0 for TAK
    assert info.bitrate == int(info.size * 8 / info.duration)


@requires_ffmpeg
def test_wavpack_hybrid_is_lossy(tmp_path: Path, samples: Callable[..., Path]) -> None:
    if shutil.which("wavpack") is None:
        pytest.skip("wavpack command-line encoder not installed")
    wav = samples("wav")
    out = tmp_path / "lossy.wv"
    subprocess.run(["wavpack", "-q", "-b256", "-y", str(wav), "-o", str(out)], check=True,
                   capture_output=True, timeout=60)  # fmt: skip
    info = read_tags(out)
    assert (info.codec, info.lossless, info.bit_depth) == ("wavpack", False, None)


@pytest.mark.parametrize(
    "kind,stream,expected",
    [
        (mutagen.asf.ASF, {"codec_type": "Windows Media Audio 9 Lossless", "codec_name": ""},
         ("ASF", "wma", True)),
        (mutagen.asf.ASF, {"codec_type": "Windows Media Audio 9 Standard", "codec_name": ""},
         ("ASF", "wma", False)),
        (mutagen.dsdiff.DSDIFF, {"compression": "DST", "bits_per_sample": 1}, ("DFF", "dst", True)),
        (mutagen.mp4.MP4, {"codec": "mp4a.6B"}, ("MP4", "mp3", False)),
        (mutagen.mp4.MP4, {"codec": "fLaC", "bits_per_sample": 24}, ("MP4", "flac", True)),
        (mutagen.wave.WAVE, {"audio_format": 7, "bits_per_sample": 8}, ("WAV", "mulaw", False)),
    ],
)  # fmt: skip
def test_codecs_that_cannot_be_generated(
    kind: type, stream: dict[str, object], expected: tuple[str, str, bool]
) -> None:
    """WMA Lossless, DST, MP3-in-MP4 etc. have no encoder here; check the mapping alone."""
    info = TrackInfo(path="x", size=1000)
    si = SimpleNamespace(length=1.0, bitrate=0, sample_rate=44100, channels=2, **stream)
    tags_module._stream(info, kind, si, b"")
    assert (info.format, info.codec, info.lossless) == expected
    assert info.bitrate == 8000  # computed from size / duration
    assert info.bit_depth == (stream.get("bits_per_sample") if expected[2] else None)


def test_audio_extensions_cover_every_generated_format() -> None:
    assert all(e.startswith(".") and e == e.lower() for e in AUDIO_EXTENSIONS)
    assert {FORMATS[f] for f in FORMATS} <= AUDIO_EXTENSIONS
    assert {".opus", ".spx", ".m4b", ".aif", ".wv", ".mp+", ".ofs", ".asf"} <= AUDIO_EXTENSIONS
    assert ".txt" not in AUDIO_EXTENSIONS


@pytest.mark.parametrize(
    "fmt,name,expected",
    [
        pytest.param("flac", "actually-flac.mp3", "FLAC", marks=requires_ffmpeg),
        ("ape", "actually-ape.flac", "APE"),
        ("dsf", "actually-dsf.wv", "DSF"),
    ],
)
def test_detection_sniffs_content_not_extension(
    fmt: str, name: str, expected: str, fresh: Callable[..., Path]
) -> None:
    info = read_tags(fresh(fmt, name=name))
    assert info.format == expected


# --- tags of every family ---------------------------------------------------------


@pytest.mark.parametrize("fmt", [_param(f) for f in TAGGABLE])
def test_every_field_read_from_each_format(fmt: str, fresh: Callable[..., Path]) -> None:
    path = fresh(fmt)
    tag(path, **FULL_TAGS)
    info = read_tags(path).to_dict()
    got = {k: info[k] for k in EXPECTED_FULL}
    assert got == EXPECTED_FULL


@pytest.mark.parametrize(
    "title,artist",
    [
        ("夜空中最亮的星", "逃跑计划"),
        ("千本桜", "初音ミク"),
        ("Группа крови", "Кино"),
        ("🎸 Riff 🔥", "Ünïcødé Bänd"),
    ],
)
@pytest.mark.parametrize("fmt", [_param(f) for f in ("mp3", "flac", "m4a", "wv", "wma", "opus")])
def test_scripts_round_trip(fmt: str, title: str, artist: str, fresh: Callable[..., Path]) -> None:
    path = fresh(fmt)
    tag(path, title=title, artists=[artist])
    info = read_tags(path)
    assert (info.title, info.artists) == (title, [artist])


@requires_ffmpeg
def test_id3v24_multi_values_are_split_and_slashes_kept(fresh: Callable[..., Path]) -> None:
    path = fresh("mp3")
    tag(path, artists=["AC/DC", "Simon & Garfunkel", "Earth, Wind & Fire"], genres=["Rock", "Soul"])
    assert ID3(path).version == (2, 4, 0)
    info = read_tags(path)
    assert info.artists == ["AC/DC", "Simon & Garfunkel", "Earth, Wind & Fire"]
    assert info.genres == ["Rock", "Soul"]


@requires_ffmpeg
def test_id3v23_with_numeric_genre_and_year(fresh: Callable[..., Path]) -> None:
    path = fresh("mp3")
    tag(path, id3_version=3, title="Old school", artists=["A", "B"], date="1987", track_number=7)
    tags = ID3(path)
    tags.add(TCON(encoding=1, text=["(17)"]))
    tags.save(path, v2_version=3, v23_sep=None)
    assert ID3(path).version == (2, 3, 0)
    info = read_tags(path)
    assert (info.title, info.artists, info.year, info.track_number) == (
        "Old school",
        ["A", "B"],
        1987,
        7,
    )
    assert info.genres == ["Rock"]


@requires_ffmpeg
def test_id3v23_slash_joined_artist_is_not_split(fresh: Callable[..., Path]) -> None:
    path = fresh("mp3")
    tags = ID3()
    tags.add(TPE1(encoding=1, text=["AC/DC"]))
    tags.save(path, v2_version=3)
    assert read_tags(path).artists == ["AC/DC"]


@requires_ffmpeg
def test_id3v1_only_latin1(fresh: Callable[..., Path]) -> None:
    path = fresh("mp3")
    write_id3v1(path, title="Café del Mar", artist="Señor", album="Ibiza", year="1994",
                comment="nice", track=5, genre=17)  # fmt: skip
    with pytest.raises(mutagen.id3.ID3NoHeaderError):
        ID3(path, load_v1=False)  # really no ID3v2
    info = read_tags(path)
    assert (info.title, info.artists, info.album) == ("Café del Mar", ["Señor"], "Ibiza")
    assert (info.year, info.track_number, info.genres, info.comment) == (1994, 5, ["Rock"], "nice")


@requires_ffmpeg
def test_id3_txxx_case_variants_and_rva2(fresh: Callable[..., Path]) -> None:
    path = fresh("mp3")
    tags = ID3()
    tags.add(TXXX(encoding=3, desc="replaygain_track_gain", text=["+1.25 dB"]))
    tags.add(TXXX(encoding=3, desc="TOTALTRACKS", text=["11"]))
    tags.add(TXXX(encoding=3, desc="originalyear", text=["1975"]))
    tags.add(RVA2(desc="album", channel=1, gain=-4.5, peak=0.5))
    tags.add(mutagen.id3.TRCK(encoding=3, text=["2"]))
    tags.save(path)
    info = read_tags(path)
    assert info.rg_track_gain == pytest.approx(1.25)
    assert info.rg_album_gain == pytest.approx(-4.5)
    assert info.rg_album_peak == pytest.approx(0.5, abs=0.01)
    assert (info.track_number, info.track_total) == (2, 11)
    assert (info.original_date, info.original_year) == ("1975", 1975)


@requires_ffmpeg
def test_vorbis_key_variants(fresh: Callable[..., Path]) -> None:
    path = fresh("flac")
    audio = mutagen.flac.FLAC(path)
    if audio.tags is None:
        audio.add_tags()
    for key, value in [
        ("tracknumber", "4/10"), ("Album Artist", "Various"), ("DISCNUMBER", "2"),
        ("TOTALDISCS", "3"), ("YEAR", "2004"), ("ORIGINALYEAR", "1970"),
        ("ARTIST", "One"), ("ARTIST", "Two"), ("UNSYNCEDLYRICS", "words"), ("KEY", "Dm"),
        ("COMPILATION", "0"), ("DESCRIPTION", "described"), ("TITLE", "  padded\x00\x00 "),
    ]:  # fmt: skip
        audio.tags.append((key, value))
    audio.save()
    info = read_tags(path)
    assert (info.track_number, info.track_total, info.disc_number, info.disc_total) == (4, 10, 2, 3)
    assert (info.album_artists, info.artists) == (["Various"], ["One", "Two"])
    assert (info.date, info.year, info.original_year) == ("2004", 2004, 1970)
    assert (info.lyrics, info.initial_key, info.compilation) == ("words", "Dm", False)
    assert (info.comment, info.title) == ("described", "padded")


@requires_ffmpeg
def test_opus_r128_gains(fresh: Callable[..., Path]) -> None:
    path = fresh("opus")
    tag(path, r128_track_gain="-1280", r128_album_gain="256")
    info = read_tags(path)
    assert (info.r128_track_gain, info.r128_album_gain) == (-5.0, 1.0)


def test_ape_picard_style_keys(fresh: Callable[..., Path]) -> None:
    path = fresh("ape")
    tags = APEv2()
    tags["MusicBrainz Track Id"] = "rec-id"
    tags["MUSICBRAINZ_ALBUMID"] = "rel-id"
    tags["Artist"] = ["First", "Second"]  # NUL-separated multi-value
    tags["Track"] = "9/14"
    tags.save(path)
    info = read_tags(path)
    assert (info.mb_recording_id, info.mb_release_id) == ("rec-id", "rel-id")
    assert info.artists == ["First", "Second"]
    assert (info.track_number, info.track_total) == (9, 14)


@requires_ffmpeg
@pytest.mark.parametrize("fmt", [pytest.param("mp3", id="mp3"), pytest.param("tta", id="tta")])
def test_apev2_fallback_when_no_id3(fmt: str, fresh: Callable[..., Path]) -> None:
    path = fresh(fmt)
    tags = APEv2()
    tags["Title"] = "From APE"
    tags["REPLAYGAIN_TRACK_GAIN"] = "-2.00 dB"
    tags.save(path)
    info = read_tags(path)
    assert (info.title, info.rg_track_gain) == ("From APE", -2.0)


# --- cover art ----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", [_param(f) for f in ("mp3", "flac", "ogg", "m4a", "wv", "wma")])
def test_big_cover_detected_quickly(fmt: str, fresh: Callable[..., Path]) -> None:
    path = fresh(fmt)
    assert read_tags(path).has_cover is False
    tag(path, title="with art", cover=_jpeg(8 * 1024 * 1024))
    assert path.stat().st_size > 8 * 1024 * 1024
    start = time.perf_counter()
    info = read_tags(path)
    elapsed = time.perf_counter() - start
    assert (info.has_cover, info.title) == (True, "with art")
    assert elapsed < 2.0


# --- file names -----------------------------------------------------------------------


def test_untagged_title_is_file_stem(fresh: Callable[..., Path]) -> None:
    path = fresh("ape", name="01 - Intro (Live).ape")
    info = read_tags(path)
    assert info.title == "01 - Intro (Live)"
    assert info.artists == []


def test_non_utf8_file_name(fresh: Callable[..., Path], tmp_path: Path) -> None:
    src = fresh("ape")
    raw_name = os.fsencode(tmp_path) + b"/caf\xe9 \xff.ape"
    os.rename(src, raw_name)
    info = read_tags(raw_name)  # bytes path
    assert info.title == "caf\ufffd \ufffd"
    info.title.encode("utf-8")  # storable
    assert os.fsencode(info.path) == raw_name  # path still opens the file
    assert read_tags(info.path).duration == pytest.approx(SECONDS, abs=0.01)


def test_long_file_names(fresh: Callable[..., Path], tmp_path: Path) -> None:
    name = "x" * 240 + ".ape"
    path = fresh("ape", name=name)
    assert read_tags(path).title == "x" * 240
    with pytest.raises(TagError) as err:
        read_tags(tmp_path / ("y" * 300 + ".mp3"))
    assert err.value.short == "File name too long"


# --- hostile input ------------------------------------------------------------------------


def _assert_readable(err: TagError) -> None:
    assert str(err) == err.short
    assert 0 < len(err.short) < 160
    assert "Traceback" not in err.detail
    err.short.encode("utf-8")
    err.detail.encode("utf-8")


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.mp3"
    path.touch()
    with pytest.raises(TagError) as err:
        read_tags(path)
    assert err.value.short == "Empty file"
    _assert_readable(err.value)


def test_directory_named_like_audio(tmp_path: Path) -> None:
    (tmp_path / "album.mp3").mkdir()
    with pytest.raises(TagError) as err:
        read_tags(tmp_path / "album.mp3")
    assert err.value.short == "Is a directory"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(TagError) as err:
        read_tags(tmp_path / "gone.flac")
    assert err.value.short == "File not found"
    _assert_readable(err.value)


def test_fifo_does_not_hang(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    os.mkfifo(tmp_path / "pipe.mp3")
    with pytest.raises(TagError) as err:
        read_tags(tmp_path / "pipe.mp3")
    assert err.value.short == "Not a regular file"


def test_permission_denied(fresh: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    path = fresh("ape")
    real_open = builtins.open

    def denied(file: object, *args: object, **kwargs: object) -> object:
        if os.fspath(file) == str(path):  # type: ignore[arg-type]
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(builtins, "open", denied)
    with pytest.raises(TagError) as err:
        read_tags(path)
    assert err.value.short == "Permission denied"


@pytest.mark.parametrize("ext", sorted(AUDIO_EXTENSIONS))
def test_random_bytes_with_audio_extension(ext: str, tmp_path: Path) -> None:
    path = tmp_path / f"noise{ext}"
    path.write_bytes(random.Random(ext).randbytes(40_000))
    with pytest.raises(TagError) as err:
        read_tags(path)
    assert err.value.short.startswith(("Not a recognised audio file", "Truncated or corrupt"))
    _assert_readable(err.value)


@pytest.mark.parametrize("fmt", [_param(f) for f in STREAM])
def test_truncated_header(fmt: str, samples: Callable[..., Path], tmp_path: Path) -> None:
    path = tmp_path / f"cut{FORMATS[fmt]}"
    path.write_bytes(samples(fmt).read_bytes()[:5])  # shorter than any header
    with pytest.raises(TagError) as err:
        read_tags(path)
    assert err.value.short.startswith(("Truncated or corrupt", "Not a recognised audio file"))
    _assert_readable(err.value)


def test_truncated_header_names_the_format(samples: Callable[..., Path], tmp_path: Path) -> None:
    path = tmp_path / "cut.ape"
    path.write_bytes(samples("ape").read_bytes()[:40])
    with pytest.raises(TagError) as err:
        read_tags(path)
    assert err.value.short.startswith("Truncated or corrupt APE header: ")


@pytest.mark.parametrize("fmt", [_param(f) for f in STREAM])
def test_damaged_files_only_raise_tag_error(
    fmt: str, samples: Callable[..., Path], tmp_path: Path
) -> None:
    original = samples(fmt).read_bytes()
    rng = random.Random(fmt)
    path = tmp_path / f"damaged{FORMATS[fmt]}"
    outcomes = set()
    for trial in range(25):
        data = bytearray(original)
        if trial % 4 == 1:
            data = data[: rng.randrange(1, 6)]
        elif trial % 4 == 3:
            data = data[: rng.randrange(6, min(len(data), 3000))]
        else:
            for _ in range(rng.randint(1, 12)):
                data[rng.randrange(min(len(data), 1500))] = rng.randrange(256)
        path.write_bytes(bytes(data))
        start = time.perf_counter()
        try:
            read_tags(path)
            outcomes.add("read")
        except TagError as err:
            _assert_readable(err)
            outcomes.add("error")
        assert time.perf_counter() - start < 2.0
    assert "error" in outcomes  # cut headers must be reported, not half-read


def test_huge_number_of_values_stays_fast(fresh: Callable[..., Path]) -> None:
    path = fresh("ape")
    tags = APEv2()
    tags["Artist"] = [f"artist {i % 5000}" for i in range(60_000)]
    tags["Genre"] = ["Rock"] * 20_000
    tags.save(path)
    start = time.perf_counter()
    info = read_tags(path)
    assert time.perf_counter() - start < 2.0
    assert (len(info.artists), info.genres) == (5000, ["Rock"])


def test_mutagen_surprises_become_tag_errors(
    fresh: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = fresh("ape")

    def broken(*args: object, **kwargs: object) -> None:
        raise AssertionError("internal parser bug")

    monkeypatch.setattr(tags_module, "_apply", broken)
    with pytest.raises(TagError) as err:
        read_tags(path)
    assert err.value.short == "Unreadable tags: internal parser bug"


# --- efficiency ------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", [_param("mp3"), "ape", _param("flac")])
def test_file_opened_once(
    fmt: str, fresh: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = fresh(fmt)
    if fmt == "mp3":  # exercise the APEv2 fallback path too
        ape = APEv2()
        ape["Title"] = "ape on mp3"
        ape.save(path)
    else:
        tag(path, title="t")
    opened: list[str] = []
    real_open = builtins.open

    def counting(file: object, *args: object, **kwargs: object) -> object:
        opened.append(os.fspath(file))  # type: ignore[arg-type]
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(builtins, "open", counting)
    info = read_tags(path)
    monkeypatch.undo()
    assert info.title in ("t", "ape on mp3")
    assert opened.count(str(path)) == 1


@requires_ffmpeg
def test_not_slower_than_plain_mutagen(samples: Callable[..., Path]) -> None:
    files = [samples(f) for f in ("mp3", "flac", "ogg", "m4a", "wv", "opus")] * 25

    def best(fn: Callable[[Path], object]) -> float:
        times = []
        for _ in range(3):
            start = time.perf_counter()
            for f in files:
                fn(f)
            times.append(time.perf_counter() - start)
        return min(times)

    baseline = best(mutagen.File)
    ours = best(read_tags)
    assert ours < baseline * 2.0 + 0.02


# --- writing ------------------------------------------------------------------------------------

WRITE_CHANGES: dict[str, object] = {
    "title": "Новое имя",
    "artists": ["甲", "乙"],
    "album": "Album ✓",
    "album_artists": ["Various"],
    "track_number": 4,
    "track_total": 9,
    "disc_number": 2,
    "disc_total": 3,
    "date": "2020-01-02",
    "original_date": "1990",
    "genres": ["Jazz", "Funk"],
    "composer": "Comp",
    "comment": "c",
    "compilation": True,
    "bpm": 99.0,
    "initial_key": "C#m",
    "isrc": "GB1234567890",
    "lyrics": "la\nla",
    "mb_recording_id": "rec",
    "mb_release_id": "rel",
    "mb_artist_id": "art",
    "mb_release_group_id": "grp",
    "rg_track_gain": -3.21,
    "rg_track_peak": 0.5,
    "rg_album_gain": -4.0,
    "rg_album_peak": 0.75,
}


def _raw_view(path: Path) -> dict[str, object]:
    """Title, artists, track, MusicBrainz recording id and track gain via raw mutagen."""
    audio = mutagen.File(path)
    tags = audio.tags
    if isinstance(tags, ID3):
        ufid = tags.get("UFID:http://musicbrainz.org")
        return {
            "version": tags.version[:2],
            "title": tags["TIT2"].text[0],
            "artists": tags["TPE1"].text,
            "track": tags["TRCK"].text[0],
            "mb": ufid.data.decode() if ufid else None,
            "gain": tags["TXXX:REPLAYGAIN_TRACK_GAIN"].text[0],
        }
    if isinstance(audio, mutagen.mp4.MP4):
        return {
            "title": tags["©nam"][0],
            "artists": tags["©ART"],
            "track": tags["trkn"][0],
            "mb": bytes(tags["----:com.apple.iTunes:MusicBrainz Track Id"][0]).decode(),
            "gain": bytes(tags["----:com.apple.iTunes:replaygain_track_gain"][0]).decode(),
        }
    if isinstance(audio, mutagen.asf.ASF):
        return {
            "title": str(tags["Title"][0]),
            "artists": [str(v) for v in tags["Author"]],
            "track": (str(tags["WM/TrackNumber"][0]), str(tags["TrackTotal"][0])),
            "mb": str(tags["MusicBrainz/Track Id"][0]),
            "gain": str(tags["replaygain_track_gain"][0]),
        }
    if isinstance(tags, APEv2):
        return {
            "title": str(tags["Title"]),
            "artists": list(tags["Artist"]),
            "track": str(tags["Track"]),
            "mb": str(tags["MUSICBRAINZ_TRACKID"]),
            "gain": str(tags["REPLAYGAIN_TRACK_GAIN"]),
        }
    return {  # Vorbis comments
        "title": tags["TITLE"][0],
        "artists": tags["ARTIST"],
        "track": (tags["TRACKNUMBER"][0], tags["TRACKTOTAL"][0]),
        "mb": tags["MUSICBRAINZ_TRACKID"][0],
        "gain": tags["REPLAYGAIN_TRACK_GAIN"][0],
    }


RAW_EXPECTED = {
    "id3": {"version": (2, 4), "track": "4/9"},
    "mp4": {"track": (4, 9)},
    "asf": {"track": ("4", "9")},
    "ape": {"track": "4/9"},
    "vorbis": {"track": ("4", "9")},
}
FAMILY = {
    **dict.fromkeys(["mp3", "mp2", "wav", "aiff", "tta", "dsf", "dff"], "id3"),
    **dict.fromkeys(["flac", "ogg", "opus", "spx", "oga"], "vorbis"),
    **dict.fromkeys(["m4a", "alac"], "mp4"),
    **dict.fromkeys(["wv", "ape", "mpc", "tak", "ofr"], "ape"),
    "wma": "asf",
}


@pytest.mark.parametrize("fmt", [_param(f) for f in WRITABLE])
def test_write_round_trip(fmt: str, fresh: Callable[..., Path]) -> None:
    path = fresh(fmt)
    before = read_tags(path)
    info = write_tags(path, WRITE_CHANGES)
    got = info.to_dict()
    assert {k: got[k] for k in WRITE_CHANGES} == WRITE_CHANGES
    assert read_tags(path).to_dict() == got
    assert (info.duration, info.sample_rate, info.codec) == (
        before.duration, before.sample_rate, before.codec,
    )  # fmt: skip
    raw = _raw_view(path)
    expected = {
        "title": "Новое имя",
        "artists": ["甲", "乙"],
        "mb": "rec",
        "gain": "-3.21 dB",
        **RAW_EXPECTED[FAMILY[fmt]],
    }
    assert raw == expected


@pytest.mark.parametrize("fmt", [_param(f) for f in ("mp3", "flac", "m4a", "wv", "wma", "dsf")])
def test_write_clears_and_keeps(fmt: str, fresh: Callable[..., Path]) -> None:
    path = fresh(fmt)
    tag(path, **FULL_TAGS)
    info = write_tags(path, {"comment": None, "genres": [], "lyrics": "", "compilation": False,
                             "rg_track_gain": None, "mb_recording_id": None})  # fmt: skip
    assert (info.comment, info.genres, info.lyrics, info.compilation) == ("", [], "", False)
    assert (info.rg_track_gain, info.mb_recording_id) == (None, "")
    assert (info.title, info.album, info.rg_album_gain) == ("夜空中最亮的星", "世界", -7.25)
    assert (info.track_number, info.track_total) == (3, 12)


@pytest.mark.parametrize("fmt", [_param(f) for f in ("mp3", "flac", "m4a", "ape")])
def test_write_track_number_keeps_total(fmt: str, fresh: Callable[..., Path]) -> None:
    path = fresh(fmt)
    tag(path, track_number=3, track_total=12, disc_number=1, disc_total=2)
    info = write_tags(path, {"track_number": 5, "disc_total": 4})
    assert (info.track_number, info.track_total, info.disc_number, info.disc_total) == (5, 12, 1, 4)


@requires_ffmpeg
def test_write_removes_alias_keys(fresh: Callable[..., Path]) -> None:
    path = fresh("flac")
    tag(path, title="x")
    audio = mutagen.flac.FLAC(path)
    audio.tags.append(("ALBUM ARTIST", "Old"))
    audio.tags.append(("TOTALTRACKS", "20"))
    audio.save()
    info = write_tags(path, {"album_artists": ["New"], "track_number": 1, "track_total": 2})
    raw = mutagen.flac.FLAC(path).tags
    assert "ALBUM ARTIST" not in raw and "TOTALTRACKS" not in raw
    assert raw["ALBUMARTIST"] == ["New"]
    assert (info.album_artists, info.track_total) == (["New"], 2)


@requires_ffmpeg
def test_write_opus_r128(fresh: Callable[..., Path]) -> None:
    path = fresh("opus")
    info = write_tags(path, {"r128_track_gain": -5.0, "r128_album_gain": 1.5})
    assert OggOpus(path).tags["R128_TRACK_GAIN"] == ["-1280"]
    assert (info.r128_track_gain, info.r128_album_gain) == (-5.0, 1.5)


@requires_ffmpeg
def test_write_apev2_on_mp3_stays_apev2(fresh: Callable[..., Path]) -> None:
    path = fresh("mp3")
    ape = APEv2()
    ape["Title"] = "old"
    ape["Album"] = "kept"
    ape.save(path)
    info = write_tags(path, {"title": "new"})
    assert (info.title, info.album) == ("new", "kept")
    assert str(APEv2(path)["Title"]) == "new"


def test_write_year_alias(fresh: Callable[..., Path]) -> None:
    path = fresh("ape")
    info = write_tags(path, {"year": 1977})
    assert (info.date, info.year) == ("1977", 1977)


@pytest.mark.parametrize("fmt", [_param(f) for f in ("aac", "ac3")])
def test_write_unsupported_format(fmt: str, fresh: Callable[..., Path]) -> None:
    path = fresh(fmt)
    before = path.read_bytes()
    with pytest.raises(TagError) as err:
        write_tags(path, {"title": "x"})
    assert err.value.short == f"Writing tags is not supported for {STREAM[fmt][0]}"
    assert path.read_bytes() == before
    assert os.listdir(path.parent) == [path.name]


@pytest.mark.parametrize(
    "changes,message",
    [
        ({"duration": 3}, "Cannot write field: duration"),
        ({"track_number": "abc"}, "Invalid value for track_number: 'abc'"),
        ({"track_number": -1}, "Invalid value for track_number: -1"),
        ({"bpm": "fast"}, "Invalid value for bpm: 'fast'"),
        ({"rg_track_gain": float("nan")}, "Invalid value for rg_track_gain: nan"),
        ({"r128_track_gain": -3.0}, "R128 gains can only be written to Opus files"),
    ],
)
def test_write_rejects_bad_changes(
    changes: dict[str, object], message: str, fresh: Callable[..., Path]
) -> None:
    path = fresh("ape")
    before = path.read_bytes()
    with pytest.raises(TagError) as err:
        write_tags(path, changes)
    assert err.value.short == message
    assert path.read_bytes() == before
    assert os.listdir(path.parent) == [path.name]


@requires_ffmpeg
def test_write_rejects_unparseable_id3_date(fresh: Callable[..., Path]) -> None:
    path = fresh("mp3")
    with pytest.raises(TagError) as err:
        write_tags(path, {"date": "summer"})
    assert err.value.short == "Invalid date: 'summer'"


def test_write_is_atomic_replace(fresh: Callable[..., Path]) -> None:
    path = fresh("ape")
    path.chmod(0o640)
    inode = path.stat().st_ino
    write_tags(path, {"title": "replaced"})
    st = path.stat()
    assert st.st_ino != inode  # a new file was renamed over the old one
    assert stat.S_IMODE(st.st_mode) == 0o640
    assert os.listdir(path.parent) == [path.name]
    assert str(APEv2(path)["Title"]) == "replaced"


@requires_ffmpeg
def test_crash_mid_write_leaves_original(
    fresh: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = fresh("flac")
    tag(path, title="original")
    before = path.read_bytes()

    def crash(self: object, filething: object = None, **kwargs: object) -> None:
        filething.seek(0)  # type: ignore[attr-defined]
        filething.write(b"garbage" * 100)  # type: ignore[attr-defined]
        filething.truncate()  # type: ignore[attr-defined]
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(mutagen.flac.FLAC, "save", crash)
    with pytest.raises(TagError) as err:
        write_tags(path, {"title": "new"})
    assert "disk on fire" in err.value.short
    assert path.read_bytes() == before
    assert os.listdir(path.parent) == [path.name]


def test_failed_rename_leaves_original(
    fresh: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = fresh("ape")
    before = path.read_bytes()

    def no_replace(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", no_replace)
    with pytest.raises(TagError) as err:
        write_tags(path, {"title": "new"})
    assert err.value.short == "No space left on device"
    assert path.read_bytes() == before
    assert os.listdir(path.parent) == [path.name]


def test_write_through_symlink_keeps_link(fresh: Callable[..., Path], tmp_path: Path) -> None:
    target = fresh("ape")
    link = tmp_path / "link.ape"
    link.symlink_to(target)
    info = write_tags(link, {"title": "via link"})
    assert link.is_symlink()
    assert (info.title, info.path) == ("via link", str(link))
    assert str(APEv2(target)["Title"]) == "via link"


def test_write_missing_file(tmp_path: Path) -> None:
    with pytest.raises(TagError) as err:
        write_tags(tmp_path / "nope.flac", {"title": "x"})
    assert err.value.short == "File not found"


def test_write_cover_is_kept(fresh: Callable[..., Path]) -> None:
    path = fresh("wv") if shutil.which("ffmpeg") else fresh("ape")
    tag(path, cover=_jpeg(4096))
    info = write_tags(path, {"title": "still has art"})
    assert (info.title, info.has_cover) == ("still has art", True)


def test_metadata_block_picture_counts_as_cover(fresh: Callable[..., Path]) -> None:
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg not installed (CI installs it)")
    path = fresh("opus")
    tag(path, cover=_jpeg(1000))
    raw = OggOpus(path).tags["METADATA_BLOCK_PICTURE"][0]
    assert base64.b64decode(raw)[:4] == b"\x00\x00\x00\x03"  # front cover picture block
    assert read_tags(path).has_cover is True


def test_writing_lives_in_tagwrite_only() -> None:
    """tagwrite builds on tags; tags offers no alias back (that was an import cycle)."""
    from player.library import tagwrite

    assert tagwrite.write_tags is write_tags
    assert tagwrite.WRITABLE_FIELDS is WRITABLE_FIELDS
    for name in ("write_tags", "WRITABLE_FIELDS", "no_such_name"):
        with pytest.raises(AttributeError):
            _ = getattr(tags_module, name)


def test_reading_tags_does_not_import_the_writer() -> None:
    code = "import sys, player.library.tags; sys.exit('player.library.tagwrite' in sys.modules)"
    subprocess.run([sys.executable, "-c", code], check=True)
