"""The PySide6 window, one package per feature in a one-way order.

kit < tracks < pages, playback < playlists, foryou, comments < desktop <
settings < window; :mod:`player.ui.main` runs it on the parts :mod:`player.app` built. ``tests/test_layering.py``
enforces the order.
"""
