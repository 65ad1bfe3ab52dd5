"""The old name of :mod:`player.library.store`, kept only for the three modules not yet moved.

``player.app``, ``player.library.context`` and ``player.ui.comments.backend``
still import :class:`LibraryDB` from here; they are being rebuilt around one
composition root, which imports it from :mod:`player.library.store`. Delete
this module then. Nothing else may import it.
"""

from player.library.store import LibraryDB

__all__ = ["LibraryDB"]
