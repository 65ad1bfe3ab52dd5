"""Sign-in tokens: in a credential store when there is one, else a private file."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest
from keyrings.alt.file import PlaintextKeyring

from player.config import Paths
from player.social.credentials import TokenStore, install_hint


def test_without_a_credential_store_a_private_file_with_a_warning(kindred_home: Path) -> None:
    store = TokenStore(Paths.resolve())  # no secure store on a test machine
    assert not store.secure
    store.set("https://comments.example", "secret-token")
    assert store.get("https://comments.example") == "secret-token"
    assert stat.S_IMODE(store.file.stat().st_mode) == 0o600
    assert store.warnings and "readable only by you" in store.warnings[0]
    assert TokenStore(Paths.resolve()).get("https://comments.example") == "secret-token"
    store.delete("https://comments.example")
    assert store.get("https://comments.example") is None


def test_a_credential_store_keeps_the_token_out_of_kindreds_files(
    kindred_home: Path, tmp_path: Path
) -> None:
    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "keyring.cfg")  # type: ignore[misc]
    store = TokenStore(Paths.resolve(), backend=backend)
    assert store.secure
    store.set("http://127.0.0.1:8765", "tok")
    assert store.get("http://127.0.0.1:8765") == "tok"
    assert backend.get_password("kindred-comments", "http://127.0.0.1:8765") == "tok"
    assert not store.file.exists() and not store.warnings
    store.delete("http://127.0.0.1:8765")
    assert store.get("http://127.0.0.1:8765") is None


def test_a_damaged_token_file_is_ignored(kindred_home: Path) -> None:
    store = TokenStore(Paths.resolve())
    store.file.parent.mkdir(parents=True, exist_ok=True)
    store.file.write_text("{not json", encoding="utf-8")
    assert store.get("https://comments.example") is None
    store.set("https://comments.example", "new")
    assert store.get("https://comments.example") == "new"


@pytest.mark.parametrize("content", ["[]", '"just a string"'])
def test_a_token_file_of_the_wrong_shape_is_ignored(kindred_home: Path, content: str) -> None:
    store = TokenStore(Paths.resolve())
    store.file.parent.mkdir(parents=True, exist_ok=True)
    store.file.write_text(content, encoding="utf-8")
    assert store.get("x") is None


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_the_token_file_is_0600_whatever_the_umask_or_an_older_file(kindred_home: Path) -> None:
    """A permissive umask and a token file left world-readable (by hand, an older
    version) still end with a file only its owner may read or write."""
    store = TokenStore(Paths.resolve())
    store.file.parent.mkdir(parents=True, exist_ok=True)
    store.file.write_text("{}", encoding="utf-8")
    os.chmod(store.file, 0o644)
    old = os.umask(0)
    try:
        store.set("https://comments.example", "secret-token")
    finally:
        os.umask(old)
    assert stat.S_IMODE(store.file.stat().st_mode) == 0o600
    leftovers = [p.name for p in store.file.parent.iterdir() if p.name.startswith(".")]
    assert leftovers == []  # no temporary copy left beside it


def test_the_notice_says_what_to_do_on_each_os() -> None:
    assert "Secret Service" in install_hint("linux")
    assert "Keychain" in install_hint("darwin")
    assert "Credential Manager" in install_hint("win32") and "DPAPI" in install_hint("win32")
    assert install_hint("freebsd14") == install_hint("linux")


def test_the_keyring_is_looked_in_only_where_a_token_may_be(kindred_home: Path) -> None:
    """No server chosen: nothing to look up. A server looked up once without a token in
    the credential store is noted, so later runs read only Kindred's own files; a token
    put in the store is noted too, so it is found again."""
    paths = Paths.resolve()
    assert TokenStore(paths).get("") is None
    assert not TokenStore(paths).index_file.exists()
    store = TokenStore(paths)
    assert store.get("https://comments.example") is None  # looked in the store once
    assert store._resolved
    later = TokenStore(paths)
    assert later.get("https://comments.example") is None
    assert not later._resolved  # noted "no": keyring not even imported
    later.set("https://comments.example", "tok")  # no secure store here: the file
    assert TokenStore(paths).get("https://comments.example") == "tok"
    # a token in the system's store (noted "yes") sends the next run to the store again
    TokenStore(paths)._note("https://other.example", "yes")
    again = TokenStore(paths)
    assert again.get("https://other.example") is None
    assert again._resolved
