"""Writing ReplayGain 2.0 tags (R128 gains in Opus) from Kindred's own loudness meter."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import mutagen
import pytest
from mutagen.apev2 import APEv2
from mutagen.id3 import ID3
from mutagen.mp4 import MP4
from mutagen.oggopus import OggOpus

from player.errors import AppError
from player.library.scanner import scan
from player.library.store import LibraryDB
from player.recommend import rgtags
from tests.audiogen import make_audio, requires_ffmpeg, tag

pytestmark = requires_ffmpeg

requires_loudgain = pytest.mark.skipif(
    shutil.which("loudgain") is None, reason="loudgain not installed (CI installs it)"
)

# amplitude, frequency, seconds: three tones about 12 and 17 LU apart, so the
# album's relative gate drops the quiet track (a mean of track values would not)
TRACKS = [(0.9, 440.0, 6.0), (0.2, 1000.0, 4.0), (0.03, 220.0, 5.0)]
FORMATS = ["flac", "mp3", "opus", "m4a"]


def make_album(folder: Path, fmt: str) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, (amp, freq, secs) in enumerate(TRACKS):
        path = make_audio(
            folder / f"{i + 1}{Path('x.' + fmt).suffix}", fmt, secs, freq, amplitude=amp
        )
        tag(path, title=f"Tone {i + 1}", album="Tones", album_artists=["Kindred"], artists=["K"])
        paths.append(path)
    return paths


def loudgain(paths: list[Path]) -> tuple[list[float], float]:
    """loudgain -a: each file's integrated loudness and the album's (LUFS)."""
    out = subprocess.run(
        ["loudgain", "-a", "-s", "s", "-O", *map(str, paths)],
        capture_output=True, text=True, check=True, timeout=120,
    ).stdout  # fmt: skip
    rows = [line.split("\t") for line in out.splitlines()[1:] if "\t" in line]
    values = [float(row[1].split()[0]) for row in rows]
    return values[:-1], values[-1]


@requires_loudgain
@pytest.mark.parametrize("fmt", FORMATS)
def test_loudness_matches_loudgain_within_a_tenth_of_a_db(tmp_path: Path, fmt: str) -> None:
    paths = make_album(tmp_path, fmt)
    gains = rgtags.measure_album([str(p) for p in paths])
    tracks, album = loudgain(paths)
    for g, ref in zip(gains, tracks, strict=True):
        assert g.track_lufs == pytest.approx(ref, abs=0.1)
        assert g.track_gain == pytest.approx(-18.0 - ref, abs=0.1)
    assert gains[0].album_lufs == pytest.approx(album, abs=0.1)
    # the album is gated as a whole: not the mean of its tracks' figures
    mean = sum(g.track_lufs for g in gains) / len(gains)
    assert abs(gains[0].album_lufs - mean) > 5
    assert gains[0].album_peak == max(g.track_peak for g in gains)


def _library(tmp_path: Path, fmt: str) -> tuple[Path, list[Path]]:
    paths = make_album(tmp_path / "music", fmt)
    db_path = tmp_path / "lib.db"
    with LibraryDB(db_path) as db:
        scan(db, [tmp_path / "music"], workers=1)
    return db_path, paths


def _stored(db_path: Path) -> dict[str, dict]:
    with LibraryDB(db_path) as db:
        return {Path(r["path"]).name: r for r in db.tracks()}


@pytest.mark.parametrize("fmt", ["flac", "ogg", "mp3", "m4a", "wv"])
def test_replaygain_tags_per_format_and_library_columns(tmp_path: Path, fmt: str) -> None:
    db_path, paths = _library(tmp_path, fmt)
    result = rgtags.write_replaygain(db_path)
    assert not result.errors and len(result.written) == 3
    gains = rgtags.measure_album([str(p) for p in paths])
    rows = _stored(db_path)
    for path, g in zip(paths, gains, strict=True):
        audio = mutagen.File(path)
        if fmt in ("flac", "ogg"):  # Vorbis comments
            text = {k: audio.tags[k.upper()][0] for k in _NAMES}
        elif fmt == "wv":  # APEv2 text items
            assert isinstance(audio.tags, APEv2)
            text = {k: str(audio.tags[k.upper()]) for k in _NAMES}
        elif fmt == "mp3":
            id3 = ID3(path)
            text = {k: id3[f"TXXX:{k.upper()}"].text[0] for k in _NAMES}
        else:
            mp4 = MP4(path)
            text = {k: bytes(mp4[f"----:com.apple.iTunes:{k}"][0]).decode() for k in _NAMES}
        assert text["replaygain_track_gain"] == f"{g.track_gain:.2f} dB"
        assert text["replaygain_album_gain"] == f"{g.album_gain:.2f} dB"
        assert re.fullmatch(r"\d\.\d{6}", text["replaygain_track_peak"])
        assert float(text["replaygain_album_peak"]) == pytest.approx(g.album_peak, abs=1e-6)
        row = rows[path.name]  # the library is updated at once, not on the next scan
        assert row["rg_track_gain"] == pytest.approx(g.track_gain)
        assert row["rg_album_gain"] == pytest.approx(g.album_gain)
        assert row["rg_album_peak"] == pytest.approx(g.album_peak, abs=1e-6)
        assert row["size"] == os.stat(path).st_size


_NAMES = ["replaygain_track_gain", "replaygain_track_peak", "replaygain_album_gain",
          "replaygain_album_peak"]  # fmt: skip


def test_opus_gets_r128_q78_gains_and_keeps_its_output_gain(tmp_path: Path) -> None:
    db_path, paths = _library(tmp_path, "opus")
    stray = OggOpus(paths[0])
    stray["REPLAYGAIN_TRACK_GAIN"] = ["-3.00 dB"]  # not an Opus tag: removed
    stray.save()
    head = _opus_head(paths[0])
    assert not rgtags.write_replaygain(db_path).errors
    gains = rgtags.measure_album([str(p) for p in paths])
    rows = _stored(db_path)
    for path, g in zip(paths, gains, strict=True):
        tags = OggOpus(path).tags
        # Q7.8: 1/256 dB steps, relative to -23 LUFS (5 dB below ReplayGain's -18)
        assert tags["R128_TRACK_GAIN"] == [str(round((g.track_gain - 5.0) * 256))]
        assert tags["R128_ALBUM_GAIN"] == [str(round((g.album_gain - 5.0) * 256))]
        assert not [k for k in tags.keys() if k.upper().startswith("REPLAYGAIN")]  # noqa: SIM118 (a list)
        row = rows[path.name]
        assert row["r128_track_gain"] == pytest.approx(-23.0 - g.track_lufs, abs=1 / 256)
        assert row["r128_album_gain"] == pytest.approx(-23.0 - g.album_lufs, abs=1 / 256)
    assert int(OggOpus(paths[2]).tags["R128_TRACK_GAIN"][0]) > 0  # the quiet track is raised
    assert _opus_head(paths[0]) == head  # the header's output gain is left alone


def _opus_head(path: Path) -> bytes:
    data = path.read_bytes()
    return data[data.index(b"OpusHead") :][:19]


def test_a_file_that_cannot_be_written_is_left_unchanged(tmp_path: Path) -> None:
    db_path, paths = _library(tmp_path, "flac")
    before = paths[1].read_bytes()
    os.chmod(paths[1], 0o444)
    result = rgtags.write_replaygain(db_path)
    assert [Path(p).name for p, _ in result.errors] == [paths[1].name]
    assert "read-only" in result.errors[0][1].short
    assert paths[1].read_bytes() == before
    assert len(result.written) == 2 and "REPLAYGAIN_ALBUM_GAIN" in mutagen.File(paths[0]).tags
    assert _stored(db_path)[paths[1].name]["rg_track_gain"] is None
    assert not [n for n in os.listdir(tmp_path / "music") if n.startswith(".kindred-")]


def test_an_undecodable_track_leaves_its_whole_album_untouched(tmp_path: Path) -> None:
    db_path, paths = _library(tmp_path, "flac")
    paths[2].write_bytes(paths[2].read_bytes()[:200])  # the header survives, the audio not
    before = {p: p.read_bytes() for p in paths}
    result = rgtags.write_replaygain(db_path)
    assert not result.written and len(result.errors) == 3
    assert all(isinstance(e, AppError) for _, e in result.errors)
    assert {p: p.read_bytes() for p in paths} == before  # no album gain from a partial album


def test_one_chosen_track_is_measured_with_its_whole_album(tmp_path: Path) -> None:
    db_path, paths = _library(tmp_path, "flac")
    other = make_audio(tmp_path / "music" / "single.flac", "flac", 3.0, amplitude=0.1)
    with LibraryDB(db_path) as db:
        scan(db, [tmp_path / "music"], workers=1)
        first = db.track_id(str(paths[0]))
    assert first is not None
    result = rgtags.write_replaygain(db_path, [first])
    assert sorted(Path(p).name for p in result.written) == sorted(p.name for p in paths)
    album = rgtags.measure_album([str(p) for p in paths])[0].album_gain
    assert _stored(db_path)["1.flac"]["rg_album_gain"] == pytest.approx(album)
    assert "REPLAYGAIN_TRACK_GAIN" not in (mutagen.File(other).tags or {})


def test_cli_analyze_write_replaygain(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.recommend.test_cli import run

    db_path, paths = _library(tmp_path, "flac")
    assert run(["analyze", "--db", str(db_path), "--jobs", "1", "--write-replaygain"]) == 0
    out = capsys.readouterr().out
    assert "Wrote ReplayGain tags to 3 files; 0 failed" in out
    gains = rgtags.measure_album([str(p) for p in paths])
    for path, g in zip(paths, gains, strict=True):
        tags = mutagen.File(path).tags
        assert tags["REPLAYGAIN_TRACK_GAIN"] == [f"{g.track_gain:.2f} dB"]
        assert tags["REPLAYGAIN_ALBUM_GAIN"] == [f"{g.album_gain:.2f} dB"]
    assert run(["analyze", "--db", str(db_path), "--json", "--write-replaygain"]) == 0
    assert json.loads(capsys.readouterr().out)["replaygain"] == {"written": 3, "errors": []}
