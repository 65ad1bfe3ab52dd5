"""Window start-up benchmark: process start to the main window shown and interactive.

With a library database of ``--tracks`` made-up tracks (default 100,000, built once
into ``--cache``), a child process starts Kindred's window on it. The parent
times the child from its spawn to the moment the window is on screen with the
track list filled and the event loop turning (``startup_s``); the child reports
when it was shown, its peak RSS, and the stall recorder's figures while it
scrolls through the whole list afterwards. Prints one JSON line.
Targets: ``startup_s`` <= 1.5 and ``peak_rss_mb`` <= 400.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def child(db: str, engine_kind: str, started: float) -> None:
    """Run in the child: open the window, report, and leave without tearing down Qt."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer

    from player.app import open_context, window_parts
    from player.ui.main import application, build_window

    app = application()
    ctx = open_context(db)
    window = build_window(window_parts(ctx, fake_engine=engine_kind == "fake"))
    window.resize(1400, 900)
    window.show()
    marks: dict[str, float] = {}
    model = window.tracks_page.model

    def check() -> None:
        if "shown" not in marks and window.isVisible():
            marks["shown"] = time.perf_counter() - started
        if not model.loading and model.rowCount() > 0 and "listed" not in marks:
            window.tracks_page.view.viewport().repaint()
            marks["listed"] = time.perf_counter() - started
            print("READY", flush=True)
            QTimer.singleShot(0, scroll)
            return
        QTimer.singleShot(2, check)

    def scroll() -> None:
        from player.ui.kit.stall import StallRecorder

        recorder = StallRecorder(50)
        recorder.start()
        bar = window.tracks_page.view.verticalScrollBar()
        steps = iter(range(0, 61))

        def step() -> None:
            n = next(steps, None)
            if n is None:
                recorder.stop()
                finish(recorder.summary())
                return
            bar.setValue(bar.maximum() * n // 60)
            QTimer.singleShot(16, step)

        step()

    def finish(stalls: dict) -> None:
        import resource

        rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        result = {
            "shown_s": round(marks["shown"], 3),
            "listed_s": round(marks["listed"], 3),
            "rows": model.rowCount(),
            "peak_rss_mb": round(rss_kb / 1024, 1),
            "scroll_stalls": stalls,
        }
        print("RESULT " + json.dumps(result), flush=True)
        window.bridge.shutdown()
        os._exit(0)  # the measurement is done; skip Qt's slow, fragile teardown

    QTimer.singleShot(0, check)
    app.exec()


def build_db(cache: Path, tracks: int) -> Path:
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tracks", type=int, default=100_000)
    parser.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "kindred-bench"))
    parser.add_argument("--engine", choices=("vlc", "fake"), default="vlc")
    parser.add_argument("--child", metavar="DB", help=argparse.SUPPRESS)
    parser.add_argument("--started", type=float, default=0.0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.engine, time.perf_counter() if not args.started else args.started)
        return
    db = build_db(Path(args.cache), args.tracks)
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    env["KINDRED_HOME"] = tempfile.mkdtemp(prefix="kindred-bench-home-")
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, __file__, "--child", str(db), "--engine", args.engine],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    assert proc.stdout is not None
    ready = None
    result: dict = {}
    for line in proc.stdout:
        if line.startswith("READY") and ready is None:
            ready = time.perf_counter() - started
        elif line.startswith("RESULT "):
            result = json.loads(line[7:])
    proc.wait(timeout=120)
    if ready is None or not result:
        err = proc.stderr.read() if proc.stderr else ""
        raise SystemExit(f"the window did not start: {err[-2000:]}")
    out = {"tracks": args.tracks, "startup_s": round(ready, 3), **result, "engine": args.engine,
           "target_startup_s": 1.5, "target_rss_mb": 400}  # fmt: skip
    print(json.dumps(out))


if __name__ == "__main__":
    main()
