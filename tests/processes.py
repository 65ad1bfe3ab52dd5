"""Stopping a helper process the tests started: a polite signal, then a kill."""

from __future__ import annotations

import signal
import subprocess


def default_sigint() -> None:
    """``preexec_fn`` for a child the tests stop with SIGINT: its default handling back.

    A suite run in the background (``nohup uv run pytest ... &``) has SIGINT
    ignored, and an ignored signal stays ignored across exec: the child would
    never see the interrupt (a Python child installs its KeyboardInterrupt
    handler only when SIGINT is not ignored at start-up).
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def stop_process(
    process: subprocess.Popen[bytes], sig: int = signal.SIGTERM, *, timeout: float = 5.0
) -> None:
    """Send *sig* to a running *process* and wait; kill it when it does not end in time."""
    if process.poll() is not None:
        return
    process.send_signal(sig)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=timeout)
