"""The command line agrees with itself: ``play FOLDER`` in album order, a search error
said once, JSON durations to the millisecond, and a README query table that lists
every field the search understands."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from player.cli import main
from player.cli.common import round_durations
from player.library.query_fields import FIELDS
from tests.audiogen import make_audio, requires_ffmpeg, tag

README = Path(__file__).resolve().parents[1] / "README.md"


@requires_ffmpeg
def test_play_folder_queues_disc_and_track_order_then_path_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    album = tmp_path / "album"
    (album / "extras").mkdir(parents=True)
    # file names sort against the tags on purpose
    for name, title, disc, track in (
        ("a.flac", "Third", 1, 3),
        ("b.flac", "Disc two", 2, 1),
        ("c.flac", "First", 1, 1),
        ("d.flac", "Second", 1, 2),
    ):
        tag(make_audio(album / name, "flac", seconds=0.3), title=title, album="A",
            disc_number=disc, track_number=track)  # fmt: skip
    make_audio(album / "z-untagged.flac", "flac", seconds=0.3)
    make_audio(album / "extras" / "bonus.flac", "flac", seconds=0.3)
    (album / "cover.jpg").write_bytes(b"\xff\xd8 not audio")
    out = tmp_path / "out.wav"
    code = main(["play", str(album), "--output", str(out), "--replaygain", "off"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert captured.out.splitlines() == [
        "Rendering: First",
        "Rendering: Second",
        "Rendering: Third",
        "Rendering: Disc two",
        "Rendering: z-untagged",
        "Rendering: bonus",
        f"Wrote {out}",
    ]


def test_play_of_a_folder_without_audio_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.txt").write_text("no music here", encoding="utf-8")
    code = main(["play", str(tmp_path), "--output", str(tmp_path / "out.wav")])
    assert code == 1
    assert f"No audio files in {tmp_path}" in capsys.readouterr().err


def test_a_search_error_is_said_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "lib.db")
    assert main(["scan", str(tmp_path), "--db", db]) == 0
    capsys.readouterr()
    assert main(["search", "year:abc", "--db", db]) == 1
    err = capsys.readouterr().err
    assert err.count("is not a whole number") == 1, err
    assert err.splitlines() == [
        "kindred: 'abc' is not a whole number (in 'year') (at character 6)",
        "    year:abc",
        "         ^",
    ]


@requires_ffmpeg
def test_json_durations_are_rounded_to_the_millisecond(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    music = tmp_path / "music"
    music.mkdir()
    tag(make_audio(music / "odd.flac", "flac", seconds=1.2345678), title="Odd")
    db = str(tmp_path / "lib.db")
    assert main(["scan", str(music), "--db", db, "--json"]) == 0
    for args in (["search", "odd"], ["stats"], ["scan"]):
        assert main([*args, "--db", db, "--json"]) == 0
        raw = capsys.readouterr().out
        # no float with more than three decimals under a duration key
        assert not re.search(r'"(duration\w*|seconds|\w+_s)": -?\d+\.\d{4,}', raw), raw
    assert main(["search", "odd", "--db", db, "--json"]) == 0
    [hit] = json.loads(capsys.readouterr().out)
    assert hit["duration"] == round(hit["duration"], 3) and 1.2 < hit["duration"] < 1.3


def test_round_durations_leaves_other_numbers_alone() -> None:
    value = {"duration": 292.37018140589566, "gain": -6.123456, "items": [{"seconds": 1.23456}]}
    assert round_durations(value) == {
        "duration": 292.37,
        "gain": -6.123456,
        "items": [{"seconds": 1.235}],
    }


def _query_table() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("### Search and smart-playlist queries")
    return text[start : text.index("\n## ", start)]


def test_the_readme_query_table_lists_every_field() -> None:
    table = _query_table()
    missing = [spec.name for spec in FIELDS if f"`{spec.name}:" not in table
               and f" `{spec.name}:`" not in table]  # fmt: skip
    assert not missing, f"README's query table lacks: {missing}"


def test_every_example_in_the_readme_query_table_parses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "lib.db")
    assert main(["scan", str(tmp_path), "--db", db]) == 0
    examples = re.findall(r"`([^`]+)`", _query_table().split("A malformed query")[0])
    assert len(examples) > 30
    for example in examples:
        if example.endswith(":"):
            example += "x"
        capsys.readouterr()
        assert main(["search", "--db", db, "--", example]) == 0, (example, capsys.readouterr().err)
