"""What the window remembers between runs: geometry, splitters, columns, the current view.

Kept in ``ui-state.json`` in the config directory, written atomically. Qt's
binary states (geometry, splitter and header states) are stored as base64.
The queue and the position in the current track are the controller's own
:meth:`~player.audio.controller.PlaybackController.save_state`.
"""

from __future__ import annotations

import base64
import json
import logging
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray

from player.config import Paths, write_json_atomic
from player.errors import AppError
from player.ui.tracks.columns import COLUMNS, LEGACY_COLUMNS

log = logging.getLogger(__name__)
STATE_FILE = "ui-state.json"


@dataclass
class WindowState:
    geometry: str = ""
    window_state: str = ""
    splitter: str = ""
    header: str = ""
    header_keys: list[str] = field(default_factory=list)  # the columns the header had
    view: str = "tracks"
    theme: str = "dark"
    side_tab: int = 0
    size: list[int] = field(default_factory=list)  # width, height (restoreGeometry may clamp)
    extra: dict[str, object] = field(default_factory=dict)

    @classmethod
    def load(cls, paths: Paths) -> WindowState:
        file = paths.config_dir / STATE_FILE
        try:
            raw = json.loads(file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError) as exc:
            log.warning("ignoring unreadable %s: %s", file, exc)
            return cls()
        if not isinstance(raw, dict):
            return cls()
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in raw.items() if k in known})

    def save(self, paths: Paths) -> Path:
        return write_json_atomic(paths.config_dir / STATE_FILE, asdict(self), indent=1)


def encode(data: QByteArray) -> str:
    return base64.b64encode(bytes(data.data())).decode("ascii")


def decode(text: str) -> QByteArray:
    try:
        return QByteArray(base64.b64decode(text.encode("ascii"))) if text else QByteArray()
    except (ValueError, UnicodeError):
        return QByteArray()


def _hide_new_columns(header: Any, saved_keys: list[str]) -> None:
    """Columns added since the layout was saved start as their defaults say, not all shown.

    (Restoring a header shows every section it did not know.)
    """
    known = set(saved_keys) if saved_keys else {c.key for c in COLUMNS[:LEGACY_COLUMNS]}
    for index, col in enumerate(COLUMNS):
        if col.key not in known and index < header.count():
            header.setSectionHidden(index, not col.visible)


class RememberedLayout:
    """The main window's part that restores and saves :class:`WindowState` and the queue.

    Mixed into :class:`~player.ui.window.main_window.MainWindow`, which provides the
    widgets named here.
    """

    state: WindowState
    ctx: Any
    splitter: Any
    side: Any
    tracks_page: Any
    bridge: Any
    notice: Any
    queue_panel: Any
    pages: Any
    parts: Any
    _restored_headers: bool

    def _main_header(self):
        return self.tracks_page.view.horizontalHeader()

    def _restore_layout(self) -> None:
        state = self.state
        if state.geometry:
            self.restoreGeometry(decode(state.geometry))
        if len(state.size) == 2 and not self.isMaximized():
            self.resize(int(state.size[0]), int(state.size[1]))
        if state.window_state:
            self.restoreState(decode(state.window_state))
        if state.splitter:
            self.splitter.restoreState(decode(state.splitter))
        for view in self.track_views():
            self._restore_header(view)
        self._restored_headers = True  # the lists of pages built later get it too
        self.side.setCurrentIndex(max(0, min(state.side_tab, self.side.count() - 1)))

    def _restore_header(self, view: Any) -> None:
        """Give a track list the remembered columns (order, widths, sorting)."""
        state = self.state
        if not state.header:
            return
        header = view.horizontalHeader()
        header.blockSignals(True)
        header.restoreState(decode(state.header))
        _hide_new_columns(header, state.header_keys)
        header.blockSignals(False)
        view.remember_widths()
        if header.sortIndicatorSection() >= 0:
            view.track_model.set_sort(header.sortIndicatorSection(), header.sortIndicatorOrder())

    def _restore_queue(self) -> None:
        try:
            warning = self.bridge.controller.restore_state(play=False)
        except AppError as exc:
            warning = exc
        if warning is not None:
            self.notice.show_error(warning)
        kept = getattr(self.parts.recommender, "kept", None)
        if kept is not None and kept.path.exists():  # a radio kept from the last run:
            self.pages["foryou"].resume_radio()  # before the restored track is announced
        self.bridge.pump()
        self.queue_panel.refresh()

    def save_layout(self) -> None:
        state = self.state
        state.geometry = encode(self.saveGeometry())
        state.size = [self.width(), self.height()]
        state.window_state = encode(self.saveState())
        state.splitter = encode(self.splitter.saveState())
        state.header = encode(self.tracks_page.view.header_state())
        state.header_keys = [c.key for c in COLUMNS]
        state.side_tab = self.side.currentIndex()
        try:
            state.save(self.ctx.paths)
        except OSError as exc:
            log.warning("cannot save the window state: %s", exc)
