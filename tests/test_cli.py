"""The `kindred` command as a person runs it: real processes, real exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from player.cli import main


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "player.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


def test_no_subcommand_says_what_it_opens_and_prints_help(kindred_home: Path) -> None:
    result = run()
    assert result.returncode == 0, result.stderr
    assert "library.db" in result.stdout
    assert str(kindred_home) in result.stdout
    assert "usage: kindred" in result.stdout
    for command in ("scan", "search", "stats", "playlist"):
        assert command in result.stdout


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
