"""The store: every read and write of seizure data goes through :class:`Store`.

The embedded default is one DuckDB file; a ``postgresql://`` URL selects PostgreSQL for a
shared deployment.  Queries are SQLAlchemy Core so the same code runs on both; only bulk
loading has a per-backend fast path.

A DuckDB store opened with ``snapshots=True`` (the dashboard's) keeps reading while another
process imports into its file: it reads a copy made before the import and says so with
:attr:`Store.busy`.  Why, and what it costs, is in :mod:`geo.store.connections`.
"""

from __future__ import annotations

import copy
import datetime as dt
import getpass
import hashlib
import hmac
import json
import os
import secrets
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import sqlalchemy as sa
from sqlalchemy.sql.util import ClauseAdapter

from geo.store.access import AccessDenied, Principal, visible_condition
from geo.store.bulk import copy_frame, copy_update, frame_from_rows
from geo.store.connections import (
    IDLE_SECONDS,
    READ_WAIT_SECONDS,
    create_snapshot_engine,
    create_store_engine,
    lock_wait,
    snapshot_path,
    write_snapshot,
)
from geo.store.query import Query
from geo.store.row_security import install_row_security, row_security_state, set_row_scope
from geo.store.tables import (
    audit,
    batches,
    duplicates,
    mappings,
    meta,
    metadata,
    quarantine,
    seizures,
    users,
)
from geo.store.writes import BatchWriter, update_records

__all__ = [
    "ImportConflict",
    "Store",
    "StoreBusy",
    "StoreError",
    "acting_as",
    "current_user",
    "database_error_line",
    "is_database_error",
    "open_store",
]


class StoreError(RuntimeError):
    """The store cannot be opened or an operation on it failed (one sentence)."""


class StoreBusy(StoreError):
    """The DuckDB store file stayed locked by another process (an import) for too long."""


class ImportConflict(StoreError):
    """Another import stored the same file or some of the same records while this one ran.

    Nothing of this import was stored; run again, it finds them stored (duplicates).
    """


def is_database_error(error: BaseException) -> bool:
    """Tell a database error by its class, whichever layer raised it.

    Every DB-API driver (PEP 249) has a ``DatabaseError`` and SQLAlchemy mirrors it (its own
    errors derive from ``SQLAlchemyError``); bulk paths raise the driver's own, unwrapped.
    An :class:`ImportConflict` counts too: the store's sentence for a conflict between two
    imports, which the faces tell by naming the other import.
    """
    if isinstance(error, ImportConflict):
        return True
    names = {kind.__name__ for kind in type(error).__mro__}
    return bool(names & {"DatabaseError", "SQLAlchemyError"})


def database_error_line(error: BaseException, limit: int = 200) -> str:
    """Return the driver's first line of an error: not its SQL, parameters or row data."""
    original = getattr(error, "orig", None) or error
    lines = str(original).strip().splitlines() or [type(original).__name__]
    line = lines[0].rstrip(".")
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _engine_url(location: str) -> str:
    if location.startswith(("postgresql://", "postgresql+psycopg://", "postgres://")):
        return location.replace("postgres://", "postgresql+psycopg://", 1).replace(
            "postgresql://", "postgresql+psycopg://", 1
        )
    if location.startswith("duckdb://"):
        return location
    path = Path(location).expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"duckdb:///{path}"


