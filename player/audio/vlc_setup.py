"""How Kindred starts libVLC, and the readable error when libVLC cannot be loaded.

Plain data and text (no ``vlc`` import), so it can be read and tested without VLC.
"""

from __future__ import annotations

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


_INSTALL_HINT = {
    "linux": "Install VLC with your package manager, e.g. `sudo apt install vlc` "
    "(Debian/Ubuntu), `sudo dnf install vlc` (Fedora) or `sudo pacman -S vlc` (Arch).",
    "darwin": "Install VLC from https://www.videolan.org/vlc/ or with `brew install --cask vlc`.",
    "win32": "Install VLC (64-bit, matching Python) from https://www.videolan.org/vlc/ "
    "or with `winget install VideoLAN.VLC`.",
}


def vlc_install_error(reason: Exception | None, platform: str = sys.platform) -> AppError:
    """An AppError saying that libVLC is missing (*reason*) and how to install VLC on
    *platform* (this one by default)."""
    key = "darwin" if platform == "darwin" else "win32" if platform == "win32" else "linux"
    return AppError(
        "VLC is not installed: Kindred cannot play audio",
        f"Kindred plays audio through libVLC, which was not found ({reason}). "
        + _INSTALL_HINT[key]
        + " Then start Kindred again.",
    )
