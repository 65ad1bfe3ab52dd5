"""Test-wide set-up: Qt offscreen and a private KINDRED_HOME for every test."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def kindred_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every Kindred directory at a fresh temporary folder."""
    home = tmp_path_factory.mktemp("kindred-home")
    monkeypatch.setenv("KINDRED_HOME", str(home))
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    return home


@pytest.fixture(autouse=True)
def _drop_kindred_log_handlers() -> Iterator[None]:
    """A test that configured Kindred's logging leaves no handler behind (its
    console handler holds the test's captured stderr)."""
    yield
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_kindred", False):
            root.removeHandler(handler)
            handler.close()
