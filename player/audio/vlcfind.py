"""Where libVLC and its plugins are, on each OS, decided before ``import vlc``.

python-vlc looks for libVLC itself when it is imported, but only in a few
places, and it ends the process (``sys.exit(1)``) when ``PYTHON_VLC_LIB_PATH``
names a library it cannot load. :func:`find_libvlc` decides first, in this
order, and says which environment variables to set for python-vlc:

1. ``PYTHON_VLC_LIB_PATH`` (and ``PYTHON_VLC_MODULE_PATH``) when already set
   and pointing at something: kept as they are;
2. a PyInstaller bundle's own folder (``sys._MEIPASS``, or the folder of the
   executable): the libVLC and ``plugins/`` that Windows and macOS bundles carry;
3. the standard install: on Windows the registry's ``InstallDir`` of VLC (when
   ``winreg`` is there), ``%ProgramFiles%\\VideoLAN\\VLC`` and the folders on
   ``PATH``; on macOS ``/Applications/VLC.app/Contents/MacOS/lib`` and
   ``plugins``;
4. on Linux and other Unixes nothing: the system's loader finds libVLC, and
   libVLC finds its plugins beside itself.

When none of these has libVLC, the plan carries an :class:`AppError` that says
what to install. Every decision takes the platform, a file-system root and the
environment as arguments, so it can be tested for each OS on a made-up tree.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path, PureWindowsPath

from player.audio.vlc_setup import vlc_install_error
from player.errors import AppError

LIB_ENV = "PYTHON_VLC_LIB_PATH"
PLUGINS_ENV = "PYTHON_VLC_MODULE_PATH"
#: libVLC's file name, per OS that Kindred finds it on
LIB_NAMES = {"win32": "libvlc.dll", "darwin": "libvlc.dylib"}
#: libVLC's core, loaded first on macOS (libvlc.dylib needs it and does not say where it is)
CORE_NAMES = {"win32": "libvlccore.dll", "darwin": "libvlccore.dylib"}
WINDOWS_PROGRAM_FILES = r"C:\Program Files"


@dataclass(frozen=True)
class VlcPlan:
    """Where libVLC was found (``source``), and what to do before ``import vlc``."""

    source: str  # "environment", "bundle", "registry", "install", "path", "system" or "missing"
    env: dict[str, str] = field(default_factory=dict)
    #: libraries to load first, in order (libVLC's core on macOS)
    preload: tuple[str, ...] = ()
    error: AppError | None = None


def _os(platform: str) -> str:
    return "win32" if platform == "win32" else "darwin" if platform == "darwin" else "linux"


def on_root(path: str, root: Path | None) -> Path:
    """*path* (a Windows or POSIX absolute path) as seen below *root*, or itself."""
    if root is None:
        return Path(path)
    pure = PureWindowsPath(path)
    parts = [pure.drive.rstrip(":"), *pure.parts[1:]] if pure.drive else pure.parts[1:]
    return root.joinpath(*parts)


def _in_folder(folder: Path, lib_dir: Path, plugins: Path, os_name: str, source: str) -> VlcPlan:
    """The plan for a libVLC in *lib_dir* with its plugins in *plugins*."""
    env = {LIB_ENV: str(lib_dir / LIB_NAMES[os_name])}
    if plugins.is_dir():
        env[PLUGINS_ENV] = str(plugins)
    core = lib_dir / CORE_NAMES[os_name]
    preload = (str(core),) if os_name == "darwin" and core.is_file() else ()
    return VlcPlan(source, env, preload)


def _windows_registry() -> list[str]:
    """VLC's ``InstallDir`` from the registry (machine, then user); empty without one."""
    try:
        import winreg
    except ImportError:  # not Windows
        return []
    found: list[str] = []
    for hive in (winreg.HKEY_LOCAL_MACHINE, winreg.HKEY_CURRENT_USER):
        try:
            with winreg.OpenKey(hive, r"Software\VideoLAN\VLC") as key:
                found.append(str(winreg.QueryValueEx(key, "InstallDir")[0]))
        except OSError:
            continue
    return found