class Store:
    """Seizure records, quarantined rows, import batches and the audit log.

    Parameters
    ----------
    location : str
        A DuckDB file path (created if missing), ``duckdb:///path`` or a PostgreSQL URL.
    idle_seconds : float
        DuckDB only: how long pooled connections outlive their last use.
    snapshots : bool
        DuckDB file only, for viewers such as the dashboard: keep a snapshot of the file
        (``x.snapshot.duckdb``) and read it while another process holds the file, instead
        of waiting for it.  Only reads that show data use it; reads an import relies on
        (duplicate checks) always wait for the file.

    Attributes
    ----------
    busy : bool
        True when the last read came from the snapshot because another process (an import)
        holds the file: figures show the store as it was before that import.  Always False
        without snapshots.

    Notes
    -----
    One pooled engine per store (see :mod:`geo.store.connections`).  On DuckDB the pool is
    emptied after ``idle_seconds`` without use, so a dashboard and the command line can share
    one file (DuckDB lets one process at a time open it); :meth:`close` releases it at once.
    Every write to a DuckDB file that has a snapshot first brings the snapshot up to date.
    """

    def __init__(
        self,
        location: str,
        idle_seconds: float = IDLE_SECONDS,
        snapshots: bool = False,
        principal: Principal | None = None,
    ):
        self.location = location
        self.url = _engine_url(location)
        self.snapshot = snapshot_path(self.url)
        self._shared = _SharedState()
        self.principal = principal
        self._reads_snapshot = snapshots and self.snapshot is not None
        self._idle_seconds = idle_seconds
        self._snapshot_lock = threading.Lock()
        # Held by every write of this process: a snapshot is never copied while one runs.
        self._writing = threading.RLock()
        try:
            self.engine = create_store_engine(self.url, idle_seconds=idle_seconds)
            self._create_tables()
        except StoreError:
            raise
        except ModuleNotFoundError as error:
            if "psycopg" not in str(error):
                raise
            raise StoreError(
                f"a PostgreSQL store needs psycopg: pip install -e '.[postgres]' ({error})"
            ) from error
        except Exception as error:
            shown = sa.engine.make_url(self.url).render_as_string(hide_password=True)
            raise StoreError(f"cannot open the store at {shown}: {error}") from error
        self.dialect = self.engine.dialect.name
        if self.principal is None:
            self.principal = Principal.local() if not self.has_users() else Principal.nobody()

    @property
    def busy(self) -> bool:
        """True when the last read came from the snapshot (see the class's attributes)."""
        return self._shared.busy

    @busy.setter
    def busy(self, value: bool) -> None:
        self._shared.busy = value

    def scoped(self, principal: Principal) -> Store:
        """Return this store as ``principal`` reads and writes it (sharing its connections).

        Every read of the returned store shows only the records ``principal`` may see, and
        every write is checked against their role and logged under their name.  Cheap: the
        engine, snapshot and locks are this store's.
        """
        if not isinstance(principal, Principal):
            raise TypeError(f"'principal' should be a Principal, got {type(principal)}")
        view = copy.copy(self)
        view.principal = principal
        return view

    @property
    def actor(self) -> str:
        """Return who the audit log and batches name.

        The principal's name; in single-user mode the operating-system user (or
        :func:`acting_as`'s actor).
        """
        if self.principal.sees_everything:
            return current_user()
        return self.principal.name

    def has_users(self) -> bool:
        """Tell whether any user exists (then every reader needs to be one)."""
        # a snapshot's users while an import runs; never as the reader role (no users table)
        with self._reading(scoped=False) as connection:
            return connection.execute(sa.select(users.c.name).limit(1)).first() is not None

    def _create_tables(self) -> None:
        if not self._reads_snapshot:
            self._make_tables()
            return
        try:
            with lock_wait(READ_WAIT_SECONDS):
                self._make_tables()
        except StoreBusy:
            if not self._has_snapshot():
                self._make_tables()  # waits the full time, then says why
            else:
                self.busy = True  # the snapshot has the tables: it is a copy of this file

    def _make_tables(self) -> None:
        """Create missing tables; add the record columns an older store lacks, left empty.

        A store made before a field existed (such as ``other_taxa``) then reads as before.
        """
        metadata.create_all(self.engine)
        postgres = self.engine.dialect.name == "postgresql"
        schema = " AND table_schema = current_schema()" if postgres else ""
        with self.engine.begin() as connection:
            for table in (seizures, batches, audit):
                present = {
                    row[0]
                    for row in connection.exec_driver_sql(
                        "SELECT column_name FROM information_schema.columns "
                        f"WHERE table_name = '{table.name}'{schema}"
                    )
                }
                for column in table.columns:
                    if column.name not in present:
                        kind = column.type.compile(dialect=self.engine.dialect)
                        connection.exec_driver_sql(
                            f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {kind}'
                        )
            if postgres:
                install_row_security(connection)

    def close(self) -> None:
        """Close every pooled connection now (on DuckDB: checkpoint and release the file)."""
        self.engine.dispose()
        if self._shared.snapshot_engine is not None:
            self._shared.snapshot_engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # --- transactions and writes -------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[sa.Connection]:
        """Yield a connection inside one transaction: all of it commits, or none of it.

        On a DuckDB file with a snapshot, the snapshot is first brought up to date, so that
        viewers reading it while this write holds the file see the store as it was before.
        """
        with self._writing:
            if self._has_snapshot():
                with self.engine.connect() as connection:
                    self._refresh_snapshot(connection)
            with self.engine.begin() as connection:
                if self.dialect == "postgresql":
                    # the store's own writes see every record (duplicates, undo, enrichment)
                    set_row_scope(connection, None)
                yield connection

    @contextmanager
    def add_batch(self) -> Iterator[BatchWriter]:
        """Add one import batch, all of it or nothing (see :class:`geo.store.writes.BatchWriter`).

        Yields
        ------
        BatchWriter
            ``add(records, quarantined)`` for each part, then ``finish(batch, detail)``.  The
            batch commits when the ``with`` block ends after ``finish``; an error, or a block
            that ends without ``finish``, leaves the store as it was.

        Raises
        ------
        StoreError
            If the block ended without ``finish``.
        ImportConflict
            If another import stored the same file, or some of the same records, while this
            one ran (nothing of this one is stored).

        Notes
        -----
        Two imports may run at once (two dashboard sessions, the command line and the
        dashboard on PostgreSQL): each checked the store for duplicates when it began.
        ``finish`` lets one import at a time end (a PostgreSQL advisory lock; on DuckDB a
        lock per file in this process, and DuckDB's file lock between processes) and, before
        it commits, looks at the batches committed since this one began: the same file, or
        records of theirs this batch also added, make it an :class:`ImportConflict`.
        """
        self.principal.require("import", "import files")
        before = self._committed_batches()
        writer: BatchWriter | None = None
        try:
            with self.transaction() as connection:
                writer = BatchWriter(self, connection, before)
                try:
                    yield writer
                except BaseException:
                    writer.close(failed=True)
                    raise
                writer.close(failed=False)
                if not writer.finished:
                    raise StoreError("the import batch was not finished; nothing was stored.")
        except Exception as error:
            # A write that collided with another import's (same record id, same file):
            # say so, if one did commit meanwhile; otherwise the error is the database's.
            if isinstance(error, StoreError) or not is_database_error(error) or writer is None:
                raise
            try:
                conflict = self._rival_import(writer)
            except Exception:
                conflict = None  # the store itself may be failing: its error says so
            if conflict is None:
                raise
            raise conflict from error
        finally:
            if writer is not None:
                writer.release()

    def _committed_batches(self) -> dict[str, str]:
        """Return ``{batch_id: sha256}`` of the batches committed now (every user's)."""
        with self.engine.connect() as connection:
            return dict(connection.execute(sa.select(batches.c.batch_id, batches.c.sha256)).all())

    def _lock_imports(self, connection: sa.Connection) -> threading.Lock | None:
        """Wait until no other import of this store is ending; hold that until commit.

        PostgreSQL: a transaction-level advisory lock (released by the commit).  DuckDB: a
        lock per file in this process (returned, for the caller to release after the
        commit); other processes are kept out by DuckDB's own lock on the file.
        """
        if self.dialect == "postgresql":
            connection.exec_driver_sql("SELECT pg_advisory_xact_lock(%(key)s)", {"key": _IMPORTS})
            return None
        with _IMPORT_LOCKS_GUARD:
            lock = _IMPORT_LOCKS.setdefault(self._lock_key(), threading.Lock())
        lock.acquire()
        return lock

    def _lock_key(self) -> str:
        database = sa.engine.make_url(self.url).database or ""
        return os.path.realpath(database) if database not in ("", ":memory:") else self.url

    def _rival_import(self, writer: BatchWriter) -> ImportConflict | None:
        """Tell whether an import committed since ``writer``'s batch began collides with it.

        It does if it stored the same file (its sha256 or batch id) or records with content
        hashes of this batch's.  Reads what is committed, on a connection of its own.
        """
        with self.engine.connect() as connection:
            now = dict(connection.execute(sa.select(batches.c.batch_id, batches.c.sha256)).all())
            new = [batch_id for batch_id in now if batch_id not in writer.before]
            if not new:
                return None
            same = [b for b in new if now[b] == writer.sha256 or b in writer.batch_ids]
            if same:
                what = f"the same file (batch {same[0]})"
            else:
                theirs = connection.execute(
                    sa.select(seizures.c.content_hash).where(seizures.c.batch_id.in_(new))
                ).scalars()
                if not np.isin(writer.hashes(), np.fromiter(theirs, np.int64)).any():
                    return None
                what = "some of the same records"
        return ImportConflict(
            f"another import added {what} to the store while this one was running, so "
            "nothing from this one was stored; run it again."
        )

    def update_records(
        self,
        columns: list[str],
        compute: Callable[[pd.DataFrame], pd.DataFrame],
        *,
        chunk_rows: int = 200_000,
        progress: Callable[[int, int], None] | None = None,
        settings: dict[str, str] | None = None,
        action: str = "update",
        detail: dict[str, Any] | None = None,
    ) -> int:
        """Recompute columns of every stored record, in steps, all of it or nothing.

        Parameters
        ----------
        columns : list of str
            Record columns ``compute`` reads (``record_id`` is always included).
        compute : callable
            Takes a frame of stored records (text NULL as ``None``), returns ``record_id``
            and the columns to set.
        chunk_rows : int
            Records per step (bounds memory).
        progress : callable, optional
            Called with (records done, total) after each step.
        settings : dict, optional
            Store settings to set in the same transaction (e.g. the enrichment version).
        action, detail : str, dict
            The audit event; its detail gets ``records``, the number of records updated.

        Returns
        -------
        int
            How many records were updated.
        """
        self.principal.require("undo_any", "re-derive every stored record")
        return update_records(
            self,
            columns,
            compute,
            chunk_rows=chunk_rows,
            progress=progress,
            settings=settings or {},
            action=action,
            detail=detail or {},
        )

    def insert_frame(self, connection: sa.Connection, table: sa.Table, frame: pd.DataFrame) -> None:
        """Append a frame whose columns are a subset of ``table``'s, inside a transaction."""
        if frame.empty:
            return
        columns = [c for c in frame.columns if c in table.c]
        if self.dialect == "duckdb":
            raw = connection.connection.driver_connection
            # Arrow, not pandas object columns: DuckDB then keeps an uncommitted import in its
            # buffer pool (bounded, spilled to disk) instead of holding every string in memory.
            # Read by DuckDB's scan of this frame's local variables, not register(): a
            # registered table stays alive until the transaction ends (1M rows: +470 MB).
            _arrow_rows = pa.Table.from_pandas(frame[columns], preserve_index=False)
            quoted = ", ".join(f'"{c}"' for c in columns)
            raw.execute(f'INSERT INTO "{table.name}" ({quoted}) SELECT {quoted} FROM _arrow_rows')
        else:
            copy_frame(connection, table, frame[columns])

    def log(
        self,
        connection: sa.Connection,
        action: str,
        detail: dict[str, Any],
        records: int | None = None,
        actor: str | None = None,
    ) -> None:
        """Write one audit event (who did what, when, how many records) in the transaction.

        ``detail`` must never hold a password or a record's contents: counts, ids, names.
        """
        connection.execute(
            audit.insert().values(
                event_id=uuid.uuid4().hex,
                occurred_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
                actor=actor or self.actor,
                action=action,
                records=records,
                detail=json.dumps(detail, ensure_ascii=False, default=str),
            )
        )

    def audit_event(
        self,
        action: str,
        detail: dict[str, Any],
        records: int | None = None,
        actor: str | None = None,
    ) -> None:
        """Write one audit event in a transaction of its own (an export, a login)."""
        with self.engine.begin() as connection:
            self.log(connection, action, detail, records, actor)

    def update_columns(
        self, connection: sa.Connection, frame: pd.DataFrame, key: str = "record_id"
    ) -> None:
        """Set the columns of ``frame`` on the stored records it names by ``key``."""
        if frame.empty:
            return
        columns = [c for c in frame.columns if c != key and c in seizures.c]
        if self.dialect == "duckdb":
            raw = connection.connection.driver_connection
            # a local variable, not register(): see insert_frame
            _arrow_rows = pa.Table.from_pandas(frame[[key, *columns]], preserve_index=False)
            assignments = ", ".join(f'"{c}" = u."{c}"' for c in columns)
            raw.execute(
                f"UPDATE seizures SET {assignments} FROM _arrow_rows u "
                f'WHERE seizures."{key}" = u."{key}"'
            )
            return
        copy_update(connection, seizures, frame[[key, *columns]], key)

    def get_meta(self, key: str) -> str | None:
        """Return a store setting (e.g. the enrichment version), or ``None``."""
        with self._reading() as connection:
            return connection.execute(sa.select(meta.c.value).where(meta.c.key == key)).scalar()

    def _committed_meta(self, key: str) -> str | None:
        """Return a store setting as committed now (the file itself, never a snapshot)."""
        with self.engine.connect() as connection:
            return connection.execute(sa.select(meta.c.value).where(meta.c.key == key)).scalar()

    def set_meta(self, connection: sa.Connection, key: str, value: str) -> None:
        """Set a store setting inside the caller's transaction."""
        connection.execute(meta.delete().where(meta.c.key == key))
        connection.execute(meta.insert().values(key=key, value=value))

    def undo_batch(self, batch_id: str) -> dict[str, Any]:
        """Remove an import batch, and put back the later rows that repeated its records.

        A row that repeated a stored record was counted as a duplicate and kept aside (the
        ``duplicates`` table).  When the batch holding that record is undone, the earliest
        such row of another batch takes its place: the record's values with the row's own
        id, place in its file and extra cells.  So whatever the remaining files hold stays
        in the store, whatever order they were imported and undone in.

        Parameters
        ----------
        batch_id : str
            The id printed by ``seizures import``.

        Returns
        -------
        dict
            ``batch_id``, ``file_name``, ``records_removed``, ``quarantine_removed``,
            ``records_restored`` and ``restored_to`` (batch id -> rows put back).

        Raises
        ------
        StoreError
            If there is no such batch, or a row to put back has a record id that another
            record now uses (the undo is refused; nothing changes).
        """
        self.principal.require("undo", "undo imports")
        with self.transaction() as connection:
            batch = connection.execute(
                sa.select(batches.c.batch_id, batches.c.file_name, batches.c.imported_by).where(
                    batches.c.batch_id == batch_id, *self._batch_conditions()
                )
            ).first()
            if batch is None:
                raise StoreError(f"there is no import batch {batch_id!r} in {self.location}.")
            if batch.imported_by != self.actor and not self.principal.may("undo_any"):
                raise AccessDenied(
                    f"{self.principal.name} may undo only their own imports; batch {batch_id} "
                    f"was imported by {batch.imported_by}: ask them or an admin."
                )
            restored = self._repeats_to_restore(connection, batch_id)
            removed = connection.execute(
                seizures.delete().where(seizures.c.batch_id == batch_id)
            ).rowcount
            held = connection.execute(
                quarantine.delete().where(quarantine.c.batch_id == batch_id)
            ).rowcount
            connection.execute(duplicates.delete().where(duplicates.c.batch_id == batch_id))
            connection.execute(batches.delete().where(batches.c.batch_id == batch_id))
            restored_to = self._restore_repeats(connection, batch_id, restored)
            result = {
                "batch_id": batch_id,
                "file_name": batch.file_name,
                "records_removed": removed,
                "quarantine_removed": held,
                "records_restored": len(restored),
                "restored_to": restored_to,
            }
            self.log(connection, "undo", result, records=removed)
        return result

    def _repeats_to_restore(self, connection: sa.Connection, batch_id: str) -> pd.DataFrame:
        """Return the undone batch's records that other batches repeated, as they will return.

        One row per record: its stored values, with the id, batch, file row and extra cells
        of the earliest repeat (by import time, then file row).
        """
        d, b, s = duplicates.c, batches.c, seizures.c
        ranked = (
            sa.select(
                d.batch_id,
                d.source_row,
                d.record_id,
                d.extra,
                d.content_hash,
                sa.func.row_number()
                .over(
                    partition_by=d.content_hash,
                    order_by=(b.imported_at, d.batch_id, d.source_row),
                )
                .label("rank"),
            )
            .select_from(duplicates.join(batches, b.batch_id == d.batch_id))
            .where(
                d.batch_id != batch_id,
                d.content_hash.in_(sa.select(s.content_hash).where(s.batch_id == batch_id)),
            )
            .subquery()
        )
        own = [
            c for c in seizures.c if c.name not in ("record_id", "batch_id", "source_row", "extra")
        ]
        statement = (
            sa.select(
                ranked.c.record_id,
                ranked.c.batch_id,
                ranked.c.source_row,
                ranked.c.extra,
                *own,
            )
            .select_from(ranked.join(seizures, seizures.c.content_hash == ranked.c.content_hash))
            .where(ranked.c.rank == 1, seizures.c.batch_id == batch_id)
        )
        result = connection.execute(statement)
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))

    def _restore_repeats(
        self, connection: sa.Connection, undone: str, restored: pd.DataFrame
    ) -> dict[str, int]:
        """Insert the repeats that take the undone records' places; update their batches."""
        if restored.empty:
            return {}
        ids = restored["record_id"].tolist()
        taken = set(pd.Series(ids)[pd.Series(ids).duplicated()].tolist())
        for start in range(0, len(ids), 10_000):
            chunk = ids[start : start + 10_000]
            taken.update(
                connection.execute(
                    sa.select(seizures.c.record_id).where(seizures.c.record_id.in_(chunk))
                ).scalars()
            )
        if taken:
            clash = restored[restored["record_id"].isin(taken)].iloc[0]
            raise StoreError(
                f"cannot undo {undone}: row {int(clash['source_row'])} of batch "
                f"{clash['batch_id']} repeats one of its records and would take its place, "
                f"but its record id {clash['record_id']!r} is used by another record; "
                f"undo batch {clash['batch_id']} first. Nothing was changed."
            )
        self.insert_frame(connection, seizures, restored)
        counts = restored.groupby("batch_id").size().astype(int).to_dict()
        for later, count in counts.items():
            rows = restored.loc[restored["batch_id"] == later, "source_row"].tolist()
            for start in range(0, len(rows), 10_000):
                connection.execute(
                    duplicates.delete().where(
                        duplicates.c.batch_id == later,
                        duplicates.c.source_row.in_(rows[start : start + 10_000]),
                    )
                )
            connection.execute(
                batches.update()
                .where(batches.c.batch_id == later)
                .values(
                    accepted=batches.c.accepted + count,
                    duplicates=batches.c.duplicates - count,
                )
            )
        return {str(later): int(count) for later, count in counts.items()}

    # --- reads -------------------------------------------------------------------------

    def batch_by_sha256(self, sha256: str) -> dict[str, Any] | None:
        """Return the batch that imported a file with this SHA-256, if any.

        A batch the principal may not see (another agency's import) comes back with its
        rows read only: the file is in the store, but which batch, whose, and what became
        of its rows is not theirs to know.
        """
        with self.engine.connect() as connection:
            row = (
                connection.execute(sa.select(batches).where(batches.c.sha256 == sha256))
                .mappings()
                .first()
            )
            if row is None:
                return None
            shown = connection.execute(
                sa.select(batches.c.batch_id).where(
                    batches.c.sha256 == sha256, *self._batch_conditions()
                )
            ).first()
        if shown is None:
            return {"batch_id": None, "sha256": sha256, "rows_read": row["rows_read"]}
        return dict(row)

    def remember_mapping(self, signature: str, mapping: str, file_name: str | None) -> None:
        """Keep a column mapping (TOML) for files whose headers have this signature.

        Parameters
        ----------
        signature : str
            :func:`geo.ingest.mapping.header_signature` of the file's headers.
        mapping : str
            The mapping as TOML (what ``seizures import --mapping`` reads).
        file_name : str or None
            The file it was made for, shown when it is applied to the next one.
        """
        row = {
            "signature": signature,
            "mapping": mapping,
            "file_name": file_name,
            "saved_at": dt.datetime.now(dt.UTC).replace(tzinfo=None),
            "saved_by": self.actor,
        }
        with self.transaction() as connection:
            connection.execute(sa.delete(mappings).where(mappings.c.signature == signature))
            connection.execute(mappings.insert().values(**row))
            self.log(connection, "mapping", {"signature": signature, "file": file_name})

    def remembered_mapping(self, signature: str) -> dict[str, Any] | None:
        """Return the mapping kept for this header signature, or None.

        The mapping comes as ``{"mapping": TOML, "file_name", "saved_at", "saved_by"}``.
        """
        with self.engine.connect() as connection:
            row = (
                connection.execute(sa.select(mappings).where(mappings.c.signature == signature))
                .mappings()
                .first()
            )
        return dict(row) if row else None

    def content_hashes(self) -> np.ndarray:
        """Return the content hashes of every stored record (for duplicate detection)."""
        with self.engine.connect() as connection:
            values = connection.execute(sa.select(seizures.c.content_hash)).scalars().all()
        return np.asarray(values, dtype=np.int64)

    def record_hashes(
        self, record_ids: list[str], connection: sa.Connection | None = None
    ) -> dict[str, int]:
        """Return ``{record_id: content_hash}`` for those of ``record_ids`` already stored."""
        if not record_ids:
            return {}
        if connection is None:
            with self.engine.connect() as fresh:
                return self.record_hashes(record_ids, fresh)
        if self.dialect == "duckdb":
            raw = connection.connection.driver_connection
            name = f"_ids_{uuid.uuid4().hex}"
            raw.register(name, pd.DataFrame({"record_id": record_ids}))
            try:
                rows = raw.execute(
                    f"SELECT s.record_id, s.content_hash FROM seizures s "
                    f"JOIN (SELECT DISTINCT record_id FROM {name}) i USING (record_id)"
                ).fetchall()
            finally:
                raw.unregister(name)
            return {record_id: int(content) for record_id, content in rows}
        found: dict[str, int] = {}
        for start in range(0, len(record_ids), 5000):
            part = record_ids[start : start + 5000]
            rows = connection.execute(
                sa.select(seizures.c.record_id, seizures.c.content_hash).where(
                    seizures.c.record_id.in_(part)
                )
            )
            found.update({row.record_id: int(row.content_hash) for row in rows})
        return found

    def count(self) -> int:
        """Return the number of stored seizure records the principal may see."""
        statement = sa.select(sa.func.count().label("n")).select_from(seizures)
        return int(self.read_frame(statement)["n"].iloc[0])

    def batches(self) -> pd.DataFrame:
        """Return the import batches the principal may see, newest first.

        An admin sees every batch; another user the batches of their own imports and of
        the countries in their scope (and those imported before the store had users).
        """
        query = (
            sa.select(
                batches.c.batch_id,
                batches.c.file_name,
                batches.c.sha256,
                batches.c.imported_at,
                batches.c.imported_by,
                batches.c.owner_country,
                batches.c.rows_read,
                batches.c.accepted,
                batches.c.quarantined,
                batches.c.duplicates,
            )
            .where(*self._batch_conditions())
            .order_by(batches.c.imported_at.desc())
        )
        with self._reading() as connection:
            return pd.read_sql(query, connection)

    def _batch_conditions(self, admin_sees_all: bool = True) -> list[sa.ColumnElement[bool]]:
        """Conditions on ``batches`` for the batches the principal may see."""
        principal = self.principal
        if principal.sees_everything or (admin_sees_all and principal.may("undo_any")):
            return []
        return [
            sa.or_(
                batches.c.imported_by == principal.name,
                batches.c.owner_country.is_(None),
                batches.c.owner_country.in_(list(principal.scope or ())),
            )
        ]

    def stats(self) -> dict[str, Any]:
        """Return record counts in total, by batch, by taxon group and by seizing country."""

        def _counts(column: sa.Column) -> dict[str, int]:
            query = (
                sa.select(column, sa.func.count().label("n"))
                .group_by(column)
                .order_by(sa.func.count().desc(), column)
            )
            return {
                ("unknown" if key is None else str(key)): int(n)
                for key, n in connection.execute(self._scope(query))
            }

        with self._reading() as connection:
            total = int(
                connection.execute(
                    self._scope(sa.select(sa.func.count()).select_from(seizures))
                ).scalar()
            )
            shown = sa.select(batches.c.batch_id).where(*self._batch_conditions(False))
            held = int(
                connection.execute(
                    sa.select(sa.func.count())
                    .select_from(quarantine)
                    .where(quarantine.c.batch_id.in_(shown))
                ).scalar()
            )
            result = {
                "records": total,
                "quarantined": held,
                "by_batch": _counts(seizures.c.batch_id),
                "by_taxon_group": _counts(seizures.c.taxon_group),
                "by_seizing_country": _counts(seizures.c.seizing_country),
            }
        return result

    def records(self, limit: int | None = None, batch_id: str | None = None) -> pd.DataFrame:
        """Return stored records (all record columns), oldest seizure first.

        Parameters
        ----------
        limit : int, optional
            At most this many rows.
        batch_id : str, optional
            Only the records of this import batch.
        """
        query = sa.select(*[c for c in seizures.c if c.name != "content_hash"]).order_by(
            seizures.c.seizure_date, seizures.c.record_id
        )
        if batch_id:
            query = query.where(seizures.c.batch_id == batch_id)
        if limit:
            query = query.limit(limit)
        with self._reading() as connection:
            return _missing_as_none(pd.read_sql(self._scope(query), connection))

    def select(
        self,
        query: Query | None = None,
        columns: list[str] | None = None,
        limit: int | None = None,
        order_by_date: bool = True,
    ) -> pd.DataFrame:
        """Return the records a query selects.

        Parameters
        ----------
        query : Query, optional
            The filters; ``None`` selects everything.
        columns : list of str, optional
            Record columns to return (default: all record columns).
        limit : int, optional
            At most this many rows (the newest first when ordered by date).
        order_by_date : bool
            Order by seizure date, newest first.

        Returns
        -------
        DataFrame
            One row per record; text in string columns (missing as NA), NaN in numbers.
        """
        from geo.store.filters import where_clauses

        wanted = (
            [seizures.c[name] for name in columns]
            if columns
            else [c for c in seizures.c if c.name != "content_hash"]
        )
        statement = sa.select(*wanted)
        if query is not None:
            statement = statement.where(*where_clauses(query, seizures))
        if order_by_date:
            statement = statement.order_by(seizures.c.seizure_date.desc(), seizures.c.record_id)
        if limit:
            statement = statement.limit(limit)
        return self.read_frame(statement)

    def read_frame(self, statement: sa.Select | sa.TextClause) -> pd.DataFrame:
        """Run a SELECT and return its rows as a DataFrame, with the same dtypes on both engines.

        On DuckDB the rows come back through Arrow, several times faster than row by row
        for the hundreds of thousands of rows a dashboard view may select.  PostgreSQL rows
        are turned into the same Arrow types (:func:`geo.store.bulk.frame_from_rows`).
        """
        statement = self._scope(statement)
        with self._reading() as connection:
            if self.dialect != "duckdb":
                result = connection.execute(statement)
                codes = [column.type_code for column in result.cursor.description]
                return frame_from_rows(list(result.keys()), codes, result.fetchall())
            compiled = statement.compile(
                dialect=self.engine.dialect, compile_kwargs={"render_postcompile": True}
            )
            parameters = [compiled.params[name] for name in compiled.positiontup or ()]
            raw = connection.connection.driver_connection
            table = raw.sql(str(compiled), params=parameters).to_arrow_table()
        # Text stays in pandas' Arrow-backed string columns (missing values are NA): turning
        # a million rows of it into Python objects would cost seconds per view.
        return table.to_pandas(date_as_object=True)

    def run_sql(self, sql: str, params: dict[str, Any] | None = None) -> pd.DataFrame:
        """Run one hand-written SELECT (named ``:parameters``) and return its rows.

        For benchmarks and checks that compare the store's aggregates with plain SQL; views
        go through the typed methods instead.  Rows come back as :meth:`read_frame` returns
        them (through Arrow on DuckDB), so a benchmark's SQL pays no more than a view's.
        """
        if not self.principal.sees_everything:
            # hand-written SQL cannot be given the reader's scope: single-user stores only
            raise AccessDenied(
                f"{self.principal.name} may not run hand-written SQL on a store with users."
            )
        statement = sa.text(sql).bindparams(**(params or {}))
        return self.read_frame(statement)  # type: ignore[arg-type]

    def iter_records(self, chunk_rows: int = 100_000) -> Iterator[pd.DataFrame]:
        """Yield every stored record in chunks (for exports of any size)."""
        columns = [c for c in seizures.c if c.name != "content_hash"]
        statement = sa.select(*columns).order_by(seizures.c.seizure_date, seizures.c.record_id)
        with self._reading() as connection:
            result = connection.execution_options(yield_per=chunk_rows).execute(
                self._scope(statement)
            )
            names = list(result.keys())
            for part in result.partitions(chunk_rows):
                yield _missing_as_none(pd.DataFrame(part, columns=names))

    def quarantined(self, batch_id: str | None = None) -> pd.DataFrame:
        """Return quarantined rows with their raw cells and reasons (decoded from JSON)."""
        shown = sa.select(batches.c.batch_id).where(*self._batch_conditions(False))
        query = (
            sa.select(quarantine)
            .where(quarantine.c.batch_id.in_(shown))
            .order_by(quarantine.c.batch_id, quarantine.c.source_row)
        )
        if batch_id:
            query = query.where(quarantine.c.batch_id == batch_id)
        with self._reading() as connection:
            frame = pd.read_sql(query, connection)
        frame["raw"] = frame["raw"].map(json.loads)
        frame["problems"] = frame["problems"].map(json.loads)
        return frame

    def data_version(self) -> str:
        """Return a token that changes whenever records are added or removed (cache key).

        A store with snapshots that reads the file (no other process holds it) also brings
        its snapshot up to date here when the version has moved on: the dashboard asks for
        the version on every rerun.  For a reader who does not see everything the token is
        opaque: the version holds the count of every record, hidden ones included.
        """
        with self._reading() as connection:
            version = _version(connection)
            if self._reads_snapshot and connection.engine is self.engine:
                if self._snapshot_version() != version:
                    self._refresh_snapshot(connection, blocking=False)
        if self.principal.sees_everything:
            return version
        # keyed per process: a reader who knows the last event's time cannot work back to
        # the count of every record by trying counts
        return hmac.new(_VERSION_KEY, version.encode(), hashlib.sha256).hexdigest()[:20]

    # --- the snapshot (DuckDB files only) ----------------------------------------------

    @contextmanager
    def _reading(self, scoped: bool = True) -> Iterator[sa.Connection]:
        """Yield a connection for a read: to the file, or to its snapshot while it is locked.

        On PostgreSQL the read's statements see one moment (repeatable read, as DuckDB's
        reads do: a total and its breakdown agree even if an import commits between them)
        and, when ``scoped``, run as the principal's reader (:meth:`_enter_scope`); a read
        that is not scoped may read what the reader role may not (``users``).
        """
        if not self._reads_snapshot:
            with self.engine.connect() as connection:
                if self.dialect == "postgresql":
                    connection.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                    if scoped:
                        self._enter_scope(connection)
                yield connection
            return
        try:
            # Busy: one try, so a page read during an import does not wait on every call.
            with lock_wait(0 if self.busy else READ_WAIT_SECONDS):
                connection = self.engine.connect()
            self.busy = False
        except StoreBusy:
            if not self._has_snapshot():
                connection = self.engine.connect()  # waits the full time, then says why
            else:
                self.busy = True
                connection = self._snapshot_reader().connect()
        with connection:
            yield connection

    def _enter_scope(self, connection: sa.Connection) -> None:
        """PostgreSQL: have the server enforce the principal's scope for this transaction."""
        principal = self.principal
        scope = None if principal is None or principal.sees_everything else principal.scope
        reader = scope is not None and self._shared.reader_role is not False
        if reader and self._shared.reader_role is None:
            self._shared.reader_role = row_security_state(connection)
            reader = self._shared.reader_role
        set_row_scope(
            connection,
            scope,
            as_reader=bool(reader),
            user=principal.name if principal is not None else "",
            admin=principal is not None and principal.may("undo_any"),
        )

    def _scope(self, statement: Any) -> Any:
        """Return ``statement`` reading only the records the principal may see.

        Every reference to the ``seizures`` table becomes a reference to the visible
        records (a subquery the engines flatten).  A statement that reads the table under
        another name (an alias) is refused: the condition could not be put on it.
        """
        condition = visible_condition(self.principal, seizures)
        if condition is None or isinstance(statement, sa.TextClause):
            if isinstance(statement, sa.TextClause) and condition is not None:
                raise AccessDenied("hand-written SQL cannot be scoped to the reader.")
            return statement
        for element in sa.sql.visitors.iterate(statement):
            if isinstance(element, sa.Alias) and element.element is seizures:
                raise StoreError("a read names the seizures table under an alias; not scoped.")
        visible = sa.select(seizures).where(condition).subquery("visible_seizures")
        return ClauseAdapter(visible).traverse(statement)

    def _has_snapshot(self) -> bool:
        return self.snapshot is not None and self.snapshot.exists()

    def _snapshot_reader(self) -> sa.Engine:
        """Return the engine on the snapshot file (a new one when the file was replaced since)."""
        found = _file_key(self.snapshot)
        with self._snapshot_lock:
            if self._shared.snapshot_engine is None or self._shared.snapshot_engine_file != found:
                if self._shared.snapshot_engine is not None:
                    self._shared.snapshot_engine.dispose()
                idle = self._idle_seconds
                self._shared.snapshot_engine = create_snapshot_engine(self.snapshot, idle)
                self._shared.snapshot_engine_file = found
            return self._shared.snapshot_engine

    def _snapshot_version(self) -> str | None:
        """Return the data version of the snapshot file (read again only when it changed)."""
        key = _file_key(self.snapshot)
        if key is None:
            return None
        if self._shared.snapshot_seen is None or self._shared.snapshot_seen[0] != key:
            with self._snapshot_reader().connect() as connection:
                self._shared.snapshot_seen = (key, _version(connection))
        return self._shared.snapshot_seen[1]

    def _refresh_snapshot(self, connection: sa.Connection, blocking: bool = True) -> None:
        """Copy the file to the snapshot if its version moved on (best effort: never raises).

        ``connection`` is to the file, so no other process can write meanwhile; the write
        lock keeps this process's writes out.  A reader does not wait for that lock: with
        a write running here it leaves the refresh to the next read.
        """
        if not self._writing.acquire(blocking=blocking):
            return
        try:
            version = _version(connection)
            if version == self._snapshot_version():
                return
            connection.commit()  # end the read transaction SQLAlchemy began
            if write_snapshot(connection.connection.driver_connection, self._path(), self.snapshot):
                self._shared.snapshot_seen = (_file_key(self.snapshot), version)
        except Exception:
            return
        finally:
            self._writing.release()

    def _path(self) -> Path:
        return Path(sa.engine.make_url(self.url).database)


