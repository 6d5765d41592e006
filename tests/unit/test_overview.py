"""Tests for the overview's key figures, previous period and latest seizures."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from geo.analysis.overview import LATEST_COLUMNS, key_figures, latest, previous_period


@pytest.fixture
def records() -> pd.DataFrame:
    """Five seizures in three groups and three units, with list roles and a two-taxon row."""
    return pd.DataFrame(
        {
            "record_id": ["r1", "r2", "r3", "r4", "r5"],
            "seizure_date": [
                dt.date(2024, 1, 5),
                dt.date(2024, 2, 10),
                dt.date(2024, 2, 10),
                dt.date(2024, 3, 1),
                dt.date(2023, 12, 31),
            ],
            "date_precision": ["day", "day", "day", "day", "day"],
            "seizing_country": ["CN", "LA", "VN", "CN", "TH"],
            "location_name": ["Mohan", "Boten", "Lao Cai", None, "Bangkok"],
            "origin_countries": ["NG;CM", "LA", None, "CN", "XX"],
            "export_country": ["NG", None, None, None, None],
            "transit_countries": ["ET;VN", None, None, None, None],
            "destination_country": ["CN", "CN", "CN", "CN", None],
            "taxon": [
                "Manis javanica",
                "Manis javanica; Manis pentadactyla",
                "Python bivittatus",
                "Dalbergia cochinchinensis",
                "Manis javanica",
            ],
            "taxon_group": ["mammals", "mixed", "reptiles", "timber", "mammals"],
            "commodity": ["SCA", "SCA", "LIV", "TIM", "SCA"],
            "quantity": [100.0, 20.5, 3.0, 2.5, float("nan")],
            "unit": ["kg", "kg", "individuals", "m3", None],
        }
    )


def test_key_figures_counts(records):
    figures = key_figures(records)
    assert figures["seizures"] == 5
    assert figures["by_taxon_group"] == {"mammals": 2, "mixed": 1, "reptiles": 1, "timber": 1}
    assert list(figures["by_taxon_group"]) == ["mammals", "mixed", "reptiles", "timber"]
    assert figures["quantity_by_unit"] == {"kg": 120.5, "individuals": 3.0, "m3": 2.5}
    # CN LA VN TH NG CM ET; the pseudo-code XX is no country
    assert figures["countries_involved"] == 7
    assert figures["species"] == 4
    assert "change" not in figures


def test_key_figures_change_against_previous(records):
    figures = key_figures(records.iloc[:4], previous=records.iloc[4:])
    assert figures["change"]["seizures"] == {"previous": 1, "delta": 3, "percent": 300.0}
    assert figures["change"]["species"]["previous"] == 1


def test_key_figures_percent_is_none_after_an_empty_period(records):
    figures = key_figures(records, previous=records.iloc[:0])
    assert figures["change"]["seizures"] == {"previous": 0, "delta": 5, "percent": None}


def test_key_figures_of_nothing(records):
    figures = key_figures(records.iloc[:0])
    assert figures["seizures"] == 0
    assert figures["by_taxon_group"] == {}
    assert figures["quantity_by_unit"] == {}
    assert figures["countries_involved"] == 0


def test_key_figures_missing_group_is_unknown(records):
    records.loc[0, "taxon_group"] = None
    assert key_figures(records)["by_taxon_group"]["unknown"] == 1


@pytest.mark.parametrize(
    ("date_from", "date_to", "expected"),
    [
        # arbitrary days: the same number of days, ending the day before
        ((2024, 3, 10), (2024, 3, 19), ((2024, 2, 29), (2024, 3, 9))),
        ((2024, 3, 10), (2024, 3, 10), ((2024, 3, 9), (2024, 3, 9))),
        # whole calendar months: the same number of months
        ((2024, 1, 1), (2024, 12, 31), ((2023, 1, 1), (2023, 12, 31))),
        ((2024, 1, 1), (2024, 3, 31), ((2023, 10, 1), (2023, 12, 31))),
        ((2024, 3, 1), (2024, 3, 31), ((2024, 2, 1), (2024, 2, 29))),
        ((2023, 7, 1), (2024, 6, 30), ((2022, 7, 1), (2023, 6, 30))),
    ],
)
def test_previous_period(date_from, date_to, expected):
    result = previous_period(dt.date(*date_from), dt.date(*date_to))
    assert result == (dt.date(*expected[0]), dt.date(*expected[1]))


def test_previous_period_of_days_has_the_same_length():
    start, end = dt.date(2024, 2, 15), dt.date(2024, 5, 20)
    before_start, before_end = previous_period(start, end)
    assert before_end == start - dt.timedelta(days=1)
    assert before_end - before_start == end - start


def test_previous_period_rejects_reversed_dates():
    with pytest.raises(ValueError, match="after"):
        previous_period(dt.date(2024, 2, 1), dt.date(2024, 1, 1))


def test_latest_newest_first(records):
    table = latest(records, n=3)
    assert list(table.columns) == [*LATEST_COLUMNS, "date_precision"]
    assert table["seizure_date"].tolist() == [
        dt.date(2024, 3, 1),
        dt.date(2024, 2, 10),
        dt.date(2024, 2, 10),
    ]
    # same day: ties broken by record_id
    assert table["location_name"].tolist() == [None, "Boten", "Lao Cai"]


def test_latest_accepts_datetime64_and_names(records):
    records["seizure_date"] = pd.to_datetime(records["seizure_date"])
    table = latest(records, n=1, language="en")
    assert table.loc[0, "seizure_date"] == dt.date(2024, 3, 1)
    assert table.loc[0, "seizing_country"] == "China"
    assert table.loc[0, "commodity"] != "TIM"


def test_latest_without_optional_columns(records):
    table = latest(records.drop(columns=["location_name", "date_precision"]), n=10)
    assert list(table.columns) == list(LATEST_COLUMNS)
    assert len(table) == 5
    assert table["location_name"].isna().all()
