"""Accounts and sign-in: ``POST /users``, ``POST /tokens``, ``DELETE /tokens/current``.

Failed sign-ins are slowed down (a pause before the answer) and counted per
account and per client address; past the limit the server answers 429 without
even checking the password.
"""

from __future__ import annotations

import contextlib

import anyio
from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from sqlalchemy import Connection, delete, select
from sqlalchemy.exc import IntegrityError

from . import ratelimit
from .apierrors import ApiError
from .auth import (
    ServerState,
    StateDep,
    UserDep,
    client_address,
    issue_token,
    token_hash,
    verify_password,
)
from .clock import iso, now_us
from .models import Credentials, TokenOut, UserOut
from .profiles import refuse_suspended
from .schema import tokens, users
from .textrules import password_ok, username_key, username_ok

router = APIRouter(tags=["accounts"])


def create_user(
    st: ServerState, username: str, password: str, *, moderator: bool = False
) -> dict[str, object]:
    """Insert a user (password hashed with Argon2id); ApiError 409 when the name is taken."""
    name = username_ok(username)
    key = username_key(name)
    password_ok(password)
    with st.db.read() as conn:
        if _user_id(conn, key) is not None:
            raise _taken()
    hashed = st.hasher.hash(password)
    try:
        with st.db.write() as conn:
            user_id = conn.execute(
                users.insert()
                .values(
                    username=name,
                    username_key=key,
                    password_hash=hashed,
                    is_moderator=moderator,
                    created_us=now_us(),
                )
                .returning(users.c.id)
            ).scalar_one()
    except IntegrityError:
        raise _taken() from None
    return {"id": user_id, "username": name}


def set_moderator(st: ServerState, username: str, moderator: bool = True) -> bool:
    """Make an existing account a moderator (or not); False when there is no such account."""
    with st.db.write() as conn:
        result = conn.execute(
            users.update()
            .where(users.c.username_key == username_key(username))
            .values(is_moderator=moderator)
            .returning(users.c.id)
        ).first()
        return result is not None


def _user_id(conn: Connection, key: str) -> int | None:
    return conn.execute(select(users.c.id).where(users.c.username_key == key)).scalar()


def _taken() -> ApiError:
    return ApiError(409, "username_taken", "That username is taken.")


@router.post("/users", status_code=201, response_model=UserOut)
def register(payload: Credentials, request: Request, st: StateDep) -> Response:
    """Create an account."""
    username_ok(payload.username)
    password_ok(payload.password)
    with st.db.write() as conn:
        ratelimit.hit(conn, st.config, "register_addr", client_address(request))
    return JSONResponse(create_user(st, payload.username, payload.password), status_code=201)


@router.post("/tokens", status_code=201, response_model=TokenOut)
async def login(payload: Credentials, request: Request, st: StateDep) -> Response:
    """Sign in: trade a username and password for a bearer token.

    The pause after a failure is awaited, not slept in a thread, so a flood of
    bad passwords cannot tie up the threads that serve everyone else.
    """
    token = await run_in_threadpool(_sign_in, st, payload, client_address(request))
    if token is None:
        await anyio.sleep(st.config.login_failure_delay_s)
        raise ApiError(401, "bad_credentials", "Wrong username or password.")
    return JSONResponse({"token": token[0], "expires_at": iso(token[1])}, status_code=201)


def _sign_in(st: ServerState, payload: Credentials, addr: str) -> tuple[str, int] | None:
    """A new token and its expiry, or None (failure counted); ApiError 429 when limited."""
    try:
        key = username_key(username_ok(payload.username))
    except ApiError:  # no account can have this name (and it may hold bytes a database refuses)
        key = ""
    with st.db.read() as conn:
        for rule, who in (("login_account", key), ("login_addr", addr)):
            if not who:
                continue
            wait = ratelimit.over_limit(conn, st.config, rule, who)
            if wait is not None:
                raise ApiError(
                    429,
                    "rate_limited",
                    f"Too many failed sign-ins; try again in {wait} s.",
                    headers={"Retry-After": str(wait)},
                )
        row = (
            conn.execute(
                select(
                    users.c.id,
                    users.c.password_hash,
                    users.c.suspended_until_us,
                    users.c.suspend_reason,
                ).where(users.c.username_key == key)
            ).first()
            if key
            else None
        )
    stored = row.password_hash if row is not None else st.dummy_hash
    if row is None or not verify_password(st.hasher, stored, payload.password):
        with st.db.write() as conn:
            for rule, who in (("login_account", key), ("login_addr", addr)):
                if not who:
                    continue
                with contextlib.suppress(ApiError):  # counted: the next try is refused
                    ratelimit.hit(conn, st.config, rule, who)
        return None
    refuse_suspended(row)  # the right password, but not now: say why and until when
    with st.db.write() as conn:
        return issue_token(conn, st.config, row.id)


@router.delete("/tokens/current", status_code=204)
def logout(request: Request, user: UserDep, st: StateDep) -> Response:
    """Revoke the token this request was sent with."""
    header = request.headers.get("authorization", "")
    token = header.split(" ", 1)[1].strip() if " " in header else ""
    hashed = token_hash(token)
    with st.db.write() as conn:
        conn.execute(
            delete(tokens).where(tokens.c.token_hash == hashed).where(tokens.c.user_id == user.id)
        )
    st.tokens.forget(hashed)  # refused here at once (elsewhere within token_cache_s)
    return Response(status_code=204)
