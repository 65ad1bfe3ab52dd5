"""Opaque keyset cursors: where the next page starts, never an offset.

A cursor is the (created_us, id) of the last item a client saw, tagged with
the list it belongs to, in URL-safe base64. Paging by key instead of offset
stays correct while new comments arrive and costs the same at any depth.
"""

from __future__ import annotations

import base64
import json

from .apierrors import ApiError


def encode(kind: str, created_us: int, row_id: int) -> str:
    """A cursor pointing just past ``(created_us, row_id)`` in the ``kind`` list."""
    raw = json.dumps([kind, created_us, row_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(kind: str, cursor: str) -> tuple[int, int]:
    """``(created_us, id)`` from a cursor of the ``kind`` list; ApiError 400 otherwise."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        tag, created_us, row_id = json.loads(raw)
        valid = (
            tag == kind
            and isinstance(created_us, int)
            and isinstance(row_id, int)
            and 0 <= created_us < 2**62
            and 0 <= row_id < 2**31
        )
    except (ValueError, TypeError):
        valid = False
    if not valid:
        raise ApiError(400, "bad_cursor", "The cursor is not valid for this list.")
    return created_us, row_id
