"""What the window is opened on: :class:`WindowParts`, built by :mod:`player.app`.

The composition root opens the library, makes the engine, the playback
controller, the recommender (the For You page's shelves) and the comments
service, and hands them to
:func:`player.ui.main.run` (or to :func:`player.ui.main.build_window`) in one
typed bundle. The UI opens no database and builds no engine itself. The type
lives here, in the lowest UI package, because ``ui`` may not import
:mod:`player.app`.
"""

from __future__ import annotations

from dataclasses import dataclass

from player.audio.controller import PlaybackController
from player.audio.engine import Engine
from player.errors import AppError
from player.library.context import AppContext
from player.recommend.shelves import Shelves
from player.social.service import CommentsService


@dataclass
class WindowParts:
    """One running Kindred as the window sees it.

    ``engine_problem`` says why ``engine`` is the silent in-memory one (libVLC
    missing); the window shows it as a notice.
    """

    context: AppContext
    engine: Engine
    controller: PlaybackController
    recommender: Shelves
    comments: CommentsService
    engine_problem: AppError | None = None

    def close(self) -> None:
        """Stop playback and close the library (after the window has shut down)."""
        self.controller.close()
        self.context.close()
