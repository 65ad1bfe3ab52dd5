"""Library browsing beside a peer player: Kindred and Strawberry on the same library.

Both programs run as real processes on their own X server (Xvfb), are driven
with real input (xdotool) and are timed by what appears on screen: the bench
grabs the window's tree area (the library browser, Strawberry's collection)
over and over and takes the moment of its last change before it stays still
(``--settle`` seconds; text carets blink outside that area). With a library of
``--tracks`` made-up tracks (``tests/ui/bigdb.py``), written into Strawberry's
own collection database as well (same artists, albums, titles, years, genres
and durations; no files, Strawberry does not rescan on start), each run
launches each program on a fresh home directory and measures:

* ``window_s``: launch until the window is on screen (mapped);
* ``first_rows_s``: launch until the tree shows its first rows, drawn as they stay;

and, each from its (last) key sent until the tree is drawn and still:

* ``expand_ms``: Right on the first artist (one of the largest: 36 tracks);
* ``scroll_ms``: ``--pages`` Page Downs sent at once;
* ``filter_ms``: ``--query`` typed into the filter box, ``--key-ms`` between keys as in
  quick typing (each program's own search-as-you-type delay counts). Sent in one burst,
  Strawberry 1.0 stays on the results of a shorter prefix.

Medians of ``--runs`` runs, the programs taking turns; ``ratio`` is Kindred's
median over Strawberry's (below 1: Kindred is quicker). Strawberry's part is
skipped, with the reason, when it is not installed. Prints one JSON line.

    uv run python bench/browse_peer.py [--tracks 100000] [--runs 5] [--shots DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SCREEN = (1600, 1000)
WINDOW = (1400, 900)
#: Strawberry's file types (Song::FileType) for the generated codecs
FILETYPES = {"flac": 2, "mp3": 8, "aac": 9, "opus": 6}
SOURCE_COLLECTION = 2  # Song::Source::Collection
#: each program gets its own session bus, as on a desktop (without one, Qt may wait for
#: dbus-launch)
SESSION = ("dbus-run-session", "--")
TRACE = False  # --trace: each change of the screen on stderr


@dataclass(frozen=True)
class Player:
    """How to launch one program and where its parts are in a 1400x900 window."""

    name: str
    window_name: str  # a regular expression for xdotool search --name
    tree: tuple[int, int, int, int]  # x, y, width, height of the rows (no scroll bar)
    row: tuple[int, int]  # a point on the first artist's row
    focus_filter: Callable[[int], None]  # puts the keyboard focus in the filter box


def xdo(*args: str) -> str:
    return subprocess.run(["xdotool", *args], capture_output=True, text=True, check=False).stdout


def click(window: int, x: int, y: int) -> None:
    """A real click at (*x*, *y*) of the window (no window manager: the pointer keeps focus)."""
    geo = window_geometry(window)
    xdo("mousemove", "--sync", str(geo[0] + x), str(geo[1] + y), "click", "1")


def window_geometry(window: int) -> tuple[int, int, int, int]:
    fields = dict(
        line.split("=", 1) for line in xdo("getwindowgeometry", "--shell", str(window)).split()
    )
    return int(fields["X"]), int(fields["Y"]), int(fields["WIDTH"]), int(fields["HEIGHT"])


def find_window(pattern: str, timeout: float) -> int:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        for line in xdo("search", "--onlyvisible", "--name", pattern).split():
            if window_geometry(int(line))[2] >= WINDOW[0] // 2:
                return int(line)
        time.sleep(0.01)
    raise TimeoutError(f"no window named {pattern!r} within {timeout:.0f} s")


class Keyboard:
    """Real key presses through the X server's XTEST extension (what xdotool uses), sent
    from this process so the moment each key leaves is known to the microsecond."""

    def __init__(self, display: str) -> None:
        import ctypes

        self.x11 = ctypes.CDLL("libX11.so.6")
        self.xtst = ctypes.CDLL("libXtst.so.6")
        self.x11.XOpenDisplay.restype = ctypes.c_void_p
        self.x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
        self.x11.XStringToKeysym.restype = ctypes.c_ulong
        self.x11.XStringToKeysym.argtypes = [ctypes.c_char_p]
        self.x11.XKeysymToKeycode.restype = ctypes.c_ubyte
        self.x11.XKeysymToKeycode.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
        self.x11.XFlush.argtypes = [ctypes.c_void_p]
        self.xtst.XTestFakeKeyEvent.argtypes = [
            ctypes.c_void_p,
            ctypes.c_uint,
            ctypes.c_int,
            ctypes.c_ulong,
        ]
        self.display = self.x11.XOpenDisplay(display.encode())
        if not self.display:
            raise SystemExit(f"cannot open display {display}")

    def _code(self, name: str) -> int:
        code = self.x11.XKeysymToKeycode(self.display, self.x11.XStringToKeysym(name.encode()))
        if not code:
            raise ValueError(f"no key for {name!r}")
        return int(code)

    def _send(self, code: int, down: bool) -> None:
        self.xtst.XTestFakeKeyEvent(self.display, code, int(down), 0)
        self.x11.XFlush(self.display)

    def press(self, chord: str, times: int = 1) -> float:
        """Press *chord* (``Right``, ``ctrl+f``) *times* times; the moment the last went."""
        *mods, key = chord.split("+")
        mod_codes = [self._code({"ctrl": "Control_L", "shift": "Shift_L"}[m]) for m in mods]
        code = self._code(key)
        sent = 0.0
        for _ in range(times):
            for mod in mod_codes:
                self._send(mod, True)
            self._send(code, True)
            sent = time.perf_counter()
            self._send(code, False)
            for mod in reversed(mod_codes):
                self._send(mod, False)
        return sent

    def type(self, text: str, key_ms: int) -> float:
        """Type *text* (letters, digits, spaces), *key_ms* apart; the moment the last went."""
        sent = 0.0
        for index, char in enumerate(text):
            if index:
                time.sleep(key_ms / 1000)
            sent = self.press("space" if char == " " else char)
        return sent


class Screen:
    """An Xvfb server and a grabber of its pixels (Qt on xcb, in this process)."""

    def __init__(self) -> None:
        read, write = os.pipe()
        self.proc = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write), "-screen", "0", f"{SCREEN[0]}x{SCREEN[1]}x24",
             "-nolisten", "tcp"],
            pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        os.close(write)
        with os.fdopen(read) as pipe:
            number = pipe.readline().strip()
        if not number:
            raise SystemExit("Xvfb did not start")
        self.display = f":{number}"
        os.environ["DISPLAY"] = self.display
        os.environ["QT_QPA_PLATFORM"] = "xcb"
        from PySide6.QtGui import QGuiApplication

        self.app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
        self.keys = Keyboard(self.display)
        self.grab_s: list[float] = []  # how long each grab took (the timing's resolution)

    def grab(self, rect: tuple[int, int, int, int]) -> bytes:
        """The pixels of *rect* (root coordinates)."""
        from PySide6.QtGui import QImage

        screen = self.app.primaryScreen()
        image = screen.grabWindow(0, *rect).toImage().convertToFormat(QImage.Format.Format_RGB32)
        return bytes(image.constBits())[: image.sizeInBytes()]

    def save(self, window: int, path: Path) -> None:
        self.app.primaryScreen().grabWindow(0, *window_geometry(window)).save(str(path))

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


def differs(a: bytes, b: bytes, min_pixels: int = 24) -> bool:
    """More than *min_pixels* pixels differ (a caret or a blinking cursor does not count)."""
    if a == b:
        return False
    import numpy as np

    x = np.frombuffer(a, np.uint32)
    y = np.frombuffer(b, np.uint32)
    return int(np.count_nonzero(x != y)) > min_pixels


def has_rows(pixels: bytes) -> bool:
    """Something is drawn on the area's background (text takes many pixels of other colours)."""
    import numpy as np

    values = np.frombuffer(pixels, np.uint32)
    background = np.bincount(values & 0xFFFFFF).argmax() if values.size else 0
    return int(np.count_nonzero((values & 0xFFFFFF) != background)) > 400


