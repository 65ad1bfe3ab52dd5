"""The live radio kept on disk, so that it plays on after a restart.

``station.json`` sits next to the play queue's file (the data directory) and
holds the live :class:`~player.recommend.station.Station`: its seeds, the
picks it handed out and the feedback that steers it, with the library they
belong to (track ids mean nothing in another one). It is rewritten atomically
whenever the station changes (an unchanged station writes nothing) and removed
when the station ends. A file that cannot be read is renamed ``.corrupt`` and
logged; the app then starts without a radio. Reading it costs one small JSON
file: nothing here loads the model.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from pathlib import Path

from player.config import Paths, write_json_atomic
from player.recommend.station import Station

log = logging.getLogger(__name__)

STATION_FILE = "station.json"
FORMAT_VERSION = 1


def default_station_path() -> Path:
    """``station.json`` in Kindred's data directory (below ``KINDRED_HOME`` if set)."""
    return Paths.resolve().data_dir / STATION_FILE


class StationFile:
    """The saved live station of one library; thread-safe, and it never raises."""

    def __init__(self, path: str | Path, library: str | Path) -> None:
        self.path = Path(path)
        self.library = _library_key(library)
        self._lock = threading.Lock()
        self._written: str | None = None  # what the file holds, "" when absent, None: unknown

    def save(self, station: Station | None) -> None:
        """Keep ``station`` (None: forget the one kept); a failed write is logged."""
        with self._lock:
            data = None if station is None else self._data(station)
            text = "" if data is None else _text(data)
            if text == self._written:
                return
            try:
                if data is None:
                    self.path.unlink(missing_ok=True)
                else:
                    write_json_atomic(self.path, data)
            except OSError as exc:
                log.warning("could not keep the radio in %s: %s", self.path, exc)
                self._written = None
                return
            self._written = text

    def load(self) -> Station | None:
        """The station kept for this library; None when there is none or it cannot be read."""
        with self._lock:
            try:
                raw = json.loads(self.path.read_text(encoding="utf-8"))
            except FileNotFoundError:
                self._written = ""
                return None
            except (OSError, ValueError, RecursionError) as exc:
                self._set_aside(f"it is not valid JSON ({exc})")
                return None
            try:
                if not isinstance(raw, dict) or raw.get("version") != FORMAT_VERSION:
                    raise ValueError("it does not hold a version 1 station")
                station = Station.from_dict(raw.get("station"))
            except ValueError as exc:
                self._set_aside(str(exc))
                return None
            if raw.get("library") != self.library:
                log.info("the saved radio belongs to another library: not resumed")
                return None
            self._written = _text(self._data(station))
            return station

    def _data(self, station: Station) -> dict[str, object]:
        return {"version": FORMAT_VERSION, "library": self.library, "station": station.to_dict()}

    def _set_aside(self, reason: str) -> None:
        aside = self.path.with_name(self.path.name + ".corrupt")
        try:
            os.replace(self.path, aside)
            kept = f"it was kept as {aside}"
        except OSError as exc:
            kept = f"it could not be moved aside ({exc})"
        log.warning("the saved radio %s cannot be read (%s); %s", self.path, reason, kept)
        self._written = None


def _text(data: dict[str, object]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _library_key(library: str | Path) -> str:
    try:
        return str(Path(library).expanduser().resolve())
    except (OSError, RuntimeError):
        return str(library)
