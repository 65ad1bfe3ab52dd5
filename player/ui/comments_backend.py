"""The comment server as the Comments tab uses it, built from the window's context.

The composition root (:mod:`player.app`) is off limits to ``ui``, so this small
factory builds the same parts :func:`player.app.make_social` does: one
:class:`SocialClient`, its :class:`TokenStore`, and per call an
:class:`Outbox`, :class:`SongIds` and :class:`CommentCache` on this thread's own
library connection (one connection per thread). Every method that talks to the
server is meant to run on the task runner, never on the UI thread; the quick
outbox writes (a single insert) are the exception.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from player.config import Paths
from player.library.db import LibraryDB
from player.social.client import Comment, CommentPage, SocialClient, User
from player.social.credentials import TokenStore
from player.social.errors import ServerUnreachable, SocialError
from player.social.outbox import Delivery, Entry, Outbox
from player.social.songs import CommentCache, SongIds

PAGE = 20
HOT_COUNT = 3
#: the signed-in username is kept next to the token, under the server URL plus this
USER_SUFFIX = "#username"


@dataclass(frozen=True)
class SongComments:
    """What the panel shows first for one track: hot on top, then a first page of newest."""

    track_id: int
    song_id: int | None
    hot: list[Comment]
    new: CommentPage
    stale: bool = False  # read from the cache: the server could not be asked
    error: SocialError | None = None
    count: int = 0


@dataclass
class CommentsBackend:
    """One comment server for one library (``db_path``); ``clock`` drives outbox retries."""

    server: str
    db_path: Path
    client: SocialClient
    tokens: TokenStore
    clock: Callable[[], float] = time.time
    username: str = ""
    _local: threading.local = field(default_factory=threading.local, repr=False)

    @classmethod
    def for_context(cls, paths: Paths, server_url: str, db_path: Path) -> CommentsBackend:
        url = server_url.rstrip("/")
        tokens = TokenStore(paths)
        client = SocialClient(url, token=tokens.get(url), retries=1)
        name = (tokens.get(url + USER_SUFFIX) or "") if client.token else ""
        return cls(url, Path(db_path), client, tokens, username=name)

    # ---- this thread's parts ---------------------------------------------------------
    def db(self) -> LibraryDB:
        conns: dict[str, LibraryDB] = getattr(self._local, "conns", None) or {}
        self._local.conns = conns
        key = str(self.db_path)
        if key not in conns:
            conns[key] = LibraryDB(self.db_path)
        return conns[key]

    def outbox(self) -> Outbox:
        return Outbox(self.db(), self.server, clock=lambda: self.clock())

    @property
    def signed_in(self) -> bool:
        return bool(self.client.token)

    # ---- worker calls -----------------------------------------------------------------
    def load(self, track_id: int) -> SongComments:
        """Hot and the first newest page of a track; the cache when the server is down."""
        songs = SongIds(self.db(), self.server, with_fingerprint=False)
        cache = CommentCache(self.db(), self.server)
        try:
            song_id = songs.song_id(track_id, self.client)
        except SocialError as exc:
            return self._cached(track_id, songs.cached(track_id), cache, exc)
        if song_id is None:
            return SongComments(track_id, None, [], CommentPage([], None))
        try:
            hot = self.client.comments(song_id, sort="hot", limit=HOT_COUNT)
            new = self.client.comments(song_id, sort="new", limit=PAGE)
        except SocialError as exc:
            return self._cached(track_id, song_id, cache, exc)
        try:
            count = self.client.counts([song_id]).get(song_id, len(new.items))
        except SocialError:
            count = len(new.items)
        cache.store(song_id, "hot", hot)
        cache.store(song_id, "new", new)
        hot_items = [c for c in hot.items if c.like_count > 0]
        return SongComments(track_id, song_id, hot_items, new, count=count)

    def _cached(
        self, track_id: int, song_id: int | None, cache: CommentCache, error: SocialError
    ) -> SongComments:
        if song_id is None:
            return SongComments(track_id, None, [], CommentPage([], None), True, error)
        hot, new = cache.load(song_id, "hot"), cache.load(song_id, "new")
        return SongComments(
            track_id,
            song_id,
            [c for c in hot.page.items if c.like_count > 0] if hot else [],
            new.page if new else CommentPage([], None),
            True,
            error,
        )

    def more(self, song_id: int, cursor: str) -> CommentPage:
        return self.client.comments(song_id, sort="new", cursor=cursor, limit=PAGE)

    def replies(self, comment_id: int) -> CommentPage:
        return self.client.replies(comment_id, limit=50)

    def count(self, track_id: int) -> int:
        """The number of comments on a track (0 when the server does not know the song)."""
        song_id = SongIds(self.db(), self.server, with_fingerprint=False).song_id(
            track_id, self.client
        )
        if song_id is None:
            return 0
        return self.client.counts([song_id]).get(song_id, 0)

    def deliver(self) -> Delivery:
        if not self.signed_in:
            return Delivery(waiting=None)
        return self.outbox().deliver(self.client)

    def sign_in(self, username: str, password: str, register: bool = False) -> User:
        if register:
            self.client.register(username, password)
        self.client.sign_in(username, password)
        self.username = username
        if self.client.token:
            self.tokens.set(self.server, self.client.token)
            self.tokens.set(self.server + USER_SUFFIX, username)
        return User(0, username)

    def sign_out(self) -> None:
        try:
            self.client.sign_out()
        except ServerUnreachable:
            self.client.token = None
        self.tokens.delete(self.server)
        self.tokens.delete(self.server + USER_SUFFIX)
        self.username = ""

    # ---- quick writes (UI thread) ------------------------------------------------------
    def pending(self) -> list[Entry]:
        return self.outbox().entries(state="pending")

    def close(self) -> None:
        self.client.close()
