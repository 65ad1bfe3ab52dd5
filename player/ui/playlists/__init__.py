"""Playlists in the window: actions, the playlist page, the sidebar section, the smart playlist editor."""
