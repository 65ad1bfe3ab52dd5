"""What a person types for a track (its id or its file's path) as a library track id."""

from __future__ import annotations

import os

from player.library.store import LibraryDB


def find_track(db: LibraryDB, ref: str | int) -> int | None:
    """The id of the track *ref* names: an existing id, or a path as given, made
    absolute, or with links resolved. None when it names no library track."""
    text = str(ref)
    if text.isdigit() and db.get_track(int(text)) is not None:
        return int(text)
    path = os.path.abspath(os.path.expanduser(text))
    for candidate in dict.fromkeys((text, path, os.path.realpath(path))):
        found = db.track_id(candidate)
        if found is not None:
            return found
    return None
