"""Tests for geo.ingest.dates: seizure dates read from agency text."""

import datetime

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from geo.ingest import dates
from geo.ingest.dates import infer_dayfirst, parse_dates

TODAY = datetime.date(2025, 6, 30)


def _parse_one(text, dayfirst=True):
    """Parse a single cell and return its (date, precision, problem)."""
    row = parse_dates(pd.Series([text], dtype=object), dayfirst=dayfirst, today=TODAY).iloc[0]
    date = None if pd.isna(row["date"]) else row["date"].date()
    return date, row["precision"], row["problem"]


D = datetime.date


@pytest.mark.parametrize(
    ("text", "dayfirst", "expected", "precision"),
    [
        ("2021-03-15", True, D(2021, 3, 15), "day"),
        ("2021-03-15T10:20:00", True, D(2021, 3, 15), "day"),
        ("2021-03-15 10:20:00", True, D(2021, 3, 15), "day"),
        ("2021-03-15T10:20:00Z", True, D(2021, 3, 15), "day"),
        ("2021-3-5", True, D(2021, 3, 5), "day"),
        ("2021/03/15", True, D(2021, 3, 15), "day"),
        ("  2021-03-15  ", True, D(2021, 3, 15), "day"),
        ("15/03/2021", True, D(2021, 3, 15), "day"),
        ("15.03.2021", True, D(2021, 3, 15), "day"),
        ("15-03-2021", True, D(2021, 3, 15), "day"),
        ("15/03/21", True, D(2021, 3, 15), "day"),
        ("15/03/2021 10:20", True, D(2021, 3, 15), "day"),
        ("05/03/2021", True, D(2021, 3, 5), "day"),
        ("05/03/2021", False, D(2021, 5, 3), "day"),
        ("03/25/2021", True, D(2021, 3, 25), "day"),
        ("25/03/2021", False, D(2021, 3, 25), "day"),
        ("5/3/21", True, D(2021, 3, 5), "day"),
        ("01/01/69", True, D(2069, 1, 1), None),  # 2069 is in the future: a problem
        ("01/01/70", True, D(1970, 1, 1), "day"),
        ("18-Jan-09", True, D(2009, 1, 18), "day"),
        ("18 Jan 2009", True, D(2009, 1, 18), "day"),
        ("Jan 18, 2009", True, D(2009, 1, 18), "day"),
        ("January 18, 2009", True, D(2009, 1, 18), "day"),
        ("18 January 2009", True, D(2009, 1, 18), "day"),
        ("18 JANUARY 2009", True, D(2009, 1, 18), "day"),
        ("Monday, 15 March 2021", True, D(2021, 3, 15), "day"),
        ("15th March 2021", True, D(2021, 3, 15), "day"),
        ("3 de marzo de 2021", True, D(2021, 3, 3), "day"),
        ("marzo 2021", True, D(2021, 3, 1), "month"),
        ("mar-21", True, D(2021, 3, 1), "month"),
        ("15-mar-2021", True, D(2021, 3, 15), "day"),
        ("sept 2020", True, D(2020, 9, 1), "month"),
        ("setiembre 2020", True, D(2020, 9, 1), "month"),
        ("1º de mayo de 2020", True, D(2020, 5, 1), "day"),
        ("3 mars 2021", True, D(2021, 3, 3), "day"),
        ("février 2020", True, D(2020, 2, 1), "month"),
        ("fevrier 2020", True, D(2020, 2, 1), "month"),
        ("1er avril 2021", True, D(2021, 4, 1), "day"),
        ("juil. 2020", True, D(2020, 7, 1), "month"),
        ("14 juillet 2019", True, D(2019, 7, 14), "day"),
        ("3 de março de 2021", True, D(2021, 3, 3), "day"),
        ("fev 2020", True, D(2020, 2, 1), "month"),
        ("25 de dezembro de 2019", True, D(2019, 12, 25), "day"),
        ("2021年3月15日", True, D(2021, 3, 15), "day"),
        ("2021年3月", True, D(2021, 3, 1), "month"),
        ("2021年", True, D(2021, 1, 1), "year"),
        ("44197", True, D(2021, 1, 1), "day"),
        ("44197.5", True, D(2021, 1, 1), "day"),
        ("2021", True, D(2021, 1, 1), "year"),
        ("2021-03", True, D(2021, 3, 1), "month"),
        ("03/2021", True, D(2021, 3, 1), "month"),
        ("March 2021", True, D(2021, 3, 1), "month"),
        ("20210315", True, D(2021, 3, 15), "day"),
        ("１５/０３/２０２１", True, D(2021, 3, 15), "day"),
    ],
)
def test_parse_dates_reads_the_date(text, dayfirst, expected, precision):
    date, found_precision, problem = _parse_one(text, dayfirst)
    if precision is None:
        assert date is None and problem is not None
    else:
        assert (date, found_precision, problem) == (expected, precision, None)


