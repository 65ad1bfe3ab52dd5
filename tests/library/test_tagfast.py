"""The lean ID3 reader (player.library.tagfast) gives exactly mutagen's track.

Every case reads a file twice, ``read_tags(path)`` (lean where it applies) and
``read_tags(path, lean=False)`` (mutagen alone), and compares every TrackInfo
field, or the TagError when the file cannot be read. Files are real MP3s made by
tests.audiogen and tagged with plain mutagen or built frame by frame, so tricky
tags (ID3v2.3 and 2.4, every text encoding, TXXX, COMM/USLT descriptions,
numeric genres, v2.3 dates, junk frames, iTunes' non-synchsafe sizes) are
covered. Cases the lean reader hands to mutagen are checked to be handed over.
Durations are compared exactly: both paths read the stream with mutagen's
MPEGInfo, so there is no tolerance to justify.
"""

from __future__ import annotations

import random
import shutil
import struct
from collections.abc import Callable
from pathlib import Path

import mutagen
import pytest
from mutagen import id3
from mutagen.id3 import ID3

from player.errors import TagError
from player.library import tagfast
from player.library.tags import read_tags
from tests.audiogen import FORMATS, make_audio, requires_ffmpeg, tag, write_id3v1
from tests.library.test_tags import FULL_TAGS

pytestmark = requires_ffmpeg

FULL = {**FULL_TAGS, "artists": ["逃跑计划", "Гость", "AC/DC"]}  # a slash in a name too


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_audio(tmp_path_factory.mktemp("lean") / "base.mp3", "mp3", seconds=0.5)


@pytest.fixture
def fresh(sample: Path, tmp_path: Path) -> Callable[..., Path]:
    count = iter(range(10_000))

    def get(name: str = "") -> Path:
        target = tmp_path / f"{name or 'track'}-{next(count)}.mp3"
        shutil.copyfile(sample, target)
        return target

    return get


def _outcome(path: Path, lean: bool) -> object:
    try:
        return read_tags(path, lean=lean).to_dict()
    except TagError as err:
        return ("error", err.short, str(err))


def _lean_used(path: Path) -> bool:
    with open(path, "rb") as handle:
        return tagfast.read_id3(handle, handle.read(128)) is not None


def assert_same(path: Path, *, lean: bool | None = True) -> dict:
    """Both readings agree; *lean* says whether the lean reader must take the file."""
    got, want = _outcome(path, True), _outcome(path, False)
    assert got == want
    if lean is not None:
        assert _lean_used(path) is lean
    return got  # type: ignore[return-value]


def _frames(path: Path, version: int, frames: list[tuple[bytes, bytes]], flags: int = 0) -> None:
    """Replace *path*'s ID3v2 tag by hand-built frames ((id, payload), frame flags 0)."""
    body = b""
    for fid, payload in frames:
        size = len(payload)
        if version == 4:
            size = (
                (size & 0x7F)
                | (size & 0x3F80) << 1
                | (size & 0x1FC000) << 2
                | (size & 0xFE00000) << 3
            )
        body += fid + struct.pack(">LH", size, 0) + payload
    body += b"\x00" * 64
    n = len(body)
    synchsafe = bytes([(n >> 21) & 0x7F, (n >> 14) & 0x7F, (n >> 7) & 0x7F, n & 0x7F])
    audio = path.read_bytes()
    if audio.startswith(b"ID3"):
        old = audio[6:10]
        audio = audio[10 + (old[0] << 21 | old[1] << 14 | old[2] << 7 | old[3]) :]
    path.write_bytes(b"ID3" + bytes([version, 0, flags]) + synchsafe + body + audio)


@pytest.mark.parametrize("version", [3, 4])
def test_every_field_both_versions(version: int, fresh: Callable[..., Path]) -> None:
    path = fresh()
    tag(path, id3_version=version, **FULL)
    tags = ID3(path)
    tags.add(id3.APIC(encoding=3, mime="image/jpeg", type=3, desc="front", data=b"\xff\xd8" * 40))
    tags.add(id3.TSOP(encoding=1, text=["Taopao Jihua", "Guest"]))
    tags.add(id3.TSO2(encoding=1, text=["Taopao"]))
    tags.add(id3.TSOC(encoding=3, text=["Mao"]))
    tags.add(id3.TSOA(encoding=3, text=["Shijie"]))
    tags.save(path, v2_version=version, v23_sep=None)
    info = assert_same(path)
    assert info["title"] == FULL["title"] and info["has_cover"]
    assert info["artists"] == FULL["artists"] and info["genres"] == ["Rock", "Indie"]
    assert info["rg_album_gain"] == -7.25 and info["mb_release_group_id"].endswith("4")


