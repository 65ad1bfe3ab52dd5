"""The Linux desktop entry, AppStream metadata and icons are valid as desktops read them."""

from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path

import pytest

LINUX = Path(__file__).resolve().parents[1] / "resources" / "linux"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


@pytest.mark.skipif(
    shutil.which("desktop-file-validate") is None,
    reason="desktop-file-validate not installed (CI installs desktop-file-utils)",
)
def test_the_desktop_entry_is_valid() -> None:
    entry = LINUX / "org.kindred.Kindred.desktop"
    result = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True, text=True)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout
    text = entry.read_text(encoding="utf-8")
    assert "Exec=kindred %U" in text and "Icon=org.kindred.Kindred" in text


@pytest.mark.skipif(
    shutil.which("appstreamcli") is None, reason="appstreamcli not installed (CI installs appstream)"
)
def test_the_appstream_metadata_is_valid() -> None:
    result = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(LINUX / "org.kindred.Kindred.metainfo.xml")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("size", SIZES)
def test_an_icon_for_every_size(size: int) -> None:
    png = LINUX / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "org.kindred.Kindred.png"
    header = png.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", header[16:24]) == (size, size)
    assert (LINUX / "icons" / "kindred.svg").read_text(encoding="utf-8").startswith("<svg")