def settle(
    screen: Screen,
    rect: tuple[int, int, int, int],
    since: float,
    quiet_s: float,
    timeout: float,
    ready: Callable[[bytes], bool] = lambda _pixels: True,
    before: bytes | None = None,
) -> float:
    """Seconds from *since* to the last change of *rect* before it stays still *quiet_s*.

    With *before*, the area must first change from it (the action took effect).
    """
    deadline = since + timeout
    last = before if before is not None else screen.grab(rect)
    changed_at = None if before is not None else time.perf_counter()
    while time.perf_counter() < deadline:
        asked = time.perf_counter()
        pixels = screen.grab(rect)
        now = time.perf_counter()
        screen.grab_s.append(now - asked)
        now = (asked + now) / 2  # the pixels were read during the grab
        if differs(pixels, last):
            if TRACE:
                print(f"  changed at {now - since:.3f} s", file=sys.stderr)
            last, changed_at = pixels, now
        elif changed_at is not None and now - changed_at >= quiet_s and ready(last):
            return changed_at - since
        time.sleep(0.004)
    raise TimeoutError(f"the screen did not settle within {timeout:.0f} s")


# ---- the libraries -------------------------------------------------------------------------
def kindred_db(cache: Path, tracks: int) -> Path:
    from bench.ui_startup import build_db

    return build_db(cache, tracks)


