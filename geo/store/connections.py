"""One pooled SQLAlchemy engine per store; DuckDB's file is released when the store is idle.

DuckDB lets one process at a time open a file for writing, and an open connection holds that
lock.  A dashboard keeps its store for the life of the server, so a pool that kept its
connections forever would lock the ``seizures`` command out for good.  The DuckDB pool here
keeps connections while they are in use and for a short idle time after (a dashboard rerun
makes several calls in a row and reuses one connection), then closes them all, which
checkpoints the file and frees the lock.  Opening a DuckDB file that another process holds
waits for it (up to :data:`LOCK_WAIT_SECONDS`) instead of failing at once, so a command run
during a dashboard rerun, or a rerun during a short command, goes through.

PostgreSQL has no such lock: its pool keeps connections and checks them before use.
"""

from __future__ import annotations

import atexit
import threading
import time
import weakref
from typing import Any

import sqlalchemy as sa
from sqlalchemy.pool import QueuePool

__all__ = ["IDLE_SECONDS", "LOCK_WAIT_SECONDS", "create_store_engine"]

IDLE_SECONDS = 2.0
"""Seconds without any checked-out connection after which a DuckDB store closes its file."""

LOCK_WAIT_SECONDS = 15.0
"""How long opening a DuckDB file held by another process waits before it gives up."""

_DUCKDB_CONFIG = {"memory_limit": "512MB"}


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


def _quiet_session(connection: Any, _record: Any) -> None:
    """Turn off DuckDB's progress bar, which slow queries draw on stderr."""
    connection.execute("SET enable_progress_bar = false")


def _wait_for_file_lock(dialect: Any, record: Any, cargs: tuple, cparams: dict) -> Any:
    """Open a DuckDB connection, waiting while another process holds the file's lock."""
    import duckdb

    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    delay = 0.05
    while True:
        try:
            return dialect.connect(*cargs, **cparams)
        except duckdb.IOException as error:
            if "lock" not in str(error).lower():
                raise
            if time.monotonic() >= deadline:
                from geo.store.store import StoreError

                raise StoreError(
                    f"the store file is in use by another process and stayed locked for "
                    f"{LOCK_WAIT_SECONDS:g} s; try again when it has finished ({error})"
                ) from error
            time.sleep(delay)
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
