"""The comment server as the command line and the Comments tab both use it: one server, one library.

:class:`CommentsService` is built by the composition root (:mod:`player.app`).
The client, token store and username come from
:func:`player.social.session.open_account`, but not at construction: reading the
token asks the system keyring, which costs a noticeable fraction of a second, so
the window reads it after its first paint (:meth:`CommentsService.load_account`,
or the first worker call that needs the client). Per thread it opens an
:class:`Outbox`, :class:`SongIds` and :class:`CommentCache` on that thread's own
library connection (the thread that built the service may lend it its own, as
the command line does). In the window every method that talks to the server runs
on the task runner, never on the UI thread; the quick outbox writes (a single
insert) are the exception.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from player.config import Paths
from player.errors import AppError
from player.library.store import LibraryDB, thread_db
from player.social.client import Comment, CommentPage, SocialClient, User
from player.social.errors import ServerUnreachable
from player.social.localserver import LocalServer
from player.social.outbox import Delivery, Entry, Outbox
from player.social.reading import read_comments
from player.social.session import (
    ReachedServers,
    ServerAccount,
    Usernames,
    normal_url,
    open_account,
)
from player.social.songs import CommentCache, SongIds

log = logging.getLogger(__name__)

PAGE = 20
HOT_COUNT = 3
#: unresolved tracks looked up (anonymously: nothing is created) per count batch
RESOLVE_PER_BATCH = 8


@dataclass(frozen=True)
class SongComments:
    """What the panel shows first for one track: hot on top, then a first page of newest."""

    track_id: int
    song_id: int | None
    hot: list[Comment]
    new: CommentPage
    stale: bool = False  # read from the cache: the server could not be asked
    error: Exception | None = None
    count: int = 0
    reached_before: bool = False  # the server answered once: stale means "offline"


@dataclass
class CommentsService:
    """One comment server for one library (``db_path``); ``clock`` drives outbox retries.

    ``account`` is None until the kept token has been read (see :meth:`load_account`).
    ``library``, when given, is the connection used on the thread that built the
    service (other threads open their own); ``with_fingerprint`` says whether a
    song's identity sent to the server includes an audio fingerprint (the command
    line) or only its tags (the window).
    """

    server: str
    db_path: Path
    paths: Paths | None = None
    account: ServerAccount | None = None
    clock: Callable[[], float] = time.time
    retries: int = 1
    library: LibraryDB | None = None
    with_fingerprint: bool = False
    _owner: int = field(default_factory=threading.get_ident, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _asked: set[int] = field(default_factory=set, repr=False)  # looked up for counts
    _retired: list[ServerAccount] = field(default_factory=list, repr=False)  # closed at close()
    local: LocalServer | None = None  # the comment server this service runs on this computer

    @classmethod
    def lazy(
        cls,
        paths: Paths,
        server_url: str,
        db_path: Path,
        *,
        retries: int = 1,
        library: LibraryDB | None = None,
        with_fingerprint: bool = False,
    ) -> CommentsService:
        """A service that reads the kept token only when first needed (cheap to build)."""
        return cls(
            normal_url(server_url),
            Path(db_path),
            paths,
            retries=retries,
            library=library,
            with_fingerprint=with_fingerprint,
        )

    # ---- the account (read lazily) ---------------------------------------------------
    def load_account(self) -> ServerAccount:
        """The client and the kept sign-in for ``server`` (reads the keyring once)."""
        with self._lock:
            if self.account is None:
                if self.paths is None:
                    raise ValueError("a service without paths needs an account")
                self.account = open_account(self.paths, self.server, retries=self.retries)
            return self.account

    def use_token(self, username: str, token: str) -> None:
        """Be signed in as *username* with *token*, kept only in memory (the demo's account)."""
        from player.social.credentials import MemoryKeys, TokenStore  # keyring: imported late

        if self.paths is None:
            raise ValueError("a service without paths needs an account")
        tokens = TokenStore(self.paths, backend=MemoryKeys())
        tokens.set(self.server, token)
        client = SocialClient(self.server, token=token, retries=self.retries)
        with self._lock:
            if self.account is not None:
                self._retired.append(self.account)
            self.account = ServerAccount(
                self.server, client, tokens, Usernames(self.paths), username
            )

    def use_server(self, url: str) -> None:
        """Talk to *url* from now on (its own kept sign-in, outbox and cache)."""
        url = normal_url(url)
        with self._lock:
            if self.account is not None:  # tasks may still be using it: closed with the service
                self._retired.append(self.account)
            self.account = None  # read again (on a worker) for the new server
            self.server = url
            self._asked.clear()

    @property
    def configured(self) -> bool:
        """A comment server was chosen."""
        return bool(self.server)

    def reached_before(self) -> bool:
        return self.paths is not None and self.server in ReachedServers(self.paths)

    # ---- a comment server on this computer ------------------------------------------------
    def local_folder(self) -> Path:
        if self.paths is None:
            raise ValueError("a service without paths has no data folder")
        return self.paths.data_dir / "comment-server"

    def start_local(self) -> str:
        """Start ``kindred-server`` in the background (its database in the data folder),
        use it, and return its address (a worker call: it waits until the server answers).

        The chosen port is kept (settings), so the same server comes back next time.
        """
        with self._lock:
            if self.local is not None and self.local.running:
                return self.local.url
            port = _port_of(self.server) if self.local is not None else None
            self.local = LocalServer(self.local_folder(), port)
        self.local.start()
        self.use_server(self.local.url)
        if self.paths is not None:
            ReachedServers(self.paths).add(self.server)
        return self.local.url

    def keep_local_running(self) -> None:
        """The chosen server is the local one: start it (again) when first needed."""
        self.local = LocalServer(self.local_folder(), _port_of(self.server))

    def _ensure_local(self) -> None:
        local = self.local
        if local is not None and not local.running and local.url == self.server:
            with self._lock:
                if not local.running:
                    try:
                        local.start()
                    except AppError as exc:  # then it is a server that does not answer
                        log.warning("the local comment server did not start: %s", exc)

    @property
    def account_known(self) -> bool:
        return self.account is not None

    @property
    def client(self) -> SocialClient:
        return self.load_account().client

    @property
    def username(self) -> str:
        return self.account.username if self.account is not None else ""

    @property
    def signed_in(self) -> bool:
        return self.account is not None and self.account.signed_in

    # ---- this thread's parts ---------------------------------------------------------
    def db(self) -> LibraryDB:
        if self.library is not None and threading.get_ident() == self._owner:
            return self.library
        return thread_db(self.db_path)

    def outbox(self) -> Outbox:
        return Outbox(self.db(), self.server, clock=lambda: self.clock())

    def songs(self) -> SongIds:
        return SongIds(self.db(), self.server, with_fingerprint=self.with_fingerprint)

    def cache(self) -> CommentCache:
        return CommentCache(self.db(), self.server)

    # ---- worker calls -----------------------------------------------------------------
    def load(self, track_id: int) -> SongComments:
        """Hot and the first newest page of a track; the cache when the server is down."""
        if not self.configured:
            no_server = ServerUnreachable("No comment server chosen")
            return SongComments(track_id, None, [], CommentPage([], None), True, no_server)
        self._ensure_local()
        client = self.client
        read = read_comments(
            client, self.songs(), self.cache(), track_id,
            {"hot": HOT_COUNT, "new": PAGE},
        )  # fmt: skip
        hot = [c for c in read.page("hot").items if c.like_count > 0]
        new = read.page("new")
        if read.stale or read.song_id is None:
            reached = not read.stale or self.reached_before()
            if not read.stale and self.paths is not None:
                ReachedServers(self.paths).add(self.server)
            return SongComments(
                track_id, read.song_id, hot, new, read.stale, read.error, reached_before=reached
            )
        if self.paths is not None:
            ReachedServers(self.paths).add(self.server)
        try:
            count = client.counts([read.song_id]).get(read.song_id, len(new.items))
        except Exception:  # the count is a nicety: the comments are what matters
            count = len(new.items)
        return SongComments(track_id, read.song_id, hot, new, count=count, reached_before=True)

    def more(self, song_id: int, cursor: str) -> CommentPage:
        return self.client.comments(song_id, sort="new", cursor=cursor, limit=PAGE)

    def replies(self, comment_id: int) -> CommentPage:
        return self.client.replies(comment_id, limit=50)

    def count(self, track_id: int) -> int:
        """The number of comments on a track (0 when the server does not know the song)."""
        song_id = self.songs().song_id(track_id, self.client)
        if song_id is None:
            return 0
        return self.client.counts([song_id]).get(song_id, 0)

    def counts(self, track_ids: list[int]) -> dict[int, int | None]:
        """Comment counts of library tracks, in one request.

        Tracks with a remembered song id are counted; up to :data:`RESOLVE_PER_BATCH`
        others are looked up first (once per server and run; a lookup never creates
        a song). A track the server does not know counts None; a track not looked
        up yet is left out (ask again).
        """
        if not self.configured:
            return {}
        self._ensure_local()
        client, songs = self.client, self.songs()
        known = songs.cached_many(track_ids)
        unknown: set[int] = {t for t in track_ids if t not in known and t in self._asked}
        for track_id in [t for t in track_ids if t not in known and t not in self._asked][
            :RESOLVE_PER_BATCH
        ]:
            found = songs.song_id(track_id, client, create=False)
            self._asked.add(track_id)  # after the answer: a server that is down is asked again
            if found is None:
                unknown.add(track_id)
            else:
                known[track_id] = found
        by_song = client.counts(sorted(set(known.values()))) if known else {}
        result: dict[int, int | None] = {t: by_song.get(s, 0) for t, s in known.items()}
        result.update(dict.fromkeys(unknown))
        return result

    def deliver(self) -> Delivery:
        if not self.configured or not self.signed_in:
            return Delivery(waiting=None)
        return self.outbox().deliver(self.client)

    def sign_in(self, username: str, password: str, register: bool = False) -> User:
        return self.load_account().sign_in(username, password, register)

    def sign_out(self) -> None:
        self.load_account().sign_out()

    # ---- quick writes (UI thread) ------------------------------------------------------
    def pending(self) -> list[Entry]:
        return self.outbox().entries(state="pending")

    def close(self) -> None:
        """Close every client this service opened (call once its tasks are done)."""
        if self.account is not None:
            self._retired.append(self.account)
        for account in self._retired:
            account.close()
        self._retired.clear()
        if self.local is not None:
            self.local.stop()


def _port_of(url: str) -> int | None:
    from urllib.parse import urlsplit

    try:
        return urlsplit(url).port
    except ValueError:
        return None
