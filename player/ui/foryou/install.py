"""Wires discovery into the main window: analysis after scans, track-menu and now-playing requests.

Kept out of :mod:`player.ui.window.main_window` so that file only calls :func:`install`,
which returns the parts it started as a :class:`Discovery` for the window to keep.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

from player.ui.foryou.analysis import AnalysisStatus
from player.ui.foryou.loudness import LoudnessCells
from player.ui.foryou.page import ForYouPage
from player.ui.playback.nowplaying import NowPlayingBar
from player.ui.tracks.view import TracksWindow


class DiscoveryWindow(TracksWindow, Protocol):
    """The window as discovery uses it: its pages (For You among them) and the now-playing bar."""

    @property
    def pages(self) -> Mapping[str, QWidget]: ...
    @property
    def now_playing(self) -> NowPlayingBar: ...


@dataclass
class Discovery:
    """What :func:`install` started: the analysis in the status bar and the loudness cells."""

    analysis: AnalysisStatus
    loudness: LoudnessCells


class _CloseWatch(QObject):
    """Stops the analysis when the window closes (its workers finish their current file)."""

    def __init__(self, analysis: AnalysisStatus, page: ForYouPage) -> None:
        super().__init__(analysis)
        self.analysis, self.page = analysis, page

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close:
            self.analysis.cancel()
        return False


def _analysed(
    window: DiscoveryWindow, page: ForYouPage, loudness: LoudnessCells, summary: object
) -> None:
    """Analysis ended: lists show the BPM, key, gain and loudness it found; For You re-reads."""
    if getattr(summary, "tags_filled", 0):
        window.refresh_current()  # the visible page now, the others when next shown
    loudness.reload()
    page.mark_dirty()


def install(window: DiscoveryWindow, *, workers: int | None = None) -> Discovery:
    """Connect the For You page, the track menus, the now-playing bar and analysis."""
    page = window.pages["foryou"]
    assert isinstance(page, ForYouPage)
    page.set_smooth_mix(window.state.extra.get("smooth_mix") is True)
    page.smoothChanged.connect(lambda on: window.state.extra.__setitem__("smooth_mix", on))
    analysis = AnalysisStatus(window.runner, window.db_path, window.window(), workers=workers)
    window.statusBar().addWidget(analysis)
    window.scan.finished.connect(analysis.start)
    analysis.progressed.connect(page.analysis_progress)
    loudness = LoudnessCells(window.runner, window.db_path, window.window())
    loudness.attach(window.track_views())
    loudness.reload()
    analysis.finished.connect(lambda summary: _analysed(window, page, loudness, summary))
    analysis.failed.connect(window.notice.show_error)
    page.notice.connect(window.notice.show_error)
    page.playlistSaved.connect(lambda _id: window.nav.rebuild())

    def similar(track_ids: list[int]) -> None:
        window.show_view("foryou")
        page.show_similar(track_ids)

    def radio(track_ids: list[int]) -> None:
        window.show_view("foryou")
        page.start_radio(track_ids)

    def requested(kind: str, track_ids: Iterable[int]) -> None:
        ids = [int(t) for t in track_ids]
        (similar if kind == "similar" else radio)(ids)

    for view in window.track_views():
        if hasattr(view, "recommend"):
            view.recommend.connect(requested)
    if hasattr(window.now_playing, "radioRequested"):
        window.now_playing.radioRequested.connect(lambda tid: radio([tid]))
    window.window().installEventFilter(_CloseWatch(analysis, page))
    return Discovery(analysis, loudness)
