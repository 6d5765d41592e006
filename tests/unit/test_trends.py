"""Tests for seizures over time: periods, splits, units, rolling 12 months, year on year."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from geo.analysis.trends import counts_by_period, rolling_12_months, year_on_year


def _records(rows: list[tuple]) -> pd.DataFrame:
    """Records from (date, precision, taxon, group, quantity, unit) tuples."""
    return pd.DataFrame(
        rows,
        columns=["seizure_date", "date_precision", "taxon", "taxon_group", "quantity", "unit"],
    )


@pytest.fixture
def spread() -> pd.DataFrame:
    """Seizures in January and April 2023 (none in February or March), kg and pieces mixed."""
    return _records(
        [
            (dt.date(2023, 1, 3), "day", "Manis javanica", "mammals", 10.0, "kg"),
            (dt.date(2023, 1, 20), "day", "Manis javanica", "mammals", 5.0, "pieces"),
            (dt.date(2023, 1, 25), "day", "Python bivittatus", "reptiles", 2.0, "kg"),
            (dt.date(2023, 4, 1), "month", "Python bivittatus", "reptiles", 7.0, "individuals"),
        ]
    )


@pytest.fixture
def many_taxa() -> pd.DataFrame:
    """One month with taxa seized 4, 3, 2, 1 and 1 times."""
    rows = []
    for taxon, times in [("A a", 4), ("B b", 3), ("C c", 2), ("D d", 1), ("E e", 1)]:
        rows += [(dt.date(2023, 5, 2), "day", taxon, "mammals", 1.0, "kg")] * times
    return _records(rows)


def test_counts_per_month_include_empty_months(spread):
    frame, excluded = counts_by_period(spread)
    assert excluded == 0
    assert frame["period_start"].tolist() == [
        pd.Timestamp("2023-01-01"),
        pd.Timestamp("2023-02-01"),
        pd.Timestamp("2023-03-01"),
        pd.Timestamp("2023-04-01"),
    ]
    assert frame["series"].unique().tolist() == ["all"]
    assert frame["seizures"].tolist() == [3, 0, 0, 1]
    assert frame["quantity"].isna().all()


def test_counts_stretch_to_the_filter_period(spread):
    frame, _ = counts_by_period(
        spread, period="quarter", date_from=dt.date(2022, 11, 5), date_to=dt.date(2023, 12, 31)
    )
    assert frame["period_start"].dt.strftime("%Y-%m").tolist() == [
        "2022-10",
        "2023-01",
        "2023-04",
        "2023-07",
        "2023-10",
    ]
    assert frame["seizures"].tolist() == [0, 3, 1, 0, 0]


def test_quantity_counts_only_the_chosen_unit(spread):
    frame, _ = counts_by_period(spread, unit="kg")
    january = frame.iloc[0]
    assert january["seizures"] == 3
    # 10 kg + 2 kg; the 5 pieces are never added to kilograms
    assert january["quantity"] == 12.0
    assert frame["quantity"].tolist() == [12.0, 0.0, 0.0, 0.0]
    pieces, _ = counts_by_period(spread, unit="pieces")
    assert pieces["quantity"].tolist() == [5.0, 0.0, 0.0, 0.0]


def test_year_precision_is_excluded_from_months_not_years(spread):
    coarse = pd.concat(
        [spread, _records([(dt.date(2023, 1, 1), "year", "Manis javanica", "mammals", 1.0, "kg")])]
    )
    months, excluded = counts_by_period(coarse, period="month")
    assert excluded == 1
    assert months["seizures"].sum() == 4
    assert months.iloc[0]["seizures"] == 3
    quarters, excluded = counts_by_period(coarse, period="quarter")
    assert excluded == 1
    assert quarters["seizures"].tolist() == [3, 1]
    years, excluded = counts_by_period(coarse, period="year")
    assert excluded == 0
    assert years["seizures"].tolist() == [5]


def test_split_keeps_top_categories_and_groups_the_rest(many_taxa):
    frame, _ = counts_by_period(many_taxa, split="taxon", top=2)
    assert dict(zip(frame["series"], frame["seizures"], strict=True)) == {
        "A a": 4,
        "B b": 3,
        "other": 4,
    }
    assert frame["series"].tolist() == ["A a", "B b", "other"]


def test_split_without_other_when_few_categories(many_taxa):
    frame, _ = counts_by_period(many_taxa, split="taxon", top=8)
    assert "other" not in set(frame["series"])
    assert frame["seizures"].sum() == len(many_taxa)


def test_split_fills_every_series_over_every_period(spread):
    frame, _ = counts_by_period(spread, split="taxon_group")
    assert len(frame) == 4 * 2
    reptiles = frame[frame["series"] == "reptiles"]
    assert reptiles["seizures"].tolist() == [1, 0, 0, 1]


def test_missing_category_is_unknown(spread):
    spread.loc[0, "taxon_group"] = None
    frame, _ = counts_by_period(spread, split="taxon_group")
    assert frame.loc[frame["series"] == "unknown", "seizures"].sum() == 1


def test_split_by_taxon_counts_a_mixed_record_under_each_taxon(spread):
    mixed = _records(
        [(dt.date(2023, 1, 9), "day", "Manis javanica; Python bivittatus", "mixed", 4.0, "kg")]
    )
    frame, _ = counts_by_period(pd.concat([spread, mixed]), split="taxon", unit="kg")
    january = frame[frame["period_start"] == pd.Timestamp("2023-01-01")].set_index("series")
    assert january.loc["Manis javanica", "seizures"] == 3
    assert january.loc["Python bivittatus", "seizures"] == 2
    # the mixed record's 4 kg cannot be shared out, so it is in neither total
    assert january.loc["Manis javanica", "quantity"] == 10.0
    assert january.loc["Python bivittatus", "quantity"] == 2.0


def test_datetime64_dates_give_the_same_counts(spread):
    as_dates, _ = counts_by_period(spread)
    as_timestamps, _ = counts_by_period(
        spread.assign(seizure_date=pd.to_datetime(spread["seizure_date"]))
    )
    pd.testing.assert_frame_equal(as_dates, as_timestamps)


def test_no_records_give_an_empty_frame(spread):
    frame, excluded = counts_by_period(spread.iloc[:0], split="taxon")
    assert frame.empty
    assert list(frame.columns) == ["period_start", "series", "seizures", "quantity"]
    assert excluded == 0


@pytest.mark.parametrize(
    "arguments",
    [{"period": "week"}, {"split": "agency"}, {"unit": "tonnes"}, {"top": 0}],
)
def test_counts_reject_unknown_arguments(spread, arguments):
    with pytest.raises(ValueError):
        counts_by_period(spread, **arguments)


@pytest.fixture
def monthly() -> pd.DataFrame:
    """Two series over 14 months: 'a' always 2 seizures, 'b' always 1."""
    starts = pd.date_range("2022-01-01", periods=14, freq="MS")
    return pd.DataFrame(
        {
            "period_start": np.repeat(starts, 2),
            "series": ["a", "b"] * 14,
            "seizures": [2, 1] * 14,
            "quantity": np.nan,
        }
    )


def test_rolling_12_months_mean_per_series(monthly):
    rolled = rolling_12_months(monthly)
    assert list(rolled.columns) == ["period_start", "series", "seizures"]
    series_a = rolled[rolled["series"] == "a"]["seizures"]
    assert series_a.iloc[:11].isna().all()
    assert series_a.iloc[11:].tolist() == [2.0, 2.0, 2.0]
    assert rolled[rolled["series"] == "b"]["seizures"].iloc[11:].tolist() == [1.0, 1.0, 1.0]


def test_rolling_12_months_sum(monthly):
    rolled = rolling_12_months(monthly, how="sum")
    assert rolled[rolled["series"] == "a"]["seizures"].iloc[-1] == 24.0


def test_rolling_over_quarters_uses_four_quarters():
    quarterly = pd.DataFrame(
        {
            "period_start": pd.date_range("2022-01-01", periods=5, freq="QS"),
            "series": "all",
            "seizures": [1, 2, 3, 4, 5],
            "quantity": np.nan,
        }
    )
    rolled = rolling_12_months(quarterly)
    assert rolled["seizures"].iloc[3] == 2.5
    assert rolled["seizures"].iloc[4] == 3.5


def test_rolling_rejects_uneven_periods(monthly):
    with pytest.raises(ValueError, match="evenly spaced"):
        rolling_12_months(monthly[monthly["period_start"] != pd.Timestamp("2022-03-01")])


def test_year_on_year_changes(spread):
    later = _records(
        [
            (dt.date(2025, 6, 1), "day", "Manis javanica", "mammals", 3.0, "kg"),
            (dt.date(2025, 7, 1), "year", "Manis javanica", "mammals", 1.0, "pieces"),
        ]
    )
    table = year_on_year(pd.concat([spread, later]), unit="kg")
    assert table["year"].tolist() == [2023, 2024, 2025]
    assert table["seizures"].tolist() == [4, 0, 2]
    assert np.isnan(table.loc[0, "change"])
    assert table.loc[1, "change"] == -4.0
    assert table.loc[1, "change_percent"] == -100.0
    assert table.loc[2, "change"] == 2.0
    # no percentage after a year with no seizures
    assert np.isnan(table.loc[2, "change_percent"])
    assert table["quantity"].tolist() == [12.0, 0.0, 3.0]
    assert not table["partial"].any()


def test_year_on_year_flags_partial_years(spread):
    table = year_on_year(spread, date_from=dt.date(2021, 1, 1), date_to=dt.date(2023, 6, 30))
    assert table["year"].tolist() == [2021, 2022, 2023]
    assert table["partial"].tolist() == [False, False, True]
    assert "quantity" not in table