def test_bench_style_easy_tags(fresh: Callable[..., Path]) -> None:
    """How bench/scan.py tags its corpus (EasyID3)."""
    from mutagen.easyid3 import EasyID3

    path = fresh()
    easy = EasyID3()
    easy.update({"title": "晴天 7", "artist": "周杰伦", "album": "Gold Album 3", "genre": "Pop"})
    easy.update({"date": "1999", "tracknumber": "7"})
    easy.save(path)
    assert assert_same(path)["year"] == 1999


@pytest.mark.parametrize("encoding", [0, 1, 2, 3])
def test_text_encodings(encoding: int, fresh: Callable[..., Path]) -> None:
    path = fresh()
    text = "Café del Mar" if encoding == 0 else "宇多田ヒカル — First Love"
    tags = ID3()
    tags.add(id3.TIT2(encoding=encoding, text=[text]))
    tags.add(id3.TPE1(encoding=encoding, text=[text, "Second"]))
    tags.add(id3.TXXX(encoding=encoding, desc="MusicBrainz Album Id", text=["abc"]))
    tags.add(id3.COMM(encoding=encoding, lang="jpn", desc="", text=[text]))
    tags.add(id3.USLT(encoding=encoding, lang="jpn", desc="x", text=text))
    tags.save(path, v2_version=4)
    info = assert_same(path)
    assert (info["title"], info["artists"], info["mb_release_id"]) == (
        text,
        [text, "Second"],
        "abc",
    )


def test_genres_dates_and_numbers_v23(fresh: Callable[..., Path]) -> None:
    path = fresh()
    _frames(
        path,
        3,
        [
            (b"TIT2", b"\x00Old school"),
            (b"TCON", b"\x00(17)(RX)(CR)Indie\x00(255)"),
            (b"TYER", b"\x001987"),
            (b"TDAT", b"\x000305"),
            (b"TIME", b"\x001230"),
            (b"TORY", b"\x001977"),
            (b"TRCK", b"\x00 7/12 \x00\x00"),
            (b"TPOS", b"\x002/2"),
            (b"TCMP", b"\x001"),
            (b"TBPM", b"\x00 99.5"),
            (b"TPE1", b"\x01\xff\xfeA\x00/\x00B\x00\x00\x00\xff\xfeC\x00"),
        ],
    )
    info = assert_same(path)
    assert (info["date"], info["original_date"], info["track_total"]) == (
        "1987-05-03 12:30:00",
        "1977",
        12,
    )
    assert info["genres"][0] == "Rock" and info["artists"] == ["A/B", "C"]


def test_v24_with_v23_date_frames_and_iso_stamps(fresh: Callable[..., Path]) -> None:
    path = fresh()
    _frames(
        path,
        4,
        [
            (b"TYER", b"\x001990"),
            (b"TDRL", b"\x032001-3-4T10"),
            (b"TDOR", b"\x03 1999/01\x002000"),
            (b"TCON", b"\x0313\x00Jazz"),
        ],
    )
    info = assert_same(path)
    assert info["date"] == "1990" and info["genres"] == ["Pop", "Jazz"]


