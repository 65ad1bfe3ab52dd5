"""Path identity and safe file names, for Windows and POSIX alike.

A library moves between operating systems and a playlist written on one is read
on another, so the rules of each are written out here rather than taken from
``os.path``: every function takes a *flavour*, ``"nt"`` or ``"posix"``
(default: the running OS), and the nt rules run (and are tested) on Linux too.

* :func:`normalise`: the one spelling the library stores for a path. On
  Windows: backslashes, ``\\\\?\\`` and ``\\\\?\\UNC\\`` prefixes removed, ``.``
  and ``..`` collapsed, the drive letter upper-cased, a UNC share kept as
  ``\\\\server\\share\\...``, trailing dots and spaces of the last part dropped
  (Windows drops them when it opens the file). On POSIX the path as it is.
* :func:`path_key`: what makes two spellings one file. On Windows the
  normalised path without case (``C:\\Music\\A.flac`` and ``c:/music/a.FLAC``
  are one file); on POSIX the path itself (case and bytes matter).
* :func:`safe_file_name`: a file name from tag text that Windows, macOS and
  Linux all accept (a playlist exported on Linux may land on a Windows drive).
"""

from __future__ import annotations

import ntpath
import os
import posixpath
import re
from typing import Literal

Flavour = Literal["nt", "posix"]

#: Names Windows keeps for devices, with or without an extension (``nul.txt``).
RESERVED_NAMES = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"{port}{n}" for port in ("COM", "LPT") for n in "0123456789\u00b9\u00b2\u00b3"}
)
#: Characters no Windows file name may hold (besides control characters).
FORBIDDEN_CHARS = frozenset('<>:"/\\|?*')
#: A name's limit in UTF-8 bytes: ext4 and most Linux file systems allow 255
#: bytes, NTFS 255 UTF-16 units (never fewer than the UTF-8 bytes).
MAX_NAME_BYTES = 255

_VERBATIM_UNC = re.compile(r"^\\\\[?.]\\UNC\\", re.IGNORECASE)
_VERBATIM = re.compile(r"^\\\\[?.]\\")
_SURROGATE = re.compile("[\ud800-\udfff]")
_BAD = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')


def current_flavour() -> Flavour:
    """The running OS's flavour."""
    return "nt" if os.name == "nt" else "posix"


def _flavour(flavour: Flavour | None) -> Flavour:
    return current_flavour() if flavour is None else flavour


# ---- identity ---------------------------------------------------------------------
def normalise(path: str, flavour: Flavour | None = None) -> str:
    """The one spelling stored for ``path`` (see the module's docstring)."""
    if _flavour(flavour) == "posix":
        return path
    text = path.replace("/", "\\")
    verbatim = False
    if _VERBATIM_UNC.match(text):
        text = "\\\\" + text[8:]
        verbatim = True
    elif _VERBATIM.match(text):
        text = text[4:]
        verbatim = True
    if not text:
        return text
    text = ntpath.normpath(text)
    drive, rest = ntpath.splitdrive(text)
    if len(drive) == 2 and drive[1] == ":":
        drive = drive.upper()
    if not verbatim and rest and not rest.endswith("\\"):
        head, _, last = rest.rpartition("\\")
        trimmed = last.rstrip(". ")
        if trimmed and trimmed not in (".", ".."):
            rest = f"{head}\\{trimmed}" if head or rest.startswith("\\") else trimmed
    return drive + rest


def path_key(path: str, flavour: Flavour | None = None) -> str:
    """The identity of ``path``: equal keys name one file (see the module's docstring)."""
    if _flavour(flavour) == "posix":
        return path
    return fold_case(normalise(path, "nt"))


def fold_case(text: str) -> str:
    """Windows' case folding: each character upper-cased on its own.

    NTFS compares names through a one-to-one upper-case table, so ``ß`` stays
    ``ß`` (``str.upper`` would make it ``SS``, another name).
    """
    if text.isascii():
        return text.upper()
    return "".join(c if len(up := c.upper()) != 1 else up for c in text)


