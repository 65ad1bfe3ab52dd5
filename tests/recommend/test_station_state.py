"""The live radio kept on disk: it survives a restart, ends when it ends, and a bad file is ignored."""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from player.library.store import LibraryDB
from player.recommend.recommender import Recommender
from player.recommend.shelves import Shelves
from player.recommend.station import TOP_UP, Heard, Station
from player.recommend.station_state import STATION_FILE, StationFile
from tests.recommend.conftest import style_of


@pytest.fixture
def db_path(styled_library: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "lib.db"
    shutil.copy(styled_library, copy)
    return copy


@pytest.fixture
def kept(tmp_path: Path) -> Path:
    return tmp_path / "data" / STATION_FILE


def _ids(db_path: Path) -> dict[str, int]:
    with LibraryDB(db_path) as db:
        return {Path(r["path"]).stem: r["id"] for r in db.tracks()}


def test_a_station_round_trips_through_its_file(tmp_path: Path, kept: Path) -> None:
    station = Station(
        [3, 7], [Heard(9, finished=True), Heard(11, skipped=True), Heard(9, liked=True)]
    )
    station.handed_out = [9, 11, 12]
    file = StationFile(kept, tmp_path / "lib.db")
    file.save(station)
    assert kept.exists()
    back = StationFile(kept, tmp_path / "lib.db").load()  # a fresh start: nothing in memory
    assert back == station
    assert back is not station and back.events[1].skipped and not back.events[1].finished
    file.save(None)
    assert not kept.exists()
    assert StationFile(kept, tmp_path / "lib.db").load() is None  # nothing kept: no radio


def test_an_unchanged_station_is_not_written_again(tmp_path: Path, kept: Path) -> None:
    station = Station([1])
    file = StationFile(kept, tmp_path / "lib.db")
    file.save(station)
    inode = kept.stat().st_ino  # a write replaces the file (temporary file + rename)
    file.save(Station([1]))
    assert kept.stat().st_ino == inode
    station.events.append(Heard(1, finished=True))
    file.save(station)
    assert kept.stat().st_ino != inode  # changed: written (atomically, a new file)
    assert json.loads(kept.read_text())["station"]["events"] == [[1, 1, 0, 0]]


def test_a_radio_plays_on_after_a_restart_with_its_steering(db_path: Path, kept: Path) -> None:
    ids = _ids(db_path)
    seeds = [ids["noisy0"], ids["percussive0"]]
    before = Shelves(db_path, kept)
    first = [i.track_id for i in before.radio_items(seeds, n=3)]
    assert json.loads(kept.read_text())["station"]["handed_out"] == first
    with LibraryDB(db_path) as db:
        model = Recommender(db).model

    def style(track_id: int) -> str:
        return style_of(model.metas[model.row[track_id]].path)

    styles = [style(t) for t in first]
    common = max(set(styles), key=styles.count)
    for track_id in first:  # the listener skips the picks of the commonest style
        if style(track_id) == common:
            assert before.hear(track_id, finished=False, skipped=True)
    saved = Station.from_dict(json.loads(kept.read_text())["station"])
    assert saved == before.live and any(e.skipped for e in saved.events)
    before.close()  # Kindred closes with the last pick playing

    after = Shelves(db_path, kept)
    assert after.resume([*seeds, *first], first[-1])
    assert after.live == saved
    more = [i.track_id for i in after.top_up(first[-1], 0)]
    assert len(more) == TOP_UP and not set(more) & {*seeds, *first}  # new picks, no repeat
    # the skips from before the restart still steer: fewer of that style than unsteered
    plain = Station(list(seeds), handed_out=list(first))
    unsteered = [style(r.track_id) for r in plain.next(model, TOP_UP)]
    steered = [style(t) for t in more]
    assert steered.count(common) < unsteered.count(common), (unsteered, steered)
    assert json.loads(kept.read_text())["station"]["handed_out"] == [*first, *more]
    after.close()


def test_a_radio_that_ended_is_forgotten_on_disk(db_path: Path, kept: Path) -> None:
    ids = _ids(db_path)
    shelves = Shelves(db_path, kept)
    picks = [i.track_id for i in shelves.radio_items([ids["tonal0"]], n=2)]
    assert kept.exists()
    outside = next(t for t in ids.values() if t not in picks and t != ids["tonal0"])
    assert shelves.top_up(outside, 0) == [] and shelves.live is None  # something else plays
    assert not kept.exists()
    shelves.radio_items([ids["tonal0"]], n=2)
    assert kept.exists()
    shelves.play_shelf("mix", [outside])  # another shelf is played
    assert not kept.exists()
    shelves.close()


def test_a_restored_queue_without_the_radio_forgets_it(db_path: Path, kept: Path) -> None:
    ids = _ids(db_path)
    shelves = Shelves(db_path, kept)
    picks = [i.track_id for i in shelves.radio_items([ids["tonal0"]], n=2)]
    shelves.close()
    outside = [t for t in ids.values() if t not in picks and t != ids["tonal0"]]
    again = Shelves(db_path, kept)
    assert not again.resume(outside[:3], outside[0])  # the queue was replaced, then closed
    assert again.live is None and not kept.exists()
    assert not Shelves(db_path, kept).resume([ids["tonal0"], *picks], ids["tonal0"])  # gone


def test_a_radio_of_another_library_is_not_resumed(
    db_path: Path, tmp_path: Path, kept: Path
) -> None:
    StationFile(kept, tmp_path / "other.db").save(Station([1, 2], handed_out=[3]))
    shelves = Shelves(db_path, kept)
    assert not shelves.resume([1, 2, 3], 1) and shelves.live is None


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        "[1, 2, 3]",
        '{"version": 99, "station": {"seeds": [1]}}',
        '{"version": 1, "library": "x", "station": {"seeds": ["a"]}}',
        '{"version": 1, "library": "x", "station": {"seeds": []}}',
        '{"version": 1, "library": "x", "station": {"seeds": [1], "events": [[1, "yes", 0, 0]]}}',
        '{"version": 1, "library": "x", "station": {"seeds": [1], "events": {}}}',
    ],
)
def test_a_corrupt_file_is_set_aside_with_a_warning(
    db_path: Path, kept: Path, content: str, caplog: pytest.LogCaptureFixture
) -> None:
    kept.parent.mkdir(parents=True)
    kept.write_text(content)
    shelves = Shelves(db_path, kept)
    with caplog.at_level(logging.WARNING, logger="player.recommend.station_state"):
        assert not shelves.resume([1, 2, 3], 1)
    assert shelves.live is None
    assert any("cannot be read" in r.getMessage() for r in caplog.records), caplog.text
    assert not kept.exists()
    assert kept.with_name(STATION_FILE + ".corrupt").read_text() == content  # nothing lost


def test_an_unreadable_file_is_ignored(db_path: Path, kept: Path, caplog) -> None:
    kept.mkdir(parents=True)  # a folder where the file should be: reading fails
    shelves = Shelves(db_path, kept)
    with caplog.at_level(logging.WARNING, logger="player.recommend.station_state"):
        assert not shelves.resume([1], 1)
    assert shelves.live is None
    assert any("cannot be read" in r.getMessage() for r in caplog.records), caplog.text
    ids = _ids(db_path)
    assert shelves.radio_items([ids["tonal0"]], n=2)  # the next radio is kept as usual
    assert kept.is_file() and shelves.live is not None
    shelves.close()


def test_keeping_a_radio_loads_no_model_at_start_up() -> None:
    code = (
        "import sys\n"
        "from player.recommend.shelves import Shelves\n"
        "from player.recommend.station_state import StationFile\n"
        "from player.recommend.station import Station\n"
        "assert not {'numpy', 'sklearn'} & set(sys.modules), 'imported too early'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
