"""Kindred's own output stage: decoding ahead, one open device stream, the signal path in float."""
