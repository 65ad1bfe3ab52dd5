"""Composition root: the one place the parts of Kindred are built and handed out.

The only module that sees every part. There is no global app object: the CLI
and the window start here. :func:`open_context` loads the settings and paths and
opens the library; :func:`make_engine` makes the engine (libVLC, or the silent
in-memory one only where the caller asks for it); :func:`make_comments` the
comments service; :func:`make_recommender` the recommender over the library;
:func:`window_parts` adds the playback controller and bundles them for the
window, which :func:`run_window` opens (``kindred`` with no sub-command,
``kindred demo``). The UI itself opens no database and builds no engine.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from player.config import DEFAULT_SERVER_URL, Paths, Settings
from player.errors import AppError
from player.library.context import AppContext
from player.library.store import LibraryDB

if TYPE_CHECKING:
    from player.audio.engine import Engine
    from player.recommend.recommender import Recommender
    from player.social.service import CommentsService
    from player.ui.kit.parts import WindowParts

__all__ = [
    "AppContext",
    "configure_logging",
    "make_comments",
    "make_engine",
    "make_recommender",
    "open_context",
    "output_notice",
    "run_window",
    "window_engine",
    "window_parts",
]

LOG_FILE = "kindred.log"


def configure_logging(
    paths: Paths | None = None, *, console_level: int = logging.WARNING
) -> Path | None:
    """Log to a rotating file in the log directory, and warnings to stderr.

    The file keeps what happened (a stream that dropped, a file that failed to
    play) for a bug report; the console shows only what a person should see,
    one line each, as ``kindred: message``. Returns the log file, or None when
    its directory cannot be written (then the console is all there is).
    """
    paths = paths or Paths.resolve()
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_kindred", False):
            root.removeHandler(handler)
            handler.close()
    root.setLevel(logging.INFO)
    console = logging.StreamHandler()
    console.setLevel(console_level)
    console.setFormatter(logging.Formatter("kindred: %(message)s"))
    console._kindred = True  # type: ignore[attr-defined]
    root.addHandler(console)
    from player.audio.output.alsalog import route_alsa_messages

    route_alsa_messages()  # libasound's own lines go to the log file, not the terminal
    target = paths.log_dir / LOG_FILE
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        file = logging.handlers.RotatingFileHandler(
            target, maxBytes=1 << 20, backupCount=3, encoding="utf-8"
        )
    except OSError:
        return None
    file.setLevel(logging.INFO)
    file.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    file._kindred = True  # type: ignore[attr-defined]
    root.addHandler(file)
    return target


def resolve_db_path(db: str | Path | None, settings: Settings, paths: Paths) -> Path:
    """``--db`` wins, then the settings' database path, then the default."""
    return Path(db).expanduser() if db else settings.database(paths)


def open_context(db: str | Path | None = None, *, readonly: bool = False) -> AppContext:
    """Load settings and open the library database (migrating it if needed)."""
    paths = Paths.resolve()
    settings = Settings.load(paths)
    db_path = resolve_db_path(db, settings, paths)
    library = LibraryDB(db_path, readonly=readonly)
    return AppContext(paths, settings, db_path, library)


def make_engine(
    output: str | Path | None = None, *, fake: bool = False, bit_perfect: bool = False
) -> Engine:
    """The engine: Kindred's own output stage on the sound device, or rendering into a
    WAV file (which needs no sound device at all).

    Where PortAudio cannot be loaded, libVLC's own output plays instead and
    :func:`output_notice` says why gapless is missing; with neither, the
    AppError that says what to install is raised. ``fake`` gives the silent
    in-memory engine (tests, benchmarks). ``bit_perfect``: the card gets each
    track's own samples at its own rate and format.
    """
    if fake:
        from player.audio.fake_engine import FakeEngine

        return FakeEngine()
    from player.audio.output.sinks import portaudio_error

    missing_portaudio = portaudio_error() if output is None else None
    if missing_portaudio is None:
        from player.audio.output.stage import StageEngine

        return StageEngine(
            "device" if output is None else Path(output), bit_perfect=bit_perfect and not output
        )
    from player.audio import vlc_engine

    if vlc_engine.vlc_missing_error() is not None:
        raise portaudio_error(fallback=False)  # type: ignore[misc]
    return vlc_engine.VlcEngine()


def output_notice() -> AppError | None:
    """Why playback is not gapless here (PortAudio missing), None when it is; with
    libVLC's output on a sound device that cannot be opened, that instead (once:
    libVLC itself retries without end and says nothing)."""
    from player.audio.output.sinks import portaudio_error

    missing = portaudio_error()
    if missing is None:
        return None
    from player.audio.output.alsalog import alsa_default_problem

    problem = alsa_default_problem()
    if problem is not None:
        return AppError(
            "The sound device cannot be used",
            f"{problem} (no sound card, or no sound server running). {missing.detail}",
        )
    return missing


