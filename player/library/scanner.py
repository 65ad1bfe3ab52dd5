"""The library scanner: folders in, tracks and readable errors out.

A scan walks the library folders, compares every file's size and mtime with the
store, and reads tags only for new or changed files, in a pool of worker
processes (one per core) while this process writes the results in batched
transactions. Files that vanished leave the library, unless the same content
turned up under another path: then the existing row follows the file, keeping
its plays, rating and playlist entries. Tracks of a folder that is missing or
not scanned stay, but follow their content the same way when it turns up in a
scanned folder and their own file is gone (a drive that came back as ``E:``).
On Windows paths are compared by identity key (:mod:`player.library.paths`). A file that cannot be read lands in
``scan_errors`` with its reason; the scan carries on. A scan can be cancelled
between batches and resumed by the next one: each batch is committed whole.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field

from player.errors import AppError
from player.library import cue as cue_mod
from player.library.paths import Flavour, path_key
from player.library.store import TRACK_COLUMNS, LibraryDB, Prepared, prepare
from player.library.tags import AUDIO_EXTENSIONS, read_tags
from player.library.walk import (
    Listings,
    WalkResult,
    display_path,
    normalize_root,
    under_any,
    walk,
)
from player.library.workpool import as_cancel, run_in_pool

_SUBTRACK = TRACK_COLUMNS.index("subtrack")
Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]

#: Below this many files to read, reading happens in this process (no pool start-up).
POOL_THRESHOLD = 48
#: Files per task sent to a worker; large enough to amortise inter-process traffic.
CHUNK = 32
#: A large scan sends bigger tasks (fewer messages and wake-ups in this process),
#: up to this many files: still about 16 tasks per worker, and a cancel is seen
#: within one task.
CHUNK_MAX = 128
#: Tracks written per transaction.
BATCH = 400
#: From this many files to read into an empty library, the tracks' secondary
#: indexes are built after the scan rather than row by row (:meth:`LibraryDB.bulk_load`).
BULK_FROM = 2000
#: Folder listings every scan in this process shares: a rescan lists again only
#: the folders that changed (:class:`~player.library.walk.Listings`). Not on
#: Windows, where listing a folder gives every file's size and mtime at once
#: and a stat of each file would cost more than listing again.
LISTINGS: Listings | None = None if os.name == "nt" else Listings()


@dataclass
class ScanSummary:
    """What a scan did. ``errors`` lists (path, reason) for unreadable files."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    moved: int = 0
    unchanged: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    cancelled: bool = False
    missing_roots: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return {
            "added": self.added,
            "updated": self.updated,
            "removed": self.removed,
            "moved": self.moved,
            "unchanged": self.unchanged,
            "errors": len(self.errors),
            "seconds": round(self.seconds, 3),
            "cancelled": self.cancelled,
            "missing_roots": self.missing_roots,
            "error_files": [{"path": display_path(p), "reason": r} for p, r in self.errors],
        }


@dataclass
class _Job:
    """One unit to read: an audio file, or an audio file split by a CUE sheet."""

    path: str
    size: int
    mtime_ns: int
    cue_path: str = ""


# ---- reading (runs in worker processes) -----------------------------------------
#: (path, rows prepared for the store or None, reason)
_Result = tuple[str, list[Prepared] | None, str]


def _read_job(job: _Job) -> _Result:
    """Read one job; never raises (the reason travels back as text)."""
    try:
        info = read_tags(job.path)
        info.size, info.mtime_ns = job.size, job.mtime_ns
        if job.cue_path:
            tracks = cue_mod.cue_tracks(job.cue_path, info)
            for track in tracks:
                track.size, track.mtime_ns = job.size, job.mtime_ns
        else:
            tracks = [info]
        # the store's row shape is computed here, in parallel, not in the writer
        return job.path, [prepare(t) for t in tracks], ""
    except AppError as exc:
        return job.path, None, exc.short
    except Exception as exc:  # a bug or a library's surprise must not stop the scan
        reason = f"Unexpected error while reading: {type(exc).__name__}: {exc}"
        return job.path, None, reason


