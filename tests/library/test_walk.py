"""The walk with remembered folder listings: a rescan lists only changed folders
and still sees every changed file."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from player.library import walk as walk_mod
from player.library.walk import Listings, walk

# The scanner keeps no listings on Windows (a listing there carries every file's
# size and mtime, and st_ctime is the creation time).
pytestmark = pytest.mark.skipif(os.name == "nt", reason="no folder listings on Windows")

EXTENSIONS = frozenset({".mp3", ".flac"})
OLD = 1_000_000_000  # 2001: a folder's mtime long before any listing


@pytest.fixture
def listed(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The folders ``os.scandir`` lists during the test."""
    calls: list[str] = []
    real = os.scandir

    def scandir(path: str) -> object:
        calls.append(os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    yield calls


def tree(root: Path) -> None:
    (root / "a" / "b").mkdir(parents=True)
    (root / "a" / "x.mp3").write_bytes(b"x" * 10)
    (root / "a" / "b" / "y.flac").write_bytes(b"y" * 20)
    (root / "sheet.cue").write_text("FILE x")
    (root / "cover.jpg").write_bytes(b"j")
    (root / "._x.mp3").write_bytes(b"fork")
    (root / "@eaDir").mkdir()
    (root / "@eaDir" / "thumb.mp3").write_bytes(b"t")
    (root / "album.mp3").mkdir()  # a folder with an audio extension
    (root / "album.mp3" / "z.mp3").write_bytes(b"z" * 30)
    os.symlink(root / "a" / "b", root / "link")  # the same folder again: entered once
    os.symlink(root / "nowhere.mp3", root / "dead.mp3")
    os.symlink(root / "nowhere", root / "dead-folder")
    age(root)


def age(root: Path) -> None:
    """Give every folder an old mtime, as a library's folders have."""
    for folder, _dirs, _files in os.walk(root):
        os.utime(folder, (OLD, OLD))


def same(a: walk_mod.WalkResult, b: walk_mod.WalkResult) -> bool:
    return (a.files, a.cues, a.roots_ok, a.roots_missing, a.dir_errors) == (
        b.files,
        b.cues,
        b.roots_ok,
        b.roots_missing,
        b.dir_errors,
    )


def test_unchanged_folders_are_not_listed_again_and_changed_files_are_seen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, listed: list[str]
) -> None:
    monkeypatch.setattr(walk_mod, "SETTLE_NS", -(10**18))  # remember every listing
    root = tmp_path / "music"
    tree(root)
    listings = Listings()
    first = walk([root], EXTENSIONS, listings=listings)
    assert same(first, walk([root], EXTENSIONS))
    assert set(first.files) == {
        str(root / "a" / "x.mp3"),
        str(root / "a" / "b" / "y.flac"),
        str(root / "album.mp3" / "z.mp3"),
    } and set(first.cues) == {str(root / "sheet.cue")}
    del listed[:]

    again = walk([root], EXTENSIONS, listings=listings)
    assert listed == [] and same(again, first)  # every folder replayed, nothing listed

    # rewritten in place: the folder's mtime stays, the file's size and mtime move
    song = root / "a" / "x.mp3"
    song.write_bytes(b"x" * 99)
    os.utime(song, ns=(OLD * 10**9, OLD * 10**9 + 5))
    rewritten = walk([root], EXTENSIONS, listings=listings)
    assert listed == [] and rewritten.files[str(song)] == (99, OLD * 10**9 + 5)

    # a new file, a deleted one: their folders are listed again
    (root / "a" / "b" / "new.mp3").write_bytes(b"n")
    (root / "album.mp3" / "z.mp3").unlink()
    changed = walk([root], EXTENSIONS, listings=listings)
    assert sorted(listed) == [str(root / "a" / "b"), str(root / "album.mp3")]
    assert same(changed, walk([root], EXTENSIONS))
    assert str(root / "a" / "b" / "new.mp3") in changed.files
    assert str(root / "album.mp3" / "z.mp3") not in changed.files


