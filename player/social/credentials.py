"""Where the comment server's sign-in token is kept between runs.

In the operating system's credential store (Keychain, Windows Credential
Manager, Secret Service) through ``keyring``. Where there is none (a bare
Linux session, a CI machine), in a file only this user may read, with a
warning, because the token is as good as the password until it expires:
mode 0600 on macOS and Linux (created so, and set again on every write); on
Windows the file lives in the user's profile (``%LOCALAPPDATA%\\Kindred``),
whose access list admits only that user (and SYSTEM and Administrators).

``keyring`` (about 13 MiB and a tenth of a second to pick a backend) is imported
only when a token may be in the credential store: never while no comment server is
chosen, and otherwise as ``keyring_tokens.json`` in the
config folder says, per server, whether a token was put there ("yes") or the
store was looked in and held none ("no"); a server not named there (a token kept
by an older version) is looked up in the store once.
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from player.config import Paths, read_json_strings, write_json_atomic

log = logging.getLogger(__name__)

SERVICE = "kindred-comments"
TOKEN_FILE = "tokens.json"
#: per server: "yes" a token was put in the credential store, "no" none is there
KEYRING_INDEX_FILE = "keyring_tokens.json"
#: keyring backends below this priority are not a credential store worth the name
#: (the "fail" backend, or plain-text files)
SECURE_PRIORITY = 1.0


#: warnings already shown in this process
_TOLD: set[str] = set()
#: in the config folder: the "no credential store" notice was shown on this machine
NOTICE_SHOWN_FILE = "no-credential-store-notice"
#: what to do so the token goes to a real credential store, per OS
INSTALL_HINTS = {
    "linux": "For a credential store, install and unlock a Secret Service keyring "
    "(gnome-keyring, KWallet or KeePassXC with Secret Service on).",
    "darwin": "The credential store is the login Keychain: unlock it in Keychain Access "
    "and sign in again.",
    "win32": "The credential store is Windows Credential Manager (keyring's Windows "
    "backend, protected by DPAPI): check that keyring and pywin32-ctypes are installed "
    "and sign in again.",
}


def install_hint(platform: str = sys.platform) -> str:
    """What to do on *platform* so the token goes to the OS's credential store."""
    key = "win32" if platform == "win32" else "darwin" if platform == "darwin" else "linux"
    return INSTALL_HINTS[key]


@dataclass
class TokenStore:
    """Tokens per server URL. ``backend`` None: the system's keyring when secure (looked
    up, and ``keyring`` imported, only when a token may be there)."""

    paths: Paths
    backend: Any = None
    warnings: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        #: a store given in code (the demo's memory, a test's) is always asked and noted nowhere
        self._given = self._resolved = self.backend is not None

    def _store(self) -> Any:
        """The credential store (None: no secure one); imports ``keyring`` the first time."""
        if not self._resolved:
            import keyring

            self._resolved = True
            chosen = keyring.get_keyring()
            if float(getattr(chosen, "priority", 0)) >= SECURE_PRIORITY:
                self.backend = chosen
        return self.backend

    @property
    def secure(self) -> bool:
        return self._store() is not None

    @property
    def file(self) -> Path:
        return self.paths.config_dir / TOKEN_FILE

    @property
    def index_file(self) -> Path:
        return self.paths.config_dir / KEYRING_INDEX_FILE

    def _in_store(self, server: str) -> str | None:
        """ "yes"/"no" as noted for *server* in the system's store; None: not known."""
        return None if self._given else read_json_strings(self.index_file).get(server)

    def _note(self, server: str, where: str) -> None:
        if self._given:
            return
        index = read_json_strings(self.index_file)
        if index.get(server) != where:
            index[server] = where
            try:
                write_json_atomic(self.index_file, index)
            except OSError as exc:
                log.info("could not note where the token is (%s)", exc)

    def get(self, server: str) -> str | None:
        if not server:
            return None  # no comment server chosen: nobody could have signed in
        if self._in_store(server) != "no" and self._store() is not None:
            import keyring.errors

            try:
                token = self.backend.get_password(SERVICE, server)
            except keyring.errors.KeyringError as exc:
                log.warning("the credential store failed (%s); using %s", exc, self.file)
            else:
                self._note(server, "yes" if token else "no")
                return token
        elif self._in_store(server) is None:
            self._note(server, "no")  # no secure store: only the file can hold it
        token = self._read_file().get(server)
        return str(token) if token else None

    def set(self, server: str, token: str) -> None:
        if self._store() is not None:
            import keyring.errors

            try:
                self.backend.set_password(SERVICE, server, token)
                self._note(server, "yes")
                return
            except keyring.errors.KeyringError as exc:
                log.warning("the credential store failed (%s); using %s", exc, self.file)
        tokens = self._read_file()
        tokens[server] = token
        self._write_file(tokens)
        message = (
            f"No credential store on this system: the sign-in token is kept in {self.file}, "
            f"readable only by you. {install_hint()}"
        )
        if message not in self.warnings:
            self.warnings.append(message)
            if message not in _TOLD:  # once per run, however many stores a command makes
                _TOLD.add(message)
                self._tell_once(message)

    def _tell_once(self, message: str) -> None:
        """Warn the first time on this machine (a marker in the config folder); after
        that the notice goes to the log file only."""
        marker = self.paths.config_dir / NOTICE_SHOWN_FILE
        if marker.exists():
            log.info("%s", message)
            return
        log.warning("%s", message)
        try:
            marker.parent.mkdir(parents=True, exist_ok=True)
            marker.write_text(message + "\n", encoding="utf-8")
        except OSError as exc:
            log.info("could not remember the credential notice (%s)", exc)

    def delete(self, server: str) -> None:
        if self._in_store(server) != "no" and self._store() is not None:
            import keyring.errors

            self._note(server, "no")
            try:
                self.backend.delete_password(SERVICE, server)
            except keyring.errors.PasswordDeleteError:
                pass
            except keyring.errors.KeyringError as exc:
                log.warning("the credential store failed (%s)", exc)
        tokens = self._read_file()
        if tokens.pop(server, None) is not None:
            self._write_file(tokens)

    def _read_file(self) -> dict[str, str]:
        return read_json_strings(self.file)

    def _write_file(self, tokens: dict[str, str]) -> None:
        write_json_atomic(self.file, tokens)  # its temporary file is 0600 from the first byte
        os.chmod(self.file, 0o600)


class MemoryKeys:
    """A credential store that lives as long as this process (``kindred demo``'s account)."""

    def __init__(self) -> None:
        self.keys: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, name: str) -> str | None:
        return self.keys.get((service, name))

    def set_password(self, service: str, name: str, value: str) -> None:
        self.keys[(service, name)] = value

    def delete_password(self, service: str, name: str) -> None:
        self.keys.pop((service, name), None)
