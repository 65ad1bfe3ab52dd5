"""``kindred analyze`` and ``kindred recommend`` end to end on a generated library."""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import pytest

from player.cli import recommend as cli_recommend
from player.errors import AppError
from player.library.scanner import scan
from player.library.store import LibraryDB
from tests.audiogen import tag
from tests.recommend.signals import style, write


def _wired() -> bool:
    from player.cli import build_parser

    return "recommend" in build_parser()[1]


def run(argv: list[str]) -> int:
    """Through ``player.cli.main`` once it knows these commands, else through this module."""
    if _wired():
        from player.cli import main

        return main(argv)
    parser = argparse.ArgumentParser(prog="kindred")
    sub = parser.add_subparsers(dest="command")
    cli_recommend.add_commands(sub, lambda p: p.add_argument("--db"))
    args = parser.parse_args(argv)
    try:
        return cli_recommend.HANDLERS[args.command](args)
    except AppError as exc:  # what main does
        print(f"kindred: {exc.short}")
        return 1


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    music = tmp_path / "music"
    for i, kind in enumerate(["tonal", "tonal", "noisy", "noisy", "percussive"]):
        path = write(music / f"{i}-{kind}.flac", style(kind, seed=i + 3, seconds=4.0))
        tag(path, title=f"{kind} {i}", artists=[f"Artist {i}"], genres=[kind])
    (music / "junk.mp3").write_bytes(b"\xff\xfb" + bytes(2000))
    path = tmp_path / "lib.db"
    with LibraryDB(path) as db:
        scan(db, [music], workers=1)
    return path


def test_analyze_then_recommend_as_json(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["analyze", "--db", str(db_path), "--json", "--jobs", "2"]) == 0
    summary = json.loads(capsys.readouterr().out)
    with LibraryDB(db_path) as db:
        tracks = db.track_count()
        first = db.tracks()[0]
    assert summary["analysed"] + summary["failed"] == tracks and summary["cached"] == 0
    assert summary["seconds"] >= 0 and "error_files" in summary

    assert run(["analyze", "--db", str(db_path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["cached"] == tracks

    assert (
        run(["recommend", "similar", str(first["id"]), "-n", "3", "--json", "--db", str(db_path)])
        == 0
    )
    items = json.loads(capsys.readouterr().out)
    assert len(items) == 3
    for item in items:
        assert {"path", "title", "artist", "score", "reason"} <= item.keys()
        assert item["path"] != first["path"] and item["reason"]

    assert (
        run(["recommend", "radio", first["path"], "-n", "2", "--json", "--db", str(db_path)]) == 0
    )
    assert len(json.loads(capsys.readouterr().out)) == 2

    assert run(["recommend", "mix", "-n", "4", "--json", "--smooth", "--db", str(db_path)]) == 0
    mix = json.loads(capsys.readouterr().out)
    assert len(mix) == 4
    assert run(["recommend", "mix", "-n", "4", "--json", "--smooth", "--db", str(db_path)]) == 0
    assert json.loads(capsys.readouterr().out) == mix  # same day, same mix


def test_text_output_and_readable_errors(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["analyze", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Analysed ") and "cached 0" in out
    assert run(["recommend", "similar", "/nowhere/x.flac", "--db", str(db_path)]) == 1
    captured = capsys.readouterr()
    assert "No such track" in captured.out + captured.err
    assert run(["recommend", "mix", "-n", "2", "--db", str(db_path)]) == 0
    text = capsys.readouterr().out
    # nothing played yet: the picks have reasons but no closeness to a taste to show
    assert " 1. " in text and "[" not in text
    first = text.splitlines()[0]
    assert first.split("  ")[-1].strip(), first  # the reason
    with LibraryDB(db_path) as db:
        track = db.tracks()[0]
    assert run(["recommend", "similar", str(track["id"]), "-n", "2", "--db", str(db_path)]) == 0
    assert re.search(r"^  1\. .*  \[\d\.\d\d\]  \S", capsys.readouterr().out, re.M)


def test_missing_database_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["analyze", "--db", str(tmp_path / "none.db")]) == 1
    captured = capsys.readouterr()
    assert "No library database" in captured.out + captured.err


def test_empty_library_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "empty.db"
    LibraryDB(path).close()
    assert run(["recommend", "mix", "--db", str(path)]) == 1
    captured = capsys.readouterr()
    assert "empty" in (captured.out + captured.err).lower()


def test_mix_is_the_kept_daily_mix_and_new_makes_another(
    db_path: Path, kindred_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from player.recommend.shelves import MIX_FILE, Shelves
    from player.recommend.station_state import default_station_path

    assert run(["analyze", "--db", str(db_path), "--json"]) == 0
    capsys.readouterr()
    kept = kindred_home / "data" / MIX_FILE
    assert not kept.exists()
    assert run(["recommend", "mix", "--json", "--db", str(db_path)]) == 0
    first = [item["path"] for item in json.loads(capsys.readouterr().out)]
    assert kept.exists()  # made and kept for the day
    # the window's For You reads the same kept mix
    shelves = Shelves(db_path, default_station_path())
    try:
        assert [r.path for r in shelves.todays_mix()] == first
    finally:
        shelves.close()
    # a mix kept by the window is what the command line shows
    data = json.loads(kept.read_text(encoding="utf-8"))
    data["picks"] = data["picks"][::-1]
    kept.write_text(json.dumps(data), encoding="utf-8")
    assert run(["recommend", "mix", "--json", "--db", str(db_path)]) == 0
    assert [item["path"] for item in json.loads(capsys.readouterr().out)] == first[::-1]
    # --new makes another (as the New mix button does) and keeps it
    assert run(["recommend", "mix", "--new", "--json", "--db", str(db_path)]) == 0
    fresh = [item["path"] for item in json.loads(capsys.readouterr().out)]
    assert fresh != first[::-1]
    assert json.loads(kept.read_text(encoding="utf-8"))["salt"] == data["salt"] + 1
    assert run(["recommend", "mix", "--json", "--db", str(db_path)]) == 0
    assert [item["path"] for item in json.loads(capsys.readouterr().out)] == fresh
