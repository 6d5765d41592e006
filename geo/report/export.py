"""Exports: records (filtered like any view) as CSV, XLSX or GeoJSON, and quarantined rows.

CSV and XLSX are safe to open in a spreadsheet (:func:`neutralise_formulas`).  The CITES
annual illegal trade report is :mod:`geo.report.aitr`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd

from geo.labels import field_label
from geo.schema import EXPORT_FIELDS, FIELDS
from geo.store import aggregates
from geo.store.query import Query
from geo.store.store import Store

__all__ = [
    "CHUNK_ROWS",
    "EXPORT_FORMATS",
    "FORMULA_PREFIXES",
    "export_bytes",
    "export_quarantine",
    "export_records",
    "neutralise_formulas",
    "record_chunks",
    "records_csv",
    "xlsx_row",
]

EXPORT_FORMATS = ("csv", "xlsx", "geojson")
# Records read at a time: an export of any size holds about this many in memory.
CHUNK_ROWS = 100_000

# Spreadsheets run a cell starting with these as a formula (CSV/formula injection, OWASP).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_NUMERIC = {name for name, kind in FIELDS.items() if kind == "float"} | {"border_distance_km"}
# Every line break a spreadsheet, or a program splitting lines, may start a new row at.
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
_RISKY_LINE = re.compile("(?:^|\n)[=+\\-@\t]")
# ``-3.2`` or ``+12`` is a number to a spreadsheet, not a formula.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
# The CSV dialect of every export: a cell holding a line break is quoted.
_CSV = {"quoting": csv.QUOTE_MINIMAL, "lineterminator": "\r\n"}


def neutralise_formulas(
    frame: pd.DataFrame, numeric: set[str] | frozenset = frozenset()
) -> pd.DataFrame:
    r"""Write text cells so that no line of them runs as a formula in a spreadsheet.

    Line breaks (CRLF, CR, vertical tab, form feed, NEL, Unicode line and paragraph
    separators) become ``\n``; then the cell, and every line in it, that starts with
    ``=``, ``+``, ``-``, ``@`` or a tab gets an apostrophe in front, unless the line is a
    plain number.  The importer drops that apostrophe again, so a file corrected in a
    spreadsheet imports as it was exported.

    Parameters
    ----------
    frame : DataFrame
        The table to export.
    numeric : set of str
        Columns holding numbers; they are left alone.

    Returns
    -------
    DataFrame
        A copy with ``=HYPERLINK(...)`` written as ``'=HYPERLINK(...)`` and
        ``"note\r=cmd"`` as ``"note\n'=cmd"``; ``-3.2`` stays ``-3.2``, even as text.
    """
    safe = frame.copy()
    for column in safe.columns:
        values = safe[column]
        if column in numeric or not (
            values.dtype == object or pd.api.types.is_string_dtype(values)
        ):
            continue
        safe[column] = _safe_column(values)
    return safe


def _safe_column(values: pd.Series) -> pd.Series:
    try:
        # Once per distinct value: exports repeat the same countries and species.
        codes, distinct = pd.factorize(values, use_na_sentinel=True)
    except TypeError:  # unhashable cells (lists): one by one
        return values.map(lambda v: _safe_text(v) if isinstance(v, str) else v)
    cleaned = np.empty(len(distinct) + 1, dtype=object)
    cleaned[:-1] = [_safe_text(v) if isinstance(v, str) else v for v in distinct]
    cleaned[-1] = None  # code -1, a missing cell, takes the last slot
    return pd.Series(cleaned[codes], index=values.index, dtype=object)


def _safe_text(text: str) -> str:
    text = _LINE_BREAKS.sub("\n", text)
    if not _RISKY_LINE.search(text):
        return text
    return "\n".join(
        "'" + line
        if line.startswith(FORMULA_PREFIXES) and not _PLAIN_NUMBER.fullmatch(line)
        else line
        for line in text.split("\n")
    )


def _prepare(chunk: pd.DataFrame) -> pd.DataFrame:
    frame = _with_text_dates(chunk)
    return neutralise_formulas(frame, _NUMERIC)


def _with_text_dates(chunk: pd.DataFrame) -> pd.DataFrame:
    """Return the export columns, in order, with the seizure date as ISO text."""
    frame = chunk.reindex(columns=list(EXPORT_FIELDS))
    frame["seizure_date"] = pd.to_datetime(frame["seizure_date"]).dt.strftime("%Y-%m-%d")
    return frame


def export_records(
    store: Store,
    out: str | Path,
    file_format: str = "csv",
    query: Query | None = None,
) -> int:
    """Write the records a query selects, one row (or feature) each, with the record fields.

    Parameters
    ----------
    store : Store
        The store to read.
    out : str or Path
        The file to write.
    file_format : {"csv", "xlsx", "geojson"}
        CSV (UTF-8 with BOM so that spreadsheets read accents and Chinese), XLSX, or GeoJSON
        (RFC 7946: WGS84 longitude, latitude; records without coordinates are left out).
        The CITES annual illegal trade report is :func:`geo.report.aitr.write_aitr`.
    query : Query, optional
        The filters, as the dashboard's; ``None`` writes every record.

    Returns
    -------
    int
        The number of records written (features, for GeoJSON).
    """
    writer = _writer(file_format)
    store.principal.require("export", "export records")
    with open(Path(out), "wb") as handle:
        written = writer(store, query, handle)
    audit_export(store, file_format, written, query)
    return written


def export_bytes(store: Store, query: Query | None, file_format: str) -> bytes:
    """Return the records a query selects as file contents, for a download button.

    Parameters
    ----------
    store : Store
        The store to read.
    query : Query or None
        The filters (``None``: every record).
    file_format : {"csv", "xlsx", "geojson"}
        As :func:`export_records` writes them.

    Returns
    -------
    bytes
        The whole file.
    """
    writer = _writer(file_format)
    store.principal.require("export", "export records")
    buffer = io.BytesIO()
    writer(store, query, buffer)
    return buffer.getvalue()


def audit_export(
    store: Store,
    file_format: str,
    records: int,
    query: Query | None = None,
    action: str = "export",
    **detail: object,
) -> None:
    """Log that records left the store: who, which format, which filters, how many.

    Writers of files call it; for a download button the dashboard calls it when the
    button is pressed (the bytes may have been prepared once for several downloads).
    """
    filters = query.to_params() if query is not None else {}
    store.audit_event(
        action, {"format": file_format, "filters": filters, **detail}, records=int(records)
    )


def _writer(file_format: str) -> Callable[[Store, Query | None, BinaryIO], int]:
    writers = dict(zip(EXPORT_FORMATS, (_write_csv, _write_xlsx, _write_geojson), strict=True))
    if file_format not in writers:
        raise ValueError(
            f"export format {file_format!r} is not supported ({', '.join(EXPORT_FORMATS)}; "
            "the CITES annual illegal trade report is geo.report.aitr.write_aitr)"
        )
    return writers[file_format]


def record_chunks(store: Store, query: Query | None) -> Iterator[pd.DataFrame]:
    """Yield the records a query selects, oldest first, in chunks of bounded size.

    The store filters (the same WHERE as every view); the chunks are consecutive date
    windows of about :data:`CHUNK_ROWS` records each, found from the query's records per
    month, so an export of a million records never holds them all at once.

    Parameters
    ----------
    store : Store
        The store to read.
    query : Query or None
        The filters (``None``: every record).

    Yields
    ------
    DataFrame
        The export columns of the records of one window, by seizure date then record id.
    """
    query = query if query is not None else Query()
    for window in _date_windows(store, query):
        frame = store.select(window, columns=list(EXPORT_FIELDS), order_by_date=False)
        if len(frame):
            yield frame.sort_values(["seizure_date", "record_id"], kind="stable")


def _date_windows(store: Store, query: Query) -> Iterator[Query]:
    """Cut a query's period into windows of whole months holding about CHUNK_ROWS records."""
    months = aggregates.grouped(store, query, [aggregates.MONTH])
    if months["seizure_date"].isna().any():  # undated records fit in no window
        yield query
        return
    months = months.sort_values("seizure_date")
    cuts: list[dt.date] = []
    held = 0
    # No cut after the last month: the last window runs to the query's own end.
    for first_day, weight in zip(months["seizure_date"][:-1], months["weight"][:-1], strict=True):
        held += int(weight)
        if held >= CHUNK_ROWS:
            cuts.append(_month_end(first_day))
            held = 0
    starts = [query.date_from, *(cut + dt.timedelta(days=1) for cut in cuts)]
    for start, end in zip(starts, [*cuts, query.date_to], strict=True):
        yield query.with_changes(date_from=start, date_to=end)