def same_path(a: str, b: str, flavour: Flavour | None = None) -> bool:
    """True when ``a`` and ``b`` name one file under ``flavour``'s rules."""
    return path_key(a, flavour) == path_key(b, flavour)


def under_folder(path: str, folder: str, flavour: Flavour | None = None) -> bool:
    """True when ``path`` is ``folder`` or lies inside it (by identity key)."""
    if _flavour(flavour) == "posix":
        return path == folder or path.startswith(folder.rstrip("/") + "/")
    key, root = path_key(path, "nt"), path_key(folder, "nt")
    return key == root or key.startswith(root.rstrip("\\") + "\\")


def is_absolute(path: str, flavour: Flavour | None = None) -> bool:
    """``C:\\x``, ``\\\\server\\share`` and ``\\x`` (the current drive's root) on
    Windows; ``/x`` on POSIX."""
    if _flavour(flavour) == "posix":
        return path.startswith("/")
    text = path.replace("/", "\\")
    return text.startswith("\\") or bool(re.match(r"^[A-Za-z]:\\", text))


def join(base: str, path: str, flavour: Flavour | None = None) -> str:
    """``path`` resolved against the folder ``base``, normalised.

    On Windows ``\\x`` lands on ``base``'s drive and ``D:\\x`` ignores ``base``.
    """
    if _flavour(flavour) == "posix":
        return posixpath.normpath(posixpath.join(base, path))
    return normalise(ntpath.join(normalise(base, "nt"), path.replace("/", "\\")), "nt")


# ---- file names ---------------------------------------------------------------------
def is_reserved_name(name: str) -> bool:
    """True for ``CON``, ``nul.txt``, ``com1 .flac`` and the other device names."""
    stem = name.split(".", 1)[0].rstrip(" ")
    return stem.upper() in RESERVED_NAMES


def refusal(name: str) -> str:
    """Why Windows (or another OS) would refuse ``name`` as a file name; "" when none."""
    if not name or name in (".", ".."):
        return "empty"
    if _BAD.search(name):
        return "forbidden character"
    if name[-1] in ". ":
        return "ends with a dot or a space"
    if is_reserved_name(name):
        return "reserved device name"
    try:
        size = len(name.encode("utf-8"))
    except UnicodeEncodeError:
        return "not encodable"
    if size > MAX_NAME_BYTES or len(name.encode("utf-16-le")) // 2 > MAX_NAME_BYTES:
        return "too long"
    return ""


def safe_file_name(
    text: str, suffix: str = "", *, fallback: str = "playlist", replacement: str = "-"
) -> str:
    """A file name made from ``text`` (a playlist's name, a tag) plus ``suffix``.

    Forbidden characters and control characters become ``replacement``, leading
    and trailing dots and spaces go, a device name (``CON``, ``LPT1``...) gets a
    ``_`` after it, and the result fits :data:`MAX_NAME_BYTES` with the suffix.
    An empty result becomes ``fallback``. :func:`refusal` is "" for what it returns.
    """
    # unpaired surrogates (undecodable tag bytes) cannot be written on POSIX
    name = _SURROGATE.sub("\ufffd", text) if not text.isascii() else text
    name = _BAD.sub(replacement, name)
    name = _trim(name)
    budget = MAX_NAME_BYTES - len(suffix.encode("utf-8")) - 1  # 1 for a reserved name's "_"
    if len(name.encode("utf-8")) > budget:
        name = name.encode("utf-8")[:budget].decode("utf-8", "ignore")
        name = _trim(name)
    if not name:
        name = fallback
    if is_reserved_name(name + suffix):
        stem, dot, rest = name.partition(".")
        name = f"{stem.rstrip(' ')}_{dot}{rest}"
    return name + suffix


def _trim(name: str) -> str:
    return name.strip(". ")
