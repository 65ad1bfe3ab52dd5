"""The `kindred` command as a person runs it: real processes, real exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from player.cli import main
from tests.audiogen import make_audio, requires_ffmpeg, tag
from tests.processes import default_sigint


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "player.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


#: runs ``kindred`` without a sub-command, its window closing itself after a second
OPEN_AND_CLOSE = (
    "import sys\n"
    "import player.app as ui\n"
    "real = ui.run_window\n"
    "def quick(*args, **kwargs):\n"
    "    code = real(*args, quit_after_ms=1000, **kwargs)\n"
    "    print('window closed', code)\n"
    "    return code\n"
    "ui.run_window = quick\n"
    "from player.cli import main\n"
    "sys.exit(main([]))\n"
)


def test_no_subcommand_opens_the_window(kindred_home: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", OPEN_AND_CLOSE],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    assert "window closed 0" in result.stdout
    assert (kindred_home / "data" / "library.db").exists()  # it opened the library


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("kindred ")


def test_scan_of_a_missing_folder_is_one_clear_line(tmp_path: Path) -> None:
    result = run("scan", str(tmp_path / "nope"))
    assert result.returncode == 1
    assert result.stderr.strip() == f"kindred: No such folder: {tmp_path / 'nope'}"
    assert "Traceback" not in result.stderr


def test_unreadable_database_is_a_clear_error(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(os.urandom(4096))
    result = run("stats", "--db", str(junk))
    assert result.returncode == 1
    assert "cannot be opened" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_file_argument_is_one_clear_line(tmp_path: Path) -> None:
    """`kindred missing.flac` says the file is not there (not argparse's usage)."""
    result = subprocess.run(
        [sys.executable, "-m", "player.cli", "missing.flac"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
    )
    assert result.returncode == 1
    assert result.stderr.strip() == "kindred: No such file: missing.flac"
    assert "usage" not in result.stderr and result.stdout == ""
    song = tmp_path / "here.flac"
    song.write_bytes(b"")
    both = run(str(song), str(tmp_path / "gone" / "b.ogg"), str(tmp_path / "c.mp3"))
    assert both.returncode == 1
    missing = f"{tmp_path / 'gone' / 'b.ogg'}, {tmp_path / 'c.mp3'}"
    assert both.stderr.strip() == f"kindred: No such files: {missing}"


def test_a_mistyped_sub_command_still_lists_the_sub_commands() -> None:
    result = run("scna")
    assert result.returncode == 2
    assert "invalid choice: 'scna'" in result.stderr and "scan" in result.stderr


def test_search_with_missing_db_file_is_a_clear_error(tmp_path: Path) -> None:
    result = run("search", "x", "--db", str(tmp_path / "missing.db"))
    assert result.returncode == 1
    assert "No library database" in result.stderr


def test_rescan_without_folders_explains_how_to_add_one(tmp_path: Path) -> None:
    result = run("scan", "--db", str(tmp_path / "lib.db"))
    assert result.returncode == 1
    assert "kindred scan /path/to/music" in result.stderr


def test_bad_query_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "lib.db"
    assert main(["stats", "--db", str(db)]) == 1  # explicit --db must exist
    assert main(["scan", str(tmp_path), "--db", str(db), "--json"]) == 0
    capsys.readouterr()
    assert main(["search", "artst:x", "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert "artst" in err
    assert "Traceback" not in err


def test_stats_json_on_empty_library(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "lib.db"
    assert main(["scan", str(tmp_path), "--db", str(db), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["added"] == 0 and summary["errors"] == 0
    assert main(["stats", "--db", str(db), "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["tracks"] == 0
    assert stats["roots"] == [str(tmp_path.resolve())]


@requires_ffmpeg
def test_scan_then_search_json_on_real_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    music = tmp_path / "music"
    music.mkdir()
    flac = make_audio(music / "star.flac", "flac", seconds=0.5, bit_depth=24, sample_rate=96000)
    tag(
        flac,
        title="夜空中最亮的星",
        artists=["逃跑计划"],
        album="世界",
        date="2011",
        genres=["Rock"],
    )
    mp3 = make_audio(music / "creep.mp3", "mp3", seconds=0.5)
    tag(mp3, title="Creep", artists=["Radiohead"], album="Pablo Honey", date="1993")
    (music / "broken.mp3").write_bytes(b"\x00" * 10)
    db = str(tmp_path / "lib.db")

    assert main(["scan", str(music), "--db", db, "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert (summary["added"], summary["errors"]) == (2, 1)
    assert set(summary) >= {"added", "updated", "removed", "unchanged", "errors", "seconds"}

    assert main(["scan", "--db", db, "--json"]) == 0  # rescans the folders it knows
    assert json.loads(capsys.readouterr().out)["unchanged"] == 2

    assert main(["search", "最亮", "--db", db, "--json"]) == 0
    [hit] = json.loads(capsys.readouterr().out)
    required = {
        "path",
        "title",
        "artist",
        "album",
        "year",
        "genre",
        "duration",
        "codec",
        "sample_rate",
        "bit_depth",
        "lossless",
    }
    assert required <= set(hit)
    assert (hit["title"], hit["artist"], hit["year"], hit["codec"]) == (
        "夜空中最亮的星",
        "逃跑计划",
        2011,
        "flac",
    )
    assert (hit["sample_rate"], hit["bit_depth"], hit["lossless"]) == (96000, 24, True)

    assert main(["search", "radioh", "--db", db, "--json"]) == 0
    assert [t["title"] for t in json.loads(capsys.readouterr().out)] == ["Creep"]
    assert main(["search", "lossless:no", "--db", db]) == 0
    assert "Radiohead — Creep" in capsys.readouterr().out

    assert main(["errors", "--db", db, "--json"]) == 0
    [error] = json.loads(capsys.readouterr().out)
    assert error["path"].endswith("broken.mp3") and error["reason"]


@requires_ffmpeg
def test_playlist_import_export_from_the_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    music = tmp_path / "music"
    music.mkdir()
    song = make_audio(music / "a.ogg", "ogg", seconds=0.5)
    tag(song, title="A song", artists=["X"])
    db = str(tmp_path / "lib.db")
    assert main(["scan", str(music), "--db", db]) == 0
    m3u = music / "mix.m3u8"
    m3u.write_text(
        "#EXTM3U\n#EXTINF:1,X - A song\na.ogg\nmissing.flac\nhttp://radio.example/stream\n",
        encoding="utf-8",
    )
    capsys.readouterr()
    assert main(["playlist", "import", str(m3u), "--db", db, "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["added"] == 3
    assert [Path(m).name for m in result["missing"]] == ["missing.flac"]
    assert result["urls"] == 1
    out = tmp_path / "out.xspf"
    assert main(["playlist", "export", "mix", str(out), "--db", db]) == 0
    text = out.read_text(encoding="utf-8")
    assert "a.ogg" in text and "missing.flac" in text and "http://radio.example/stream" in text
    assert main(["playlist", "export", "nope", str(out), "--db", db]) == 1
    assert "No playlist named" in capsys.readouterr().err


@requires_ffmpeg
def test_watch_reports_changes_until_interrupted(tmp_path: Path) -> None:
    import signal

    music = tmp_path / "music"
    music.mkdir()
    first = make_audio(music / "one.mp3", "mp3", seconds=0.5)
    db = tmp_path / "lib.db"
    proc = subprocess.Popen(
        [sys.executable, "-m", "player.cli", "watch", str(music), "--db", str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=default_sigint,  # stopped by SIGINT below, even when pytest ignores it
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().startswith("added 1,")
        (music / "two.mp3").write_bytes(first.read_bytes())
        assert proc.stdout.readline().startswith("added 1,")
    finally:
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "Traceback" not in err
