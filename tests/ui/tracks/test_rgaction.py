"""The tag editor's "Write ReplayGain" action: real files, the real runner, read back with mutagen."""

from __future__ import annotations

from pathlib import Path

import mutagen
import pytest
from PySide6.QtCore import Qt

from player.library.scanner import Scanner
from player.library.store import LibraryDB
from player.recommend.rgtags import measure_album
from player.ui.tracks.tageditor import TagEditor
from tests.audiogen import make_audio, requires_ffmpeg, tag
from tests.ui.conftest import wait_loaded

pytestmark = requires_ffmpeg


@pytest.fixture
def album(tmp_path: Path) -> tuple[Path, list[Path]]:
    """An album of three tones of different loudness (two FLAC, one MP3), scanned."""
    folder = tmp_path / "music"
    folder.mkdir()
    paths = []
    for i, (fmt, amp) in enumerate((("flac", 0.8), ("mp3", 0.2), ("flac", 0.05))):
        path = make_audio(folder / f"{i}.{fmt}", fmt, seconds=3.0, amplitude=amp)
        tag(path, title=f"Tone {i}", artists=["K"], album="Tones", album_artists=["K"])
        paths.append(path)
    db_path = tmp_path / "lib.db"
    with LibraryDB(db_path) as db:
        Scanner(db, workers=1).scan([folder])
    return db_path, paths


def test_write_replaygain_from_the_tag_editor(qtbot, open_window, album) -> None:
    db_path, paths = album
    window, _ = open_window(db_path)
    model = window.tracks_page.model
    wait_loaded(qtbot, model)
    first = next(r for r in range(model.rowCount()) if model.row(r)["path"] == str(paths[0]))
    editor = TagEditor.open_for(window.tracks_page.view, [model.ids[first]])
    assert editor is not None
    qtbot.waitUntil(lambda: bool(editor.tracks), timeout=5000)
    button = editor.replaygain.button
    assert button.text() == "Write ReplayGain" and button.isEnabled()
    with qtbot.waitSignal(editor.replaygain.finished, timeout=30000) as blocker:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    result = blocker.args[0]
    # one track chosen: its whole album is measured and tagged
    assert sorted(result.written) == sorted(map(str, paths)) and not result.errors
    assert editor.replaygain.status.text() == "ReplayGain written to 3 files."
    assert editor.replaygain.status.isVisible() and not editor.problem.isVisible()
    assert editor.isVisible()  # the editor stays open for more edits
    gains = measure_album([str(p) for p in paths])
    flac = mutagen.File(paths[2]).tags
    assert flac["REPLAYGAIN_TRACK_GAIN"] == [f"{gains[2].track_gain:.2f} dB"]
    assert flac["REPLAYGAIN_ALBUM_GAIN"] == [f"{gains[2].album_gain:.2f} dB"]
    mp3 = mutagen.File(paths[1]).tags
    assert mp3["TXXX:REPLAYGAIN_ALBUM_GAIN"].text == [f"{gains[1].album_gain:.2f} dB"]
    # the track list re-read the written row
    qtbot.waitUntil(
        lambda: model.row(first).get("rg_album_gain") == pytest.approx(gains[0].album_gain),
        timeout=5000,
    )
    editor.grab().save("/work/shots/replaygain-editor.png")


def test_a_read_only_file_is_listed_and_the_rest_written(qtbot, open_window, album) -> None:
    db_path, paths = album
    paths[1].chmod(0o444)
    before = paths[1].read_bytes()
    window, _ = open_window(db_path)
    model = window.tracks_page.model
    wait_loaded(qtbot, model)
    editor = TagEditor.open_for(window.tracks_page.view, list(model.ids))
    assert editor is not None
    qtbot.waitUntil(lambda: bool(editor.tracks), timeout=5000)
    with qtbot.waitSignal(editor.replaygain.finished, timeout=30000):
        editor.replaygain.button.click()
    assert editor.replaygain.status.text() == "ReplayGain written to 2 files."
    assert editor.problem.text() == "Could not tag 1 of 3 files:"
    assert editor.errors.count() == 1 and editor.errors.item(0).text().startswith("1.mp3")
    assert paths[1].read_bytes() == before
    editor.grab().save("/work/shots/replaygain-editor-error.png")
