"""The library scanner: folders in, tracks and readable errors out.

A scan walks the library folders, compares every file's size and mtime with the
store, and reads tags only for new or changed files, in a pool of worker
processes (one per core) while this process writes the results in batched
transactions. The workers start on the files the walk finds new or changed
while it is still under way (:class:`_ReadAhead`); nothing is written until the
walk ends and the plan is made, which keeps only the reads it wants. The trade:
a file that a CUE sheet found later in the walk splits is read twice (once
whole, dropped), and the results read during the walk wait in memory.

Files that vanished leave the library, unless the same content
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
from contextlib import ExitStack
from dataclasses import dataclass, field
from itertools import islice

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
    walk_stream,
)
from player.library.workpool import Pool, as_cancel, run_in_pool

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
#: With worker processes, those indexes are built once this share of the files
#: is written, while the workers still read the rest (whose rows then go into
#: the indexes one by one), rather than after the last row with the workers idle.
INDEX_AT = 0.75
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


def _read_tagged(item: tuple[int, list[_Job]]) -> tuple[int, list[_Result]]:
    return item[0], _read_chunk(item[1])


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
        read_ahead: bool = True,
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
        self.read_ahead = read_ahead  # read probably new files while the walk goes on
        #: of the last scan: (files read ahead of the plan, of those reads dropped)
        self.ahead_reads = (0, 0)

    def scan(
        self,
        roots: Iterable[str | os.PathLike[str]],
        *,
        progress: Progress | None = None,
        cancel: Cancel | threading.Event | None = None,
        remove_missing: bool = True,
    ) -> ScanSummary:
        ahead = _ReadAhead(self, self.read_ahead and self.workers > 1)
        try:
            return self._scan(roots, progress, cancel, remove_missing, ahead)
        finally:
            ahead.close()
            self.ahead_reads = (len(ahead.sent), ahead.dropped)

    def _scan(
        self,
        roots: Iterable[str | os.PathLike[str]],
        progress: Progress | None,
        cancel: Cancel | threading.Event | None,
        remove_missing: bool,
        ahead: _ReadAhead,
    ) -> ScanSummary:
        started = time.perf_counter()
        is_cancelled = as_cancel(cancel)
        summary = ScanSummary()
        roots = [normalize_root(r, self.db.flavour) for r in roots]
        flavour = self.db.flavour
        stored = self.db.file_index()
        failed = self.db.error_index()
        found = WalkResult()
        ahead.expect(found, stored, failed)  # files read while the walk goes on
        for added, cue in walk_stream(
            roots, AUDIO_EXTENSIONS, found, cancel=is_cancelled, listings=self.listings
        ):
            ahead.found(added, cue)
        # roots and folders that could not be read: reported, and their tracks kept
        summary.missing_roots = {**found.roots_missing, **found.dir_errors}
        if is_cancelled():
            summary.cancelled = True
            summary.seconds = time.perf_counter() - started
            return summary

        known = align_known(stored, found.files, flavour)
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

        # a first scan of many files builds the secondary indexes once, near the end
        bulk = ExitStack()
        if not known and total >= self.bulk_from:
            bulk.enter_context(self.db.bulk_load())
        parallel = self.workers > 1 and total >= self.pool_from
        index_at = total * INDEX_AT if parallel else total + 1
        reads = ahead.results(jobs, is_cancelled) if ahead.pool else self._read(jobs, is_cancelled)
        with bulk:
            for results in reads:
                self._write(results, known, moved_from, gone_rows, summary, bool(failed))
                done += len(results)
                if done >= index_at:
                    bulk.close()  # the indexes, built while the workers read the rest
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
            if _failed_as_is(old, previous, size, mtime):
                # still the same unreadable file: keep its error, don't retry every scan
                summary.errors.append((path, failed[path][2]))
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
        yield from _batched(_read_parallel(jobs, self.workers, cancel))

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


class _ReadAhead:
    """Tags read while the walk goes on, before the plan is known.

    The files the walk finds that are probably new or changed (not in the file
    index with the same size and mtime, not a known unreadable file, not next
    to a CUE sheet) go to the worker processes folder by folder, once there are
    ``pool_from`` of them (fewer are read in this process after the walk, as
    before). Nothing is written until the walk ends and the plan is made as
    ever: :meth:`results` then sends what the plan needs that was not sent
    already, and keeps a read only when the plan wants that very job (a sheet
    found later may claim a file read as a plain one: that read is dropped and
    the file read again, split).
    """

    def __init__(self, scanner: Scanner, on: bool) -> None:
        self.on = on
        self.workers = scanner.workers
        self.pool_from = scanner.pool_from
        self.flavour = scanner.db.flavour
        self.pool: Pool[tuple[int, list[_Job]], tuple[int, list[_Result]]] | None = None
        self._found = WalkResult()
        self._stored: dict[str, tuple[int, int, str]] = {}
        self._failed: dict[str, tuple[int | None, int | None, str]] = {}
        self._held: list[_Job] = []  # found, not sent yet
        self.sent: dict[str, _Job] = {}  # path -> the job sent ahead of the plan
        self.dropped = 0  # reads sent ahead that the plan did not want
        self._chunks: dict[int, list[_Job]] = {}  # tag -> its jobs, for chunks sent ahead
        self._tag = 0
        self._next = scanner.pool_from  # send when this many are held

    def expect(
        self,
        found: WalkResult,
        stored: dict[str, tuple[int, int, str]],
        failed: dict[str, tuple[int | None, int | None, str]],
    ) -> None:
        self._found, self._failed = found, failed
        if self.flavour == "nt":  # the walk's spelling may differ from the store's
            stored = {path_key(p, "nt"): v for p, v in stored.items()}
        self._stored = stored

    def found(self, added: int, cue: bool) -> None:
        """The walk added ``added`` files (the last ones of its result) and, with
        ``cue``, a CUE sheet, which probably claims them: those wait for the plan."""
        if not self.on or cue or not added:
            return
        files, stored, failed, held = self._found.files, self._stored, self._failed, self._held
        nt = self.flavour == "nt"
        for path in islice(reversed(files), added):
            size, mtime = files[path]
            old = stored.get(path_key(path, "nt") if nt else path)
            if old is not None and (old[2] or (old[0] == size and old[1] == mtime)):
                continue  # unchanged, or split by a sheet: for the plan to decide
            previous = failed.get(path)
            if _failed_as_is(old, previous, size, mtime):
                continue  # the same unreadable file as last time
            held.append(_Job(path, size, mtime))
        if len(held) >= self._next:
            while len(held) >= (size := self._chunk()):
                self._send(held[:size], ahead=True)
                del held[:size]
            self._next = self._chunk()

    def _chunk(self) -> int:
        """Files per task while the walk goes on: small at first (the workers start
        sooner), larger as more are sent (fewer messages)."""
        return max(CHUNK, min(CHUNK_MAX, len(self.sent) // (self.workers * 8)))

    def _send(self, jobs: list[_Job], *, ahead: bool) -> None:
        if self.pool is None:  # the workers start now, while the walk goes on
            self.pool = Pool(
                _read_tagged, self.workers, preload=("player.library.tags", "player.library.cue")
            )
        self._tag += 1
        if ahead:
            self._chunks[self._tag] = jobs
            for job in jobs:
                self.sent[job.path] = job
        self.pool.submit((self._tag, jobs))

    def results(self, jobs: list[_Job], cancel: Cancel) -> Iterator[list[_Result]]:
        """The results of ``jobs`` (the plan's), in batches as they finish."""
        sent = self.sent
        wanted: set[int] = set()  # ids of the jobs sent ahead that the plan wants as they are
        rest: list[_Job] = []
        for job in jobs:
            early = sent.get(job.path)
            if (
                early is not None
                and early.mtime_ns == job.mtime_ns
                and early.size == job.size
                and early.cue_path == job.cue_path
            ):
                wanted.add(id(early))
            else:
                rest.append(job)
        size = max(CHUNK, min(CHUNK_MAX, len(rest) // (self.workers * 4)))
        for start in range(0, len(rest), size):
            self._send(rest[start : start + size], ahead=False)
        assert self.pool is not None
        yield from _batched(self._wanted(self.pool.results(cancel), wanted))

    def _wanted(
        self, finished: Iterable[tuple[int, list[_Result]]], wanted: set[int]
    ) -> Iterator[list[_Result]]:
        for tag, results in finished:
            ahead = self._chunks.pop(tag, None)
            if ahead is not None:  # sent before the plan: keep what it still wants
                kept = [r for job, r in zip(ahead, results, strict=True) if id(job) in wanted]
                self.dropped += len(results) - len(kept)
                results = kept
            yield results

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()


def _failed_as_is(
    old: tuple[int, int, str] | None,
    previous: tuple[int | None, int | None, str] | None,
    size: int,
    mtime: int,
) -> bool:
    """A file not in the library whose recorded read error is for this very size
    and mtime: its error is kept, not retried every scan."""
    return old is None and previous is not None and previous[:2] == (size, mtime)


def _batched(chunks: Iterable[list[_Result]]) -> Iterator[list[_Result]]:
    """Results as the workers finish them, gathered into batches of at least BATCH."""
    batch: list[_Result] = []
    for results in chunks:
        batch.extend(results)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


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
