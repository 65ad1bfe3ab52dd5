"""Settings, paths and the open library of one running Kindred, opened one way for all.

The composition root (:mod:`player.app`) opens Kindred with :func:`open_context`
for the CLI and for the window alike, so ``--db``, the settings' database and
the default are chosen the same way everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from player.config import Paths, Settings
from player.library.db import LibraryDB


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


def resolve_db_path(db: str | Path | None, settings: Settings, paths: Paths) -> Path:
    """``--db`` wins, then the settings' database path, then the default."""
    return Path(db).expanduser() if db else settings.database(paths)


def open_context(db: str | Path | None = None, *, readonly: bool = False) -> AppContext:
    """Load settings and open the library database (migrating it if needed)."""
    paths = Paths.resolve()
    settings = Settings.load(paths)
    db_path = resolve_db_path(db, settings, paths)
    library = LibraryDB(db_path, readonly=readonly)
    return AppContext(paths, settings, db_path, library)
