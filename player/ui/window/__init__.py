"""The main window and what only it holds: search box, notices, shortcuts, saved state, drops, folder watching."""
