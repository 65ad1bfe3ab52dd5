"""Start-up beside a peer player: Kindred launched as a listener launches it, and Strawberry.

Each program starts as a real process (its own session bus, a fresh home) on an
X server of its own (Xvfb), on a library of ``--sizes`` made-up tracks
(``tests/ui/bigdb.py``; Kindred's library folders exist on disk as empty
folders, so watching them walks a real tree; Strawberry gets the same tracks in
its own collection database, see ``bench/browse_peer.py``). Kindred starts as the
``kindred`` command of the environment (``python -m player`` without one) with
the default settings. Measured from the launch:

* ``window_s``: the window is on screen (mapped, full size); ``window_cpu_s``: the CPU
  time its processes had used by then (barely moved by other load on the machine);
* ``drawn_s``: the window's pixels show something besides its background;
* ``quiet_s``: the end of the program's last busy moment (a 100 ms slice in which
  its processes used more than 10 % of a core) before ``--quiet`` seconds of calm,
  watched for at least ``--watch`` seconds after the window;
* ``cpu_s``: CPU time its processes used until then; ``burst_s``: its longest run
  of busy slices after the window was shown (deferred work should come in small
  pieces, not as one burst);
* ``peak_rss_mb``: the largest peak resident size (VmHWM) among its processes;
* ``unsettled``: runs still busy ``--limit`` seconds after drawing (their ``quiet_s``
  is only a lower bound).

Kindred runs two ways: ``kindred`` with compiled bytecode kept (as an installed
copy or the bundle keeps it: a bytecode cache filled by an unrecorded first
round) and ``kindred_source`` with ``PYTHONDONTWRITEBYTECODE=1`` and whatever
bytecode the environment holds (how ``uv run kindred`` starts in a checkout on
a machine that sets it: the project's own modules are compiled on each start).
Medians of ``--runs`` rounds, the programs taking turns; ``ratio`` is Kindred's
(with bytecode) median over Strawberry's. Strawberry's part is skipped, with the
reason, when it is not installed. Prints one JSON line.

    uv run python bench/ui_startup.py [--sizes 10000,100000] [--runs 5]
"""

from __future__ import annotations

import argparse
import contextlib
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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.browse_peer import (  # noqa: E402  (after the path is set)
    SESSION,
    Screen,
    has_rows,
    launch_strawberry,
    private_tmp,
    start,
    stop,
    strawberry_db,
    window_geometry,
    xdo,
)

#: targets of issue 20 (medians; seconds and MiB)
TARGETS = {"window_s": 0.35, "peak_rss_mb": 150, "quiet_s": 1.0, "window_100k_s": 0.5,
           "window_100k_over_10k_s": 0.1}  # fmt: skip
SLICE_S = 0.1  # the CPU is sampled this often
BUSY = 0.10  # a slice is busy when the program used more than this share of a core


def build_db(cache: Path, tracks: int) -> Path:
    """The bench library of *tracks* made-up tracks under ``/music`` (made once)."""
    from tests.ui.bigdb import make_big_library

    path = cache / f"ui-bench-{tracks}.db"
    if not path.exists():
        cache.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        for suffix in ("", "-wal", "-shm"):
            Path(str(tmp) + suffix).unlink(missing_ok=True)
        make_big_library(tmp, tracks)
        os.replace(tmp, path)
    return path


def listener_library(cache: Path, tracks: int) -> tuple[Path, Path]:
    """A copy of the bench library whose folders exist: the database and its music folder.

    The tracks' ``/music/...`` paths move below ``cache/music-N`` and each album's
    folder is made (empty), so the library folder a listener added is a real tree.
    """
    source = build_db(cache, tracks)
    music = cache / f"music-{tracks}"
    path = cache / f"ui-startup-{tracks}.db"
    if not path.exists():
        tmp = path.with_name(path.name + ".tmp")
        for suffix in ("", "-wal", "-shm"):
            Path(str(tmp) + suffix).unlink(missing_ok=True)
        shutil.copy(source, tmp)
        conn = sqlite3.connect(str(tmp), isolation_level=None)
        conn.execute(
            "UPDATE tracks SET path = ? || substr(path, 7), folder = ? || substr(folder, 7)",
            (str(music), str(music)),
        )
        folders = [row[0] for row in conn.execute("SELECT DISTINCT folder FROM tracks")]
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
        for folder in folders:
            Path(folder).mkdir(parents=True, exist_ok=True)
        os.replace(tmp, path)
    return path, music


