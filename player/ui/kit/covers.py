"""Cover thumbnails: read, scaled and cached on disk off the UI thread.

A cover comes from the file's embedded picture or, failing that, an image next
to it (cover.jpg, folder.png, ...). Scaling happens on a worker with
:class:`QImage` (safe off the GUI thread); the result is saved as PNG in the
cache directory so the next start shows the grid without decoding anything.
The UI turns images into pixmaps and keeps a bounded set in memory.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections import OrderedDict
from pathlib import Path

from PySide6.QtCore import QObject, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QImage, QLinearGradient, QPainter, QPainterPath, QPixmap

from player.ui.kit.qtfix import emit
from player.ui.kit.tasks import TaskRunner

log = logging.getLogger(__name__)

FOLDER_IMAGES = ("cover", "folder", "front", "album", "albumart")
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp")
MEMORY_ITEMS = 600


def cover_bytes(path: str) -> bytes | None:
    """The embedded front cover of *path*, else an image file in its folder; None if none."""
    data = _embedded(path)
    if data:
        return data
    folder = Path(path).parent
    try:
        names = {n.lower(): n for n in os.listdir(folder)}
    except OSError:
        return None
    for stem in FOLDER_IMAGES:
        for ext in IMAGE_EXTENSIONS:
            name = names.get(stem + ext)
            if name:
                try:
                    return (folder / name).read_bytes()
                except OSError:
                    return None
    return None


def _embedded(path: str) -> bytes | None:
    try:
        import mutagen

        audio = mutagen.File(path)
    except Exception:  # unreadable tags simply mean no cover
        return None
    if audio is None:
        return None
    pictures = getattr(audio, "pictures", None)
    if pictures:
        front = [p for p in pictures if getattr(p, "type", 0) == 3]
        return bytes((front or pictures)[0].data)
    tags = getattr(audio, "tags", None)
    if tags is None:
        return None
    try:
        for key in tags:
            if str(key).startswith("APIC"):
                return bytes(tags[key].data)
        if tags.get("covr"):
            return bytes(tags["covr"][0])
        for key in ("metadata_block_picture",):
            if key in tags:
                import base64

                from mutagen.flac import Picture

                return bytes(Picture(base64.b64decode(tags[key][0])).data)
    except Exception:
        return None
    return None


def cache_file(cache_dir: Path, path: str, size: int) -> Path:
    try:
        stamp = os.stat(path).st_mtime_ns
    except OSError:
        stamp = 0
    key = hashlib.sha1(
        f"{path}\x00{stamp}\x00{size}".encode("utf-8", "surrogateescape")
    ).hexdigest()
    return cache_dir / key[:2] / f"{key}.png"


def load_thumbnail(path: str, size: int, cache_dir: Path) -> QImage | None:
    """A square *size*-pixel thumbnail of *path*'s cover (from the disk cache when there)."""
    target = cache_file(cache_dir, path, size)
    if target.exists():
        image = QImage(str(target))
        if not image.isNull():
            return image
    data = cover_bytes(path)
    if not data:
        return None
    image = QImage.fromData(data)
    if image.isNull():
        return None
    image = image.scaled(
        size,
        size,
        Qt.AspectRatioMode.KeepAspectRatioByExpanding,
        Qt.TransformationMode.SmoothTransformation,
    )
    if image.width() != size or image.height() != size:
        image = image.copy((image.width() - size) // 2, (image.height() - size) // 2, size, size)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".tmp")
        image.save(str(tmp), "PNG")
        os.replace(tmp, target)
    except OSError as exc:
        log.info("cannot cache cover %s: %s", target, exc)
    return image


def rounded(pixmap: QPixmap, radius: float) -> QPixmap:
    """*pixmap* with rounded corners."""
    if pixmap.isNull():  # nothing to paint on (a painter would warn)
        return pixmap
    out = QPixmap(pixmap.size())
    out.setDevicePixelRatio(pixmap.devicePixelRatio())
    out.fill(Qt.GlobalColor.transparent)
    painter = QPainter(out)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    clip = QPainterPath()
    ratio = pixmap.devicePixelRatio()
    clip.addRoundedRect(
        QRectF(0, 0, pixmap.width() / ratio, pixmap.height() / ratio), radius, radius
    )
    painter.setClipPath(clip)
    painter.drawPixmap(0, 0, pixmap)
    painter.end()
    return out


def placeholder(text: str, size: int, ratio: float = 1.0) -> QPixmap:
    """A gradient square with the album's initial, coloured from its name."""
    seed = int(hashlib.md5(text.encode("utf-8", "surrogateescape")).hexdigest()[:6], 16)
    hue = seed % 360
    if int(size * ratio) <= 0:  # no room yet: nothing to paint on
        return QPixmap()
    pix = QPixmap(int(size * ratio), int(size * ratio))
    pix.setDevicePixelRatio(ratio)
    pix.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pix)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    grad = QLinearGradient(0, 0, size, size)
    grad.setColorAt(0, QColor.fromHsl(hue, 120, 70))
    grad.setColorAt(1, QColor.fromHsl((hue + 50) % 360, 140, 35))
    path = QPainterPath()
    path.addRoundedRect(QRectF(0, 0, size, size), size * 0.06, size * 0.06)
    painter.fillPath(path, grad)
    font = QFont()
    font.setPixelSize(int(size * 0.42))
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QColor(255, 255, 255, 200))
    painter.drawText(
        QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, (text.strip() or "♪")[:1].upper()
    )
    painter.end()
    return pix


class CoverProvider(QObject):
    """Hands out cover pixmaps; ``ready(path, size)`` when one just arrived."""

    ready = Signal(str, int)

    def __init__(self, cache_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cache_dir = cache_dir
        self.runner = TaskRunner.own_pool(2, self)
        self._memory: OrderedDict[tuple[str, int], QPixmap | None] = OrderedDict()
        self._pending: set[tuple[str, int]] = set()

    def get(self, path: str, size: int) -> QPixmap | None:
        """The pixmap if loaded; otherwise None now and ``ready`` later (if there is a cover)."""
        key = (path, size)
        if key in self._memory:
            self._memory.move_to_end(key)
            return self._memory[key]
        if key not in self._pending and path:
            self._pending.add(key)
            task = self.runner.submit(load_thumbnail, path, size, self.cache_dir, name="cover")
            task.done.connect(lambda image, error: self._loaded(key, image, error))
        return None

    def known_missing(self, path: str, size: int) -> bool:
        """True when *path* was looked at and has no cover."""
        key = (path, size)
        return key in self._memory and self._memory[key] is None

    def _loaded(self, key: tuple[str, int], image: QImage | None, error: object) -> None:
        self._pending.discard(key)
        pixmap = QPixmap.fromImage(image) if image is not None and not image.isNull() else None
        self._memory[key] = pixmap
        while len(self._memory) > MEMORY_ITEMS:
            self._memory.popitem(last=False)
        emit(self.ready, *key)

    def close(self, msecs: int = 10000) -> bool:
        return self.runner.close(msecs)
