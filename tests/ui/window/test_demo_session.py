"""``kindred demo`` with its window: analysed, its own comment server seeded and signed in,
its folder in Settings, and the temporary folder gone when the window closes."""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import httpx
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from player.cli.demo import cmd_demo
from tests.audiogen import requires_ffmpeg

SHOTS = os.environ.get("KINDRED_DEMO_SHOTS")  # a folder: save the For You and Comments tabs


def _main_window():
    from player.ui.window.main_window import MainWindow

    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, MainWindow) and widget.isVisible():
            return widget
    return None


def _run_demo(args: argparse.Namespace, timeout_s: float = 120.0) -> dict:
    """Run ``cmd_demo`` in this process; look at the window once For You and the
    Comments tab are full (or the time is up), then close it."""
    seen: dict = {"for_you": [], "comments": [], "server": None}
    started = time.monotonic()

    def look() -> None:
        window = _main_window()
        if window is None:
            QTimer.singleShot(100, look)
            return
        page = window.pages["foryou"]
        if window.stack.currentWidget() is not page:
            window.show_view("foryou")
        panel = window.comments
        if panel.track_id is None:
            titles = {window.db.get_track(t).title: t for t in window.db.track_ids()}
            panel.show_track(titles["Chrome Horizon"], "Chrome Horizon", "Neon Harbor")
            window.side.setCurrentWidget(panel)
        rows = [r for view in getattr(page, "shelves", []) for r in view.rows]
        bodies = [c.body for c in panel.comments.values()]
        analysed = page.data is not None and page.data.analysed == page.data.tracks > 0
        done = analysed and rows and bodies and not window.discovery.analysis.running
        if done or time.monotonic() - started > timeout_s:
            seen.update(
                for_you=[r.item.track_id for r in rows],
                analysed=page.data.analysed if page.data else 0,
                subtitle=page.subtitle.text(),
                analysis_label=window.discovery.analysis.label.text(),
                comments=bodies,
                moments=[c.position_ms for c in panel.comments.values() if c.position_ms],
                hot=panel.hot_box.count(),
                signed_in=panel.backend.signed_in,
                who=panel.account_box.who.text(),
                status=panel.status.text() if panel.status.isVisible() else "",
                server=panel.backend.server,
                folders=list(window.ctx.settings.library_folders),
            )
            if SHOTS:
                Path(SHOTS).mkdir(parents=True, exist_ok=True)
                window.resize(1280, 800)
                QApplication.processEvents()
                window.grab().save(str(Path(SHOTS) / "demo-window.png"))
                panel.grab().save(str(Path(SHOTS) / "demo-comments.png"))
                page.grab().save(str(Path(SHOTS) / "demo-foryou.png"))
            window.close()
            return
        QTimer.singleShot(200, look)

    QTimer.singleShot(200, look)
    seen["code"] = cmd_demo(args)
    return seen


def _demo_folders() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("kindred-demo-*")}


@requires_ffmpeg  # the demo library is made with ffmpeg
@pytest.mark.timeout(240)
def test_demo_opens_analysed_with_seeded_comments_and_cleans_up(qapp, kindred_home) -> None:
    before = _demo_folders()
    seen = _run_demo(argparse.Namespace(dir=None, seconds=4.0, no_window=False))
    assert seen["code"] == 0
    # For You full: every track's sound analysed, shelves with tracks
    assert seen["analysed"] == 12, seen["subtitle"]
    assert len(seen["for_you"]) >= 6
    assert "Analysed 12 tracks" in seen["analysis_label"]  # the status bar told it
    # the Comments tab: the seeded conversation, in two languages, pinned moments and likes
    assert "这段琶音一出来，整个夜晚都亮了。" in seen["comments"]
    assert "The bass drop right here is the best moment of the album." in seen["comments"]
    assert 6000 in seen["moments"] and 12000 in seen["moments"]
    assert seen["hot"] >= 1
    assert seen["signed_in"] and "demo" in seen["who"]
    assert seen["status"] == ""
    assert len(seen["folders"]) == 1 and seen["folders"][0].endswith("music")
    # the window closed: the server has stopped and the temporary folder is gone
    with pytest.raises(httpx.HTTPError):
        httpx.get(f"{seen['server']}/healthz", timeout=2)
    assert _demo_folders() == before
    assert not Path(seen["folders"][0]).exists()
    # the listener's own settings were neither used nor changed by the demo
    assert os.environ.get("KINDRED_HOME") == str(kindred_home)
    assert not (kindred_home / "config" / "settings.json").exists()