def _month_end(first_day: dt.date) -> dt.date:
    following = (first_day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def _write_csv(store: Store, query: Query | None, handle: BinaryIO) -> int:
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
    count = 0
    header = True
    for chunk in record_chunks(store, query):
        _prepare(chunk).to_csv(text, index=False, header=header, **_CSV)
        header = False
        count += len(chunk)
    if header:
        pd.DataFrame(columns=list(EXPORT_FIELDS)).to_csv(text, index=False, **_CSV)
    text.flush()
    text.detach()  # the caller owns the handle
    return count


def _write_xlsx(store: Store, query: Query | None, handle: BinaryIO) -> int:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("seizures")
    sheet.append(list(EXPORT_FIELDS))
    count = 0
    for chunk in record_chunks(store, query):
        frame = _prepare(chunk).astype(object)
        for row in frame.where(frame.notna(), None).itertuples(index=False):
            sheet.append(xlsx_row(sheet, row))
        count += len(chunk)
    book.save(handle)
    return count


def _write_geojson(store: Store, query: Query | None, handle: BinaryIO) -> int:
    """Write a FeatureCollection of Points (RFC 7946: WGS84, longitude first, no ``crs``).

    Properties are the export fields with the date as ISO text, written as data: no
    apostrophes before ``=`` (GeoJSON is not read as a spreadsheet), non-ASCII as UTF-8.
    """
    handle.write(b'{"type": "FeatureCollection", "features": [')
    count = 0
    for chunk in record_chunks(store, query):
        frame = _with_text_dates(chunk)
        frame = frame[frame["lat"].notna() & frame["lon"].notna()].astype(object)
        properties = frame.where(frame.notna(), None).to_dict("records")
        for record in properties:
            feature = {
                "type": "Feature",
                "id": record["record_id"],
                "geometry": {"type": "Point", "coordinates": [record["lon"], record["lat"]]},
                "properties": record,
            }
            text = json.dumps(feature, ensure_ascii=False, allow_nan=False, default=_json_value)
            handle.write(("\n" if count == 0 else ",\n").encode() + text.encode("utf-8"))
            count += 1
    handle.write(b"\n]}\n")
    return count


def _json_value(value: object) -> object:
    """Numpy scalars (bools, integers) as Python values, for json.dumps."""
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"cannot write {type(value).__name__} to GeoJSON: {value!r}")


