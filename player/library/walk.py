"""Walking library folders: every audio file and CUE sheet, each directory once.

Symlinks are followed, but a directory reached twice (a symlink cycle, a bind
mount, two roots that overlap) is entered only the first time: directories are
remembered by (device, inode). Nothing here opens a file.

A rescan lists every folder again unless it is given :class:`Listings`: what
each folder held when it was last listed. A folder whose device, inode, mtime
and ctime are what they were is not listed again (creating, deleting or
renaming an entry moves its mtime); its files are still stat'ed one by one,
since a file rewritten in place does not move its folder's mtime. A folder
changed within :data:`SETTLE_NS` of its listing is not remembered (timestamps
are coarser than the clock). The trade: a file system that does not move a
folder's mtime when its entries change (some network shares and FUSE mounts)
shows a new file to a rescan in the same process only after the folder
changes again; a new process lists everything.
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from player.library.paths import Flavour, current_flavour, normalise, under_folder

CUE_EXTENSION = ".cue"
#: Folders that hold copies, metadata or trash, never music a person added:
#: NAS thumbnail stores, macOS resource forks, desktop trash cans.
SKIPPED_DIRS = frozenset(
    {"@eaDir", ".AppleDouble", ".Trashes", ".Trash", "#recycle", "$RECYCLE.BIN"}
)


#: A folder listed less than this long after its last change is listed again next time.
SETTLE_NS = 3_000_000_000  # FAT keeps mtimes to 2 s; kernels stamp with a coarse clock


#: kinds of the other entries of a :class:`_Listing`
_FOLDER, _CUE, _WANTED = 0, 1, 2


class _Listing(NamedTuple):
    """What one folder held, as the walk classified it: full paths to stat."""

    stamp: tuple[int, int, int, int]  # (device, inode, mtime_ns, ctime_ns) of the folder
    #: the wanted files that were regular files (not CUE sheets) when listed
    files: tuple[str, ...]
    #: in listing order, with their kind: the other names with a wanted extension
    #: (``_WANTED``) or .cue (``_CUE``), and the folders and symlinks among the
    #: rest, which may lead to a folder (``_FOLDER``)
    others: tuple[tuple[str, int], ...]


class Listings:
    """Folder listings kept between walks (see the module's docstring).

    Costs about the size of the paths it holds, kept whole so that a rescan
    joins no strings (5.8 MB for 10,000 files in 7,444 folders, 0.7 MB of it
    for whole paths rather than names); safe to share between threads
    (each folder's entry is replaced whole).
    """

    def __init__(self) -> None:
        self.extensions: frozenset[str] | None = None
        self.folders: dict[str, _Listing] = {}

    def clear(self) -> None:
        self.folders = {}


@dataclass
class WalkResult:
    """What a walk found: files with their (size, mtime_ns), and what failed."""

    files: dict[str, tuple[int, int]] = field(default_factory=dict)
    cues: dict[str, tuple[int, int]] = field(default_factory=dict)
    #: roots that exist and were walked
    roots_ok: list[str] = field(default_factory=list)
    #: roots that do not exist or cannot be read, with the reason
    roots_missing: dict[str, str] = field(default_factory=dict)
    #: directories inside a root that could not be read, with the reason
    dir_errors: dict[str, str] = field(default_factory=dict)


def normalize_root(path: str | os.PathLike[str], flavour: Flavour | None = None) -> str:
    """Absolute, user-expanded, without resolving symlinks of the root itself; on
    Windows in the library's spelling (:func:`player.library.paths.normalise`)."""
    return normalise(os.path.abspath(os.path.expanduser(os.fspath(path))), flavour)


def walk(
    roots: Iterable[str | os.PathLike[str]],
    extensions: frozenset[str],
    *,
    cancel: Callable[[], bool] | None = None,
    listings: Listings | None = None,
) -> WalkResult:
    """Find every file whose lower-case extension is in ``extensions`` (and .cue).

    With ``listings``, folders unchanged since they were listed there are not
    listed again, and the folders listed now are remembered.
    """
    result = WalkResult()
    for _found in walk_stream(roots, extensions, result, cancel=cancel, listings=listings):
        pass
    return result


def walk_stream(
    roots: Iterable[str | os.PathLike[str]],
    extensions: frozenset[str],
    result: WalkResult,
    *,
    cancel: Callable[[], bool] | None = None,
    listings: Listings | None = None,
) -> Iterator[tuple[int, bool]]:
    """:func:`walk` as it goes: fills ``result`` folder by folder and, after each
    folder that added files or CUE sheets, yields ``(files, cue)``: how many
    files it added (the last ones of ``result.files``) and whether it added a
    CUE sheet. The caller may read ``result`` between folders, not change it.
    """
    files, cues = result.files, result.cues
    counted = (0, 0)
    seen_dirs: set[tuple[int, int]] = set()
    known: dict[str, _Listing] | None = None
    if listings is not None:
        if listings.extensions != extensions:
            listings.extensions = extensions
            listings.clear()
        known = listings.folders
    for root in roots:
        root_text = normalize_root(root)
        try:
            st = os.stat(root_text)
        except OSError as exc:
            result.roots_missing[root_text] = _reason(exc)
            continue
        if not stat.S_ISDIR(st.st_mode):
            result.roots_missing[root_text] = "Not a folder"
            continue
        result.roots_ok.append(root_text)
        stack = [(root_text, st)]
        while stack:
            if (len(files), len(cues)) != counted:
                yield len(files) - counted[0], len(cues) != counted[1]
                counted = (len(files), len(cues))
            if cancel is not None and cancel():
                return
            directory, st = stack.pop()
            key = (st.st_dev, st.st_ino)
            if key in seen_dirs:
                continue
            seen_dirs.add(key)
            try:
                if known is None:
                    with os.scandir(directory) as entries:
                        _scan_dir(entries, extensions, result, stack, seen_dirs, None)
                    continue
                stamp = (st.st_dev, st.st_ino, st.st_mtime_ns, st.st_ctime_ns)
                listing = known.get(directory)
                if (
                    listing is not None
                    and listing.stamp == stamp
                    and _replay(listing, result, stack, seen_dirs)
                ):
                    continue
                started = time.time_ns()
                names: tuple[list[str], list[tuple[str, int]]] = ([], [])
                with os.scandir(directory) as entries:
                    _scan_dir(entries, extensions, result, stack, seen_dirs, names)
                if max(st.st_mtime_ns, st.st_ctime_ns) < started - SETTLE_NS:
                    known[directory] = _Listing(stamp, tuple(names[0]), tuple(names[1]))
                else:
                    known.pop(directory, None)
            except OSError as exc:
                if directory == root_text:
                    result.roots_missing[root_text] = _reason(exc)
                    result.roots_ok.remove(root_text)
                else:
                    result.dir_errors[directory] = _reason(exc)
    if (len(files), len(cues)) != counted:
        yield len(files) - counted[0], len(cues) != counted[1]


def _scan_dir(
    entries: Iterator[os.DirEntry[str]],
    extensions: frozenset[str],
    result: WalkResult,
    stack: list[tuple[str, os.stat_result]],
    seen_dirs: set[tuple[int, int]],
    names: tuple[list[str], list[tuple[str, int]]] | None,
) -> None:
    """One directory's entries; the hot loop of a first scan, so kept flat.

    ``names`` collects what :func:`_replay` needs to walk the folder again
    without listing it (see :class:`_Listing`)."""
    files, cues = result.files, result.cues
    is_reg, is_dir = stat.S_ISREG, stat.S_ISDIR
    for entry in entries:
        name = entry.name
        if name.startswith("._") or name in SKIPPED_DIRS or name.startswith(".Trash-"):
            continue  # macOS resource forks ("._song.mp3") and trash/metadata folders
        dot = name.rfind(".")
        ext = name[dot:].lower() if dot > 0 else ""
        if ext in extensions or ext == CUE_EXTENSION:
            try:
                st = entry.stat()  # follows symlinks
            except OSError:
                if names is not None:
                    names[1].append((entry.path, _CUE if ext == CUE_EXTENSION else _WANTED))
                continue  # a dangling symlink: nothing to read
            mode = st.st_mode
            if is_reg(mode):
                if ext == CUE_EXTENSION:
                    cues[entry.path] = (st.st_size, st.st_mtime_ns)
                else:
                    files[entry.path] = (st.st_size, st.st_mtime_ns)
                if names is not None:
                    if ext == CUE_EXTENSION:
                        names[1].append((entry.path, _CUE))
                    else:
                        names[0].append(entry.path)
                continue
            if names is not None:
                names[1].append((entry.path, _CUE if ext == CUE_EXTENSION else _WANTED))
            if not is_dir(mode):
                continue
            st = folder_stat(entry.path, st)
        else:
            if names is not None and (entry.is_symlink() or entry.is_dir(follow_symlinks=False)):
                names[1].append((entry.path, _FOLDER))  # a symlink may lead to one by then
            try:
                if not entry.is_dir():
                    continue
                st = entry.stat()  # a link to a directory is entered, once
                if not st.st_ino:
                    st = folder_stat(entry.path, st)
            except OSError as exc:
                result.dir_errors[entry.path] = _reason(exc)
                continue
        if (st.st_dev, st.st_ino) not in seen_dirs:
            stack.append((entry.path, st))


def folder_stat(path: str, st: os.stat_result) -> os.stat_result:
    """``st`` as a folder's identity: on Windows ``DirEntry.stat()`` leaves the
    inode and device at zero, which would make every folder look like the first
    one walked (and skip the rest), so the folder is stat'ed once more there."""
    return os.stat(path) if not st.st_ino and not st.st_dev else st


def _replay(
    listing: _Listing,
    result: WalkResult,
    stack: list[tuple[str, os.stat_result]],
    seen_dirs: set[tuple[int, int]],
) -> bool:
    """:func:`_scan_dir` for a folder unchanged since ``listing``: the same
    entries, each stat'ed again (a file rewritten in place keeps its folder's
    mtime). The hot loop of a rescan, so kept flat: the paths are joined
    already, and a file costs one stat and one tuple.

    False, having added nothing, when a file listed as a regular file is not
    one any more (a symlink whose target changed): the folder is listed again.
    """
    files = result.files
    stat_path = os.stat  # looked up per call: tests replace it
    for path in listing.files:
        try:
            st = stat_path(path)
        except OSError:
            break
        if st.st_mode & 0o170000 != 0o100000:  # not S_ISREG
            break
        files[path] = (st.st_size, st.st_mtime_ns)
    else:
        for path, kind in listing.others:
            try:
                st = stat_path(path)
            except FileNotFoundError:
                continue  # a dangling symlink, as DirEntry.is_dir() reports it
            except OSError as exc:
                if kind == _FOLDER:
                    result.dir_errors[path] = _reason(exc)
                continue
            mode = st.st_mode & 0o170000
            if mode == 0o100000 and kind != _FOLDER:
                (result.cues if kind == _CUE else files)[path] = (st.st_size, st.st_mtime_ns)
            elif mode == 0o040000 and (st.st_dev, st.st_ino) not in seen_dirs:
                stack.append((path, st))
        return True
    for added in listing.files:  # undo this folder's files
        if added == path:
            break
        del files[added]
    return False


def under_any(path: str, roots: Iterable[str], flavour: Flavour | None = None) -> bool:
    """True when ``path`` lies inside one of ``roots`` (string prefix on separators;
    on Windows, on identity keys: ``c:\\music`` holds ``C:\\Music\\a.flac``)."""
    if (flavour or current_flavour()) == "nt":
        return any(under_folder(path, root, "nt") for root in roots)
    for root in roots:
        prefix = root if root.endswith(os.sep) else root + os.sep
        if path.startswith(prefix) or path == root:
            return True
    return False


def _reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "Folder not found"
    if isinstance(exc, PermissionError):
        return "Permission denied"
    if isinstance(exc, NotADirectoryError):
        return "Not a folder"
    return exc.strerror or str(exc)


def display_path(path: str) -> str:
    """A path safe to print or store as text (undecodable bytes shown as U+FFFD)."""
    return os.fsencode(path).decode("utf-8", "replace") if not path.isascii() else path