# ---- the processes' CPU and memory ---------------------------------------------------------
def group_members(pgid: int) -> list[int]:
    """The processes of the process group *pgid* except the session bus around them."""
    members = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        name, rest = stat[stat.index("(") + 1 : stat.rindex(")")], stat[stat.rindex(")") + 2 :]
        if int(rest.split()[2]) == pgid and not name.startswith("dbus"):
            members.append(int(entry))
    return members


def cpu_seconds(pids: list[int], seen: dict[tuple[int, int], float]) -> float:
    """CPU time of *pids*' threads (nanosecond counts from ``schedstat``), with that of
    threads and processes seen before and gone since."""
    for pid in pids:
        try:
            tids = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for tid in tids:
            try:
                ran = int(Path(f"/proc/{pid}/task/{tid}/schedstat").read_text().split()[0])
            except (OSError, ValueError, IndexError):
                continue
            seen[(pid, int(tid))] = ran / 1e9
    return sum(seen.values())


def peak_rss_mb(pids: list[int]) -> float:
    peak = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]))
        except OSError:
            continue
    return round(peak / 1024, 1)


# ---- one start -----------------------------------------------------------------------------
def kindred_command() -> list[str]:
    """The ``kindred`` command of this environment (what ``uv run kindred`` runs)."""
    script = Path(sys.executable).parent / "kindred"
    return [str(script)] if script.exists() else [sys.executable, "-m", "player"]


def launcher(db: Path, music: Path, pycache: Path | None) -> Callable[[Path], subprocess.Popen]:
    """Kindred on *db* with *music* as its library folder and otherwise default settings;
    compiled bytecode kept in *pycache*, or (None) none written."""

    def launch(home: Path) -> subprocess.Popen:
        config = home / "config"
        config.mkdir(parents=True)
        settings = {"database_path": str(db), "library_folders": [str(music)]}
        (config / "settings.json").write_text(json.dumps(settings), encoding="utf-8")
        env = dict(os.environ, KINDRED_HOME=str(home), QT_QPA_PLATFORM="xcb")
        env.pop("PYTHONPYCACHEPREFIX", None)
        if pycache is None:
            env["PYTHONDONTWRITEBYTECODE"] = "1"
        else:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(pycache)  # not in the source tree
        private_tmp(home, env)
        return start([*SESSION, *kindred_command()], env, home)

    return launch


def strawberry_launcher(db: Path) -> Callable[[Path], subprocess.Popen]:
    return lambda home: launch_strawberry(home, db)


