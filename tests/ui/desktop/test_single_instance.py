"""Single instance: a second start hands its files to the running window and exits."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from player.audio.engine import PlaybackState
from player.ui.desktop import single_instance

ROOT = Path(__file__).resolve().parents[3]
SEND = (
    "import sys\n"
    "from PySide6.QtCore import QCoreApplication\n"
    "from player.ui.desktop.single_instance import hand_over\n"
    "app = QCoreApplication([])\n"
    "print(hand_over(sys.argv[1], sys.argv[2:]))\n"
)


def _start(args: list[str], cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        args,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_server_name_is_per_user_and_home(tmp_path: Path) -> None:
    a = single_instance.server_name(tmp_path / "a")
    assert a == single_instance.server_name(tmp_path / "a")
    assert a != single_instance.server_name(tmp_path / "b")
    assert a.startswith("kindred-") and "/" not in a


USERS = [
    "alice",
    "a" * 64,  # the longest user name Linux allows, longer than macOS short names
    "Jürgen Müller",
    "CORP\\very.long.domain.user.name.of.someone",
    "用户名",
    "o'neil/x:y*?<>|",
    "",
]
TEMPDIRS = [
    "/tmp",
    "/var/folders/zz/zyxvpxvq6csfxvn_n0000000000000/T/",  # macOS's usual TMPDIR
    "/" + "/".join(["a-rather-long-folder-name"] * 6),  # 156 characters
]
PIPE_NAME = re.compile(r"^[A-Za-z0-9._-]{1,256}$")


def _socket_path(name: str, tempdir: str) -> str:
    """Where Qt puts the socket of *name* on macOS and Linux (a full path stays one)."""
    return name if os.path.isabs(name) else os.path.join(tempdir, name)


@pytest.mark.parametrize("user", USERS)
def test_server_name_is_a_valid_windows_pipe_name(tmp_path: Path, user: str) -> None:
    name = single_instance.server_name(tmp_path, user=user, platform="win32")
    assert PIPE_NAME.match(name), name  # no "\\", nothing a pipe name may not hold
    assert len(name) <= single_instance.PIPE_NAME_MAX


@pytest.mark.parametrize("platform", ["darwin", "linux"])
@pytest.mark.parametrize("tempdir", TEMPDIRS)
@pytest.mark.parametrize("user", USERS)
def test_server_socket_path_fits_a_unix_socket(
    tmp_path: Path, user: str, tempdir: str, platform: str
) -> None:
    name = single_instance.server_name(tmp_path, user=user, tempdir=tempdir, platform=platform)
    path = _socket_path(name, tempdir)
    assert len(os.fsencode(path)) <= 103, path  # macOS: 104 bytes with the final NUL
    assert PIPE_NAME.match(os.path.basename(path)), path


def test_users_with_the_same_short_name_still_differ(tmp_path: Path) -> None:
    long_a, long_b = "x" * 40 + "a", "x" * 40 + "b"
    names = {single_instance.server_name(tmp_path, user=u) for u in (long_a, long_b, "a b", "a_b")}
    assert len(names) == 4


def test_a_long_temp_folder_still_gets_one_instance(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With TMPDIR past the socket limit, the name Qt would make there cannot listen;
    the name server_name() gives instead does, and a second start reaches it."""
    long_tmp = tmp_path / ("t" * 60) / ("u" * 60)
    long_tmp.mkdir(parents=True)
    monkeypatch.setenv("TMPDIR", str(long_tmp))
    plain = single_instance.server_name(tmp_path, platform="win32")  # the bare name
    assert len(os.fsencode(str(long_tmp / plain))) > 108
    assert single_instance.InstanceServer(plain, print).listen() is False
    name = single_instance.server_name(tmp_path)
    assert os.path.isabs(name) and len(os.fsencode(name)) <= 103
    got: list[list[str]] = []
    server = single_instance.serve(name, got.append)
    assert server is not None
    try:
        proc = _start([sys.executable, "-c", SEND, name, "song.flac"], tmp_path)
        qtbot.waitUntil(lambda: proc.poll() is not None, timeout=15000)
        assert proc.stdout is not None and proc.stdout.read().strip() == "True"
        qtbot.waitUntil(lambda: len(got) == 1)
        assert got[0] == [str(tmp_path / "song.flac")]
    finally:
        server.close()


def test_nobody_running_means_no_hand_over(qapp, tmp_path: Path) -> None:
    name = single_instance.server_name(tmp_path)
    assert single_instance.hand_over(name, ["x.flac"], timeout_ms=300) is False


def test_files_reach_the_running_one(qtbot, tmp_path: Path) -> None:
    name = single_instance.server_name(tmp_path)
    got: list[list[str]] = []
    server = single_instance.serve(name, got.append)
    assert server is not None
    try:
        proc = _start([sys.executable, "-c", SEND, name, "song.flac", "http://x/y"], tmp_path)
        qtbot.waitUntil(lambda: proc.poll() is not None, timeout=15000)
        assert proc.stdout is not None and proc.stdout.read().strip() == "True"
        qtbot.waitUntil(lambda: len(got) == 1)
        assert got[0] == [str(tmp_path / "song.flac"), "http://x/y"]  # made absolute
        # a stale socket (a crash) does not block the next start
        second = single_instance.InstanceServer(name, got.append)
        assert second.listen()
        second.close()
    finally:
        server.close()


def test_kindred_file_hands_over_to_the_window(
    qtbot, open_window, demo_db, demo_music, kindred_home
) -> None:
    window, engine = open_window(demo_db, restore=False)
    name = single_instance.server_name()
    server = single_instance.serve(name, single_instance.window_handler(window), parent=window)
    assert server is not None
    song = sorted(demo_music.rglob("*.flac"))[3]
    window.hide()
    proc = _start([sys.executable, "-m", "player.cli", str(song)], ROOT)
    qtbot.waitUntil(lambda: proc.poll() is not None, timeout=30000)
    assert proc.returncode == 0, proc.stderr.read() if proc.stderr else ""
    qtbot.waitUntil(lambda: engine.state == PlaybackState.PLAYING)
    assert window.bridge.playing_item.location == str(song)
    assert window.bridge.playing_item.track_id is not None  # known to the library
    assert window.isVisible()  # raised
    server.close()


def test_command_line_takes_bare_files(tmp_path: Path) -> None:
    from player.cli import _files_only, build_parser

    handlers = build_parser()[1]
    song = tmp_path / "a.flac"
    song.write_bytes(b"")
    assert _files_only([str(song), "http://radio/x"], handlers) == [str(song), "http://radio/x"]
    assert _files_only([], handlers) is None
    assert _files_only(["scan", str(tmp_path)], handlers) is None  # a sub-command wins
    assert _files_only([str(song), "--db", "x"], handlers) is None  # options: argparse's job
    assert _files_only([str(tmp_path / "missing.flac")], handlers) is None  # an error


def test_desktop_uris_open_in_the_window(qtbot, open_window, demo_db, demo_music) -> None:
    from player.ui.desktop.common import open_paths

    window, engine = open_window(demo_db, restore=False)
    song = sorted(demo_music.rglob("*.flac"))[0]
    assert open_paths(window, [song.as_uri()]) == 1  # %U: percent-encoded file:// URI
    qtbot.waitUntil(lambda: engine.state == PlaybackState.PLAYING)
    assert window.bridge.playing_item.location == str(song)
    assert open_paths(window, [str(song.parent / "missing.flac")]) == 0
