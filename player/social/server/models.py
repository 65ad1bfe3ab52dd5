"""Request and response shapes of the API (Pydantic), which also make /openapi.json.

Length limits here are generous outer bounds; the exact rules (after Unicode
normalisation) are in :mod:`.textrules`, so the error messages can be precise.
"""

from __future__ import annotations

from typing import Annotated, Literal, Self

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Strict(BaseModel):
    """A request body: unknown fields refused, every string valid Unicode text."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="after")
    def _utf8_only(self) -> Self:
        # JSON may carry lone surrogates ("\ud800"): no database or hash can store them
        for name, value in self:
            if isinstance(value, str):
                try:
                    value.encode("utf-8")
                except UnicodeEncodeError:
                    raise ValueError(f"{name} is not valid Unicode text") from None
        return self


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorResponse(BaseModel):
    error: ErrorDetail


class Credentials(_Strict):
    username: str = Field(max_length=256)
    password: str = Field(max_length=1024)


class UserOut(BaseModel):
    id: int
    username: str


class TokenOut(BaseModel):
    token: str
    expires_at: str


class ResolveIn(_Strict):
    mbid: str | None = Field(default=None, max_length=64)
    isrc: str | None = Field(default=None, max_length=32)
    fingerprint: str | None = Field(default=None, max_length=12000)
    artist: str | None = Field(default=None, max_length=1000)
    title: str | None = Field(default=None, max_length=1000)
    album: str | None = Field(default=None, max_length=1000)
    duration_ms: int | None = Field(default=None, ge=0, le=100_000_000)


class ResolveOut(BaseModel):
    #: null when nobody is signed in and the song is not known yet
    song_id: int | None
    comment_count: int


class CountsOut(BaseModel):
    counts: dict[str, int]


class CommentIn(_Strict):
    body: str = Field(max_length=8000)
    position_ms: int | None = Field(default=None, ge=0, le=86_400_000)
    parent_id: int | None = Field(default=None, ge=1, le=2**31 - 1)


class CommentEdit(_Strict):
    body: str = Field(max_length=8000)


class CommentOut(BaseModel):
    id: int
    song_id: int
    #: null for a deleted comment
    author: UserOut | None
    body: str
    position_ms: int | None
    parent_id: int | None
    reply_to: UserOut | None
    like_count: int
    liked_by_me: bool
    reply_count: int
    created_at: str
    edited_at: str | None
    deleted: bool
    hidden: bool


class CommentPage(BaseModel):
    items: list[CommentOut]
    next_cursor: str | None


class LikeOut(BaseModel):
    like_count: int
    liked_by_me: bool


class ReportIn(_Strict):
    reason: str = Field(max_length=2000)


class HideIn(_Strict):
    #: told to the comment's author in their notification
    reason: str | None = Field(default=None, max_length=2000)


class ReportOut(BaseModel):
    id: int
    comment: CommentOut
    reporter: UserOut
    reason: str
    created_at: str


class ReportPage(BaseModel):
    items: list[ReportOut]
    next_cursor: str | None


class Health(BaseModel):
    status: str
    database: bool


MAX_ID = 2**31 - 1
#: a row id in a path (bounded so no database sees an out-of-range integer)
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]


class ReportCreated(BaseModel):
    id: int


class NotificationOut(BaseModel):
    id: int
    #: "reply", "like", "mention" or "hidden"
    kind: Literal["reply", "like", "mention", "hidden"]
    #: the song of the comment (the server knows songs by id only)
    song_id: int
    #: the reply, the liked comment, the mentioning comment or the hidden comment
    comment: CommentOut
    #: who did it, latest first (up to 3 for a like group; empty for a hide)
    actors: list[UserOut]
    #: how many people (a like group counts every liker)
    actor_count: int
    #: the moderator's reason (hidden only)
    reason: str | None
    read: bool
    created_at: str


class NotificationPage(BaseModel):
    items: list[NotificationOut]
    next_cursor: str | None


class UnreadOut(BaseModel):
    unread: int


class ReadIn(_Strict):
    #: every notification with an id up to this one becomes read
    up_to: int = Field(ge=0, le=MAX_ID)


class MuteList(BaseModel):
    items: list[UserOut]


class SongRef(BaseModel):
    id: int
    #: as the song was tagged when first registered (null when it came without them)
    artist: str | None
    title: str | None
    #: every identity the server knows it by ({"kind": "mbid"|"isrc"|"fp"|"key", "value"})
    aliases: list[dict[str, str]]


class SuspensionOut(BaseModel):
    #: null when for good
    until: str | None
    for_good: bool
    reason: str | None


class ProfileOut(BaseModel):
    id: int
    username: str
    joined_at: str
    comment_count: int
    likes_received: int
    is_moderator: bool
    muted_by_me: bool
    #: shown only to moderators and to the user themself
    suspension: SuspensionOut | None


class ProfileCommentOut(CommentOut):
    song: SongRef | None


class ProfilePage(BaseModel):
    items: list[ProfileCommentOut]
    next_cursor: str | None


class SuspendIn(_Strict):
    reason: str = Field(max_length=2000)
    #: null: for good
    days: int | None = Field(default=None, ge=1, le=36_500)


class ModerationLogItem(BaseModel):
    id: int
    #: "hide", "dismiss", "suspend" or "unsuspend"
    action: str
    moderator: UserOut | None
    target: UserOut | None
    comment_id: int | None
    reason: str | None
    until: str | None
    for_good: bool
    created_at: str


class ModerationLogPage(BaseModel):
    items: list[ModerationLogItem]
    next_cursor: str | None


class PasswordChange(_Strict):
    current_password: str = Field(max_length=1024)
    new_password: str = Field(max_length=1024)


class AccountDelete(_Strict):
    password: str = Field(max_length=1024)
