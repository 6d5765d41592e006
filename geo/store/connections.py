"""One pooled SQLAlchemy engine per store; DuckDB's file is released when the store is idle.

DuckDB lets one process at a time open a file for writing, and an open connection holds that
lock.  A dashboard keeps its store for the life of the server, so a pool that kept its
connections forever would lock the ``seizures`` command out for good.  The DuckDB pool here
keeps connections while they are in use and for a short idle time after (a dashboard rerun
makes several calls in a row and reuses one connection), then closes them all, which
checkpoints the file and frees the lock.  Opening a DuckDB file that another process holds
waits for it (up to :data:`LOCK_WAIT_SECONDS`) instead of failing at once, so a command run
during a dashboard rerun, or a rerun during a short command, goes through.

Reading while another process writes
------------------------------------
An import from the command line holds the file for minutes: the whole batch is one
transaction, so that an interrupted import leaves nothing behind.  Reading through a
read-only connection does not help: DuckDB refuses a read-only open while another process
has the file open for writing (and one process cannot hold a file read-only and read-write
at once, which the dashboard, importing from its Data page, would need).  So a store opened
for viewing (``Store(..., snapshots=True)``, the dashboard's) reads a *snapshot* instead:
``store.snapshot.duckdb`` next to ``store.duckdb``, a plain copy of the file made by
:func:`write_snapshot` (``CHECKPOINT``, copy, atomic rename) whenever

- that store reads the file and finds its data version newer than the snapshot's (the
  dashboard asks for the version on every rerun), and
- any store is about to write to a file that has a snapshot, so the snapshot is the store
  as it was just before the import even if no dashboard looked since the last one.  A store
  nobody views has no snapshot, and its writes pay nothing.

A read that finds the file locked for :data:`READ_WAIT_SECONDS` opens the snapshot read-only
instead, and the store says so (``Store.busy``), which the dashboard shows as a one-line
note.  Once busy, a read tries the file once without waiting; the first read after the
import ends is served by the file again.

Why a copy, measured on a 200,000-record store (a 22 MB file; importing it takes 33 s):

- the snapshot takes 0.05-0.07 s to make (checkpoint included; 0.15-0.25 s for 1 million
  records, 107 MB) and one more file of the store's size on disk; a write that finds the
  snapshot out of date starts 0.2 s later;
- a read during an import costs 15-20 ms more than on the file (the failed open), after a
  first read that waits :data:`READ_WAIT_SECONDS`;
- DuckDB's own ``COPY FROM DATABASE`` into a new file took 3.4 s;
- an importer that released the file between chunks (close and reopen: each close is a
  checkpoint) would let readers in, but its store writes went from 2.0 s in one transaction
  to 4.0 s in 50,000-row steps and 8.7 s in 20,000-row steps, readers would have to win a
  race for the lock in the gaps, and they would see half an import, which would no longer
  be all or nothing.

PostgreSQL has no such lock (readers see the last committed state): its pool keeps
connections and checks them before use, and it never has a snapshot.
"""

from __future__ import annotations

import atexit
import os
import subprocess
import sys
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.pool import QueuePool

__all__ = [
    "IDLE_SECONDS",
    "LOCK_WAIT_SECONDS",
    "READ_WAIT_SECONDS",
    "create_snapshot_engine",
    "create_store_engine",
    "lock_wait",
    "snapshot_path",
    "write_snapshot",
]

IDLE_SECONDS = 2.0
"""Seconds without any checked-out connection after which a DuckDB store closes its file."""

LOCK_WAIT_SECONDS = 15.0
"""How long opening a DuckDB file held by another process waits before it gives up."""

READ_WAIT_SECONDS = 1.0
"""How long a read of a store with a snapshot waits for a locked file before it reads the
snapshot instead."""

_DUCKDB_CONFIG = {"memory_limit": "512MB"}

# Seconds the next connection opened on this thread (or task) may wait for a locked file;
# None: LOCK_WAIT_SECONDS.
_LOCK_WAIT: ContextVar[float | None] = ContextVar("lock_wait", default=None)


def create_store_engine(url: str, idle_seconds: float = IDLE_SECONDS) -> sa.Engine:
    """Return a pooled engine for a store URL (``duckdb:///...`` or ``postgresql+psycopg://``).

    Parameters
    ----------
    url : str
        A SQLAlchemy URL.
    idle_seconds : float
        DuckDB only: close every pooled connection (and so release the file) after this many
        seconds with none checked out.

    Returns
    -------
    sqlalchemy.Engine
        The engine; its pool holds at most a few connections per process.
    """
    if url.startswith("duckdb"):
        engine = sa.create_engine(
            url,
            poolclass=QueuePool,
            pool_size=4,
            max_overflow=8,
            connect_args={"config": dict(_DUCKDB_CONFIG)},
        )
        sa.event.listen(engine, "do_connect", _wait_for_file_lock)
        sa.event.listen(engine, "connect", _quiet_session)
        _IdleRelease(engine, idle_seconds)
        return engine
    return sa.create_engine(url, pool_size=4, max_overflow=8, pool_pre_ping=True)


def create_snapshot_engine(path: Path, idle_seconds: float = IDLE_SECONDS) -> sa.Engine:
    """Return a pooled engine that opens a store's snapshot file read-only.

    Pooled like the store's own engine (a page's reads share one open file and its warm
    cache; the file is closed after ``idle_seconds`` without use).  The store replaces this
    engine when the snapshot file is replaced.
    """
    engine = sa.create_engine(
        f"duckdb:///{path}",
        poolclass=QueuePool,
        pool_size=4,
        max_overflow=8,
        connect_args={"read_only": True, "config": dict(_DUCKDB_CONFIG)},
    )
    sa.event.listen(engine, "connect", _quiet_session)
    _IdleRelease(engine, idle_seconds)
    return engine


