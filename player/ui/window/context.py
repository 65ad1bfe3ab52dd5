"""What the window opens on: the context (as the command line opens it), an engine, a controller.

The composition root (:mod:`player.app`) is off limits to ``ui`` by the layering
rules; both use :func:`player.library.context.open_context` and
:func:`player.audio.controller.controller_for`, so they open Kindred the same way.
"""

from __future__ import annotations

from player.audio import controller as audio_controller
from player.audio.controller import PlaybackController
from player.audio.engine import Engine
from player.errors import AppError
from player.library.context import AppContext

#: what the window is opened on (the same context the command line uses)
LibraryContext = AppContext


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


def controller_for(ctx: AppContext, engine: Engine) -> PlaybackController:
    """A playback controller whose preference changes are saved with the settings."""
    return audio_controller.controller_for(
        engine, ctx.settings, library=ctx.library, paths=ctx.paths
    )
