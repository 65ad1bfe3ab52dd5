"""Finding libVLC on each OS, decided on a made-up file tree for Windows, macOS and Linux."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from player.audio import vlcfind
from player.audio.vlcfind import LIB_ENV, PLUGINS_ENV, find_libvlc

ROOT = Path(__file__).resolve().parents[2]


def _touch(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"")
    return path


def _no_registry() -> list[str]:
    return []


def _windows_vlc(folder: Path) -> Path:
    _touch(folder / "libvlc.dll")
    _touch(folder / "libvlccore.dll")
    (folder / "plugins").mkdir()
    return folder


def _mac_vlc(root: Path) -> Path:
    app = root / "Applications" / "VLC.app" / "Contents" / "MacOS"
    _touch(app / "lib" / "libvlc.dylib")
    _touch(app / "lib" / "libvlccore.dylib")
    (app / "plugins").mkdir(parents=True)
    return app


# ---- Windows ------------------------------------------------------------------------------
def test_windows_standard_install(tmp_path: Path) -> None:
    vlc = _windows_vlc(tmp_path / "C" / "Program Files" / "VideoLAN" / "VLC")
    plan = find_libvlc("win32", root=tmp_path, environ={}, bundle=[], registry=_no_registry)
    assert plan.source == "install" and plan.error is None
    assert plan.env == {LIB_ENV: str(vlc / "libvlc.dll"), PLUGINS_ENV: str(vlc / "plugins")}
    assert plan.preload == ()  # Windows finds libvlccore.dll beside libvlc.dll


def test_windows_program_files_from_the_environment(tmp_path: Path) -> None:
    vlc = _windows_vlc(tmp_path / "D" / "Apps" / "VideoLAN" / "VLC")
    environ = {"ProgramFiles": r"D:\Apps"}
    plan = find_libvlc("win32", root=tmp_path, environ=environ, bundle=[], registry=_no_registry)
    assert plan.env[LIB_ENV] == str(vlc / "libvlc.dll")


def test_windows_registry_install_dir_comes_first(tmp_path: Path) -> None:
    _windows_vlc(tmp_path / "C" / "Program Files" / "VideoLAN" / "VLC")
    custom = _windows_vlc(tmp_path / "elsewhere" / "VLC")
    plan = find_libvlc(
        "win32", root=tmp_path, environ={}, bundle=[], registry=lambda: [str(custom)]
    )
    assert plan.source == "registry"
    assert plan.env[LIB_ENV] == str(custom / "libvlc.dll")


def test_windows_vlc_on_path(tmp_path: Path) -> None:
    folder = _windows_vlc(tmp_path / "portable-vlc")
    environ = {"PATH": f"{tmp_path / 'nothing'};{folder}"}
    plan = find_libvlc("win32", root=tmp_path, environ=environ, bundle=[], registry=_no_registry)
    assert plan.source == "path" and plan.env[LIB_ENV] == str(folder / "libvlc.dll")


def test_windows_bundle_wins_over_the_install(tmp_path: Path) -> None:
    _windows_vlc(tmp_path / "C" / "Program Files" / "VideoLAN" / "VLC")
    bundle = _windows_vlc(tmp_path / "dist" / "kindred" / "_internal")
    plan = find_libvlc(
        "win32", root=tmp_path, environ={}, bundle=[bundle, bundle.parent], registry=_no_registry
    )
    assert plan.source == "bundle"
    assert plan.env == {LIB_ENV: str(bundle / "libvlc.dll"), PLUGINS_ENV: str(bundle / "plugins")}


def test_windows_without_vlc_says_what_to_install(tmp_path: Path) -> None:
    plan = find_libvlc("win32", root=tmp_path, environ={}, bundle=[], registry=_no_registry)
    assert plan.source == "missing" and plan.env == {}
    assert plan.error is not None
    assert "VLC is not installed" in plan.error.short
    assert "winget install VideoLAN.VLC" in plan.error.detail
    assert "libvlc.dll" in plan.error.detail
    assert str(tmp_path / "C" / "Program Files" / "VideoLAN" / "VLC") in plan.error.detail


def test_the_windows_registry_reader_is_harmless_elsewhere() -> None:
    if sys.platform != "win32":
        assert vlcfind._windows_registry() == []


# ---- macOS --------------------------------------------------------------------------------
def test_macos_applications_folder(tmp_path: Path) -> None:
    app = _mac_vlc(tmp_path)
    plan = find_libvlc("darwin", root=tmp_path, environ={}, bundle=[])
    assert plan.source == "install" and plan.error is None
    assert plan.env == {
        LIB_ENV: str(app / "lib" / "libvlc.dylib"),
        PLUGINS_ENV: str(app / "plugins"),
    }
    assert plan.preload == (str(app / "lib" / "libvlccore.dylib"),)  # before libvlc


def test_macos_bundle(tmp_path: Path) -> None:
    _mac_vlc(tmp_path)
    frameworks = tmp_path / "Kindred.app" / "Contents" / "Frameworks"
    _touch(frameworks / "libvlc.dylib")
    _touch(frameworks / "libvlccore.dylib")
    (frameworks / "plugins").mkdir()
    plan = find_libvlc("darwin", root=tmp_path, environ={}, bundle=[frameworks])
    assert plan.source == "bundle"
    assert plan.env[LIB_ENV] == str(frameworks / "libvlc.dylib")
    assert plan.preload == (str(frameworks / "libvlccore.dylib"),)


def test_macos_without_vlc_says_what_to_install(tmp_path: Path) -> None:
    plan = find_libvlc("darwin", root=tmp_path, environ={}, bundle=[])
    assert plan.error is not None and "brew install --cask vlc" in plan.error.detail
    assert "libvlc.dylib" in plan.error.detail


# ---- python-vlc's own variables, and Linux -------------------------------------------------
@pytest.mark.parametrize("platform", ["win32", "darwin", "linux"])
def test_python_vlc_variables_are_kept_when_they_point_at_something(
    tmp_path: Path, platform: str
) -> None:
    _windows_vlc(tmp_path / "C" / "Program Files" / "VideoLAN" / "VLC")
    _mac_vlc(tmp_path)
    lib = _touch(tmp_path / "custom" / "libvlc.so")
    plugins = tmp_path / "custom" / "plugins"
    plugins.mkdir()
    environ = {LIB_ENV: str(lib), PLUGINS_ENV: str(plugins)}
    plan = find_libvlc(platform, root=tmp_path, environ=environ, bundle=[], registry=_no_registry)
    assert plan.source == "environment" and plan.env == {} and plan.error is None


@pytest.mark.parametrize("platform", ["win32", "darwin", "linux"])
def test_python_vlc_variables_naming_nothing_are_an_error_not_an_exit(
    tmp_path: Path, platform: str
) -> None:
    plan = find_libvlc(platform, environ={LIB_ENV: str(tmp_path / "gone.dll")}, bundle=[])
    assert plan.source == "missing" and plan.error is not None
    assert LIB_ENV in plan.error.detail and "gone.dll" in plan.error.detail
    lib = _touch(tmp_path / "libvlc.so")
    environ = {LIB_ENV: str(lib), PLUGINS_ENV: str(tmp_path / "no-plugins")}
    plan = find_libvlc(platform, environ=environ, bundle=[])
    assert plan.error is not None and PLUGINS_ENV in plan.error.detail


def test_linux_leaves_libvlc_to_the_system_loader(tmp_path: Path) -> None:
    _mac_vlc(tmp_path)
    _windows_vlc(tmp_path / "C" / "Program Files" / "VideoLAN" / "VLC")
    plan = find_libvlc("linux", root=tmp_path, environ={}, bundle=[tmp_path])
    assert plan == vlcfind.VlcPlan("system")


def test_apply_sets_the_variables() -> None:
    environ: dict[str, str] = {"KEEP": "1"}
    vlcfind.apply(vlcfind.VlcPlan("install", {LIB_ENV: "x", PLUGINS_ENV: "y"}), environ)
    assert environ == {"KEEP": "1", LIB_ENV: "x", PLUGINS_ENV: "y"}


def _engine_in_a_child(env: dict[str, str]) -> tuple[int, str]:
    script = (
        "from player.audio import vlc_engine as v\n"
        "e = v.vlc_missing_error()\n"
        "print(v.VLC_PLAN.source, v.vlc is not None, e.detail if e else '')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env={**env, "PYTHONPATH": str(ROOT)},
    )
    return done.returncode, done.stdout


def test_the_engine_module_loads_libvlc_as_before_on_linux() -> None:
    import os

    if not sys.platform.startswith("linux"):
        pytest.skip("Linux's system loader")
    env = {k: v for k, v in os.environ.items() if k not in (LIB_ENV, PLUGINS_ENV)}
    code, out = _engine_in_a_child(env)
    assert code == 0
    from player.audio.vlc_engine import libvlc_available

    assert out.split()[:2] == ["system", str(libvlc_available())]


def test_a_bad_python_vlc_variable_no_longer_ends_the_process(tmp_path: Path) -> None:
    """python-vlc calls sys.exit(1) on a PYTHON_VLC_LIB_PATH it cannot load; the engine
    module now reports it as libVLC missing, with what to install."""
    import os

    env = {**os.environ, LIB_ENV: str(tmp_path / "missing-libvlc.so")}
    code, out = _engine_in_a_child(env)
    assert code == 0
    assert out.startswith("missing False") and LIB_ENV in out and "Install VLC" in out
