"""One comment server and the account on it, as the window and the command line use them.

:func:`open_account` builds the client, its token store and the signed-in name
in one place. The token lives in the credential store (see
:mod:`~player.social.credentials`); the username is not a secret, so it is kept
in ``accounts.json`` beside the settings. Older versions kept it in the token
store under ``URL#username``: such a name is moved to ``accounts.json`` the
first time it is read.

Importing this module stays cheap: ``keyring`` (whose backend detection costs a
noticeable fraction of a second) is only imported by :func:`open_account`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from player.config import Paths, read_json_strings, write_json_atomic
from player.social.client import SocialClient, User
from player.social.errors import ServerUnreachable

if TYPE_CHECKING:
    from player.social.credentials import TokenStore

log = logging.getLogger(__name__)

ACCOUNTS_FILE = "accounts.json"
REACHED_FILE = "servers_reached.json"
#: where older versions kept the username: in the token store, under the URL plus this
LEGACY_USER_SUFFIX = "#username"


def normal_url(url: str) -> str:
    return url.strip().rstrip("/")


class Usernames:
    """Who is signed in on which server: ``{server URL: username}`` in ``accounts.json``."""

    def __init__(self, paths: Paths) -> None:
        self.file = paths.config_dir / ACCOUNTS_FILE

    def get(self, server: str, tokens: TokenStore | None = None) -> str:
        """The name for *server*; with *tokens*, a name still kept the old way is moved here."""
        name = self._read().get(server, "")
        if name or tokens is None:
            return name
        legacy = tokens.get(server + LEGACY_USER_SUFFIX)
        if legacy:
            self.set(server, legacy)
            tokens.delete(server + LEGACY_USER_SUFFIX)
        return legacy or ""

    def set(self, server: str, name: str | None) -> None:
        names = self._read()
        if name:
            names[server] = name
        elif names.pop(server, None) is None:
            return
        write_json_atomic(self.file, names)

    def _read(self) -> dict[str, str]:
        return read_json_strings(self.file)


class ReachedServers:
    """The comment servers that answered once (``servers_reached.json``): only such a
    server that stops answering is "offline"; one that never answered is not there yet."""

    def __init__(self, paths: Paths) -> None:
        self.file = paths.config_dir / REACHED_FILE

    def __contains__(self, server: object) -> bool:
        return isinstance(server, str) and server in read_json_strings(self.file)

    def add(self, server: str) -> None:
        known = read_json_strings(self.file)
        if server not in known:
            known[server] = "yes"
            write_json_atomic(self.file, known)


@dataclass
class ServerAccount:
    """A client for ``server``, signed in as ``username`` when its token was kept."""

    server: str
    client: SocialClient
    tokens: TokenStore
    usernames: Usernames
    username: str = ""

    @property
    def signed_in(self) -> bool:
        return bool(self.client.token)

    def sign_in(self, username: str, password: str, register: bool = False) -> User:
        """Register (optionally) and sign in; the token and the name are kept for next time."""
        user = self.client.register(username, password) if register else User(0, username)
        session = self.client.sign_in(username, password)
        self.tokens.set(self.server, session.token)
        self.usernames.set(self.server, username)
        self.username = username
        return user

    def sign_out(self) -> None:
        """Revoke the token on the server (when it answers) and forget it here in any case."""
        try:
            self.client.sign_out()
        except ServerUnreachable:
            self.client.token = None
        self.tokens.delete(self.server)
        self.usernames.set(self.server, None)
        self.username = ""

    def close(self) -> None:
        self.client.close()


def open_account(
    paths: Paths, server_url: str, *, retries: int = 3, tokens: TokenStore | None = None
) -> ServerAccount:
    """The client for *server_url* with the kept token and username (this reads the keyring)."""
    from player.social.credentials import TokenStore

    url = normal_url(server_url)
    store = tokens if tokens is not None else TokenStore(paths)
    client = SocialClient(url, token=store.get(url), retries=retries)
    usernames = Usernames(paths)
    name = usernames.get(url, store) if client.token else ""
    return ServerAccount(url, client, store, usernames, name)
