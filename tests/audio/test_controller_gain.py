"""ReplayGain through the playback controller: the gain set for every item, in every mode."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from player.audio.controller_events import TrackStarted
from player.audio.queue import QueueItem, ShuffleMode
from player.config import AudioSettings
from player.library.store import LibraryDB
from player.library.track import TrackInfo
from tests.audio.controller_rig import SECOND, Rig, files
from tests.audiogen import make_audio, requires_ffmpeg, tag


def library_album(tmp_path: Path) -> tuple[LibraryDB, list[QueueItem]]:
    """Two tracks of album A and one of album X, with ReplayGain data, in a real library."""
    db = LibraryDB(tmp_path / "lib.db")
    rows = [
        ("a1", "A", -3.0, -5.0),
        ("a2", "A", -4.0, -5.0),
        ("x1", "X", -7.0, -2.0),
    ]
    infos = []
    for title, album, track_gain, album_gain in rows:
        path = tmp_path / f"{title}.flac"
        path.touch()
        infos.append(
            TrackInfo(
                path=str(path),
                title=title,
                album=album,
                album_artists=["Band"],
                duration=1.0,
                rg_track_gain=track_gain,
                rg_track_peak=0.1,
                rg_album_gain=album_gain,
                rg_album_peak=0.1,
            )
        )
    with db.transaction():
        ids = db.insert_tracks(infos)
    items = [QueueItem.from_track(db.get_track(i), i) for i in ids]  # type: ignore[arg-type]
    return db, items


def gains(rig: Rig, ms: int) -> dict[str, float]:
    """Title -> the engine's gain while that item played."""
    seen: dict[str, float] = {}
    rig.ctl.play()
    for _ in range(0, ms, 100):
        for report in rig.pump():
            if isinstance(report, TrackStarted):
                seen[report.item.title] = rig.engine.gain_db
        rig.engine.advance(100)
    return seen


@pytest.mark.parametrize(
    ("mode", "shuffle", "expected"),
    [
        ("off", ShuffleMode.OFF, {"a1": 0.0, "a2": 0.0, "x1": 0.0}),
        ("track", ShuffleMode.OFF, {"a1": -3.0, "a2": -4.0, "x1": -7.0}),
        ("album", ShuffleMode.OFF, {"a1": -5.0, "a2": -5.0, "x1": -2.0}),
        # the album plays in order: album gain; the lone track of X: its track gain
        ("auto", ShuffleMode.OFF, {"a1": -5.0, "a2": -5.0, "x1": -7.0}),
        # shuffled tracks never play as an album: track gain
        ("auto", ShuffleMode.TRACKS, {"a1": -3.0, "a2": -4.0, "x1": -7.0}),
    ],
)
def test_replaygain_per_item_in_each_mode(
    tmp_path: Path, mode: str, shuffle: ShuffleMode, expected: dict[str, float]
) -> None:
    db, items = library_album(tmp_path)
    settings = AudioSettings(replaygain_mode=mode)
    rig = Rig(items, {it.location: SECOND for it in items}, settings=settings, library=db)
    rig.queue.set_shuffle(shuffle)
    assert gains(rig, 4 * SECOND) == pytest.approx(expected)
    db.close()


def test_replaygain_mode_change_applies_to_the_playing_item(tmp_path: Path) -> None:
    db, items = library_album(tmp_path)
    rig = Rig(items, settings=AudioSettings(replaygain_mode="track"), library=db)
    rig.ctl.play()
    rig.run(200)
    assert rig.engine.gain_db == pytest.approx(-3.0)
    rig.ctl.set_replaygain_mode("album")
    assert rig.engine.gain_db == pytest.approx(-5.0)
    db.close()


def test_replaygain_clipping_prevention_and_fallback(tmp_path: Path) -> None:
    loud = tmp_path / "loud.flac"
    loud.touch()
    db = LibraryDB(tmp_path / "lib.db")
    with db.transaction():
        [track_id] = db.insert_tracks(
            [TrackInfo(path=str(loud), title="loud", rg_track_gain=6.0, rg_track_peak=0.9)]
        )
    untagged = files(tmp_path, ["plain"])[0]
    items = [QueueItem.from_track(db.get_track(track_id), track_id), untagged]  # type: ignore[arg-type]
    settings = AudioSettings(replaygain_mode="track", replaygain_fallback_db=-6.0)
    rig = Rig(items, {it.location: SECOND for it in items}, settings=settings, library=db)
    seen = gains(rig, 3 * SECOND)
    assert seen["loud"] == pytest.approx(-20 * math.log10(0.9))  # limited to the peak
    assert seen["plain"] == pytest.approx(-6.0)  # no data: the fallback
    db.close()


@requires_ffmpeg
def test_replaygain_from_the_file_tags_without_a_library(tmp_path: Path) -> None:
    song = make_audio(tmp_path / "tagged.flac", "flac", seconds=0.5)
    tag(song, title="tagged", rg_track_gain="-8.00 dB", rg_track_peak="0.5")
    item = QueueItem(location=str(song), title="tagged")
    rig = Rig([item], settings=AudioSettings(replaygain_mode="track"))
    assert gains(rig, SECOND) == {"tagged": pytest.approx(-8.0)}
