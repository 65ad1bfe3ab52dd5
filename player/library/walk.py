"""Walking library folders: every audio file and CUE sheet, each directory once.

Symlinks are followed, but a directory reached twice (a symlink cycle, a bind
mount, two roots that overlap) is entered only the first time: directories are
remembered by (device, inode). Nothing here opens a file.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from player.library.paths import Flavour, current_flavour, normalise, under_folder

CUE_EXTENSION = ".cue"
#: Folders that hold copies, metadata or trash, never music a person added:
#: NAS thumbnail stores, macOS resource forks, desktop trash cans.
SKIPPED_DIRS = frozenset(
    {"@eaDir", ".AppleDouble", ".Trashes", ".Trash", "#recycle", "$RECYCLE.BIN"}
)


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
) -> WalkResult:
    """Find every file whose lower-case extension is in ``extensions`` (and .cue)."""
    result = WalkResult()
    seen_dirs: set[tuple[int, int]] = set()
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
        stack = [(root_text, (st.st_dev, st.st_ino))]
        while stack:
            if cancel is not None and cancel():
                return result
            directory, key = stack.pop()
            if key in seen_dirs:
                continue
            seen_dirs.add(key)
            try:
                with os.scandir(directory) as entries:
                    _scan_dir(entries, extensions, result, stack, seen_dirs)
            except OSError as exc:
                if directory == root_text:
                    result.roots_missing[root_text] = _reason(exc)
                    result.roots_ok.remove(root_text)
                else:
                    result.dir_errors[directory] = _reason(exc)
    return result


def _scan_dir(
    entries: Iterator[os.DirEntry[str]],
    extensions: frozenset[str],
    result: WalkResult,
    stack: list[tuple[str, tuple[int, int]]],
    seen_dirs: set[tuple[int, int]],
) -> None:
    """One directory's entries; the hot loop of a rescan, so kept flat."""
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
                continue  # a dangling symlink: nothing to read
            mode = st.st_mode
            if is_reg(mode):
                (cues if ext == CUE_EXTENSION else files)[entry.path] = (st.st_size, st.st_mtime_ns)
                continue
            if not is_dir(mode):
                continue
        else:
            try:
                if not entry.is_dir():
                    continue
                st = entry.stat()  # a link to a directory is entered, once
            except OSError as exc:
                result.dir_errors[entry.path] = _reason(exc)
                continue
        key = (st.st_dev, st.st_ino)
        if key not in seen_dirs:
            stack.append((entry.path, key))


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
