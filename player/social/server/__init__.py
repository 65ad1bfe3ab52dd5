"""The shared comment server: an ASGI app with its own SQL storage.

Imports nothing from the desktop app except the pure helpers in
:mod:`player.errors` and :mod:`player.songid`, so it can run on a machine with
no Qt and no libVLC.
"""