def xlsx_row(sheet, row: Iterable[object]) -> list:
    """Return a row for a write-only sheet, with every text as a text cell.

    openpyxl would make ``=...`` a formula and ``#N/A`` an error.  Neutralise the text
    first (:func:`neutralise_formulas`) so that a spreadsheet does not run it either once
    the cell is edited; other values (numbers, dates, cells) pass as they are.

    Parameters
    ----------
    sheet : openpyxl worksheet
        The write-only sheet the row is for.
    row : iterable
        The row's values.

    Returns
    -------
    list
        Values for ``sheet.append``.
    """
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    cells = []
    for value in row:
        if isinstance(value, str):
            # XLSX cannot hold most control characters: show where one was (U+FFFD)
            value = WriteOnlyCell(sheet, ILLEGAL_CHARACTERS_RE.sub("\ufffd", value))
            value.data_type = "s"
        cells.append(value)
    return cells


def export_quarantine(store: Store, out: str | Path, batch_id: str | None = None) -> int:
    """Write quarantined rows as a CSV with their original headers plus a ``problems`` column.

    The file can be corrected in a spreadsheet and imported again.

    Parameters
    ----------
    store : Store
        The store to read.
    out : str or Path
        The CSV to write.
    batch_id : str, optional
        Only rows of this batch.

    Returns
    -------
    int
        The number of rows written.
    """
    store.principal.require("export", "export quarantined rows")
    held = store.quarantined(batch_id)
    cells = pd.DataFrame(held["raw"].tolist()) if len(held) else pd.DataFrame()
    cells.insert(0, "source_row", held["source_row"].to_numpy() if len(held) else [])
    cells.insert(0, "batch_id", held["batch_id"].to_numpy() if len(held) else [])
    cells["problems"] = (
        [
            "; ".join(f"{p['column']}: {p['reason']}" for p in problems)
            for problems in held["problems"]
        ]
        if len(held)
        else []
    )
    neutralise_formulas(cells).to_csv(out, index=False, encoding="utf-8-sig", **_CSV)
    audit_export(store, "quarantine-csv", len(cells), batch=batch_id)
    return len(cells)


def records_csv(records: pd.DataFrame, words: bool = False) -> bytes:
    """Return records as spreadsheet-safe CSV bytes (UTF-8 with BOM), for a download button.

    Parameters
    ----------
    records : DataFrame
        Records with any subset of the export columns.
    words : bool, default False
        Head the columns with their words ("Seizure date") instead of field names; the
        importer reads either back.

    Returns
    -------
    bytes
        The CSV, with the export columns that are present, in export order.
    """
    columns = [c for c in EXPORT_FIELDS if c in records.columns]
    frame = records[columns].copy()
    if "seizure_date" in frame:
        frame["seizure_date"] = pd.to_datetime(frame["seizure_date"]).dt.strftime("%Y-%m-%d")
    frame = neutralise_formulas(frame, _NUMERIC)
    if words:
        frame = frame.rename(columns=field_label)
    return frame.to_csv(index=False, **_CSV).encode("utf-8-sig")
