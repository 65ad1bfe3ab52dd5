"""The window's toolkit: the task runner, the playback bridge, theme, translations, covers and small widgets every feature may use."""
