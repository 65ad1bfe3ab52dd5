"""The playback controller: transport, end of track, failures, history, resume, preferences;
over the in-memory engine, and through libVLC."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from player.audio.controller import PlaybackController
from player.audio.controller_events import ItemFailed, QueueEnded, Report, TrackStarted
from player.audio.engine import (
    DeviceChanged,
    Equalizer,
    MediaItem,
    PlaybackState,
)
from player.audio.fake_engine import FakeEngine
from player.audio.queue import PlayQueue, QueueItem, RepeatMode, ShuffleMode
from player.audio.render import WavOutput
from player.audio.vlc_engine import VlcEngine, libvlc_available
from player.audio.wavio import read_wav
from player.config import AudioSettings
from player.library.store import LibraryDB
from player.library.track import TrackInfo
from tests.audio.controller_rig import SECOND, Rig, files
from tests.audiogen import make_audio, requires_ffmpeg, tag


def test_end_of_track_plays_the_next_and_the_queue_ends(tmp_path: Path) -> None:
    items = files(tmp_path, "abc")
    rig = Rig(items, {items[0].location: 2 * SECOND})
    rig.ctl.play()
    rig.run(2 * SECOND + 100)
    assert rig.started() == ["a", "b"]
    assert rig.queue.current.title == "b"
    assert rig.engine.state == PlaybackState.PLAYING
    rig.run(25 * SECOND)
    assert rig.started() == ["a", "b", "c"]
    assert rig.ended() and not rig.ctl.active
    history = list(reversed(rig.queue.history))
    assert [h.item.title for h in history] == ["a", "b", "c"]
    assert all(h.finished and not h.skipped for h in history)
    assert history[0].listened_ms == pytest.approx(2 * SECOND, abs=250)


def test_preloads_the_following_item_near_the_end(tmp_path: Path) -> None:
    items = files(tmp_path, "ab")
    rig = Rig(items)
    rig.ctl.play()
    rig.run(6 * SECOND)
    assert rig.engine.preloaded is None
    rig.run(1500)
    assert rig.engine.preloaded == MediaItem(items[1].location, title="b")


def test_a_failing_item_is_skipped_and_not_recorded(tmp_path: Path) -> None:
    items = files(tmp_path, "abc")
    items[1] = QueueItem(location=str(tmp_path / "gone.flac"), title="gone")
    seen: list[str] = []
    rig = Rig(items, {it.location: SECOND for it in items})
    rig.ctl.on_error = lambda item, error: seen.append(f"{item.title}: {error.short}")
    rig.ctl.play()
    rig.run(3 * SECOND)
    assert rig.started() == ["a", "c"]
    assert rig.failed() == ["gone"]
    assert seen == ["gone: Cannot play gone: file not found"]
    assert [(it.title, e.short) for it, e in rig.ctl.errors] == [
        ("gone", "Cannot play gone: file not found")
    ]
    assert [h.item.title for h in rig.queue.history] == ["c", "a"]
    assert rig.ended()


@pytest.mark.parametrize("repeat", [RepeatMode.OFF, RepeatMode.ALL])
def test_when_every_item_fails_playback_stops(tmp_path: Path, repeat: RepeatMode) -> None:
    items = [QueueItem(location=str(tmp_path / f"{n}.flac"), title=n) for n in "xyz"]
    rig = Rig(items)
    rig.queue.set_repeat(repeat)
    rig.ctl.play()
    rig.run(500)
    assert rig.failed() == ["x", "y", "z"]
    assert rig.ended() and not rig.ctl.active
    assert rig.queue.history == []


def test_repeat_one_replays_and_repeat_all_wraps(tmp_path: Path) -> None:
    items = files(tmp_path, "ab")
    rig = Rig(items, {it.location: SECOND for it in items})
    rig.queue.set_repeat(RepeatMode.ONE)
    rig.ctl.play()
    rig.run(2500)
    assert rig.started() == ["a", "a", "a"]
    rig.queue.set_repeat(RepeatMode.ALL)
    rig.run(2 * SECOND)
    assert rig.started()[3:] == ["b", "a"]
    assert not rig.ended()


def test_stop_after_current(tmp_path: Path) -> None:
    items = files(tmp_path, "ab")
    rig = Rig(items, {it.location: SECOND for it in items})
    rig.ctl.play()
    rig.queue.set_stop_after_current(True)
    rig.run(3 * SECOND)
    assert rig.started() == ["a"]
    assert rig.ended() and not rig.ctl.active
    assert rig.queue.current.title == "b"
    rig.ctl.play()
    rig.run(200)
    assert rig.started() == ["a", "b"]


def test_next_previous_and_jump_record_the_listening(tmp_path: Path) -> None:
    items = files(tmp_path, "abc")
    rig = Rig(items, {it.location: 60 * SECOND for it in items})
    rig.ctl.play()
    rig.run(5 * SECOND)
    rig.ctl.next()
    rig.run(SECOND)
    rig.ctl.previous()  # only 1 s in: back to "a"
    rig.run(40 * SECOND)
    rig.ctl.jump(items[2].id)
    rig.run(SECOND)
    rig.ctl.stop()
    assert rig.engine.state == PlaybackState.STOPPED
    plays = [(h.item.title, h.listened_ms, h.skipped) for h in reversed(rig.queue.history)]
    assert [p[0] for p in plays] == ["a", "b", "a", "c"]
    assert plays[0][1] == pytest.approx(5 * SECOND, abs=250) and plays[0][2]
    assert plays[2][1] == pytest.approx(40 * SECOND, abs=250) and not plays[2][2]
    assert rig.started() == ["a", "b", "a", "c"]


def test_previous_after_three_seconds_restarts_without_recording(tmp_path: Path) -> None:
    items = files(tmp_path, "ab")
    rig = Rig(items)
    rig.ctl.play()
    rig.run(5 * SECOND)
    rig.ctl.previous()
    assert rig.engine.position() == 0
    assert rig.queue.history == []
    assert rig.engine.state == PlaybackState.PLAYING


def test_seek_is_not_counted_as_listening(tmp_path: Path) -> None:
    items = files(tmp_path, "a")
    rig = Rig(items, {items[0].location: 100 * SECOND})
    rig.ctl.play()
    rig.run(2 * SECOND)
    rig.ctl.seek(90 * SECOND)
    rig.run(3 * SECOND)
    rig.ctl.stop()
    [play] = rig.queue.history
    assert play.listened_ms == pytest.approx(5 * SECOND, abs=250)


def test_history_goes_to_the_library(tmp_path: Path) -> None:
    db = LibraryDB(tmp_path / "lib.db")
    paths = [tmp_path / "one.flac", tmp_path / "two.flac"]
    for p in paths:
        p.touch()
    with db.transaction():
        ids = db.insert_tracks([TrackInfo(path=str(p), title=p.stem, duration=20.0) for p in paths])
    items = [
        QueueItem.from_track(db.get_track(i), track_id=i)  # type: ignore[arg-type]
        for i in ids
    ]
    rig = Rig(items, {str(paths[0]): 20 * SECOND, str(paths[1]): 20 * SECOND}, library=db)
    rig.ctl.play()
    rig.run(20 * SECOND + 200)  # the first plays to its end
    rig.run(2 * SECOND)
    rig.ctl.next()  # the second is skipped after 2 s
    rows = db.conn.execute(
        "SELECT track_id, listened_ms, finished, skipped FROM plays ORDER BY id"
    ).fetchall()
    assert [(r[0], r[2], r[3]) for r in rows] == [(ids[0], 1, 0), (ids[1], 0, 1)]
    assert rows[0][1] == pytest.approx(20 * SECOND, abs=250)
    assert rows[1][1] == pytest.approx(2 * SECOND, abs=250)
    counts = db.conn.execute("SELECT play_count, skip_count FROM tracks ORDER BY id").fetchall()
    assert [tuple(c) for c in counts] == [(1, 0), (0, 1)]
    db.close()


@pytest.mark.parametrize("playing", [False, True])
def test_resume_after_restart(tmp_path: Path, playing: bool) -> None:
    items = files(tmp_path, "abc")
    lengths = {it.location: 60 * SECOND for it in items}
    first = Rig(items, lengths)
    first.ctl.play()
    first.run(SECOND)
    first.ctl.next()
    first.run(12 * SECOND)
    state = first.ctl.save_state(tmp_path / "queue.json")
    first.ctl.close()

    second = Rig([], lengths)
    assert second.ctl.restore_state(state, play=playing) is None
    assert second.ctl.position() == pytest.approx(12 * SECOND, abs=250)
    second.pump()
    assert [it.title for it in second.queue.items] == ["a", "b", "c"]
    assert second.ctl.playing_item.title == "b"
    assert second.engine.position() == pytest.approx(12 * SECOND, abs=250)
    want = PlaybackState.PLAYING if playing else PlaybackState.PAUSED
    assert second.engine.state == want
    assert not second.engine.muted
    second.ctl.play()
    second.run(SECOND)
    assert second.engine.position() == pytest.approx(13 * SECOND, abs=250)


def test_volume_mute_and_equalizer_are_remembered(tmp_path: Path) -> None:
    settings = AudioSettings(volume=70, replaygain_mode="off")
    rig = Rig(files(tmp_path, "a"), settings=settings)
    assert rig.engine.volume == 70
    rig.ctl.set_volume(130)
    assert rig.engine.volume == 100 and settings.volume == 100
    rig.ctl.set_muted(True)
    assert rig.engine.muted and rig.ctl.muted
    eq = rig.ctl.set_equalizer_preset("flat")
    assert rig.engine.equalizer == Equalizer(preset="Flat") == eq
    assert settings.equalizer_enabled and settings.equalizer_preset == "Flat"
    with pytest.raises(Exception, match="Unknown equalizer preset") as info:
        rig.ctl.set_equalizer_preset("Disco")
    assert "Flat" in info.value.detail  # type: ignore[attr-defined]
    rig.ctl.set_equalizer(None)
    assert rig.engine.equalizer is None and not settings.equalizer_enabled
    assert rig.saved >= 4
    custom = Equalizer(2.0, (1.0,) * 10)
    rig.ctl.set_equalizer(custom)
    again = Rig([], settings=settings)
    assert again.engine.equalizer == custom and again.engine.volume == 100


def test_output_device_choice_is_kept_when_it_falls_back(tmp_path: Path) -> None:
    settings = AudioSettings(replaygain_mode="off")
    rig = Rig(files(tmp_path, "a"), settings=settings)
    rig.ctl.select_device("fake-default")
    assert settings.output_device == "fake-default"
    assert [d.id for d in rig.ctl.output_devices()] == ["fake-default"]
    unplugged = FakeEngine()
    unplugged.devices = []
    later = PlaybackController(unplugged, PlayQueue(), settings)
    events = later.pump()
    assert any(isinstance(e, DeviceChanged) and e.message for e in events)
    assert "not available" in (later.device_message or "")
    assert settings.output_device == "fake-default"


def test_album_shuffle_keeps_playing_through_the_queue(tmp_path: Path) -> None:
    items = files(tmp_path, "ab", album="A") + files(tmp_path, "xy", album="X")
    rig = Rig(items, {it.location: SECOND for it in items})
    rig.queue.set_shuffle(ShuffleMode.ALBUMS)
    rig.ctl.play()
    rig.run(5 * SECOND)
    assert sorted(rig.started()) == ["a", "b", "x", "y"]
    assert rig.ended()


# ---- through libVLC --------------------------------------------------------------------
@requires_ffmpeg
@pytest.mark.skipif(not libvlc_available(), reason="libVLC is not installed (CI installs VLC)")
def test_two_flac_files_play_back_to_back_through_libvlc(tmp_path: Path) -> None:
    one = make_audio(tmp_path / "one.flac", "flac", seconds=4.0, freq=440)
    two = make_audio(tmp_path / "two.flac", "flac", seconds=1.0, freq=880)
    tag(one, title="One", artists=["Tone"])
    tag(two, title="Two", artists=["Tone"])
    out = tmp_path / "paced.wav"
    engine = VlcEngine(output=WavOutput(out, paced=True))
    items = [QueueItem(location=str(p), title=p.stem) for p in (one, two)]
    ctl = PlaybackController(engine, PlayQueue(items), AudioSettings(replaygain_mode="off"))
    reports: list[Report] = []
    try:
        ctl.play()
        for _ in range(200):  # at most 20 s: never reached unless playback hangs
            reports += ctl.pump(0.1)
            if any(isinstance(r, QueueEnded) for r in reports):
                break
    finally:
        ctl.close()
    assert [r.item.title for r in reports if isinstance(r, TrackStarted)] == ["one", "two"]
    assert not [r for r in reports if isinstance(r, ItemFailed)]
    assert any(isinstance(r, QueueEnded) for r in reports) and not ctl.active
    plays = list(reversed(ctl.queue.history))
    assert [(p.item.title, p.finished) for p in plays] == [("one", True), ("two", True)]
    # "one" ended after "two" was preloaded: its play counts its own length, not two's
    listened = [p.listened_ms for p in plays]
    assert listened == [pytest.approx(4000, abs=300), pytest.approx(1000, abs=300)]
    samples, rate = read_wav(out)
    print(f"rendered {len(samples) / rate:.3f} s for 5.000 s of input")
    assert len(samples) / rate == pytest.approx(5.0, abs=0.15)


@requires_ffmpeg
@pytest.mark.skipif(not libvlc_available(), reason="libVLC is not installed (CI installs VLC)")
def test_resume_paused_through_libvlc_is_silent_until_play(tmp_path: Path) -> None:
    song = make_audio(tmp_path / "song.flac", "flac", seconds=5.0)
    saved = PlayQueue([QueueItem(location=str(song), title="song", duration_ms=5000)])
    saved.jump(saved.items[0].id)
    saved.position_ms = 2500
    state = saved.save(tmp_path / "queue.json")
    out = tmp_path / "paced.wav"
    engine = VlcEngine(output=WavOutput(out, paced=True))
    ctl = PlaybackController(engine, PlayQueue(), AudioSettings(replaygain_mode="off"))
    try:
        ctl.restore_state(state)
        for _ in range(100):  # bounded wait for libVLC to open, seek and pause
            ctl.pump(0.1)
            if engine.state == PlaybackState.PAUSED and not engine.muted:
                break
        assert engine.state == PlaybackState.PAUSED
        assert engine.position() == pytest.approx(2500, abs=300)
        heard = read_wav(out)[0] if out.exists() and out.stat().st_size > 44 else np.zeros((0, 2))
        assert not np.abs(heard).any()  # nothing audible before the listener presses play
        ctl.play()
        for _ in range(100):
            ctl.pump(0.1)
            if engine.position() > 3000:
                break
        assert engine.state == PlaybackState.PLAYING and engine.position() > 3000
    finally:
        ctl.close()


def test_a_long_run_of_missing_files_is_worked_through_a_few_per_pump(tmp_path: Path) -> None:
    from player.audio.controller import MAX_ROUNDS_PER_PUMP

    missing = [QueueItem(location=str(tmp_path / f"gone-{i}.flac"), title=f"gone {i}")
               for i in range(200)]  # fmt: skip
    [present] = files(tmp_path, ["here"])
    rig = Rig([*missing, present])
    rig.ctl.play()
    pumps, failed = 0, 0
    while rig.ctl.playing_item is not present and pumps < 500:
        reports = rig.pump()
        pumps += 1
        batch = sum(isinstance(r, ItemFailed) for r in reports)
        assert batch <= MAX_ROUNDS_PER_PUMP + 1  # the owner's loop gets control back often
        failed += batch
    assert rig.ctl.playing_item is present and failed == 200
    assert pumps >= 200 // (MAX_ROUNDS_PER_PUMP + 1)
