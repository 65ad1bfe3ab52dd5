"""Benchmark: audio analysis cost, recommendation query latency, model rebuild, quality.

Figures (medians of ``--runs`` runs where timed):

* ``analysis_cpu_s_per_min``: process CPU seconds per minute of audio for the
  whole analysis of one file (decode, features, tempo, key, loudness), single
  thread, set up as an analysis worker process is, over generated
  music-like files in FLAC, MP3 and Ogg Vorbis
  (``analysis_cpu_s_per_min_by_format`` splits it; ``_best`` is the fastest
  run, the least disturbed by other processes on a busy machine);
  ``decode_only_cpu_s_per_min`` is the decoder alone (FFmpeg; libsndfile for
  FLAC), the floor;
* with ``--stages`` (and nothing else): the same split by stage (the decoder's
  decoding, soxr's resampling, the rest of the decoding step, the mono mix,
  features, loudness), each the least disturbed of five or more runs;
* ``query_p95_ms`` / ``query_median_ms``: ``similar`` (top 20, blended audio +
  tags, diversity and reasons) over ``--tracks`` synthetic tracks;
  ``radio_p95_ms`` the same for a radio step with three references;
* ``rebuild_s``: building the model for ``--tracks`` tracks from the arrays held
  in memory (what :meth:`Recommender.refresh` does after reading changes);
  with ``--library``, ``library_cold_load_s`` loads them from a library
  database first, ``library_refresh_after_add_s`` is the refresh after 200
  tracks were added and analysed, ``library_query_p95_ms`` a query through it;
* with ``--corpus DIR`` (a folder of soundtracks, one sub-folder each, e.g. the
  Debian game-music packages unpacked; see ``--fetch``): leave-one-out
  precision@5/@10 of audio-only similarity (a hit = same soundtrack), with the
  seed's own soundtrack's other tracks as the only relevant items, compared with
  a random baseline, bootstrap 95 % intervals, and hubness (skewness of how
  often each track appears in others' top-10 lists; share of tracks in no
  other track's top 5).

``pool_analysis_wall_s`` is the wall time of Kindred's whole analysis of
``--pool-files`` generated files (FLAC, MP3, Vorbis, ``--audio-seconds`` each)
in ``--jobs`` worker processes, started by ``--start-method`` (``fork``,
``forkserver`` or ``spawn``; default: Kindred's own choice), and
``pool_audio_min_per_s`` minutes of audio analysed per second of it.

Targets: analysis <= 0.15 CPU s per audio minute, query p95 <= 20 ms and
rebuild <= 10 s at 100,000 tracks. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from player.recommend.analysis import AnalysisJob, analyse, prepare_worker  # noqa: E402
from player.recommend.features import DIM  # noqa: E402
from player.recommend.model import Model, TrackMeta  # noqa: E402
from player.recommend.tagvec import TagFields  # noqa: E402
from player.recommend.taste import Radio  # noqa: E402

RATE = 44100
DEBIAN_PACKAGES = (
    "supertux-data", "warzone2100-music", "planetblupi-music-ogg", "hyperrogue-music",
    "pushover-data", "fillets-ng-data",
)  # fmt: skip


def music_like(seconds: float, seed: int) -> np.ndarray:
    """Stereo chords, a bass line, drums and a little noise: costs what music costs."""
    rng = np.random.default_rng(seed)
    n = int(seconds * RATE)
    t = np.arange(n) / RATE
    out = np.zeros((n, 2), np.float32)
    bpm = rng.uniform(80, 160)
    beat = 60.0 / bpm
    root = 110.0 * 2 ** (rng.integers(0, 12) / 12)
    for bar_start in np.arange(0, seconds, beat * 4):
        s, e = int(bar_start * RATE), min(n, int((bar_start + beat * 4) * RATE))
        chord = root * 2 ** (rng.choice([0, 5, 7, 9]) / 12) * np.array([1, 1.26, 1.5, 2])
        seg = t[s:e]
        sound = sum(np.sin(2 * np.pi * f * seg) for f in chord) * 0.08
        out[s:e, 0] += sound
        out[s:e, 1] += sound * 0.8
    kick = np.sin(2 * np.pi * 55 * t[: int(0.15 * RATE)]) * np.exp(-t[: int(0.15 * RATE)] * 25)
    hat = rng.normal(0, 0.1, int(0.03 * RATE)) * np.exp(-np.arange(int(0.03 * RATE)) / 150)
    for k, b in enumerate(np.arange(0, seconds, beat / 2)):
        s = int(b * RATE)
        part = kick if k % 2 == 0 else hat
        m = min(part.size, n - s)
        out[s : s + m] += part[:m, None] * 0.6
    out += rng.normal(0, 0.01, out.shape)
    return np.clip(out, -1, 1).astype(np.float32)


def make_audio(folder: Path, seconds: float) -> dict[str, Path]:
    import soundfile as sf

    wav = folder / "music.wav"
    sf.write(str(wav), music_like(seconds, 1), RATE, subtype="PCM_16")
    files = {
        "flac": folder / "music.flac",
        "mp3": folder / "music.mp3",
        "ogg": folder / "music.ogg",
    }
    codecs = {"flac": ["-c:a", "flac"], "mp3": ["-c:a", "libmp3lame", "-b:a", "192k"],
              "ogg": ["-c:a", "libvorbis", "-q:a", "5"]}  # fmt: skip
    for name, path in files.items():
        subprocess.run(
            ["ffmpeg", "-v", "error", "-nostdin", "-y", "-i", str(wav), *codecs[name], str(path)],
            check=True, timeout=300,
        )  # fmt: skip
    return files


def decode_only(path: Path, seconds: float) -> float:
    """CPU seconds per minute the decoder alone needs for ``path`` (the floor under analysis).

    FFmpeg's, or libsndfile's (reading integers) for the files analysis reads
    through it (whole FLAC, WAV and AIFF files).
    """
    import av
    import soundfile

    from player.recommend import decode as dec

    started = time.process_time()
    if str(path).lower().endswith(dec._LOSSLESS_SUFFIXES):
        with soundfile.SoundFile(str(path)) as handle:
            dtype = "int16" if handle.subtype == "PCM_16" else "int32"
            while handle.read(1 << 18, dtype=dtype, always_2d=True).size:
                pass
        return (time.process_time() - started) / (seconds / 60.0)
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        for packet in container.demux(stream):
            packet.decode()
    return (time.process_time() - started) / (seconds / 60.0)


def bench_analysis(seconds: float, runs: int) -> dict[str, object]:
    prepare_worker()  # as in an analysis worker: one BLAS thread, freed memory kept
    with tempfile.TemporaryDirectory(prefix="kindred-bench-") as tmp:
        files = make_audio(Path(tmp), seconds)
        analyse(AnalysisJob(0, str(files["flac"]), 0, 0))  # warm-up: imports, filterbanks
        by_format: dict[str, float] = {}
        best: list[float] = []
        floor: list[float] = []
        for name, path in files.items():
            per_min = []
            for _ in range(runs):
                started = time.process_time()
                result = analyse(AnalysisJob(0, str(path), 0, 0))
                cpu = time.process_time() - started
                if not result.ok:
                    raise SystemExit(f"analysis failed: {result.error}")
                per_min.append(cpu / (result.seconds / 60.0))
            by_format[name] = round(statistics.median(per_min), 4)
            best.append(min(per_min))
            floor.append(min(decode_only(path, seconds) for _ in range(runs)))
    return {
        "analysis_cpu_s_per_min": round(statistics.median(by_format.values()), 4),
        "analysis_cpu_s_per_min_by_format": by_format,
        "analysis_cpu_s_per_min_best": round(statistics.median(best), 4),
        "decode_only_cpu_s_per_min": round(statistics.median(floor), 4),
        "analysis_audio_seconds": seconds,
    }


def bench_stages(seconds: float, runs: int = 5) -> dict[str, object]:
    """CPU seconds per audio minute of each analysis stage, one thread.

    Each stage's figure is the least disturbed of ``runs`` runs (the minimum),
    then the median over FLAC, MP3 and Vorbis; ``decode_other`` is the decoding
    step minus the decoder's own work (``ffmpeg_decode``: FFmpeg's, libsndfile's
    for FLAC) and soxr's resampling (gathering frames, the peak, copies).
    """
    import soxr

    from player.recommend import decode as dec
    from player.recommend import features as feat
    from player.recommend import loudness

    prepare_worker()

    def least(fn: object) -> float:
        spent = []
        for _ in range(runs):
            started = time.process_time()
            fn()  # type: ignore[operator]
            spent.append(time.process_time() - started)
        return min(spent) / (seconds / 60.0)

    stages: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="kindred-bench-") as tmp:
        files = make_audio(Path(tmp), seconds)
        analyse(AnalysisJob(0, str(files["flac"]), 0, 0))  # warm-up
        native = music_like(seconds, 1).T.copy()
        for path in files.values():
            audio = dec.decode(str(path))
            found = {
                "whole": least(lambda p=path: analyse(AnalysisJob(0, str(p), 0, 0))),
                "ffmpeg_decode": min(decode_only(path, seconds) for _ in range(runs)),
                "decode_step": least(lambda p=path: dec.decode(str(p))),
                "resample": least(lambda: [soxr.resample(c, RATE, dec.RATE, "HQ") for c in native]),
                "mono": least(lambda a=audio: a.mono),
                "features": least(lambda a=audio: feat.compute(a.mono, a.rate, a.channels)),
                "loudness": least(lambda a=audio: loudness.measure(a.channels, a.rate)),
            }
            found["decode_other"] = (
                found["decode_step"] - found["ffmpeg_decode"] - found["resample"]
            )
            for name, value in found.items():
                stages.setdefault(name, []).append(value)
    return {
        "analysis_stage_cpu_s_per_min": {
            name: round(statistics.median(values), 4) for name, values in stages.items()
        },
        "analysis_stage_whole_by_format": dict(
            zip(files, (round(v, 4) for v in stages["whole"]), strict=True)
        ),
    }


def synthetic_library(
    n: int, seed: int = 0
) -> tuple[list[TrackMeta], tuple[np.ndarray, np.ndarray]]:
    """``n`` tracks: clustered audio vectors (90 % analysed) and tags (90 % tagged)."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(0, 1, (200, DIM)).astype(np.float32)
    cluster = rng.integers(0, 200, n)
    vectors = centres[cluster] + rng.normal(0, 0.6, (n, DIM)).astype(np.float32)
    genres = [f"genre {g}" for g in range(60)]
    metas = []
    for i in range(n):
        tagged = rng.random() < 0.9
        artist = f"artist {rng.integers(0, n // 12 + 1)}" if tagged else ""
        metas.append(
            TrackMeta(
                i + 1, f"/music/{i}.flac", f"title {i}" if tagged else "", artist,
                TagFields(
                    genre=genres[cluster[i] % 60] if tagged else "", artist=artist,
                    album=f"album {i // 11}" if tagged else "",
                    year=int(1960 + cluster[i] % 60) if tagged else None,
                ),
                f"{artist}\x1ftitle {i}\x1f70" if tagged else "", 210.0,
            )
        )  # fmt: skip
    analysed = rng.random(n) < 0.9
    ids = np.arange(1, n + 1)[analysed]
    return metas, (ids, vectors[analysed])