def strawberry_db(cache: Path, tracks: int, source: Path) -> Path:
    """Strawberry's collection database with *source*'s tracks (its schema from Strawberry)."""
    path = cache / f"strawberry-{tracks}.db"
    if not path.exists():
        make_strawberry_db(path, source)
    return path


def make_strawberry_db(path: Path, source: Path) -> None:
    home = Path(tempfile.mkdtemp(prefix="peer-bench-schema-"))
    proc = start([*SESSION, "strawberry"], strawberry_env(home), home)
    empty = home / "data" / "strawberry" / "strawberry" / "strawberry.db"
    try:
        find_window("Strawberry", 60)
        deadline = time.perf_counter() + 30
        while not _has_table(empty, "songs_fts") and time.perf_counter() < deadline:
            time.sleep(0.1)
    finally:
        stop(proc)
    tmp = path.with_name(path.name + ".tmp")
    shutil.copy(empty, tmp)
    fill_strawberry(tmp, source)
    shutil.rmtree(home, ignore_errors=True)
    os.replace(tmp, path)


def _has_table(path: Path, table: str) -> bool:
    if not path.exists():
        return False
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            row = conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    except sqlite3.Error:
        return False
    return row is not None


def fill_strawberry(path: Path, source: Path) -> None:
    """Write *source*'s tracks (a Kindred library) into Strawberry's ``songs`` and its index."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    rows = src.execute(
        "SELECT id, path, title, album, artist, album_artist, track_number, disc_number, year, "
        "genre, duration, codec, bitrate, sample_rate, bit_depth, added_at, play_count "
        "FROM tracks ORDER BY id"
    ).fetchall()
    src.close()
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("BEGIN")
    conn.execute("INSERT INTO directories (rowid, path, subdirs) VALUES (1, '/music', 1)")
    songs, fts, folders = [], [], {}
    for (tid, file, title, album, artist, album_artist, track, disc, year, genre, duration,
         codec, bitrate, rate, depth, added, plays) in rows:  # fmt: skip
        folders.setdefault(file.rsplit("/", 1)[0], int(added))
        songs.append((
            tid, title, album, artist, album_artist, track or -1, disc or -1, year or -1, genre,
            int((duration or 0) * 1e9), (bitrate or 0) // 1000, rate or -1, depth or -1,
            SOURCE_COLLECTION, 1, "file://" + quote(file), FILETYPES.get(codec, 0),
            int((duration or 0) * (bitrate or 0) / 8), int(added), int(added), int(added),
            plays or 0, album_artist or artist,
        ))  # fmt: skip
        fts.append((tid, title, album, artist, album_artist, "", "", "", genre, ""))
    conn.executemany(
        "INSERT INTO songs (rowid, title, album, artist, albumartist, track, disc, year, genre, "
        "length, bitrate, samplerate, bitdepth, source, directory_id, url, filetype, filesize, "
        "mtime, ctime, lastseen, playcount, effective_albumartist) "
        "VALUES (" + ", ".join(["?"] * 23) + ")",
        songs,
    )
    conn.executemany(
        "INSERT INTO songs_fts (rowid, ftstitle, ftsalbum, ftsartist, ftsalbumartist, "
        "ftscomposer, ftsperformer, ftsgrouping, ftsgenre, ftscomment) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        fts,
    )
    conn.executemany(
        "INSERT INTO subdirectories (directory_id, path, mtime) VALUES (1, ?, ?)",
        sorted(folders.items()),
    )
    conn.execute("COMMIT")
    conn.close()


# ---- the programs --------------------------------------------------------------------------
def strawberry_env(home: Path) -> dict[str, str]:
    env = dict(os.environ, HOME=str(home), XDG_CONFIG_HOME=str(home / "config"),
               XDG_DATA_HOME=str(home / "data"), XDG_CACHE_HOME=str(home / "cache"),
               XDG_RUNTIME_DIR=str(home / "run"))  # fmt: skip
    env.pop("QT_QPA_PLATFORM", None)
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    return private_tmp(home, env)


def private_tmp(home: Path, env: dict[str, str]) -> dict[str, str]:
    """Temporary files (and the single-instance socket) below *home*: a copy still
    exiting or one left by someone else is not taken for this program's running instance."""
    for name in ("run", "tmp"):
        (home / name).mkdir(parents=True, exist_ok=True, mode=0o700)
    env["TMPDIR"] = str(home / "tmp")
    return env


