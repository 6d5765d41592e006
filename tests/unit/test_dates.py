"""Tests for geo.ingest.dates: seizure dates read from agency text."""

import datetime
import json

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from geo.ingest import dates
from geo.ingest.dates import assemble_dates, infer_dayfirst, parse_dates
from geo.ingest.headers import map_columns
from geo.ingest.normalise import NormaliseOptions, normalise_chunk

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


# -- dates split over year, month and day columns ------------------------------------------


def _assemble(years, months=None, days=None):
    """Assemble dates from lists of cells; return the frame with plain dates."""
    frame = assemble_dates(
        pd.Series(years, dtype=object),
        None if months is None else pd.Series(months, dtype=object),
        None if days is None else pd.Series(days, dtype=object),
        today=TODAY,
    )
    frame["date"] = [None if pd.isna(value) else value.date() for value in frame["date"]]
    return frame


@pytest.mark.parametrize(
    ("year", "month", "day", "expected", "precision"),
    [
        ("2021", "3", "4", D(2021, 3, 4), "day"),
        ("2021.0", "3.0", "4.0", D(2021, 3, 4), "day"),  # spreadsheet numbers as text
        (2021.0, 3.0, 4.0, D(2021, 3, 4), "day"),  # spreadsheet numbers as numbers
        ("2021", "03", "04", D(2021, 3, 4), "day"),
        ("2021", "March", "4", D(2021, 3, 4), "day"),
        ("2021", "mar", "4", D(2021, 3, 4), "day"),
        ("2021", "Mar.", "4th", D(2021, 3, 4), "day"),
        ("2021", "marzo", "4", D(2021, 3, 4), "day"),
        ("2021", "março", "4", D(2021, 3, 4), "day"),
        ("2021", "Septembre", "1er", D(2021, 9, 1), "day"),
        ("2021", "3月", "4日", D(2021, 3, 4), "day"),
        ("2021", "三月", "4", D(2021, 3, 4), "day"),
        ("2021", "3", None, D(2021, 3, 1), "month"),
        ("2021", "diciembre", "", D(2021, 12, 1), "month"),
        ("2021", None, None, D(2021, 1, 1), "year"),
        ("2021", "-", "n/a", D(2021, 1, 1), "year"),
        ("2024", "2", "29", D(2024, 2, 29), "day"),
    ],
)
def test_year_month_day_columns_give_the_date_and_its_precision(
    year, month, day, expected, precision
):
    row = _assemble([year], [month], [day]).iloc[0]
    assert row["date"] == expected
    assert row["precision"] == precision
    assert row["problem"] is None


def test_a_year_column_alone_gives_year_precision():
    frame = _assemble(["2019", "2019.0", 2019.0, "2021-03-04", "2021年", None, "n/a"])
    assert frame["date"].tolist() == [D(2019, 1, 1)] * 3 + [D(2021, 3, 4), D(2021, 1, 1)] + [
        None,
        None,
    ]
    assert frame["precision"].tolist() == ["year"] * 3 + ["day", "year", None, None]
    assert frame["problem"].isna().all()


def test_an_unreadable_month_or_day_keeps_the_row_at_a_coarser_precision():
    frame = _assemble(
        ["2021", "2021", "2021", "2021"], ["Foo", "13", "4", "2"], ["3", "", "31", "30"]
    )
    assert frame["date"].tolist() == [D(2021, 1, 1), D(2021, 1, 1), D(2021, 4, 1), D(2021, 2, 1)]
    assert frame["precision"].tolist() == ["year", "year", "month", "month"]
    assert frame["problem"].isna().all()
    assert "month 'Foo' is not a recognised month" in frame["month_problem"][0]
    assert "kept to the year" in frame["month_problem"][1]
    assert frame["day_problem"][2] == (
        "day 31 does not exist in 2021-04; the date is kept to the month"
    )
    assert "2021-02" in frame["day_problem"][3]


def test_assembled_dates_out_of_range_or_unreadable_years_are_problems():
    frame = _assemble(["2031", "2031", "1850", "abc", "21.5"], ["5", None, "1", "1", None])
    assert frame["date"].isna().all()
    assert frame["precision"].isna().all()
    assert frame["problem"].tolist() == [
        "date 2031-05 is in the future",
        "date 2031 is in the future",
        "date 1850-01 is before 1900",
        "year 'abc' is not a recognised year or date",
        "year '21.5' is not a recognised year or date",
    ]


