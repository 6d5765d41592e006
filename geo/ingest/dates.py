"""Seizure dates read from agency text: ISO, day/month orders, month names, Excel serials.

Also dates split over year, month and day columns, as spreadsheets and statistics tables
give them.
"""

from __future__ import annotations

import datetime
import re
import unicodedata

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo.ingest import _arrow

__all__ = ["assemble_dates", "infer_dayfirst", "parse_dates"]

_NOT_A_TIME = np.datetime64("NaT", "D")
_EXCEL_EPOCH = np.datetime64("1899-12-30", "D")
_EARLIEST = np.datetime64("1900-01-01", "D")
# Excel serials 20000..80000 are the years 1954..2119; other numbers are not read as dates.
_SERIAL_RANGE = (20000, 80000)

# Precision codes; index 0 (no precision) doubles as the slot for missing cells.
_PRECISIONS = np.array([None, "day", "month", "year"], dtype=object)
_DAY, _MONTH, _YEAR = 1, 2, 3
_PRECISION_CODES = {"day": _DAY, "month": _MONTH, "year": _YEAR}

# Cell texts that mean "no date given" (compared after trimming and lower-casing).
_MISSING = frozenset(
    {
        "",
        "-",
        "--",
        "—",
        "–",
        "?",
        "n/a",
        "na",
        "n.a.",
        "nan",
        "nat",
        "none",
        "null",
        "nil",
        "nd",
        "n.d.",
        "s/f",
        "s.f.",
        "unknown",
        "desconocido",
        "desconocida",
        "sin fecha",
        "inconnu",
        "inconnue",
        "desconhecido",
        "desconhecida",
        "不详",
        "未知",
    }
)

# Full month names after accents are removed; any prefix of three letters or more that belongs
# to a single month also names it ("sept", "févr", "juil", "setiem"), which covers the usual
# abbreviations in all four languages without listing them.
_MONTH_NAMES = {
    1: ("january", "enero", "janvier", "janeiro"),
    2: ("february", "febrero", "fevrier", "fevereiro"),
    3: ("march", "marzo", "mars", "marco"),
    4: ("april", "abril", "avril"),
    5: ("may", "mayo", "mai", "maio"),
    6: ("june", "junio", "juin", "junho"),
    7: ("july", "julio", "juillet", "julho"),
    8: ("august", "agosto", "aout"),
    9: ("september", "septiembre", "setiembre", "septembre", "setembro"),
    10: ("october", "octubre", "octobre", "outubro"),
    11: ("november", "noviembre", "novembre", "novembro"),
    12: ("december", "diciembre", "decembre", "dezembro"),
}


def _month_prefixes() -> dict[str, int]:
    candidates: dict[str, set[int]] = {}
    for month, names in _MONTH_NAMES.items():
        for name in names:
            for end in range(3, len(name) + 1):
                candidates.setdefault(name[:end], set()).add(month)
    return {prefix: months.pop() for prefix, months in candidates.items() if len(months) == 1}


_MONTHS = _month_prefixes()

