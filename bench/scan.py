"""Benchmark: library scan speed against a bare mutagen loop, and search latency.

Builds (once, cached in bench/.cache/) a corpus of 10,000 tagged files in mixed
formats: a few seconds of audio per format made with ffmpeg, copied and given
unique tags with mutagen. Then, in this run:

* ``floor_s``: one process calling ``mutagen.File()`` on every file;
* ``cold_scan_s``: Kindred's scanner into an empty database (page cache warm);
* ``rescan_unchanged_s``: the same scan again, nothing changed, in a new process;
  ``rescan_in_process_s``: that rescan in the process that just scanned, on
  its open database connection (the app's "Rescan" shares the folder listings
  the same way, but opens a connection of its own, so it reads the file index);
* ``cold_scan_cpu_s`` / ``floor_cpu_s``: CPU seconds (user + system, the
  scanner's workers included) of the cold scan and of the floor; their ratio
  ``cpu_ratio_vs_floor``, halved, is the best ``ratio_vs_floor`` 2 idle cores allow;
* ``search_p50_ms`` / ``search_p95_ms``: typical queries over 100,000 tracks,
  and ``search_classes``: p50/p95 per query class (one-letter prefixes too).
  ``--search-only`` measures search alone, without the corpus and the scans;
  ``--rescan-only`` the rescans alone (each after its cold scan, as always;
  no floor, no search), with each run's in-process rescan and the load average.

``--start-method fork|forkserver|spawn`` starts the scanner's worker processes
that way (``KINDRED_START_METHOD``); ``start_method`` reports what they used.

Each timing is the median of ``--runs`` runs; scans and the floor run in child
processes so ``peak_rss_mb`` is the scan's own (main process and its workers).
Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

CACHE = HERE / ".cache"
CORPUS_VERSION = 3
FORMATS = [  # (extension, ffmpeg arguments, share of the corpus)
    ("mp3", ["-c:a", "libmp3lame", "-b:a", "192k"], 0.35),
    ("flac", ["-c:a", "flac"], 0.25),
    ("m4a", ["-c:a", "aac", "-b:a", "192k"], 0.15),
    ("ogg", ["-c:a", "libvorbis", "-q:a", "5"], 0.10),
    ("opus", ["-c:a", "libopus", "-b:a", "128k"], 0.10),
    ("wv", ["-c:a", "wavpack"], 0.05),
]
WORDS = [
    "love",
    "night",
    "light",
    "dream",
    "heart",
    "fire",
    "rain",
    "blue",
    "summer",
    "road",
    "home",
    "river",
    "star",
    "city",
    "dance",
    "ghost",
    "gold",
    "wild",
    "song",
    "moon",
    "sun",
    "time",
    "world",
    "girl",
    "boy",
    "angel",
    "shadow",
    "run",
    "fall",
    "paradise",
    "echo",
    "silence",
    "storm",
    "velvet",
    "thunder",
    "ocean",
    "desert",
    "winter",
    "spring",
    "morning",
]
ARTISTS = [
    "Radiohead",
    "Björk",
    "Sigur Rós",
    "Beyoncé",
    "Massive Attack",
    "Portishead",
    "The National",
    "Mogwai",
    "Daft Punk",
    "Boards of Canada",
    "逃跑计划",
    "周杰伦",
    "宇多田ヒカル",
    "坂本龍一",
    "Motörhead",
    "Café Tacvba",
    "Aphex Twin",
    "Nick Drake",
]
GENRES = ["Rock", "Electronic", "Jazz", "Classical", "Pop", "Hip-Hop", "Folk", "Ambient", "Metal"]
CJK_TITLES = [
    "夜空中最亮的星",
    "晴天",
    "七里香",
    "First Love",
    "花と水飴、最終電車",
    "戦場のメリークリスマス",
]


# ---- corpus ----------------------------------------------------------------------------
def build_corpus(count: int, seconds: float) -> Path:
    corpus = CACHE / f"corpus-v{CORPUS_VERSION}-{count}"
    done_marker = corpus / ".complete"
    if done_marker.exists():
        return corpus
    if corpus.exists():
        shutil.rmtree(corpus)
    base = CACHE / "base"
    base.mkdir(parents=True, exist_ok=True)
    for ext, args, _share in FORMATS:
        target = base / f"base.{ext}"
        if not target.exists():
            subprocess.run(
                [
                    "ffmpeg",
                    "-v",
                    "error",
                    "-y",
                    "-f",
                    "lavfi",
                    "-i",
                    f"sine=frequency=440:duration={seconds}:sample_rate=44100",
                    "-ac",
                    "2",
                    *args,
                    str(target),
                ],
                check=True,
            )
    import mutagen

    rng = random.Random(7)
    plan = []
    for ext, _args, share in FORMATS:
        plan += [ext] * round(count * share)
    plan = (plan + ["mp3"] * count)[:count]
    rng.shuffle(plan)
    for i, ext in enumerate(plan):
        artist = rng.choice(ARTISTS)
        album_no = i // 12
        folder = corpus / f"{artist}" / f"Album {album_no:04d}"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{i % 12 + 1:02d} track {i:05d}.{ext}"
        shutil.copyfile(base / f"base.{ext}", path)
        title = (
            rng.choice(CJK_TITLES)
            if artist in ("逃跑计划", "周杰伦", "宇多田ヒカル", "坂本龍一")
            else " ".join(rng.sample(WORDS, 2)).title()
        )
        audio = mutagen.File(path, easy=True)
        if audio.tags is None:
            audio.add_tags()
        audio["title"] = f"{title} {i}"
        audio["artist"] = artist
        audio["album"] = f"{rng.choice(WORDS).title()} Album {album_no}"
        audio["genre"] = rng.choice(GENRES)
        audio["date"] = str(rng.randint(1965, 2025))
        audio["tracknumber"] = str(i % 12 + 1)
        audio.save()
    done_marker.write_text("ok")
    return corpus


def corpus_files(corpus: Path) -> list[str]:
    return sorted(str(p) for p in corpus.rglob("*") if p.is_file() and p.name != ".complete")


# ---- child processes -------------------------------------------------------------------------
def child_floor(corpus: str) -> dict:
    import mutagen

    files = corpus_files(Path(corpus))
    mutagen.File(files[0])  # mutagen imports its format modules on first use: not timed
    cpu = _cpu()
    start = time.perf_counter()
    for path in files:
        mutagen.File(path)
    return {"seconds": time.perf_counter() - start, "cpu_s": _cpu() - cpu, "files": len(files)}


def _cpu() -> float:
    """CPU seconds (user + system) of this process and of its children that ended."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def child_scan(corpus: str, db_path: str, jobs: int | None) -> dict:
    from player.library.scanner import Scanner
    from player.library.store import LibraryDB
    from player.library.workpool import pool_context

    with LibraryDB(db_path) as db:
        cpu = _cpu()
        start = time.perf_counter()
        summary = Scanner(db, workers=jobs).scan([corpus])
        seconds = time.perf_counter() - start
        cpu = _cpu() - cpu  # this process and its workers (reaped when the pool shut down)
        tracks = db.track_count()
        # the same scan again in this process, as the app's "Rescan" runs it
        again_cpu = _cpu()
        start = time.perf_counter()
        again = Scanner(db, workers=jobs).scan([corpus])
        again_seconds = time.perf_counter() - start
        again_cpu = _cpu() - again_cpu
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "seconds": seconds,
        "cpu_s": cpu,
        "again_seconds": again_seconds,
        "again_cpu_s": again_cpu,
        "again_unchanged": again.unchanged,
        "tracks": tracks,
        "errors": len(summary.errors),
        "added": summary.added,
        "unchanged": summary.unchanged,
        "rss_mb": (own + kids) / 1024,
        "start_method": pool_context().get_start_method(),
    }


