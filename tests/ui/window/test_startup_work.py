"""What the window's start-up leaves for later: parts nobody asked for stay unloaded, and
imports after PySide6 read no source files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = """
import json, linecache, sys
import player.ui.main  # noqa: F401  (PySide6 as the window imports it)
from PySide6.QtWidgets import QMainWindow
from player.app import run_window
shown = {}
def show_event(self, event, show=QMainWindow.showEvent):
    shown.setdefault("loaded", sorted(m for m in BEFORE_WINDOW if m in sys.modules))
    show(self, event)
QMainWindow.showEvent = show_event
code = run_window(quit_after_ms=3500)  # past the deferred work (sign-in, watching, bell)
feature = sys.modules.get("shibokensupport.feature")
print(json.dumps({
    "code": code,
    "before_window": shown.get("loaded"),
    "stage_built": "player.audio.output.stage" in sys.modules,
    "loaded": sorted(m for m in NAMES if m in sys.modules),
    "player_sources_read": sorted(f for f in linecache.cache if "/player/" in f),
    "patched": getattr(getattr(feature, "_mod_uses_pyside", None), "__module__", None),
}))
"""
NAMES = ["player.social.scrobble.accounts", "player.ui.window.demo", "player.library.demo",
         "player.social.demosession", "player.library.tagwrite", "httpx", "keyring"]  # fmt: skip
#: the output stage is built on a worker after the window is shown (a track to resume) or
#: at the first play: never before the window
BEFORE_WINDOW = ["sounddevice", "numpy", "player.audio.output.stage",
                 # the pages not shown at start are built (and imported) on first show
                 "player.ui.foryou.page", "player.ui.pages.albums",
                 "player.ui.pages.listening", "player.ui.pages.radio",
                 "player.ui.pages.librarybrowser",
                 # the tag reader and the folder walk wait for a drop, the stream resolver
                 # (HTTP client, TLS) for the first URL played
                 "mutagen", "player.library.tags", "player.library.walk",
                 "player.audio.streams", "player.audio.httpclient", "ssl",
                 # the playlist readers' XML parser and text decoding: at the first read
                 "xml.etree.ElementTree", "player.library.cue",
                 # the Lyrics and Comments tabs (with the bell's inbox and the marks on
                 # the seek slider) are built after the first paint, or when first shown
                 "player.ui.playback.lyrics", "player.library.lyrics_online",
                 "player.ui.comments.panel", "player.ui.comments.install",
                 "player.ui.comments.inbox",
                 # no other window running: its socket file is not there, no QLocalSocket
                 "PySide6.QtNetwork"]  # fmt: skip


def test_start_up_loads_no_demo_no_scrobbling_client_and_reads_no_sources(
    kindred_home: Path,
) -> None:
    result = subprocess.run(
        [sys.executable, "-c", f"NAMES = {NAMES!r}\nBEFORE_WINDOW = {BEFORE_WINDOW!r}\n{SCRIPT}"],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["code"] == 0
    # nothing queued for a scrobbling service, no demo and no comment server chosen: their
    # clients, the demo library maker, the tag writer and the keyring are not imported
    assert out["loaded"] == []
    # NumPy and PortAudio (sounddevice) wait until the window is on screen; with no track
    # to resume the output stage waits for the first play; the pages not shown are not built
    assert out["before_window"] == []
    assert not out["stage_built"]
    assert out["patched"] == "player.ui.kit.pysideimports"
    # only the module that turns the source search off was searched
    assert [Path(f).name for f in out["player_sources_read"]] == ["pysideimports.py"]


def test_the_kindred_command_loads_no_sub_command_for_the_window() -> None:
    """``kindred`` without arguments opens the window: the sub-commands' modules (the demo's
    NumPy, the history import's httpx) are not imported to get there."""
    script = (
        "import sys, json\nimport player.cli\n"
        "print(json.dumps(sorted(m for m in ('numpy', 'httpx', 'player.cli.demo', "
        "'player.cli.history', 'player.cli.library') if m in sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []


def test_collection_paused_for_start_up_resumes_with_start_up_objects_frozen() -> None:
    import gc

    from player.ui.main import resume_collection

    resume_collection()  # not paused: nothing to do
    assert gc.isenabled() and gc.get_freeze_count() == 0
    gc.disable()
    made_at_start = [[] for _ in range(100)]
    try:
        resume_collection()
        assert gc.isenabled()
        assert gc.get_freeze_count() >= len(made_at_start)
    finally:
        gc.unfreeze()
        gc.enable()


def test_the_lyrics_tab_is_built_when_first_shown_in_its_place(qtbot, open_window) -> None:
    from player.ui.playback.lyrics import LyricsPanel

    window, _engine = open_window(restore=False)
    tab = window.lyrics_tab
    if tab.widget is None:  # not built yet: a stand-in holds its place
        assert window.side.widget(1) is tab.holder
    window.side.setCurrentIndex(1)  # a listener opens it
    assert isinstance(window.side.widget(1), LyricsPanel)
    assert window.side.currentWidget() is window.lyrics_panel
    assert [window.side.tabText(i) for i in range(3)] == ["Queue", "Lyrics", "Comments"]
    assert tab.build_ms is not None


def test_the_lyrics_tab_is_built_after_the_first_paint_unasked(qtbot, open_window) -> None:
    window, _engine = open_window(restore=False)
    qtbot.waitUntil(lambda: window.lyrics_tab.widget is not None, timeout=5000)
    assert window.side.currentIndex() == 0  # the queue stays in front
    assert window.side.widget(1) is window.lyrics_panel


def test_the_comments_tab_is_built_when_first_shown_with_its_wiring(qtbot, open_window) -> None:
    from player.ui.comments.panel import CommentsPanel

    window, _engine = open_window(restore=False)
    tab = window.comments_tab
    if tab.widget is None:
        assert window.side.widget(2) is tab.holder
    window.side.setCurrentIndex(2)
    assert isinstance(window.side.widget(2), CommentsPanel)
    assert window.side.currentWidget() is window.comments
    assert window.moments.count.parent() is not None  # on the now-playing bar
    assert window.inbox.bell is window.bell


def test_a_click_on_the_bell_before_the_comments_tab_is_built_opens_the_inbox(
    qtbot, open_window
) -> None:
    window, _engine = open_window(restore=False)
    if window.comments_tab.widget is not None:
        pytest.skip("the tab was built before the click could come")
    window.bell.click()
    assert window.comments_tab.widget is not None
    assert window.inbox.popup.isVisible()
    window.inbox.popup.hide()
