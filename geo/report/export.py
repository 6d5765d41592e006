"""Exports: normalised records and quarantined rows as CSV or XLSX, safe in spreadsheets."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from geo.schema import EXPORT_FIELDS, FIELDS
from geo.store.store import Store

__all__ = [
    "FORMULA_PREFIXES",
    "export_quarantine",
    "export_records",
    "neutralise_formulas",
    "records_csv",
]

# Spreadsheets run a cell starting with these as a formula (CSV/formula injection, OWASP).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_NUMERIC = {name for name, kind in FIELDS.items() if kind == "float"} | {"border_distance_km"}


def neutralise_formulas(
    frame: pd.DataFrame, numeric: set[str] | frozenset = frozenset()
) -> pd.DataFrame:
    """Prefix text cells that a spreadsheet would run as a formula with an apostrophe.

    Parameters
    ----------
    frame : DataFrame
        The table to export.
    numeric : set of str
        Columns holding numbers; they are left alone (``-3.2`` is a longitude, not a formula).

    Returns
    -------
    DataFrame
        A copy with text cells like ``=HYPERLINK(...)`` written as ``'=HYPERLINK(...)``.
    """
    safe = frame.copy()
    for column in safe.columns:
        if column in numeric or not (
            safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column])
        ):
            continue
        values = safe[column]
        risky = values.map(lambda v: isinstance(v, str) and v.startswith(FORMULA_PREFIXES))
        safe[column] = values.where(~risky, "'" + values.astype(str))
    return safe


def _prepare(chunk: pd.DataFrame) -> pd.DataFrame:
    frame = chunk.reindex(columns=list(EXPORT_FIELDS))
    frame["seizure_date"] = pd.to_datetime(frame["seizure_date"]).dt.strftime("%Y-%m-%d")
    return neutralise_formulas(frame, _NUMERIC)


def export_records(store: Store, out: str | Path, file_format: str = "csv") -> int:
    """Write every stored record, one row each, with the record fields as columns.

    Parameters
    ----------
    store : Store
        The store to read.
    out : str or Path
        The file to write.
    file_format : {"csv", "xlsx"}
        CSV (UTF-8 with BOM so that spreadsheets read accents and Chinese) or XLSX.

    Returns
    -------
    int
        The number of records written.
    """
    out = Path(out)
    count = 0
    if file_format == "csv":
        with open(out, "w", encoding="utf-8-sig", newline="") as handle:
            header = True
            for chunk in store.iter_records():
                _prepare(chunk).to_csv(
                    handle, index=False, header=header, quoting=csv.QUOTE_MINIMAL
                )
                header = False
                count += len(chunk)
            if header:
                pd.DataFrame(columns=list(EXPORT_FIELDS)).to_csv(handle, index=False)
    elif file_format == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("seizures")
        sheet.append(list(EXPORT_FIELDS))
        for chunk in store.iter_records():
            frame = _prepare(chunk).astype(object)
            for row in frame.where(frame.notna(), None).itertuples(index=False):
                sheet.append(list(row))
            count += len(chunk)
        book.save(out)
    else:
        raise ValueError(f"export format {file_format!r} is not supported (csv or xlsx)")
    return count


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
    neutralise_formulas(cells).to_csv(out, index=False, encoding="utf-8-sig")
    return len(cells)


def records_csv(records: pd.DataFrame) -> bytes:
    """Return records as spreadsheet-safe CSV bytes (UTF-8 with BOM), for a download button.

    Parameters
    ----------
    records : DataFrame
        Records with any subset of the export columns.

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
    return frame.to_csv(index=False).encode("utf-8-sig")
