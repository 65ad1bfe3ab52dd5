"""What the window needs from the rest of Kindred, and how it opens it on its own.

The composition root (:mod:`player.app`) is off limits to ``ui`` by the layering
rules, so the window depends on this small protocol instead; ``AppContext``
satisfies it, and :func:`open_library` builds one the same way for
``kindred`` without a sub-command.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from player.audio.controller import PlaybackController
from player.audio.engine import Engine
from player.audio.queue import PlayQueue
from player.config import Paths, Settings
from player.errors import AppError
from player.library.db import LibraryDB


class LibraryContext(Protocol):
    """Settings, paths and the open library (e.g. :class:`player.app.AppContext`)."""

    paths: Paths
    settings: Settings
    db_path: Path
    library: LibraryDB


@dataclass
class OpenLibrary:
    """A :class:`LibraryContext` opened by the window itself."""

    paths: Paths
    settings: Settings
    db_path: Path
    library: LibraryDB

    def close(self) -> None:
        self.library.close()


def open_library(db: str | Path | None = None) -> OpenLibrary:
    """Settings, then ``db`` or the settings' database or the default (as the CLI does)."""
    paths = Paths.resolve()
    settings = Settings.load(paths)
    db_path = Path(db).expanduser() if db else settings.database(paths)
    return OpenLibrary(paths, settings, db_path, LibraryDB(db_path))


def engine_or_fake() -> tuple[Engine, AppError | None]:
    """The libVLC engine, or the in-memory one with the error that explains why not."""
    from player.audio import vlc_engine

    missing = vlc_engine.vlc_missing_error()
    if missing is None:
        try:
            return vlc_engine.VlcEngine(), None
        except AppError as exc:
            missing = exc
    from player.audio.fake_engine import FakeEngine

    return FakeEngine(), missing


def controller_for(ctx: LibraryContext, engine: Engine) -> PlaybackController:
    """A playback controller whose preference changes are saved with the settings."""
    return PlaybackController(
        engine,
        PlayQueue(library=ctx.library),
        ctx.settings.audio,
        library=ctx.library,
        on_settings_changed=lambda: ctx.settings.save(ctx.paths),
    )
