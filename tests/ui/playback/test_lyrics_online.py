"""The lyrics tab with bilingual LRC, the per-track offset, LRCLIB lookups (against a
strict local LRCLIB) and Settings -> Lyrics; real window and widgets, in-memory engine."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from player.library import lyrics_cache
from player.library.scanner import Scanner
from player.library.store import LibraryDB
from player.ui.settings.dialog import SettingsDialog
from tests.audiogen import make_audio, tag
from tests.lrclib_server import LrclibServer, Record
from tests.ui.conftest import wait_loaded

BILINGUAL = """\
[ti:月亮代表我的心]
[00:01.00]你问我爱你有多深
[00:01.00]You ask me how deep my love is
[00:03.00]我爱你有几分
[00:03.00]How much I love you
[00:05.00]我的情也真
[00:05.00]My feelings are true
[00:07.00]我的爱也真
[00:07.00]My love is true
[00:09.00]月亮代表我的心
[00:09.00]The moon speaks for my heart
"""
FOUND = "[00:01.00]found online\n[00:04.00]second line\n"
SCREENSHOT = Path(__file__).resolve().parents[3] / "docs" / "screenshots" / "lyrics-translation.png"


@pytest.fixture(scope="module")
def lyrics_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two 12 s songs: one with a bilingual .lrc beside it, one without lyrics."""
    folder = tmp_path_factory.mktemp("lyrics-music")
    moon = make_audio(folder / "moon.flac", "flac", seconds=12.0)
    tag(moon, title="月亮代表我的心", artists=["邓丽君"], album="淚的小雨")
    (folder / "moon.lrc").write_text(BILINGUAL, encoding="utf-8")
    other = make_audio(folder / "other.flac", "flac", seconds=12.0)
    tag(other, title="Found Online", artists=["Ana"], album="Disc")
    db_path = tmp_path_factory.mktemp("lyrics-db") / "library.db"
    with LibraryDB(db_path) as db:
        Scanner(db, workers=1).scan([folder])
        db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return db_path


def play(qtbot, window, title: str) -> None:
    model = window.tracks_page.model
    wait_loaded(qtbot, model)
    row = next(i for i in range(model.rowCount()) if model.row(i)["title"] == title)
    window.tracks_page.view.play_rows([row])
    window.side.setCurrentWidget(window.lyrics_panel)


def saved(window) -> dict:
    return json.loads(window.ctx.paths.settings_file.read_text(encoding="utf-8"))


def test_translations_show_under_each_line_and_the_switch_is_remembered(
    qtbot, open_window, lyrics_library
) -> None:
    window, engine = open_window(lyrics_library)
    window.resize(1280, 760)
    play(qtbot, window, "月亮代表我的心")
    panel, view = window.lyrics_panel, window.lyrics_panel.view
    qtbot.waitUntil(lambda: view.lyrics is not None)
    assert view.lyrics.has_translation and len(view.lyrics.lines) == 5
    assert view.lyrics.lines[0].translation == "You ask me how deep my love is"
    assert panel.translation_button.isVisible() and panel.translation_button.isChecked()
    tall = view._placed[0].height
    assert [t for t, _x, _r in view._placed[0].translation] == [
        "You ",
        "ask ",
        "me ",
        "how ",
        "deep ",
        "my ",
        "love ",
        "is",
    ]
    engine.advance(3200)
    qtbot.waitUntil(lambda: view.current == 1)
    qtbot.wait(450)  # the scroll settles
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    assert panel.grab().save(str(SCREENSHOT))
    # the switch hides translations, and the choice is saved
    panel.translation_button.click()
    assert not view.show_translation and view._placed[0].translation == []
    assert view._placed[0].height < tall
    assert saved(window)["lyrics_translation"] is False
    assert not window.ctx.settings.lyrics_translation


def test_the_offset_moves_the_lit_line_and_is_saved_per_track(
    qtbot, open_window, lyrics_library
) -> None:
    window, engine = open_window(lyrics_library)
    play(qtbot, window, "月亮代表我的心")
    panel, view = window.lyrics_panel, window.lyrics_panel.view
    qtbot.waitUntil(lambda: view.lyrics is not None)
    assert panel.earlier.isVisible() and panel.offset_label.text() == "0.0 s"
    engine.advance(2700)  # line 0 (1.00 s) is sung; line 1 starts at 3.00 s
    qtbot.waitUntil(lambda: view.current == 0)
    panel.earlier.click()  # the lines come 0.5 s earlier: 2.7 s shows what is due at 3.2 s
    assert view.lyrics_offset_ms == 500 and view.current == 1
    assert panel.offset_label.text() == "-0.5 s"
    track_id = window.bridge.playing_item.track_id
    db_path = window.ctx.db_path

    def stored() -> int:
        with LibraryDB(db_path, readonly=True) as db:
            return lyrics_cache.offset_of(db, track_id)

    qtbot.waitUntil(lambda: stored() == 500)
    panel.later.click()
    panel.later.click()
    assert view.lyrics_offset_ms == -500 and view.current == 0
    qtbot.waitUntil(lambda: stored() == -500)
    # the track comes back with its offset
    panel.show_item(window.bridge.playing_item)
    qtbot.waitUntil(lambda: view.lyrics is not None)
    assert view.lyrics_offset_ms == -500 and panel.offset_label.text() == "+0.5 s"


