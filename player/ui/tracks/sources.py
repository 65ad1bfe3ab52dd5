"""The window's side of the track listings: translated titles for unnamed categories.

:mod:`player.library.trackquery` names the tracks without an artist, genre or
folder in English; :func:`category_source` gives the same list under the
title translated in the listener's language (context ``TrackSource``).
"""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QCoreApplication

from player.library import trackquery
from player.library.trackquery import TrackSource


def unknown_title(kind: str) -> str:
    """The translated title of the tracks with an empty artist, genre or folder."""
    if kind == "artist":
        return QCoreApplication.translate("TrackSource", "Unknown artist")
    if kind == "genre":
        return QCoreApplication.translate("TrackSource", "Unknown genre")
    return QCoreApplication.translate("TrackSource", "Unknown folder")


def category_source(kind: str, name: str) -> TrackSource:
    """The tracks of one artist, genre or folder, titled in the listener's language."""
    source = trackquery.category_source(kind, name)
    return source if name else dataclasses.replace(source, title=unknown_title(kind))