STRAWBERRY_CONF = """[Collection]
startup_scan=false
monitor=false

[MainWindow]
hidden=false
"""


def launch_strawberry(home: Path, db: Path) -> subprocess.Popen:
    data = home / "data" / "strawberry" / "strawberry"
    data.mkdir(parents=True)
    shutil.copy(db, data / "strawberry.db")
    conf = home / "config" / "strawberry"
    conf.mkdir(parents=True)
    (conf / "strawberry.conf").write_text(STRAWBERRY_CONF, encoding="utf-8")
    size = "x".join(map(str, WINDOW))
    return start([*SESSION, "strawberry", "-geometry", f"{size}+0+0"], strawberry_env(home), home)


def launch_kindred(home: Path, db: Path) -> subprocess.Popen:
    config = home / "config"
    config.mkdir(parents=True)
    settings = {"database_path": str(db), "watch_library": False}
    (config / "settings.json").write_text(json.dumps(settings), encoding="utf-8")
    state = {"view": "browse", "size": list(WINDOW)}  # reopened on its Library browser
    (config / "ui-state.json").write_text(json.dumps(state), encoding="utf-8")
    env = dict(os.environ, KINDRED_HOME=str(home), QT_QPA_PLATFORM="xcb")
    # as installed: compiled bytecode (kept with the bench's cache, not in the source tree)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(db.parent / "pycache")
    private_tmp(home, env)
    return start([*SESSION, sys.executable, "-m", "player"], env, home)


def start(command: list[str], env: dict[str, str], home: Path) -> subprocess.Popen:
    """Start a program in a process group of its own (so :func:`stop` ends all of it),
    its output in ``output.log`` of its home."""
    with open(home / "output.log", "wb") as log:
        return subprocess.Popen(command, env=env, start_new_session=True,
                                stdout=log, stderr=subprocess.STDOUT)  # fmt: skip