def test_txxx_comm_ufid_rva2_and_descriptions(fresh: Callable[..., Path]) -> None:
    path = fresh()
    tags = ID3()
    tags.add(id3.TXXX(encoding=3, desc="replaygain_track_gain", text=["+1.25 dB"]))
    tags.add(id3.TXXX(encoding=3, desc="REPLAYGAIN_TRACK_GAIN", text=["-3 dB"]))
    tags.add(id3.TXXX(encoding=3, desc="TOTALTRACKS", text=["11"]))
    tags.add(id3.TXXX(encoding=1, desc="MusicBrainz Artist Id", text=["a1", "a2"]))
    tags.add(id3.TXXX(encoding=3, desc="unknown thing", text=["x"]))
    tags.add(id3.COMM(encoding=3, lang="eng", desc="iTunNORM", text=[" 0000"]))
    tags.add(id3.COMM(encoding=3, lang="eng", desc="ID3v1 Comment", text=["v1"]))
    tags.add(id3.COMM(encoding=3, lang="deu", desc="", text=["plain", "second"]))
    tags.add(id3.UFID(owner="http://musicbrainz.org", data=b"rec-id"))
    tags.add(id3.UFID(owner="other", data=b"nope"))
    tags.add(id3.RVA2(desc="album", channel=1, gain=-4.5, peak=0.5))
    tags.add(id3.RVA2(desc="track", channel=2, gain=2.0, peak=0.1))
    tags.add(id3.TRCK(encoding=3, text=["2"]))
    tags.save(path)
    info = assert_same(path)
    assert (info["comment"], info["mb_recording_id"], info["track_total"]) == (
        "plain",
        "rec-id",
        11,
    )


def test_big_frames_and_itunes_plain_integer_sizes(fresh: Callable[..., Path]) -> None:
    path = fresh()
    lyrics = "la " * 400
    tags = ID3()
    tags.add(id3.TIT2(encoding=3, text=["big"]))
    tags.add(id3.USLT(encoding=3, lang="eng", desc="", text=lyrics))
    tags.add(id3.APIC(encoding=0, mime="image/png", type=3, desc="", data=b"\x89PNG" * 3000))
    tags.save(path)
    assert assert_same(path)["lyrics"] == lyrics.strip()
    # iTunes once wrote v2.4 frame sizes as plain integers
    payload = b"\x00" + b"t" * 300
    audio = path.read_bytes()
    body = b"TIT2" + struct.pack(">LH", len(payload), 0) + payload + b"\x00" * 32
    n = len(body)
    size = bytes([(n >> 21) & 0x7F, (n >> 14) & 0x7F, (n >> 7) & 0x7F, n & 0x7F])
    old = audio[6:10]
    rest = audio[10 + (old[0] << 21 | old[1] << 14 | old[2] << 7 | old[3]) :]
    path.write_bytes(b"ID3\x04\x00\x00" + size + body + rest)
    assert assert_same(path)["title"] == "t" * 300


def test_junk_frames_are_dropped_like_mutagen(fresh: Callable[..., Path]) -> None:
    path = fresh()
    _frames(
        path,
        4,
        [
            (b"TIT2", b"\x07bad encoding"),
            (b"TPE1", b"\x03\xff\xfe not utf-8"),
            (b"TALB", b"\x03"),
            (b"TXXX", b"\x03desc only"),
            (b"COMM", b"\x03en"),
            (b"COMM", b"\x03\xe9ng\x00text"),
            (b"USLT", b"\x03eng\x00"),
            (b"APIC", b"\x00image/png"),
            (b"TCOM", b"\x01\xff"),
            (b"TPE2", b"\x00Album Artist"),
        ],
    )
    info = assert_same(path)
    assert (info["title"], info["album_artists"], info["has_cover"]) == (
        path.stem,
        ["Album Artist"],
        False,
    )


@pytest.mark.parametrize(
    "case",
    ["unsynchronised", "frame_flags", "repeated", "v22_names", "truncated", "untagged"],
)
def test_unusual_tags_go_to_mutagen(case: str, fresh: Callable[..., Path]) -> None:
    path = fresh()
    tag(path, title="Title", artists=["A"], genres=["Rock"])
    if case == "unsynchronised":
        _frames(path, 3, [(b"TIT2", b"\x00Unsync")], flags=0x80)
    elif case == "frame_flags":
        data = bytearray(path.read_bytes())
        at = data.index(b"TIT2")
        data[at + 8 : at + 10] = b"\x00\x40"  # v2.4 grouping
        path.write_bytes(bytes(data))
    elif case == "repeated":
        _frames(path, 4, [(b"TIT2", b"\x03one"), (b"TIT2", b"\x03two"), (b"TPE1", b"\x03A")])
    elif case == "v22_names":
        _frames(path, 3, [(b"TT2\x00", b"\x00Old name")])
    elif case == "truncated":
        data = path.read_bytes()
        path.write_bytes(data[:6] + b"\x7f\x7f\x7f\x7f" + data[10:])
    elif case == "untagged":
        path.write_bytes(path.read_bytes()[10 + int.from_bytes(path.read_bytes()[6:10]) :])
    assert_same(path, lean=False)


