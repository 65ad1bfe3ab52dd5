"""Kindred: a desktop music player."""

__version__ = "0.1.0"
