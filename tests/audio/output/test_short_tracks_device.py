"""Tracks shorter than the card's buffer, through the playback controller, at a device.

The listener's path without the command line: a real :class:`PlaybackController`
with its queue drives Kindred's output stage, which plays to a private
PulseAudio daemon's null sink while ``parec`` records its monitor
(:mod:`tests.pulse`). One continuous sine is cut into a normal track and
eight of 0.15-0.4 s (an interlude, a sound effect, a test CD's index points):
each is heard for less time than the card's buffer holds, so the item after
it has to be decoded before it is even heard. The recording must show one
unbroken sine (no silent run, no phase jump, nothing lost) and the stage no
underrun, with the owner pumping like a window's timer and like a busy one.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from player.audio.controller import PlaybackController
from player.audio.controller_events import ItemFailed, QueueEnded, Report, TrackStarted
from player.audio.engine import EndReached
from player.audio.queue import PlayQueue, QueueItem
from player.config import AudioSettings
from tests.audio.output.test_gapless_device import (
    FREQ,
    RATE,
    _stage_missing,
    cut_sine,
    play_and_measure,
)
from tests.pulse import PulseServer, read_raw
from tests.sinegap import measure_sine_gaps

pytestmark = pytest.mark.skipif(_stage_missing() is not None, reason=str(_stage_missing()))

#: the short tracks' lengths (s); an odd number of samples is added to each so that no
#: join falls on a whole period of the sine
SHORT_S = (0.15, 0.4, 0.22, 0.31, 0.17, 0.38, 0.26, 0.19)
FIRST_S = 2.0


@pytest.fixture(scope="module")
def pulse() -> PulseServer:  # type: ignore[misc]
    with PulseServer() as server:
        yield server


def short_album(folder: Path) -> tuple[list[QueueItem], int]:
    """A 2 s track and the eight short ones, cut from one sine, as one album's queue items."""
    edges, at = [], round(FIRST_S * RATE) + 17
    edges.append(at)
    for index, seconds in enumerate(SHORT_S[:-1]):
        at += round(seconds * RATE) + 2 * index + 1
        edges.append(at)
    total_s = (at + round(SHORT_S[-1] * RATE) + 23) / RATE
    tracks, frames = cut_sine(folder, "flac16", edges, total_s)
    assert len(tracks) == 1 + len(SHORT_S)
    items = [
        QueueItem(location=str(path), title=f"part {n}", album="Sine", album_key="sine")
        for n, path in enumerate(tracks)
    ]
    return items, frames


def play_through_the_controller(
    items: list[QueueItem], pump_every_s: float, timeout_s: float = 30.0
) -> tuple[list[Report], int]:
    """Play the queue to its end as a window does (a pump every *pump_every_s*);
    returns what the controller reported and the stage's underrun count."""
    from player.audio.output.stage import StageEngine

    engine = StageEngine()
    settings = AudioSettings(replaygain_mode="off", volume=100)
    ctl = PlaybackController(engine, PlayQueue(items), settings)
    reports: list[Report] = []
    try:
        ctl.play()
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            reports += ctl.pump()
            if any(isinstance(r, QueueEnded) for r in reports):
                break
            time.sleep(pump_every_s)
        underruns = engine.underruns
    finally:
        ctl.close()
    return reports, underruns


@pytest.mark.parametrize("pump_every_s", [0.05, 0.25], ids=["timer", "busy-owner"])
def test_tracks_shorter_than_the_cards_buffer_join_without_a_gap(
    pulse: PulseServer, tmp_path: Path, pump_every_s: float
) -> None:
    items, frames = short_album(tmp_path)
    with pulse.in_this_process(), pulse.recording(tmp_path / "rec.raw") as rec:
        reports, underruns = play_through_the_controller(items, pump_every_s)
    report = measure_sine_gaps(read_raw(rec), FREQ, RATE, source_frames=frames)
    started = [r.item.title for r in reports if isinstance(r, TrackStarted)]
    ended = [r for r in reports if isinstance(r, EndReached)]
    print(
        f"pump every {pump_every_s}s: silences {[(j.at_ms, j.silence_ms) for j in report.joins]}, "
        f"max phase jump {report.max_phase_jump_deg}°, lost {report.lost_ms} ms, "
        f"underruns {underruns}, started {len(started)}"
    )
    assert not [r for r in reports if isinstance(r, ItemFailed)]
    assert started == [item.title for item in items]
    assert len(ended) == len(items)
    assert not report.joins, f"silence at {report.joins}"
    assert report.max_phase_jump_deg < 3.0, f"a join jumps {report.max_phase_jump_deg}°"
    assert (report.lost_ms or 0.0) < 1.0, f"{report.lost_ms} ms lost"
    assert underruns == 0


