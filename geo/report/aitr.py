"""The CITES Annual Illegal Trade Report (AITR): one Party's seizures of one year, as a workbook.

Each Party reports by 31 October the seizures it made the year before, one row per seizure,
in the columns of the standard format the CITES Secretariat distributes (Resolution Conf. 11.17
on National reports; "Guidelines for the preparation and submission of the CITES annual illegal
trade report", Standing Committee SC71, 2019).  :data:`AITR_COLUMNS` are those columns, in
their order and wording; the ones the atlas does not record (reason for seizure, nationality
of offenders, value, law, disposal, concealment) are left empty for the Party to fill in.

After them come the atlas's own fields that the format has no column for (seizing country,
country of export, trade-term code, coordinates, location type, record id, sensitivity, ...),
headed with the field's words (:func:`geo.labels.field_label`), so that nothing is lost: the
workbook imports back with ``seizures import`` into the same records.  Countries are ISO-2
codes, as the guidelines ask.  Text is written as text and neutralised against spreadsheet
formulas, as in every export.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import pandas as pd

from geo.labels import field_label
from geo.reference.countries import country_name, is_country_code
from geo.reference.species import commodity_name
from geo.report.export import neutralise_formulas, xlsx_row
from geo.store.query import Query
from geo.store.store import Store

__all__ = [
    "AITR_COLUMNS",
    "ATLAS_COLUMNS",
    "GENERATOR",
    "aitr_bytes",
    "aitr_query",
    "aitr_table",
    "write_aitr",
]

GENERATOR = "Wildlife Seizure Atlas"

# The report's columns, in the standard format's order and wording, and the record field each
# is filled from (None: the atlas does not record it; the column is left empty).
AITR_COLUMNS: tuple[tuple[str, str | None], ...] = (
    ("Date of seizure", "seizure_date"),
    ("Detecting agency", "agency"),
    ("Species (scientific name)", "taxon"),
    ("Description of specimen", "commodity"),
    ("Quantity", "quantity"),
    ("Unit", "unit"),
    ("Reason for seizure", None),
    ("Location of seizure", "location_name"),
    ("Method of detection", "detection_method"),
    ("Method of concealment", None),
    ("Mode of transport", "transport_mode"),
    ("Alleged country of origin", "origin_countries"),
    ("Country(ies) of transit", "transit_countries"),
    ("Alleged final destination", "destination_country"),
    ("Nationality of offenders", None),
    ("Estimated value in country (amount and currency)", None),
    ("Law under which charges were brought", None),
    ("Disposal of confiscated specimens", None),
    ("Additional information", "notes"),
)

# The record fields the format has no column for, after its columns.  Taxon group and CITES
# appendix are recomputed from the species on import; they are written for the reader, and so
# that a taxon the species reference does not know keeps the group its record had.
ATLAS_COLUMNS: tuple[str, ...] = (
    "seizing_country",
    "export_country",
    "commodity",
    "cites_appendix",
    "taxon_group",
    "lat",
    "lon",
    "coord_precision",
    "location_type",
    "date_precision",
    "record_id",
    "source",
    "sensitivity",
    "owner_country",
    "extra",
)

_SHEET = "Illegal trade {year}"
_NUMBERS = {"Quantity", field_label("lat"), field_label("lon")}
# Spreadsheets show the date as the guidelines write it; the cell holds a real date.
_DATE_FORMAT = "DD/MM/YYYY"


def aitr_query(country: str, year: int) -> Query:
    """Return the query of a Party's report: the seizures it made in the year.

    Parameters
    ----------
    country : str
        The reporting Party, an ISO 3166-1 alpha-2 code (``"CN"``; case is ignored).
    year : int
        The year reported (1 January to 31 December).

    Returns
    -------
    Query
        Records whose seizing country is ``country`` and whose seizure date is in ``year``.

    Raises
    ------
    ValueError
        If ``country`` is not an ISO-2 code or ``year`` not a year, naming the value.
    """
    code = country.strip().upper() if isinstance(country, str) else country
    if not isinstance(code, str) or not is_country_code(code):
        raise ValueError(
            f"country should be an ISO 3166-1 alpha-2 code such as 'CN', got {country!r}"
        )
    if isinstance(year, bool) or not isinstance(year, int) or not 1 <= year <= 9999:
        raise ValueError(f"year should be a year such as 2024, got {year!r}")
    return Query(
        date_from=dt.date(year, 1, 1),
        date_to=dt.date(year, 12, 31),
        countries=(code,),
        country_role="seizing",
    )


def aitr_table(store: Store, country: str, year: int) -> pd.DataFrame:
    """Return a Party's report as a table: one row per seizure, the report's columns.

    Parameters
    ----------
    store : Store
        The store to read.
    country : str
        The reporting Party's ISO-2 code.
    year : int
        The year reported.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`AITR_COLUMNS` then :data:`ATLAS_COLUMNS` (headed with their words),
        oldest seizure first; dates as ``datetime.date``, numbers as floats, country lists
        as ``"VN, LA"``, missing values as None.  Text is as stored (not yet neutralised).
    """
    store.principal.require("export", "export records")
    query = aitr_query(country, year)
    fields = sorted({name for _, name in AITR_COLUMNS if name} | {*ATLAS_COLUMNS, "other_taxa"})
    records = store.select(query, columns=fields, order_by_date=False)
    records = records.sort_values(["seizure_date", "record_id"], kind="stable")
    records = records.astype(object).where(records.notna(), None).reset_index(drop=True)
    table = pd.DataFrame(index=records.index)
    for header, name in AITR_COLUMNS:
        table[header] = _report_values(records, name) if name else None
    for name in ATLAS_COLUMNS:
        values = records[name]
        table[field_label(name)] = _mapped(values, _words) if name == "location_type" else values
    return table


def write_aitr(store: Store, out: str | Path, country: str, year: int) -> int:
    """Write a Party's annual illegal trade report as an Excel workbook.

    The first sheet holds one title line (Party, year, and that the atlas generated it), then
    the header row and one row per seizure; a second sheet, ``About``, says how the columns
    were filled.  The importer reads the workbook back (it skips the title line).

    Parameters
    ----------
    store : Store
        The store to read.
    out : str or Path
        The ``.xlsx`` file to write.
    country : str
        The reporting Party's ISO-2 code.
    year : int
        The year reported.

    Returns
    -------
    int
        The number of seizures written.
    """
    from geo.report.export import audit_export

    table = aitr_table(store, country, year)
    Path(out).write_bytes(_workbook_bytes(table, country, year))
    audit_export(store, "aitr", len(table), aitr_query(country, year))
    return len(table)


def aitr_bytes(store: Store, country: str, year: int) -> bytes:
    """Return a Party's annual illegal trade report as ``.xlsx`` bytes, for a download button.

    Parameters
    ----------
    store : Store
        The store to read.
    country : str
        The reporting Party's ISO-2 code.
    year : int
        The year reported.

    Returns
    -------
    bytes
        The workbook :func:`write_aitr` writes.
    """
    return _workbook_bytes(aitr_table(store, country, year), country, year)


def _workbook_bytes(table: pd.DataFrame, country: str, year: int) -> bytes:
    buffer = io.BytesIO()
    _write_workbook(table, country.strip().upper(), year, buffer)
    return buffer.getvalue()


def _report_values(records: pd.DataFrame, name: str) -> pd.Series:
    """Return a record field as the report writes it."""
    values = records[name]
    if name == "taxon":
        # A seizure of several taxa names them all, as the importer reads them: "A; B".
        named = [
            "; ".join([taxon, *more.split(";")]) if taxon and more else taxon
            for taxon, more in zip(values, records["other_taxa"], strict=True)
        ]
        return pd.Series(named, index=values.index, dtype=object)
    if name == "commodity":  # the trade term's words ("scales"); the code follows later
        return _mapped(values, lambda code: commodity_name(code) or code)
    if name in ("origin_countries", "transit_countries"):
        return _mapped(values, lambda codes: codes.replace(";", ", "))
    if name == "transport_mode":  # empty rather than "unknown", as a Party would write it
        return values.where(values != "unknown", None)
    return values


def _mapped(values: pd.Series, change: Callable[[str], str]) -> pd.Series:
    """Change each present value; missing ones stay None (``Series.map`` would make NaN)."""
    changed = [change(value) if value is not None else None for value in values]
    return pd.Series(changed, index=values.index, dtype=object)


def _words(value: str) -> str:
    return value.replace("_", " ")


def _write_workbook(table: pd.DataFrame, country: str, year: int, handle: BinaryIO) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    party = f"{country_name(country)} ({country})"
    safe = neutralise_formulas(table, _NUMBERS | {"Date of seizure"})
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_SHEET.format(year=year))
    today = dt.date.today().isoformat()
    sheet.append(
        [
            f"CITES annual illegal trade report - Party: {party} - year {year} - "
            f"{len(table)} seizures - generated by {GENERATOR} on {today}"
        ]
    )
    sheet.append(list(table.columns))
    for row in safe.itertuples(index=False):
        cells = xlsx_row(sheet, row)
        date = cells[0]
        if date is not None:
            cells[0] = WriteOnlyCell(sheet, value=date)
            cells[0].number_format = _DATE_FORMAT
        sheet.append(cells)
    about = book.create_sheet("About")
    for line in _about_lines(party, year, len(table), today):
        about.append(list(line))
    book.save(handle)


def _about_lines(party: str, year: int, count: int, today: str) -> list[tuple[str, str]]:
    empty = ", ".join(header for header, name in AITR_COLUMNS if name is None)
    atlas = ", ".join(field_label(name) for name in ATLAS_COLUMNS)
    return [
        ("Report", "CITES annual illegal trade report"),
        ("Party", party),
        ("Year", str(year)),
        ("Seizures", str(count)),
        ("Generated by", f"{GENERATOR}, {today}"),
        ("Columns to complete", f"{empty}: the atlas does not record them."),
        (
            "Columns after Additional information",
            f"{atlas}: the atlas's own fields, kept so that the file imports back unchanged "
            "(seizures import); remove them before sending the report if they are not wanted.",
        ),
        ("Countries", "ISO 3166-1 alpha-2 codes; several are separated by commas."),
    ]