@pytest.mark.parametrize("version", [3, 4])
def test_id3v1_fills_what_id3v2_left_out(version: int, fresh: Callable[..., Path]) -> None:
    path = fresh()
    tag(path, id3_version=version, title="v2 title", artists=["v2 artist"])
    write_id3v1(path, title="v1 title", artist="v1", album="From v1", year="1994",
                comment="v1 comment", track=5, genre=17)  # fmt: skip
    info = assert_same(path)
    assert (info["title"], info["album"], info["genres"], info["year"]) == (
        "v2 title",
        "From v1",
        ["Rock"],
        1994,
    )
    assert (info["comment"], info["track_number"]) == ("v1 comment", 5)
    tags = ID3(path)  # an ID3v2 genre and comment win over ID3v1's
    tags.add(id3.TCON(encoding=3, text=["(9)Metal"]))
    tags.add(id3.COMM(encoding=3, lang="eng", desc="", text=["v2 comment"]))
    tags.save(path, v2_version=version, v1=1)
    info = assert_same(path)
    assert (info["genres"], info["comment"]) == (["Metal"], "v2 comment")


def test_damaged_tags_give_the_same_track_or_error(fresh: Callable[..., Path]) -> None:
    base = fresh()
    tag(base, id3_version=3, **FULL)
    original = base.read_bytes()
    rng = random.Random(11)
    path = base.with_name("damaged.mp3")
    errors = leans = 0
    for trial in range(120):
        data = bytearray(original)
        if trial % 5 == 4:
            data = data[: rng.randrange(10, 600)]
        else:
            for _ in range(rng.randint(1, 8)):
                data[rng.randrange(min(len(data), 700))] = rng.randrange(256)
        path.write_bytes(bytes(data))
        outcome = assert_same(path, lean=None)
        errors += isinstance(outcome, tuple)
        leans += _lean_used(path)
    assert errors  # some damage must surface as the same TagError
    assert leans  # and some damaged tags are still read by the lean reader


def test_every_generated_format_reads_the_same(tmp_path: Path) -> None:
    """Every format the suite generates reads as before (only .mp3 takes the lean path)."""
    made = 0
    for fmt, ext in FORMATS.items():
        try:
            path = make_audio(tmp_path / f"{fmt}{ext}", fmt, seconds=0.3)
        except Exception:  # a format this machine's ffmpeg cannot make
            continue
        if fmt not in ("aac", "ac3", "eac3"):
            tag(path, title=f"t {fmt}", artists=["A", "B"])
        assert_same(path, lean=True if fmt == "mp3" else None)
        made += 1
    assert made >= len(FORMATS) // 2


def test_sure_kinds_are_the_ranking_winners(tmp_path: Path) -> None:
    """_sure_kind names the kind every scorer would rank first, or nothing."""
    from mutagen.flac import FLAC
    from mutagen.mp4 import MP4
    from mutagen.oggopus import OggOpus
    from mutagen.oggvorbis import OggVorbis
    from mutagen.wavpack import WavPack

    from player.library.tagkeys import KINDS
    from player.library.tags import _sure_kind

    def winner(path: Path) -> type:
        with open(path, "rb") as handle:
            head = handle.read(128)
            scores = [(kind.score(str(path), handle, head), kind.__name__, kind) for kind in KINDS]
        return max(scores, key=lambda item: (item[0], item[1]))[2]

    expected = {"flac": FLAC, "m4a": MP4, "alac": MP4, "wv": WavPack, "ogg": OggVorbis}
    expected["opus"] = OggOpus
    for fmt, kind in expected.items():
        path = make_audio(tmp_path / f"{fmt}{FORMATS[fmt]}", fmt, seconds=0.3)
        tag(path, title="t")
        with open(path, "rb") as handle:
            assert _sure_kind(str(path), handle.read(128)) is kind
        assert winner(path) is kind
        assert_same(path, lean=None)
        # under another kind's extension: still the winner, or nothing
        for ext in (".mp3", ".ogg", ".wav", ".tak", ".ofr", ".ape", ".m4a"):
            other = path.with_name(f"renamed-{fmt}{ext}")
            shutil.copyfile(path, other)
            with open(other, "rb") as handle:
                sure = _sure_kind(str(other), handle.read(128))
            assert sure is None or sure is winner(other)
            assert_same(other, lean=None)
    for name in ("spx", "oga"):  # Speex and Ogg FLAC: other Ogg kinds, ranked as usual
        path = make_audio(tmp_path / f"x{FORMATS[name]}", name, seconds=0.3)
        with open(path, "rb") as handle:
            assert _sure_kind(str(path), handle.read(128)) is None


