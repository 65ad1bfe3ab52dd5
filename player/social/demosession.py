"""The demo's first hour, shared by ``kindred demo`` and the welcome page's demo button.

A :class:`DemoSession` owns one folder: the generated music in ``music/`` and,
with a server, the demo's own comment server (``server/``, a
:class:`~player.social.localserver.LocalServer`). :meth:`DemoSession.make`
launches the server first (it takes seconds to answer) and writes the music
meanwhile; once the music is scanned into a library, :meth:`DemoSession.seed`
waits for the server and fills it with the demo conversations
(:func:`~player.social.demoseed.seed_comments`), returning the address and the
demo account to sign in with. :meth:`DemoSession.stop` stops the server
(and, with ``forget_server``, removes its database: the account's token lived
only for that run). Plain Python, so the command line and the window drive the
same steps (the window on its workers).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from player.errors import AppError
from player.library.demo import build_demo
from player.social.demoseed import seed_comments
from player.social.localserver import LocalServer


@dataclass(frozen=True)
class DemoServer:
    """The seeded demo server: its address and the demo account (name, token)."""

    url: str
    account: tuple[str, str]


class DemoSession:
    """The demo's music and (optionally) its comment server, in *folder*."""

    def __init__(self, folder: str | Path, *, with_server: bool = True) -> None:
        self.folder = Path(folder)
        self.server = LocalServer(self.folder / "server") if with_server else None

    @property
    def music(self) -> Path:
        return self.folder / "music"

    def make(self, seconds: float = 30.0) -> Path:
        """Launch the comment server, then write the demo music; returns the music folder.

        A server left from an earlier demo in this folder is forgotten first (its
        accounts' tokens are gone), so the seeding starts from nothing."""
        self.folder.mkdir(parents=True, exist_ok=True)
        if self.server is not None:
            shutil.rmtree(self.server.folder, ignore_errors=True)
            self.server.launch()
        try:
            build_demo(self.music, seconds=seconds)
        except BaseException:
            self.stop()
            raise
        return self.music

    def seed(self, db_path: str | Path) -> DemoServer:
        """Wait for the server and seed it with the conversations about the demo tracks in
        the library at *db_path*; AppError (and the server stopped) when that fails."""
        if self.server is None:
            raise AppError("The demo has no comment server")
        try:
            self.server.wait()
            account = seed_comments(self.server.url, db_path)
        except AppError:  # the server errors too (e.g. without the server extra)
            self.stop()
            raise
        return DemoServer(self.server.url, account)

    def stop(self, *, forget_server: bool = False) -> None:
        """Stop the comment server (nothing when it is not running); *forget_server* also
        removes its database."""
        if self.server is not None:
            self.server.stop()
            if forget_server:
                shutil.rmtree(self.server.folder, ignore_errors=True)


__all__ = ["DemoServer", "DemoSession"]
