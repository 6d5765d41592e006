"""Headline figures for the overview page: counts, quantities per unit, change on a period."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from geo.analysis.weights import weights
from geo.reference.countries import country_name, is_country_code
from geo.reference.species import LANGUAGES, commodity_name
from geo.schema import UNITS

__all__ = [
    "COUNTRY_COLUMNS",
    "LATEST_COLUMNS",
    "key_figures",
    "key_figures_from_margins",
    "latest",
    "previous_period",
]

# The columns that name a country in some role of the trade chain, the list ones last.
COUNTRY_COLUMNS = (
    "seizing_country",
    "export_country",
    "destination_country",
    "origin_countries",
    "transit_countries",
)
LATEST_COLUMNS = (
    "seizure_date",
    "seizing_country",
    "location_name",
    "taxon",
    "commodity",
    "quantity",
    "unit",
)
_CHANGE_FIGURES = ("seizures", "countries_involved", "species")


def key_figures(records: pd.DataFrame, previous: pd.DataFrame | None = None) -> dict:
    """Return the headline figures of a selection of seizure records.

    Parameters
    ----------
    records : pandas.DataFrame
        Seizure records as the store returns them; the columns used are ``taxon_group``,
        ``taxon``, ``quantity``, ``unit`` and the country columns of ``COUNTRY_COLUMNS``
        (any that are missing count as empty).
    previous : pandas.DataFrame, optional
        The records of the period to compare with (see :func:`previous_period`).

    Returns
    -------
    dict
        ``seizures`` (int); ``by_taxon_group`` ({group: count}, largest first, missing
        groups as ``"unknown"``); ``quantity_by_unit`` ({unit: total}, units in the order
        of ``geo.schema.UNITS``; quantities are never added across units);
        ``countries_involved`` (distinct ISO-2 codes in any role: seizing, origin, export,
        transit, destination); ``species`` (distinct taxa, a record naming several taxa
        counting each); and, when ``previous`` is given, ``change``: for ``seizures``,
        ``countries_involved`` and ``species``, ``{"previous": int, "delta": int,
        "percent": float or None}`` (None when the previous figure is 0).
    """
    figures = _figures(records)
    if previous is not None:
        before = _figures(previous)
        figures["change"] = {name: _change(figures[name], before[name]) for name in _CHANGE_FIGURES}
    return figures


def previous_period(date_from: dt.date, date_to: dt.date) -> tuple[dt.date, dt.date]:
    """Return the period of the same length that ends the day before ``date_from``.

    Parameters
    ----------
    date_from, date_to : datetime.date
        The inclusive period to compare.

    Returns
    -------
    tuple of datetime.date
        ``(previous_from, previous_to)``, both inclusive, ``previous_to`` being the day
        before ``date_from``.  A period of whole calendar months (from the first of a month
        to the last day of a month) gives the same number of whole months before it, so
        2024 compares with 2023 and a quarter with the quarter before; any other period
        gives the same number of days.
    """
    start, end = _as_date(date_from, "date_from"), _as_date(date_to, "date_to")
    if start > end:
        raise ValueError(f"date_from {start} is after date_to {end}")
    previous_to = start - dt.timedelta(days=1)
    if start.day == 1 and (end + dt.timedelta(days=1)).day == 1:
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        index = start.year * 12 + start.month - 1 - months
        return dt.date(index // 12, index % 12 + 1, 1), previous_to
    return previous_to - (end - start), previous_to


def latest(records: pd.DataFrame, n: int = 10, language: str | None = None) -> pd.DataFrame:
    """Return the newest seizures, with the columns a table on the overview page shows.

    Parameters
    ----------
    records : pandas.DataFrame
        Seizure records; ``seizure_date`` as ``datetime.date`` objects or datetime64.
    n : int, default 10
        How many records.
    language : str, optional
        When given (``en``, ``zh``, ``es``, ``fr``, ``pt``), seizing countries and
        commodities are shown by name in that language instead of by code.

    Returns
    -------
    pandas.DataFrame
        At most ``n`` rows, newest first (ties by ``record_id`` when present), with the
        columns of ``LATEST_COLUMNS`` (missing ones empty) and, when the records have it,
        ``date_precision`` so that a date known to the year only can be shown as such.
        ``seizure_date`` holds ``datetime.date`` objects.
    """
    if not isinstance(n, int) or n < 0:
        raise ValueError(f"n should be a non-negative int, got {n!r}")
    frame = records.assign(_date=_timestamps(records["seizure_date"]))
    keys = ["_date", "record_id"] if "record_id" in frame else ["_date"]
    ascending = [False, True][: len(keys)]
    frame = frame.sort_values(keys, ascending=ascending, na_position="last", kind="stable")
    frame = frame.head(n)
    columns = list(LATEST_COLUMNS)
    if "date_precision" in frame:
        columns.append("date_precision")
    result = pd.DataFrame(index=frame.index)
    for column in columns:
        # Text as object with None for missing, as the store gives it, whatever came in.
        result[column] = _column(frame, column)
    result["quantity"] = pd.to_numeric(result["quantity"], errors="coerce").astype("float64")
    result["seizure_date"] = [
        None if pd.isna(value) else value.date() for value in frame["_date"].tolist()
    ]
    if language is not None:
        result["seizing_country"] = result["seizing_country"].map(
            lambda code: country_name(code, language) if isinstance(code, str) else code
        )
        result["commodity"] = result["commodity"].map(lambda code: _commodity_label(code, language))
    return result.reset_index(drop=True)


def key_figures_from_margins(
    margins: dict[str, pd.DataFrame], previous: dict[str, pd.DataFrame] | None = None
) -> dict:
    """Return the headline figures from the store's one-column counts (its margins).

    Parameters
    ----------
    margins : dict of str to pandas.DataFrame
        For ``taxon_group``, ``unit``, ``taxon`` and each column of ``COUNTRY_COLUMNS``, a
        frame with that column, ``weight`` (records) and ``quantity`` (their sum), as
        :func:`geo.store.aggregates.margins` returns them.
    previous : dict, optional
        The same for the period to compare with.

    Returns
    -------
    dict
        As :func:`key_figures`.
    """
    figures = _figures_of(margins)
    if previous is not None:
        before = _figures_of(previous)
        figures["change"] = {name: _change(figures[name], before[name]) for name in _CHANGE_FIGURES}
    return figures


def _figures(records: pd.DataFrame) -> dict:
    return _figures_of(dict.fromkeys(("taxon_group", "unit", "taxon", *COUNTRY_COLUMNS), records))


def _figures_of(frames: dict[str, pd.DataFrame]) -> dict:
    by_group = frames["taxon_group"]
    weight = weights(by_group)
    groups = weight.groupby(_column(by_group, "taxon_group").fillna("unknown")).sum()
    ordered_groups = sorted(groups.items(), key=lambda item: (-item[1], item[0]))
    countries: set[str] = set()
    for column in COUNTRY_COLUMNS:
        countries |= _countries(frames[column], (column,))
    return {
        "seizures": int(weight.sum()),
        "by_taxon_group": {group: int(count) for group, count in ordered_groups},
        "quantity_by_unit": _quantity_by_unit(frames["unit"]),
        "countries_involved": len(countries),
        "species": len(_distinct_taxa(frames["taxon"])),
    }


def _change(current: int, previous: int) -> dict:
    delta = current - previous
    percent = None if previous == 0 else 100.0 * delta / previous
    return {"previous": previous, "delta": delta, "percent": percent}


def _quantity_by_unit(records: pd.DataFrame) -> dict[str, float]:
    quantity = pd.to_numeric(_column(records, "quantity"), errors="coerce")
    unit = _column(records, "unit")
    known = quantity.notna() & unit.notna()
    totals = quantity[known].groupby(unit[known].astype(str)).sum()
    order = [u for u in UNITS if u in totals.index]
    order += sorted(u for u in totals.index if u not in UNITS)
    return {u: float(totals[u]) for u in order}


def _countries(records: pd.DataFrame, columns: tuple[str, ...] = COUNTRY_COLUMNS) -> set[str]:
    codes: set[str] = set()
    for column in columns:
        # Many records share a trade chain: splitting the distinct values is far cheaper.
        for value in _column(records, column).dropna().unique():
            codes.update(part.strip() for part in str(value).split(";"))
    return {code for code in codes if code and is_country_code(code)}


def _distinct_taxa(records: pd.DataFrame) -> set[str]:
    taxa: set[str] = set()
    for value in _column(records, "taxon").dropna().unique():
        taxa.update(part.strip() for part in str(value).split(";"))
    taxa.discard("")
    return taxa


def _column(records: pd.DataFrame, name: str) -> pd.Series:
    if name in records:
        return records[name].astype(object).where(records[name].notna(), None)
    return pd.Series(None, index=records.index, dtype=object)


def _timestamps(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values, errors="coerce")


def _as_date(value: object, name: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raise TypeError(f"{name!r} should be a datetime.date, got {type(value)}")


def _commodity_label(code: object, language: str) -> object:
    if not isinstance(code, str):
        return code
    base = language.replace("-", "_").split("_")[0].casefold()
    return commodity_name(code, base if base in LANGUAGES else "en") or code