@requires_ffmpeg  # the demo library is made with ffmpeg
@pytest.mark.timeout(240)
def test_demo_with_dir_keeps_the_folder(qapp, tmp_path) -> None:
    seen = _run_demo(argparse.Namespace(dir=str(tmp_path / "d"), seconds=2.0, no_window=False))
    assert seen["code"] == 0
    assert seen["comments"]
    assert (tmp_path / "d" / "demo.db").exists()
    assert (tmp_path / "d" / "server" / "comments.db").exists()
    assert list((tmp_path / "d" / "music").glob("*/*/*.flac"))
    with pytest.raises(httpx.HTTPError):
        httpx.get(f"{seen['server']}/healthz", timeout=2)


@pytest.mark.timeout(240)
def test_the_welcome_pages_demo_is_the_same_first_hour(qtbot, open_window, monkeypatch) -> None:
    """The welcome page's demo button: made, scanned, analysed (progress in the status bar),
    its own comment server seeded and signed in; the server stops when the window closes."""
    from PySide6.QtCore import Qt

    from player.ui.window.main_window import MainWindow

    monkeypatch.setattr(MainWindow, "DEMO_SECONDS", 4.0)
    window, _ = open_window()
    assert window.stack.currentWidget() is window.pages["welcome"]
    qtbot.mouseClick(window.pages["welcome"].demo, Qt.MouseButton.LeftButton)
    assert "demo library" in window.scan.label.text()
    panel = window.comments
    # the demo's server, seeded once the scan is done, signed in as the demo account
    qtbot.waitUntil(lambda: window.demo.seeded is not None, timeout=120000)
    server = window.demo.seeded.url
    assert panel.backend.server == server and panel.backend.signed_in
    qtbot.waitUntil(lambda: "demo" in panel.account_box.who.text(), timeout=10000)
    assert window.ctx.settings.server_url != server  # for this run only
    # For You: every track analysed (the status bar told it), shelves with tracks
    page = window.pages["foryou"]
    window.show_view("foryou")

    def for_you_full() -> bool:
        if window.discovery.analysis.running or page.data is None:
            return False
        if page.data.analysed != page.data.tracks:
            page.mark_dirty()
            return False
        return bool([r for view in getattr(page, "shelves", []) for r in view.rows])

    qtbot.waitUntil(for_you_full, timeout=150000)
    assert page.data.analysed == 12
    assert "Analysed 12 tracks" in window.discovery.analysis.label.text()
    assert len([r for view in page.shelves for r in view.rows]) >= 6
    # the Comments tab: the seeded conversation, with its pinned moments
    titles = {window.db.get_track(t).title: t for t in window.db.track_ids()}
    panel.show_track(titles["Chrome Horizon"], "Chrome Horizon", "Neon Harbor")
    window.side.setCurrentWidget(panel)
    qtbot.waitUntil(lambda: len(panel.comments) >= 3, timeout=20000)
    bodies = [c.body for c in panel.comments.values()]
    assert "这段琶音一出来，整个夜晚都亮了。" in bodies
    assert 6000 in [c.position_ms for c in panel.comments.values()]
    assert not panel.invite.isVisible()
    # the demo's music is the library's folder; closing stops its server
    folders = window.ctx.settings.library_folders
    assert len(folders) == 1 and folders[0].endswith("music")
    assert httpx.get(f"{server}/healthz", timeout=5).status_code == 200
    window.close()
    window.shutdown()
    with pytest.raises(httpx.HTTPError):
        httpx.get(f"{server}/healthz", timeout=2)
    assert not window.demo.session.server.folder.exists()
