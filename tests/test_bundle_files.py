"""What the Windows and macOS bundles carry: their icons (.ico, .icns, rendered from the
same SVG as the Linux icons) and where a bundle's own libVLC is looked for."""

from __future__ import annotations

import struct
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from player.audio.vlc_setup import bundled_libvlc

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


def fake_bundle(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, platform: str) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    monkeypatch.setattr(sys, "platform", platform)


@pytest.mark.parametrize(
    ("platform", "lib"),
    [("win32", "vlc/libvlc.dll"), ("darwin", "vlc/lib/libvlc.dylib")],
)
def test_a_windows_or_macos_bundle_uses_its_own_libvlc(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, platform: str, lib: str
) -> None:
    fake_bundle(monkeypatch, tmp_path, platform)
    assert bundled_libvlc() is None  # build.spec did not put one there
    (tmp_path / lib).parent.mkdir(parents=True)
    (tmp_path / lib).write_bytes(b"")
    assert bundled_libvlc() == (tmp_path / lib, tmp_path / "vlc" / "plugins")


def test_linux_bundles_and_a_plain_python_use_the_installed_libvlc(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "vlc").mkdir()
    (tmp_path / "vlc" / "libvlc.dll").write_bytes(b"")
    monkeypatch.setattr(sys, "platform", "win32")
    assert bundled_libvlc() is None  # not frozen
    fake_bundle(monkeypatch, tmp_path, "linux")
    assert bundled_libvlc() is None
