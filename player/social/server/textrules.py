"""What a username, a password and a comment body may contain.

Comment bodies are plain text that clients never render as HTML or Markdown;
these rules keep out what could still mislead a reader or break a layout:
control characters, bidirectional overrides, "Zalgo" stacks of combining
marks and walls of blank lines.
"""

from __future__ import annotations

import unicodedata

from .apierrors import ApiError

USERNAME_MIN, USERNAME_MAX = 3, 32
PASSWORD_MIN, PASSWORD_MAX = 8, 256
BODY_MAX = 2000
MAX_LINE_BREAKS = 20
MAX_COMBINING = 8
REASON_MAX = 500

_BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def username_ok(name: str) -> str:
    """The NFC username, or ApiError 422: 3-32 letters (any script), digits, ``_``."""
    name = unicodedata.normalize("NFC", name)
    if not USERNAME_MIN <= len(name) <= USERNAME_MAX:
        raise ApiError(422, "invalid_username", "A username has 3 to 32 characters.")
    for ch in name:
        if ch != "_" and unicodedata.category(ch)[0] not in "LN":
            raise ApiError(
                422, "invalid_username", "A username has only letters, digits and underscores."
            )
    return name


def username_key(name: str) -> str:
    """The key that makes "Alice" and "alice" one account."""
    return unicodedata.normalize("NFKC", name).casefold()


def password_ok(password: str) -> str:
    """The password, or ApiError 422 when its length is out of 8-256."""
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise ApiError(422, "invalid_password", "A password has 8 to 256 characters.")
    return password


def clean_text(text: str, max_chars: int = BODY_MAX, what: str = "comment") -> str:
    """NFC, trimmed, checked plain text (see the module docstring), or ApiError 422."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n")).strip()
    if not text:
        raise ApiError(422, "invalid_body", f"The {what} is empty.")
    if len(text) > max_chars:
        raise ApiError(422, "invalid_body", f"The {what} is over {max_chars} characters.")
    if text.count("\n") > MAX_LINE_BREAKS:
        raise ApiError(422, "invalid_body", f"The {what} has over {MAX_LINE_BREAKS} line breaks.")
    run = 0
    for ch in text:
        if ch in _BIDI:
            raise ApiError(
                422, "invalid_body", f"The {what} has a bidirectional control character."
            )
        category = unicodedata.category(ch)
        if category == "Cc" and ch != "\n":
            raise ApiError(422, "invalid_body", f"The {what} has a control character.")
        if category in ("Mn", "Me"):
            run += 1
            if run > MAX_COMBINING:
                raise ApiError(422, "invalid_body", f"The {what} has too many combining marks.")
        else:
            run = 0
    return text