# --- FLAC ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def flac_parts(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, bytes]:
    """(STREAMINFO payload, audio frames) of a generated FLAC file."""
    path = make_audio(tmp_path_factory.mktemp("leanflac") / "base.flac", "flac", seconds=0.5)
    data = path.read_bytes()
    pos, streaminfo = 4, b""
    while True:
        code, size, last = (
            data[pos] & 0x7F,
            int.from_bytes(data[pos + 1 : pos + 4]),
            data[pos] & 0x80,
        )
        if code == 0:
            streaminfo = data[pos + 4 : pos + 4 + size]
        pos += 4 + size
        if last:
            return streaminfo, data[pos:]


def _block(code: int, payload: bytes, size: int | None = None) -> tuple[int, bytes, int]:
    return code, payload, len(payload) if size is None else size


def _comment(*entries: bytes, vendor: bytes = b"test") -> bytes:
    out = struct.pack("<I", len(vendor)) + vendor + struct.pack("<I", len(entries))
    return out + b"".join(struct.pack("<I", len(e)) + e for e in entries)


def _picture(data: bytes = b"\xff\xd8" * 50, mime: bytes = b"image/jpeg") -> bytes:
    return (
        struct.pack(">II", 3, len(mime)) + mime + struct.pack(">I", 5) + b"front"
        + struct.pack(">5I", 10, 10, 24, 0, len(data)) + data
    )  # fmt: skip


def _write_flac(path: Path, blocks: list[tuple[int, bytes, int]], frames: bytes) -> Path:
    out = b"fLaC"
    for i, (code, payload, size) in enumerate(blocks):
        flag = 0x80 if i == len(blocks) - 1 else 0
        out += bytes([code | flag]) + size.to_bytes(3, "big") + payload
    path.write_bytes(out + frames)
    return path


def test_flac_every_field_and_cover(fresh_flac: Callable[..., Path]) -> None:
    path = fresh_flac()
    tag(path, **FULL)
    info = assert_same_flac(path)
    assert (info["title"], info["artists"], info["bit_depth"]) == (
        FULL["title"],
        FULL["artists"],
        16,
    )
    from mutagen.flac import FLAC, Picture

    audio = FLAC(path)
    picture = Picture()
    picture.data, picture.mime, picture.type = b"\x89PNG" * 5000, "image/png", 3
    audio.add_picture(picture)
    audio.save()
    assert assert_same_flac(path)["has_cover"]


@pytest.fixture
def fresh_flac(tmp_path: Path, flac_parts: tuple[bytes, bytes]) -> Callable[..., Path]:
    streaminfo, frames = flac_parts
    count = iter(range(10_000))

    def get() -> Path:
        return _write_flac(tmp_path / f"f{next(count)}.flac", [_block(0, streaminfo)], frames)

    return get


def assert_same_flac(path: Path, *, lean: bool | None = True) -> dict:
    got, want = _outcome(path, True), _outcome(path, False)
    assert got == want
    if lean is not None:
        with open(path, "rb") as handle:
            used = tagfast.read_flac(handle, path.stat().st_size) is not None
        assert used is lean
    return got  # type: ignore[return-value]


