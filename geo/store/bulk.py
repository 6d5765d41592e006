r"""Frames in and out of PostgreSQL in bulk: COPY for loads and updates, Arrow for reads.

Loads go through ``COPY ... FROM STDIN (FORMAT csv)``, the CSV written by Arrow's C++ writer
from a table cast to the target columns' types.  That keeps every value exact: Arrow quotes
every string and writes SQL NULL as an unquoted empty field, so an empty string stays an empty
string; quotes are doubled; tabs, newlines, backslashes and ``\.`` need no escaping inside
quotes; doubles are written in their shortest round-trip form; dates as ISO dates.  It is
several times faster than ``write_row`` per row, which spends its time in Python.

Reads build an Arrow table from the fetched rows with the selected columns' types, then a
frame the same way the DuckDB store does, so both engines hand callers the same dtypes.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Sequence
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import sqlalchemy as sa

__all__ = ["copy_frame", "copy_update", "frame_from_rows", "record_schema"]

_COPY_BATCH_ROWS = 20_000


def _arrow_type(sql_type: Any) -> pa.DataType | None:
    """Return the Arrow type that holds a SQLAlchemy type's values exactly, if one is known."""
    if isinstance(sql_type, sa.Boolean):
        return pa.bool_()
    if isinstance(sql_type, sa.Date):
        return pa.date32()
    if isinstance(sql_type, sa.DateTime):
        return pa.timestamp("us")
    if isinstance(sql_type, sa.BigInteger):
        return pa.int64()
    if isinstance(sql_type, sa.SmallInteger):
        return pa.int16()
    if isinstance(sql_type, sa.Integer):
        return pa.int32()
    if isinstance(sql_type, sa.Float | sa.Double):
        return pa.float64()
    if isinstance(sql_type, sa.String):  # Text included
        return pa.string()
    return None


def _cast_column(values: pa.ChunkedArray, target: pa.DataType | None) -> pa.ChunkedArray:
    if target is None or values.type == target:
        return values
    if pa.types.is_null(values.type):
        return pa.chunked_array([pa.nulls(len(values), target)])
    if pa.types.is_timestamp(values.type) and pa.types.is_date(target):
        # a datetime column for a DATE column: keep the calendar day, as the database would
        return pc.cast(values, target, safe=False)
    return pc.cast(values, target)


def _arrow_for(table: sa.Table, frame: pd.DataFrame) -> pa.Table:
    arrow = pa.Table.from_pandas(frame, preserve_index=False)
    return pa.table(
        [_cast_column(arrow[name], _arrow_type(table.c[name].type)) for name in frame.columns],
        names=list(frame.columns),
    )


def _copy_arrow(connection: sa.Connection, table_name: str, arrow: pa.Table) -> None:
    raw = connection.connection.driver_connection
    columns = ", ".join(f'"{name}"' for name in arrow.column_names)
    options = pa_csv.WriteOptions(include_header=False, quoting_style="needed")
    with (
        raw.cursor() as cursor,
        cursor.copy(f'COPY "{table_name}" ({columns}) FROM STDIN (FORMAT csv)') as copy,
    ):
        for batch in arrow.to_batches(max_chunksize=_COPY_BATCH_ROWS):
            buffer = io.BytesIO()
            pa_csv.write_csv(batch, buffer, write_options=options)
            copy.write(buffer.getbuffer())


def copy_frame(connection: sa.Connection, table: sa.Table, frame: pd.DataFrame) -> None:
    """Append a frame to a PostgreSQL table with COPY, inside the caller's transaction.

    Parameters
    ----------
    connection : sqlalchemy.Connection
        An open psycopg 3 connection (in a transaction: the rows commit with it).
    table : sqlalchemy.Table
        The target; every column of ``frame`` must be one of its columns.
    frame : DataFrame
        The rows.  Missing values (``None``, NaN, NA, NaT) become SQL NULL.
    """
    if frame.empty:
        return
    _copy_arrow(connection, table.name, _arrow_for(table, frame))


