"""Composition root: builds the parts of Kindred from settings and hands them out.

The only module that sees every part. There is no global app object: the CLI and
the window each call :func:`open_context` and pass what they need downward.
"""

from __future__ import annotations

import logging
import logging.handlers
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from player.config import Paths
from player.library.context import AppContext
from player.library.db import LibraryDB

if TYPE_CHECKING:
    from player.audio.engine import Engine
    from player.social.client import SocialClient
    from player.social.credentials import TokenStore
    from player.social.outbox import Outbox
    from player.social.session import ServerAccount
    from player.social.songs import CommentCache, SongIds


LOG_FILE = "kindred.log"


def configure_logging(
    paths: Paths | None = None, *, console_level: int = logging.WARNING
) -> Path | None:
    """Log to a rotating file in the log directory, and warnings to stderr.

    The file keeps what happened (a stream that dropped, a file that failed to
    play) for a bug report; the console shows only what a person should see,
    one line each, as ``kindred: message``. Returns the log file, or None when
    its directory cannot be written (then the console is all there is).
    """
    paths = paths or Paths.resolve()
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_kindred", False):
            root.removeHandler(handler)
            handler.close()
    root.setLevel(logging.INFO)
    console = logging.StreamHandler()
    console.setLevel(console_level)
    console.setFormatter(logging.Formatter("kindred: %(message)s"))
    console._kindred = True  # type: ignore[attr-defined]
    root.addHandler(console)
    target = paths.log_dir / LOG_FILE
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        file = logging.handlers.RotatingFileHandler(
            target, maxBytes=1 << 20, backupCount=3, encoding="utf-8"
        )
    except OSError:
        return None
    file.setLevel(logging.INFO)
    file.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    file._kindred = True  # type: ignore[attr-defined]
    root.addHandler(file)
    return target


def make_engine(output: str | Path | None = None) -> Engine:
    """The libVLC engine: on the sound device, or rendering faithfully into a WAV file.

    libVLC is imported only here, on demand, so the app starts without it; a
    missing libVLC raises the AppError that says how to install VLC.
    """
    from player.audio import vlc_engine
    from player.audio.render import WavOutput

    missing = vlc_engine.vlc_missing_error()
    if missing is not None:
        raise missing
    if output is None:
        return vlc_engine.VlcEngine()
    return vlc_engine.VlcEngine(output=WavOutput(Path(output), paced=False))


@dataclass
class SocialParts:
    """The comment server as the CLI and the window use it: one server, one account."""

    server: str
    client: SocialClient
    tokens: TokenStore
    library: LibraryDB
    account: ServerAccount

    def outbox(self) -> Outbox:
        from player.social.outbox import Outbox

        return Outbox(self.library, self.server)

    def song_ids(self) -> SongIds:
        from player.social.songs import SongIds

        return SongIds(self.library, self.server)

    def cache(self) -> CommentCache:
        from player.social.songs import CommentCache

        return CommentCache(self.library, self.server)


def make_social(ctx: AppContext, *, server: str | None = None) -> SocialParts:
    """The comment client for the configured (or given) server, signed in if a token is kept."""
    from player.social.session import open_account

    account = open_account(ctx.paths, server or ctx.settings.server_url)
    return SocialParts(account.server, account.client, account.tokens, ctx.library, account)
