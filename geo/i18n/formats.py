"""Numbers, dates and periods written as each language writes them (CLDR data, via Babel)."""

from __future__ import annotations

import datetime as dt
import math
import numbers

from babel.dates import format_interval, format_skeleton
from babel.numbers import format_decimal

from geo.i18n.languages import cldr_locale

__all__ = ["PRECISIONS", "format_date", "format_number", "format_period"]

# A date's precision → the CLDR skeleton that writes it (abbreviated month names, which
# every language here has; Babel picks each locale's own order and words for them).
PRECISIONS = {"day": "yMMMd", "month": "yMMM", "year": "y"}


def format_number(value: float | None, lang: str, decimals: int | None = None) -> str:
    """Write a number with the language's digit grouping and decimal sign.

    Parameters
    ----------
    value : float or None
        The number; None and NaN give ``""``.
    lang : str
        A code of :data:`geo.i18n.LANGUAGES`.
    decimals : int, optional
        Exactly this many decimals; by default as many as the value has, up to three.

    Returns
    -------
    str
        E.g. 12345.5 → en "12,345.5", es "12.345,5", fr "12 345,5" (a narrow no-break space).
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"'value' should be a number, got {type(value).__name__}: {value!r}")
    if decimals is not None and (not isinstance(decimals, int) or decimals < 0):
        raise ValueError(f"'decimals' should be a whole number from 0, got {decimals!r}")
    pattern = None if decimals is None else "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=cldr_locale(lang))


def format_date(date: dt.date | str, lang: str, precision: str = "day") -> str:
    """Write a date as the language writes it, to a day, a month or a year.

    Parameters
    ----------
    date : datetime.date, datetime.datetime, pandas.Timestamp or str
        The date; text in ISO form (``"2021-01-31"``).
    lang : str
        A code of :data:`geo.i18n.LANGUAGES`.
    precision : {"day", "month", "year"}, default "day"
        How much of the date to write (a record's ``date_precision``).

    Returns
    -------
    str
        E.g. en "31 Jan 2021", zh "2021年1月31日"; en "Jan 2021" to the month.
    """
    return format_skeleton(_skeleton(precision), _as_date(date), locale=cldr_locale(lang))


def format_period(
    date_from: dt.date | str, date_to: dt.date | str, lang: str, precision: str = "day"
) -> str:
    """Write a period from one date to another, with the language's own interval form.

    CLDR's interval formats write what the two dates share once: en "1–31 Jan 2021",
    "1 Jan 2021 – 31 Dec 2024"; zh "2021年1月1日 – 2024年12月31日".

    Parameters
    ----------
    date_from, date_to : datetime.date, datetime.datetime, pandas.Timestamp or str
        The first and the last day of the period (both included); text in ISO form.
    lang : str
        A code of :data:`geo.i18n.LANGUAGES`.
    precision : {"day", "month", "year"}, default "day"
        How much of each date to write.

    Returns
    -------
    str
        The period; one date when both are the same at that precision.
    """
    start, end = _as_date(date_from), _as_date(date_to)
    if end < start:
        raise ValueError(f"The period ends ({end}) before it starts ({start}).")
    return format_interval(start, end, _skeleton(precision), locale=cldr_locale(lang))


def _skeleton(precision: str) -> str:
    if precision not in PRECISIONS:
        raise ValueError(
            f"Unknown date precision {precision!r}: use one of {', '.join(PRECISIONS)}."
        )
    return PRECISIONS[precision]


def _as_date(value: dt.date | str) -> dt.date:
    """Return a date; a datetime (or pandas Timestamp) loses its time of day."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise TypeError(f"'date' should be a date or ISO text such as '2021-01-31', got {value!r}")
