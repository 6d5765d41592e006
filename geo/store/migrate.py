"""Copy a whole store to another engine (DuckDB file to PostgreSQL, or back), verified.

Every table (seizures, quarantine, duplicates, batches, audit, users, mappings and meta) is
read from the source in chunks, from one consistent snapshot, and written to the target with
the store's bulk load (Arrow on DuckDB, COPY on PostgreSQL) inside one transaction: a failure,
or a row count that does not match, leaves the target as it was.  The target must be empty.

The copy is raw (every record, whoever may see it, and the users with their password hashes),
so a source with users is copied only for one of its admins, and the copy is an audit event
of the source (``migrate``: who, where to, how many records).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pandas as pd
import sqlalchemy as sa

from geo.store.access import AccessDenied, Principal
from geo.store.bulk import frame_from_rows
from geo.store.store import Store, StoreError
from geo.store.tables import (
    audit,
    batches,
    duplicates,
    mappings,
    meta,
    quarantine,
    seizures,
    users,
)

__all__ = ["TABLES", "migrate_store"]

TABLES = (batches, seizures, quarantine, duplicates, audit, users, mappings, meta)
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
    principal: Principal | None = None,
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
    principal : Principal, optional
        Who copies: needed, and an admin, when the source has users (sign them in against
        the source first); ignored for a source without users.

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
    AccessDenied
        If the source has users and ``principal`` is not one of its admins.
    """
    source_store, target_store = Store(source), Store(target)
    try:
        if source_store.url == target_store.url:
            raise StoreError(f"the source and the target are the same store ({_shown(source)}).")
        with source_store.engine.connect() as connection:  # raw, as the copy reads
            guarded = connection.execute(sa.select(users.c.name).limit(1)).first() is not None
        if guarded:
            _require_admin(principal)
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
            if expected[users.name] and not guarded:  # users added since the check above
                guarded = True
                _require_admin(principal)
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
        if guarded:
            assert principal is not None
            source_store.audit_event(
                "migrate",
                {"to": _shown(target), "tables": stored},
                records=stored[seizures.name],
                actor=principal.name,
            )
    finally:
        source_store.close()
        target_store.close()
    return {"from": _shown(source), "to": _shown(target), "tables": stored, "verified": True}


def _require_admin(principal: Principal | None) -> None:
    """Refuse the copy of a store with users unless an admin of it asked for it."""
    what = "copy a store with users (every record, user and password hash)"
    if principal is None or principal.name == Principal.nobody().name:
        raise AccessDenied(
            f"only an admin of the source may {what}: sign in with --user NAME and "
            "--password-stdin."
        )
    principal.require("users", what)
