"""Exports: normalised records and quarantined rows as CSV or XLSX, safe in spreadsheets."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np
import pandas as pd

from geo.labels import field_label
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
                _prepare(chunk).to_csv(handle, index=False, header=header, **_CSV)
                header = False
                count += len(chunk)
            if header:
                pd.DataFrame(columns=list(EXPORT_FIELDS)).to_csv(handle, index=False, **_CSV)
    elif file_format == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("seizures")
        sheet.append(list(EXPORT_FIELDS))
        for chunk in store.iter_records():
            frame = _prepare(chunk).astype(object)
            for row in frame.where(frame.notna(), None).itertuples(index=False):
                sheet.append(_xlsx_row(sheet, row))
            count += len(chunk)
        book.save(out)
    else:
        raise ValueError(f"export format {file_format!r} is not supported (csv or xlsx)")
    return count


def _xlsx_row(sheet, row) -> list:
    """Text as text cells: openpyxl would make ``=...`` a formula and ``#N/A`` an error."""
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