def test_assembled_dates_keep_the_index_and_read_each_distinct_cell_once(monkeypatch):
    calls = []
    original = dates._month_number
    monkeypatch.setattr(dates, "_month_number", lambda text: calls.append(text) or original(text))
    index = pd.Index(range(10, 10 + 30_000, 1))
    years = pd.Series(["2020", "2021", "2022"] * 10_000, index=index, dtype=object)
    months = pd.Series(["jan", "February", "3"] * 10_000, index=index, dtype=object)
    frame = assemble_dates(years, months, today=TODAY)
    assert frame.index.equals(index)
    assert sorted(calls) == ["3", "february", "jan"]
    assert frame["precision"].eq("month").all()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021.0", D(2021, 1, 1)),  # a year written by a spreadsheet, not January 2021
        ("2021-03-04 14:30", D(2021, 3, 4)),
        ("04/03/2021 14:30:00", D(2021, 3, 4)),
        ("2021-03-04T14:30:00.000Z", D(2021, 3, 4)),
        ("04/03/2021 14h30", D(2021, 3, 4)),
        ("4/3/2021 2:30 PM", D(2021, 3, 4)),
    ],
)
def test_date_times_and_spreadsheet_years(text, expected):
    date, precision, problem = _parse_one(text)
    assert date == expected
    assert precision == ("year" if text == "2021.0" else "day")
    assert problem is None


def test_normalising_reads_year_month_day_columns():
    raw = pd.DataFrame(
        {
            "Año": ["2021", "2021.0", "2020", "2019", "2021", None],
            "Mes": ["marzo", "3", "Foo", None, "4", "5"],
            "Día": ["4", "4.0", "1", None, "31", "1"],
            "País": ["BR"] * 6,
            "Especie": ["Manis javanica"] * 6,
        },
        index=pd.RangeIndex(2, 8),
        dtype=object,
    )
    mapping = map_columns(list(raw.columns))
    assert {mapping.fields[name] for name in ("year", "month", "day")} == {"Año", "Mes", "Día"}
    result = normalise_chunk(raw, mapping, NormaliseOptions(today=TODAY))
    records = result.records
    assert [None if pd.isna(d) else d.date() for d in records["seizure_date"]] == [
        D(2021, 3, 4),
        D(2021, 3, 4),
        D(2020, 1, 1),
        D(2019, 1, 1),
        D(2021, 4, 1),
        None,
    ]
    assert records["date_precision"].tolist()[:5] == ["day", "day", "year", "year", "month"]
    # A month or day that cannot be used warns and is kept; a missing year quarantines.
    assert set(result.warnings["column"]) == {"Mes", "Día"}
    assert json.loads(records.loc[4, "extra"]) == {
        "Mes (as written)": "Foo",
        "Día (as written)": "1",
    }
    assert result.errors[["row", "column", "reason"]].values.tolist() == [
        [7, "Año", "the seizure date is missing"]
    ]


def test_a_date_column_wins_over_year_columns_where_it_is_filled():
    raw = pd.DataFrame(
        {
            "Date": ["2021-03-04", None, "n/a", "31/02/2019"],
            "Year": ["2019", "2019", "2018", "2019"],
            "Month": ["1", "7", "dic", "2"],
            "Country": ["BR"] * 4,
            "Species": ["Manis javanica"] * 4,
        },
        dtype=object,
    )
    result = normalise_chunk(raw, map_columns(list(raw.columns)), NormaliseOptions(today=TODAY))
    assert [None if pd.isna(d) else d.date() for d in result.records["seizure_date"]] == [
        D(2021, 3, 4),
        D(2019, 7, 1),
        D(2018, 12, 1),
        None,  # a date cell that is wrong is a problem, not replaced by the year columns
    ]
    assert result.records["date_precision"].tolist()[:3] == ["day", "month", "month"]
    assert result.errors[["row", "column"]].values.tolist() == [[3, "Date"]]