def stop(proc: subprocess.Popen) -> None:
    """End the program this bench started (its own process group)."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def run_once(
    screen: Screen, player: Player, launch: Callable[[Path, Path], subprocess.Popen],
    db: Path, args: argparse.Namespace, shot: Path | None,
) -> dict[str, float]:  # fmt: skip
    home = Path(tempfile.mkdtemp(prefix=f"peer-bench-{player.name}-"))
    started = time.perf_counter()
    proc = launch(home, db)
    try:
        window = find_window(player.window_name, 180)  # a first start compiles bytecode
        shown = time.perf_counter() - started
        x, y, _w, _h = window_geometry(window)
        tx, ty, tw, th = player.tree
        rect = (x + tx, y + ty, tw, th)
        if TRACE:
            print(
                f" {player.name}: window at {time.perf_counter() - started:.3f} s", file=sys.stderr
            )
        out = {
            "window_s": round(shown, 3),
            "first_rows_s": settle(screen, rect, started, args.settle * 2, 120, has_rows),
        }
        if shot:
            screen.save(window, shot)

        def act(name: str, keys: Callable[[], float]) -> float:
            before = screen.grab(rect)
            begun = keys()  # the moment the (last) key was sent
            if TRACE:
                print(f" {player.name}: {name}", file=sys.stderr)
            took = settle(screen, rect, begun, args.settle, 60, before=before)
            if shot:
                screen.save(window, shot.with_name(f"{shot.stem}-{name}.png"))
            return round(took * 1000, 1)

        xdo("windowfocus", "--sync", str(window))  # no window manager: focus it as one would
        click(window, *player.row)  # selects the first artist; the tree has the keyboard
        settle(screen, rect, time.perf_counter(), args.settle, 30)
        out["expand_ms"] = act("expand", lambda: screen.keys.press("Right"))
        out["scroll_ms"] = act("scroll", lambda: screen.keys.press("Next", args.pages))
        player.focus_filter(window)
        settle(screen, rect, time.perf_counter(), args.settle, 30)
        out["filter_ms"] = act("filter", lambda: screen.keys.type(args.query, args.key_ms))
        return out
    except TimeoutError:
        log = (home / "output.log").read_text(errors="replace").splitlines()[-15:]
        print(f"{player.name}'s last output:", *log, sep="\n  ", file=sys.stderr)
        raise
    finally:
        stop(proc)
        shutil.rmtree(home, ignore_errors=True)


KINDRED = Player(
    "kindred", "^Kindred$", (236, 178, 812, 605), (300, 185), lambda _w: xdo("key", "ctrl+f")
)
STRAWBERRY = Player(
    "strawberry", "Strawberry", (84, 56, 206, 830), (170, 83), lambda w: click(w, 170, 38)
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tracks", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pages", type=int, default=20, help="Page Downs in the scroll test")
    parser.add_argument("--query", default="8123", help="typed into each filter box")
    parser.add_argument("--key-ms", type=int, default=80, help="between typed keys (quick typing)")
    parser.add_argument("--settle", type=float, default=1.5, help="seconds of stillness")
    parser.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "kindred-bench"))
    parser.add_argument("--shots", metavar="DIR", help="save each program's window at start")
    parser.add_argument("--players", default="kindred,strawberry", help="kindred[,strawberry]")
    parser.add_argument("--trace", action="store_true", help="print each change on stderr")
    args = parser.parse_args()
    global TRACE
    TRACE = args.trace
    for tool in ("Xvfb", "xdotool", "dbus-run-session"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is needed (apt install xvfb xdotool)")
    cache = Path(args.cache)
    source = kindred_db(cache, args.tracks)
    screen = Screen()
    try:
        players = [(KINDRED, launch_kindred, source)]
        skipped = None
        if "strawberry" not in args.players.split(","):
            skipped = "not asked for (--players)"
        elif shutil.which("strawberry"):
            players.append((STRAWBERRY, launch_strawberry,
                            strawberry_db(cache, args.tracks, source)))  # fmt: skip
        else:
            skipped = "strawberry is not installed (apt install strawberry)"
        figures: dict[str, list[dict[str, float]]] = {p.name: [] for p, _l, _d in players}
        for run in range(-1, args.runs):  # a first, unrecorded round warms the caches
            for player, launch, db in players:
                shot = None
                if args.shots and run == 0:
                    shot = Path(args.shots) / f"{player.name}-{args.tracks}.png"
                try:
                    figures_run = run_once(screen, player, launch, db, args, shot)
                except TimeoutError as exc:  # a rare start that never shows its window
                    print(f"{player.name} {run}: {exc}; once more", file=sys.stderr)
                    figures_run = run_once(screen, player, launch, db, args, shot)
                print(player.name, run, figures_run, file=sys.stderr)
                if run >= 0:
                    figures[player.name].append(figures_run)
        grab_ms = round(statistics.median(screen.grab_s) * 1000, 1)
    finally:
        screen.close()
    out: dict[str, object] = {
        "tracks": args.tracks, "runs": args.runs, "pages": args.pages, "query": args.query,
        "key_ms": args.key_ms, "settle_s": args.settle, "grab_ms": grab_ms,
        "window": list(WINDOW),
    }  # fmt: skip
    for name, runs in figures.items():
        out[name] = {key: round(statistics.median(r[key] for r in runs), 3) for key in runs[0]}
    if skipped:
        out["strawberry"] = {"skipped": skipped}
    else:
        mine, theirs = out["kindred"], out["strawberry"]
        assert isinstance(mine, dict) and isinstance(theirs, dict)
        out["ratio"] = {key: round(mine[key] / theirs[key], 2) for key in mine if theirs[key]}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
