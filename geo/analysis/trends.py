"""Seizures over time: counts per month, quarter or year, rolling 12 months, year on year."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from geo.analysis.weights import WEIGHT, weights
from geo.schema import UNITS

__all__ = [
    "ALL_SERIES",
    "OTHER_SERIES",
    "PERIODS",
    "SPLITS",
    "UNKNOWN_SERIES",
    "counts_by_period",
    "rolling_12_months",
    "year_on_year",
]

PERIODS = {"month": "M", "quarter": "Q", "year": "Y"}
SPLITS = ("taxon_group", "taxon", "commodity", "transport_mode")
# Series keys, not display text: charts turn them into labels.
ALL_SERIES = "all"
OTHER_SERIES = "other"
UNKNOWN_SERIES = "unknown"

_COUNT_COLUMNS = ["period_start", "series", "seizures", "quantity"]


def counts_by_period(
    records: pd.DataFrame,
    period: str = "month",
    split: str | None = None,
    unit: str | None = None,
    top: int = 8,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> tuple[pd.DataFrame, int]:
    """Count seizures (and total one unit's quantity) per period, optionally per category.

    Parameters
    ----------
    records : pandas.DataFrame
        Seizure records; ``seizure_date`` as ``datetime.date`` objects or datetime64,
        ``date_precision``, ``quantity``, ``unit`` and the ``split`` column.
    period : {"month", "quarter", "year"}
        The length of a period.
    split : {None, "taxon_group", "taxon", "commodity", "transport_mode"}
        One series per category of this column (``None``: one series, ``"all"``).  Missing
        values are the category ``"unknown"``.
    unit : str, optional
        One of ``geo.schema.UNITS``: ``quantity`` totals the records in this unit
        only.  Without it ``quantity`` is NaN, since quantities in different units are
        never added.
    top : int, default 8
        The categories with the most seizures keep their own series; the rest are added up
        as ``"other"``.
    date_from, date_to : datetime.date, optional
        Stretch the range of periods to cover these dates (the filter's period), so that
        empty periods at either end show as zero.

    Returns
    -------
    frame : pandas.DataFrame
        Long format, one row per period and series, every period from the first to the
        last present for every series (zero when empty): ``period_start`` (Timestamp of
        the period's first day), ``series``, ``seizures`` (int), ``quantity`` (float).
        Series come in order of seizures, ``"other"`` last.
    excluded : int
        Records left out: dates known to the year only when ``period`` is month or
        quarter (they would otherwise pile up in January), and records without a date.

    Notes
    -----
    With ``split="taxon"`` a record naming several taxa counts once under each; its
    quantity, which cannot be shared out between them, is left out of every taxon's total.
    Series then add up to more seizures than there are records.
    """
    if period not in PERIODS:
        raise ValueError(f"period should be one of {tuple(PERIODS)}, got {period!r}")
    if split is not None and split not in SPLITS:
        raise ValueError(f"split should be None or one of {SPLITS}, got {split!r}")
    _check_unit(unit)
    if not isinstance(top, int) or top < 1:
        raise ValueError(f"top should be a positive int, got {top!r}")

    dates = _timestamps(records["seizure_date"])
    placed = dates.notna()
    if period != "year" and "date_precision" in records:
        placed &= records["date_precision"].astype(object).ne("year")
    weight = weights(records)
    excluded = int(weight[~placed].sum())
    kept = records.loc[placed]

    frame = pd.DataFrame(
        {
            "period_start": dates[placed]
            .dt.to_period(PERIODS[period])
            .dt.start_time.astype("datetime64[ns]"),
            "series": _categories(kept, split),
            "quantity": _quantity_in(kept, unit),
            WEIGHT: weight[placed],
        }
    )
    if split == "taxon":
        frame = _explode_taxa(frame)

    order = _series_order(frame["series"], frame[WEIGHT], top)
    frame["series"] = frame["series"].where(frame["series"].isin(order), OTHER_SERIES)
    if (frame["series"] == OTHER_SERIES).any() and OTHER_SERIES not in order:
        order.append(OTHER_SERIES)
    if split is None:
        order = [ALL_SERIES]

    starts = _period_starts(frame["period_start"], period, date_from, date_to)
    if not len(starts) or not order:
        return _empty_counts(), excluded
    grouped = frame.groupby(["period_start", "series"], sort=False)
    counts = grouped[WEIGHT].sum().rename("seizures")
    quantity = grouped["quantity"].sum(min_count=1)
    full = pd.MultiIndex.from_product([starts, order], names=["period_start", "series"])
    result = pd.DataFrame(
        {
            "seizures": counts.reindex(full, fill_value=0).astype("int64"),
            "quantity": quantity.reindex(full).astype("float64"),
        }
    ).reset_index()
    result["quantity"] = result["quantity"].fillna(0.0) if unit else np.nan
    result["series"] = result["series"].astype(object)
    return result[_COUNT_COLUMNS], excluded


def rolling_12_months(
    monthly: pd.DataFrame, value: str = "seizures", how: str = "mean"
) -> pd.DataFrame:
    """Return each series' value over the 12 months ending with each period.

    Parameters
    ----------
    monthly : pandas.DataFrame
        The frame of :func:`counts_by_period` with ``period="month"`` (``"quarter"``
        works too: the window is then four quarters).
    value : {"seizures", "quantity"}
        The column to roll.
    how : {"mean", "sum"}
        ``"mean"`` (default) gives the average per period over the last 12 months, on the
        same scale as the periods themselves so that it can be drawn over them; ``"sum"``
        gives the 12-month total.

    Returns
    -------
    pandas.DataFrame
        ``period_start``, ``series`` and ``value``, for the same rows as ``monthly``;
        NaN until a series has 12 months behind it.  Periods a series lacks count as zero.
    """
    if value not in monthly:
        raise ValueError(f"value should be a column of the frame, got {value!r}")
    if how not in ("mean", "sum"):
        raise ValueError(f"how should be 'mean' or 'sum', got {how!r}")
    if monthly.empty:
        return pd.DataFrame({"period_start": [], "series": [], value: []})
    starts = pd.DatetimeIndex(sorted(pd.to_datetime(monthly["period_start"]).unique()))
    window = 12 // _step_months(starts)
    series_order = list(dict.fromkeys(monthly["series"]))
    wide = (
        monthly.assign(period_start=pd.to_datetime(monthly["period_start"]))
        .pivot(index="period_start", columns="series", values=value)
        .reindex(index=starts, columns=series_order)
    )
    if value == "seizures":
        wide = wide.fillna(0)
    rolled = wide.rolling(window, min_periods=window)
    wide = rolled.mean() if how == "mean" else rolled.sum()
    long = wide.rename_axis(index="period_start", columns="series").stack(future_stack=True)
    result = long.rename(value).reset_index()
    keys = monthly[["period_start", "series"]].assign(
        period_start=pd.to_datetime(monthly["period_start"])
    )
    return keys.merge(result, on=["period_start", "series"], how="left").reset_index(drop=True)


def year_on_year(
    records: pd.DataFrame,
    unit: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> pd.DataFrame:
    """Count seizures per calendar year and the change on the year before.

    Parameters
    ----------
    records : pandas.DataFrame
        Seizure records (records known to the year only are counted in their year).
    unit : str, optional
        Also total quantities in this unit, and their change.
    date_from, date_to : datetime.date, optional
        The filter's period: years it covers only in part are flagged ``partial``, and
        the range of years stretches to cover it.

    Returns
    -------
    pandas.DataFrame
        One row per year from the first to the last (zero when empty): ``year`` (int),
        ``seizures`` (int), ``change`` and ``change_percent`` (float; NaN for the first year,
        and the percentage NaN after a year with none), ``partial`` (bool), and with
        ``unit`` also ``quantity``, ``quantity_change``, ``quantity_change_percent``.
    """
    _check_unit(unit)
    dates = _timestamps(records["seizure_date"])
    placed = dates.notna()
    years = dates[placed].dt.year
    weight = weights(records)[placed]
    first = [int(years.min())] if len(years) else []
    last = [int(years.max())] if len(years) else []
    first += [d.year for d in (date_from, date_to) if d is not None]
    last += [d.year for d in (date_from, date_to) if d is not None]
    columns = ["year", "seizures", "change", "change_percent", "partial"]
    if unit:
        columns += ["quantity", "quantity_change", "quantity_change_percent"]
    if not first:
        return pd.DataFrame({column: [] for column in columns})
    index = pd.RangeIndex(min(first), max(last) + 1, name="year")
    result = pd.DataFrame(index=index)
    by_year = weight.groupby(years).sum()
    result["seizures"] = by_year.reindex(index, fill_value=0).astype("int64")
    result["change"], result["change_percent"] = _changes(result["seizures"])
    result["partial"] = [_partial(year, date_from, date_to) for year in index]
    if unit:
        quantity = _quantity_in(records.loc[placed], unit)
        totals = quantity.groupby(years).sum().reindex(index, fill_value=0.0)
        result["quantity"] = totals.astype("float64")
        result["quantity_change"], result["quantity_change_percent"] = _changes(totals)
    return result.reset_index()[columns]


def _empty_counts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period_start": pd.Series([], dtype="datetime64[ns]"),
            "series": pd.Series([], dtype=object),
            "seizures": pd.Series([], dtype="int64"),
            "quantity": pd.Series([], dtype="float64"),
        }
    )


def _categories(records: pd.DataFrame, split: str | None) -> pd.Series:
    if split is None:
        return pd.Series(ALL_SERIES, index=records.index, dtype=object)
    if split not in records:
        return pd.Series(UNKNOWN_SERIES, index=records.index, dtype=object)
    values = records[split].astype(object)
    return values.where(values.notna() & values.ne(""), UNKNOWN_SERIES).astype(str)


def _quantity_in(records: pd.DataFrame, unit: str | None) -> pd.Series:
    if not unit or "quantity" not in records or "unit" not in records:
        return pd.Series(np.nan, index=records.index, dtype="float64")
    quantity = pd.to_numeric(records["quantity"], errors="coerce").astype("float64")
    return quantity.where(records["unit"].astype(object).eq(unit))


def _explode_taxa(frame: pd.DataFrame) -> pd.DataFrame:
    several = frame["series"].str.contains(";", regex=False)
    if not several.any():
        return frame
    frame = frame.assign(
        series=frame["series"].str.split(";"),
        quantity=frame["quantity"].where(~several),
    ).explode("series")
    frame["series"] = frame["series"].str.strip()
    return frame[frame["series"] != ""]


def _series_order(series: pd.Series, weight: pd.Series, top: int) -> list[str]:
    counts = weight.groupby(series).sum()
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [name for name, _ in ranked[:top]]


def _period_starts(
    starts: pd.Series, period: str, date_from: dt.date | None, date_to: dt.date | None
) -> pd.DatetimeIndex:
    freq = PERIODS[period]
    bounds = [pd.Timestamp(d) for d in (date_from, date_to) if d is not None]
    bounds += [starts.min(), starts.max()] if len(starts) else []
    if not bounds:
        return pd.DatetimeIndex([])
    periods = pd.period_range(min(bounds).to_period(freq), max(bounds).to_period(freq), freq=freq)
    return periods.start_time.as_unit("ns")


def _step_months(starts: pd.DatetimeIndex) -> int:
    if len(starts) < 2:
        return 1
    months = starts.year * 12 + starts.month
    steps = set(np.diff(months))
    if len(steps) != 1 or 12 % next(iter(steps)):
        raise ValueError(
            f"period_start should be evenly spaced by a month or a quarter, got steps {steps}"
        )
    return int(next(iter(steps)))


def _changes(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    before = values.shift(1).astype("float64")
    change = values.astype("float64") - before
    percent = (100.0 * change / before).where(before > 0)
    return change, percent


def _partial(year: int, date_from: dt.date | None, date_to: dt.date | None) -> bool:
    """Tell whether the filter period starts after 1 January or ends before 31 December."""
    starts_late = (
        date_from is not None and date_from.year == year and date_from > dt.date(year, 1, 1)
    )
    ends_early = date_to is not None and date_to.year == year and date_to < dt.date(year, 12, 31)
    return starts_late or ends_early


def _check_unit(unit: str | None) -> None:
    if unit is not None and unit not in UNITS:
        raise ValueError(f"unit should be None or one of {UNITS}, got {unit!r}")


def _timestamps(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values, errors="coerce")