def copy_update(connection: sa.Connection, table: sa.Table, frame: pd.DataFrame, key: str) -> None:
    """Set the columns of ``frame`` on the rows of a PostgreSQL table that ``key`` names.

    The frame is copied into a temporary table of the same column types, then applied with
    one ``UPDATE ... FROM``, inside the caller's transaction.

    Parameters
    ----------
    connection : sqlalchemy.Connection
        An open psycopg 3 connection in a transaction.
    table : sqlalchemy.Table
        The table to update.
    frame : DataFrame
        ``key`` and the columns to set.
    key : str
        The column that identifies rows (unique in ``frame``).
    """
    if frame.empty:
        return
    columns = [name for name in frame.columns if name != key]
    temporary = f"_update_{uuid.uuid4().hex}"
    selected = ", ".join(f'"{name}"' for name in [key, *columns])
    connection.exec_driver_sql(
        f'CREATE TEMPORARY TABLE "{temporary}" ON COMMIT DROP AS '
        f'SELECT {selected} FROM "{table.name}" WITH NO DATA'
    )
    _copy_arrow(connection, temporary, _arrow_for(table, frame[[key, *columns]]))
    connection.exec_driver_sql(f'ANALYZE "{temporary}"')
    assignments = ", ".join(f'"{name}" = u."{name}"' for name in columns)
    connection.exec_driver_sql(
        f'UPDATE "{table.name}" AS t SET {assignments} FROM "{temporary}" AS u '
        f'WHERE t."{key}" = u."{key}"'
    )
    connection.exec_driver_sql(f'DROP TABLE "{temporary}"')


# PostgreSQL type OIDs (pg_type) of what a seizure query returns, and their Arrow twins
_POSTGRES_TYPES = {
    16: pa.bool_(),
    20: pa.int64(),
    21: pa.int16(),
    23: pa.int32(),
    25: pa.string(),
    700: pa.float32(),
    701: pa.float64(),
    1042: pa.string(),
    1043: pa.string(),
    1082: pa.date32(),
    1114: pa.timestamp("us"),
}


def frame_from_rows(
    names: Sequence[str], type_codes: Sequence[int | None], rows: Sequence[Sequence[Any]]
) -> pd.DataFrame:
    """Return fetched PostgreSQL rows as the frame a DuckDB store gives for the same query.

    Parameters
    ----------
    names : sequence of str
        Column names.
    type_codes : sequence of int
        The columns' PostgreSQL type OIDs (``cursor.description[i].type_code``); other types
        are inferred from the values, and NUMERIC becomes int64 when whole, else float64.
    rows : sequence of tuples
        The rows.

    Returns
    -------
    DataFrame
        Text in string columns (missing as NA), NaN in numbers, dates as ``datetime.date``.
    """
    arrays = []
    for index, code in enumerate(type_codes):
        values = [row[index] for row in rows]
        target = _POSTGRES_TYPES.get(code)
        try:
            array = pa.array(values, type=target)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            array = pa.array(values)
        if pa.types.is_decimal(array.type):
            whole = array.type.scale == 0
            array = pc.cast(array, pa.int64() if whole else pa.float64(), safe=not whole)
        arrays.append(array)
    return pa.table(arrays, names=list(names)).to_pandas(date_as_object=True)


def _exact_arrow_type(column: sa.Column) -> pa.DataType:
    kind = column.type
    if isinstance(kind, sa.Boolean):
        return pa.bool_()
    if isinstance(kind, sa.Date):
        return pa.date32()
    if isinstance(kind, sa.BigInteger):
        return pa.int64()
    if isinstance(kind, sa.Integer):
        return pa.int32()
    if isinstance(kind, sa.Float | sa.Double):
        return pa.float64()
    return pa.string()


def record_schema() -> pa.Schema:
    """Return the ``seizures`` table's columns as Arrow types that hold their values exactly."""
    from geo.store.tables import seizures

    return pa.schema([pa.field(column.name, _exact_arrow_type(column)) for column in seizures.c])