def test_flac_block_layouts(tmp_path: Path, flac_parts: tuple[bytes, bytes]) -> None:
    streaminfo, frames = flac_parts
    comment = _comment(
        b"TITLE=\xe5\xa4\x9c\xe7\xa9\xba",
        b"ARTIST=One",
        b"artist=Two",
        b"Artist=One",
        b"ALBUMARTIST=",
        b"no equals sign",
        b"BAD\xffKEY=value",
        b"=empty key",
        b"GENRE=Rock\xff\xfe",
        b"TRACKNUMBER=3/12",
        b"DATE=2001-02-03",
        b"REPLAYGAIN_TRACK_GAIN=-6.5 dB",
        b"COMPILATION=1",
        b"METADATA_BLOCK_PICTURE=AAAA",
    )
    layouts = {
        "plain": [_block(0, streaminfo), _block(4, comment)],
        "padding_seektable_application": [
            _block(0, streaminfo), _block(3, b"\x00" * 36), _block(2, b"APPLxyz"),
            _block(4, comment), _block(1, b"\x00" * 8192),
        ],
        "picture_blocks": [_block(0, streaminfo), _block(6, _picture()), _block(4, comment),
                           _block(6, _picture(b"\x89PNG" * 40_000, b"image/png"))],
        "two_comments": [_block(0, streaminfo), _block(4, comment), _block(4, _comment(b"TITLE=x"))],
        "comment_size_too_big": [_block(0, streaminfo), _block(4, comment, len(comment) + 9),
                                 _block(1, b"\x00" * 9)],
        "no_comment": [_block(0, streaminfo), _block(1, b"\x00" * 10)],
        "streaminfo_padded": [_block(0, streaminfo + b"\x00" * 6), _block(4, comment)],
        "streaminfo_later": [_block(1, b"\x00" * 4), _block(0, streaminfo), _block(4, comment)],
    }  # fmt: skip
    for name, blocks in layouts.items():
        info = assert_same_flac(_write_flac(tmp_path / f"{name}.flac", blocks, frames))
        assert info["duration"] > 0.4
    info = assert_same_flac(tmp_path / "plain.flac")
    assert (info["artists"], info["track_total"], info["has_cover"]) == (["One", "Two"], 12, True)


def test_flac_unusual_layouts_go_to_mutagen(
    tmp_path: Path, flac_parts: tuple[bytes, bytes]
) -> None:
    streaminfo, frames = flac_parts
    comment = _comment(b"TITLE=x")
    zero_rate = streaminfo[:10] + b"\x00\x00" + bytes([streaminfo[12] & 0x0F]) + streaminfo[13:]
    layouts = {
        "cuesheet": [_block(0, streaminfo), _block(5, b"\x00" * 432), _block(4, comment)],
        "two_seektables": [_block(0, streaminfo), _block(3, b""), _block(3, b""), _block(4, comment)],
        "two_streaminfos": [_block(0, streaminfo), _block(0, streaminfo), _block(4, comment)],
        "no_streaminfo": [_block(4, comment)],
        "zero_sample_rate": [_block(0, zero_rate), _block(4, comment)],
        "short_streaminfo": [_block(0, streaminfo[:20]), _block(4, comment)],
        "comment_longer_than_block": [_block(0, streaminfo), _block(4, comment, 5)],
        "picture_past_end": [_block(0, streaminfo), _block(6, _picture()[:-40])],
    }  # fmt: skip
    for name, blocks in layouts.items():
        path = _write_flac(tmp_path / f"{name}.flac", blocks, frames if "past" not in name else b"")
        assert_same_flac(path, lean=False)


def test_flac_damage_gives_the_same_track_or_error(fresh_flac: Callable[..., Path]) -> None:
    base = fresh_flac()
    tag(base, **FULL)
    original = base.read_bytes()
    rng = random.Random(5)
    path = base.with_name("damaged.flac")
    errors = leans = 0
    for trial in range(150):
        data = bytearray(original)
        if trial % 5 == 4:
            data = data[: rng.randrange(4, 900)]
        else:
            for _ in range(rng.randint(1, 6)):
                data[rng.randrange(4, min(len(data), 900))] = rng.randrange(256)
        path.write_bytes(bytes(data))
        outcome = assert_same_flac(path, lean=None)
        errors += isinstance(outcome, tuple)
        with open(path, "rb") as handle:
            leans += tagfast.read_flac(handle, len(data)) is not None
    assert errors and leans


# --- MP4 -------------------------------------------------------------------------------------


def _tree(atoms: object) -> list:
    def one(atom: object) -> tuple:
        kids = atom.children  # type: ignore[attr-defined]
        return (
            atom.name, atom.offset, atom.length, atom._dataoffset,  # type: ignore[attr-defined]
            None if kids is None else [one(kid) for kid in kids],
        )  # fmt: skip

    return [one(atom) for atom in atoms.atoms]  # type: ignore[attr-defined]


