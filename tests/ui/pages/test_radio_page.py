"""The Radio page in the window: add (checked like playback), rename, remove, play, history.

Real parts: a local HTTP server serving a short audio file and the station
playlists that name it (:mod:`tests.netservers`), the real resolver behind the
dialog's check, the window's playback bridge and the library store. The fake
engine stands in for libVLC and announces the stream's titles the way libVLC
reports ICY metadata.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QLineEdit

from player.audio.engine import PlaybackState
from player.library.radio import RadioStations
from player.library.store import LibraryDB
from tests.audiogen import make_audio, requires_ffmpeg
from tests.netservers import HttpTestServer, free_port

pytestmark = requires_ffmpeg


@pytest.fixture(scope="module")
def http(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HttpTestServer]:
    root = tmp_path_factory.mktemp("radio-www")
    make_audio(root / "tone.flac", "flac", seconds=2.0)
    with HttpTestServer(root) as server:
        server.add_playlists("tone.flac", stem="station")
        yield server


def open_radio(qtbot, open_window):
    window, engine = open_window(None)
    window.resize(1200, 760)
    window.show_view("radio")
    return window, engine, window.pages["radio"]


def add_through_dialog(qtbot, page, address: str, name: str = ""):
    dialog = page.open_add()
    qtbot.waitExposed(dialog)
    dialog.name.setText(name)
    dialog.address.setText(address)
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    return dialog


def test_add_a_station_by_playlist_url_and_by_file(
    qtbot, open_window, http: HttpTestServer, tmp_path: Path
) -> None:
    window, _engine, page = open_radio(qtbot, open_window)
    assert page.empty.isVisible() and "Add station" in page.empty.text()
    pls = http.url("station.pls")
    add_through_dialog(qtbot, page, pls, "Tone FM")
    qtbot.waitUntil(lambda: page.dialog is None, timeout=10000)
    assert page.station_names() == ["Tone FM"]
    assert page.current().url == pls and page.content.isVisible()
    assert "/station.pls" in http.requests  # the resolver read the playlist
    # a local playlist file adds the streams it names, with their names
    m3u = tmp_path / "mine.m3u"
    m3u.write_text(
        f"#EXTM3U\n#EXTINF:-1,Morning Tone\n{http.url('tone.flac')}\n"
        f"#EXTINF:-1,Evening List\n{http.url('station.m3u')}\n",
        encoding="utf-8",
    )
    add_through_dialog(qtbot, page, str(m3u))
    qtbot.waitUntil(lambda: page.dialog is None, timeout=10000)
    assert page.station_names() == ["Evening List", "Morning Tone", "Tone FM"]
    assert page.subtitle.text() == "3 stations"
    with LibraryDB(window.db_path) as db:
        assert len(RadioStations(db).list_stations()) == 3


def test_a_dead_address_says_why_and_adds_nothing(qtbot, open_window, http: HttpTestServer) -> None:
    _window, _engine, page = open_radio(qtbot, open_window)
    dead = f"http://127.0.0.1:{free_port()}/live.mp3"
    cases = [
        (dead, "refused"),
        (http.url("gone.pls"), "404"),
        ("not an address", "Not a stream address"),
    ]
    dialog = page.open_add()
    for address, words in cases:
        dialog.address.setText(address)
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.error.isVisible() and dialog.ok.isEnabled(), timeout=15000)
        text = dialog.error.text()
        assert words.casefold() in text.casefold(), text
        assert "Traceback" not in text and dialog.isVisible()
        dialog.error.hide()
    dialog.reject()
    assert page.station_names() == [] and page.empty.isVisible()
    assert RadioStations(page.stations.db).list_stations() == []


def test_rename_and_remove(qtbot, open_window, http: HttpTestServer) -> None:
    _window, _engine, page = open_radio(qtbot, open_window)
    for name, url in (("Alpha", http.url("tone.flac")), ("Beta", http.url("station.m3u"))):
        page.stations.add(url, name)
    page.reload()
    page.list.setCurrentRow(0)
    page.list.setFocus()
    qtbot.keyClick(page.list, Qt.Key.Key_F2)  # or the Rename button
    editing = QAbstractItemView.State.EditingState
    qtbot.waitUntil(lambda: page.list.state() == editing)
    editor = page.list.findChild(QLineEdit)
    assert editor is not None and editor.text() == "Alpha"
    editor.selectAll()
    qtbot.keyClicks(editor, "Zulu Radio")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.station_names() == ["Beta", "Zulu Radio"])
    assert page.current().name == "Zulu Radio"
    assert [s.name for s in page.stations.list_stations()] == ["Beta", "Zulu Radio"]
    qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
    assert page.station_names() == ["Beta"]
    assert [s.name for s in page.stations.list_stations()] == ["Beta"]
    page.list.setFocus()
    qtbot.keyClick(page.list, Qt.Key.Key_Delete)
    assert page.station_names() == [] and page.empty.isVisible()


def test_titles_heard_while_a_station_plays_are_kept(
    qtbot, open_window, http: HttpTestServer, tmp_path: Path
) -> None:
    window, engine, page = open_radio(qtbot, open_window)
    tone = page.stations.add(http.url("tone.flac"), "Tone FM")
    other = page.stations.add(http.url("station.m3u"), "Other")
    page.reload(select=tone.id)
    assert page.history_empty.isVisible() and page.history_titles() == []
    page.list.itemActivated.emit(page.list.currentItem())  # Enter / double click
    qtbot.waitUntil(lambda: window.bridge.playing_item is not None, timeout=5000)
    assert window.bridge.playing_item.location == tone.url
    assert window.bridge.playing_item.live  # a station, as `kindred play NAME` plays it
    qtbot.waitUntil(lambda: engine.state == PlaybackState.PLAYING, timeout=5000)
    for title in ("Miles Davis - So What", "Miles Davis - So What", "Nina Simone - Sinnerman"):
        engine.announce(title)
        window.bridge.pump()
    qtbot.waitUntil(lambda: len(page.history_titles()) == 2)
    assert page.history_titles() == ["Nina Simone - Sinnerman", "Miles Davis - So What"]
    assert page.history_title.text() == "Recently heard on Tone FM"
    assert page.history.isVisible() and not page.history_empty.isVisible()
    assert "Sinnerman" in page.history.item(0).text()  # with the time it was heard
    # kept in the library, per station
    with LibraryDB(window.db_path) as db:
        kept = RadioStations(db)
        assert [t.title for t in kept.recent_titles(tone.id)] == [
            "Nina Simone - Sinnerman",
            "Miles Davis - So What",
        ]
        assert kept.recent_titles(other.id) == []
    page.reload(select=other.id)
    assert page.history_title.text() == "Recently heard on Other" and page.history_titles() == []
    page.reload(select=tone.id)
    assert len(page.history_titles()) == 2
    out = tmp_path / "radio.png"
    assert window.grab().save(str(out))
    target = os.environ.get("KINDRED_SCREENSHOT")
    if target:
        shot = Path(target)
        assert window.grab().save(str(shot.with_name(shot.stem + "-radio" + shot.suffix)))
