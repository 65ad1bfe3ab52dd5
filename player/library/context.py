"""Settings, paths and the open library of one running Kindred, as one value.

Built only by the composition root (:func:`player.app.open_context`), for the
CLI and the window alike; it lives here, below every part that receives it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from player.config import Paths, Settings
from player.library.store import LibraryDB


@dataclass
class AppContext:
    """Settings, paths and the open library of one running Kindred."""

    paths: Paths
    settings: Settings
    db_path: Path
    library: LibraryDB

    def close(self) -> None:
        self.library.close()

    def __enter__(self) -> AppContext:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
