"""What the Windows and macOS bundles carry: their icons (.ico, .icns, rendered from the
same SVG as the Linux icons) and where a bundle's own libVLC is looked for."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from player.audio.vlcfind import find_libvlc

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"


def png_size(data: bytes) -> tuple[int, int]:
    image = QImage.fromData(data, "PNG")
    assert not image.isNull(), "not a PNG"
    return image.width(), image.height()


def test_the_windows_icon_holds_every_size_up_to_256() -> None:
    data = (ICONS / "kindred.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind) == (0, 1)
    sizes = []
    for n in range(count):
        width, height, _, _, planes, bits, length, offset = struct.unpack_from(
            "<BBBBHHII", data, 6 + 16 * n
        )
        side = width or 256
        assert (width, planes, bits) == (height, 1, 32)
        assert png_size(data[offset : offset + length]) == (side, side)
        sizes.append(side)
    assert sizes == [16, 24, 32, 48, 64, 128, 256]


def test_the_macos_icon_holds_every_size_up_to_1024() -> None:
    data = (ICONS / "kindred.icns").read_bytes()
    assert data[:4] == b"icns" and struct.unpack_from(">I", data, 4)[0] == len(data)
    found: dict[bytes, int] = {}
    at = 8
    while at < len(data):
        kind, length = data[at : at + 4], struct.unpack_from(">I", data, at + 4)[0]
        found[kind] = png_size(data[at + 8 : at + length])[0]
        at += length
    assert at == len(data)
    assert found == {
        b"icp4": 16,
        b"icp5": 32,
        b"icp6": 64,
        b"ic07": 128,
        b"ic08": 256,
        b"ic09": 512,
        b"ic10": 1024,
        b"ic11": 32,
        b"ic12": 64,
        b"ic13": 256,
        b"ic14": 512,
    }


@pytest.mark.parametrize(
    ("platform", "lib", "libdir"),
    [("win32", "vlc/libvlc.dll", "vlc"), ("darwin", "vlc/lib/libvlc.dylib", "vlc/lib")],
)
def test_a_windows_or_macos_bundle_uses_its_own_libvlc(
    tmp_path: Path, platform: str, lib: str, libdir: str
) -> None:
    empty = tmp_path / "nowhere"
    plan = find_libvlc(platform, root=empty, environ={}, bundle=[tmp_path], registry=list)
    assert plan.source == "missing"  # build.spec did not put one there (and VLC is not installed)
    (tmp_path / lib).parent.mkdir(parents=True)
    (tmp_path / lib).write_bytes(b"")
    (tmp_path / "vlc" / "plugins").mkdir()
    plan = find_libvlc(platform, root=empty, environ={}, bundle=[tmp_path], registry=list)
    assert plan.source == "bundle"
    assert plan.env["PYTHON_VLC_LIB_PATH"] == str(tmp_path / lib)
    assert plan.env["PYTHON_VLC_MODULE_PATH"] == str(tmp_path / "vlc" / "plugins")
    assert str(tmp_path / libdir) in plan.env["PYTHON_VLC_LIB_PATH"]


def test_linux_bundles_use_the_installed_libvlc(tmp_path: Path) -> None:
    (tmp_path / "vlc").mkdir()
    (tmp_path / "vlc" / "libvlc.so").write_bytes(b"")
    assert find_libvlc("linux", environ={}, bundle=[tmp_path]).source == "system"


def test_the_bundle_ships_compiled_bytecode() -> None:
    """The bundle keeps its pure modules compiled in the PYZ archive, so it never
    compiles at start-up (``bench/ui_startup.py`` measures both ways)."""
    root = ICONS.parents[1]
    spec = (root / "build.spec").read_text(encoding="utf-8")
    assert "noarchive=False" in spec and "PYZ(a.pure)" in spec


def test_a_normal_start_writes_its_bytecode(tmp_path: Path) -> None:
    """Started without PYTHONDONTWRITEBYTECODE, the app's modules leave their bytecode
    behind (nothing in Kindred turns writing it off), so the next start reads it."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(tmp_path)
    code = "import player.app, sys; print(sys.dont_write_bytecode)"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, timeout=120, check=True)  # fmt: skip
    assert out.stdout.strip() == "False"
    written = {p.name.split(".")[0] for p in tmp_path.rglob("*.pyc")}
    assert {"app", "paths", "config"} <= written, sorted(written)[:20]