def run_once(
    screen: Screen, name: str, pattern: str, launch: Callable[[Path], subprocess.Popen],
    args: argparse.Namespace,
) -> dict[str, float]:  # fmt: skip
    """Launch one program, measure its start and end it."""
    home = Path(tempfile.mkdtemp(prefix=f"startup-bench-{name}-"))
    started = time.perf_counter()
    proc = launch(home)
    seen: dict[tuple[int, int], float] = {}
    members: list[int] = []
    samples: list[tuple[float, float]] = [(0.0, 0.0)]  # (seconds since launch, CPU seconds)
    out: dict[str, float] = {}
    window = 0
    rect = (0, 0, 0, 0)
    try:
        deadline = started + 180  # a first start compiles every module
        next_sample = started + SLICE_S
        while time.perf_counter() < deadline:
            now = time.perf_counter()
            if now >= next_sample:
                if len(samples) % 5 == 1:  # new processes are looked for twice a second
                    members = group_members(proc.pid)
                samples.append((now - started, cpu_seconds(members, seen)))
                next_sample += SLICE_S
            if not window:
                found = xdo("search", "--onlyvisible", "--name", pattern).split()
                for candidate in found:
                    try:
                        geometry = window_geometry(int(candidate))
                    except KeyError:  # gone again (a window of the start-up)
                        continue
                    if geometry[2] >= 700:
                        window, rect = int(candidate), geometry
                        out["window_s"] = round(time.perf_counter() - started, 3)
                        # CPU time to the window: little moved by other work on the machine
                        out["window_cpu_s"] = round(cpu_seconds(group_members(proc.pid), seen), 3)
                        break
            elif "drawn_s" not in out:
                if has_rows(screen.grab(rect)):
                    out["drawn_s"] = round(time.perf_counter() - started, 3)
            else:
                quiet = calm_since(samples)
                elapsed = samples[-1][0]
                if elapsed - quiet >= args.quiet and elapsed >= out["window_s"] + args.watch:
                    break
                if elapsed >= out["drawn_s"] + args.limit:  # busy without end: say so
                    out["unsettled"] = 1
                    break
            if proc.poll() is not None:
                raise RuntimeError(f"{name} exited with {proc.returncode}")
            time.sleep(0.01 if "drawn_s" not in out else max(0.0, next_sample - now))
        else:
            raise TimeoutError(f"{name} did not settle within 180 s")
        quiet = calm_since(samples)
        out["quiet_s"] = round(quiet, 2)  # with "unsettled", only a lower bound
        out.setdefault("unsettled", 0)
        out["cpu_s"] = round(next(c for t, c in samples if t >= quiet), 2)
        out["burst_s"] = round(longest_burst(samples, out["window_s"]), 2)
        out["peak_rss_mb"] = peak_rss_mb(group_members(proc.pid))
        if args.shots:
            screen.app.primaryScreen().grabWindow(0, *rect).save(
                str(Path(args.shots) / f"startup-{name}.png")
            )
        return out
    except (TimeoutError, RuntimeError):
        log = (home / "output.log").read_text(errors="replace").splitlines()[-15:]
        print(f"{name}'s last output:", *log, sep="\n  ", file=sys.stderr)
        raise
    finally:
        stop(proc)
        gone(proc.pid, pattern)
        shutil.rmtree(home, ignore_errors=True)


