"""Discovery sub-commands: ``analyze`` (audio analysis) and ``recommend`` (similar, radio, mix)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from player.app import open_context
from player.cli.common import EXIT_OK, ProgressBar, existing_db, print_json
from player.errors import AppError

if TYPE_CHECKING:
    from player.library.context import AppContext
    from player.recommend.model import Recommendation


def add_commands(sub: Any, add_db: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("analyze", help="analyse the library's audio (features, loudness, BPM, key)")
    add_db(p)
    p.add_argument(
        "--jobs", type=int, default=None, metavar="N",
        help="worker processes (default: one per core)",
    )  # fmt: skip
    p.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    p.add_argument("--retry-failed", action="store_true", help="try files that failed before again")
    p.add_argument(
        "--write-replaygain", action="store_true",
        help="also write ReplayGain 2.0 track/album tags (R128 gains in Opus) into the files",
    )  # fmt: skip

    p = sub.add_parser("recommend", help="similar tracks, a radio, or today's mix")
    rsub = p.add_subparsers(dest="recommend_command", metavar="KIND", required=True)
    ps = rsub.add_parser("similar", help="tracks similar to one track")
    ps.add_argument("item", metavar="ITEM", help="a library file path or a track id")
    pr = rsub.add_parser("radio", help="a radio from one or more seed tracks")
    pr.add_argument("items", nargs="+", metavar="ITEM", help="library file paths or track ids")
    pm = rsub.add_parser("mix", help="today's mix (kept for the day, as For You shows it)")
    pm.add_argument("--date", metavar="YYYY-MM-DD", help="the mix of another day (made, not kept)")
    pm.add_argument(
        "--new", action="store_true", help="make a new mix for today and keep it (New mix)"
    )
    for q in (ps, pr, pm):
        q.add_argument("-n", type=int, default=20, metavar="N", help="how many tracks (20)")
        q.add_argument("--json", action="store_true", help="print a JSON array")
        q.add_argument(
            "--smooth", action="store_true", help="order for smooth tempo, key and loudness"
        )
        add_db(q)


class _AnalyzeBar(ProgressBar):
    """The scan bar, worded for analysis."""

    def update(self, done: int, total: int) -> None:
        now = time.perf_counter()
        if done < total and now - self.last < 0.2:
            return
        self.last = now
        frac = done / total if total else 1.0
        filled = int(self.width * frac)
        self.stream.write(
            f"\ranalysing [{'#' * filled}{'.' * (self.width - filled)}] {done}/{total} tracks"
        )
        self.stream.flush()


def cmd_analyze(args: argparse.Namespace) -> int:
    from player.recommend.runner import analyse_library

    if args.jobs is not None and args.jobs < 1:
        raise AppError("--jobs must be at least 1")
    with open_context(existing_db(args.db)) as ctx:
        bar = _AnalyzeBar(sys.stderr) if sys.stderr.isatty() and not args.json else None
        try:
            summary = analyse_library(
                ctx.library,
                workers=args.jobs,
                progress=bar.update if bar else None,
                retry_failed=args.retry_failed,
            )
        finally:
            if bar:
                bar.finish()
        db_file = ctx.library.path
    data = summary.to_dict()
    if args.write_replaygain:
        data["replaygain"] = _write_replaygain(db_file)
    if args.json:
        print_json(data)
        return EXIT_OK
    print(
        f"Analysed {summary.analysed}, cached {summary.cached}, failed {summary.failed} "
        f"in {summary.seconds:.1f} s"
        + (
            f"; filled loudness/BPM/key of {summary.tags_filled} tracks"
            if summary.tags_filled
            else ""
        )
        + (
            f"; {summary.failed_before} failed in an earlier run (--retry-failed tries again)"
            if summary.failed_before
            else ""
        )
    )
    for path, reason in summary.errors[:20]:
        print(f"  failed: {path}: {reason}")
    if len(summary.errors) > 20:
        print(f"  ... and {len(summary.errors) - 20} more")
    if args.write_replaygain:
        rg = data["replaygain"]
        print(f"Wrote ReplayGain tags to {rg['written']} files; {len(rg['errors'])} failed")
        for item in rg["errors"][:20]:
            print(f"  not tagged: {item['path']}: {item['reason']}")
    return EXIT_OK


def _write_replaygain(db_file: Path) -> dict[str, Any]:
    """Measure every album in full and tag its files (see :mod:`player.recommend.rgtags`)."""
    from player.recommend.rgtags import write_replaygain

    result = write_replaygain(db_file)
    return {
        "written": len(result.written),
        "errors": [{"path": p, "reason": str(e)} for p, e in result.errors],
    }


def cmd_recommend(args: argparse.Namespace) -> int:
    from player.app import make_recommender

    if args.n < 1:
        raise AppError("-n must be at least 1")
    with open_context(existing_db(args.db)) as ctx:
        rec = make_recommender(ctx)
        kind = args.recommend_command
        if kind == "similar":
            items = rec.similar(args.item, args.n)
        elif kind == "radio":
            items = rec.radio(args.items).next(args.n)
        elif args.date:
            items = rec.daily_mix(_date(args.date), args.n)
        else:
            items = _kept_mix(ctx, args.new)[: args.n]
        if args.smooth:
            items = rec.smooth(items)
    _print(items, args.json)
    return EXIT_OK


def _kept_mix(ctx: AppContext, new: bool) -> list[Recommendation]:
    """Today's mix as For You shows it (``daily-mix.json``, kept for the day): made and
    kept when there is none yet, or made afresh with *new* (For You's New mix)."""
    from player.recommend.shelves import Shelves
    from player.recommend.station_state import default_station_path

    shelves = Shelves(ctx.db_path, default_station_path())
    try:
        if new:
            shelves.new_mix()
        return shelves.todays_mix()
    finally:
        shelves.close()


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise AppError(f"Not a date: {text}", "Give the date as YYYY-MM-DD.") from exc


def _print(items: list[Recommendation], as_json: bool) -> None:
    if as_json:
        print_json([r.to_dict() for r in items])
        return
    if not items:
        print("No recommendations yet: scan and analyse some music first.")
    for i, r in enumerate(items, 1):
        name = f"{r.artist} - {r.title}" if r.artist and r.title else (r.title or r.path)
        # a pick with no taste behind it (a first mix) has no closeness to show
        score = f"  [{r.score:.2f}]" if r.score else ""
        print(f"{i:3d}. {name}{score}  {r.reason}")
        if name != r.path:
            print(f"     {r.path}")


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "analyze": cmd_analyze,
    "recommend": cmd_recommend,
}
