"""Discovery in the window: the For You page, its rows, hidden tracks, the radio session, reasons and analysis."""
