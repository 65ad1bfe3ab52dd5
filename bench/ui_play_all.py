"""Play-from-here benchmark: activate one row of a 100,000-track list, queue the whole list.

Opens the window (offscreen, in-memory engine) on a made-up library of ``--tracks``
tracks, activates the middle row ``--runs`` times and reports medians of: the
UI-thread time of the activation itself (``click_ms``: the track starts), the
UI-thread time of splicing the rest of the list into the queue (``splice_ms``),
the time until the whole list is queued (``whole_list_ms``), and the longest
event-loop gap in each phase (``gap_click_ms``, ``gap_reading_ms`` while a worker
reads the rest, ``gap_splice_ms``) with the UI thread's own CPU time in that worst
tick (``busy_*_ms``: a gap with little busy time is the thread waiting for the
CPU or the interpreter lock, not working). Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


class _Present:
    def is_file(self) -> bool:
        return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tracks", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "kindred-bench"))
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["KINDRED_HOME"] = tempfile.mkdtemp(prefix="kindred-bench-home-")
    from bench.ui_startup import build_db

    db = build_db(Path(args.cache), args.tracks)

    from PySide6.QtWidgets import QApplication

    from player.app import open_context, window_parts
    from player.audio import fake_engine
    from player.ui.kit.stall import StallRecorder
    from player.ui.main import application, build_window
    from player.ui.tracks.playall import WholeListPlayer

    fake_engine.Path = lambda location: _Present()  # type: ignore[assignment,misc]  # no files
    splice_ms: list[float] = []
    original = WholeListPlayer._splice

    recorders: list[StallRecorder] = []

    def timed(self: WholeListPlayer, *a: object) -> None:
        if recorders:
            recorders[-1].phase = "splice"  # the next tick's gap includes the splice
        began = time.thread_time()
        original(self, *a)
        splice_ms.append((time.thread_time() - began) * 1000)

    WholeListPlayer._splice = timed  # type: ignore[method-assign]
    application()
    window = build_window(window_parts(open_context(db), fake_engine=True))
    window.resize(1400, 900)
    window.show()
    page = window.tracks_page
    model = page.model

    def spin(until: object, limit: float = 60.0) -> None:
        end = time.perf_counter() + limit
        while not until() and time.perf_counter() < end:  # type: ignore[operator]
            QApplication.processEvents()
            time.sleep(0.001)

    spin(lambda: not model.loading and model.rowCount() > 0)
    queue = window.bridge.controller.queue
    click: list[float] = []
    whole: list[float] = []
    gaps: dict[str, list[float]] = {}
    for run in range(args.runs):
        row = model.rowCount() // 2 + run
        recorder = StallRecorder(0)
        recorders.append(recorder)
        recorder.start()
        recorder.phase = "click"
        began_wall, began_cpu = time.perf_counter(), time.thread_time()
        page.view.play_rows([row])
        click.append((time.thread_time() - began_cpu) * 1000)
        ticks = recorder.ticks
        spin(lambda r=recorder, t=ticks: r.ticks > t)  # that tick's gap is the click's
        recorder.phase = "reading"
        spin(lambda: len(queue) == model.rowCount())
        whole.append((time.perf_counter() - began_wall) * 1000)
        spin(lambda: False, 0.2)
        recorder.stop()
        for phase in ("click", "reading", "splice"):
            worst = max((g for g, _cpu, p in recorder.stalls if p == phase), default=0.0)
            busy = max((cpu for _g, cpu, p in recorder.stalls if p == phase), default=0.0)
            gaps.setdefault(f"gap_{phase}_ms", []).append(worst)
            gaps.setdefault(f"busy_{phase}_ms", []).append(busy)
    result = {
        "tracks": model.rowCount(),
        "queued": len(queue),
        "runs": args.runs,
        "click_ms": round(statistics.median(click), 1),
        "splice_ms": round(statistics.median(splice_ms), 1),
        "whole_list_ms": round(statistics.median(whole), 1),
        # per phase (the track starts, a worker reads the rest, the rest is spliced in): the
        # longest event-loop gap, and the UI thread's own CPU time in the worst tick
        **{k: round(statistics.median(v), 1) for k, v in gaps.items()},
    }
    print(json.dumps(result), flush=True)
    window.bridge.shutdown()
    os._exit(0)


if __name__ == "__main__":
    main()