# PostgreSQL advisory lock key held by an import while it ends (any 64-bit number of ours).
_IMPORTS = 0x5E12_0125_1A7B
# DuckDB: the same, per store file, for the stores of this process.
_IMPORT_LOCKS: dict[str, threading.Lock] = {}
_IMPORT_LOCKS_GUARD = threading.Lock()


_VERSION_KEY = secrets.token_bytes(32)


class _SharedState:
    """What a store and its :meth:`Store.scoped` views share: the snapshot, the busy flag."""

    def __init__(self) -> None:
        self.busy = False
        self.snapshot_engine: sa.Engine | None = None
        self.snapshot_engine_file: tuple[int, int, int] | None = None
        self.snapshot_seen: tuple[tuple[int, int, int], str] | None = None
        self.reader_role: bool | None = None  # PostgreSQL: may reads run as the reader role


def _file_key(path: Path | None) -> tuple[int, int, int] | None:
    """Return what tells a replaced file from the one seen before (None: no such file)."""
    try:
        found = os.stat(path)  # type: ignore[arg-type]
    except (OSError, TypeError):
        return None
    return (found.st_ino, found.st_mtime_ns, found.st_size)


def _version(connection: sa.Connection) -> str:
    count = connection.execute(sa.select(sa.func.count()).select_from(seizures)).scalar()
    latest = connection.execute(sa.select(sa.func.max(audit.c.occurred_at))).scalar()
    return f"{count}:{latest}"


