"""Safe storage of the play queue's JSON file.

The queue must survive a restart, and a damaged file must never stop the app
from starting: writes are atomic (temporary file + ``os.replace``), and a file
that cannot be read is renamed ``<name>.corrupt`` (so nothing is lost) and
reported as an :class:`~player.errors.AppError` instead of raised.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from player.config import Paths
from player.errors import AppError

log = logging.getLogger(__name__)

QUEUE_FILE = "queue.json"
FORMAT_VERSION = 1


class QueueStateError(AppError):
    """The saved queue could not be read; the queue starts empty."""


@dataclass
class StateRead:
    """What reading the queue file gave: the data, or why there is none."""

    data: dict[str, Any] | None
    warning: AppError | None = None


def default_queue_path() -> Path:
    """``queue.json`` in Kindred's data directory (below ``KINDRED_HOME`` if set)."""
    return Paths.resolve().data_dir / QUEUE_FILE


def read_state(path: Path) -> StateRead:
    """The JSON object stored at ``path``; a missing file is simply no data."""
    if not path.exists():
        return StateRead(None)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return StateRead(None, set_aside(path, f"it is not valid JSON ({exc})"))
    if not isinstance(raw, dict) or raw.get("version") != FORMAT_VERSION:
        return StateRead(None, set_aside(path, "it does not hold a version 1 queue"))
    return StateRead(raw)


def set_aside(path: Path, reason: str) -> AppError:
    """Rename an unreadable queue file to ``.corrupt`` and describe what happened."""
    aside = path.with_name(path.name + ".corrupt")
    try:
        os.replace(path, aside)
        kept = f"The file was kept as {aside}."
    except OSError as exc:
        kept = f"It could not be moved aside ({exc})."
    error = QueueStateError(
        "The saved play queue could not be restored",
        f"{path} could not be read because {reason}. The queue starts empty. {kept}",
    )
    log.warning("%s", error.detail)
    return error
