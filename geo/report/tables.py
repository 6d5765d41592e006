"""Tables in words: what a page, a briefing or a download shows of a frame of records or figures.

Every table shown to a person goes through :func:`display_table`: columns are named from the
label catalogue (:mod:`geo.reference.catalogue`) instead of ``seizure_date`` or
``border_distance_km``; codes become names (``LA`` → "Lao PDR", ``SCA`` → "Scales"); a
quantity is shown with its unit ("7.65 kg"), a missing one as empty, never "None"; a date
known to the month only is shown as "2021-03".  Numbers stay numbers so tables sort.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import numpy as np
import pandas as pd

from geo.reference.catalogue import (
    country_label,
    field_label,
    taxon_label,
    unit_label,
    value_label,
)

__all__ = [
    "COLUMN_LABELS",
    "RECORD_VIEW_COLUMNS",
    "column_label",
    "display_table",
    "hotspot_table",
    "quantity_text",
]

# The record fields the Data page lists and downloads, in this order.
RECORD_VIEW_COLUMNS = [
    "record_id", "seizure_date", "date_precision", "seizing_country", "location_name", "lat",
    "lon", "coord_precision", "location_type", "transport_mode", "origin_countries",
    "export_country", "transit_countries", "destination_country", "taxon", "taxon_group",
    "cites_appendix", "commodity", "quantity", "unit", "notes", "border_pair",
    "border_distance_km", "located_country", "source",
]  # fmt: skip

# Words for the columns of figures that are not record fields.
COLUMN_LABELS = {
    "seizures": "Seizures",
    "count": "Seizures",
    "rank": "Rank",
    "place": "Place",
    "gi_z": "Gi* z-score",
    "confidence": "Confidence",
    "role": "Role",
    "partners": "Main partner countries",
    "top_taxa": "Main taxa",
    "quantity_by_unit": "Quantity seized",
    "share": "Share of the band",
    "border_distance_km": "Distance to the border (km)",
}
# Fields whose cells are codes or vocabulary values, shown in words.
_WORDED = {
    "seizing_country", "export_country", "destination_country", "located_country",
    "origin_countries", "transit_countries", "owner_country", "commodity", "taxon",
    "taxon_group", "transport_mode", "location_type", "coord_precision", "cites_appendix",
    "border_pair", "sensitivity", "role", "unit",
}  # fmt: skip
_ROLE_WORDS = {
    "origin": "Origin",
    "export": "Export",
    "transit": "Transit",
    "destination": "Destination",
    "seizing": "Seizing",
}


def column_label(name: str) -> str:
    """Return the words for a table column (a record field or a figure)."""
    return COLUMN_LABELS.get(name) or field_label(name)


def quantity_text(quantity: object, unit: object) -> str:
    """Return "7.65 kg", "1,200 individuals", or "" when the quantity is missing."""
    if quantity is None or pd.isna(quantity):
        return ""
    number = float(quantity)
    shown = f"{number:,.0f}" if number.is_integer() or abs(number) >= 100 else f"{number:,.2f}"
    shown = shown.rstrip("0").rstrip(".") if "." in shown else shown
    words = unit_label(unit) if isinstance(unit, str) else ""
    return f"{shown} {words}".strip()


def display_table(frame: pd.DataFrame, columns: Iterable[str] | None = None) -> pd.DataFrame:
    """Return a frame as a person reads it: columns and values in words.

    Parameters
    ----------
    frame : pandas.DataFrame
        Records or figures with field names as columns.
    columns : iterable of str, optional
        The columns to show, in order (default: all).

    Returns
    -------
    pandas.DataFrame
        Columns named by :func:`column_label`.  ``quantity`` and ``unit`` become one
        "Quantity" text column; ``seizure_date`` with ``date_precision`` is cut to the
        precision ("2021-03", "2021") and the precision column dropped; coded columns and
        lists of codes are names; text cells that are missing are empty strings.
    """
    names = list(columns) if columns is not None else list(frame.columns)
    shown: dict[str, pd.Series] = {}
    for name in names:
        if name not in frame:
            continue
        if name == "unit" and "quantity" in names:
            continue
        if name == "date_precision" and "seizure_date" in names:
            continue
        values = frame[name]
        if name == "quantity" and "unit" in frame:
            values = pd.Series(
                [quantity_text(q, u) for q, u in zip(values, frame["unit"], strict=True)],
                index=frame.index,
                dtype=object,
            )
        elif name == "seizure_date":
            precision = frame["date_precision"] if "date_precision" in frame else None
            values = _dates(values, precision)
        elif name == "role":
            values = values.map(lambda role: _ROLE_WORDS.get(role, role))
        elif name in ("partners",):
            values = values.map(_country_list)
        elif name == "top_taxa":
            values = values.map(_taxa_counts)
        elif name == "quantity_by_unit":
            values = values.map(_quantities)
        elif name in _WORDED:
            values = values.map(lambda value, field=name: _worded(field, value))
        elif not pd.api.types.is_numeric_dtype(values):
            values = values.astype(object).map(_text)
        shown[column_label(name)] = values
    return pd.DataFrame(shown, index=frame.index).reset_index(drop=True)


def hotspot_table(ranking: pd.DataFrame) -> pd.DataFrame:
    """Return the ranked hot spots in words: place, seizures, main taxa, z-score, confidence."""
    columns = ["rank", "place", "count", "top_taxa", "gi_z", "confidence", "border_distance_km"]
    table = display_table(ranking, [c for c in columns if c in ranking])
    if "Confidence" in table:
        table["Confidence"] = table["Confidence"].map(lambda c: f"{int(c)}%" if pd.notna(c) else "")
    return table


def _worded(field: str, value: object) -> str:
    if isinstance(value, list | tuple | np.ndarray):
        return ", ".join(_worded(field, item) for item in value)
    return value_label(field, value)


def _text(value: object) -> object:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, list | tuple | np.ndarray):
        return ", ".join(str(item) for item in value)
    return value


def _country_list(codes: object) -> str:
    if codes is None or (isinstance(codes, float) and np.isnan(codes)):
        return ""
    if isinstance(codes, str):
        codes = [codes]
    return ", ".join(country_label(code) for code in codes)


def _taxa_counts(pairs: object) -> str:
    """Return "Manis javanica (Sunda pangolin) 379, ..." from (taxon, count) pairs."""
    if not isinstance(pairs, list | tuple | np.ndarray):
        return _text(pairs)
    parts = []
    for item in pairs:
        if isinstance(item, list | tuple) and len(item) == 2:
            parts.append(f"{taxon_label(item[0])} {int(item[1]):,}")
        else:
            parts.append(taxon_label(str(item)))
    return ", ".join(parts)


def _quantities(by_unit: object) -> str:
    if not isinstance(by_unit, dict):
        return _text(by_unit)
    return " · ".join(quantity_text(q, u) for u, q in by_unit.items() if q)


def _dates(values: pd.Series, precision: pd.Series | None) -> pd.Series:
    cut = {"month": 7, "year": 4}
    shown = []
    for position, value in enumerate(values.tolist()):
        if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
            shown.append("")
            continue
        text = value.isoformat() if isinstance(value, dt.date) else str(value)[:10]
        level = precision.iloc[position] if precision is not None else None
        shown.append(text[: cut.get(level, 10)])
    return pd.Series(shown, index=values.index, dtype=object)
