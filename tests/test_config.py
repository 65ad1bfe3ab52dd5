from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from player.config import Paths, Settings
from player.errors import ConfigError


def test_kindred_home_overrides_every_directory(kindred_home: Path) -> None:
    paths = Paths.resolve()
    for directory in (paths.config_dir, paths.data_dir, paths.cache_dir, paths.log_dir):
        assert kindred_home in directory.parents
    assert paths.default_database.parent == paths.data_dir


def test_without_kindred_home_uses_platform_dirs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KINDRED_HOME")
    paths = Paths.resolve()
    assert "kindred" in str(paths.config_dir).lower()
    assert paths.config_dir != paths.cache_dir


def test_settings_round_trip_and_keep_unknown_keys(kindred_home: Path, tmp_path: Path) -> None:
    settings = Settings()
    settings.add_folders([tmp_path, tmp_path])  # de-duplicated
    settings.audio.volume = 55
    settings.extra["future_option"] = {"x": 1}
    file = settings.save()
    raw = json.loads(file.read_text(encoding="utf-8"))
    assert raw["library_folders"] == [str(tmp_path.resolve())]
    loaded = Settings.load()
    assert loaded.library_folders == [str(tmp_path.resolve())]
    assert loaded.audio.volume == 55
    assert loaded.extra == {"future_option": {"x": 1}}
    assert not [p for p in file.parent.iterdir() if p.name.startswith(".settings-")]


def test_missing_settings_file_gives_defaults() -> None:
    settings = Settings.load()
    assert settings.library_folders == []
    assert settings.database(Paths.resolve()).name == "library.db"


def test_corrupt_settings_file_is_a_readable_error() -> None:
    paths = Paths.resolve()
    paths.config_dir.mkdir(parents=True)
    paths.settings_file.write_text("{not json", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        Settings.load(paths)
    assert "settings file" in info.value.short
    assert str(paths.settings_file) in info.value.detail


def test_database_path_setting_wins(tmp_path: Path) -> None:
    settings = Settings(database_path=os.fspath(tmp_path / "x.db"))
    assert settings.database(Paths.resolve()) == tmp_path / "x.db"


def test_nested_library_folders_collapse(tmp_path: Path) -> None:
    music, inner, other = tmp_path / "music", tmp_path / "music" / "new", tmp_path / "other"
    settings = Settings()
    assert settings.add_folders([inner]) == [str(inner.resolve())]
    assert settings.add_folders([music]) == [str(music.resolve())]  # replaces the inner one
    assert settings.add_folders([inner]) == []  # already covered
    assert settings.add_folders([other]) == [str(other.resolve())]
    assert settings.library_folders == [str(music.resolve()), str(other.resolve())]
    assert settings.add_folders([tmp_path / "music2"]) == [str((tmp_path / "music2").resolve())]


def _readme_folders() -> dict[str, dict[str, str]]:
    """The README's table of folders: {OS: {kind: folder}}."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    table: dict[str, dict[str, str]] = {"Linux": {}, "macOS": {}, "Windows": {}}
    for line in readme.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        kind = cells[0].split(" ")[0] if cells else ""
        if len(cells) == 4 and kind in ("config", "data", "cache", "logs"):
            for system, cell in zip(table, cells[1:], strict=True):
                table[system][kind] = cell.strip("`")
    return table


def test_readme_says_where_each_os_keeps_kindreds_folders(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each OS's folders as platformdirs gives them for Kindred, against the README."""
    import platformdirs.macos
    import platformdirs.unix
    import platformdirs.windows

    from player.config import APP_NAME

    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HOME", "/home/me")
    monkeypatch.setenv("LOCALAPPDATA", "%LOCALAPPDATA%")
    # the Windows shell folder from its environment variable (no Windows API here)
    windows_folder = platformdirs.windows.get_win_folder_from_env_vars
    monkeypatch.setattr(platformdirs.windows, "get_win_folder", windows_folder)
    systems = {
        "Linux": (platformdirs.unix.Unix, "/home/me", "~", "/"),
        "macOS": (platformdirs.macos.MacOS, "/home/me", "~", "/"),
        "Windows": (platformdirs.windows.Windows, "", "", "\\"),
    }
    table = _readme_folders()
    for system, (cls, home, tilde, sep) in systems.items():
        dirs = cls(APP_NAME, appauthor=False)
        found = {
            "config": dirs.user_config_dir,
            "data": dirs.user_data_dir,
            "cache": dirs.user_cache_dir,
            "logs": dirs.user_log_dir,
        }
        said = {
            kind: (tilde + folder[len(home) :] if home else folder).replace("/", sep)
            for kind, folder in found.items()
        }
        assert table[system] == said, system


def test_platform_dirs_are_the_ones_kindred_uses(monkeypatch: pytest.MonkeyPatch) -> None:
    """Paths.resolve() asks platformdirs with the arguments the README's table is made with."""
    import platformdirs.unix

    from player.config import APP_NAME

    monkeypatch.delenv("KINDRED_HOME")
    paths = Paths.resolve()
    dirs = platformdirs.unix.Unix(APP_NAME, appauthor=False)
    assert (paths.config_dir, paths.data_dir, paths.cache_dir, paths.log_dir) == (
        Path(dirs.user_config_dir),
        Path(dirs.user_data_dir),
        Path(dirs.user_cache_dir),
        Path(dirs.user_log_dir),
    )