def _read_chunk(jobs: list[_Job]) -> list[_Result]:
    return [_read_job(job) for job in jobs]


def _read_parallel(jobs: list[_Job], workers: int, cancel: Cancel) -> Iterator[list[_Result]]:
    """Yield results chunk by chunk as workers finish them."""
    size = max(CHUNK, min(CHUNK_MAX, len(jobs) // (workers * 16)))
    chunks = [jobs[i : i + size] for i in range(0, len(jobs), size)]
    yield from run_in_pool(
        _read_chunk, chunks, workers, cancel, ahead=workers * 4,
        preload=("player.library.tags", "player.library.cue"),
    )  # fmt: skip


# ---- the scan ----------------------------------------------------------------------
class Scanner:
    """Scans folders into a :class:`LibraryDB`. Plain Python: CLI, tests and UI alike."""

    def __init__(
        self,
        db: LibraryDB,
        *,
        workers: int | None = None,
        pool_from: int = POOL_THRESHOLD,
        bulk_from: int = BULK_FROM,
        listings: Listings | None = LISTINGS,
    ) -> None:
        self.db = db
        self._good_cues: set[str] = set()
        #: content key -> (track id, path) of library files outside the walked roots
        self._strays: dict[str, list[tuple[int, str]]] = {}
        self._missing_roots: list[str] = []
        self.workers = workers or max(1, min(os.cpu_count() or 1, 8))
        self.pool_from = pool_from  # fewer files than this are read in this process
        self.bulk_from = bulk_from  # from this many files into an empty library: bulk load
        self.listings = listings  # None: list every folder

    def scan(
        self,
        roots: Iterable[str | os.PathLike[str]],
        *,
        progress: Progress | None = None,
        cancel: Cancel | threading.Event | None = None,
        remove_missing: bool = True,
    ) -> ScanSummary:
        started = time.perf_counter()
        is_cancelled = as_cancel(cancel)
        summary = ScanSummary()
        roots = [normalize_root(r, self.db.flavour) for r in roots]
        found = walk(roots, AUDIO_EXTENSIONS, cancel=is_cancelled, listings=self.listings)
        # roots and folders that could not be read: reported, and their tracks kept
        summary.missing_roots = {**found.roots_missing, **found.dir_errors}
        if is_cancelled():
            summary.cancelled = True
            summary.seconds = time.perf_counter() - started
            return summary

        flavour = self.db.flavour
        known = align_known(self.db.file_index(), found.files, flavour)
        failed = self.db.error_index()
        jobs, cue_errors = self._plan(found.files, found.cues, known, failed, summary)

        # What vanished: library files under a walked root that the walk did not see
        # (their rows leave unless their content turned up under another path), and
        # files outside every walked root (kept; their rows may follow their content).
        walked_roots = found.roots_ok
        gone_rows: dict[int, str] = {}
        moved_from: dict[str, list[int]] = {}
        self._strays = {}
        self._missing_roots = list(found.roots_missing)
        if remove_missing and not found.files.keys() >= known.keys():
            gone, strays = vanished(known, found, flavour)
            for track_id, path, _subtrack, key in self.db.track_keys():
                if path in gone:
                    gone_rows[track_id] = path
                    if key:
                        moved_from.setdefault(key, []).append(track_id)
                elif key and path in strays:
                    self._strays.setdefault(key, []).append((track_id, path))

        total = len(jobs)
        done = 0
        if progress:
            progress(0, total)
        summary.errors.extend((path, reason) for path, reason, _, _ in cue_errors)
        cleared = [
            p
            for p in failed
            if (
                p not in found.files and p not in found.cues and under_any(p, walked_roots, flavour)
            )
            or p in self._good_cues
        ]
        if cue_errors or cleared:  # a rescan with nothing to note takes no write lock here
            with self.db.transaction():
                self.db.record_errors(cue_errors)
                self.db.clear_errors(cleared)

        # a first scan of many files builds the secondary indexes once, at the end
        bulk = self.db.bulk_load() if not known and total >= self.bulk_from else nullcontext()
        with bulk:
            for results in self._read(jobs, is_cancelled):
                self._write(results, known, moved_from, gone_rows, summary, bool(failed))
                done += len(results)
                if progress:
                    progress(done, total)
                if is_cancelled():
                    break

        if is_cancelled():
            summary.cancelled = True
        elif gone_rows:
            with self.db.transaction():
                self.db.delete_tracks(gone_rows)
            summary.removed = len(set(gone_rows.values()))
        if not summary.cancelled:
            # what this scan wrote is read back now, so the next scan finds it kept
            self.db.keep_indexes()
        summary.seconds = time.perf_counter() - started
        return summary

    # ---- planning -------------------------------------------------------------
    def _plan(
        self,
        files: dict[str, tuple[int, int]],
        cues: dict[str, tuple[int, int]],
        known: dict[str, tuple[int, int, str]],
        failed: dict[str, tuple[int | None, int | None, str]],
        summary: ScanSummary,
    ) -> tuple[list[_Job], list[tuple[str, str, int | None, int | None]]]:
        claimed, cue_errors, self._good_cues = self._claim_cue_files(files, cues)
        jobs: list[_Job] = []
        unchanged = 0
        for path, (size, mtime) in files.items():
            cue_path = claimed.get(path, "") if claimed else ""
            if cue_path:
                mtime = max(mtime, cues[cue_path][1])
            old = known.get(path)
            if old is not None and old[0] == size and old[1] == mtime and old[2] == cue_path:
                unchanged += 1
                continue
            previous = failed.get(path)
            if old is None and previous is not None and previous[:2] == (size, mtime):
                # still the same unreadable file: keep its error, don't retry every scan
                summary.errors.append((path, previous[2]))
                continue
            jobs.append(_Job(path, size, mtime, cue_path))
        summary.unchanged += unchanged
        return jobs, cue_errors

    def _claim_cue_files(
        self, files: dict[str, tuple[int, int]], cues: dict[str, tuple[int, int]]
    ) -> tuple[dict[str, str], list[tuple[str, str, int | None, int | None]], set[str]]:
        """Map audio files to the CUE sheet that splits them; report sheets that can't."""
        claimed: dict[str, str] = {}
        errors: list[tuple[str, str, int | None, int | None]] = []
        good: set[str] = set()
        # on Windows a sheet may name "ALBUM.FLAC" for the walk's "Album.flac"
        by_key = {path_key(p, "nt"): p for p in files} if self.db.flavour == "nt" else None
        for cue_path, (size, mtime) in sorted(cues.items()):
            try:
                sheet = cue_mod.parse_cue(cue_path)
                targets = cue_mod.referenced_files(sheet, cue_path)
            except AppError as exc:
                errors.append((cue_path, exc.short, size, mtime))
                continue
            found = False
            for target in targets:
                target_text = str(target)
                if by_key is not None:
                    target_text = by_key.get(path_key(target_text, "nt"), target_text)
                if target_text in files:
                    found = True
                    claimed.setdefault(target_text, cue_path)
            if found:
                good.add(cue_path)
            else:
                names = ", ".join(os.path.basename(str(t)) for t in targets) or "no file"
                errors.append(
                    (cue_path, f"The audio file it names is missing: {names}", size, mtime)
                )
        return claimed, errors, good

    # ---- reading and writing ------------------------------------------------------
    def _stray(self, content_key: str) -> int | None:
        """A track outside the walked roots with this content whose file is gone, or None."""
        candidates = self._strays.get(content_key) if self._strays else None
        while candidates:
            track_id, path = candidates.pop(0)
            flavour = self.db.flavour
            if under_any(path, self._missing_roots, flavour) or not os.path.lexists(path):
                return track_id
        return None

    def _read(self, jobs: list[_Job], cancel: Cancel) -> Iterator[list[_Result]]:
        if not jobs:
            return
        if len(jobs) < self.pool_from or self.workers == 1:
            for start in range(0, len(jobs), CHUNK):
                yield _read_chunk(jobs[start : start + CHUNK])
                if cancel():
                    return
            return
        batch: list[_Result] = []
        for results in _read_parallel(jobs, self.workers, cancel):
            batch.extend(results)
            if len(batch) >= BATCH:
                yield batch
                batch = []
        if batch:
            yield batch

    def _write(
        self,
        results: list[_Result],
        known: dict[str, tuple[int, int, str]],
        moved_from: dict[str, list[int]],
        gone_rows: dict[int, str],
        summary: ScanSummary,
        had_errors: bool = True,
    ) -> None:
        errors: list[tuple[str, str, int | None, int | None]] = []
        ok_paths: list[str] = []
        new_rows: list[Prepared] = []
        with self.db.transaction():
            for path, rows, reason in results:
                if rows is None:
                    errors.append((path, reason, *_stat(path)))
                    summary.errors.append((path, reason))
                    continue
                ok_paths.append(path)
                if path in known:
                    self.db.upsert_tracks(rows)
                    self.db.delete_other_subtracks(path, [r.values[_SUBTRACK] for r in rows])
                    summary.updated += 1
                    continue
                moved = False
                for row in rows:
                    ids = moved_from.get(row.content_key) if moved_from else None
                    track_id = ids.pop(0) if ids else self._stray(row.content_key)
                    if track_id is not None:
                        gone_rows.pop(track_id, None)
                        self.db.move_track(track_id, row)
                        moved = True
                    else:
                        new_rows.append(row)
                if moved:
                    summary.moved += 1
                else:
                    summary.added += 1
            self.db.insert_rows(new_rows)
            if errors:
                self.db.record_errors(errors)
            if ok_paths and had_errors:
                self.db.clear_errors(ok_paths)


def align_known(
    known: dict[str, tuple[int, int, str]], files: Iterable[str], flavour: Flavour
) -> dict[str, tuple[int, int, str]]:
    """The library's file index spelled as the walk found the files.

    On Windows a stored ``C:\\music\\a.flac`` is the walk's ``C:\\Music\\A.flac``
    (:func:`player.library.paths.path_key`); on POSIX ``known`` as it is.
    """
    if flavour != "nt":
        return known
    spelling = {path_key(path, "nt"): path for path in files}
    return {spelling.get(path_key(path, "nt"), path): value for path, value in known.items()}


def vanished(
    known: Iterable[str], found: WalkResult, flavour: Flavour
) -> tuple[set[str], set[str]]:
    """Library files the walk did not see: ``(gone, strays)``.

    ``gone`` lie under a walked root: their rows leave the library unless their
    content turned up under another path. ``strays`` lie outside every walked
    root (a root that is missing, such as a drive that changed its letter, or
    one no longer scanned): their rows stay, but may follow their content to a
    new path when their own file is not there. Files in folders that could not
    be read are in neither.
    """
    roots = found.roots_ok
    unreadable = list(found.dir_errors)
    gone: set[str] = set()
    strays: set[str] = set()
    for path in known:
        if path in found.files or (unreadable and under_any(path, unreadable, flavour)):
            continue
        (gone if under_any(path, roots, flavour) else strays).add(path)
    return gone, strays


def _stat(path: str) -> tuple[int | None, int | None]:
    try:
        st = os.stat(path)
    except OSError:
        return None, None
    return st.st_size, st.st_mtime_ns


def scan(
    db: LibraryDB,
    roots: Iterable[str | os.PathLike[str]],
    *,
    progress: Progress | None = None,
    cancel: Cancel | threading.Event | None = None,
    workers: int | None = None,
) -> ScanSummary:
    """Scan ``roots`` into ``db``; see :class:`Scanner`."""
    return Scanner(db, workers=workers).scan(roots, progress=progress, cancel=cancel)
