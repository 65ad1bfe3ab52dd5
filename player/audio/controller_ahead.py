"""What the engine is given to play after the current item (gapless playback).

A mixin of :class:`~player.audio.controller.PlaybackController`. The item that
follows the current one is preloaded into the engine in two ways:

* near the end: once no more than :data:`PRELOAD_MS` of the current item are
  left (at once for an item shorter than that, from its known length);
* when the engine asks (:attr:`~player.audio.engine.Engine.wants_next`): an
  engine that decodes ahead of what is heard (the output stage) asks for the
  item after the last one it has decoded, which may itself be a preloaded item
  not heard yet. Tracks shorter than the sound card's buffer need this: by the
  time one is heard, the one after it must already be decoded.

``_ahead`` lists what was preloaded after the current item, in order. The
queue decides what plays: after an edit (an item removed or moved, shuffle,
repeat, stop after current) the list is checked against the queue, and from
the first item that no longer follows, the right one is offered instead (an
engine replaces a preload it has not started on). At the end of an item the
engine says what it went on with (``EndReached.next_item``): when that is what
the queue plays next it becomes the current item and the engine is left alone,
however far ahead it already is; otherwise the queue's item is loaded, which
drops whatever the engine had queued.
"""

from __future__ import annotations

from player.audio.controller_events import media_for
from player.audio.engine import Engine, MediaItem
from player.audio.listening import ListenTracker
from player.audio.playback_rules import (
    PlaybackRules,
    Resolving,
    direct_location,
    needs_resolving,
)
from player.audio.queue import PlayQueue, QueueItem

#: preload the following item when this little of the current one is left
PRELOAD_MS = 3000


class UpNext:
    """The items preloaded after the current one; the state lives in the controller."""

    engine: Engine
    queue: PlayQueue
    rules: PlaybackRules
    _item: QueueItem | None
    _media: MediaItem | None
    _listen: ListenTracker
    _preloaded: bool  # the near-end offer for the current item was made
    _resolving: Resolving | None

    def _init_ahead(self) -> None:
        self._ahead: list[tuple[QueueItem, MediaItem]] = []
        # the item after which nothing could be offered, and the queue's revision then
        self._declined: tuple[QueueItem, int] | None = None
        self._queue_seen = self.queue.revision

    def _forget_ahead(self) -> None:
        """The engine dropped what it had after the current item (a load, a stop)."""
        self._ahead = []
        self._declined = None

    def _offer_near_end(self, position_ms: int) -> None:
        """Preload the following item once the current one is near its end."""
        item = self._item
        if item is None or self._preloaded:
            return
        length = self._listen.duration_ms or item.duration_ms
        if not length or length - position_ms > PRELOAD_MS:
            return
        self._preloaded = True
        if not self._ahead:  # (the engine may have asked for it already)
            self._offer_after(item)

    def _offer_after(self, after: QueueItem) -> None:
        """Preload the item the queue plays after *after* (the current item or one
        already preloaded), when there is one the engine can open directly."""
        following = self.rules.peek_next(after)
        if following is None or needs_resolving(following):
            self._declined = (after, self.queue.revision)
            return
        self._declined = None
        media = media_for(following, direct_location(following))
        self.rules.preload(media, following, after)
        self._ahead.append((following, media))

    def _follow_up(self) -> None:
        """Once a pump: keep what the engine was given in line with the queue, and
        answer the engine when it wants the next item."""
        if self._item is None or self._media is None or self._resolving is not None:
            return
        if self.queue.revision != self._queue_seen:
            self._queue_seen = self.queue.revision
            self._recheck_ahead(self._item)
        wanted = self.engine.wants_next
        if wanted is not None:
            self._answer(wanted)

    def _recheck_ahead(self, current: QueueItem) -> None:
        """After a queue edit: from the first preloaded item that no longer follows,
        offer the right one instead."""
        after = current
        for index, (item, _) in enumerate(self._ahead):
            if self.rules.peek_next(after) is not item:
                del self._ahead[index:]
                self._offer_after(after)
                return
            after = item
        if not self._ahead and self._preloaded:
            self._offer_after(current)  # nothing followed it before the edit: maybe now

    def _answer(self, wanted: MediaItem) -> None:
        """The engine has all of *wanted* and nothing after it: offer what follows."""
        assert self._item is not None and self._media is not None
        chain = [(self._item, self._media), *self._ahead]
        index = next((i for i in reversed(range(len(chain))) if chain[i][1] == wanted), None)
        if index is None:
            return  # not one of ours: the engine is about to tell of a change
        after, media = chain[index]
        if media.is_url and not (index == 0 and self._listen.duration_ms):
            return  # a stream's end is the watchdog's to judge (reconnect, or fail it)
        declined = self._declined
        if declined is not None and declined[0] is after and declined[1] == self.queue.revision:
            return  # nothing follows it (asked already)
        del self._ahead[index:]  # what was preloaded after it is gone (a seek dropped it)
        self._offer_after(after)

    def _after_seek(self) -> None:
        """The engine was sent a seek: one that decodes ahead drops what it had queued
        after the current item, so the first item after it is offered again."""
        if self._ahead and self._item is not None:
            self._ahead = []
            self._offer_after(self._item)

    def _went_on_with(self, item: QueueItem, went_on: MediaItem) -> MediaItem | None:
        """The engine went on by itself with *went_on*; the queue plays *item* now.
        Returns the engine's item when it is *item* (the preloaded items after it stay
        as they are), None when the engine has to be told to play *item* after all."""
        head = self._ahead[0] if self._ahead else None
        if head is not None and head[0] is item:
            expected = head[1]
        elif needs_resolving(item):
            return None
        else:
            expected = media_for(item, direct_location(item))
        if went_on != expected:
            return None
        self._ahead = self._ahead[1:] if head is not None and head[0] is item else []
        return went_on