def gone(pgid: int, pattern: str, timeout: float = 20) -> None:
    """Wait until the ended program's processes and windows are gone (the next start
    must not find this one's window)."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if not group_members(pgid) and not xdo("search", "--onlyvisible", "--name", pattern):
            return
        if time.perf_counter() > deadline - timeout / 2 and group_members(pgid):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pgid, signal.SIGKILL)
        time.sleep(0.05)
    raise SystemExit(f"{pattern!r}: the last run's program did not end within {timeout:.0f} s")


def busy(samples: list[tuple[float, float]], index: int) -> bool:
    (t0, c0), (t1, c1) = samples[index - 1], samples[index]
    return c1 - c0 > BUSY * (t1 - t0)


def calm_since(samples: list[tuple[float, float]]) -> float:
    """The end of the last busy slice (seconds since launch)."""
    for index in range(len(samples) - 1, 0, -1):
        if busy(samples, index):
            return samples[index][0]
    return 0.0


def longest_burst(samples: list[tuple[float, float]], after: float) -> float:
    """The longest run of busy slices that ends after *after* seconds (counted from then)."""
    longest = 0.0
    begun: float | None = None
    for index in range(1, len(samples)):
        t0, t1 = max(samples[index - 1][0], after), samples[index][0]
        if t1 <= after or not busy(samples, index):
            begun = None
            continue
        begun = t0 if begun is None else begun
        longest = max(longest, t1 - begun)
    return longest


# ---- the rounds ----------------------------------------------------------------------------
def medians(runs: list[dict[str, float]]) -> dict[str, float]:
    """Medians of each figure; ``unsettled``: how many runs never went quiet."""
    out = {key: round(statistics.median(r[key] for r in runs), 3) for key in runs[0]}
    out["unsettled"] = sum(r["unsettled"] for r in runs)
    return out


def measure_size(
    screen: Screen, tracks: int, args: argparse.Namespace, pycache: Path
) -> dict[str, object]:
    cache = Path(args.cache)
    db, music = listener_library(cache, tracks)
    programs: list[tuple[str, str, Callable[[Path], subprocess.Popen]]] = [
        ("kindred", "^Kindred$", launcher(db, music, pycache)),
        ("kindred_source", "^Kindred$", launcher(db, music, None)),
    ]
    skipped = None
    if "strawberry" not in args.players.split(","):
        skipped = "not asked for (--players)"
    elif shutil.which("strawberry") is None:
        skipped = "strawberry is not installed (apt install strawberry)"
    else:
        source = build_db(cache, tracks)
        programs.append(
            ("strawberry", "Strawberry", strawberry_launcher(strawberry_db(cache, tracks, source)))
        )
    figures: dict[str, list[dict[str, float]]] = {name: [] for name, _p, _l in programs}
    for run in range(-1, args.runs):  # a first, unrecorded round fills the bytecode cache
        for name, pattern, launch in programs:
            try:
                result = run_once(screen, name, pattern, launch, args)
            except (TimeoutError, RuntimeError) as exc:
                # a rare start that never shows its window, or one that exits at once
                # (Strawberry hands over to an earlier instance still shutting down)
                print(f"{name} {run}: {exc}; once more", file=sys.stderr)
                time.sleep(2.0)
                result = run_once(screen, name, pattern, launch, args)
            print(tracks, name, run, result, file=sys.stderr)
            if run >= 0:
                figures[name].append(result)
    out: dict[str, object] = {name: medians(runs) for name, runs in figures.items()}
    if skipped:
        out["strawberry"] = {"skipped": skipped}
    else:
        mine, theirs = out["kindred"], out["strawberry"]
        assert isinstance(mine, dict) and isinstance(theirs, dict)
        out["ratio"] = {
            k: round(mine[k] / theirs[k], 2) for k in mine if k != "unsettled" and theirs.get(k)
        }
    return out


def compiled_environment() -> bool:
    """Whether the environment's packages hold compiled bytecode (``uv sync --compile-bytecode``)."""
    import PySide6

    return any((Path(PySide6.__file__).parent / "__pycache__").glob("__init__.*.pyc"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000", help="library sizes (tracks)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quiet", type=float, default=2.0, help="seconds of calm that end a run")
    parser.add_argument("--watch", type=float, default=5.0, help="seconds watched after the window")
    parser.add_argument(
        "--limit", type=float, default=30.0, help="seconds after drawing a run may stay busy"
    )
    parser.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "kindred-bench"))
    parser.add_argument("--players", default="kindred,strawberry", help="kindred[,strawberry]")
    parser.add_argument("--shots", metavar="DIR", help="save each program's window at the end")
    args = parser.parse_args()
    for tool in ("Xvfb", "xdotool", "dbus-run-session"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is needed (apt install xvfb xdotool dbus)")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # end the X server and programs too
    sizes = [int(size) for size in args.sizes.split(",")]
    pycache = Path(args.cache) / "pycache"
    load_before = os.getloadavg()
    screen = Screen()
    try:
        by_size = {str(n): measure_size(screen, n, args, pycache) for n in sizes}
    finally:
        screen.close()
    out: dict[str, object] = {
        "sizes": sizes, "runs": args.runs, "quiet_s": args.quiet, "slice_s": SLICE_S,
        "busy_share": BUSY, "environment_compiled": compiled_environment(),
        "load_avg": [round(x, 2) for x in (*load_before, *os.getloadavg())],
        **by_size, "targets": TARGETS,
    }  # fmt: skip
    print(json.dumps(out))


if __name__ == "__main__":
    main()
