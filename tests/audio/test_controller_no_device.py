"""No sound device: the controller stops at the first item instead of failing each
item of the queue in turn (each failure used to print the device's error again)."""

from __future__ import annotations

from pathlib import Path

from player.audio.engine import EngineError, MediaItem, PlaybackState
from player.audio.fake_engine import FakeEngine
from player.errors import AppError, SoundDeviceError
from tests.audio.controller_rig import Rig, files


class NoDeviceEngine(FakeEngine):
    """The in-memory engine on a machine whose sound device cannot be opened."""

    error: AppError = SoundDeviceError("Cannot open the sound device", "no card")

    def __init__(self, *args: object) -> None:
        super().__init__(*args)  # type: ignore[arg-type]
        self.opened = 0

    def play(self) -> None:
        item: MediaItem | None = self._item
        if item is None:
            return
        self.opened += 1
        self._set_state(PlaybackState.ERROR)
        self._events.put(EngineError(self.error, item))


class BrokenFilesEngine(NoDeviceEngine):
    error = AppError("Cannot play", "a broken file")


def test_no_sound_device_stops_at_the_first_item(tmp_path: Path) -> None:
    items = files(tmp_path, "abcdefghij")
    rig = Rig(items, engine=NoDeviceEngine)
    engine = rig.engine
    assert isinstance(engine, NoDeviceEngine)
    seen: list[str] = []
    rig.ctl.on_error = lambda item, error: seen.append(error.short)
    rig.ctl.play()
    rig.run(2000)
    assert rig.failed() == ["a"] and seen == ["Cannot open the sound device"]
    assert engine.opened == 1 and not rig.ctl.active


def test_an_item_of_its_own_failing_still_moves_on(tmp_path: Path) -> None:
    items = files(tmp_path, "abc")
    rig = Rig(items, engine=BrokenFilesEngine)
    rig.ctl.play()
    rig.run(2000)
    assert rig.failed() == ["a", "b", "c"]
