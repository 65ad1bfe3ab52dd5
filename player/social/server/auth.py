"""Passwords (Argon2id), bearer tokens and the "who is asking" dependencies.

Tokens are 256 random bits handed to the client once; the server keeps only
their SHA-256, so a leaked database holds no usable token. A token expires
after ``ServerConfig.token_ttl_s``.
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from dataclasses import dataclass, field
from typing import Annotated, Any

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Connection, bindparam, select

from .apierrors import ApiError
from .clock import now_us
from .config import ServerConfig
from .db import Database
from .readcache import ReadCache
from .schema import tokens, users
from .tokencache import TokenCache


@dataclass(frozen=True)
class User:
    """The signed-in user of a request."""

    id: int
    username: str
    is_moderator: bool


@dataclass
class ServerState:
    """What every request handler needs: settings, database, password hasher."""

    config: ServerConfig
    db: Database
    hasher: PasswordHasher
    #: a real hash of a random password, verified when the account does not
    #: exist so that a failed login takes as long either way
    dummy_hash: str = ""
    read_cache: ReadCache = field(default_factory=lambda: ReadCache(0))
    #: users of recently checked tokens (see :mod:`.tokencache`)
    tokens: TokenCache[User] = field(default_factory=lambda: TokenCache(0))
    #: the comment wall's cache (a :class:`.wall.WallCache`, set by the app)
    wall: Any = None
    #: posts written together (a :class:`.groupcommit.GroupCommit`, set by the app)
    group: Any = None
    #: token checks under way, by token hash (see :func:`check_token`)
    checking: dict[str, asyncio.Future[User]] = field(default_factory=dict)


def make_hasher(config: ServerConfig) -> PasswordHasher:
    """An Argon2id hasher with the configured cost."""
    return PasswordHasher(
        time_cost=config.argon2_time_cost,
        memory_cost=config.argon2_memory_kib,
        parallelism=1,
        type=Type.ID,
    )


def verify_password(hasher: PasswordHasher, stored: str, password: str) -> bool:
    """True when ``password`` matches the stored Argon2 hash."""
    try:
        return hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def token_hash(token: str) -> str:
    """What the database stores for a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(conn: Connection, config: ServerConfig, user_id: int) -> tuple[str, int]:
    """A new token for ``user_id`` and its expiry (µs)."""
    token = secrets.token_urlsafe(32)
    now = now_us()
    expires = now + config.token_ttl_s * 1_000_000
    conn.execute(
        tokens.insert().values(
            user_id=user_id, token_hash=token_hash(token), created_us=now, expires_us=expires
        )
    )
    return token, expires


async def state(request: Request) -> ServerState:
    """The server state of the app answering ``request`` (async: no thread hop)."""
    return request.app.state.server


_bearer = HTTPBearer(auto_error=False, description="A token from POST /api/v1/tokens")


def _unauthorized(message: str) -> ApiError:
    return ApiError(401, "unauthorized", message, headers={"WWW-Authenticate": "Bearer"})


async def optional_user(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> User | None:
    """The signed-in user, None when anonymous; 401 for a bad or expired token."""
    if credentials is None:
        if request.headers.get("authorization"):
            raise _unauthorized("Send the token as 'Authorization: Bearer <token>'.")
        return None
    st: ServerState = request.app.state.server
    hashed = token_hash(credentials.credentials)
    return st.tokens.get(hashed) or await check_token(st, hashed)


async def check_token(st: ServerState, hashed: str) -> User:
    """The user of a token, checked against the database (and memoised); 401 when invalid.

    Requests that ask about the same token while its check runs wait for that
    one check: when a popular token's memo entry is missing (a cold start, or
    the entry ran out), a burst of requests costs one query, not one each.
    """
    loop = asyncio.get_running_loop()
    pending = st.checking.get(hashed)
    if pending is None or pending.get_loop() is not loop:
        pending = loop.create_task(run_in_threadpool(_user_of_token, st, hashed))
        st.checking[hashed] = pending
        pending.add_done_callback(lambda done: _checked(st, hashed, done))
    return await asyncio.shield(pending)


def _checked(st: ServerState, hashed: str, done: asyncio.Future[User]) -> None:
    if st.checking.get(hashed) is done:
        del st.checking[hashed]
    if not done.cancelled():
        done.exception()  # every waiter sees it; this only marks it retrieved


async def memo_user(st: ServerState, token: str) -> User | None:
    """The user of a bearer token for the answers served at the ASGI layer.

    From the memo (:mod:`.tokencache`); when the memo sends this caller to the
    database (the token is not memoised, or this caller has the turn to re-check
    it shortly before it runs out) the check runs here, so the entry is renewed
    before it expires. None when the token is invalid or the database fails:
    the full path then answers properly.
    """
    hashed = token_hash(token)
    user = st.tokens.get(hashed)
    if user is not None:
        return user
    try:
        return await check_token(st, hashed)
    except Exception:
        return None


_USER_OF_TOKEN = (
    select(users.c.id, users.c.username, users.c.is_moderator, tokens.c.expires_us)
    .join(tokens, tokens.c.user_id == users.c.id)
    .where(tokens.c.token_hash == bindparam("hash"), tokens.c.expires_us > bindparam("now"))
)


def _user_of_token(st: ServerState, hashed: str) -> User:
    now = now_us()
    with st.db.read() as conn:
        row = conn.execute(_USER_OF_TOKEN, {"hash": hashed, "now": now}).first()
    if row is None:
        raise _unauthorized("The token is invalid or has expired; sign in again.")
    user = User(row.id, row.username, bool(row.is_moderator))
    st.tokens.put(hashed, user, (row.expires_us - now) / 1_000_000)
    return user


async def require_user(user: Annotated[User | None, Depends(optional_user)]) -> User:
    """The signed-in user; 401 when anonymous."""
    if user is None:
        raise _unauthorized("Sign in first (Authorization: Bearer <token>).")
    return user


async def require_moderator(user: Annotated[User, Depends(require_user)]) -> User:
    """The signed-in moderator; 403 for everyone else."""
    if not user.is_moderator:
        raise ApiError(403, "forbidden", "Only moderators may do this.")
    return user


def client_address(request: Request) -> str:
    """The client's address (uvicorn applies X-Forwarded-For from trusted proxies)."""
    return request.client.host if request.client else "unknown"


StateDep = Annotated[ServerState, Depends(state)]
ViewerDep = Annotated[User | None, Depends(optional_user)]
UserDep = Annotated[User, Depends(require_user)]
ModeratorDep = Annotated[User, Depends(require_moderator)]
