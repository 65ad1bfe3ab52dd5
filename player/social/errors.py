"""What can go wrong between Kindred and a comment server, in words a person reads."""

from __future__ import annotations

from player.errors import AppError


class SocialError(AppError):
    """Talking to the comment server failed."""


class ServerUnreachable(SocialError):
    """No answer: the server is down, the address is wrong, or there is no network.

    What was being sent stays in the outbox and goes out when the server is back.
    """


class NotSignedIn(SocialError):
    """The request needs an account (no token, or the token expired or was revoked)."""


class RateLimited(SocialError):
    """The server asks to slow down; ``wait_s`` says for how long."""

    def __init__(self, short: str, detail: str = "", *, wait_s: float = 60.0) -> None:
        super().__init__(short, detail)
        self.wait_s = wait_s


class Refused(SocialError):
    """The server understood the request and said no (``status``, ``code``)."""

    def __init__(self, short: str, detail: str = "", *, status: int = 400, code: str = "") -> None:
        super().__init__(short, detail)
        self.status = status
        self.code = code


class BadAnswer(SocialError):
    """The server answered with something that is not the comment API (HTML, garbage)."""
