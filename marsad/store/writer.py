"""One writer at a time on an SQLite file: a lock across threads and processes.

SQLite lets one connection write at a time and makes the others wait (busy timeout), but a
writer that reads before it writes (story ids counted on from the largest) can race another
process doing the same. Every write of the store therefore runs under this lock: a thread
lock for the threads of one process and an exclusive `flock` on a file beside the database
for the processes, taken again freely by the thread that holds it. PostgreSQL needs none: its
sequences and row locks serve any number of writers, so there the lock is a no-op.
"""

from __future__ import annotations

import fcntl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from sqlalchemy import Connection, Engine


class WriteLock:
    """The writer lock of one database; `held()` may be nested by the thread holding it."""

    def __init__(self, path: Path | None) -> None:
        # None: no other process can reach the database (PostgreSQL, or SQLite in memory).
        self.path = path
        self._threads = threading.RLock()
        self._depth = 0
        self._file: IO[bytes] | None = None

    @classmethod
    def for_database(cls, backend: str, database: str | None) -> WriteLock | None:
        """The lock for an SQLite file (`<file>.writer`), a thread lock for SQLite in memory,
        and None (no lock) for PostgreSQL."""
        if backend != "sqlite":
            return None
        if database in (None, "", ":memory:"):
            return cls(None)
        return cls(Path(f"{database}.writer"))

    @contextmanager
    def held(self) -> Iterator[None]:
        """Hold the lock for the block, waiting while another thread or process holds it."""
        with self._threads:
            if self._depth == 0 and self.path is not None:
                self._file = _locked(self.path)
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0 and self._file is not None:
                    # Closing the file releases the flock.
                    self._file.close()
                    self._file = None


def _locked(path: Path, waiting: Callable[[], None] | None = None) -> IO[bytes]:
    """`path` opened with an exclusive `flock` taken, waiting while another process holds it
    (after calling `waiting`, if given, to say so); closing the file releases the lock."""
    handle = path.open("ab")
    try:
        if waiting is not None:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                return handle
            except BlockingIOError:
                waiting()
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
    except BaseException:
        handle.close()
        raise
    return handle


@contextmanager
def one_run_at_a_time(path: Path, waiting: Callable[[], None]) -> Iterator[None]:
    """Hold an exclusive `flock` on `path` for the block; if another process holds it, call
    `waiting` (to say so in words) and wait for it to finish."""
    with _locked(path, waiting):
        yield


class Writes:
    """What every group of store verbs stands on: the engine, and writing under the lock."""

    engine: Engine
    writer: WriteLock | None

    @contextmanager
    def write_lock(self) -> Iterator[None]:
        """Hold the database's writer lock (SQLite) for the block, without a transaction."""
        if self.writer is None:
            yield
            return
        with self.writer.held():
            yield

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """One write transaction, committed at the end of the block (rolled back on error).

        On SQLite it runs under the writer lock and starts with BEGIN IMMEDIATE, so that it
        holds SQLite's write lock from its first read: no other writer slips in between.
        """
        with self.write_lock(), self.engine.begin() as conn:
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            yield conn

    @contextmanager
    def import_turn(self, waiting: Callable[[], None]) -> Iterator[None]:
        """One import at a time into an SQLite file (a no-op on PostgreSQL and in memory).

        Two imports side by side would each clean, learn and enrich with what only it has seen:
        the second waits for the first (`waiting` says so), then finds its records stored, so
        that two imports of one file give what one import gives."""
        if self.writer is None or self.writer.path is None:
            yield
            return
        with one_run_at_a_time(self.writer.path.with_suffix(".import"), waiting):
            yield