def test_a_symlink_that_now_leads_to_a_folder_is_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, listed: list[str]
) -> None:
    monkeypatch.setattr(walk_mod, "SETTLE_NS", -(10**18))
    root, outside = tmp_path / "music", tmp_path / "outside"
    tree(root)
    os.symlink(outside, root / "later")  # leads nowhere yet
    age(root)
    listings = Listings()
    walk([root], EXTENSIONS, listings=listings)
    # its target appears outside the walked folders: none of them changes
    outside.mkdir()
    (outside / "w.mp3").write_bytes(b"w")
    del listed[:]
    found = walk([root], EXTENSIONS, listings=listings)
    assert listed == [str(root / "later")]  # only the folder new to the walk
    assert str(root / "later" / "w.mp3") in found.files
    assert same(found, walk([root], EXTENSIONS))


def test_a_file_that_became_a_folder_behind_a_symlink_is_listed_afresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, listed: list[str]
) -> None:
    monkeypatch.setattr(walk_mod, "SETTLE_NS", -(10**18))
    root, target = tmp_path / "music", tmp_path / "outside.mp3"
    tree(root)
    target.write_bytes(b"o")
    os.symlink(target, root / "a" / "linked.mp3")
    age(root)
    listings = Listings()
    first = walk([root], EXTENSIONS, listings=listings)
    assert str(root / "a" / "linked.mp3") in first.files
    target.unlink()  # the link's target is now a folder; no folder of the walk changed
    target.mkdir()
    (target / "inner.mp3").write_bytes(b"i")
    del listed[:]
    found = walk([root], EXTENSIONS, listings=listings)
    assert listed == [str(root / "a"), str(root / "a" / "linked.mp3")]
    assert str(root / "a" / "linked.mp3" / "inner.mp3") in found.files
    assert str(root / "a" / "linked.mp3") not in found.files
    assert same(found, walk([root], EXTENSIONS))


def test_a_folder_changed_just_before_it_was_listed_is_listed_again(
    tmp_path: Path, listed: list[str]
) -> None:
    root = tmp_path / "music"
    tree(root)  # every folder's ctime is now (setting an mtime moves it)
    listings = Listings()
    first = walk([root], EXTENSIONS, listings=listings)
    assert listings.folders == {}  # a change within SETTLE_NS may share the listing's timestamp
    del listed[:]
    again = walk([root], EXTENSIONS, listings=listings)
    assert len(listed) == 4 and same(again, first)  # root, a, a/b, album.mp3 (link: a/b)


def test_other_extensions_start_afresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, listed: list[str]
) -> None:
    monkeypatch.setattr(walk_mod, "SETTLE_NS", -(10**18))
    root = tmp_path / "music"
    tree(root)
    (root / "a" / "cover.png").write_bytes(b"p")
    age(root)
    listings = Listings()
    walk([root], EXTENSIONS, listings=listings)
    pictures = walk([root], frozenset({".png"}), listings=listings)
    assert list(pictures.files) == [str(root / "a" / "cover.png")]
    assert same(pictures, walk([root], frozenset({".png"})))


def test_an_unreadable_folder_is_reported_from_a_remembered_listing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, listed: list[str]
) -> None:
    monkeypatch.setattr(walk_mod, "SETTLE_NS", -(10**18))
    root = tmp_path / "music"
    tree(root)
    listings = Listings()
    walk([root], EXTENSIONS, listings=listings)
    real_stat = os.stat
    locked = str(root / "link")

    def stat(path: str, *args: object, **kwargs: object) -> os.stat_result:
        if os.fspath(path) == locked:
            raise PermissionError(13, "Permission denied", locked)
        return real_stat(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "stat", stat)
    del listed[:]
    found = walk([root], EXTENSIONS, listings=listings)
    assert listed == [] and found.dir_errors == {locked: "Permission denied"}