def assert_same_mp4(path: Path, *, lean: bool | None = True) -> object:
    """Same track both ways, and the lean atom tree is mutagen's, field for field."""
    from mutagen.mp4._atom import Atoms

    got, want = _outcome(path, True), _outcome(path, False)
    assert got == want
    size = path.stat().st_size
    with open(path, "rb") as handle:
        lean_atoms = tagfast._mp4_atoms(handle, size)
        used = tagfast.read_mp4(handle, size) is not None
        try:
            atoms = Atoms(handle)
        except Exception:
            atoms = None
    if lean_atoms is not None:
        assert atoms is not None and _tree(lean_atoms) == _tree(atoms)
    if lean is not None:
        assert used is lean
    return got


@pytest.mark.parametrize("fmt", ["m4a", "alac"])
def test_mp4_every_field_cover_and_freeform(fmt: str, tmp_path: Path) -> None:
    from mutagen.mp4 import MP4, MP4Cover, MP4FreeForm

    path = make_audio(tmp_path / f"t{FORMATS[fmt]}", fmt, seconds=0.5)
    tag(path, **FULL)
    audio = MP4(path)
    audio["covr"] = [MP4Cover(b"\x89PNG" * 60_000, imageformat=MP4Cover.FORMAT_PNG)]
    audio["----:com.apple.iTunes:MusicBrainz Album Id"] = [MP4FreeForm(b"x1"), MP4FreeForm(b"x2")]
    audio["----:org.example:ARTISTS"] = [MP4FreeForm("宇多田".encode())]
    audio.save()
    info = assert_same_mp4(path)
    assert info["has_cover"] and info["title"] == FULL["title"]  # type: ignore[index]


def _box(name: bytes, payload: bytes, *, wide: bool = False, size: int | None = None) -> bytes:
    if wide:
        return struct.pack(">I4sQ", 1, name, len(payload) + 16) + payload
    return struct.pack(">I4s", len(payload) + 8 if size is None else size, name) + payload


def test_mp4_atom_layouts(tmp_path: Path) -> None:
    """Layouts rewritten around a real file's moov: faststart, 64-bit sizes, a
    zero-length last atom, an empty meta, junk after the atoms."""
    path = make_audio(tmp_path / "base.m4a", "m4a", seconds=0.5)
    tag(path, title="Layouts", artists=["A", "B"])
    data = path.read_bytes()
    tops, pos = {}, 0
    while pos + 8 <= len(data):
        length, name = struct.unpack_from(">I4s", data, pos)
        tops[name] = data[pos : pos + length]
        pos += length
    moov, mdat, ftyp = tops[b"moov"], tops[b"mdat"], tops[b"ftyp"]
    assert data.endswith(moov)
    # (sample offsets are not followed when reading tags and stream info)
    layouts = {
        "as_made": data,
        "faststart": ftyp + moov + mdat,
        "wide_free_and_mdat": ftyp + _box(b"free", b"\x00" * 8, wide=True)
        + _box(b"mdat", mdat[8:], wide=True) + moov,
        "wide_moov": ftyp + mdat + _box(b"moov", moov[8:], wide=True),
        "zero_length_last": data[: len(data) - len(moov)] + struct.pack(">I", 0) + moov[4:],
        "junk_tail": data + b"\x00\x00\x00",
        "empty_meta_atom": data + _box(b"meta", b""),
        "free_after": data + _box(b"free", b"\x00" * 100),
    }  # fmt: skip
    for name, content in layouts.items():
        target = tmp_path / f"{name}.m4a"
        target.write_bytes(content)
        assert_same_mp4(target, lean=True)
    assert assert_same_mp4(tmp_path / "as_made.m4a")["artists"] == ["A", "B"]  # type: ignore[index]


def test_mp4_damage_gives_the_same_track_or_error(tmp_path: Path) -> None:
    path = make_audio(tmp_path / "base.m4a", "m4a", seconds=0.5)
    tag(path, **FULL)
    original = path.read_bytes()
    moov_at = original.find(b"moov") - 4
    rng = random.Random(3)
    damaged = tmp_path / "damaged.m4a"
    errors = leans = 0
    for trial in range(150):
        data = bytearray(original)
        if trial % 5 == 4:
            data = data[: rng.randrange(8, len(data))]
        else:
            for _ in range(rng.randint(1, 6)):
                at = rng.randrange(moov_at, len(data)) if trial % 2 else rng.randrange(0, 64)
                data[at] = rng.randrange(256)
        damaged.write_bytes(bytes(data))
        outcome = assert_same_mp4(damaged, lean=None)
        errors += isinstance(outcome, tuple)
        with open(damaged, "rb") as handle:
            leans += tagfast.read_mp4(handle, len(data)) is not None
    assert errors and leans