def window_engine(
    *, fake: bool = False, bit_perfect: bool = False
) -> tuple[Engine, AppError | None]:
    """The window's engine, and what the window should say about it: the silent engine
    with the error that explains why there is no sound, or libVLC's output with why it
    is not gapless (no PortAudio), or the output stage and nothing to say. The output
    stage is a :class:`~player.audio.output.lazystage.LazyStage`: built on a worker once
    the window is shown (``warm_up``), or when first played.

    The window opens without any of them; the command line does not (it needs
    :func:`make_engine`'s error).
    """
    if fake:
        return make_engine(fake=True), None
    from player.audio.output.lazystage import LazyStage, portaudio_likely

    if portaudio_likely():  # the stage (NumPy, PortAudio) is built after the window shows
        return LazyStage(bit_perfect=bit_perfect), None
    try:
        engine = make_engine(bit_perfect=bit_perfect)
    except AppError as exc:
        return make_engine(fake=True), exc
    return engine, output_notice()


def make_comments(
    ctx: AppContext, *, server: str | None = None, window: bool = False
) -> CommentsService:
    """The comments service for the configured (or given) server and *ctx*'s library.

    For the command line it reads the kept sign-in at once, uses the context's
    library connection on this thread and identifies songs with an audio
    fingerprint. For the window (``window=True``) the sign-in is read only when
    first needed (after the first paint), each worker thread opens its own
    connection, songs are identified by their tags, and a request is retried once.
    """
    from player.social.service import CommentsService

    if window:
        service = CommentsService.lazy(ctx.paths, server or ctx.settings.server_url, ctx.db_path)
        if ctx.settings.local_comment_server and not server:
            service.keep_local_running()
        return service
    url = server or ctx.settings.server_url or DEFAULT_SERVER_URL
    service = CommentsService.lazy(
        ctx.paths, url, ctx.db_path, retries=3, library=ctx.library, with_fingerprint=True
    )
    service.load_account()
    return service


def make_recommender(ctx: AppContext) -> Recommender:
    """The recommender over *ctx*'s library (the command line's ``recommend``)."""
    from player.recommend.recommender import Recommender

    return Recommender(ctx.library)


def window_parts(ctx: AppContext, *, fake_engine: bool = False) -> WindowParts:
    """What the window is opened on: *ctx*, an engine, its controller, the recommender
    and the comments service.

    The engine is the window's (:func:`window_engine`; the silent one when
    ``fake_engine``). The controller saves preference changes (volume,
    equalizer, ...) with the settings. The window's recommender is
    :class:`~player.recommend.shelves.Shelves` (thread-safe, its own connection
    opened on first use, the live radio kept in the data directory).
    """
    from player.audio.controller import controller_for
    from player.recommend.shelves import Shelves
    from player.recommend.station_state import default_station_path
    from player.ui.kit.parts import WindowParts

    engine, problem = window_engine(fake=fake_engine, bit_perfect=ctx.settings.audio.bit_perfect)
    controller = controller_for(engine, ctx.settings, library=ctx.library, paths=ctx.paths)
    recommender = Shelves(ctx.db_path, default_station_path())
    comments = make_comments(ctx, window=True)
    return WindowParts(ctx, engine, controller, recommender, comments, problem)


def run_window(
    db: str | Path | None = None,
    *,
    scan_folder: str | Path | None = None,
    quit_after_ms: int | None = None,
    files: list[str] | None = None,
    comments_account: tuple[str, str] | None = None,
) -> int:
    """Open the window on the library (or *db*) and run until it is closed.

    When a window is already running, *files* are handed to it instead and this
    returns 0 at once. Otherwise the library is opened (a library that cannot be
    opened is reported on stderr and returns 1), the parts are built and
    :func:`player.ui.main.run` runs the window; see there for ``scan_folder``,
    ``quit_after_ms`` and ``files``. ``comments_account`` (name, token) signs the
    Comments tab in for this run only (``kindred demo``'s account).
    """
    from player.ui import main as ui

    ui.application()
    if ui.hand_over(files or []):
        logging.getLogger(__name__).info("handed over to the running window")
        return 0
    try:
        ctx = open_context(db)
    except AppError as exc:
        print(f"kindred: {exc.short}", file=sys.stderr)
        print(f"  {exc.detail}", file=sys.stderr)
        return 1
    parts = window_parts(ctx)
    if comments_account is not None:
        parts.comments.use_token(*comments_account)
    return ui.run(parts, scan_folder=scan_folder, quit_after_ms=quit_after_ms, files=files)
