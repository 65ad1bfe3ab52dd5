"""What a scrobbling service can answer, sorted by what Kindred does about it."""

from __future__ import annotations

from player.errors import AppError


class ScrobbleError(AppError):
    """Talking to a scrobbling service failed."""


class SignInNeeded(ScrobbleError):
    """The session or token is missing, expired or revoked (Last.fm 9, ListenBrainz
    401): the queue is kept and goes out after signing in again."""


class TryLater(ScrobbleError):
    """The service is down, unreachable or asks to slow down (Last.fm 11, 16, 29;
    ListenBrainz 429 and 5xx): back off ``wait_s`` (None: the sender's own back-off)."""

    def __init__(self, short: str, detail: str = "", *, wait_s: float | None = None) -> None:
        super().__init__(short, detail)
        self.wait_s = wait_s


class ListenRejected(ScrobbleError):
    """The service refused one listen as invalid: it is dropped with this reason."""
