"""How Kindred starts libVLC, and the readable error when libVLC cannot be loaded.

Plain data and text (no ``vlc`` import), so it can be read and tested without VLC.
"""

from __future__ import annotations

import ctypes
import os
import sys
from pathlib import Path

from player.errors import AppError

VLC_ARGS = [
    "--no-video",
    "--quiet",
    "--verbose=-1",
    "--no-xlib",
    # Kindred applies ReplayGain itself (from the library) for every format
    "--audio-replay-gain-mode=none",
    "--audio-replay-gain-default=0",
    # soxr passes an unchanged rate through bit-exactly; libVLC's default
    # resampler smears the first dozen samples of every item
    "--audio-resampler=soxr,any",
]

#: how often a stream's "now playing" title is polled (seconds); libVLC's meta
#: event never reaches Python, and Icecast titles arrive about 0.5 s after play()
META_POLL_S = 0.5


def afile_args(path: Path) -> list[str]:
    """libVLC's ``afile`` output: a float32 WAV at *path*, rewritten for every item."""
    return [
        "--aout=afile",
        f"--audiofile-file={path}",
        "--audiofile-format=float32",
        "--audiofile-wav",
    ]


def bundled_libvlc() -> tuple[Path, Path] | None:
    """libVLC and its plugins folder carried by a Windows or macOS bundle (build.spec
    puts them in ``vlc/``), or None: not a bundle, or a Linux one (the system's libVLC)."""
    base = getattr(sys, "_MEIPASS", None)
    if not getattr(sys, "frozen", False) or base is None:
        return None
    vlc = Path(base) / "vlc"
    if sys.platform == "win32":
        lib = vlc / "libvlc.dll"
    elif sys.platform == "darwin":
        lib = vlc / "lib" / "libvlc.dylib"
    else:
        return None
    return (lib, vlc / "plugins") if lib.exists() else None


def use_bundled_libvlc() -> Path | None:
    """Point python-vlc at the bundle's own libVLC and plugins (before ``import vlc``);
    returns that libVLC, or None where there is none (python-vlc then looks for an
    installed VLC). A person's own PYTHON_VLC_LIB_PATH wins."""
    found = bundled_libvlc()
    if found is None or "PYTHON_VLC_LIB_PATH" in os.environ:
        return None
    lib, plugins = found
    if sys.platform == "darwin":  # libvlc needs libvlccore loaded first (as python-vlc does)
        ctypes.CDLL(str(lib.with_name("libvlccore.dylib")))
    # loaded here first: python-vlc exits the process when PYTHON_VLC_LIB_PATH fails to
    # load, where this raises OSError (and Kindred says VLC is missing)
    ctypes.CDLL(str(lib))
    os.environ["PYTHON_VLC_LIB_PATH"] = str(lib)
    os.environ["PYTHON_VLC_MODULE_PATH"] = str(plugins)
    return lib


_INSTALL_HINT = {
    "linux": "Install VLC with your package manager, e.g. `sudo apt install vlc` "
    "(Debian/Ubuntu), `sudo dnf install vlc` (Fedora) or `sudo pacman -S vlc` (Arch).",
    "darwin": "Install VLC from https://www.videolan.org/vlc/ or with `brew install --cask vlc`.",
    "win32": "Install VLC (64-bit, matching Python) from https://www.videolan.org/vlc/ "
    "or with `winget install VideoLAN.VLC`.",
}


def vlc_install_error(reason: Exception | None) -> AppError:
    """An AppError saying that libVLC is missing (*reason*) and how to install VLC here."""
    key = "darwin" if sys.platform == "darwin" else "win32" if sys.platform == "win32" else "linux"
    return AppError(
        "VLC is not installed: Kindred cannot play audio",
        f"Kindred plays audio through libVLC, which was not found ({reason}). "
        + _INSTALL_HINT[key]
        + " Then start Kindred again.",
    )
