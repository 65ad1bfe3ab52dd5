"""``kindred-server``: serve the comment API, run migrations, make moderators.

    kindred-server [--database-url URL] [--host H] [--port P] [--workers N]
    kindred-server migrate [--database-url URL]
    kindred-server create-moderator NAME [--database-url URL]

Settings reach uvicorn's worker processes through ``KINDRED_*`` environment
variables (see :mod:`.config`); migrations run once, in this process, before
any worker starts.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from player.errors import AppError

from . import config as cfg
from .config import ServerConfig

APP_FACTORY = "player.social.server.app:app_from_env"


def serve(
    app: str,
    host: str,
    port: int,
    workers: int = 1,
    *,
    factory: bool = True,
    forwarded_allow_ips: str | None = None,
    log_level: str = "warning",
) -> None:
    """Run an ASGI app (import string) under uvicorn with uvloop and httptools."""
    import uvicorn

    uvicorn.run(
        app,
        factory=factory,
        host=host,
        port=port,
        workers=workers if workers > 1 else None,
        loop="uvloop",
        http="httptools",
        access_log=False,
        log_level=log_level,
        proxy_headers=forwarded_allow_ips is not None,
        forwarded_allow_ips=forwarded_allow_ips,
        timeout_graceful_shutdown=5,
    )


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--database-url",
        default=argparse.SUPPRESS,
        help="postgresql://user:pw@host/db or sqlite:///path (default: SQLite in the data dir)",
    )
    parser = argparse.ArgumentParser(
        prog="kindred-server", description="Kindred's shared comment server."
    )
    parser.add_argument("--database-url", default=None, help=common._actions[0].help)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=1, help="worker processes (uvicorn)")
    parser.add_argument(
        "--rate-limits",
        default=None,
        help="'off' or a factor applied to every limit (env KINDRED_RATE_LIMITS)",
    )
    parser.add_argument(
        "--forwarded-allow-ips",
        default=None,
        help="trust X-Forwarded-For from these proxy addresses (comma-separated, or '*')",
    )
    parser.add_argument("--log-level", default="warning")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("migrate", parents=[common], help="upgrade the database schema and exit")
    mod = sub.add_parser(
        "create-moderator",
        parents=[common],
        help="create a moderator account (or make an existing account one)",
    )
    mod.add_argument("name")
    return parser


def _read_password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Again: "):
            raise AppError("The passwords differ.")
        return first
    return sys.stdin.readline().rstrip("\n")


def _create_moderator(config: ServerConfig, name: str) -> None:
    from .accounts import create_user, set_moderator
    from .apierrors import ApiError
    from .app import create_app

    state = create_app(config, migrate=True).state.server
    try:
        if set_moderator(state, name):
            print(f"{name} is now a moderator.")
            return
        create_user(state, name, _read_password(), moderator=True)
        print(f"Created moderator {name}.")
    except ApiError as exc:
        raise AppError(str(exc.detail)) from None
    finally:
        state.db.close()


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``kindred-server``."""
    args = _parser().parse_args(argv)
    try:
        config = ServerConfig.from_env()
        if args.database_url:
            config = config.with_(database_url=args.database_url)
        if getattr(args, "rate_limits", None):
            config = config.with_(rate_scale=cfg.parse_rate_limits(args.rate_limits))
        if args.command == "create-moderator":
            _create_moderator(config, args.name)
            return 0
        from .db import Database
        from .migrate import upgrade

        database = Database(config.database_url)
        try:
            upgrade(database)
        finally:
            database.close()
        if args.command == "migrate":
            print("The database schema is up to date.")
            return 0
    except (AppError, ValueError) as exc:
        print(f"kindred-server: {exc}", file=sys.stderr)
        return 2
    # uvicorn's workers build the app from the environment: hand the settings down
    os.environ[cfg.ENV_DATABASE_URL] = config.database_url
    if args.rate_limits:
        os.environ[cfg.ENV_RATE_LIMITS] = args.rate_limits
    serve(
        APP_FACTORY,
        args.host,
        args.port,
        args.workers,
        forwarded_allow_ips=args.forwarded_allow_ips,
        log_level=args.log_level,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
