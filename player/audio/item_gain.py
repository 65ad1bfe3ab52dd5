"""The loudness data of a queue item and whether it plays as part of an album.

ReplayGain needs a track's gain tags, and in auto mode it needs to know whether
the item plays among its album's tracks in album order (then album gain keeps
the album's intended dynamics) or alone / shuffled (then track gain evens out
loudness). The tags come from the library when the item is a library track,
else from the file itself; an item without any data gets None and the
ReplayGain rules apply their fallback.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from player.audio.queue import PlayQueue, QueueItem, ShuffleMode
from player.errors import AppError

if TYPE_CHECKING:
    from player.library.store import LibraryDB
    from player.library.track import TrackInfo

log = logging.getLogger(__name__)


def track_info_for(item: QueueItem, library: LibraryDB | None) -> TrackInfo | None:
    """The item's tags: from the library by track id, else read from a local file."""
    if library is not None and item.track_id is not None:
        try:
            info = library.get_track(item.track_id)
        except Exception:  # a library problem must not stop playback
            log.exception("could not read track %s from the library", item.track_id)
            info = None
        if info is not None:
            return info
    if "://" in item.location and not item.location.startswith("file://"):
        return None  # a stream: no tags to read before it plays
    from player.library.tags import read_tags

    try:
        return read_tags(item.location.removeprefix("file://"))
    except AppError:
        return None
    except Exception:  # an unexpected reader failure only means "no data"
        log.exception("could not read the tags of %s", item.location)
        return None


def album_in_order(queue: PlayQueue, item: QueueItem) -> bool:
    """True when *item* sits next to another track of its album in play order.

    Shuffling single tracks breaks albums apart, so it is never in order. Plain
    order and album shuffle (which keeps each album's tracks in order) are in
    order when the previous or the next item shares the item's album key.
    """
    if not item.album_key or queue.shuffle is ShuffleMode.TRACKS:
        return False
    order = queue.play_order()
    ids = [it.id for it in order]
    if item.id not in ids:
        return False
    i = ids.index(item.id)
    neighbours = order[max(0, i - 1) : i] + order[i + 1 : i + 2]
    return any(other.album_key == item.album_key for other in neighbours)