def test_short_tracks_join_without_a_gap_through_kindred_play(
    pulse: PulseServer, tmp_path: Path
) -> None:
    items, frames = short_album(tmp_path)
    report = play_and_measure(pulse, tmp_path, [Path(item.location) for item in items], frames)
    assert not report.joins, f"silence at {report.joins}"
    assert report.max_phase_jump_deg < 3.0
    assert (report.lost_ms or 0.0) < 1.0


def test_a_next_track_removed_after_the_stage_decoded_it_is_not_played(
    pulse: PulseServer, tmp_path: Path
) -> None:
    """A (2 s) and C continue one 441 Hz sine; B between them is an 882 Hz tone. Once the
    stage has decoded all three (it wants what follows C), the listener removes B: C
    follows A and B is neither announced nor recorded. (What the card already holds of
    B when the controller hears that the stage went on with it is still heard.)"""
    import numpy as np

    from player.audio.controller_events import media_for
    from tests.audio.output.test_gapless_device import tone_levels, tone_track

    (first, last), _ = cut_sine(tmp_path, "flac16", [round(2.0 * RATE) + 17], 2.5)
    other = tone_track(tmp_path, "other", 2 * FREQ, 0.3, "Sine")
    items = [
        QueueItem(location=str(path), title=title, album="Sine", album_key="sine")
        for title, path in (("A", first), ("B", other), ("C", last))
    ]
    from player.audio.output.stage import StageEngine

    with pulse.in_this_process(), pulse.recording(tmp_path / "rec.raw") as rec:
        engine = StageEngine()
        ctl = PlaybackController(engine, PlayQueue(items), AudioSettings(replaygain_mode="off"))
        reports: list[Report] = []
        try:
            ctl.play()
            deadline = time.monotonic() + 1.5
            while engine.wants_next != media_for(items[2]) and time.monotonic() < deadline:
                reports += ctl.pump(0.05)
            assert engine.wants_next == media_for(items[2]), "C was not decoded ahead in time"
            assert not any(isinstance(r, EndReached) for r in reports)  # A is still heard
            ctl.queue.remove([items[1].id])
            deadline = time.monotonic() + 10
            while not any(isinstance(r, QueueEnded) for r in reports):
                assert time.monotonic() < deadline, "the queue did not end"
                reports += ctl.pump(0.05)
        finally:
            ctl.close()
    recorded = read_raw(rec)
    other_heard_s = np.count_nonzero(tone_levels(recorded, 2 * FREQ) > 0.05) * 0.05
    sine_heard_s = np.count_nonzero(tone_levels(recorded, FREQ) > 0.05) * 0.05
    silences = [round(j.silence_ms) for j in measure_sine_gaps(recorded, FREQ, RATE).joins]
    print(f"B heard {other_heard_s:.2f} s, the sine {sine_heard_s:.2f} s; silences {silences} ms")
    assert [r.item.title for r in reports if isinstance(r, TrackStarted)] == ["A", "C"]
    assert [h.item.title for h in reversed(ctl.queue.history)] == ["A", "C"]
    assert not [r for r in reports if isinstance(r, ItemFailed)]
    assert sine_heard_s >= 2.45  # all of A and C (in 50 ms windows)
    # what the card already had of B when its start was heard (its buffer, 0.35 s) is
    # heard, but never more than once
    assert other_heard_s <= 0.4