def test_nothing_is_sent_while_online_lookups_are_off(
    qtbot, open_window, make_ctx, lyrics_library
) -> None:
    with LrclibServer([Record("Found Online", "Ana", "Disc", 12, synced=FOUND)]) as server:
        ctx = make_ctx(lyrics_library)
        assert ctx.settings.lyrics_online is False  # the default
        ctx.settings.lyrics_server = server.url
        window, _engine = open_window(ctx=ctx)
        play(qtbot, window, "Found Online")
        panel = window.lyrics_panel
        qtbot.waitUntil(lambda: "No lyrics" in panel.empty.text())
        assert ".lrc" in panel.empty.text()
    assert server.requests == []


def test_a_song_without_lyrics_is_looked_up_once_and_saved_beside_it(
    qtbot, open_window, make_ctx, lyrics_library, tmp_path
) -> None:
    # a copy of the music, since a .lrc gets written beside it
    music = tmp_path / "music"
    music.mkdir()
    with LibraryDB(lyrics_library, readonly=True) as db:
        source = Path(
            next(
                p for (p,) in db.conn.execute("SELECT path FROM tracks") if p.endswith("other.flac")
            )
        )
    target = music / "other.flac"
    target.write_bytes(source.read_bytes())
    db_path = tmp_path / "own.db"
    with LibraryDB(db_path) as db:
        Scanner(db, workers=1).scan([music])
    with LrclibServer([Record("Found Online", "ana", "disc", 13, synced=FOUND)]) as server:
        ctx = make_ctx(db_path)
        ctx.settings.lyrics_online = True
        ctx.settings.lyrics_save_lrc = True
        ctx.settings.lyrics_server = server.url
        window, _engine = open_window(ctx=ctx)
        play(qtbot, window, "Found Online")
        panel, view = window.lyrics_panel, window.lyrics_panel.view
        qtbot.waitUntil(lambda: view.lyrics is not None)
        assert [line.text for line in view.lyrics.lines] == ["found online", "second line"]
        assert panel.origin_label.text() == "From LRCLIB"
        assert server.paths() == ["/api/get"] and server.refused == 0
        assert server.requests[0].params["duration"] == "12"
        assert "Kindred" in server.requests[0].headers["User-Agent"]
        assert (music / "other.lrc").read_text(encoding="utf-8") == FOUND
        # the .lrc now answers locally; with it gone, the cache does: no second request
        (music / "other.lrc").unlink()
        panel.show_item(window.bridge.playing_item)
        qtbot.waitUntil(lambda: view.lyrics is not None)
        assert panel.found is not None and panel.found.origin == "cache"
        assert len(server.requests) == 1


def test_the_settings_page_turns_lookups_on_and_saves(qtbot, open_window, lyrics_library) -> None:
    window, _engine = open_window(lyrics_library)
    window.show_settings()
    dialog = window.settings_dialog
    assert isinstance(dialog, SettingsDialog)
    page = dialog.show_page("lyrics")
    assert not page.online.isChecked() and not page.server.isEnabled()
    page.online.click()
    assert window.ctx.settings.lyrics_online and saved(window)["lyrics_online"] is True
    assert page.server.isEnabled()
    page.server.setText("lyrics.example.org/")
    page.apply_button.click()
    assert saved(window)["lyrics_server"] == "https://lyrics.example.org"
    page.translation.click()
    assert saved(window)["lyrics_translation"] is False
    assert not window.lyrics_panel.translation_button.isChecked()


def test_a_hanging_lyrics_server_holds_no_shared_worker(
    qtbot, open_window, make_ctx, tmp_path
) -> None:
    """Two lookups wait on a server that does not answer; a job of the shared pool (two
    threads here, as on a two-core machine) still runs at once."""
    from PySide6.QtCore import QThreadPool

    music = tmp_path / "music"
    music.mkdir()
    for name in ("First", "Second"):
        song = make_audio(music / f"{name.lower()}.flac", "flac", seconds=4.0)
        tag(song, title=name, artists=["Ana"], album="Disc")
    db_path = tmp_path / "own.db"
    with LibraryDB(db_path) as db:
        Scanner(db, workers=1).scan([music])
    pool = QThreadPool.globalInstance()
    threads = pool.maxThreadCount()
    with LrclibServer([Record("Second", "Ana", "Disc", 4, synced=FOUND)]) as server:
        server.hold.clear()  # the server hangs
        ctx = make_ctx(db_path)
        ctx.settings.lyrics_online = True
        ctx.settings.lyrics_server = server.url
        window, _engine = open_window(ctx=ctx)
        assert window.runner.pool is pool
        pool.setMaxThreadCount(2)
        try:
            play(qtbot, window, "First")
            qtbot.waitUntil(lambda: server.held == 1, timeout=5000)
            play(qtbot, window, "Second")
            qtbot.waitUntil(lambda: server.held == 2, timeout=5000)
            answers: list[object] = []
            window.runner.submit(lambda: "read", name="a library read").done.connect(
                lambda result, _error: answers.append(result)
            )
            qtbot.waitUntil(lambda: answers == ["read"], timeout=3000)
            assert server.held == 2  # both lookups still wait
            panel, view = window.lyrics_panel, window.lyrics_panel.view
            assert panel.empty.text() == "Looking for lyrics…"
            server.hold.set()
            qtbot.waitUntil(lambda: view.lyrics is not None, timeout=5000)
            assert [line.text for line in view.lyrics.lines] == ["found online", "second line"]
        finally:
            pool.setMaxThreadCount(threads)
