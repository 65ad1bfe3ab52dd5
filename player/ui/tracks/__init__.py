"""Track lists: the lazy model and view, columns, play-all, ratings, the tag editor and dragging tracks."""