def bench_pool(seconds: float, files: int, workers: int, runs: int) -> dict[str, object]:
    """Kindred's analysis runner over a generated library, in worker processes."""
    import shutil

    from player.library.scanner import Scanner
    from player.library.store import LibraryDB
    from player.library.workpool import pool_context
    from player.recommend.runner import analyse_library

    walls = []
    with tempfile.TemporaryDirectory() as tmp:
        made = list(make_audio(Path(tmp), seconds).values())
        music = Path(tmp) / "music"
        music.mkdir()
        for i in range(files):
            source = made[i % len(made)]
            shutil.copyfile(source, music / f"{i:03d}{source.suffix}")
        for run in range(runs):
            with LibraryDB(Path(tmp) / f"lib{run}.db") as db:
                Scanner(db, workers=1).scan([music])
                started = time.perf_counter()
                summary = analyse_library(db, workers=workers)
                walls.append(time.perf_counter() - started)
                if summary.analysed != files:
                    raise SystemExit(f"analysed {summary.analysed} of {files}: {summary.errors}")
    wall = statistics.median(walls)
    return {
        "pool_start_method": pool_context().get_start_method(),
        "pool_workers": workers,
        "pool_files": files,
        "pool_analysis_wall_s": round(wall, 3),
        "pool_analysis_runs_s": [round(w, 3) for w in walls],
        "pool_audio_min_per_s": round(files * seconds / 60.0 / wall, 2),
    }


