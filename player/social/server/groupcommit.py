"""Group commit: the posts that arrive together are written in one transaction.

A post is a short write transaction. Written one by one, each pays for its own
``BEGIN IMMEDIATE`` and ``COMMIT`` (and on PostgreSQL its own WAL flush), a
worker thread, a pooled connection and, on SQLite, its turn at the one writer
lock, and the posts waiting behind it hold threads while they wait. Here the
posts queue on the event loop; one flush at a time takes everything queued and
runs it in a single transaction on one worker thread, each post in a savepoint
of its own, so one post's error (a 404, a 409, a rate limit, a lost race on
its idempotency key) undoes that post alone. While a flush runs, the next
posts queue up for the following one: the batch grows with the load and no
post ever waits for a timer.

Every caller is answered only after the transaction that holds its post has
committed, so an answered post is as durable as before (and its
notifications, written by the post, commit with it); when the commit fails,
every post of the batch gets the error and none of them was stored.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Connection

from .db import Database

T = TypeVar("T")
Work = Callable[[Connection], Any]

#: at most this many posts share a transaction
MAX_BATCH = 256


class GroupCommit:
    """Runs write functions of one connection, batched into shared transactions."""

    def __init__(self, db: Database, max_batch: int = MAX_BATCH) -> None:
        self.db = db
        self.max_batch = max_batch
        self._queue: list[tuple[Work, asyncio.Future[Any]]] = []
        self._flushing = False
        self._task: asyncio.Task[None] | None = None
        #: transactions committed and posts they held (for tests and the bench)
        self.batches = 0
        self.items = 0

    async def run(self, work: Callable[[Connection], T]) -> T:
        """``work(conn)`` in a savepoint of the next batch; its result once that committed."""
        loop = asyncio.get_running_loop()
        done: asyncio.Future[T] = loop.create_future()
        self._queue.append((work, done))
        if not self._flushing:
            self._flushing = True
            self._task = loop.create_task(self._flush())
        return await done

    async def _flush(self) -> None:
        try:
            while self._queue:
                batch = self._queue[: self.max_batch]
                del self._queue[: self.max_batch]
                try:
                    outcomes = await run_in_threadpool(self._write, [w for w, _ in batch])
                except BaseException:  # the flush itself was cancelled (shutdown)
                    for _work, done in batch + self._queue:
                        if not done.done():
                            done.set_exception(RuntimeError("the write was interrupted"))
                    self._queue.clear()
                    raise
                for (_work, done), (ok, value) in zip(batch, outcomes, strict=True):
                    if done.done():
                        continue  # its request went away; the post stands all the same
                    if ok:
                        done.set_result(value)
                    else:
                        done.set_exception(value)
        finally:
            self._flushing = False

    def _write(self, works: list[Work]) -> list[tuple[bool, Any]]:
        """One transaction, each work in its own savepoint; (ok, result or exception) each."""
        outcomes: list[tuple[bool, Any]] = []
        try:
            with self.db.write() as conn:
                for work in works:
                    try:
                        with conn.begin_nested():
                            outcomes.append((True, work(conn)))
                    except Exception as exc:
                        outcomes.append((False, exc))
        except Exception as exc:  # the commit failed: nothing of this batch was stored
            return [(False, exc)] * len(works)
        self.batches += 1
        self.items += len(works)
        return outcomes