def run_child(*args: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", *args], check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


# ---- search ---------------------------------------------------------------------------------
def build_search_db(count: int) -> Path:
    from player.library.store import SCHEMA_VERSION, LibraryDB
    from player.library.track import TrackInfo

    # Built anew for each schema: a migrated copy would keep an unoptimised index.
    path = CACHE / f"search-v{CORPUS_VERSION}-s{SCHEMA_VERSION}-{count}.db"
    if path.exists():
        return path
    tmp = path.with_suffix(".tmp")
    for suffix in ("", "-wal", "-shm"):
        Path(str(tmp) + suffix).unlink(missing_ok=True)
    rng = random.Random(11)
    with LibraryDB(tmp) as db:
        batch = []
        for i in range(count):
            artist = (
                rng.choice(ARTISTS)
                if rng.random() < 0.3
                else f"{rng.choice(WORDS).title()} {rng.choice(WORDS).title()}"
            )
            cjk = artist in ("逃跑计划", "周杰伦", "宇多田ヒカル", "坂本龍一")
            title = (
                rng.choice(CJK_TITLES)
                if cjk
                else " ".join(rng.sample(WORDS, rng.randint(1, 4))).title()
            )
            batch.append(
                TrackInfo(
                    path=f"/music/{artist}/{i // 12}/{i:06d}.flac",
                    title=title,
                    artists=[artist],
                    album=f"{rng.choice(WORDS).title()} {i // 12}",
                    album_artists=[artist],
                    genres=[rng.choice(GENRES)],
                    year=rng.randint(1960, 2025),
                    track_number=i % 12 + 1,
                    duration=rng.uniform(120, 420),
                    codec=rng.choice(["flac", "mp3", "aac", "opus"]),
                    format="FLAC",
                    sample_rate=44100,
                    size=rng.randint(10**6, 10**8),
                )
            )
            if len(batch) == 2000:
                with db.transaction():
                    db.upsert_tracks(batch)
                batch = []
        if batch:
            with db.transaction():
                db.upsert_tracks(batch)
        db.conn.execute("INSERT INTO tracks_fts(tracks_fts) VALUES ('optimize')")
        db.conn.execute("INSERT INTO tracks_cjk(tracks_cjk) VALUES ('optimize')")
        db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    os.replace(tmp, path)
    return path


#: Query classes and the query measured for each: what a person types, including
#: the first letters of search as you type (one letter matches a large share).
SEARCH_QUERIES = {
    "one_word": "love",
    "two_words": "night fire",
    "prefix": "radioh",
    "diacritics": "beyonce",  # diacritic-insensitive
    "cjk_2": "最亮",  # CJK, 2 characters (substring, no index)
    "cjk_4": "夜空中最",  # CJK, 4 characters (trigram)
    "field_filter": "genre:rock year:1990..1999",
    "filter_negation": "artist:mogwai -live",
    "one_letter_l": "l",
    "one_letter_s": "s",
    "one_letter_m": "m",
    "one_letter_r": "r",
    "two_letters": "ni",
}


def _p95(xs: list[float]) -> float:
    return sorted(xs)[max(0, int(len(xs) * 0.95) - 1)]


def bench_search(db_path: Path, repeats: int) -> dict:
    """Latency of :func:`search` (parsing, SQL and result rows: one page of 200)."""
    from player.library.search import search
    from player.library.store import LibraryDB

    latencies: dict[str, list[float]] = {name: [] for name in SEARCH_QUERIES}
    cpu: dict[str, list[float]] = {name: [] for name in SEARCH_QUERIES}
    with LibraryDB(db_path) as db:
        hits = {name: len(search(db, q, limit=200)) for name, q in SEARCH_QUERIES.items()}
        for _ in range(repeats):
            for name, query in SEARCH_QUERIES.items():
                start, start_cpu = time.perf_counter(), time.process_time()
                search(db, query, limit=200)
                latencies[name].append((time.perf_counter() - start) * 1000)
                cpu[name].append((time.process_time() - start_cpu) * 1000)
    every = sorted(x for xs in latencies.values() for x in xs)
    return {
        "search_p50_ms": round(statistics.median(every), 2),
        "search_p95_ms": round(_p95(every), 2),
        "search_max_class_p95_ms": round(max(_p95(xs) for xs in latencies.values()), 2),
        "search_classes": {
            name: {
                "query": SEARCH_QUERIES[name],
                "p50_ms": round(statistics.median(xs), 2),
                "p95_ms": round(_p95(xs), 2),
                "cpu_p50_ms": round(statistics.median(cpu[name]), 2),
                "hits": hits[name],
            }
            for name, xs in latencies.items()
        },
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


# ---- main -------------------------------------------------------------------------------------
def main() -> None:
    global CACHE
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=2.0, help="audio length per file")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--search-tracks", type=int, default=100_000)
    parser.add_argument("--search-repeats", type=int, default=30)
    parser.add_argument("--cache", type=Path, default=CACHE, help="where corpora are kept")
    parser.add_argument(
        "--start-method", choices=("fork", "forkserver", "spawn"),
        help="how the scanner starts its worker processes (default: Kindred's choice)",
    )  # fmt: skip
    parser.add_argument(
        "--search-only", action="store_true", help="measure search only (no corpus, no scans)"
    )
    parser.add_argument(
        "--rescan-only", action="store_true", help="measure the rescans only (no floor, no search)"
    )
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.start_method:  # read by every pool, in the child processes too
        os.environ["KINDRED_START_METHOD"] = args.start_method

    if args.child:
        kind, *rest = args.child
        if kind == "floor":
            result = child_floor(rest[0])
        else:
            result = child_scan(rest[0], rest[1], int(rest[2]) or None)
        print(json.dumps(result))
        return

    CACHE = args.cache
    if args.search_only:
        result = {"benchmark": "search", "search_tracks": args.search_tracks}
        result.update(bench_search(build_search_db(args.search_tracks), args.search_repeats))
        print(json.dumps(result, ensure_ascii=False))
        return
    corpus = build_corpus(args.files, args.seconds)
    files = corpus_files(corpus)
    floors, colds, rescans, rss = [], [], [], []
    floor_cpus, cold_cpus, inproc, inproc_cpus = [], [], [], []
    run_child("floor", str(corpus))  # warm the page cache
    for _ in range(args.runs):
        if not args.rescan_only:
            floor = run_child("floor", str(corpus))
            floors.append(floor["seconds"])
            floor_cpus.append(floor["cpu_s"])
        with tempfile.TemporaryDirectory() as tmp:
            db_path = str(Path(tmp) / "lib.db")
            cold = run_child("scan", str(corpus), db_path, str(args.jobs or 0))
            again = run_child("scan", str(corpus), db_path, str(args.jobs or 0))
        if len(files) != cold["tracks"] or {again["unchanged"], cold["again_unchanged"]} != {
            len(files)
        }:
            raise SystemExit(f"scan incomplete: {cold} {again}")
        colds.append(cold["seconds"])
        cold_cpus.append(cold["cpu_s"])
        rescans.append(again["seconds"])
        inproc.append(cold["again_seconds"])
        inproc_cpus.append(cold["again_cpu_s"])
        rss.append(cold["rss_mb"])
    if args.rescan_only:
        result = {
            "benchmark": "scan",
            "files": len(files),
            "runs": args.runs,
            "rescan_unchanged_s": round(statistics.median(rescans), 3),
            "rescan_in_process_s": round(statistics.median(inproc), 3),
            "rescan_in_process_cpu_s": round(statistics.median(inproc_cpus), 3),
            "rescan_in_process_runs_s": [round(x, 4) for x in inproc],
            "load_average": [round(x, 2) for x in os.getloadavg()],
        }
        print(json.dumps(result, ensure_ascii=False))
        return
    floor_s = statistics.median(floors)
    cold_s = statistics.median(colds)
    result = {
        "benchmark": "scan",
        "files": len(files),
        "runs": args.runs,
        "cold_scan_s": round(cold_s, 3),
        "rescan_unchanged_s": round(statistics.median(rescans), 3),
        "rescan_in_process_s": round(statistics.median(inproc), 3),
        "rescan_in_process_cpu_s": round(statistics.median(inproc_cpus), 3),
        "files_per_s": round(len(files) / cold_s, 1),
        "start_method": cold["start_method"],
        "peak_rss_mb": round(max(rss), 1),
        "floor_s": round(floor_s, 3),
        "ratio_vs_floor": round(cold_s / floor_s, 3),
        "cold_scan_cpu_s": round(statistics.median(cold_cpus), 3),
        "floor_cpu_s": round(statistics.median(floor_cpus), 3),
        "cpu_ratio_vs_floor": round(
            statistics.median(cold_cpus) / statistics.median(floor_cpus), 3
        ),
        "cold_scan_runs_s": [round(x, 3) for x in colds],
        "floor_runs_s": [round(x, 3) for x in floors],
    }
    search_db = build_search_db(args.search_tracks)
    result["search_tracks"] = args.search_tracks
    result.update(bench_search(search_db, args.search_repeats))
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
