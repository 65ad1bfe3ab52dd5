"""Desktop integration: MPRIS, the tray, notifications, one window per user and restarting."""
