"""Render icons/kindred.svg to the PNG sizes desktops look for (run after editing it).

    uv run python resources/linux/render_icons.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
HERE = Path(__file__).resolve().parent


def main() -> int:
    app = QGuiApplication(sys.argv[:1])  # noqa: F841  (Qt needs one for painting)
    renderer = QSvgRenderer(str(HERE / "icons" / "kindred.svg"))
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        target = HERE / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "org.kindred.Kindred.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        image.save(str(target))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