def find_libvlc(
    platform: str = sys.platform,
    *,
    root: Path | None = None,
    environ: Mapping[str, str] | None = None,
    bundle: list[Path] | None = None,
    registry: Callable[[], list[str]] = _windows_registry,
) -> VlcPlan:
    """Decide where libVLC is (see the module docstring for the order).

    *root* puts the standard install locations below a folder (tests); *bundle*
    is the frozen app's folders (default: ``sys._MEIPASS`` and the executable's
    folder when frozen); *registry* gives VLC's ``InstallDir`` values on Windows.
    """
    environ = os.environ if environ is None else environ
    os_name = _os(platform)
    given = environ.get(LIB_ENV)
    if given:
        return _from_environment(given, environ.get(PLUGINS_ENV), os_name)
    if os_name == "linux":
        return VlcPlan("system")  # the loader finds libVLC, and libVLC its plugins
    lib = LIB_NAMES[os_name]
    folders = _bundle_folders() if bundle is None else bundle
    for folder in folders:
        for base in (folder / "vlc", folder):  # build.spec puts it in vlc/
            lib_dir = base / "lib" if (base / "lib" / lib).is_file() else base
            if (lib_dir / lib).is_file():
                return _in_folder(base, lib_dir, base / "plugins", os_name, "bundle")
    searched = [str(folder) for folder in folders]
    if os_name == "win32":
        program_files = environ.get("ProgramFiles", WINDOWS_PROGRAM_FILES)
        candidates = [(Path(d), "registry") for d in registry()]
        candidates.append((on_root(rf"{program_files}\VideoLAN\VLC", root), "install"))
        candidates += [(Path(d), "path") for d in environ.get("PATH", "").split(";") if d]
        for folder, source in candidates:
            if (folder / lib).is_file():
                return _in_folder(folder, folder, folder / "plugins", os_name, source)
        searched += [str(folder) for folder, _ in candidates[:2]] + ["PATH"]
    else:
        app = on_root("/Applications/VLC.app/Contents/MacOS", root)
        if (app / "lib" / lib).is_file():
            return _in_folder(app, app / "lib", app / "plugins", os_name, "install")
        searched.append(str(app / "lib"))
    reason = FileNotFoundError(f"{lib} is in none of: {', '.join(searched)}")
    return VlcPlan("missing", error=vlc_install_error(reason, platform))


def _from_environment(lib: str, plugins: str | None, os_name: str) -> VlcPlan:
    """python-vlc's own variables, when they point at something; else a readable error."""
    if not Path(lib).is_file():
        reason = FileNotFoundError(f"{LIB_ENV} names {lib}, which does not exist")
        return VlcPlan("missing", error=vlc_install_error(reason, os_name))
    if plugins and not Path(plugins).is_dir():
        reason = FileNotFoundError(f"{PLUGINS_ENV} names {plugins}, which is not a folder")
        return VlcPlan("missing", error=vlc_install_error(reason, os_name))
    if os_name != "darwin":
        return VlcPlan("environment")
    core = Path(lib).with_name(CORE_NAMES[os_name])
    return VlcPlan("environment", {}, (str(core),) if core.is_file() else ())


def _bundle_folders() -> list[Path]:
    """The folders of a PyInstaller bundle (its data folder, the executable's); none
    when Kindred runs from source."""
    if not getattr(sys, "frozen", False):
        return []
    folders = [Path(getattr(sys, "_MEIPASS", "")), Path(sys.executable).parent]
    return [folder for i, folder in enumerate(folders) if str(folder) and folder not in folders[:i]]


def apply(plan: VlcPlan, environ: MutableMapping[str, str] | None = None) -> None:
    """Set the plan's variables and load its libraries first, ready for ``import vlc``."""
    target = os.environ if environ is None else environ
    target.update(plan.env)
    for library in plan.preload:
        ctypes.CDLL(library)