@pytest.mark.parametrize("text", [None, "", "   ", "n/a", "N/A", "-", "NaN", "unknown"])
def test_missing_dates_have_no_problem(text):
    assert _parse_one(text) == (None, None, None)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("31/02/2021", "date '31/02/2021' is not a valid date"),
        ("2021-02-31", "date '2021-02-31' is not a valid date"),
        ("2021-13", "date '2021-13' is not a valid date"),
        ("32 January 2021", "date '32 January 2021' is not a valid date"),
        ("13/13/2021", "date '13/13/2021' is not a valid date"),
        ("garbage", "date 'garbage' is not a recognised date"),
        ("12345", "date '12345' is not a recognised date"),
        ("15 Foo 2021", "date '15 Foo 2021' is not a recognised date"),
        ("2021-03-15 @ port", "date '2021-03-15 @ port' is not a recognised date"),
        ("21-mar", "date '21-mar' has no year"),
        ("March", "date 'March' has no year"),
        ("2031-05-01", "date 2031-05-01 is in the future"),
        ("2026", "date 2026-01-01 is in the future"),
        ("1850", "date 1850-01-01 is before 1900"),
        ("01/01/1850", "date 1850-01-01 is before 1900"),
        ("01/01/69", "date 2069-01-01 is in the future"),
    ],
)
def test_parse_dates_reports_the_bad_value(text, problem):
    assert _parse_one(text) == (None, None, problem)


def test_today_is_the_last_valid_day():
    frame = parse_dates(pd.Series(["2025-06-30", "2025-07-01"]), today=TODAY)
    assert frame["problem"].tolist() == [None, "date 2025-07-01 is in the future"]


def test_result_is_aligned_to_the_input_index():
    values = pd.Series(["2021-03-15", None, "bad"], index=[10, 20, 30])
    frame = parse_dates(values, today=TODAY)
    assert list(frame.columns) == ["date", "precision", "problem"]
    assert frame.index.tolist() == [10, 20, 30]
    assert frame["date"].dtype == "datetime64[us]"
    assert frame["precision"].tolist() == ["day", None, None]
    assert frame["problem"].tolist() == [None, None, "date 'bad' is not a recognised date"]


def test_empty_series():
    frame = parse_dates(pd.Series([], dtype=object), today=TODAY)
    assert frame.empty and list(frame.columns) == ["date", "precision", "problem"]


def test_datetime_and_string_dtype_columns():
    stamps = pd.Series(pd.to_datetime(["2021-03-15 10:20", None]))
    assert parse_dates(stamps, today=TODAY)["date"].tolist()[0] == pd.Timestamp("2021-03-15")
    text = pd.Series(["15/03/2021", None], dtype="string")
    assert parse_dates(text, today=TODAY)["date"].tolist()[0] == pd.Timestamp("2021-03-15")


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["15/03/2021", "01/02/2021"], True),
        (["03/15/2021", "01/02/2021"], False),
        (["15.03.21", None], True),
        (["15/03/2021", "03/15/2021"], None),
        (["01/02/2021", "05/06/2021"], None),
        (["2021-03-15", "18-Jan-09"], None),
        ([None, ""], None),
    ],
)
def test_infer_dayfirst(values, expected):
    assert infer_dayfirst(pd.Series(values, dtype=object)) is expected


FAST_PATH_VALUES = [
    "2021-03-15",
    "2021-3-5",
    "2021/03/15",
    "2021-03-15 10:20:00",
    "2021-03-15T10:20",
    "1850-01-01",
    "2021-02-31",
    "15/03/2021",
    "05/03/2021",
    "5.3.2021",
    "03-25-2021",
    "31/02/2021",
    "15/03/2021 10:20:00",
    "44197",
    "44197.75",
    "12345",
]


def _per_value(text, dayfirst):
    """The per-value parser's reading of `text`, with the same range rule."""
    try:
        parsed = dates._parse_date_text(text, dayfirst)
    except ValueError as error:
        return None, None, str(error)
    day, precision = parsed
    if day < datetime.date(1900, 1, 1):
        return None, None, f"date {day.isoformat()} is before 1900"
    return day, precision, None


@pytest.mark.parametrize("dayfirst", [True, False])
@pytest.mark.parametrize("text", FAST_PATH_VALUES)
def test_fast_paths_agree_with_the_per_value_parser(text, dayfirst):
    assert _parse_one(text, dayfirst) == _per_value(text, dayfirst)


def test_large_series_matches_parsing_each_unique_value():
    pool = [
        *FAST_PATH_VALUES,
        "18-Jan-09",
        "3 de marzo de 2021",
        "2021年3月",
        "2021",
        "march 2021",
        "n/a",
        "",
        None,
        "garbage",
        "2031-05-01",
        " 2021-03-15 ",
        "15/03/21",
    ]
    rng = np.random.default_rng(7)
    picks = rng.integers(0, len(pool), 200_000)
    values = pd.Series([pool[pick] for pick in picks], dtype=object, index=picks * 3)

    frame = parse_dates(values, today=TODAY)

    one_by_one = pd.concat(
        [parse_dates(pd.Series([value], dtype=object), today=TODAY) for value in pool],
        ignore_index=True,
    )
    expected = one_by_one.iloc[picks].set_axis(values.index)
    assert_frame_equal(frame, expected)