# Weekday names are dropped; only full names (and English three-letter forms), because
# abbreviations such as Spanish "mar" (martes) would collide with month names.
_WEEKDAYS = frozenset(
    {
        *("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
        *("mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun"),
        *("lunes", "martes", "miercoles", "jueves", "viernes", "sabado", "domingo"),
        *("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
        *("segunda", "terca", "quarta", "quinta", "sexta", "feira"),
    }
)
_CONNECTORS = frozenset({"de", "del", "le", "the", "of", "em", "do", "da"})
# Ordinal endings split off a day number: 1st, 1er, 1re, 1º (NFKC turns º into o), 1ª.
_ORDINALS = frozenset({"st", "nd", "rd", "th", "er", "re", "e", "eme", "o", "a"})

_TIME_SUFFIX = re.compile(
    r"(?:\s+|(?<=\d)t)\d{1,2}(?::\d{2}(?::\d{2}(?:[.,]\d+)?)?|h\d{2}(?:m(?:in)?)?)"
    r"\s*(?:z|utc|gmt|[ap]\.?\s?m\.?|[+-]\d{2}(?::?\d{2})?)?$"
)
_CHINESE = re.compile(r"^(\d{4})\s*年\s*(?:(\d{1,2})\s*月\s*(?:(\d{1,2})\s*[日号號]?)?)?$")
_YEAR_MONTH_DAY = re.compile(r"^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})([-/.])(\d{1,2})\2(\d{2}|\d{4})$")
_YEAR_MONTH = re.compile(r"^(\d{4})[-/.](\d{1,2})$")
_MONTH_YEAR = re.compile(r"^(\d{1,2})[-/.](\d{4})$")
_YEAR_ONLY = re.compile(r"^(\d{4})(?:\.0+)?$")
_COMPACT = re.compile(r"^((?:19|20)\d{2})(\d{2})(\d{2})$")
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
_TOKEN = re.compile(r"\d+|[^\W\d_]+")
_SEPARATORS = re.compile(r"[\s,./\-_'’()]*")

# Vectorised fast paths (RE2 syntax: no back-references).  Each only accepts text that the
# per-value parser reads the same way, so a value's result never depends on its neighbours.
_TIME_PART = r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_FAST_ISO = rf"^[12]\d{{3}}(?:-\d{{1,2}}-\d{{1,2}}|/\d{{1,2}}/\d{{1,2}}){_TIME_PART}$"
_FAST_DAY_MONTH = rf"^\d{{1,2}}(?:/\d{{1,2}}/|\.\d{{1,2}}\.|-\d{{1,2}}-)[12]\d{{3}}{_TIME_PART}$"
_FAST_DATE_TIME = (
    r"^(?:[12]\d{3}-\d{2}-\d{2}|\d{2}/\d{2}/[12]\d{3})[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$"
)
_FAST_SERIAL = r"^\d{5}(?:\.\d+)?$"
_FAST_INFER = r"^(?P<first>\d{1,2})[/.\-](?P<second>\d{1,2})[/.\-](?:\d{2}|\d{4})(?:[T ].*)?$"


def infer_dayfirst(values: pd.Series) -> bool | None:
    """Guess whether numeric dates in a column put the day before the month.

    Looks at dates written ``a/b/yyyy`` (or with ``.`` or ``-``, two- or four-digit years).

    Parameters
    ----------
    values : pandas.Series
        Date cells as text.

    Returns
    -------
    bool or None
        True when some first number exceeds 12 (so it must be a day), False when some second
        number does, and None when neither is seen or both are (an inconsistent file).
    """
    text = _arrow_text(values)
    uniques = pc.unique(pc.drop_null(text))
    parts = pc.extract_regex(uniques, _FAST_INFER)
    parts = parts.filter(pc.is_valid(parts))
    firsts = _field_numbers(parts, "first")
    seconds = _field_numbers(parts, "second")
    day_first = bool(np.any((firsts > 12) & (seconds <= 12)))
    month_first = bool(np.any((seconds > 12) & (firsts <= 12)))
    if day_first == month_first:
        return None
    return day_first


def parse_dates(
    values: pd.Series, dayfirst: bool = True, today: datetime.date | None = None
) -> pd.DataFrame:
    """Read seizure dates from agency text, one result per cell.

    Reads ISO dates and date-times, ``dd/mm/yyyy`` and ``mm/dd/yyyy`` (also with ``.`` or
    ``-`` and two-digit years), month names in English, Spanish, French and Portuguese
    (full or abbreviated, any case, with or without accents), Chinese ``2021年3月15日``,
    Excel serial numbers, and coarse dates: a year alone (``2021``) or a month
    (``2021-03``, ``03/2021``, ``March 2021``, ``2021年3月``) become the first day of that
    period with precision ``"year"`` or ``"month"``.  Two-digit years 00–69 are 20xx and
    70–99 are 19xx.  A day/month order that can be read only one way is read that way
    (``03/25/2021`` is 25 March even with ``dayfirst=True``).

    Parameters
    ----------
    values : pandas.Series
        Date cells, as text or None (also accepts datetime or numeric columns).
    dayfirst : bool, default True
        How to read numeric dates where both readings are valid, such as ``05/03/2021``.
    today : datetime.date, optional
        Dates after this day are problems; defaults to the current date.

    Returns
    -------
    pandas.DataFrame
        Indexed like `values`, with columns ``date`` (``datetime64[us]`` at midnight; NaT when
        the cell is empty or has a problem), ``precision`` (``"day"``, ``"month"``, ``"year"``
        or None) and ``problem`` (one sentence naming the value, or None).  Empty cells and
        placeholders such as ``"n/a"`` or ``"-"`` give NaT with no problem; a row with a
        problem never carries a date.
    """
    if today is None:
        today = datetime.date.today()
    text = _without_clock_time(_arrow_text(values))
    encoded = pc.dictionary_encode(text)
    uniques = encoded.dictionary
    days, precisions, problems = _parse_unique_dates(uniques, dayfirst)
    _reject_out_of_range(days, precisions, problems, np.datetime64(today, "D"))

    # Null cells point one past the uniques, at a slot that holds "no date, no problem".
    rows = pc.fill_null(encoded.indices, len(uniques)).to_numpy(zero_copy_only=False)
    days = np.append(days, _NOT_A_TIME)
    precisions = np.append(precisions, 0)
    problems = np.append(problems, None)
    return pd.DataFrame(
        {
            "date": days[rows].astype("datetime64[us]"),
            "precision": pd.Series(_PRECISIONS[precisions[rows]], dtype=object),
            "problem": pd.Series(problems[rows], dtype=object),
        }
    ).set_axis(values.index)


def assemble_dates(
    year: pd.Series,
    month: pd.Series | None = None,
    day: pd.Series | None = None,
    dayfirst: bool = True,
    today: datetime.date | None = None,
) -> pd.DataFrame:
    """Read seizure dates split over year, month and day columns, one result per row.

    Each column is read once per distinct cell: years as ``2021`` or a spreadsheet's
    ``2021.0``, months as numbers (``3``, ``03``, ``3.0``) or names in English, Spanish,
    French, Portuguese or Chinese, full or abbreviated (``March``, ``mar``, ``marzo``,
    ``3月``), days as numbers (``4``, ``4.0``, ``4th``, ``4日``).  The date has precision
    ``"day"`` with all three, ``"month"`` with a year and a month, ``"year"`` with a year
    alone.  A year cell that holds a whole date (``2021-03-04``) is read as
    :func:`parse_dates` reads it.

    A month or day that cannot be read, or a day that does not exist in its month, does not
    lose the row: the date keeps the coarser precision, and the problem is reported in
    ``month_problem`` or ``day_problem`` for the caller to warn about.  A year that cannot
    be read, or a date before 1900 or after `today`, is a ``problem``, as in
    :func:`parse_dates`.

    Parameters
    ----------
    year : pandas.Series
        Year cells, as text or numbers; missing cells are allowed.
    month, day : pandas.Series, optional
        Month and day cells indexed like `year`.
    dayfirst : bool, default True
        How to read a whole date found in a year cell.
    today : datetime.date, optional
        Dates after this day are problems; defaults to the current date.

    Returns
    -------
    pandas.DataFrame
        Indexed like `year`, with ``date`` (``datetime64[us]``, the first day of the period),
        ``precision``, ``problem``, ``month_problem`` and ``day_problem`` (a sentence or None).
    """
    if today is None:
        today = datetime.date.today()
    index = year.index
    years, year_problems, whole = _year_numbers(year)
    months, month_problems = _part_numbers(month, index, _month_number, "month")
    days, day_problems = _part_numbers(day, index, _day_number, "day")

    has_year = ~np.isnan(years)
    has_month = has_year & ~np.isnan(months)
    has_day = has_month & ~np.isnan(days)
    orphan_day = has_year & ~has_month & ~np.isnan(days)
    if orphan_day.any():
        day_problems = day_problems.copy()
        day_problems[orphan_day] = "a day is given without a month; the date is kept to the year"

    first_month = np.where(has_year, years, 1970).astype(np.int64) - 1970
    month_start = (first_month * 12 + np.where(has_month, months, 1).astype(np.int64) - 1).astype(
        "datetime64[M]"
    )
    length = (
        (month_start + 1).astype("datetime64[D]") - month_start.astype("datetime64[D]")
    ).astype(np.int64)
    day_number = np.where(has_day, days, 1).astype(np.int64)
    impossible = has_day & (day_number > length)
    if impossible.any():
        day_problems = day_problems.copy()
        day_problems[impossible] = _sentences(
            "day ",
            day_number[impossible].astype(str),
            " does not exist in ",
            np.datetime_as_string(month_start[impossible], unit="M"),
            "; the date is kept to the month",
        )
        has_day &= ~impossible
        day_number = np.where(has_day, day_number, 1)
    dates = month_start.astype("datetime64[D]") + (day_number - 1).astype("timedelta64[D]")
    dates = np.where(has_year, dates, _NOT_A_TIME)
    precisions = np.where(has_day, _DAY, np.where(has_month, _MONTH, _YEAR)).astype(np.int8)
    precisions[~has_year] = 0

    # Whole dates written in the year column are read as a date column would be.
    if whole.any():
        parsed = parse_dates(year[whole], dayfirst=dayfirst, today=today)
        dates[whole] = parsed["date"].to_numpy().astype("datetime64[D]")
        codes = parsed["precision"].map(_PRECISION_CODES).fillna(0)
        precisions[whole] = codes.to_numpy(dtype=np.int8)
        found = parsed["problem"]
        unread = found.str.contains("not a recognised date", na=False, regex=False)
        found = found.where(
            ~unread, "year '" + year[whole].astype(str) + "' is not a recognised year or date"
        )
        year_problems = year_problems.copy()
        year_problems[whole] = found.to_numpy(dtype=object)

    problems = year_problems.copy()
    too_early = has_year & (dates < _EARLIEST)
    too_late = has_year & (dates > np.datetime64(today, "D"))
    bad = too_early | too_late
    if bad.any():
        problems[bad] = _sentences(
            "date ",
            _shown_periods(dates[bad], precisions[bad]),
            np.where(too_early[bad], " is before 1900", " is in the future"),
        )
    dates[bad] = _NOT_A_TIME
    precisions[bad] = 0
    return pd.DataFrame(
        {
            "date": dates.astype("datetime64[us]"),
            "precision": pd.Series(_PRECISIONS[precisions], dtype=object),
            "problem": pd.Series(problems, dtype=object),
            "month_problem": pd.Series(np.where(has_year, month_problems, None), dtype=object),
            "day_problem": pd.Series(np.where(has_year, day_problems, None), dtype=object),
        }
    ).set_axis(index)


def _sentences(*parts: str | np.ndarray) -> np.ndarray:
    """Join text pieces and arrays of texts element-wise into an object array of sentences."""
    joined = parts[0]
    for part in parts[1:]:
        joined = np.char.add(joined, part)
    return np.asarray(joined, dtype=object)


def _shown_periods(dates: np.ndarray, precisions: np.ndarray) -> np.ndarray:
    """Write each date to its precision, as a person gave it: 2031, 2031-05, 2031-05-04."""
    return np.where(
        precisions == _YEAR,
        np.datetime_as_string(dates.astype("datetime64[Y]"), unit="Y"),
        np.where(
            precisions == _MONTH,
            np.datetime_as_string(dates.astype("datetime64[M]"), unit="M"),
            np.datetime_as_string(dates, unit="D"),
        ),
    )


_PLAIN_YEAR = re.compile(r"^(\d{4})(?:[.,]0+)?$")
_PLAIN_NUMBER = re.compile(r"^(\d{1,2})(?:[.,]0+)?$")
_CHINESE_NUMERALS = {
    "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6,
    "七": 7, "八": 8, "九": 9, "十": 10, "十一": 11, "十二": 12,
}  # fmt: skip


def _year_numbers(values: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Years per row (NaN where none), problems, and rows whose cell is a whole date."""
    codes, uniques = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=True)
    numbers = np.full(len(uniques) + 1, np.nan)
    problems = np.full(len(uniques) + 1, None, dtype=object)
    whole = np.zeros(len(uniques) + 1, dtype=bool)
    for position, cell in enumerate(uniques):
        text = _cell_text(cell)
        folded = _fold(text.strip()) if text is not None else ""
        if folded in _MISSING:
            continue
        if match := _PLAIN_YEAR.match(folded):
            numbers[position] = int(match[1])
        elif isinstance(cell, float | int) and not isinstance(cell, bool):
            problems[position] = f"year '{text}' is not a recognised year"
        else:
            whole[position] = True
    return numbers[codes], problems[codes], whole[codes]


def _part_numbers(
    values: pd.Series | None, index: pd.Index, read: object, name: str
) -> tuple[np.ndarray, np.ndarray]:
    """Month or day numbers per row (NaN where none) and a sentence where unreadable."""
    if values is None:
        return np.full(len(index), np.nan), np.full(len(index), None, dtype=object)
    codes, uniques = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=True)
    numbers = np.full(len(uniques) + 1, np.nan)
    problems = np.full(len(uniques) + 1, None, dtype=object)
    coarser = "year" if name == "month" else "month"
    for position, cell in enumerate(uniques):
        text = _cell_text(cell)
        folded = _fold(text.strip()) if text is not None else ""
        if folded in _MISSING:
            continue
        number = read(folded)
        if number is None:
            problems[position] = (
                f"{name} '{text}' is not a recognised {name}; the date is kept to the {coarser}"
            )
        else:
            numbers[position] = number
    return numbers[codes], problems[codes]


def _month_number(folded: str) -> int | None:
    """Read a month cell: 3, 03, 3.0, "March", "mar.", "marzo", "3月", "三月"."""
    text = folded.rstrip(".").strip()
    if match := _PLAIN_NUMBER.match(text):
        number = int(match[1])
        return number if 1 <= number <= 12 else None
    if text in _MONTHS:
        return _MONTHS[text]
    if text.endswith("月"):
        number_text = text[:-1].strip()
        if number_text in _CHINESE_NUMERALS:
            return _CHINESE_NUMERALS[number_text]
        return _month_number(number_text) if number_text.isdigit() else None
    return None


def _day_number(folded: str) -> int | None:
    """Read a day cell: 4, 04, 4.0, "4th", "1er", "4日"."""
    text = folded.rstrip(".").strip()
    for suffix in sorted((*_ORDINALS, "日", "号"), key=len, reverse=True):
        if text.endswith(suffix) and text[: -len(suffix)].strip().isdigit():
            text = text[: -len(suffix)].strip()
            break
    if match := _PLAIN_NUMBER.match(text):
        number = int(match[1])
        return number if 1 <= number <= 31 else None
    return None


def _parse_unique_dates(
    uniques: pa.Array, dayfirst: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Parse distinct trimmed texts: vectorised shapes first, then one Python call each."""
    count = len(uniques)
    days = np.full(count, _NOT_A_TIME)
    precisions = np.zeros(count, dtype=np.int8)
    problems = np.full(count, None, dtype=object)
    pending = ~_is_missing(uniques)

    day_month_formats = ["%d/%m/%Y", "%m/%d/%Y"] if dayfirst else ["%m/%d/%Y", "%d/%m/%Y"]
    fast_paths = [
        (_FAST_ISO, {"/": "-"}, ["%Y-%m-%d"]),
        (_FAST_DAY_MONTH, {".": "/", "-": "/"}, day_month_formats),
    ]
    for pattern, replacements, formats in fast_paths:
        hits = np.flatnonzero(pending & _arrow.matches(uniques, pattern))
        if not len(hits):
            continue
        date_part = pc.replace_substring_regex(uniques.take(hits), r"[T ].*$", "")
        for separator, replacement in replacements.items():
            date_part = pc.replace_substring(date_part, separator, replacement)
        parsed = _parse_with_formats(date_part, formats)
        found = ~np.isnat(parsed)
        days[hits[found]] = parsed[found]
        precisions[hits[found]] = _DAY
        pending[hits[found]] = False

    serial_hits = np.flatnonzero(pending & _arrow.matches(uniques, _FAST_SERIAL))
    if len(serial_hits):
        serials = pc.cast(uniques.take(serial_hits), pa.float64()).to_numpy(zero_copy_only=False)
        inside = (serials >= _SERIAL_RANGE[0]) & (serials < _SERIAL_RANGE[1])
        taken = serial_hits[inside]
        days[taken] = _EXCEL_EPOCH + np.floor(serials[inside]).astype("timedelta64[D]")
        precisions[taken] = _DAY
        pending[taken] = False

    remaining = np.flatnonzero(pending)
    for position, text in zip(remaining, uniques.take(remaining).to_pylist(), strict=True):
        try:
            parsed_value = _parse_date_text(text, dayfirst)
        except ValueError as error:
            problems[position] = str(error)
            continue
        if parsed_value is not None:
            day, precision = parsed_value
            days[position] = np.datetime64(day, "D")
            precisions[position] = _PRECISION_CODES[precision]
    return days, precisions, problems


def _without_clock_time(text: pa.Array) -> pa.Array:
    """Cut the time of day off regular date-times, so that a column has few distinct values."""
    lengths = pc.utf8_length(text)
    if not pc.any(pc.greater(lengths, 10)).as_py():
        return text
    timed = pc.match_substring_regex(text, _FAST_DATE_TIME)
    return pc.if_else(pc.fill_null(timed, False), pc.utf8_slice_codeunits(text, 0, 10), text)


def _parse_with_formats(texts: pa.Array, formats: list[str]) -> np.ndarray:
    """Dates for `texts` trying each strptime format in turn; NaT where none fits."""
    encoded = pc.dictionary_encode(texts)
    distinct = pd.Series(encoded.dictionary.to_pandas(), dtype="str")
    result = np.full(len(distinct), _NOT_A_TIME)
    for date_format in formats:
        missing = np.isnat(result)
        if not missing.any():
            break
        parsed = pd.to_datetime(distinct[missing], format=date_format, errors="coerce")
        result[missing] = parsed.to_numpy().astype("datetime64[D]")
    return result[encoded.indices.to_numpy(zero_copy_only=False)]


def _reject_out_of_range(
    days: np.ndarray, precisions: np.ndarray, problems: np.ndarray, today: np.datetime64
) -> None:
    """Turn dates before 1900 or after `today` into problems, in place."""
    too_early = days < _EARLIEST
    too_late = days > today
    for position in np.flatnonzero(too_early | too_late):
        when = "is before 1900" if too_early[position] else "is in the future"
        problems[position] = f"date {days[position]} {when}"
        days[position] = _NOT_A_TIME
        precisions[position] = 0


def _parse_date_text(text: str, dayfirst: bool) -> tuple[datetime.date, str] | None:
    """Read one trimmed cell: (date, precision), None for a missing value, or ValueError."""
    folded = _fold(text)
    if folded in _MISSING:
        return None
    folded = _TIME_SUFFIX.sub("", folded).strip()

    if match := _CHINESE.match(folded):
        year, month, day = match.groups()
        return _build(text, int(year), month and int(month), day and int(day))
    if match := _YEAR_MONTH_DAY.match(folded):
        return _build(text, int(match[1]), int(match[3]), int(match[4]))
    if match := _DAY_MONTH_YEAR.match(folded):
        first, second = int(match[1]), int(match[3])
        if first > 12 or (second <= 12 and dayfirst):
            day, month = first, second
        else:
            month, day = first, second
        return _build(text, _full_year(match[4]), month, day)
    # Before year-month: a spreadsheet writes the year 2021 as "2021.0", not January.
    if match := _YEAR_ONLY.match(folded):
        return _build(text, int(match[1]), None, None)
    if match := _YEAR_MONTH.match(folded):
        return _build(text, int(match[1]), int(match[2]), None)
    if match := _MONTH_YEAR.match(folded):
        return _build(text, int(match[2]), int(match[1]), None)
    if match := _COMPACT.match(folded):
        return _build(text, int(match[1]), int(match[2]), int(match[3]))
    if _NUMBER.match(folded):
        serial = float(folded)
        if _SERIAL_RANGE[0] <= serial < _SERIAL_RANGE[1]:
            day = _EXCEL_EPOCH + np.timedelta64(int(serial), "D")
            return day.item(), "day"
        raise ValueError(f"date '{text}' is not a recognised date")
    return _parse_words(text, folded)


def _parse_words(text: str, folded: str) -> tuple[datetime.date, str]:
    """Read dates written with a month name, such as "18-Jan-09" or "3 de março de 2021"."""
    if _SEPARATORS.fullmatch(_TOKEN.sub("", folded)) is None:
        raise ValueError(f"date '{text}' is not a recognised date")
    numbers: list[str] = []
    month = None
    shape = ""
    for token in _TOKEN.findall(folded):
        if token.isdigit():
            numbers.append(token)
            shape += "N"
        elif token in _WEEKDAYS or token in _CONNECTORS:
            continue
        elif token in _ORDINALS and shape.endswith("N") and len(numbers[-1]) <= 2:
            continue
        elif token in _MONTHS and month is None:
            month = _MONTHS[token]
            shape += "M"
        else:
            raise ValueError(f"date '{text}' is not a recognised date")
    if month is None:
        raise ValueError(f"date '{text}' is not a recognised date")

    if shape == "NMN" and len(numbers[0]) == 4:
        year, day = numbers
    elif shape == "NMN":
        day, year = numbers
    elif shape == "MNN":
        day, year = numbers
    elif shape in ("MN", "NM") and len(numbers[0]) == 4:
        return _build(text, int(numbers[0]), month, None)
    elif shape == "MN" and len(numbers[0]) == 2:
        return _build(text, _full_year(numbers[0]), month, None)
    elif shape in ("M", "NM"):
        raise ValueError(f"date '{text}' has no year")
    else:
        raise ValueError(f"date '{text}' is not a recognised date")
    if len(day) > 2 or len(year) not in (2, 4):
        raise ValueError(f"date '{text}' is not a recognised date")
    return _build(text, _full_year(year), month, int(day))


def _build(text: str, year: int, month: int | None, day: int | None) -> tuple[datetime.date, str]:
    """Return the first day of the period and its precision; ValueError if impossible."""
    precision = "year" if month is None else "month" if day is None else "day"
    try:
        return datetime.date(year, month or 1, day or 1), precision
    except ValueError:
        raise ValueError(f"date '{text}' is not a valid date") from None


def _full_year(digits: str) -> int:
    year = int(digits)
    if len(digits) == 2:
        # Seizure records start in the 1970s, so 00–69 are this century.
        return year + (2000 if year < 70 else 1900)
    return year


def _fold(text: str) -> str:
    """Lower-case, compatibility-normalised text without accents (full-width digits → ASCII)."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _arrow_text(values: pd.Series) -> pa.Array:
    """Cells as a trimmed Arrow string array, with null for missing cells."""
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        values = values.dt.strftime("%Y-%m-%d")
    if isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow":
        array = pa.array(values)
    else:
        cells = values.to_numpy(dtype=object)
        try:
            array = pa.array(cells, type=pa.string(), from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            array = pa.array([_cell_text(cell) for cell in cells], type=pa.string())
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    return pc.utf8_trim_whitespace(array)


def _cell_text(cell: object) -> str | None:
    if cell is None or (isinstance(cell, float) and np.isnan(cell)) or cell is pd.NA:
        return None
    if isinstance(cell, pd.Timestamp | datetime.date) and not pd.isna(cell):
        return cell.isoformat()
    return str(cell)


def _is_missing(texts: pa.Array) -> np.ndarray:
    lowered = pc.utf8_lower(texts)
    placeholders = pa.array(sorted(_MISSING), type=lowered.type)
    return pc.is_in(lowered, value_set=placeholders).to_numpy(zero_copy_only=False)


def _field_numbers(parts: pa.StructArray, name: str) -> np.ndarray:
    return pc.cast(parts.field(name), pa.int32()).to_numpy(zero_copy_only=False)
