"""Render icons/kindred.svg to the PNG sizes desktops look for, and to the Windows
(.ico) and macOS (.icns) icons of the bundles (run after editing it).

    uv run python resources/linux/render_icons.py
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
HERE = Path(__file__).resolve().parent
BUNDLE_ICONS = HERE.parent / "icons"  # kindred.ico (Windows), kindred.icns (macOS)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
#: the PNG-payload icon types of an .icns file, each with its size in pixels
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"icp6", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic09", 512),
    (b"ic10", 1024),  # 512@2x
    (b"ic11", 32),  # 16@2x
    (b"ic12", 64),  # 32@2x
    (b"ic13", 256),  # 128@2x
    (b"ic14", 512),  # 256@2x
)


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def ico(pngs: dict[int, bytes]) -> bytes:
    """A Windows icon of PNG images (read by Windows Vista and later)."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = len(header) + 16 * len(pngs)
    entries, payload = b"", b""
    for size, png in pngs.items():
        side = 0 if size >= 256 else size  # 0 means 256
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset)
        offset += len(png)
        payload += png
    return header + entries + payload


def icns(chunks: list[tuple[bytes, bytes]]) -> bytes:
    """A macOS icon family of PNG images (read by macOS 10.7 and later)."""
    body = b"".join(kind + struct.pack(">I", 8 + len(data)) + data for kind, data in chunks)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main() -> int:
    app = QGuiApplication(sys.argv[:1])  # noqa: F841  (Qt needs one for painting)
    renderer = QSvgRenderer(str(HERE / "icons" / "kindred.svg"))
    for size in SIZES:
        target = HERE / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "org.kindred.Kindred.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        render(renderer, size).save(str(target))
    pngs = {size: png_bytes(render(renderer, size)) for size in {*ICO_SIZES, 512, 1024}}
    (BUNDLE_ICONS / "kindred.ico").write_bytes(ico({s: pngs[s] for s in ICO_SIZES}))
    (BUNDLE_ICONS / "kindred.icns").write_bytes(icns([(k, pngs[s]) for k, s in ICNS_TYPES]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