def snapshot_path(url: str) -> Path | None:
    """Return where a DuckDB file store keeps its snapshot (``x.duckdb``: ``x.snapshot.duckdb``).

    ``None`` for PostgreSQL and in-memory DuckDB, which have none.
    """
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() != "duckdb" or parsed.database in (None, "", ":memory:"):
        return None
    path = Path(parsed.database)
    return path.with_name(f"{path.stem}.snapshot{path.suffix}")


def write_snapshot(connection: Any, source: Path, target: Path) -> bool:
    """Copy a DuckDB store file to its snapshot, through a connection that holds the file.

    Parameters
    ----------
    connection : duckdb.DuckDBPyConnection
        A connection to ``source``.  The caller makes sure nothing in its process writes to
        the store meanwhile; other processes cannot, since this one holds the file.
    source, target : pathlib.Path
        The store file and its snapshot.

    Returns
    -------
    bool
        Whether the snapshot was written: ``False`` when the checkpoint left changes in the
        write-ahead log (they would be missing from the copy), so the snapshot stays as it
        was.
    """
    connection.execute("CHECKPOINT")
    wal = source.with_name(source.name + ".wal")
    if wal.exists() and wal.stat().st_size:
        return False
    partial = target.with_name(f"{target.name}.{os.getpid()}-{threading.get_ident()}.partial")
    try:
        # A child copies: on POSIX, closing any descriptor of a file drops every lock its
        # process holds on it, so opening the store file here would hand DuckDB's lock to
        # whichever process asks next, while this one still has the file open.
        subprocess.run(
            [sys.executable, "-I", "-S", "-c", _COPY, str(source), str(partial)],
            check=True,
            capture_output=True,
        )
        os.replace(partial, target)  # readers see the old copy or the new one, never half
    finally:
        partial.unlink(missing_ok=True)
    return True


_COPY = "import shutil, sys; shutil.copyfile(sys.argv[1], sys.argv[2])"


@contextmanager
def lock_wait(seconds: float) -> Iterator[None]:
    """Within the block, opening a DuckDB file another process holds waits at most ``seconds``.

    On timeout :class:`geo.store.store.StoreBusy` is raised (0: a single try).
    """
    token = _LOCK_WAIT.set(seconds)
    try:
        yield
    finally:
        _LOCK_WAIT.reset(token)


def _quiet_session(connection: Any, _record: Any) -> None:
    """Turn off DuckDB's progress bar, which slow queries draw on stderr."""
    connection.execute("SET enable_progress_bar = false")


def _wait_for_file_lock(dialect: Any, record: Any, cargs: tuple, cparams: dict) -> Any:
    """Open a DuckDB connection, waiting while another process holds the file's lock."""
    import duckdb

    waited = _LOCK_WAIT.get()
    wait = LOCK_WAIT_SECONDS if waited is None else waited
    deadline = time.monotonic() + wait
    delay = 0.05
    while True:
        try:
            return dialect.connect(*cargs, **cparams)
        except duckdb.IOException as error:
            if "lock" not in str(error).lower():
                raise
            if time.monotonic() >= deadline:
                from geo.store.store import StoreBusy

                raise StoreBusy(
                    f"the store file is in use by another process and stayed locked for "
                    f"{wait:g} s; try again when it has finished ({error})"
                ) from error
            time.sleep(min(delay, max(deadline - time.monotonic(), 0.0)))
            delay = min(delay * 2, 0.5)


_RELEASERS: weakref.WeakSet[_IdleRelease] = weakref.WeakSet()


@atexit.register
def _release_all() -> None:
    # Close DuckDB connections on the main thread before the interpreter shuts down: a timer
    # thread caught inside DuckDB's C++ code at shutdown aborts the process.
    for releaser in list(_RELEASERS):
        releaser.shutdown()


class _IdleRelease:
    """Close an engine's pooled connections once none has been checked out for a while.

    Pool events count checked-out connections; when the count drops to zero a daemon timer
    starts, and when it fires with the pool still untouched it empties the pool.  A checkout
    in between moves the generation on, so that timer does nothing.
    """

    def __init__(self, engine: sa.Engine, seconds: float):
        self._engine = engine
        self._seconds = seconds
        # Re-entrant: a connection finalised by garbage collection during a release checks in
        # on the same thread.
        self._lock = threading.RLock()
        self._busy = 0
        self._generation = 0
        self._timer: threading.Timer | None = None
        # Listening on the engine (not its pool) carries the listeners over to the new pool
        # that Engine.dispose() creates.
        sa.event.listen(engine, "checkout", self._checked_out)
        sa.event.listen(engine, "checkin", self._checked_in)
        _RELEASERS.add(self)

    def shutdown(self) -> None:
        """Stop the timer and close the pooled connections now."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            self._generation += 1  # a timer already past its wait does nothing
            self._engine.pool.dispose()

    def _checked_out(self, *_: Any) -> None:
        with self._lock:
            self._busy += 1
            self._generation += 1
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None

    def _checked_in(self, *_: Any) -> None:
        with self._lock:
            self._busy = max(self._busy - 1, 0)
            if self._busy == 0:
                if self._timer is not None:
                    self._timer.cancel()
                self._timer = threading.Timer(self._seconds, self._release, (self._generation,))
                self._timer.daemon = True
                self._timer.start()

    def _release(self, generation: int) -> None:
        with self._lock:
            if generation != self._generation:
                return  # checked out since: that connection's checkin starts a new timer
            self._timer = None
            if self._busy:
                return
            # Pool.dispose() closes the connections waiting in the pool and keeps the pool;
            # nothing is checked out here, so nothing is left open.
            self._engine.pool.dispose()
