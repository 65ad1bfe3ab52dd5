"""Work around a reference-counting bug in ``Signal.emit`` of some PySide6 builds.

PySide6 6.12.0 (the version this project locks) returns the ``True`` that
``SignalInstance.emit()`` produces without taking a reference for it, so every
emit from Python drops one reference to ``True``; after a few thousand emits
CPython aborts with "bool_dealloc: deallocating True or False". The window
emits many signals a second while music plays, so it would crash within
minutes. :func:`emit` emits and, only when this build is found to have the
bug (checked once, by watching ``True``'s reference count over a few emits),
gives back the missing reference. On a fixed PySide6 it is a plain emit.
Every signal emitted from Python in ``player.ui`` goes through it.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from PySide6.QtCore import QObject, Signal

_incref = ctypes.pythonapi.Py_IncRef
_incref.argtypes = [ctypes.py_object]
_incref.restype = None
_leaks: bool | None = None


class _Probe(QObject):
    fired = Signal()


def emit_leaks() -> bool:
    """True when ``Signal.emit`` loses a reference to its result in this build."""
    global _leaks
    if _leaks is None:
        probe = _Probe()
        probe.fired.connect(lambda: None)
        before = sys.getrefcount(True)
        for _ in range(8):
            probe.fired.emit()
        _leaks = sys.getrefcount(True) <= before - 8
    return _leaks


def emit(signal: Any, *args: Any) -> None:
    """``signal.emit(*args)``, safe from the reference leak (see the module docstring)."""
    result = signal.emit(*args)
    if result is not None and emit_leaks():
        _incref(result)


emit_leaks()  # decide once, at import on the main thread, before any worker emits
