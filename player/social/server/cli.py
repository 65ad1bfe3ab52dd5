"""``kindred-server``: serve the comment API, run migrations, make moderators.

    kindred-server [--database-url URL] [--host H] [--port P] [--workers N] [--access-log]
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
import re
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
    access_log: bool = False,
) -> None:
    """Run an ASGI app (import string) under uvicorn with uvloop and httptools.

    ``access_log``: one line per request on stderr, whatever ``log_level`` says
    about the rest.
    """
    import copy

    import uvicorn
    from uvicorn.config import LOGGING_CONFIG

    log_config = copy.deepcopy(LOGGING_CONFIG)
    for name in ("uvicorn", "uvicorn.error"):
        log_config["loggers"].setdefault(name, {})["level"] = log_level.upper()
    log_config["loggers"]["uvicorn.access"]["level"] = "INFO" if access_log else "WARNING"
    uvicorn.run(
        app,
        factory=factory,
        host=host,
        port=port,
        workers=workers if workers > 1 else None,
        loop="uvloop",
        http="httptools",
        access_log=access_log,
        log_config=log_config,
        log_level=None,
        proxy_headers=forwarded_allow_ips is not None,
        forwarded_allow_ips=forwarded_allow_ips,
        timeout_graceful_shutdown=5,
    )


def shown_url(url: str) -> str:
    """A database URL fit to print: the password, if any, replaced by ``***``."""
    return re.sub(r"(://[^/:@]*):[^/@]*@", r"\1:***@", url)


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
    parser.add_argument(
        "--access-log",
        action="store_true",
        help="print one line per request (method, path, status)",
    )
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
    workers = max(1, args.workers)
    print(
        f"kindred-server: serving http://{args.host}:{args.port} · "
        f"database {shown_url(config.database_url)} · "
        f"{workers} worker{'' if workers == 1 else 's'}"
        + (" · access log on" if args.access_log else ""),
        file=sys.stderr,
        flush=True,
    )
    serve(
        APP_FACTORY,
        args.host,
        args.port,
        args.workers,
        forwarded_allow_ips=args.forwarded_allow_ips,
        log_level=args.log_level,
        access_log=args.access_log,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
