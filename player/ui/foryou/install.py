"""Wires discovery into the main window: analysis after scans, track-menu and now-playing requests.

Kept out of :mod:`player.ui.window.main_window` so that file only calls :func:`install`,
which returns the parts it started as a :class:`Discovery` for the window to keep.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

from player.ui.foryou.analysis import AnalysisStatus
from player.ui.foryou.loudness import LoudnessCells
from player.ui.kit.lazypages import LazyPages
from player.ui.playback.nowplaying import NowPlayingBar
from player.ui.tracks.view import TracksWindow

if TYPE_CHECKING:  # the page and its modules load when it is first shown
    from player.ui.foryou.page import ForYouPage


class DiscoveryWindow(TracksWindow, Protocol):
    """The window as discovery uses it: its pages (For You among them, built on first use)
    and the now-playing bar."""

    @property
    def pages(self) -> LazyPages: ...
    @property
    def now_playing(self) -> NowPlayingBar: ...


@dataclass
class Discovery:
    """What :func:`install` started: the analysis in the status bar and the loudness cells."""

    analysis: AnalysisStatus
    loudness: LoudnessCells


class _CloseWatch(QObject):
    """Stops the analysis when the window closes (its workers finish their current file)."""

    def __init__(self, analysis: AnalysisStatus) -> None:
        super().__init__(analysis)
        self.analysis = analysis

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close:
            self.analysis.cancel()
        return False


def _analysed(window: DiscoveryWindow, loudness: LoudnessCells, summary: object) -> None:
    """Analysis ended: lists show the BPM, key, gain and loudness it found; For You re-reads
    (when it was built: else it reads everything when first shown)."""
    if getattr(summary, "tags_filled", 0):
        window.refresh_current()  # the visible page now, the others when next shown
    loudness.reload()
    page = window.pages.peek("foryou")
    if page is not None:
        page.mark_dirty()  # type: ignore[attr-defined]


def _wire_page(window: DiscoveryWindow, analysis: AnalysisStatus, built: QWidget) -> None:
    """The For You page, once built: its settings, progress and notices."""
    page: ForYouPage = built  # type: ignore[assignment]
    page.set_smooth_mix(window.state.extra.get("smooth_mix") is True)
    page.smoothChanged.connect(lambda on: window.state.extra.__setitem__("smooth_mix", on))
    analysis.progressed.connect(page.analysis_progress)
    page.notice.connect(window.notice.show_error)
    page.playlistSaved.connect(lambda _id: window.nav.rebuild())


def install(window: DiscoveryWindow, *, workers: int | None = None) -> Discovery:
    """Connect the For You page (when built), the track menus, the now-playing bar and analysis."""
    analysis = AnalysisStatus(window.runner, window.db_path, window.window(), workers=workers)
    window.statusBar().addWidget(analysis)
    window.scan.finished.connect(analysis.start)
    window.pages.on_built("foryou", lambda page: _wire_page(window, analysis, page))
    loudness = LoudnessCells(window.runner, window.db_path, window.window())
    window.each_track_view(lambda view: loudness.attach([view]))
    loudness.reload()
    analysis.finished.connect(lambda summary: _analysed(window, loudness, summary))
    analysis.failed.connect(window.notice.show_error)

    def for_you() -> ForYouPage:
        window.show_view("foryou")
        return window.pages["foryou"]  # type: ignore[return-value]

    def requested(kind: str, track_ids: Iterable[int]) -> None:
        ids = [int(t) for t in track_ids]
        if kind == "similar":
            for_you().show_similar(ids)
        else:
            for_you().start_radio(ids)

    def follow_menu(view: object) -> None:
        if hasattr(view, "recommend"):
            view.recommend.connect(requested)

    window.each_track_view(follow_menu)  # type: ignore[arg-type]
    if hasattr(window.now_playing, "radioRequested"):
        window.now_playing.radioRequested.connect(lambda tid: for_you().start_radio([tid]))
    window.window().installEventFilter(_CloseWatch(analysis))
    return Discovery(analysis, loudness)
