"""Spare each import PySide6's source reading.

Once PySide6 is loaded, its import hook (``shibokensupport.feature``) reads and
tokenizes the whole source file of every module imported after it, to find
whether the file mentions ``PySide6`` (for ``from __feature__ import ...``,
which Kindred does not use). At start-up that is several hundred modules.
:func:`skip_source_reads` answers the same question from the module's name
instead (Kindred's own modules and PySide6's count as using it, as the source
search finds; nothing else does), so no source file is opened. A PySide6
without that hook is left as it is.
"""

from __future__ import annotations

import sys
from types import ModuleType

#: modules taken to use PySide6 (the others are ignored by feature switching)
USERS = ("player.", "PySide6", "__main__")


def uses_pyside(module: ModuleType) -> bool:
    return getattr(module, "__name__", "").startswith(USERS)


def skip_source_reads() -> bool:
    """Replace the hook's source search by :func:`uses_pyside`; True if it was there."""
    import PySide6.QtCore  # noqa: F401  (loads the hook)

    feature = sys.modules.get("shibokensupport.feature")
    if feature is None or not callable(getattr(feature, "_mod_uses_pyside", None)):
        return False
    feature._mod_uses_pyside = uses_pyside  # type: ignore[attr-defined]
    return True
