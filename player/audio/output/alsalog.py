"""ALSA's own messages go to Kindred's log, once each, instead of the terminal.

libasound prints every error to stderr by itself (``ALSA lib pcm.c:2666:
(snd_pcm_open_noupdate) Unknown PCM default``): on a machine without a sound
card, PortAudio's device scan and each attempt to open the default device print
a dozen such lines. Kindred says once, in its own words, that the device cannot
be used; the library's lines are kept in the log file for a bug report.

The handler is set on the one libasound of the process, so it covers PortAudio
and libVLC's ALSA output alike. Elsewhere than Linux (or without libasound)
nothing happens.
"""

from __future__ import annotations

import ctypes
import logging
import sys
from functools import cache
from typing import Any

log = logging.getLogger(__name__)

#: the C callback, kept alive as long as the process (libasound holds a pointer to it)
_HANDLER: Any = None
#: (file, line) of the messages already logged
_SEEN: set[tuple[bytes, int]] = set()

# void handler(const char *file, int line, const char *function, int err, const char *fmt, ...)
# (the variadic arguments are not read: the format is logged as it is)
_PROTOTYPE = ctypes.CFUNCTYPE(
    None, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p
)


@cache
def libasound() -> Any:
    """The process's libasound (the one PortAudio and libVLC use), or None: not Linux,
    or not installed."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        lib = ctypes.CDLL("libasound.so.2")
    except OSError:
        return None
    lib.snd_pcm_hw_params_sizeof.restype = ctypes.c_size_t
    lib.snd_strerror.restype = ctypes.c_char_p
    return lib


def _text(raw: bytes | None) -> str:
    return (raw or b"").decode("utf-8", "replace")


def _handle(
    file: bytes | None, line: int, function: bytes | None, err: int, fmt: bytes | None
) -> None:
    key = (file or b"", int(line))
    if key in _SEEN:
        return
    _SEEN.add(key)
    log.info("ALSA %s:%d (%s): %s", _text(file), line, _text(function), _text(fmt))


def route_alsa_messages() -> bool:
    """Send libasound's messages to the log (once per place in its code); True when set."""
    global _HANDLER
    if _HANDLER is not None:
        return True
    lib = libasound()
    if lib is None:
        return False
    try:
        handler = _PROTOTYPE(_handle)
        lib.snd_lib_error_set_handler(handler)
    except AttributeError:
        return False
    _HANDLER = handler
    return True


def alsa_default_problem() -> str | None:
    """Why ALSA's default playback device cannot be opened (None: it can, or no ALSA).

    For libVLC's output, which retries a device it cannot open many times a
    second without ever saying so: Kindred asks once, itself.
    """
    lib = libasound()
    if lib is None:
        return None
    route_alsa_messages()
    pcm = ctypes.c_void_p()
    # SND_PCM_STREAM_PLAYBACK = 0, SND_PCM_NONBLOCK = 1 (a busy device answers at once)
    err = lib.snd_pcm_open(ctypes.byref(pcm), b"default", 0, 1)
    if err < 0:
        return f"ALSA cannot open its default device: {_text(lib.snd_strerror(err))}"
    lib.snd_pcm_close(pcm)
    return None
