"""Settings and the directories Kindred uses.

Settings live in one JSON file in the platform's config directory (platformdirs).
``KINDRED_HOME`` overrides every directory: config, data, cache and logs all go
below it, which is how tests keep away from the real user's files.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import platformdirs

from player.errors import ConfigError

APP_NAME = "kindred"
#: the comment server the command line talks to when none was chosen
DEFAULT_SERVER_URL = "http://127.0.0.1:8765"
SETTINGS_FILE = "settings.json"


@dataclass(frozen=True)
class Paths:
    """Where Kindred keeps its files."""

    config_dir: Path
    data_dir: Path
    cache_dir: Path
    log_dir: Path

    @property
    def settings_file(self) -> Path:
        return self.config_dir / SETTINGS_FILE

    @property
    def default_database(self) -> Path:
        return self.data_dir / "library.db"

    @classmethod
    def resolve(cls) -> Paths:
        """Platform directories, or all below ``KINDRED_HOME`` when it is set."""
        home = os.environ.get("KINDRED_HOME")
        if home:
            root = Path(home).expanduser()
            return cls(root / "config", root / "data", root / "cache", root / "logs")
        return cls(
            Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
            Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
            Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)),
            Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
        )


@dataclass
class AudioSettings:
    """Playback preferences (used by the audio engine)."""

    output_device: str = ""
    volume: int = 80
    muted: bool = False
    replaygain_mode: str = "auto"  # off | track | album | auto
    replaygain_preamp_db: float = 0.0
    replaygain_fallback_db: float = -6.0
    prevent_clipping: bool = True
    equalizer_enabled: bool = False
    equalizer_preset: str = ""
    equalizer_bands: list[float] = field(default_factory=list)
    equalizer_preamp_db: float = 0.0
    bit_perfect: bool = False  # the card gets each track's own samples, rate and format
    crossfade_s: float = 0.0  # 0: gapless; 1-12: tracks of different albums overlap
    sample_format: str = "auto"  # what the card takes: auto | float | 32 | 24 | 16


@dataclass
class Settings:
    """Everything a person can set. Unknown keys in the file are kept as-is."""

    library_folders: list[str] = field(default_factory=list)
    database_path: str = ""
    server_url: str = ""  # "": no comment server chosen yet (the Comments tab invites to one)
    #: the chosen server is the local one ("Start a local server"): started with the window
    local_comment_server: bool = False
    watch_library: bool = True
    language: str = ""  # "" follows the system; else a code such as "zh_CN"
    #: lyrics: ask an LRCLIB server for missing lyrics (off until the listener turns it on)
    lyrics_online: bool = False
    lyrics_server: str = "https://lrclib.net"
    lyrics_save_lrc: bool = False  # keep lyrics found online as a .lrc beside the file
    lyrics_translation: bool = True  # show a bilingual file's translation under each line
    audio: AudioSettings = field(default_factory=AudioSettings)
    extra: dict[str, object] = field(default_factory=dict)

    def database(self, paths: Paths) -> Path:
        return (
            Path(self.database_path).expanduser() if self.database_path else paths.default_database
        )

    def add_folders(self, folders: list[str | Path]) -> list[str]:
        """Add folders (absolute, de-duplicated); return the ones that were new.

        A folder inside one already in the library adds nothing; a folder that
        contains library folders takes their place.
        """
        added = []
        for folder in folders:
            text = str(Path(folder).expanduser().resolve())
            if any(_inside(text, known) for known in self.library_folders):
                continue
            self.library_folders = [f for f in self.library_folders if not _inside(f, text)]
            self.library_folders.append(text)
            added.append(text)
        return added

    # ---- persistence -------------------------------------------------
    @classmethod
    def load(cls, paths: Paths | None = None) -> Settings:
        paths = paths or Paths.resolve()
        file = paths.settings_file
        if not file.exists():
            return cls()
        try:
            raw = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ConfigError(
                "The settings file cannot be read",
                f"{file} is not valid JSON ({exc}). Fix or delete it to start from defaults.",
            ) from exc
        if not isinstance(raw, dict):
            raise ConfigError(
                "The settings file cannot be read", f"{file} must hold a JSON object."
            )
        return cls.from_dict(raw)

    @classmethod
    def from_dict(cls, raw: dict) -> Settings:
        known = {f.name for f in fields(cls)} - {"audio", "extra"}
        audio_known = {f.name for f in fields(AudioSettings)}
        audio_raw = raw.get("audio") if isinstance(raw.get("audio"), dict) else {}
        audio = AudioSettings(**{k: v for k, v in audio_raw.items() if k in audio_known})
        extra = {k: v for k, v in raw.items() if k not in known and k != "audio"}
        settings = cls(**{k: v for k, v in raw.items() if k in known}, audio=audio, extra=extra)
        settings.library_folders = [str(f) for f in settings.library_folders]
        return settings

    def to_dict(self) -> dict:
        data = asdict(self)
        extra = data.pop("extra")
        return {**extra, **data}

    def save(self, paths: Paths | None = None) -> Path:
        """Write atomically (temporary file + rename) so a crash never truncates it."""
        paths = paths or Paths.resolve()
        return write_json_atomic(paths.settings_file, self.to_dict(), indent=2)


def _inside(path: str, folder: str) -> bool:
    """True when ``path`` is ``folder`` or lies below it."""
    return path == folder or path.startswith(folder.rstrip("/\\") + os.sep)


def read_json_strings(path: Path) -> dict[str, str]:
    """A small JSON file of string values (``{}`` when missing; unreadable ones are logged)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        logging.getLogger(__name__).warning("ignoring unreadable %s: %s", path, exc)
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): v for k, v in data.items() if isinstance(v, str)}


def write_json_atomic(path: Path, data: dict[str, Any], *, indent: int | None = None) -> Path:
    """Write ``data`` as JSON so that a crash leaves either the old or the new file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=indent, ensure_ascii=False)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
