"""The store: every read and write of seizure data goes through :class:`Store`.

The embedded default is one DuckDB file; a ``postgresql://`` URL selects PostgreSQL for a
shared deployment.  Queries are SQLAlchemy Core so the same code runs on both; only bulk
loading has a per-backend fast path.

A DuckDB store opened with ``snapshots=True`` (the dashboard's) keeps reading while another
process imports into its file: it reads a copy made before the import and says so with
:attr:`Store.busy`.  Why, and what it costs, is in :mod:`geo.store.connections`.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
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
from geo.store.tables import (
    audit,
    batches,
    duplicates,
    mappings,
    meta,
    metadata,
    quarantine,
    seizures,
)
from geo.store.writes import BatchWriter, update_records

__all__ = [
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


def is_database_error(error: BaseException) -> bool:
    """Tell a database error by its class, whichever layer raised it.

    Every DB-API driver (PEP 249) has a ``DatabaseError`` and SQLAlchemy mirrors it (its own
    errors derive from ``SQLAlchemyError``); bulk paths raise the driver's own, unwrapped.
    """
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

    def __init__(self, location: str, idle_seconds: float = IDLE_SECONDS, snapshots: bool = False):
        self.location = location
        self.url = _engine_url(location)
        self.snapshot = snapshot_path(self.url)
        self.busy = False
        self._reads_snapshot = snapshots and self.snapshot is not None
        self._idle_seconds = idle_seconds
        self._snapshot_engine: sa.Engine | None = None
        self._snapshot_engine_file: tuple[int, int, int] | None = None
        self._snapshot_seen: tuple[tuple[int, int, int], str] | None = None
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
            present = {
                row[0]
                for row in connection.exec_driver_sql(
                    "SELECT column_name FROM information_schema.columns "
                    f"WHERE table_name = 'seizures'{schema}"
                )
            }
            for column in seizures.columns:
                if column.name not in present:
                    kind = column.type.compile(dialect=self.engine.dialect)
                    connection.exec_driver_sql(
                        f'ALTER TABLE seizures ADD COLUMN "{column.name}" {kind}'
                    )

    def close(self) -> None:
        """Close every pooled connection now (on DuckDB: checkpoint and release the file)."""
        self.engine.dispose()
        if self._snapshot_engine is not None:
            self._snapshot_engine.dispose()

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
        """
        with self.transaction() as connection:
            writer = BatchWriter(self, connection)
            try:
                yield writer
            except BaseException:
                writer.close(failed=True)
                raise
            writer.close(failed=False)
            if not writer.finished:
                raise StoreError("the import batch was not finished; nothing was stored.")

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

    def log(self, connection: sa.Connection, action: str, detail: dict[str, Any]) -> None:
        """Write one audit event (who did what, when) inside the caller's transaction."""
        connection.execute(
            audit.insert().values(
                event_id=uuid.uuid4().hex,
                occurred_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
                actor=current_user(),
                action=action,
                detail=json.dumps(detail, ensure_ascii=False, default=str),
            )
        )

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
        with self.transaction() as connection:
            batch = connection.execute(
                sa.select(batches.c.batch_id, batches.c.file_name).where(
                    batches.c.batch_id == batch_id
                )
            ).first()
            if batch is None:
                raise StoreError(f"there is no import batch {batch_id!r} in {self.location}.")
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
            self.log(connection, "undo", result)
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
        """Return the batch that imported a file with this SHA-256, if any."""
        with self.engine.connect() as connection:
            row = (
                connection.execute(sa.select(batches).where(batches.c.sha256 == sha256))
                .mappings()
                .first()
            )
        return dict(row) if row else None

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
            "saved_by": current_user(),
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
        """Return the number of stored seizure records."""
        with self._reading() as connection:
            return int(
                connection.execute(sa.select(sa.func.count()).select_from(seizures)).scalar()
            )

    def batches(self) -> pd.DataFrame:
        """Return the import batches, newest first."""
        query = sa.select(
            batches.c.batch_id,
            batches.c.file_name,
            batches.c.sha256,
            batches.c.imported_at,
            batches.c.imported_by,
            batches.c.rows_read,
            batches.c.accepted,
            batches.c.quarantined,
            batches.c.duplicates,
        ).order_by(batches.c.imported_at.desc())
        with self._reading() as connection:
            return pd.read_sql(query, connection)

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
                for key, n in connection.execute(query)
            }

        with self._reading() as connection:
            total = int(
                connection.execute(sa.select(sa.func.count()).select_from(seizures)).scalar()
            )
            held = int(
                connection.execute(sa.select(sa.func.count()).select_from(quarantine)).scalar()
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
            return _missing_as_none(pd.read_sql(query, connection))

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
        statement = sa.text(sql).bindparams(**(params or {}))
        return self.read_frame(statement)  # type: ignore[arg-type]

    def iter_records(self, chunk_rows: int = 100_000) -> Iterator[pd.DataFrame]:
        """Yield every stored record in chunks (for exports of any size)."""
        columns = [c for c in seizures.c if c.name != "content_hash"]
        with self.engine.connect() as connection:
            result = connection.execution_options(yield_per=chunk_rows).execute(
                sa.select(*columns).order_by(seizures.c.seizure_date, seizures.c.record_id)
            )
            names = list(result.keys())
            for part in result.partitions(chunk_rows):
                yield _missing_as_none(pd.DataFrame(part, columns=names))

    def quarantined(self, batch_id: str | None = None) -> pd.DataFrame:
        """Return quarantined rows with their raw cells and reasons (decoded from JSON)."""
        query = sa.select(quarantine).order_by(quarantine.c.batch_id, quarantine.c.source_row)
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
        the version on every rerun.
        """
        with self._reading() as connection:
            version = _version(connection)
            if self._reads_snapshot and connection.engine is self.engine:
                if self._snapshot_version() != version:
                    self._refresh_snapshot(connection, blocking=False)
        return version

    # --- the snapshot (DuckDB files only) ----------------------------------------------

    @contextmanager
    def _reading(self) -> Iterator[sa.Connection]:
        """Yield a connection for a read: to the file, or to its snapshot while it is locked."""
        if not self._reads_snapshot:
            with self.engine.connect() as connection:
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

    def _has_snapshot(self) -> bool:
        return self.snapshot is not None and self.snapshot.exists()

    def _snapshot_reader(self) -> sa.Engine:
        """Return the engine on the snapshot file (a new one when the file was replaced since)."""
        found = _file_key(self.snapshot)
        with self._snapshot_lock:
            if self._snapshot_engine is None or self._snapshot_engine_file != found:
                if self._snapshot_engine is not None:
                    self._snapshot_engine.dispose()
                self._snapshot_engine = create_snapshot_engine(self.snapshot, self._idle_seconds)
                self._snapshot_engine_file = found
            return self._snapshot_engine

    def _snapshot_version(self) -> str | None:
        """Return the data version of the snapshot file (read again only when it changed)."""
        key = _file_key(self.snapshot)
        if key is None:
            return None
        if self._snapshot_seen is None or self._snapshot_seen[0] != key:
            with self._snapshot_reader().connect() as connection:
                self._snapshot_seen = (key, _version(connection))
        return self._snapshot_seen[1]

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
                self._snapshot_seen = (_file_key(self.snapshot), version)
        except Exception:
            return
        finally:
            self._writing.release()

    def _path(self) -> Path:
        return Path(sa.engine.make_url(self.url).database)


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


def open_store(location: str | None = None, snapshots: bool = False) -> Store:
    """Open (creating if needed) the store at ``location`` or the default location.

    Parameters
    ----------
    location : str, optional
        DuckDB path or PostgreSQL URL; default ``$SEIZURES_DB`` or the user data directory.
    snapshots : bool
        Read a snapshot while another process holds a DuckDB file (see :class:`Store`).

    Returns
    -------
    Store
        The opened store.
    """
    from geo.paths import default_db

    return Store(location or default_db(), snapshots=snapshots)
