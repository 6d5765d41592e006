"""Copy a whole store to another engine (DuckDB file to PostgreSQL, or back), verified.

Every table (seizures, quarantine, duplicates, batches, audit, mappings and meta) is read from
the source in chunks, from one consistent snapshot, and written to the target with the store's
bulk load (Arrow on DuckDB, COPY on PostgreSQL) inside one transaction: a failure, or a row
count that does not match, leaves the target as it was.  The target must be empty.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pandas as pd
import sqlalchemy as sa

from geo.store.bulk import frame_from_rows
from geo.store.store import Store, StoreError
from geo.store.tables import audit, batches, duplicates, mappings, meta, quarantine, seizures

__all__ = ["TABLES", "migrate_store"]

TABLES = (batches, seizures, quarantine, duplicates, audit, mappings, meta)
"""The tables a migration copies, in the order it copies them."""

CHUNK_ROWS = 50_000


def _shown(location: str) -> str:
    """Return a store location fit to print, with a URL's password hidden."""
    if "://" not in location or sa.engine.make_url(location).password is None:
        return location
    return sa.engine.make_url(location).render_as_string(hide_password=True)


def _counts(connection: sa.Connection) -> dict[str, int]:
    return {
        table.name: int(
            connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
        )
        for table in TABLES
    }


def _source_columns(connection: sa.Connection, table: sa.Table) -> list[sa.Column]:
    """Return the columns the source table has (older stores may lack some)."""
    # not sa.inspect(): duckdb-engine's reflection queries catalogue tables DuckDB 2 lacks
    present = set(connection.exec_driver_sql(f'SELECT * FROM "{table.name}" LIMIT 0').keys())
    return [column for column in table.c if column.name in present]


def _chunks(
    store: Store, connection: sa.Connection, table: sa.Table, chunk_rows: int
) -> Iterator[pd.DataFrame]:
    """Yield the source table's rows as frames of at most ``chunk_rows`` rows."""
    columns = _source_columns(connection, table)
    if store.dialect == "duckdb":
        raw = connection.connection.driver_connection
        quoted = ", ".join(f'"{column.name}"' for column in columns)
        reader = raw.sql(f'SELECT {quoted} FROM "{table.name}"').to_arrow_reader(chunk_rows)
        for batch in reader:
            yield batch.to_pandas(date_as_object=True)
        return
    result = connection.execution_options(yield_per=chunk_rows).execute(sa.select(*columns))
    names = list(result.keys())
    codes = [column.type_code for column in result.cursor.description]
    for part in result.partitions(chunk_rows):
        yield frame_from_rows(names, codes, part)


def migrate_store(
    source: str,
    target: str,
    chunk_rows: int = CHUNK_ROWS,
    progress: Callable[[str, int, int], Any] | None = None,
) -> dict[str, Any]:
    """Copy every table of one store into an empty store, then verify the row counts.

    Parameters
    ----------
    source, target : str
        Store locations: a DuckDB file path or a ``postgresql://`` URL, either way round.
        The target is created if missing and must hold no rows.
    chunk_rows : int
        Rows read and written per step (bounds memory).
    progress : callable, optional
        Called with (table name, rows copied, rows in the table) after each chunk.

    Returns
    -------
    dict
        ``from``, ``to`` (passwords hidden), ``tables`` (name → rows in the target, counted
        after the commit) and ``verified`` (always true: a mismatch raises).

    Raises
    ------
    StoreError
        If a store cannot be opened, source and target are the same store, the target is not
        empty, or a count differs after the copy (the target is then left unchanged).
    """
    source_store, target_store = Store(source), Store(target)
    try:
        if source_store.url == target_store.url:
            raise StoreError(f"the source and the target are the same store ({_shown(source)}).")
        with target_store.engine.connect() as connection:
            held = {name: n for name, n in _counts(connection).items() if n}
        if held:
            listed = ", ".join(f"{name}: {n:,} rows" for name, n in held.items())
            raise StoreError(
                f"the target store {_shown(target)} is not empty ({listed}); "
                "migrate only into a new, empty store."
            )
        reading = source_store.engine.connect()
        if source_store.dialect == "postgresql":
            # one snapshot: rows imported meanwhile are neither half copied nor miscounted
            reading = reading.execution_options(isolation_level="REPEATABLE READ")
        with reading as connection, connection.begin():
            expected = _counts(connection)
            with target_store.transaction() as writing:
                for table in TABLES:
                    done = 0
                    for frame in _chunks(source_store, connection, table, chunk_rows):
                        target_store.insert_frame(writing, table, frame)
                        done += len(frame)
                        if progress:
                            progress(table.name, done, expected[table.name])
                copied = _counts(writing)
                if copied != expected:
                    raise StoreError(
                        f"the copy does not match its source (source {expected}, copy "
                        f"{copied}); nothing was written to {_shown(target)}."
                    )
        with target_store.engine.connect() as connection:
            stored = _counts(connection)
        if stored != expected:
            raise StoreError(
                f"after the commit {_shown(target)} holds {stored}, not the source's {expected}."
            )
    finally:
        source_store.close()
        target_store.close()
    return {"from": _shown(source), "to": _shown(target), "tables": stored, "verified": True}