# --- Ogg Vorbis and Opus ------------------------------------------------------------------------


def assert_same_ogg(path: Path, *, lean: bool | None = True) -> object:
    got, want = _outcome(path, True), _outcome(path, False)
    assert got == want
    if lean is not None:
        with open(path, "rb") as handle:
            used = tagfast.read_ogg(handle, path.stat().st_size, path.suffix == ".opus")
        assert (used is not None) is lean
    return got


@pytest.mark.parametrize("fmt", ["ogg", "opus"])
def test_ogg_every_field_and_big_comments(fmt: str, tmp_path: Path) -> None:
    path = make_audio(tmp_path / f"t{FORMATS[fmt]}", fmt, seconds=0.5)
    extra = {"r128_track_gain": -512, "r128_album_gain": 256} if fmt == "opus" else {}
    tag(path, **FULL, **extra)
    info = assert_same_ogg(path)
    assert info["title"] == FULL["title"] and info["artists"] == FULL["artists"]  # type: ignore[index]
    audio = mutagen.File(path)
    audio["ARTIST"] = ["One", "two", "One"]
    audio["METADATA_BLOCK_PICTURE"] = ["A" * 90_000]  # the comment packet spans pages
    audio["weird key {"] = ["x"]
    audio.save()
    info = assert_same_ogg(path, lean=False)  # past the first 64 KiB: mutagen reads it
    assert info["has_cover"] and info["artists"] == ["One", "two"]  # type: ignore[index]
    audio["METADATA_BLOCK_PICTURE"] = ["A" * 9_000]
    audio.save()
    assert assert_same_ogg(path)["has_cover"]  # type: ignore[index]


@pytest.mark.parametrize("fmt", ["ogg", "opus"])
def test_ogg_chained_streams_and_damage(fmt: str, tmp_path: Path) -> None:
    first = make_audio(tmp_path / f"a{FORMATS[fmt]}", fmt, seconds=0.5)
    second = make_audio(tmp_path / f"b{FORMATS[fmt]}", fmt, seconds=0.3)
    tag(first, title="first", artists=["A"])
    tag(second, title="second", artists=["B"])
    chained = tmp_path / f"chained{FORMATS[fmt]}"
    chained.write_bytes(first.read_bytes() + second.read_bytes())
    assert_same_ogg(chained, lean=None)
    original = first.read_bytes()
    rng = random.Random(fmt)
    damaged = tmp_path / f"damaged{FORMATS[fmt]}"
    errors = leans = 0
    for trial in range(150):
        data = bytearray(original)
        if trial % 5 == 4:
            data = data[: rng.randrange(4, len(data))]
        else:
            for _ in range(rng.randint(1, 6)):
                data[rng.randrange(0, min(len(data), 6000))] = rng.randrange(256)
        damaged.write_bytes(bytes(data))
        outcome = assert_same_ogg(damaged, lean=None)
        errors += isinstance(outcome, tuple)
        with open(damaged, "rb") as handle:
            leans += tagfast.read_ogg(handle, len(data), fmt == "opus") is not None
    assert errors and leans


def test_a_bench_corpus_sample_reads_the_same(tmp_path: Path) -> None:
    """bench/scan.py's own corpus builder (a small one): every file both ways."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "bench_scan", Path(__file__).resolve().parents[2] / "bench" / "scan.py"
    )
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    bench.CACHE = tmp_path
    files = bench.corpus_files(bench.build_corpus(48, 0.5))
    assert len(files) == 48
    suffixes = set()
    for name in files:
        path = Path(name)
        info = assert_same(path, lean=True if path.suffix == ".mp3" else None)
        assert info["title"] and info["artists"] and info["year"]
        suffixes.add(path.suffix)
    assert {".mp3", ".flac", ".m4a", ".ogg", ".opus"} <= suffixes
