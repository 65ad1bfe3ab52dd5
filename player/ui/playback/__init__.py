"""What plays: the now-playing bar, the audio badge, the queue, lyrics and the sleep timer."""
