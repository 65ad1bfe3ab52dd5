"""Logging: a rotating file in the log directory, warnings to the console as one line."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from player.app import configure_logging
from player.config import Paths


def test_the_file_keeps_everything_and_the_console_shows_warnings(
    kindred_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = configure_logging()
    assert target == Paths.resolve().log_dir / "kindred.log"
    log = logging.getLogger("player.test")
    log.info("a stream reconnected")
    log.warning("the saved queue was unreadable")
    for handler in logging.getLogger().handlers:
        handler.flush()
    err = capsys.readouterr().err
    assert "kindred: the saved queue was unreadable" in err
    assert "reconnected" not in err
    text = target.read_text(encoding="utf-8")
    assert "INFO player.test: a stream reconnected" in text
    assert "WARNING player.test: the saved queue was unreadable" in text


def test_configuring_twice_does_not_repeat_lines(
    kindred_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging()
    configure_logging()
    logging.getLogger("player.test").warning("once")
    assert capsys.readouterr().err.count("kindred: once") == 1


def test_an_unwritable_log_directory_leaves_the_console(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    paths = Paths(tmp_path, tmp_path, tmp_path, blocker / "logs")
    assert configure_logging(paths) is None
    logging.getLogger("player.test").warning("still shown")
    assert "kindred: still shown" in capsys.readouterr().err