def _missing_as_none(frame: pd.DataFrame) -> pd.DataFrame:
    """Give text columns ``None`` for SQL NULL (pandas reads them as NaN)."""
    for name in frame.columns:
        if frame[name].dtype == object or pd.api.types.is_string_dtype(frame[name]):
            frame[name] = frame[name].astype(object).where(frame[name].notna(), None)
    return frame


_ACTOR: ContextVar[str | None] = ContextVar("seizures_actor", default=None)


@contextmanager
def acting_as(actor: str) -> Iterator[None]:
    """Record ``actor`` as who made the store writes inside this block.

    The audit log and a batch's ``imported_by`` name the operating-system user by default;
    a face that is not one person's command line (a dashboard served to many users) says
    who acts instead.  Per thread (a context variable), so concurrent sessions don't mix.
    """
    token = _ACTOR.set(actor)
    try:
        yield
    finally:
        _ACTOR.reset(token)


def current_user() -> str:
    """Return who is acting (for the audit log): :func:`acting_as`'s actor, else the OS user."""
    actor = _ACTOR.get()
    if actor:
        return actor
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def open_store(
    location: str | None = None, snapshots: bool = False, principal: Principal | None = None
) -> Store:
    """Open (creating if needed) the store at ``location`` or the default location.

    Parameters
    ----------
    location : str, optional
        DuckDB path or PostgreSQL URL; default ``$SEIZURES_DB`` or the user data directory.
    snapshots : bool
        Read a snapshot while another process holds a DuckDB file (see :class:`Store`).
    principal : Principal, optional
        Who reads and writes (see :mod:`geo.store.access`); by default the single user of a
        store without users, or no one (public records only) on a store with users.

    Returns
    -------
    Store
        The opened store.
    """
    from geo.paths import default_db

    return Store(location or default_db(), snapshots=snapshots, principal=principal)
