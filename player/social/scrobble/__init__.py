"""Scrobbling to ListenBrainz and Last.fm: the rules (:mod:`.rules`), the two
services' clients (:mod:`.listenbrainz`, :mod:`.lastfm`), the accounts and
settings (:mod:`.accounts`) and the sending of the durable queue
(:mod:`.sender`; the queue itself is :mod:`player.library.scrobble_queue`)."""
