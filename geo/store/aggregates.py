"""The store's aggregates: small frames computed in SQL, from which pages and briefings draw.

Every function takes the store and a :class:`~geo.store.query.Query` and runs one
GROUP BY (or a capped SELECT) with the same WHERE as every other view
(:func:`geo.store.filters.where_clauses`), on DuckDB and PostgreSQL alike.  A grouped frame
has one row per distinct combination of the asked columns, with ``weight`` (how many
records it stands for) and ``quantity`` (their quantities added up; group by ``unit`` too,
since quantities in different units are never added).  The analysis functions accept such
frames wherever they accept records: a record is a group of weight one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import sqlalchemy as sa

from geo.schema import SYNTHETIC_SOURCE
from geo.store.filters import where_clauses
from geo.store.query import Query
from geo.store.store import Store
from geo.store.tables import seizures

__all__ = [
    "MONTH",
    "SEARCHED_COLUMNS",
    "count",
    "counted",
    "filter_options",
    "grouped",
    "latest",
    "margins",
    "search",
]

# A pseudo-column for :func:`grouped`: the first day of the seizure's month, returned as
# ``seizure_date`` so that month-level analysis reads it like a record's date.
MONTH = "month"

SEARCHED_COLUMNS = (
    "record_id", "taxon", "location_name", "notes", "seizing_country", "commodity",
    "origin_countries", "destination_country",
)  # fmt: skip

_LIST_COLUMNS = ("origin_countries", "transit_countries")


def grouped(
    store: Store,
    query: Query | None,
    columns: list[str] | tuple[str, ...],
    *,
    border_km: float | None = None,
) -> pd.DataFrame:
    """Return the distinct combinations of some columns among a query's records, counted.

    Parameters
    ----------
    store : Store
        The store.
    query : Query or None
        The filters (``None``: every record).
    columns : sequence of str
        Record columns to group by, and optionally :data:`MONTH` (the seizure's month,
        returned as ``seizure_date``, a ``datetime.date`` on the first of the month).
    border_km : float, optional
        Keep only records within this distance of their nearest land border, whichever
        pair it is (the species page compares all borders).

    Returns
    -------
    pandas.DataFrame
        The columns asked for (text as object with None for NULL), ``weight`` (int64: the
        records of the group) and ``quantity`` (float64: their quantities added up, NaN
        when none has one).  Unordered.
    """
    statement = _grouping(
        query, columns, border_km, sa.func.sum(seizures.c.quantity).label("quantity")
    )
    frame = store.read_frame(statement)
    for name in frame.columns:
        if name not in ("weight", "quantity", "seizure_date"):
            frame[name] = _as_text(frame[name])
    frame["weight"] = frame["weight"].astype("int64")
    frame["quantity"] = pd.to_numeric(frame["quantity"], errors="coerce").astype("float64")
    if "seizure_date" in frame:
        frame["seizure_date"] = [
            value.date() if isinstance(value, dt.datetime) else value
            for value in frame["seizure_date"].astype(object)
        ]
        frame["seizure_date"] = (
            frame["seizure_date"].astype(object).where(frame["seizure_date"].notna(), None)
        )
    return frame


def counted(
    store: Store, query: Query | None, columns: list[str] | tuple[str, ...]
) -> pd.DataFrame:
    """Return the distinct combinations of some columns among a query's records, counted.

    :func:`grouped` without ``quantity`` and with text left as the store reads it, for
    analysis that works on whole columns (:mod:`geo.analysis.flows`): turning tens of
    thousands of rows of text into Python objects would cost it more than its own work.

    Parameters
    ----------
    store : Store
        The store.
    query : Query or None
        The filters (``None``: every record).
    columns : sequence of str
        Record columns to group by, and optionally :data:`MONTH` (returned as
        ``seizure_date``, as the database gives it).

    Returns
    -------
    pandas.DataFrame
        The columns asked for (text as pandas strings, missing for NULL, the same on both
        engines) and ``weight`` (int64: the records of the group).  Unordered.
    """
    frame = store.read_frame(_grouping(query, columns, None))
    frame["weight"] = frame["weight"].astype("int64")
    return frame


# A record's taxa, ";"-joined: the taxon, then its other_taxa for a seizure of several.  The
# analysis counts such a record once under each taxon (geo.analysis.breakdowns, trends).
_ALL_TAXA = sa.case(
    (seizures.c.other_taxa.is_(None), seizures.c.taxon),
    else_=seizures.c.taxon + sa.literal(";") + seizures.c.other_taxa,
)


def _grouping(
    query: Query | None,
    columns: list[str] | tuple[str, ...],
    border_km: float | None,
    *totals: sa.ColumnElement,
) -> sa.Select:
    """Return the GROUP BY of :func:`grouped` and :func:`counted`: ``weight``, then ``totals``."""
    if not columns:
        raise ValueError("a grouped count needs at least one column to group by")
    dimensions = []
    for name in columns:
        if name == MONTH:
            month = sa.func.date_trunc("month", seizures.c.seizure_date)
            dimensions.append(sa.cast(month, sa.Date).label("seizure_date"))
        elif name == "taxon":
            dimensions.append(_ALL_TAXA.label("taxon"))
        elif name in seizures.c and name != "content_hash":
            dimensions.append(seizures.c[name])
        else:
            raise ValueError(f"cannot group by {name!r}: it is not a record column")
    statement = sa.select(*dimensions, sa.func.count().label("weight"), *totals).group_by(
        *dimensions
    )
    conditions = where_clauses(query) if query is not None else []
    if border_km is not None:
        conditions.append(seizures.c.border_distance_km <= float(border_km))
    if conditions:
        statement = statement.where(*conditions)
    return statement


def count(store: Store, query: Query | None) -> int:
    """Return how many records a query selects (one ``SELECT count(*)``)."""
    statement = _filtered(sa.select(sa.func.count().label("n")).select_from(seizures), query)
    return int(store.read_frame(statement)["n"].iloc[0])


def synthetic_share(store: Store, query: Query | None) -> tuple[int, int]:
    """Return how many of a query's records are synthetic, and how many it selects.

    Synthetic records (the shipped sample, ``seizures sample``) say so in ``source``
    (:data:`geo.schema.SYNTHETIC_SOURCE`).  One scan: ``count(*) FILTER (WHERE ...)``.
    """
    statement = sa.select(
        sa.func.count().filter(seizures.c.source == SYNTHETIC_SOURCE).label("synthetic"),
        sa.func.count().label("n"),
    ).select_from(seizures)
    row = store.read_frame(_filtered(statement, query)).iloc[0]
    return int(row["synthetic"]), int(row["n"])


def margins(
    store: Store, query: Query | None, columns: list[str] | tuple[str, ...]
) -> dict[str, pd.DataFrame]:
    """Return each column's own counts among a query's records, in one scan.

    Parameters
    ----------
    store : Store
        The store.
    query : Query or None
        The filters.
    columns : sequence of str
        Record columns.

    Returns
    -------
    dict of str to pandas.DataFrame
        For each column, a frame of its distinct values (None for NULL) with ``weight``
        and ``quantity``, as :func:`grouped` would give for that column alone.  One
        ``GROUP BY GROUPING SETS`` computes them all.
    """
    dimensions = []
    for name in columns:
        if name not in seizures.c or name == "content_hash":
            raise ValueError(f"cannot count by {name!r}: it is not a record column")
        dimensions.append(seizures.c[name])
    flags = [sa.func.grouping(column).label(f"_grouping_{column.name}") for column in dimensions]
    statement = sa.select(
        *dimensions,
        *flags,
        sa.func.count().label("weight"),
        sa.func.sum(seizures.c.quantity).label("quantity"),
    ).group_by(sa.func.grouping_sets(*(sa.tuple_(column) for column in dimensions)))
    frame = store.read_frame(_filtered(statement, query))
    weight = frame["weight"].to_numpy(dtype="int64")
    quantity = pd.to_numeric(frame["quantity"], errors="coerce").to_numpy(dtype="float64")
    result = {}
    for name in columns:
        # GROUPING(column) is 0 on the rows grouped by that column (1 where it is rolled up).
        rows = frame[f"_grouping_{name}"].to_numpy(dtype="int64") == 0
        values = frame[name].to_numpy(dtype=object, na_value=None)[rows]
        result[name] = pd.DataFrame(
            {name: values, "weight": weight[rows], "quantity": quantity[rows]}
        )
    return result


def latest(store: Store, query: Query, n: int, columns: list[str]) -> pd.DataFrame:
    """Return the ``n`` newest records a query selects, with only ``columns``.

    Parameters
    ----------
    store : Store
        The store.
    query : Query
        The filters.
    n : int
        How many records (newest seizure date first, ties by record id).
    columns : list of str
        The record columns to return.

    Returns
    -------
    pandas.DataFrame
        At most ``n`` rows; text as object with None for NULL.
    """
    if not isinstance(n, int) or n < 0:
        raise ValueError(f"n should be a non-negative int, got {n!r}")
    frame = store.select(query, columns=list(columns), limit=n) if n else None
    if frame is None:
        return pd.DataFrame({name: [] for name in columns})
    _text_as_objects(frame)
    return frame


def search(
    store: Store, query: Query, text: str, columns: list[str], limit: int
) -> tuple[pd.DataFrame, int]:
    """Return the records where every word of ``text`` is in one of the searched columns.

    Parameters
    ----------
    store : Store
        The store.
    query : Query
        The filters; the search narrows them.
    text : str
        Words (case-insensitive, plain text: ``%`` and ``_`` match themselves).
    columns : list of str
        The record columns to return.
    limit : int
        At most this many rows, newest first.

    Returns
    -------
    frame : pandas.DataFrame
        The matching records, newest first, at most ``limit``.
    total : int
        How many records match in all.
    """
    conditions = where_clauses(query)
    for word in text.casefold().split():
        pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conditions.append(
            sa.or_(
                *(
                    sa.func.lower(seizures.c[name]).like(pattern, escape="\\")
                    for name in SEARCHED_COLUMNS
                )
            )
        )
    counted = sa.select(sa.func.count().label("n")).select_from(seizures)
    if conditions:
        counted = counted.where(*conditions)
    total = int(store.read_frame(counted)["n"].iloc[0])
    statement = (
        sa.select(*(seizures.c[name] for name in columns))
        .order_by(seizures.c.seizure_date.desc(), seizures.c.record_id)
        .limit(limit)
    )
    if conditions:
        statement = statement.where(*conditions)
    frame = store.read_frame(statement)
    _text_as_objects(frame)
    return frame, total


def filter_options(store: Store) -> dict[str, Any]:
    """Return the values present in the store, for the filter widgets.

    Returns
    -------
    dict
        ``first`` and ``last`` seizure dates (None for an empty store); ``taxa``,
        ``pairs`` and ``commodities``, most frequent first; ``countries``: every ISO-2 code
        named in any role (sorted by code; callers sort by name).
    """
    dates = store.read_frame(
        sa.select(
            sa.func.min(seizures.c.seizure_date).label("first"),
            sa.func.max(seizures.c.seizure_date).label("last"),
        )
    )
    result: dict[str, Any] = {
        "first": _as_date(dates["first"].iloc[0]) if len(dates) else None,
        "last": _as_date(dates["last"].iloc[0]) if len(dates) else None,
    }
    for key, name in (("taxa", "taxon"), ("pairs", "border_pair"), ("commodities", "commodity")):
        column = seizures.c[name]
        counted = store.read_frame(
            sa.select(column.label("value"), sa.func.count().label("n"))
            .where(column.is_not(None))
            .group_by(column)
            .order_by(sa.func.count().desc(), column)
        )
        result[key] = [str(value) for value in counted["value"]]
    codes: set[str] = set()
    for name in ("seizing_country", "export_country", "destination_country", *_LIST_COLUMNS):
        column = seizures.c[name]
        values = store.read_frame(
            sa.select(column.label("value")).where(column.is_not(None)).distinct()
        )["value"]
        for value in values:
            codes.update(part.strip() for part in str(value).split(";") if part.strip())
    result["countries"] = sorted(codes)
    return result


def _filtered(statement: sa.Select, query: Query | None) -> sa.Select:
    """Add the query's WHERE conditions to a statement (none for ``None``)."""
    conditions = where_clauses(query) if query is not None else []
    return statement.where(*conditions) if conditions else statement


def _text_as_objects(frame: pd.DataFrame) -> None:
    """Give a frame's text columns ``None`` for NULL, as object dtype (in place)."""
    for name in frame.columns:
        if pd.api.types.is_string_dtype(frame[name]) or frame[name].dtype == object:
            frame[name] = _as_text(frame[name])


def _as_text(values: pd.Series) -> pd.Series:
    values = values.astype(object)
    return values.where(values.notna(), None)


def _as_date(value: object) -> dt.date | None:
    if value is None or (not isinstance(value, dt.date) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp | dt.datetime):
        return value.date()
    return value
