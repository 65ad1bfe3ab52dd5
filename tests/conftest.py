"""Test-wide set-up: Qt offscreen and a private KINDRED_HOME for every test."""

from __future__ import annotations

import os
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