def bench_model(n: int, queries: int, runs: int) -> dict[str, object]:
    metas, vectors = synthetic_library(n)
    rebuilds = []
    model = None
    for _ in range(runs):
        started = time.perf_counter()
        model = Model(metas, vectors)
        rebuilds.append(time.perf_counter() - started)
    assert model is not None
    rng = np.random.default_rng(1)
    seeds = rng.integers(1, n + 1, queries)
    model.similar(int(seeds[0]), 20)  # warm-up
    times = []
    for seed in seeds:
        started = time.perf_counter()
        result = model.similar(int(seed), 20)
        times.append((time.perf_counter() - started) * 1000)
        assert len(result) == 20
    radio_times = []
    for seed in seeds[: max(10, queries // 5)]:
        radio = Radio(model, [int(seed)])
        radio.next(5)
        radio.feedback(radio.played[-1], skipped=True)
        started = time.perf_counter()
        radio.next(5)
        radio_times.append((time.perf_counter() - started) * 1000)
    return {
        "tracks": n,
        "rebuild_s": round(statistics.median(rebuilds), 3),
        "query_median_ms": round(statistics.median(times), 2),
        "query_p95_ms": round(float(np.percentile(times, 95)), 2),
        "radio_p95_ms": round(float(np.percentile(radio_times, 95)), 2),
    }


def bench_library(n: int, added: int = 200) -> dict[str, object]:
    """Cold load of ``n`` tracks + vectors from a real library database, then an incremental refresh."""
    from player.library.store import LibraryDB
    from player.library.track import TrackInfo
    from player.recommend.analysis import FEATURE_VERSION
    from player.recommend.recommender import Recommender
    from player.recommend.store import AnalysisRecord, AnalysisStore

    metas, (ids, vectors) = synthetic_library(n + added, seed=5)
    row_of = {int(t): i for i, t in enumerate(ids)}

    def info(m: TrackMeta) -> TrackInfo:
        return TrackInfo(
            path=m.path, title=m.title, artists=[m.artist] if m.artist else [],
            album=m.tags.album, genres=[m.tags.genre] if m.tags.genre else [],
            year=m.tags.year, duration=m.duration, size=1000 + m.track_id, mtime_ns=1,
        )  # fmt: skip

    def record(m: TrackMeta) -> AnalysisRecord | None:
        row = row_of.get(m.track_id)
        if row is None:
            return None
        return AnalysisRecord(
            m.path, 0, 1000 + m.track_id, 1, FEATURE_VERSION, True,
            features=vectors[row].astype("<f4").tobytes(), bpm=120.0, key="C", lufs=-14.0,
        )  # fmt: skip

    def insert(db: LibraryDB, part: list[TrackMeta]) -> None:
        with db.transaction():
            db.insert_tracks([info(m) for m in part])
            AnalysisStore(db).write(r for r in map(record, part) if r is not None)

    with (
        tempfile.TemporaryDirectory(prefix="kindred-bench-lib-") as tmp,
        LibraryDB(Path(tmp) / "lib.db") as db,
    ):
        for start in range(0, n, 20_000):
            insert(db, metas[start : min(n, start + 20_000)])
        rec = Recommender(db)
        started = time.perf_counter()
        rec.refresh()
        cold = time.perf_counter() - started
        time.sleep(0.01)  # the new rows get a later timestamp
        insert(db, metas[n:])
        started = time.perf_counter()
        changed = rec.refresh()
        incremental = time.perf_counter() - started
        assert changed and len(rec.model) == n + added
        first = int(rec.model.ids[0])
        times = []
        for track_id in rec.model.ids[:: max(1, n // 50)][:50]:
            started = time.perf_counter()
            rec.similar(int(track_id), 20)
            times.append((time.perf_counter() - started) * 1000)
        assert rec.similar(first, 5)
    return {
        "library_cold_load_s": round(cold, 3),
        "library_refresh_after_add_s": round(incremental, 3),
        "library_query_p95_ms": round(float(np.percentile(times, 95)), 2),
    }


# ---- the real-music corpus (optional) ----------------------------------------------
def fetch_corpus(cache: Path) -> Path:
    """Download and unpack the Debian game-music packages into ``cache`` (once)."""
    cache.mkdir(parents=True, exist_ok=True)
    for package in DEBIAN_PACKAGES:
        target = cache / package
        if target.exists():
            continue
        debs = list(cache.glob(f"{package}_*.deb"))
        if not debs:
            subprocess.run(["apt-get", "download", package], cwd=cache, check=True, timeout=900)
            debs = list(cache.glob(f"{package}_*.deb"))
        subprocess.run(["dpkg", "-x", str(debs[0]), str(target)], check=True, timeout=300)
    return cache


_AUDIO = (".ogg", ".opus", ".mp3", ".flac", ".wav")
_NOT_MUSIC = {"sound", "sounds", "speech", "voices"}


def corpus_tracks(root: Path, min_seconds: float) -> list[tuple[str, str, str, str]]:
    """(path, soundtrack, artist tag, genre tag) of every music file of ``min_seconds`` or more.

    A soundtrack is a top-level folder of ``root`` (one Debian package); sound
    effects and speech folders are left out. Missing tags are "".
    """
    from player.errors import AppError
    from player.library.tags import read_tags

    out = []
    for group in sorted(p for p in root.iterdir() if p.is_dir()):
        for path in sorted(group.rglob("*")):
            if path.suffix.lower() not in _AUDIO or _NOT_MUSIC & set(path.parts):
                continue
            try:
                info = read_tags(path)  # the scanner's reader: every format's tag keys
            except AppError:
                continue
            if info.duration < min_seconds:
                continue
            artist, genre = (
                values[0].strip().casefold() if values else ""
                for values in (info.artists, info.genres)
            )
            out.append((str(path), group.name, artist, genre))
    return out


def precision(
    audio: np.ndarray, labels: np.ndarray, artists: np.ndarray | None, *, scored: np.ndarray
) -> tuple[list[float], list[float], list[float]]:
    """Leave-one-out precision@5 and @10 of ``labels`` for every ``scored`` seed, and the
    random baseline (the exact expected precision of a random ranking of the same
    candidates). With ``artists``, candidates by the seed's own (tagged) artist are
    removed before ranking. Unlabelled tracks ("") are neither seeds nor hits.
    """
    n = len(labels)
    p5, p10, base = [], [], []
    for i in np.flatnonzero(scored & (labels != "")):
        scores = audio @ audio[i]
        allowed = np.ones(n, bool)
        allowed[i] = False
        if artists is not None and artists[i]:
            allowed &= artists != artists[i]
        relevant = allowed & (labels == labels[i])
        if not relevant.any() or allowed.sum() < 10:
            continue  # nothing to find for this seed once its artist is filtered out
        ranked = np.argsort(-np.where(allowed, scores, -np.inf))[:10]
        hits = labels[ranked] == labels[i]
        p5.append(float(hits[:5].mean()))
        p10.append(float(hits.mean()))
        base.append(float(relevant.sum() / allowed.sum()))
    return p5, p10, base


def bench_quality(
    root: Path, min_seconds: float, workers: int, resamples: int
) -> dict[str, object]:
    """Leave-one-out precision@k of audio similarity against soundtrack and genre labels.

    The headline figure is artist-filtered: candidates by the seed's own
    (tagged) artist are removed before ranking, so a soundtrack by one composer
    cannot score by the composer's signature alone. The same without the
    filter, and against genre tags where at least two genres have two tracks
    each, are reported beside it.
    """
    from concurrent.futures import ProcessPoolExecutor

    from player.library.workpool import pool_context

    tracks = corpus_tracks(root, min_seconds)
    jobs = [AnalysisJob(i, t[0], 0, 0) for i, t in enumerate(tracks)]
    started = time.perf_counter()
    with ProcessPoolExecutor(
        workers, mp_context=pool_context(), initializer=prepare_worker
    ) as pool:
        results = list(pool.map(analyse, jobs, chunksize=1))
    wall = time.perf_counter() - started
    good = [r for r in results if r.ok]
    labels = np.array([tracks[r.job.track_id][1] for r in good])
    artists = np.array([tracks[r.job.track_id][2] for r in good])
    genres = np.array([tracks[r.job.track_id][3] for r in good])
    metas = [TrackMeta(i, r.job.path) for i, r in enumerate(good)]
    model = Model(metas, {i: r.vector for i, r in enumerate(good)})
    n = len(good)
    everyone = np.ones(n, bool)
    p5, p10, r5 = precision(model.audio, labels, artists, scored=everyone)
    u5, u10, ur5 = precision(model.audio, labels, None, scored=everyone)
    genre_counts = {g: int((genres == g).sum()) for g in set(genres.tolist()) if g}
    genre_usable = sum(1 for c in genre_counts.values() if c >= 2) >= 2
    g5, _, gr5 = (
        precision(model.audio, genres, None, scored=everyone) if genre_usable else ([], [], [])
    )
    counts = np.zeros(n)
    counts5 = np.zeros(n)
    for i in range(n):
        scores = model.audio @ model.audio[i]
        top_all = np.argsort(-np.where(np.arange(n) == i, -np.inf, scores))[:10]
        counts[top_all] += 1
        counts5[top_all[:5]] += 1
    rng = np.random.default_rng(0)

    def ci(values: list[float]) -> list[float]:
        arr = np.asarray(values)
        if not arr.size:
            return []
        means = [arr[rng.integers(0, arr.size, arr.size)].mean() for _ in range(resamples)]
        return [round(float(np.percentile(means, q)), 3) for q in (2.5, 97.5)]

    def mean(values: list[float]) -> float | None:
        return round(float(np.mean(values)), 3) if values else None

    skew = float(((counts - counts.mean()) ** 3).mean() / max(counts.std() ** 3, 1e-9))
    audio_min = sum(r.seconds for r in good) / 60.0
    return {
        "corpus_tracks": n,
        "corpus_failed": len(results) - n,
        "corpus_soundtracks": len(set(labels.tolist())),
        "corpus_seeds_scored": len(p5),
        "corpus_audio_minutes": round(audio_min, 1),
        "corpus_analysis_wall_s": round(wall, 1),
        "corpus_cpu_s_per_min": round(sum(r.cpu_s for r in good) / max(audio_min, 1e-9), 4),
        "precision_at_5": mean(p5),
        "precision_at_5_ci95": ci(p5),
        "precision_at_10": mean(p10),
        "precision_at_10_ci95": ci(p10),
        "random_precision_at_5": mean(r5),
        "random_precision_at_10": mean(r5),
        "random_precision_ci95": ci(r5),
        "precision_at_5_vs_random": round(float(np.mean(p5) / np.mean(r5)), 2) if p5 else None,
        "unfiltered_precision_at_5": mean(u5),
        "unfiltered_precision_at_5_ci95": ci(u5),
        "unfiltered_precision_at_10": mean(u10),
        "unfiltered_random_precision": mean(ur5),
        "genre_labels": genre_counts,
        "genre_seeds_scored": len(g5),
        "genre_precision_at_5": mean(g5),
        "genre_precision_at_5_ci95": ci(g5),
        "genre_random_precision": mean(gr5),
        "hubness_skew_k10": round(skew, 3),
        "max_k10_occurrence": int(counts.max()),
        "never_in_a_top10": int((counts == 0).sum()),
        "never_in_a_top5_share": round(float((counts5 == 0).mean()), 3),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--tracks", type=int, default=100_000)
    parser.add_argument(
        "--library", action="store_true",
        help="also time loading --tracks tracks from a real library database",
    )  # fmt: skip
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--audio-seconds", type=float, default=120.0)
    parser.add_argument(
        "--stages", action="store_true",
        help="only the analysis' CPU per stage (decode, resample, features, loudness)",
    )  # fmt: skip
    parser.add_argument("--corpus", type=Path, help="folder of soundtracks (quality part)")
    parser.add_argument("--fetch", action="store_true", help="download the Debian corpus first")
    parser.add_argument("--min-seconds", type=float, default=20.0)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--bootstrap", type=int, default=1000)
    parser.add_argument("--pool-files", type=int, default=24)
    parser.add_argument(
        "--start-method", choices=("fork", "forkserver", "spawn"),
        help="how analysis worker processes start (default: Kindred's choice)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if args.start_method:  # read by every pool (KINDRED_START_METHOD)
        os.environ["KINDRED_START_METHOD"] = args.start_method
    result: dict[str, object] = {}
    if args.stages:
        print(json.dumps(bench_stages(args.audio_seconds, max(args.runs, 5))))
        return 0
    result.update(bench_analysis(args.audio_seconds, args.runs))
    result.update(bench_pool(args.audio_seconds, args.pool_files, args.jobs, args.runs))
    result.update(bench_model(args.tracks, args.queries, args.runs))
    if args.library:
        result.update(bench_library(args.tracks))
    if args.corpus:
        if args.fetch:
            fetch_corpus(args.corpus)
        result.update(bench_quality(args.corpus, args.min_seconds, args.jobs, args.bootstrap))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
